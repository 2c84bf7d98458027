"""Who may see what. Every view fetches records through these helpers.

- The owner sees everything in the practice.
- A therapist sees the clients assigned to them, and those with an appointment that is or was really
  theirs: booked by staff, by a new client or by one who proved their address, and not cancelled
  before it began. An online booking that only named someone's email opens nothing.
- Front desk sees the schedule and contact details, never clinical records.
- A client sees only their own records, in the portal.

Anyone else gets a 404, never a 403 that would confirm the record exists.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from bodymap.accounts.models import Membership, Role
from bodymap.booking.models import Appointment, AppointmentStatus, DayOverride, TimeOff
from bodymap.clients.models import Client, ContactChange

# Roles -----------------------------------------------------------------------------------------


def sees_whole_practice(membership: Membership) -> bool:
    """The owner and front desk see every client and every diary in the practice."""
    return membership.role in (Role.OWNER, Role.FRONT_DESK)


def opens_sessions(membership: Membership) -> bool:
    """Clinicians open a session from the diary; front desk only sees the schedule."""
    return membership.role != Role.FRONT_DESK


def treats_clients(membership: Membership) -> bool:
    """Someone with a diary of their own: a therapist, or an owner who also treats."""
    return membership.provides_treatment


def keeps_clients_they_add(membership: Membership) -> bool:
    """A therapist is assigned the clients they add; reassigning is the owner's or front desk's job."""
    return membership.role == Role.THERAPIST


def may_write_note(membership: Membership, appointment: Appointment) -> bool:
    """The session note is written by the appointment's therapist, or the owner."""
    return membership.role == Role.OWNER or appointment.therapist_id == membership.pk


