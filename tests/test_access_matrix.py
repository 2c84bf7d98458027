"""Every view against every role: who gets the page, who is sent to sign in, who gets a 404."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.clients.identity import email_change_token, returning_token
from tests.cast import make_possible_duplicate
from tests.safety.helpers import open_alert

OK, LOGIN, NOT_FOUND = 200, 302, 404

STAFF_ONLY = {
    "owner": OK,
    "therapist": OK,
    "other_therapist": OK,
    "front_desk": OK,
    "client": NOT_FOUND,
    "other_client": NOT_FOUND,
    "anonymous": LOGIN,
}
# A client assigned to `therapist`: the other therapist must not learn it exists.
THERAPISTS_CLIENT = {**STAFF_ONLY, "other_therapist": NOT_FOUND}
# Clinical content of a client assigned to `therapist`: front desk must not see it either.
THERAPISTS_CLIENT_CLINICAL = {**THERAPISTS_CLIENT, "front_desk": NOT_FOUND}
NOBODY_HERE = {role: NOT_FOUND for role in STAFF_ONLY} | {"anonymous": LOGIN}
OWNER_ONLY = {**NOBODY_HERE, "owner": OK}
PORTAL = {
    "owner": NOT_FOUND,
    "therapist": NOT_FOUND,
    "other_therapist": NOT_FOUND,
    "front_desk": NOT_FOUND,
    "client": OK,
    "other_client": OK,
    "anonymous": LOGIN,
}
PUBLIC = dict.fromkeys(STAFF_ONLY, OK)

VIEWS = [
    ("dashboard", lambda c: reverse("booking:dashboard"), STAFF_ONLY),
    ("dashboard day", lambda c: reverse("booking:dashboard_day") + "?date=2026-06-01&who=all", STAFF_ONLY),
    ("client list", lambda c: reverse("clients:list"), STAFF_ONLY),
    ("client new", lambda c: reverse("clients:new"), STAFF_ONLY),
    (
        "client detail",
        lambda c: reverse("clients:detail", args=[c.client.public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "client edit",
        lambda c: reverse("clients:edit", args=[c.client.public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "booked client detail",
        lambda c: reverse("clients:detail", args=[c.booked_client.public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "other practice's client",
        lambda c: reverse("clients:detail", args=[c.foreign_client.public_id]),
        NOBODY_HERE,
    ),
    (
        "other practice's client edit",
        lambda c: reverse("clients:edit", args=[c.foreign_client.public_id]),
        NOBODY_HERE,
    ),
    ("audit log", lambda c: reverse("audit:log"), OWNER_ONLY),
    ("audit log CSV export", lambda c: reverse("audit:export"), OWNER_ONLY),
    (
        "possible duplicate merge",
        lambda c: reverse("clients:merge", args=[make_possible_duplicate(c).public_id]),
        {**OWNER_ONLY, "front_desk": OK},
    ),
    (
        "confirm a new email (link mailed to it)",
        lambda c: reverse(
            "clients:confirm_email", args=[email_change_token(c.client, "sam.new@example.com")]
        ),
        PUBLIC,
    ),
    (
        "claim an online booking (link mailed to its address)",
        lambda c: reverse(
            "booking_public:returning", args=[returning_token(make_possible_duplicate(c).appointments.get())]
        ),
        PUBLIC,
    ),
    ("two-factor sign-in", lambda c: reverse("accounts:two_factor"), STAFF_ONLY),
    ("two-factor setup", lambda c: reverse("accounts:two_factor_setup"), STAFF_ONLY),
    # Staff who owe no code are sent on; clients are not staff.
    (
        "two-factor code",
        lambda c: reverse("accounts:two_factor_verify"),
        {**STAFF_ONLY, **dict.fromkeys(("owner", "therapist", "other_therapist", "front_desk"), 302)},
    ),
    (
        "new recovery codes",
        lambda c: reverse("accounts:two_factor_recovery_codes"),
        {**STAFF_ONLY, **dict.fromkeys(("owner", "therapist", "other_therapist", "front_desk"), 405)},
    ),
    (
        "reset a colleague's two-factor",
        lambda c: reverse("accounts:staff_two_factor_reset", args=[c.therapist.public_id]),
        {**OWNER_ONLY, "owner": 405},
    ),
    (
        "resend a staff invitation",
        lambda c: reverse("accounts:staff_resend_invitation", args=[c.therapist.public_id]),
        {**OWNER_ONLY, "owner": 405},
    ),
    (
        "two-factor off",
        lambda c: reverse("accounts:two_factor_off"),
        {**STAFF_ONLY, **dict.fromkeys(("owner", "therapist", "other_therapist", "front_desk"), 405)},
    ),
    (
        "safety alert",
        lambda c: reverse("safety:alert", args=[open_alert(c).public_id]),
        THERAPISTS_CLIENT_CLINICAL,
    ),
    (
        "session needing review",
        lambda c: reverse("chart:session", args=[open_alert(c) and c.client.appointments.get().public_id]),
        THERAPISTS_CLIENT_CLINICAL,
    ),
    ("portal consent for one region", lambda c: reverse("portal:change_consent", args=["gluteal"]), PORTAL),
    ("portal home", lambda c: reverse("portal:home"), PORTAL),
    ("calendar grid, week", lambda c: reverse("calendar:calendar") + "?view=week", STAFF_ONLY),
    ("calendar grid, day", lambda c: reverse("calendar:calendar") + "?view=day", STAFF_ONLY),
    ("desk booking", lambda c: reverse("calendar:new"), STAFF_ONLY),
    ("desk client picker", lambda c: reverse("calendar:desk_clients") + "?q=sam", STAFF_ONLY),
    ("desk free times", lambda c: reverse("calendar:desk_times"), STAFF_ONLY),
    (
        "calendar appointment",
        lambda c: reverse("calendar:appointment", args=[c.appointment.public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "cancel confirmation",
        lambda c: reverse("calendar:cancel", args=[c.appointment.public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "no-show confirmation",
        lambda c: reverse("calendar:no_show", args=[c.appointment.public_id]),
        THERAPISTS_CLIENT,
    ),
    ("portal: download my records", lambda c: reverse("portal:records"), PORTAL),
    ("data in and out", lambda c: reverse("exchange:home"), OWNER_ONLY),
    ("import a CSV file", lambda c: reverse("exchange:import"), OWNER_ONLY),
    ("export everything", lambda c: reverse("exchange:export"), OWNER_ONLY),
    ("records past retention", lambda c: reverse("exchange:retention"), OWNER_ONLY),
    ("portal sign-in", lambda c: reverse("portal:login"), PUBLIC),
    (
        "staff sign-in",
        lambda c: reverse("accounts:login"),
        {
            **PUBLIC,
            **{
                r: 302
                for r in (
                    "owner",
                    "therapist",
                    "other_therapist",
                    "front_desk",
                    "client",
                    "other_client",
                )
            },
        },
    ),
]


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_it_checks_ownership(as_role, cast, role, name, url, expected):
    response = as_role(role).get(url(cast))
    assert response.status_code == expected[role], f"{role} on {name}"
    if expected[role] == LOGIN and role == "anonymous":
        assert "login" in response["Location"] or "sign-in" in response["Location"]


def _client_edit(target):
    return {"first_name": "Hacked", "last_name": "X", "email": target.email}


def test_it_lets_the_owner_make_the_edit_outsiders_are_refused(as_role, cast):
    target = cast.other_client
    response = as_role("owner").post(reverse("clients:edit", args=[target.public_id]), _client_edit(target))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "Hacked"


@pytest.mark.parametrize("role", ["therapist", "other_therapist", "front_desk", "client", "anonymous"])
def test_it_refuses_edits_from_outsiders(as_role, cast, role):
    """A POST that would change a client goes nowhere for anyone who may not see that client."""
    target = cast.other_client if role == "therapist" else cast.foreign_client
    response = as_role(role).post(reverse("clients:edit", args=[target.public_id]), _client_edit(target))
    assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND), role
    target.refresh_from_db()
    assert target.first_name != "Hacked"


def test_it_lists_only_a_therapists_own_clients(as_role, cast):
    page = as_role("therapist").get(reverse("clients:list")).content.decode()
    assert "Rivera" in page  # assigned
    assert "Bell" in page  # booked with them
    assert "Kowalski" not in page  # the other therapist's client
    assert "Foreign" not in page


def test_it_lists_every_client_of_the_practice_for_front_desk(as_role, cast):
    page = as_role("front_desk").get(reverse("clients:list")).content.decode()
    for name in ("Rivera", "Bell", "Kowalski"):
        assert name in page
    assert "Foreign" not in page


@pytest.mark.parametrize(("role", "sees"), [("owner", True), ("therapist", True), ("front_desk", False)])
def test_it_shows_the_clinical_record_only_to_clinicians(as_role, cast, role, sees):
    page = as_role(role).get(reverse("clients:detail", args=[cast.client.public_id])).content.decode()
    assert ("Clinical record" in page) is sees
    assert "Sam Rivera" in page


def test_it_shows_a_portal_client_only_their_own_record(as_role, cast):
    page = as_role("client").get(reverse("portal:home")).content.decode()
    assert "Rivera" in page
    assert "Kowalski" not in page
    assert "Bell" not in page


def test_it_uses_uuids_in_urls(cast):
    url = reverse("clients:detail", args=[cast.client.public_id])
    assert str(cast.client.public_id) in url
    assert f"/{cast.client.pk}/" not in url


# Billing ---------------------------------------------------------------------------------------
# Front desk takes payments and issues receipts; a therapist sees their own clients' invoices; the
# owner alone sets fees, corrects invoices and reads the reports; a client sees their own in the portal.

TREATING_STAFF = {**STAFF_ONLY, "front_desk": NOT_FOUND}
OWN_SIGNATURE = {**NOBODY_HERE, "owner": OK, "therapist": OK}
OWN_RECEIPT = {**PORTAL, "other_client": NOT_FOUND}

BILLING_VIEWS = [
    ("billing desk", lambda c, b: reverse("billing:desk"), STAFF_ONLY),
    (
        "invoice an appointment",
        lambda c, b: reverse("billing:appointment", args=[c.appointment.public_id]),
        THERAPISTS_CLIENT,
    ),
    ("invoice", lambda c, b: reverse("billing:invoice", args=[b.invoice.public_id]), THERAPISTS_CLIENT),
    (
        "other practice's invoice",
        lambda c, b: reverse("billing:invoice", args=[b.foreign_invoice.public_id]),
        NOBODY_HERE,
    ),
    (
        "receipt PDF",
        lambda c, b: reverse("billing:receipt_pdf", args=[b.receipt.public_id]),
        THERAPISTS_CLIENT,
    ),
    ("client account", lambda c, b: reverse("billing:client", args=[c.client.public_id]), THERAPISTS_CLIENT),
    ("billing profile", lambda c, b: reverse("billing:profile"), TREATING_STAFF),
    (
        "signature image",
        lambda c, b: reverse("billing:signature", args=[b.signature.public_id]),
        OWN_SIGNATURE,
    ),
    ("fees and tax", lambda c, b: reverse("billing:setup"), OWNER_ONLY),
    ("gift cards", lambda c, b: reverse("billing:gift_cards"), {**OWNER_ONLY, "front_desk": OK}),
    ("packages", lambda c, b: reverse("billing:packages"), {**OWNER_ONLY, "front_desk": OK}),
    ("billing reports", lambda c, b: reverse("billing:reports"), OWNER_ONLY),
    ("packages CSV", lambda c, b: reverse("billing:report_csv", args=["packages"]), OWNER_ONLY),
    ("billing report CSV", lambda c, b: reverse("billing:report_csv", args=["revenue"]), OWNER_ONLY),
    ("portal invoices", lambda c, b: reverse("portal_billing:invoices"), PORTAL),
    (
        "portal receipt",
        lambda c, b: reverse("portal_billing:receipt_pdf", args=[b.receipt.public_id]),
        OWN_RECEIPT,
    ),
]


@pytest.fixture
def billing(cast):
    from tests.cast import build_billing

    return build_billing(cast)


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "expected"), BILLING_VIEWS, ids=[v[0] for v in BILLING_VIEWS])
def test_it_checks_ownership_of_billing(as_role, cast, billing, role, name, url, expected):
    response = as_role(role).get(url(cast, billing))
    assert response.status_code == expected[role], f"{role} on {name}"


@pytest.mark.parametrize("role", ["other_therapist", "client", "anonymous"])
def test_it_refuses_payments_from_those_who_may_not_see_the_invoice(as_role, cast, billing, role):
    from bodymap.billing import actions
    from bodymap.billing.models import Payment

    # Part of the invoice refunded, so the same POST from the front desk would take a payment.
    actions.refund_payment(
        invoice=billing.invoice, method="cash", amount_cents=500, reason="r", actor_user=cast.owner.user
    )
    before = Payment.objects.count()
    url = reverse("billing:pay", args=[billing.invoice.public_id])
    response = as_role(role).post(url, {"method": "cash", "amount": "5.00"})
    assert response.status_code in (302, 404)
    assert Payment.objects.count() == before
    assert as_role("front_desk").post(url, {"method": "cash", "amount": "5.00"}).status_code == 302
    assert Payment.objects.count() == before + 1


@pytest.mark.parametrize("role", ["front_desk", "therapist"])
def test_it_leaves_refunds_and_voids_to_the_owner(as_role, cast, billing, role):
    from bodymap.billing.models import InvoiceVoid, Payment

    refund = {"method": "cash", "amount": "10.00", "reason": "Client asked"}
    assert (
        as_role(role).post(reverse("billing:refund", args=[billing.invoice.public_id]), refund).status_code
        == 404
    )
    assert not Payment.objects.filter(invoice=billing.invoice, kind="refund").exists()
    # The same request from the owner goes through.
    assert (
        as_role("owner").post(reverse("billing:refund", args=[billing.invoice.public_id]), refund).status_code
        == 302
    )
    assert Payment.objects.filter(invoice=billing.invoice, kind="refund").count() == 1
    void = {"reason": "Issued in error"}
    assert (
        as_role(role).post(reverse("billing:void", args=[billing.invoice.public_id]), void).status_code == 404
    )
    assert not InvoiceVoid.objects.filter(invoice=billing.invoice).exists()


def test_it_shows_front_desk_no_clinical_content_on_billing_pages(as_role, cast, billing):
    http = as_role("front_desk")
    for url in (
        reverse("billing:invoice", args=[billing.invoice.public_id]),
        reverse("billing:client", args=[cast.client.public_id]),
    ):
        page = http.get(url).content.decode()
        assert "Sam Rivera" in page
        assert "Clinical record" not in page and "SOAP" not in page


def test_it_keeps_one_therapists_appointment_from_another(as_role, cast):
    """The other therapist can neither move the first's appointment nor see its details; the same
    move from front desk goes through."""
    from bodymap.booking.models import Appointment

    before = cast.appointment.start
    url = reverse("calendar:move", args=[cast.appointment.public_id])
    local = timezone.localtime(before, ZoneInfo("America/Toronto"))
    move = {
        "therapist": str(cast.other_therapist.public_id),
        "date": str(local.date()),
        "time": "07:00",
        "outside_hours_reason": "Early start",
    }
    assert as_role("other_therapist").post(url, move).status_code == 404
    page = (
        as_role("other_therapist")
        .get(reverse("calendar:calendar") + f"?date={local.date()}")
        .content.decode()
    )
    assert "Marcus Bell" not in page
    assert Appointment.objects.get(pk=cast.appointment.pk).start == before
    # Front desk may move it to the other therapist: the request itself was sound.
    assert (
        as_role("front_desk").post(url, {**move, "therapist": str(cast.therapist.public_id)}).status_code
        == 302
    )
    assert Appointment.objects.get(pk=cast.appointment.pk).start != before


@pytest.mark.parametrize("role", ["client", "anonymous"])
def test_it_keeps_clients_out_of_the_desk(as_role, cast, role):
    from bodymap.booking.models import Appointment

    url = reverse("calendar:cancel", args=[cast.appointment.public_id])
    assert as_role(role).post(url, {"reason": "Because"}).status_code in (302, 404)
    assert Appointment.objects.get(pk=cast.appointment.pk).status == "booked"
    assert as_role("front_desk").post(url, {"reason": "Because"}).status_code == 302
    assert Appointment.objects.get(pk=cast.appointment.pk).status == "cancelled"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owner", OK),
        ("therapist", OK),
        ("other_therapist", NOT_FOUND),
        ("front_desk", NOT_FOUND),
        ("client", NOT_FOUND),
        ("anonymous", LOGIN),
    ],
)
def test_it_hands_a_clients_records_only_to_their_clinicians(as_role, cast, role, expected):
    """Staff answering an access request: the owner and the client's therapist; front desk sees no
    clinical content and the other therapist does not learn the client exists."""
    from bodymap.audit.models import AuditEntry

    url = reverse("exchange:client_records", args=[cast.client.public_id, "pdf"])
    response = as_role(role).post(url)
    assert response.status_code == expected
    exported = AuditEntry.objects.filter(action="export", subject_public_id=cast.client.public_id).exists()
    assert exported is (expected == OK)


@pytest.mark.parametrize("role", ["therapist", "front_desk", "client"])
def test_it_keeps_the_export_and_import_from_everyone_but_the_owner(as_role, cast, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bodymap.audit.models import AuditEntry
    from bodymap.clients.models import Client

    assert as_role(role).post(reverse("exchange:export")).status_code == 404
    assert not AuditEntry.objects.filter(action="export", subject_type="practice").exists()
    assert as_role("owner").post(reverse("exchange:export")).status_code == 200
    upload = {"kind": "clients", "file": SimpleUploadedFile("c.csv", b"first name,last name\nAna,Lima\n")}
    assert as_role(role).post(reverse("exchange:import"), upload).status_code == 404
    mapping = {"col_first_name": "0", "col_last_name": "1", "action": "import"}
    assert as_role(role).post(reverse("exchange:import"), mapping).status_code == 404
    assert not Client.objects.filter(last_name="Lima").exists()


# Waitlist and portal self-service ------------------------------------------------------------
# The owner and front desk run the whole waitlist, a therapist their own clients'; a portal client
# moves, cancels and books again only their own (or their family's) appointments.

OWN_PORTAL = {**PORTAL, "other_client": NOT_FOUND}
POST_ONLY_STAFF = {
    **STAFF_ONLY,
    **dict.fromkeys(("owner", "therapist", "other_therapist", "front_desk"), 405),
}
POST_ONLY_PORTAL = {**PORTAL, "client": 405, "other_client": 405}


def bookable_appointment(cast):
    """Sam's appointment a week ahead, for a service Terry offers online: outside the change window."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from bodymap.booking.models import Appointment, Service, TherapistProfile, WorkingHours

    TherapistProfile.objects.get_or_create(
        membership=cast.therapist, defaults={"practice": cast.practice, "slug": "terry"}
    )
    service, _ = Service.objects.get_or_create(
        practice=cast.practice, slug="massage-60", defaults={"name": "Massage", "minutes": 60}
    )
    service.therapists.add(cast.therapist)
    tz = ZoneInfo(cast.practice.timezone)
    start = datetime.combine(timezone.now().astimezone(tz).date() + timedelta(days=8), time(10), tzinfo=tz)
    WorkingHours.objects.get_or_create(
        therapist=cast.therapist, weekday=start.weekday(), defaults={"start": time(9), "end": time(17)}
    )
    return Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        service=service,
        service_name=service.name,
        start=start,
        end=start + timedelta(hours=1),
    )


