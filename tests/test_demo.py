"""The demo practice that `make run` loads."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from bodymap.accounts.models import Membership, Practice
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.two_factor import next_code


@pytest.fixture(autouse=True)
def late_on_a_sunday():
    """The demo is built around "today": load it at a fixed, awkward moment (23:30 on a Sunday in
    Toronto, the practice's zone) so what these tests see never depends on when they run."""
    with time_machine.travel("2026-11-29 23:30:00-05:00", tick=True):
        yield


def test_it_loads_a_practice_with_three_staff_and_about_25_clients(db):
    call_command("load_demo")
    practice = Practice.objects.get(slug=demo.SLUG)
    roles = sorted(Membership.objects.filter(practice=practice).values_list("role", "provides_treatment"))
    assert roles == [("front_desk", False), ("owner", True), ("therapist", True)]
    assert Client.objects.filter(practice=practice).count() == 25
    now = practice.created_at
    assert Appointment.objects.filter(start__lt=now, status="completed").count() > 100
    assert Appointment.objects.filter(start__gt=now, status="booked").count() > 20


def test_it_never_loads_twice(db):
    call_command("load_demo")
    counts = (Client.objects.count(), Appointment.objects.count())
    call_command("load_demo")
    assert (Client.objects.count(), Appointment.objects.count()) == counts


def test_it_lets_the_demo_staff_sign_in(client, db):
    call_command("load_demo")
    for email, password, role in demo.logins():
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, email
        if role == "Owner":
            # Owners set up two-factor sign-in the first time, as the demo's instructions say.
            assert response["Location"].startswith("/accounts/two-factor/verify/")
            assert client.get("/dashboard/").status_code == 302
            client.get("/accounts/two-factor/setup/")
            device = TOTPDevice.objects.get(user__email=email)
            client.post("/accounts/two-factor/setup/", {"code": next_code(device)})
        assert client.get("/dashboard/").status_code == 200
        client.post("/accounts/logout/")


def test_it_never_double_books_a_demo_therapist(db):
    demo.load()
    for therapist in Membership.objects.filter(provides_treatment=True):
        slots = list(Appointment.objects.holding_time().filter(therapist=therapist).order_by("start"))
        for earlier, later in zip(slots, slots[1:], strict=False):
            assert earlier.end <= later.start


def test_it_shows_every_kind_of_consent_and_a_plan(db):
    from bodymap.chart.planning import plan_for
    from bodymap.consent.state import consent_for
    from bodymap.intake.models import Intake

    demo.load()
    states = set()
    for intake in Intake.objects.submitted().select_related("client__practice"):
        states |= {c.state for c in consent_for(intake.client).values()}
        assert plan_for(intake.client, intake)["version"] == 2
    assert {"granted", "over_drape", "declined", "withdrawn"} <= states
    assert Intake.objects.drafts().count() == 1
    decisions = {plan_for(i.client, i)["decision"] for i in Intake.objects.submitted()}
    assert decisions == {"proceed", "medical_clearance", "refer_emergency"}


def test_it_shows_notes_addenda_and_outcomes_that_did_and_did_not_improve(db):
    from bodymap.notes.models import Addendum, SessionNote
    from bodymap.notes.outcomes_view import series_for

    demo.load()
    assert SessionNote.objects.signed().count() >= 15
    assert Addendum.objects.count() >= 1
    assert SessionNote.objects.unsigned().count() == 1
    verdicts = set()
    for client in Client.objects.filter(notes__isnull=False).distinct():
        verdicts |= {s.change.meaningful for s in series_for(client) if s.change and s.change.sessions > 1}
    assert verdicts == {True, False}


def test_it_shows_an_alert_awaiting_review_one_handled_a_minor_allergies_and_a_pregnancy(db):
    from bodymap.consent.models import ConsentRecord
    from bodymap.intake.models import Intake
    from bodymap.safety.models import SafetyAlert

    demo.load()
    waiting = SafetyAlert.objects.open().get()
    assert waiting.urgency == "emergency" and waiting.client.last_name == "Whitaker"
    handled = SafetyAlert.objects.reviewed().get(client__last_name="Fitzgerald")
    assert handled.urgency == "clearance" and handled.reviews.get().outcome == "cleared_by_doctor"
    contracts = {i.client.last_name: i.contract for i in Intake.objects.submitted().select_related("client")}
    assert contracts["Alexander"]["age"] < 16 and contracts["Alexander"]["guardian"]["present"] is True
    assert ConsentRecord.objects.filter(
        client__last_name="Alexander", guardian_name="Claire Alexander"
    ).exists()
    assert contracts["Rahman"]["pregnancy"]["weeks"] == 24 and contracts["Rahman"]["allergies"] == [
        "nut_oils"
    ]
    assert "latex" in contracts["Lindqvist"]["allergies"]


def test_it_prints_the_address_the_server_will_listen_on(db):
    import io

    out = io.StringIO()
    call_command("load_demo", "--address", "0.0.0.0:8123", stdout=out)
    assert "http://0.0.0.0:8123/accounts/login/" in out.getvalue()
    assert "http://0.0.0.0:8123/portal/sign-in/" in out.getvalue() and ":8000" not in out.getvalue()
    out = io.StringIO()
    call_command("load_demo", "--address", "8124", stdout=out)
    assert "http://127.0.0.1:8124/accounts/login/" in out.getvalue()


@pytest.mark.parametrize("today", [date(2026, 11, 29), date(2026, 12, 2), date(2027, 3, 13)])
def test_every_demo_appointment_falls_in_its_therapists_working_hours(db, today):
    """A Sunday, a Wednesday and the Saturday before the clocks go forward."""
    from bodymap.booking.models import WorkingHours

    demo.load(today=today)
    hours = {(h.therapist_id, h.weekday): h for h in WorkingHours.objects.all()}
    tz = ZoneInfo(demo.TZ)
    for appointment in Appointment.objects.all():
        start, end = appointment.start.astimezone(tz), appointment.end.astimezone(tz)
        rule = hours.get((appointment.therapist_id, start.weekday()))
        assert rule is not None, f"{appointment.therapist} booked on a day off: {start}"
        assert start.date() == end.date() and rule.start <= start.time() and end.time() <= rule.end, start
        if rule.break_start is not None:
            assert end.time() <= rule.break_start or rule.break_end <= start.time(), start


def test_it_shows_money_paid_and_owing_a_refund_a_package_in_use_and_a_gift_card(db):
    from bodymap.billing import actions
    from bodymap.billing.models import GiftCard, Invoice, Package, Payment, Receipt

    call_command("load_demo")
    practice = Practice.objects.get(slug=demo.SLUG)
    assert Payment.objects.filter(practice=practice, kind="refund").exists()
    assert Receipt.objects.filter(practice=practice).exists()
    states = [actions.state_of(i) for i in Invoice.objects.filter(practice=practice)]
    assert any(s.due == 0 for s in states) and any(s.due > 0 for s in states)
    package = Package.objects.get(practice=practice)
    assert actions.package_state(package).sessions_left == 4
    assert Payment.objects.filter(practice=practice, method="package").count() == 1
    assert GiftCard.objects.filter(practice=practice).exists()