def membership_for(user) -> Membership | None:
    """The acting staff member's membership, or None for clients and strangers."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_bodymap_membership", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.active()
        .select_related("practice", "user")
        .filter(user=user)
        .order_by("created_at", "id")
        .first()
    )
    user._bodymap_membership = membership
    return membership


def two_factor_required(membership: Membership) -> bool:
    """Owners always sign in with a second step; other staff when their practice asks for it."""
    return membership.role == Role.OWNER or membership.practice.require_two_factor


def owes_second_factor(request, membership: Membership) -> bool:
    """True while a signed-in member of staff has not yet given the second step their account needs:
    required of them, or turned on by them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    if getattr(user, "is_verified", None) is not None and user.is_verified():
        return False
    return two_factor_required(membership) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def staff_required(view):
    """Signed-in practice staff only; a signed-in client or stranger gets a 404. Staff who still owe
    the second step of signing in are sent to give it first."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_for(request.user)
        if membership is None:
            raise Http404
        if owes_second_factor(request, membership):
            return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor_verify"))
        request.membership = membership
        # Times are stored in UTC and shown in the practice's own zone.
        with timezone.override(membership.practice.timezone):
            return view(request, *args, **kwargs)

    return wrapper


def sets_up_practice(membership: Membership) -> bool:
    """The owner: staff, practice settings, services, booking rules and the audit log."""
    return membership.role == Role.OWNER


def owner_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not sets_up_practice(request.membership):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


PORTAL_MEMBER_KEY = "bodymap_portal_member"


def client_user_required(view):
    """Signed-in portal clients only; staff and strangers get a 404."""

    @login_required(login_url="portal:login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if membership_for(request.user) is not None:
            raise Http404
        family = list(portal_clients(request.user).order_by("created_at", "id"))
        if not family:
            raise Http404
        # A family shares one account: the portal acts for the member chosen, else the oldest record.
        chosen = request.session.get(PORTAL_MEMBER_KEY)
        client = next((c for c in family if str(c.public_id) == chosen), family[0])
        request.portal_client = client
        request.portal_family = family
        with timezone.override(client.practice.timezone):
            return view(request, *args, **kwargs)

    return wrapper


# Clients -------------------------------------------------------------------------------------


def appointments_that_open_charts(membership: Membership):
    """A therapist's appointments that are or were really theirs: the client is known to be who
    booked (identity_confirmed), not a waitlist hold, and not cancelled before it began."""
    return (
        Appointment.objects.filter(therapist=membership, identity_confirmed=True)
        .exclude(status=AppointmentStatus.HELD)
        .exclude(
            Q(status=AppointmentStatus.CANCELLED)
            & (Q(cancelled_at__isnull=True) | Q(cancelled_at__lt=F("start")))
        )
    )


def clients_for(membership: Membership):
    """The clients this staff member may see at all (contact details at least)."""
    qs = Client.objects.filter(practice=membership.practice)
    if sees_whole_practice(membership):
        return qs
    # An IN over the therapist's own appointments, not a correlated EXISTS per client: the database
    # reads the therapist's appointments once (by the therapist index) instead of probing them for
    # each of the practice's clients, which took a second at 15,000 clients (bench/scale_bench.py).
    theirs = appointments_that_open_charts(membership).values("client_id")
    return qs.filter(Q(assigned_therapist=membership) | Q(pk__in=theirs))


def get_client_for_user(request, public_id) -> Client:
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    client = (
        clients_for(membership)
        .select_related("assigned_therapist__user", "practice")
        .filter(public_id=public_id)
        .first()
    )
    if client is None:
        raise Http404
    return client


def can_see_clinical(membership: Membership | None, client: Client, *, from_clients_for=False) -> bool:
    """Clinical records: the owner, and therapists who may see the client. Never front desk.
    `from_clients_for`: the client was read through clients_for(membership), which already keeps a
    therapist to the clients they may see, so the database is not asked the same thing twice."""
    if membership is None or membership.practice_id != client.practice_id:
        return False
    if membership.role == Role.OWNER:
        return True
    if membership.role == Role.THERAPIST:
        return from_clients_for or clients_for(membership).filter(pk=client.pk).exists()
    return False


def get_clinical_client_for_user(request, public_id) -> Client:
    """A client whose clinical record the acting user may open; 404 for front desk too."""
    client = get_client_for_user(request, public_id)
    if not can_see_clinical(membership_for(request.user), client, from_clients_for=True):
        raise Http404
    return client


# Appointments --------------------------------------------------------------------------------


def appointments_for(membership: Membership):
    qs = Appointment.objects.filter(practice=membership.practice)
    if sees_whole_practice(membership):
        return qs
    return qs.filter(Q(therapist=membership) | Q(client__in=clients_for(membership)))


def get_appointment_for_user(request, public_id) -> Appointment:
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    appointment = (
        appointments_for(membership)
        .select_related("client", "therapist__user")
        .filter(public_id=public_id)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def get_clinical_appointment_for_user(request, public_id) -> Appointment:
    """An appointment whose client's clinical record the acting user may open; 404 for front desk."""
    appointment = get_appointment_for_user(request, public_id)
    if not can_see_clinical(membership_for(request.user), appointment.client):
        raise Http404
    return appointment


# Portal --------------------------------------------------------------------------------------


def portal_clients(user):
    """The client records that belong to a signed-in portal user: bound through a link sent to the
    address on file, and only while that address is still the account's."""
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    return Client.objects.filter(user=user, email__iexact=user.email, is_active=True).select_related(
        "practice"
    )


def appointments_for_client(client: Client):
    """A portal client's own appointments."""
    return Appointment.objects.filter(client=client).order_by("start", "id")


# Booking -------------------------------------------------------------------------------------


def calendar_therapists_for(membership: Membership):
    """Whose calendars a staff member may open: their own as a therapist; the owner and front desk
    see every therapist in the practice. Front desk sees times and names, never clinical records."""
    qs = Membership.objects.therapists().filter(practice=membership.practice).select_related("user")
    if sees_whole_practice(membership):
        return qs.order_by("created_at", "id")
    return qs.filter(pk=membership.pk)