def waitlisted(cast):
    """Sam (Terry's client) waiting for a massage next week."""
    from django.utils import timezone

    from bodymap.booking import actions

    appointment = bookable_appointment(cast)
    day = timezone.localdate() + timedelta(days=8)
    return actions.join_waitlist(
        practice=cast.practice, service=appointment.service, client=cast.client, earliest=day, latest=day
    )


SELF_SERVICE_VIEWS = [
    ("waitlist", lambda c: reverse("waitlist:list"), STAFF_ONLY),
    ("waitlist add", lambda c: reverse("waitlist:add"), STAFF_ONLY),
    (
        "waitlist offer",
        lambda c: reverse("waitlist:offer", args=[waitlisted(c).public_id]),
        THERAPISTS_CLIENT,
    ),
    (
        "waitlist remove",
        lambda c: reverse("waitlist:remove", args=[waitlisted(c).public_id]),
        POST_ONLY_STAFF,
    ),
    (
        "public waitlist",
        lambda c: reverse(
            "booking_public:waitlist", args=["breathe", bookable_appointment(c).service.slug, "any"]
        ),
        PUBLIC,
    ),
    (
        "portal appointment",
        lambda c: reverse("portal:appointment", args=[bookable_appointment(c).public_id]),
        OWN_PORTAL,
    ),
    ("portal move", lambda c: reverse("portal:move", args=[bookable_appointment(c).public_id]), OWN_PORTAL),
    (
        "portal cancel",
        lambda c: reverse("portal:cancel", args=[bookable_appointment(c).public_id]),
        OWN_PORTAL,
    ),
    (
        "portal book again",
        lambda c: reverse("portal:book_again", args=[bookable_appointment(c).public_id]),
        OWN_PORTAL,
    ),
    ("portal waitlist", lambda c: reverse("portal:waitlist"), PORTAL),
    (
        "portal waitlist leave",
        lambda c: reverse("portal:waitlist_leave", args=[waitlisted(c).public_id]),
        POST_ONLY_PORTAL,
    ),
    ("portal family member", lambda c: reverse("portal:choose_member"), POST_ONLY_PORTAL),
]


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(
    ("name", "url", "expected"), SELF_SERVICE_VIEWS, ids=[v[0] for v in SELF_SERVICE_VIEWS]
)
def test_it_checks_ownership_of_the_waitlist_and_self_service(as_role, cast, role, name, url, expected):
    response = as_role(role).get(url(cast))
    assert response.status_code == expected[role], f"{role} on {name}"


