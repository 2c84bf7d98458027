"""The cast of test users every view is checked against."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bodymap.accounts.models import Membership, Practice, Role, User
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client

ROLES = [
    "owner",
    "therapist",
    "other_therapist",
    "front_desk",
    "client",
    "other_client",
    "anonymous",
]


# Where a matrix expects the visitor to be sent to sign in (staff login or the portal's link page).
SIGN_IN = "sign in"


def assert_access(response, want, label):
    """One cell of an access matrix: a status code, or SIGN_IN for a redirect to a sign-in page."""
    if want == SIGN_IN:
        location = response.get("Location", "")
        assert response.status_code == 302, label
        assert "/accounts/login/" in location or "/portal/sign-in/" in location, label
    else:
        assert response.status_code == want, label


@dataclass
class Cast:
    practice: Practice
    other_practice: Practice
    owner: Membership
    therapist: Membership
    other_therapist: Membership
    front_desk: Membership
    outsider: Membership  # owner of another practice
    client: Client  # assigned to `therapist`, with a portal account
    other_client: Client  # assigned to `other_therapist`, with a portal account
    booked_client: Client  # assigned to nobody, booked with `therapist`
    foreign_client: Client  # in the other practice
    appointment: Appointment

    def user(self, role: str):
        return {
            "owner": self.owner.user,
            "therapist": self.therapist.user,
            "other_therapist": self.other_therapist.user,
            "front_desk": self.front_desk.user,
            "outsider": self.outsider.user,
            "client": self.client.user,
            "other_client": self.other_client.user,
            "anonymous": None,
        }[role]


def pass_second_factor(http, user):
    """Completes the second step of signing in for a signed-in test client, as a member of staff
    whose account needs it would have: an authenticator app set up and its code given."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bodymap.access import membership_for, two_factor_required

    membership = membership_for(user)
    if membership is None or not two_factor_required(membership):
        return
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def member(practice, email, role, treats):
    user = User.objects.create_user(
        email=email, password="correct horse battery", full_name=email.split("@")[0].title()
    )
    return Membership.objects.create(practice=practice, user=user, role=role, provides_treatment=treats)


def make_client(practice, first, last, therapist=None, portal=False):
    client = Client.objects.create(
        practice=practice,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.com".lower(),
        phone="416-555-0199",
        date_of_birth=date(1980, 5, 17),
        assigned_therapist=therapist,
    )
    if portal:
        client.user = User.objects.create_user(email=client.email, full_name=client.full_name)
        client.save(update_fields=["user"])
    return client


def build_cast() -> Cast:
    practice = Practice.objects.create(
        name="Breathe Deeply Massage", slug="breathe", timezone="America/Toronto"
    )
    other = Practice.objects.create(name="Elsewhere Spa", slug="elsewhere", timezone="Europe/London")
    owner = member(practice, "owner@example.com", Role.OWNER, True)
    therapist = member(practice, "therapist@example.com", Role.THERAPIST, True)
    other_therapist = member(practice, "other.therapist@example.com", Role.THERAPIST, True)
    front_desk = member(practice, "desk@example.com", Role.FRONT_DESK, False)
    outsider = member(other, "outsider@example.com", Role.OWNER, True)
    client = make_client(practice, "Sam", "Rivera", therapist, portal=True)
    other_client = make_client(practice, "Elena", "Kowalski", other_therapist, portal=True)
    booked = make_client(practice, "Marcus", "Bell")
    foreign = make_client(other, "Foreign", "Person", outsider)
    tz = ZoneInfo("America/Toronto")
    start = datetime.combine(
        timezone.now().astimezone(tz).date() + timedelta(days=1), datetime.min.time(), tzinfo=tz
    ).replace(hour=10)
    appointment = Appointment.objects.create(
        practice=practice,
        client=booked,
        therapist=therapist,
        start=start,
        end=start + timedelta(hours=1),
        service_name="Massage therapy, 60 minutes",
    )
    Appointment.objects.create(
        practice=practice,
        client=client,
        therapist=therapist,
        start=start + timedelta(hours=2),
        end=start + timedelta(hours=3),
        service_name="Massage therapy, 60 minutes",
    )
    return Cast(
        practice,
        other,
        owner,
        therapist,
        other_therapist,
        front_desk,
        outsider,
        client,
        other_client,
        booked,
        foreign,
        appointment,
    )


def make_possible_duplicate(cast: Cast) -> Client:
    """What an online booking with the cast client's address makes: a new client marked as a possible
    duplicate, holding the cast's appointment, booked online."""
    duplicate = Client.objects.create(
        practice=cast.practice,
        first_name="Sam",
        last_name="R",
        email=cast.client.email,
        possible_duplicate_of=cast.client,
    )
    Appointment.objects.filter(pk=cast.appointment.pk).update(client=duplicate, booked_online=True)
    cast.appointment.refresh_from_db()
    return duplicate


@dataclass
class BillingCast:
    """A paid, receipted treatment of `client` (yesterday, with `therapist`) and an invoice in the
    other practice."""

    invoice: object
    receipt: object
    foreign_invoice: object
    signature: object


def build_billing(cast: Cast) -> BillingCast:
    from bodymap.billing import actions
    from tests.billing.helpers import paid_invoice, set_up_billing

    billed = set_up_billing(cast)
    invoice = paid_invoice(billed)
    receipt = actions.issue_receipt(invoice=invoice, actor_user=cast.front_desk.user, email=False)
    start = billed.appointment.start
    foreign_appointment = Appointment.objects.create(
        practice=cast.other_practice,
        client=cast.foreign_client,
        therapist=cast.outsider,
        start=start,
        end=start + timedelta(hours=1),
        status="completed",
        service_name="Massage",
    )
    foreign = actions.issue_invoice(
        appointment=foreign_appointment,
        actor=cast.outsider,
        lines=[actions.LineInput(kind="service", description="Massage", unit_cents=9000)],
    )
    return BillingCast(invoice, receipt, foreign, actions.current_signature(cast.therapist))