def get_calendar_appointment_for_user(request, public_id) -> Appointment:
    """An appointment the acting staff member may change: any in the practice for the owner and
    front desk, only their own for a therapist."""
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    appointment = (
        Appointment.objects.filter(
            practice=membership.practice, therapist__in=calendar_therapists_for(membership)
        )
        .select_related("client", "therapist__user", "service", "practice")
        .filter(public_id=public_id)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def get_service_for_user(request, public_id):
    from bodymap.booking.models import Service

    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    service = Service.objects.filter(practice=membership.practice, public_id=public_id).first()
    if service is None:
        raise Http404
    return service


# Booking setup ---------------------------------------------------------------------------------
# The owner changes everything: services, booking rules, anyone's hours, day changes and time off.
# A therapist changes their own working hours, day changes and time off. Front desk runs the diary:
# day changes and time off of any therapist, nothing else. Every member of staff reads the overview.


def hours_therapists_for(membership: Membership):
    """Whose weekly hours a staff member may change: anyone's for the owner, their own for a
    therapist, nobody's for front desk."""
    if membership.role == Role.FRONT_DESK:
        return Membership.objects.none()
    return calendar_therapists_for(membership)


def diary_therapists_for(membership: Membership):
    """Whose day changes and time off a staff member may change (the same people whose calendar
    they open)."""
    return calendar_therapists_for(membership)


def _one(queryset, public_id):
    found = queryset.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def get_hours_therapist_for_user(request, public_id) -> Membership:
    return _one(hours_therapists_for(request.membership), public_id)


def get_diary_therapist_for_user(request, public_id) -> Membership:
    return _one(diary_therapists_for(request.membership), public_id)


def get_upcoming_time_off_for_user(request, public_id) -> TimeOff:
    """Time off not yet over, of a therapist whose diary the acting user runs."""
    return _one(
        TimeOff.objects.filter(
            therapist__in=diary_therapists_for(request.membership), end__gt=timezone.now()
        ).select_related("therapist__practice"),
        public_id,
    )


def get_upcoming_day_change_for_user(request, public_id) -> DayOverride:
    return _one(
        DayOverride.objects.filter(
            therapist__in=diary_therapists_for(request.membership), date__gte=timezone.localdate()
        ).select_related("therapist__practice"),
        public_id,
    )


# Identity --------------------------------------------------------------------------------------


def may_merge_clients(membership: Membership) -> bool:
    """Merging two records says they are one person: the owner's or front desk's call, who see
    every client of the practice."""
    return sees_whole_practice(membership)


def possible_duplicates_for(membership: Membership):
    """Client records made by online bookings whose email matched someone, still to be reviewed."""
    if not may_merge_clients(membership):
        return Client.objects.none()
    return clients_for(membership).filter(
        possible_duplicate_of__isnull=False, merged_into__isnull=True, is_active=True
    )


def get_possible_duplicate_for_user(request, public_id) -> Client:
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    return _one(
        possible_duplicates_for(membership).select_related("possible_duplicate_of", "practice"), public_id
    )


def get_contact_change_for_user(request, client_public_id, public_id) -> ContactChange:
    """A pending contact change of a client the acting staff member may see."""
    client = get_client_for_user(request, client_public_id)
    return _one(
        ContactChange.objects.filter(client=client, decision=ContactChange.Decision.PENDING).select_related(
            "client__practice"
        ),
        public_id,
    )


# Safety alerts ------------------------------------------------------------------------------


def safety_alerts_for(membership: Membership | None):
    """Red-flag alerts a staff member may read and act on: the owner's whole practice, a therapist's
    own clients (assigned or booked). Front desk never sees an alert's clinical content."""
    from bodymap.safety.models import SafetyAlert

    if membership is None or membership.role == Role.FRONT_DESK:
        return SafetyAlert.objects.none()
    qs = SafetyAlert.objects.filter(practice=membership.practice)
    if membership.role == Role.OWNER:
        return qs
    return qs.filter(client__in=clients_for(membership))


def get_safety_alert_for_user(request, public_id):
    alert = (
        safety_alerts_for(membership_for(request.user))
        .select_related("client", "intake")
        .filter(public_id=public_id)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


def safety_alert_recipients(client: Client) -> list[Membership]:
    """Who is told at once about a client's red flag: every owner, the assigned therapist, and
    therapists with a coming appointment for the client."""
    coming = (
        Appointment.objects.holding_time().filter(client=client, end__gte=timezone.now()).values("therapist")
    )
    return list(
        Membership.objects.active()
        .filter(practice=client.practice)
        .exclude(role=Role.FRONT_DESK)
        .filter(Q(role=Role.OWNER) | Q(pk=client.assigned_therapist_id) | Q(pk__in=coming))
        .select_related("user")
        .order_by("created_at", "id")
    )


# Billing -------------------------------------------------------------------------------------
# Front desk takes payments and issues receipts but sees no clinical content; a therapist sees the
# invoices of the clients they may see; corrections (refunds, credit notes, voids), fees, tax and
# the reports are the owner's. A portal client sees only their own invoices and receipts.


def invoices_for(membership: Membership):
    from bodymap.billing.models import Invoice

    qs = Invoice.objects.filter(practice=membership.practice)
    if membership.role in (Role.OWNER, Role.FRONT_DESK):
        return qs
    return qs.filter(client__in=clients_for(membership))


def _staff(request) -> Membership:
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    return membership


def get_invoice_for_user(request, public_id):
    return _one(
        invoices_for(_staff(request)).select_related(
            "client", "therapist__user", "appointment__service", "practice"
        ),
        public_id,
    )


def get_receipt_for_user(request, public_id):
    from bodymap.billing.models import Receipt

    return _one(
        Receipt.objects.filter(invoice__in=invoices_for(_staff(request))).select_related(
            "invoice__client", "practice", "signature", "original"
        ),
        public_id,
    )


def can_correct_invoices(membership: Membership | None) -> bool:
    """Refunds, credit notes and voids change what the practice is owed: the owner's decision."""
    return membership is not None and membership.role == Role.OWNER


def can_keep_billing_profile(membership: Membership | None) -> bool:
    """Registration number and signature belong to those who treat and so sign receipts."""
    return membership is not None and membership.provides_treatment


def portal_invoices(client: Client):
    from bodymap.billing.models import Invoice

    return Invoice.objects.filter(client=client, practice=client.practice)


def _portal_client(request) -> Client:
    client = getattr(request, "portal_client", None)
    if client is None:
        raise Http404
    return client


def get_portal_receipt(request, public_id):
    from bodymap.billing.models import Receipt

    return _one(
        Receipt.objects.filter(invoice__in=portal_invoices(_portal_client(request))).select_related(
            "invoice", "practice", "signature", "original"
        ),
        public_id,
    )


def get_signature_for_user(request, public_id):
    """A therapist's signature image: to that therapist and the owner only."""
    from bodymap.billing.models import StaffSignature

    membership = _staff(request)
    qs = StaffSignature.objects.filter(membership__practice=membership.practice)
    if membership.role != Role.OWNER:
        qs = qs.filter(membership=membership)
    return _one(qs, public_id)


def can_sell_gift_cards(membership: Membership | None) -> bool:
    """Gift cards are sold and looked up at the desk: the owner and front desk."""
    return membership is not None and membership.role in (Role.OWNER, Role.FRONT_DESK)


def gift_cards_for(membership: Membership):
    from bodymap.billing.models import GiftCard

    if not can_sell_gift_cards(membership):
        return GiftCard.objects.none()
    return GiftCard.objects.filter(practice=membership.practice)


# Staff calendar and desk booking ----------------------------------------------------------------
# The grid shows the diaries calendar_therapists_for allows; the desk's client picker searches the
# clients the acting member may see; a clash names its client only to someone who may see them.


def desk_clients_for(membership: Membership):
    """The clients the acting member of staff may pick when booking: active ones they may see."""
    return clients_for(membership).filter(is_active=True)


def may_name_client(membership: Membership, client_id: int) -> bool:
    return clients_for(membership).filter(pk=client_id).exists()


# Data in and out (bodymap.exchange) -----------------------------------------------------------------


def may_move_practice_data(membership: Membership | None) -> bool:
    """Importing clients, exporting everything and destroying records past retention: the owner only,
    since each touches every client of the practice."""
    return membership is not None and membership.role == Role.OWNER


def get_records_client_for_user(request, public_id) -> Client:
    """A client whose own records a member of staff may hand over on an access request: whoever may
    see the clinical record (the owner, the client's therapist). Front desk sees no clinical content."""
    return get_clinical_client_for_user(request, public_id)


def may_download_own_records(user, client: Client) -> bool:
    """A portal account downloads the records of the person it belongs to, or of a child it acts for;
    never another adult's of the family (the same rule as signing consent)."""
    return may_sign_consent_in_portal(user, client)


# Waitlist and client self-service --------------------------------------------------------------
# Staff: the owner and front desk manage the whole practice's waitlist; a therapist the entries of
# clients they may see. A slot is offered with a therapist whose calendar the acting user runs.
# Portal: one account may hold several client records sharing its address (a family). The account
# books, moves and cancels for each of them; consent is signed by the person it is about, or by a
# parent or guardian for a child under 16 — never by another adult of the family.


def waitlist_for(membership: Membership):
    from bodymap.booking.models import WaitlistEntry

    qs = WaitlistEntry.objects.filter(practice=membership.practice)
    if sees_whole_practice(membership):
        return qs
    return qs.filter(client__in=clients_for(membership))


def get_waitlist_entry_for_user(request, public_id):
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    return _one(
        waitlist_for(membership).select_related("client", "service", "therapist__user", "practice", "offer"),
        public_id,
    )


def portal_family(user):
    """Every client record a portal account manages, oldest first (the account holder's usually)."""
    return portal_clients(user).order_by("created_at", "id")


def portal_account_holder(user) -> Client | None:
    """The person the account belongs to: the record whose name is the account's, else the oldest."""
    family = list(portal_family(user))
    named = [c for c in family if c.full_name.casefold() == (user.full_name or "").casefold()]
    return named[0] if len(named) == 1 else (family[0] if family else None)


def may_sign_consent_in_portal(user, client: Client) -> bool:
    """Consent is the person's own: the account holder signs theirs; for another family member
    only while they are a child, when the form asks a parent or guardian to sign."""
    from bodymap.consent.forms import is_minor

    holder = portal_account_holder(user)
    return holder is not None and (client.pk == holder.pk or is_minor(client))


def may_see_health_record_in_portal(user, client: Client) -> bool:
    """An adult's intake, consent and progress are theirs alone; bookings are shared in a family."""
    return may_sign_consent_in_portal(user, client)


def get_portal_appointment(request, public_id) -> Appointment:
    """An appointment of any client record the signed-in portal account manages."""
    appointment = (
        Appointment.objects.filter(client__in=portal_clients(request.user), public_id=public_id)
        .select_related("client", "practice", "service", "therapist__user")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def get_portal_waitlist_entry(request, public_id):
    from bodymap.booking.models import WaitlistEntry

    return _one(
        WaitlistEntry.objects.filter(client__in=portal_clients(request.user)).select_related(
            "client", "service", "practice"
        ),
        public_id,
    )


# Packages and online payment ----------------------------------------------------------------
# Packages are sold and written off at the desk (the owner and front desk); voiding one is the
# owner's correction. A therapist sees the packages of the clients they may see; a portal client
# sees their own, and pays their own invoices online.


def can_sell_packages(membership: Membership | None) -> bool:
    return membership is not None and membership.role in (Role.OWNER, Role.FRONT_DESK)


def packages_for(membership: Membership):
    from bodymap.billing.models import Package

    qs = Package.objects.filter(practice=membership.practice)
    if membership.role in (Role.OWNER, Role.FRONT_DESK):
        return qs
    return qs.filter(client__in=clients_for(membership))


def get_package_for_user(request, public_id):
    """A package the acting member of staff may write off: the owner's and front desk's."""
    membership = _staff(request)
    if not can_sell_packages(membership):
        raise Http404
    return _one(packages_for(membership).select_related("client", "service", "practice"), public_id)


def portal_packages(client: Client):
    from bodymap.billing.models import Package

    return Package.objects.filter(client=client, practice=client.practice)


def get_portal_invoice(request, public_id):
    return _one(portal_invoices(_portal_client(request)).select_related("practice"), public_id)


# --- The clinic's own face: therapist bios and photos ------------------------------------------


def profiles_for(membership: Membership):
    """Whose public bio and photo this member may edit: the owner everyone who treats, a therapist
    only their own."""
    qs = Membership.objects.filter(practice=membership.practice, provides_treatment=True)
    if membership.role == Role.OWNER:
        return qs
    return qs.filter(pk=membership.pk)


def get_profile_for_user(request, public_id) -> Membership:
    return _one(profiles_for(_staff(request)).select_related("user", "practice"), public_id)