@pytest.mark.parametrize("role", ["other_client", "owner", "front_desk", "anonymous"])
def test_it_refuses_portal_changes_to_someone_elses_booking(as_role, cast, role):
    """Moving, cancelling or booking again from Sam's booking in the portal works for Sam alone:
    the same requests from anyone else change nothing."""
    appointment = bookable_appointment(cast)
    new_start = (appointment.start + timedelta(hours=4)).isoformat()

    def send(http):
        http.post(reverse("portal:book_again", args=[appointment.public_id]), {"start": new_start})
        http.post(reverse("portal:move", args=[appointment.public_id]), {"start": new_start})
        http.post(reverse("portal:cancel", args=[appointment.public_id]))

    send(as_role(role))
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.client.appointments.count() == 2
    send(as_role("client"))  # Sam: booked again at 14:00, so the move there is refused, then cancelled
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.client.appointments.count() == 3


# Packages and online payment: POST-only views, each sent a request that works for the allowed role.

SELLS_PACKAGES = {**NOBODY_HERE, "owner": LOGIN, "front_desk": LOGIN}  # 302 back to the account


def _package_sale(cast, billing):
    service = billing.invoice.appointment.service
    return {
        "service": str(service.public_id),
        "sessions": "5",
        "price": "500.00",
        "method": "cash",
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }


