"""Who may see what. Every view fetches records through these helpers.

- The owner sees everything in the practice.
- A therapist sees the clients assigned to them or booked with them.
- Front desk sees the schedule and contact details, never clinical records.
- A client sees only their own records, in the portal.

Anyone else gets a 404, never a 403 that would confirm the record exists.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from bodymap.accounts.models import Membership, Role
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client


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


def staff_required(view):
    """Signed-in practice staff only; a signed-in client or stranger gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_for(request.user)
        if membership is None:
            raise Http404
        request.membership = membership
        # Times are stored in UTC and shown in the practice's own zone.
        with timezone.override(membership.practice.timezone):
            return view(request, *args, **kwargs)

    return wrapper


def owner_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership.role != Role.OWNER:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def client_user_required(view):
    """Signed-in portal clients only; staff and strangers get a 404."""

    @login_required(login_url="portal:login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if membership_for(request.user) is not None:
            raise Http404
        client = portal_clients(request.user).order_by("created_at", "id").first()
        if client is None:
            raise Http404
        request.portal_client = client
        with timezone.override(client.practice.timezone):
            return view(request, *args, **kwargs)

    return wrapper


# Clients -------------------------------------------------------------------------------------


def clients_for(membership: Membership):
    """The clients this staff member may see at all (contact details at least)."""
    qs = Client.objects.filter(practice=membership.practice)
    if membership.role in (Role.OWNER, Role.FRONT_DESK):
        return qs
    booked_with_me = Appointment.objects.filter(client=OuterRef("pk"), therapist=membership)
    return qs.filter(Q(assigned_therapist=membership) | Exists(booked_with_me))


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


def can_see_clinical(membership: Membership | None, client: Client) -> bool:
    """Clinical records: the owner, and therapists who may see the client. Never front desk."""
    if membership is None or membership.practice_id != client.practice_id:
        return False
    if membership.role == Role.OWNER:
        return True
    if membership.role == Role.THERAPIST:
        return clients_for(membership).filter(pk=client.pk).exists()
    return False


def get_clinical_client_for_user(request, public_id) -> Client:
    """A client whose clinical record the acting user may open; 404 for front desk too."""
    client = get_client_for_user(request, public_id)
    if not can_see_clinical(membership_for(request.user), client):
        raise Http404
    return client


def can_edit_client(membership: Membership, client: Client) -> bool:
    return clients_for(membership).filter(pk=client.pk).exists()


# Appointments --------------------------------------------------------------------------------


def appointments_for(membership: Membership):
    qs = Appointment.objects.filter(practice=membership.practice)
    if membership.role in (Role.OWNER, Role.FRONT_DESK):
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
    """The client records that belong to a signed-in portal user."""
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    return Client.objects.filter(user=user, is_active=True).select_related("practice")


def get_portal_client(request, public_id=None) -> Client:
    qs = portal_clients(request.user)
    if public_id is not None:
        qs = qs.filter(public_id=public_id)
    client = qs.order_by("created_at", "id").first()
    if client is None:
        raise Http404
    return client


def appointments_for_client(client: Client):
    """A portal client's own appointments."""
    return Appointment.objects.filter(client=client).order_by("start", "id")


# Booking -------------------------------------------------------------------------------------


def calendar_therapists_for(membership: Membership):
    """Whose calendars a staff member may open: their own as a therapist; the owner and front desk
    see every therapist in the practice. Front desk sees times and names, never clinical records."""
    qs = Membership.objects.therapists().filter(practice=membership.practice).select_related("user")
    if membership.role in (Role.OWNER, Role.FRONT_DESK):
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


def get_invoice_for_user(request, public_id):
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    invoice = (
        invoices_for(membership)
        .select_related("client", "therapist__user", "appointment__service", "practice")
        .filter(public_id=public_id)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def get_receipt_for_user(request, public_id):
    from bodymap.billing.models import Receipt

    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    receipt = (
        Receipt.objects.filter(invoice__in=invoices_for(membership), public_id=public_id)
        .select_related("invoice__client", "practice", "signature", "original")
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def can_correct_invoices(membership: Membership | None) -> bool:
    """Refunds, credit notes and voids change what the practice is owed: the owner's decision."""
    return membership is not None and membership.role == Role.OWNER


def can_keep_billing_profile(membership: Membership | None) -> bool:
    """Registration number and signature belong to those who treat and so sign receipts."""
    return membership is not None and membership.provides_treatment


def portal_invoices(client: Client):
    from bodymap.billing.models import Invoice

    return Invoice.objects.filter(client=client, practice=client.practice)


def get_portal_receipt(request, public_id):
    from bodymap.billing.models import Receipt

    client = getattr(request, "portal_client", None)
    if client is None:
        raise Http404
    receipt = (
        Receipt.objects.filter(invoice__in=portal_invoices(client), public_id=public_id)
        .select_related("invoice", "practice", "signature", "original")
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def get_signature_for_user(request, public_id):
    """A therapist's signature image: to that therapist and the owner only."""
    from bodymap.billing.models import StaffSignature

    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    qs = StaffSignature.objects.filter(public_id=public_id, membership__practice=membership.practice)
    if membership.role != Role.OWNER:
        qs = qs.filter(membership=membership)
    signature = qs.first()
    if signature is None:
        raise Http404
    return signature


def can_sell_gift_cards(membership: Membership | None) -> bool:
    """Gift cards are sold and looked up at the desk: the owner and front desk."""
    return membership is not None and membership.role in (Role.OWNER, Role.FRONT_DESK)


def gift_cards_for(membership: Membership):
    from bodymap.billing.models import GiftCard

    if not can_sell_gift_cards(membership):
        return GiftCard.objects.none()
    return GiftCard.objects.filter(practice=membership.practice)
