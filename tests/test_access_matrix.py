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