@pytest.mark.parametrize("role", list(STAFF_ONLY))
def test_it_lets_only_the_desk_sell_packages(as_role, cast, billing, role):
    from bodymap.billing.models import Package

    url = reverse("billing:sell_package", args=[cast.client.public_id])
    response = as_role(role).post(url, _package_sale(cast, billing))
    assert response.status_code == SELLS_PACKAGES[role], role
    allowed = role in ("owner", "front_desk")
    assert Package.objects.filter(client=cast.client).exists() is allowed
    if not allowed:
        assert as_role("front_desk").post(url, _package_sale(cast, billing)).status_code == 302


@pytest.mark.parametrize("role", list(STAFF_ONLY))
def test_it_lets_only_the_owner_void_a_package(as_role, cast, billing, role):
    from bodymap.billing import actions

    data = _package_sale(cast, billing)
    package = actions.sell_package(
        client=cast.client,
        service=billing.invoice.appointment.service,
        sessions=5,
        price_cents=50000,
        method="cash",
        expires_on=date.fromisoformat(data["expires_on"]),
        actor_user=cast.front_desk.user,
    )
    url = reverse("billing:close_package", args=[package.public_id])
    response = as_role(role).post(url, {"kind": "voided", "reason": "Sold in error"})
    expected = {**NOBODY_HERE, "owner": LOGIN}[role]
    assert response.status_code == expected, role
    assert actions.package_state(package).closed is (role == "owner")


