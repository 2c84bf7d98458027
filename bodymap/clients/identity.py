"""Who a client record belongs to: merging possible duplicates, proving an address, changing an email
and reviewing contact details typed on an intake link. Each write runs in a transaction with its
audit entry; email goes on commit.

Input from someone who is not signed in never attaches to, merges or re-binds an existing client.
Only two things tie a person to a record: a member of staff's audited decision, or a link sent to the
address on file and used from there.
"""

from datetime import timedelta

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment, WaitlistEntry
from bodymap.clients.models import Client, ContactChange

EMAIL_SALT = "bodymap.clients.email-change"
RETURNING_SALT = "bodymap.booking.returning"
EMAIL_CHANGE_DAYS = 3
RETURNING_DAYS = 30


class CannotMerge(Exception):
    """The two records cannot be merged (explained by the message)."""


def _mail(template: str, context: dict, to: str):
    subject = render_to_string(f"clients/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"clients/email/{template}_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _loads(token: str, salt: str, days: int):
    try:
        data = signing.loads(token, salt=salt, max_age=timedelta(days=days))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return data if isinstance(data, dict) else None


# Possible duplicates ---------------------------------------------------------------------------


def same_address_candidates(client: Client):
    """Other active clients of the practice on file with this client's address: who an online
    booker might be. A family sharing an address gives several."""
    if not client.email:
        return Client.objects.none()
    return (
        Client.objects.filter(practice=client.practice, email__iexact=client.email, is_active=True)
        .exclude(pk=client.pk)
        .filter(merged_into__isnull=True, possible_duplicate_of__isnull=True)
        .order_by("created_at", "id")
    )


def _move_bookings(duplicate: Client, into: Client) -> list[str]:
    appointments = list(Appointment.objects.filter(client=duplicate).values_list("public_id", flat=True))
    moved = Appointment.objects.filter(client=duplicate)
    # A member of staff says these are one person; that does not prove who booked online, so those
    # bookings open nothing of the client's chart to their therapist until the booker claims them.
    moved.filter(booked_online=True).update(identity_confirmed=False)
    moved.update(client=into)
    WaitlistEntry.objects.filter(client=duplicate).update(client=into)
    return [str(p) for p in appointments]


def _retire(duplicate: Client, into: Client):
    duplicate.merged_into = into
    duplicate.is_active = False
    duplicate.save(update_fields=["merged_into", "is_active", "updated_at"])


@transaction.atomic
def merge_clients(*, duplicate: Client, into: Client, membership, request=None) -> Client:
    """Staff decide that an online booking's client is someone already on file: the bookings move
    across and the duplicate record is archived, pointing at the one it was merged into. Anything
    clinical the duplicate holds (an intake filled in from its own link) stays with it."""
    duplicate = Client.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id or not duplicate.is_active:
        raise CannotMerge("already merged")
    if into.practice_id != duplicate.practice_id or into.pk == duplicate.pk or not into.is_active:
        raise CannotMerge("not a client of this practice")
    if duplicate.notes.exists():
        raise CannotMerge("session notes")
    moved = _move_bookings(duplicate, into)
    _retire(duplicate, into)
    record(
        actor=membership.user,
        practice=duplicate.practice,
        action=AuditAction.CHANGE,
        subject_type="client",
        subject_public_id=duplicate.public_id,
        request=request,
        fields=["merged_into", "is_active"],
        merged_into=str(into.public_id),
        appointments=moved,
    )
    return into


@transaction.atomic
def dismiss_duplicate(*, client: Client, membership, request=None) -> Client:
    """Staff decide that a possible duplicate is a different person (a family sharing an address)."""
    Client.objects.filter(pk=client.pk).update(possible_duplicate_of=None, updated_at=timezone.now())
    record(
        actor=membership.user,
        practice=client.practice,
        action=AuditAction.CHANGE,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        fields=["possible_duplicate_of"],
        decision="different person",
    )
    client.possible_duplicate_of = None
    return client


def returning_token(appointment: Appointment) -> str:
    return signing.dumps({"a": str(appointment.public_id)}, salt=RETURNING_SALT, compress=True)


def returning_path(appointment: Appointment) -> str:
    """The link, mailed to the booking's address, by which the booker says which client they are."""
    return reverse("booking_public:returning", args=[returning_token(appointment)])


def appointment_for_returning_token(token: str) -> Appointment | None:
    """The online booking a claim link was made for, while it is still waiting to be claimed: its
    client a possible duplicate, or merged by staff without proof. None otherwise."""
    data = _loads(token, RETURNING_SALT, RETURNING_DAYS)
    if data is None or not isinstance(data.get("a"), str):
        return None
    return (
        Appointment.objects.select_related("client__practice", "practice", "therapist__user")
        .filter(public_id=data["a"], booked_online=True)
        .filter(
            Q(identity_confirmed=False)
            | Q(client__possible_duplicate_of__isnull=False, client__merged_into__isnull=True)
        )
        .first()
    )


def claim_candidates(appointment: Appointment):
    """Whom the booker of an online booking may say they are: the clients on file with the address it
    was booked with (including the one staff merged it into), never the provisional record itself."""
    client = appointment.client
    return (
        Client.objects.filter(practice=client.practice, email__iexact=client.email, is_active=True)
        .filter(merged_into__isnull=True, possible_duplicate_of__isnull=True)
        .order_by("created_at", "id")
    )


@transaction.atomic
def confirm_returning_client(*, appointment: Appointment, client: Client, request=None) -> Client:
    """The booker, from the link sent to the address, says which client on file they are. The address
    is proven, so the booking moves to that client and counts as theirs."""
    locked = Appointment.objects.select_for_update().select_related("client").get(pk=appointment.pk)
    booked_as = locked.client
    if not client.email or not claim_candidates(locked).filter(pk=client.pk).exists():
        raise CannotMerge("not the same address")
    if booked_as.pk != client.pk:
        Appointment.objects.filter(pk=locked.pk).update(client=client, identity_confirmed=True)
        if booked_as.possible_duplicate_of_id and not booked_as.appointments.exists():
            _retire(booked_as, client)
    else:
        Appointment.objects.filter(pk=locked.pk).update(identity_confirmed=True)
    record(
        actor=None,
        actor_label="client (link sent to their address)",
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="appointment",
        subject_public_id=locked.public_id,
        request=request,
        fields=["client", "identity_confirmed"],
        client=str(client.public_id),
        booked_as=str(booked_as.public_id),
    )
    return client


# Email changes ---------------------------------------------------------------------------------


def email_change_token(client: Client, new_email: str) -> str:
    payload = {"c": str(client.public_id), "to": new_email.lower(), "from": client.email.lower()}
    return signing.dumps(payload, salt=EMAIL_SALT, compress=True)


@transaction.atomic
def request_email_change(*, client: Client, new_email: str, actor, request) -> None:
    """Ask the new address to confirm before it replaces the one on file, and tell the old one. Until
    then the portal, intake links and booking emails keep using the address the client gave."""
    new_email = new_email.strip().lower()
    url = request.build_absolute_uri(
        reverse("clients:confirm_email", args=[email_change_token(client, new_email)])
    )
    context = {"client": client, "practice": client.practice, "url": url, "days": EMAIL_CHANGE_DAYS}
    _mail("confirm_email", context, new_email)
    if client.email:
        _mail("email_change_notice", {"client": client, "practice": client.practice}, client.email)
    record(
        actor=actor,
        practice=client.practice,
        action=AuditAction.LINK_SENT,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        purpose="confirm new email",
    )


def email_change_for_token(token: str) -> tuple[Client, str] | None:
    """(client, new address) for a live confirmation link, or None when it is forged, expired, used,
    or the address on file has changed since it was sent."""
    data = _loads(token, EMAIL_SALT, EMAIL_CHANGE_DAYS)
    if data is None or not all(isinstance(data.get(k), str) for k in ("c", "to", "from")):
        return None
    client = Client.objects.select_related("practice").filter(public_id=data["c"], is_active=True).first()
    if client is None or client.email.lower() != data["from"]:
        return None
    return client, data["to"]


@transaction.atomic
def confirm_email_change(*, client: Client, new_email: str, request=None) -> Client:
    """The new address confirmed: it goes on file. A portal account bound through the old address no
    longer opens this record; the client signs in again through a link sent to the new one."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    locked.email = new_email
    locked.user = None
    locked.save(update_fields=["email", "user", "updated_at"])
    record(
        actor=None,
        actor_label="client (link sent to the new address)",
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="client",
        subject_public_id=locked.public_id,
        request=request,
        fields=["email", "user"],
    )
    return locked


# Contact details from an intake link -----------------------------------------------------------


def propose_contact_change(*, client: Client, proposed: dict, intake, actor, actor_label, request):
    """Keep contact details typed on an intake for staff review instead of writing them to the record.
    Called inside the intake's submission transaction."""
    values = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in proposed.items()}
    change = ContactChange.objects.create(client=client, proposed=values, intake=intake)
    record(
        actor=actor,
        actor_label=actor_label,
        practice=client.practice,
        action=AuditAction.CREATE,
        subject_type="contact_change",
        subject_public_id=change.public_id,
        request=request,
        client=str(client.public_id),
        fields=sorted(values),
    )
    return change


@transaction.atomic
def review_contact_change(*, change: ContactChange, accept: bool, membership, request) -> ContactChange:
    """Staff accept or dismiss contact details from an intake. Accepted details go on file, except a
    new email, which the new address must confirm first."""
    locked = ContactChange.objects.select_for_update().select_related("client__practice").get(pk=change.pk)
    if locked.decision != ContactChange.Decision.PENDING:
        return locked
    client = locked.client
    applied = []
    if accept:
        for name, value in locked.proposed.items():
            if name == "email":
                continue
            field = Client._meta.get_field(name)
            setattr(client, name, field.to_python(value))
            applied.append(name)
        if applied:
            client.save(update_fields=[*applied, "updated_at"])
        new_email = locked.proposed.get("email")
        if new_email and new_email.lower() != client.email.lower():
            request_email_change(client=client, new_email=new_email, actor=membership.user, request=request)
    locked.decision = ContactChange.Decision.ACCEPTED if accept else ContactChange.Decision.DISMISSED
    locked.decided_by = membership.user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    record(
        actor=membership.user,
        practice=client.practice,
        action=AuditAction.CHANGE,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        fields=sorted(applied),
        contact_change=str(locked.public_id),
        decision=locked.decision,
    )
    return locked