@pytest.mark.parametrize("role", list(STAFF_ONLY))
def test_it_lets_only_the_invoiced_client_pay_online(as_role, cast, billing, role, stripe_api):
    from bodymap.billing import actions
    from bodymap.billing.models import OnlineCheckout

    # Part refunded, so something is due and the client's own request opens a checkout.
    actions.refund_payment(
        invoice=billing.invoice, method="cash", amount_cents=500, reason="r", actor_user=cast.owner.user
    )
    url = reverse("portal_billing:pay_online", args=[billing.invoice.public_id])
    response = as_role(role).post(url)
    if role == "client":
        assert response.status_code == 302 and response["Location"].startswith("https://checkout.stripe.com/")
        assert OnlineCheckout.objects.count() == 1
    else:
        assert response.status_code == (LOGIN if role == "anonymous" else NOT_FOUND), role
        assert not OnlineCheckout.objects.exists()


# The clinic's own face -----------------------------------------------------------------------
# Branding is the owner's; a therapist edits their own bio and photo, the owner everyone's. The
# logo, photos and colour file are public: the booking pages load them without sign-in.


def _with_logo(c):
    from bodymap.accounts.branding import set_branding
    from tests.test_branding import image_file

    set_branding(
        practice=c.practice,
        actor=c.owner.user,
        request=None,
        colour="",
        logo=image_file().read(),
        remove_logo=False,
    )
    return reverse("booking_public:logo", args=[c.practice.slug])


def _with_photo(c):
    from bodymap.accounts.branding import set_profile
    from tests.test_branding import image_file

    set_profile(
        member=c.therapist,
        actor=c.owner.user,
        request=None,
        bio="",
        photo=image_file().read(),
        remove_photo=False,
    )
    return reverse("booking_public:photo", args=[c.practice.slug, c.therapist.public_id])


BRANDING_VIEWS = [
    ("practice branding", lambda c: reverse("accounts:branding"), {**NOBODY_HERE, "owner": 405}),
    (
        "therapist profiles",
        lambda c: reverse("accounts:profiles"),
        {**NOBODY_HERE, "owner": OK, "therapist": 302, "other_therapist": 302},
    ),
    (
        "therapist profile",
        lambda c: reverse("accounts:profile", args=[c.therapist.public_id]),
        {**NOBODY_HERE, "owner": OK, "therapist": OK},
    ),
    ("practice brand css", lambda c: reverse("booking_public:brand_css", args=[c.practice.slug]), PUBLIC),
    ("practice logo", _with_logo, PUBLIC),
    ("therapist photo", _with_photo, PUBLIC),
]


@pytest.mark.parametrize("role", list(STAFF_ONLY))
@pytest.mark.parametrize(("name", "url", "expected"), BRANDING_VIEWS, ids=[v[0] for v in BRANDING_VIEWS])
def test_it_checks_ownership_of_the_clinics_face(as_role, cast, role, name, url, expected):
    response = as_role(role).get(url(cast))
    assert response.status_code == expected[role], f"{role} on {name}"


# Helpers called directly ---------------------------------------------------------------------
# What a page cannot show: the decorators turn a visitor away before the helper runs, and a
# membership is looked up once per request.


def _request(user, **attributes):
    """A request as the views hand it to the helpers: the signed-in user, and what the decorators
    set (the membership, the portal client)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    for name, value in attributes.items():
        setattr(request, name, value)
    return request


def test_it_finds_no_membership_for_a_visitor_or_a_portal_client(cast):
    from django.contrib.auth.models import AnonymousUser

    from bodymap.access import membership_for

    assert membership_for(None) is None
    assert membership_for(AnonymousUser()) is None
    assert membership_for(cast.client.user) is None


def test_it_reads_the_acting_members_role_once_per_request(cast, django_assert_num_queries):
    """Every helper asks for the acting member's membership: one query, with the practice (its time
    zone) and the user, and none again for the rest of the request."""
    from bodymap.access import membership_for
    from bodymap.accounts.models import User

    user = User.objects.get(pk=cast.therapist.user_id)
    with django_assert_num_queries(1):
        membership = membership_for(user)
        assert membership == cast.therapist
        assert membership.practice.timezone == "America/Toronto"
        assert membership.user.email == "therapist@example.com"
    with django_assert_num_queries(0):
        assert membership_for(user) is membership


def test_it_acts_for_the_practice_a_member_joined_first(cast):
    """Someone on the staff of two practices acts in the one they joined first, whichever row was
    written first."""
    from bodymap.access import membership_for
    from bodymap.accounts.models import Membership, Role, User

    earlier = Membership.objects.create(
        practice=cast.other_practice, user=cast.therapist.user, role=Role.THERAPIST, provides_treatment=True
    )
    Membership.objects.filter(pk=earlier.pk).update(created_at=cast.therapist.created_at - timedelta(days=30))
    assert membership_for(User.objects.get(pk=cast.therapist.user_id)) == earlier


@pytest.mark.parametrize(
    "helper",
    [
        "get_client_for_user",
        "get_clinical_client_for_user",
        "get_appointment_for_user",
        "get_clinical_appointment_for_user",
        "get_calendar_appointment_for_user",
        "get_service_for_user",
        "get_possible_duplicate_for_user",
        "get_safety_alert_for_user",
        "get_invoice_for_user",
        "get_receipt_for_user",
        "get_signature_for_user",
        "get_waitlist_entry_for_user",
        "get_package_for_user",
        "get_profile_for_user",
        "get_records_client_for_user",
    ],
)
def test_each_staff_helper_refuses_someone_without_a_membership(cast, helper):
    """staff_required turns away a signed-in client before any of these runs, so no page shows it:
    each refuses on its own all the same, before reading the id."""
    from django.http import Http404

    from bodymap import access

    with pytest.raises(Http404):
        getattr(access, helper)(_request(cast.client.user), cast.client.public_id)


def test_each_portal_helper_refuses_a_request_without_a_portal_client(cast):
    """client_user_required sets the portal client; without it the portal's billing helpers refuse."""
    from django.http import Http404

    from bodymap.access import get_portal_invoice, get_portal_receipt

    for helper in (get_portal_invoice, get_portal_receipt):
        with pytest.raises(Http404):
            helper(_request(cast.client.user), cast.client.public_id)


def test_it_shows_a_portal_client_only_their_own_packages(as_role, cast, billing):
    from bodymap.billing import actions

    for client, sessions in ((cast.client, 5), (cast.other_client, 3)):
        actions.sell_package(
            client=client,
            service=billing.invoice.appointment.service,
            sessions=sessions,
            price_cents=10000 * sessions,
            method="cash",
            expires_on=timezone.localdate() + timedelta(days=90),
            actor_user=cast.front_desk.user,
        )
    page = as_role("client").get(reverse("portal_billing:invoices")).content.decode()
    assert "My packages" in page and "5 of 5" in page
    assert "3 of 3" not in page


def test_it_lets_only_the_waiting_client_leave_the_waitlist(as_role, cast):
    """The same request that takes Sam off the waitlist changes nothing from another portal
    account."""
    from bodymap.booking.models import WaitlistStatus

    entry = waitlisted(cast)
    url = reverse("portal:waitlist_leave", args=[entry.public_id])
    assert as_role("other_client").post(url).status_code == 404
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert as_role("client").post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN


def test_it_lets_staff_review_only_the_pending_contact_changes_of_the_client_named(as_role, cast):
    """A change is reviewed through the client it belongs to, once: the URL of a client the
    therapist may see does not open another client's change, and a decided change stays decided."""
    from bodymap.clients.models import ContactChange

    others = ContactChange.objects.create(client=cast.other_client, proposed={"phone": "416-555-1111"})
    decided = ContactChange.objects.create(
        client=cast.client, proposed={"phone": "416-555-2222"}, decision=ContactChange.Decision.DISMISSED
    )
    pending = ContactChange.objects.create(client=cast.client, proposed={"phone": "416-555-3333"})
    http = as_role("therapist")

    def review(change):
        url = reverse("clients:review_contact_change", args=[cast.client.public_id, change.public_id])
        return http.post(url, {"decision": "accept"}).status_code

    assert review(others) == 404
    assert review(decided) == 404
    cast.other_client.refresh_from_db()
    assert cast.other_client.phone == "416-555-0199"
    assert ContactChange.objects.get(pk=others.pk).decision == ContactChange.Decision.PENDING
    assert review(pending) == 302
    cast.client.refresh_from_db()
    assert cast.client.phone == "416-555-3333"


def test_it_tells_the_owners_and_the_clients_therapists_of_a_red_flag(cast):
    """Every owner, the assigned therapist and a therapist with a coming appointment; not front
    desk, not a therapist whose appointment is past or cancelled, nobody from another practice."""
    from bodymap.access import safety_alert_recipients
    from bodymap.booking.models import Appointment, AppointmentStatus

    def appointment(therapist, days, **extra):
        start = timezone.now() + timedelta(days=days)
        return Appointment.objects.create(
            practice=cast.practice,
            client=cast.booked_client,
            therapist=therapist,
            start=start,
            end=start + timedelta(hours=1),
            service_name="Massage",
            **extra,
        )

    # The cast's appointment (tomorrow, with `therapist`) is the booked client's coming one.
    assert safety_alert_recipients(cast.booked_client) == [cast.owner, cast.therapist]
    assert safety_alert_recipients(cast.other_client) == [cast.owner, cast.other_therapist]
    cast.appointment.delete()
    appointment(cast.therapist, -3, status=AppointmentStatus.COMPLETED)
    appointment(cast.other_therapist, 5, status=AppointmentStatus.CANCELLED)
    assert safety_alert_recipients(cast.booked_client) == [cast.owner]
    appointment(cast.other_therapist, 6)
    assert safety_alert_recipients(cast.booked_client) == [cast.owner, cast.other_therapist]
    assert safety_alert_recipients(cast.foreign_client) == [cast.outsider]


@pytest.mark.parametrize("who", ["staff", "portal"])
def test_it_fetches_a_receipt_with_what_it_prints_in_one_query(cast, billing, who, django_assert_num_queries):
    """A reissued receipt prints its invoice, client, practice, signature and the receipt it
    repeats: all read with the receipt itself."""
    from bodymap.access import get_portal_receipt, get_receipt_for_user, membership_for
    from bodymap.billing import actions

    duplicate = actions.reissue_receipt(receipt=billing.receipt, actor_user=cast.front_desk.user)
    if who == "portal":
        request, fetch = _request(cast.client.user, portal_client=cast.client), get_portal_receipt
    else:
        request, fetch = _request(cast.front_desk.user), get_receipt_for_user
        membership_for(request.user)  # staff_required has looked it up already
    with django_assert_num_queries(1):
        receipt = fetch(request, duplicate.public_id)
        assert receipt.invoice.client_id == cast.client.pk
        assert receipt.practice.name == "Breathe Deeply Massage"
        assert receipt.signature == billing.signature
        assert receipt.original.number == billing.receipt.number
        if who == "staff":
            assert receipt.invoice.client.last_name == "Rivera"


def test_it_lists_the_practices_gift_cards_at_the_desk(as_role, cast):
    from bodymap.billing import actions

    def sell(practice, actor, buyer):
        return actions.sell_gift_card(
            practice=practice, amount_cents=5000, method="cash", purchaser_name=buyer, actor_user=actor
        )

    ours = sell(cast.practice, cast.front_desk.user, "Ana Lima")
    theirs = sell(cast.other_practice, cast.outsider.user, "Bea Moss")
    page = as_role("front_desk").get(reverse("billing:gift_cards")).content.decode()
    assert ours.code in page
    assert theirs.code not in page


def test_it_lets_a_family_account_act_for_a_child_never_for_another_adult(cast):
    """Sam's account also holds his partner's and his daughter's records. Sam's own record is the
    one named like the account: he downloads, reads and signs for himself and his daughter, never
    for his partner, though her record is the older one."""
    from bodymap.access import (
        may_download_own_records,
        may_see_health_record_in_portal,
        may_sign_consent_in_portal,
        portal_account_holder,
        portal_family,
    )
    from bodymap.clients.models import Client

    account = cast.client.user
    account.full_name = "sam rivera"  # as typed at sign-up: the name is matched without case
    account.save(update_fields=["full_name"])

    def relative(first, born):
        return Client.objects.create(
            practice=cast.practice,
            first_name=first,
            last_name="Rivera",
            email=account.email,
            user=account,
            date_of_birth=born,
        )

    today = timezone.localdate()
    partner = relative("Ana", date(today.year - 40, 1, 1))
    daughter = relative("Lia", date(today.year - 8, 1, 1))
    Client.objects.filter(pk=partner.pk).update(created_at=cast.client.created_at - timedelta(days=1))
    assert [c.pk for c in portal_family(account)] == [partner.pk, cast.client.pk, daughter.pk]
    assert portal_account_holder(account) == cast.client
    for check in (may_sign_consent_in_portal, may_see_health_record_in_portal, may_download_own_records):
        assert check(account, cast.client), check.__name__
        assert check(account, daughter), check.__name__
        assert not check(account, partner), check.__name__
    # Two records named like the account say nothing about which is his: the oldest is taken.
    Client.objects.filter(pk=partner.pk).update(first_name="Sam")
    assert portal_account_holder(account) == partner
    # No record named like the account: the oldest again.
    account.full_name = "S. Rivera"
    account.save(update_fields=["full_name"])
    assert portal_account_holder(account) == partner
    # An account that holds no record acts for nobody.
    assert portal_account_holder(cast.owner.user) is None
    assert not may_sign_consent_in_portal(cast.owner.user, cast.client)


def test_it_lists_a_portal_clients_appointments_in_time_order(as_role, cast):
    """Sam's coming appointments, earliest first, whatever order they were booked in."""
    from bodymap.booking.models import Appointment

    later = Appointment.objects.get(client=cast.client)
    start = later.start - timedelta(hours=4)
    Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=start,
        end=start + timedelta(hours=1),
        service_name="Massage therapy, 60 minutes",
    )
    page = as_role("client").get(reverse("portal:home")).content.decode()
    assert "08:00" in page and "12:00" in page
    assert page.index("08:00") < page.index("12:00")


# Each case: set up what the page would find, then (fetch, reads): the helper's call and what the
# page reads of the record it returns.


def _staff_call(cast, role, helper, public_id):
    from bodymap import access

    user = cast.user(role)
    access.membership_for(user)  # staff_required has looked it up already
    return lambda: getattr(access, helper)(_request(user, membership=access.membership_for(user)), public_id)


def _profile(cast, billing):
    fetch = _staff_call(cast, "owner", "get_profile_for_user", cast.therapist.public_id)
    return fetch, lambda member: (member.user.email, member.practice.name)


def _portal_invoice(cast, billing):
    from bodymap.access import get_portal_invoice

    request = _request(cast.client.user, portal_client=cast.client)
    return lambda: get_portal_invoice(
        request, billing.invoice.public_id
    ), lambda invoice: invoice.practice.name


def _time_off(cast, billing):
    from bodymap.booking.models import TimeOff

    start = timezone.now() + timedelta(days=3)
    off = TimeOff.objects.create(therapist=cast.therapist, start=start, end=start + timedelta(hours=2))
    fetch = _staff_call(cast, "owner", "get_upcoming_time_off_for_user", off.public_id)
    return fetch, lambda found: found.therapist.practice.name


def _possible_duplicate(cast, billing):
    duplicate = make_possible_duplicate(cast)
    fetch = _staff_call(cast, "front_desk", "get_possible_duplicate_for_user", duplicate.public_id)
    return fetch, lambda found: (found.possible_duplicate_of.last_name, found.practice.name)


def _package(cast, billing):
    from bodymap.billing import actions

    package = actions.sell_package(
        client=cast.client,
        service=billing.invoice.appointment.service,
        sessions=5,
        price_cents=50000,
        method="cash",
        expires_on=timezone.localdate() + timedelta(days=90),
        actor_user=cast.front_desk.user,
    )
    fetch = _staff_call(cast, "front_desk", "get_package_for_user", package.public_id)
    return fetch, lambda found: (found.client.last_name, found.service.name, found.practice.name)


def _day_change(cast, billing):
    from datetime import time

    from bodymap.booking.models import DayOverride

    day = timezone.localdate() + timedelta(days=3)
    change = DayOverride.objects.create(therapist=cast.therapist, date=day, start=time(9), end=time(12))
    fetch = _staff_call(cast, "front_desk", "get_upcoming_day_change_for_user", change.public_id)
    return fetch, lambda found: found.therapist.practice.name


def _safety_alert(cast, billing):
    alert = open_alert(cast)
    fetch = _staff_call(cast, "therapist", "get_safety_alert_for_user", alert.public_id)
    return fetch, lambda found: (found.client.last_name, found.intake.submitted_at)


def _waitlist_entry(cast, billing):
    from bodymap.booking.models import WaitlistEntry

    entry = waitlisted(cast)
    WaitlistEntry.objects.filter(pk=entry.pk).update(therapist=cast.therapist, offer=cast.appointment)
    fetch = _staff_call(cast, "front_desk", "get_waitlist_entry_for_user", entry.public_id)
    return fetch, lambda found: (
        found.client.last_name,
        found.service.name,
        found.therapist.user.email,
        found.practice.name,
        found.offer.start,
    )


def _invoice(cast, billing):
    fetch = _staff_call(cast, "front_desk", "get_invoice_for_user", billing.invoice.public_id)
    return fetch, lambda found: (
        found.client.last_name,
        found.therapist.user.email,
        found.appointment.service.name,
        found.practice.name,
    )


def _portal_appointment(cast, billing):
    from bodymap.access import get_portal_appointment

    appointment = bookable_appointment(cast)
    request = _request(cast.client.user)
    return lambda: get_portal_appointment(request, appointment.public_id), lambda found: (
        found.client.last_name,
        found.practice.name,
        found.service.name,
        found.therapist.user.email,
    )


def _portal_waitlist_entry(cast, billing):
    from bodymap.access import get_portal_waitlist_entry

    entry = waitlisted(cast)
    request = _request(cast.client.user)
    return lambda: get_portal_waitlist_entry(request, entry.public_id), lambda found: (
        found.client.last_name,
        found.service.name,
        found.practice.name,
    )


PAGES_READ = [
    ("therapist profile", _profile),
    ("portal invoice", _portal_invoice),
    ("time off", _time_off),
    ("possible duplicate", _possible_duplicate),
    ("package", _package),
    ("day change", _day_change),
    ("safety alert", _safety_alert),
    ("waitlist entry", _waitlist_entry),
    ("invoice", _invoice),
    ("portal appointment", _portal_appointment),
    ("portal waitlist entry", _portal_waitlist_entry),
]


@pytest.mark.parametrize("case", [c[1] for c in PAGES_READ], ids=[c[0] for c in PAGES_READ])
def test_it_fetches_what_the_page_reads_with_the_record(cast, billing, case, django_assert_num_queries):
    """The pages read these related records at once: fetched with the record, not one query each."""
    fetch, reads = case(cast, billing)
    with django_assert_num_queries(1):
        reads(fetch())


def test_it_offers_only_unreviewed_possible_duplicates_for_merging(as_role, cast):
    """The merge page opens for a record an online booking marked as a possible duplicate, until it
    is merged or closed; never for a record nobody marked."""
    from bodymap.clients.models import Client

    duplicate = make_possible_duplicate(cast)
    http = as_role("front_desk")

    def merge_page(client):
        return http.get(reverse("clients:merge", args=[client.public_id])).status_code

    assert merge_page(duplicate) == 200
    assert merge_page(cast.booked_client) == 404
    Client.objects.filter(pk=duplicate.pk).update(is_active=False)
    assert merge_page(duplicate) == 404
    Client.objects.filter(pk=duplicate.pk).update(is_active=True, merged_into=cast.client)
    assert merge_page(duplicate) == 404


def test_it_assigns_a_new_client_to_the_therapist_who_adds_them(as_role, cast):
    """A therapist keeps the clients they add; front desk and the owner leave the choice open."""
    from bodymap.clients.models import Client

    for role, first in (("therapist", "Ines"), ("front_desk", "Joao"), ("owner", "Kim")):
        data = {"first_name": first, "last_name": "Added", "email": f"{first.lower()}@example.com"}
        assert as_role(role).post(reverse("clients:new"), data).status_code == 302, role
    assigned = dict(Client.objects.filter(last_name="Added").values_list("first_name", "assigned_therapist"))
    assert assigned == {"Ines": cast.therapist.pk, "Joao": None, "Kim": None}


def test_it_lists_in_the_portal_only_the_clients_own_invoices(as_role, cast, billing):
    """Elena has no invoice: her portal shows none of Sam's."""
    number = billing.invoice.number
    assert number in as_role("client").get(reverse("portal_billing:invoices")).content.decode()
    assert number not in as_role("other_client").get(reverse("portal_billing:invoices")).content.decode()


def test_it_offers_the_desk_only_active_clients(as_role, cast):
    from bodymap.clients.models import Client

    url = reverse("calendar:desk_clients") + "?q=rivera"
    assert "Sam Rivera" in as_role("front_desk").get(url).content.decode()
    Client.objects.filter(pk=cast.client.pk).update(is_active=False)
    assert "Sam Rivera" not in as_role("front_desk").get(url).content.decode()


def test_it_shows_a_therapist_the_packages_of_their_own_clients_only(cast, billing):
    """No page lists a therapist's packages beyond one client they may see; the helper keeps to the
    rule all the same."""
    from bodymap.access import packages_for
    from bodymap.billing import actions

    def sell(client):
        return actions.sell_package(
            client=client,
            service=billing.invoice.appointment.service,
            sessions=5,
            price_cents=50000,
            method="cash",
            expires_on=timezone.localdate() + timedelta(days=90),
            actor_user=cast.front_desk.user,
        )

    theirs, others = sell(cast.client), sell(cast.other_client)
    assert list(packages_for(cast.therapist)) == [theirs]
    assert set(packages_for(cast.front_desk)) == {theirs, others}


def test_it_lets_an_owner_edit_only_the_profiles_of_their_own_practice(as_role, cast):
    """The bio the owner writes for her therapist goes nowhere for another practice's therapist."""
    http = as_role("owner")
    data = {"bio": "Twenty years of sports massage."}
    assert http.post(reverse("accounts:profile", args=[cast.outsider.public_id]), data).status_code == 404
    cast.outsider.refresh_from_db()
    assert cast.outsider.bio == ""
    assert http.post(reverse("accounts:profile", args=[cast.therapist.public_id]), data).status_code == 302
    cast.therapist.refresh_from_db()
    assert cast.therapist.bio == "Twenty years of sports massage."


def test_it_opens_a_portal_appointment_only_to_the_account_it_belongs_to(as_role, cast):
    url = reverse("portal:appointment", args=[bookable_appointment(cast).public_id])
    assert as_role("other_client").get(url).status_code == 404
    assert as_role("client").get(url).status_code == 200


def test_it_tells_of_a_red_flag_in_joining_order_and_never_front_desk(cast, django_assert_num_queries):
    """Recipients in the order they joined, each with the address to write to, read at once; a
    therapist moved to front desk stops hearing of the clients still assigned to them."""
    from bodymap.access import safety_alert_recipients
    from bodymap.accounts.models import Membership, Role

    joined = cast.owner.created_at - timedelta(days=1)
    Membership.objects.filter(pk=cast.other_therapist.pk).update(created_at=joined)
    with django_assert_num_queries(1):
        told = [(m.pk, m.user.email) for m in safety_alert_recipients(cast.other_client)]
    assert told == [
        (cast.other_therapist.pk, "other.therapist@example.com"),
        (cast.owner.pk, "owner@example.com"),
    ]
    Membership.objects.filter(pk=cast.other_therapist.pk).update(
        role=Role.FRONT_DESK, provides_treatment=False
    )
    assert safety_alert_recipients(cast.other_client) == [cast.owner]


def test_it_fetches_a_contact_change_with_its_clients_practice(cast, django_assert_num_queries):
    """The review reads the client's practice: one query for the client, one for the change."""
    from bodymap.access import get_contact_change_for_user, membership_for
    from bodymap.clients.models import ContactChange

    change = ContactChange.objects.create(client=cast.client, proposed={"phone": "416-555-3333"})
    user = cast.user("therapist")
    membership_for(user)  # staff_required has looked it up already
    request = _request(user)
    with django_assert_num_queries(2):
        found = get_contact_change_for_user(request, cast.client.public_id, change.public_id)
        assert found.client.practice.name == "Breathe Deeply Massage"
