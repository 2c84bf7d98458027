"""Writes of bookings. Each runs in a transaction with its audit entry; email goes on commit.

No double booking: every write that gives a therapist's time to someone checks for an overlap inside
its transaction and then inserts, and the database has the last word.
- PostgreSQL: an exclusion constraint (migration 0003) refuses an overlapping row, however many
  transactions race; the loser's IntegrityError becomes SlotTaken.
- SQLite: transactions begin IMMEDIATE (settings), so the write lock is taken before the check and
  writers run one after the other: the check sees every committed booking. Triggers (migration 0003)
  refuse an overlapping row as well.
"""

import json
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.booking import emails
from bodymap.booking.availability import free_slots, is_bookable, rules_for
from bodymap.booking.models import (
    Appointment,
    AppointmentStatus,
    Service,
    WaitlistEntry,
    WaitlistStatus,
)
from bodymap.clients.models import Client

logger = logging.getLogger(__name__)
OVERLAP = "appointment_therapist_no_overlap"


class SlotTaken(Exception):
    """The time is no longer free."""


class NotBookable(Exception):
    """The time is outside what the practice offers (hours, notice, horizon, step)."""


class ClientBusy(Exception):
    """The client already has time booked then, with this therapist or another."""


class KeyReused(Exception):
    """An idempotency key came back with a different request: never the first booking's answer."""


def request_fingerprint(*, service, therapist, start, client_details) -> str:
    """A keyed hash of an online booking request: what was asked for, by whom."""
    details = client_details or {}
    asked = [
        service.pk,
        therapist.pk if therapist is not None else "any",
        start.astimezone(ZoneInfo("UTC")).isoformat(),
        (details.get("name") or "").strip(),
        (details.get("email") or "").strip().lower(),
        (details.get("phone") or "").strip(),
    ]
    return salted_hmac("bodymap.booking.idempotency", json.dumps(asked), algorithm="sha256").hexdigest()


def _replayed(practice, idempotency_key, fingerprint):
    """The booking a repeated key made, if the request is the same one; KeyReused if it is not."""
    first = Appointment.objects.filter(practice=practice, idempotency_key=idempotency_key).first()
    if first is not None and not constant_time_compare(
        first.idempotency_fingerprint or "", fingerprint or ""
    ):
        raise KeyReused
    return first


def _send(message):
    """Send after commit; a failing mail server must not undo a booking that is already made."""
    try:
        message.send()
    except Exception:
        logger.exception("booking email to %s failed", message.to)


def _release_expired_holds(therapist, start, end, now):
    """Waitlist holds that ran out stop holding time. Done inside the write's transaction."""
    expired = Appointment.objects.filter(
        therapist=therapist, status=AppointmentStatus.HELD, hold_expires_at__lte=now
    ).between(start - timedelta(days=1), end + timedelta(days=1))
    expired.update(status=AppointmentStatus.CANCELLED, cancelled_at=now)


def _busy_therapists(start, end):
    return Appointment.objects.blocking(start, end).values("therapist")


def _is_overlap(error: IntegrityError) -> bool:
    return OVERLAP in str(error)


def _actor_user(actor):
    """The user behind an action: staff act as their membership; a portal client as their account."""
    return actor.user if isinstance(actor, Membership) else actor


def create_online_client(*, practice, name: str, email: str, phone: str, request=None) -> Client:
    """A new client for an online booking. Anyone can type anyone's email, so a match never attaches
    the booking to that person: the new record is marked as a possible duplicate instead, for staff
    to merge or for the booker to claim through a link sent to the address."""
    match = (
        Client.objects.filter(practice=practice, email__iexact=email, is_active=True)
        .order_by("created_at", "id")
        .first()
    )
    first, _sep, last = name.strip().partition(" ")
    client = Client.objects.create(
        practice=practice,
        first_name=first,
        last_name=last.strip(),
        email=email.lower(),
        phone=phone,
        possible_duplicate_of=match,
    )
    record(
        actor=None,
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="client",
        subject_public_id=client.public_id,
        request=request,
        via="online booking",
        possible_duplicate=match is not None,
        fields=sorted(
            k
            for k, v in {"first_name": first, "last_name": last, "email": email, "phone": phone}.items()
            if v
        ),
    )
    return client


def _after_booking(appointment: Appointment, request, *, moved=False):
    from bodymap.booking import tasks

    message = emails.confirmation(appointment, request, moved=moved)
    rules = rules_for(appointment.practice)
    remind_at = appointment.start - timedelta(hours=rules.reminder_hours)

    def on_commit():
        _send(message)
        # Booked within the reminder window: the confirmation just sent is the reminder.
        if remind_at > timezone.now():
            tasks.enqueue_reminder(appointment, remind_at)

    transaction.on_commit(on_commit)


def book_online(
    *, practice, service, therapist, start, client_details, request, idempotency_key
) -> Appointment:
    """An online booking with one therapist, or with "anyone" (`therapist` None): the therapists free
    at `start` are tried in the order availability lists them. Raises SlotTaken when nobody could
    take it, NotBookable when the time breaks the practice's rules."""
    from bodymap.booking.public import public_therapists

    fingerprint = request_fingerprint(
        service=service, therapist=therapist, start=start, client_details=client_details
    )
    if therapist is not None:
        candidates = [therapist]
    else:
        day = timezone.localtime(start, ZoneInfo(practice.timezone)).date()
        candidates = [s.therapist for s in free_slots(practice, service, day, day) if s.start == start]
        # Nobody free: try those whose time there is taken, so a booker who lost the race hears
        # "taken"; when nobody is busy either, one try gives the rules' reason.
        offering = public_therapists(practice).filter(services=service)
        candidates = (
            candidates
            or list(offering.filter(pk__in=_busy_therapists(start, start + service.duration)))
            or list(offering[:1])
        )
    for candidate in candidates:
        try:
            appointment, _created = book_appointment(
                practice=practice,
                service=service,
                therapist=candidate,
                start=start,
                client_details=client_details,
                request=request,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
                online=True,
            )
        except SlotTaken:
            continue
        return appointment
    raise SlotTaken


def book_appointment(
    *,
    practice,
    service: Service,
    therapist: Membership,
    start: datetime,
    client: Client | None = None,
    client_details: dict | None = None,
    actor: Membership | None = None,
    request=None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
    online: bool = False,
    now: datetime | None = None,
    via: str = "",
    check_client: bool = False,
) -> tuple[Appointment, bool]:
    """Book `service` with `therapist` at `start`. Returns (appointment, created); with a known
    idempotency key and the same `fingerprint`, the first booking and False. Raises SlotTaken,
    NotBookable, or KeyReused when the key comes back with a different request."""
    now = now or timezone.now()
    end = start + service.duration
    holds_until = end + service.buffer
    try:
        with transaction.atomic():
            if idempotency_key:
                first = _replayed(practice, idempotency_key, fingerprint)
                if first is not None:
                    return first, False
            _release_expired_holds(therapist, start, holds_until, now)
            if online and not is_bookable(practice, service, therapist, start, now=now):
                # Outside hours, notice or horizon, or taken: tell which, from inside the lock.
                if Appointment.objects.filter(therapist=therapist).blocking(start, holds_until, now).exists():
                    raise SlotTaken
                raise NotBookable
            if Appointment.objects.filter(therapist=therapist).blocking(start, holds_until, now).exists():
                raise SlotTaken
            if check_client and client_is_busy(client, start, end, now=now):
                raise ClientBusy
            # An online booking always creates its client, so the record holds only what the
            # booker typed and may open to the therapist; a merge later decides about the rest.
            if client is None:
                client = create_online_client(practice=practice, request=request, **client_details)
            appointment = Appointment.objects.create(
                practice=practice,
                client=client,
                therapist=therapist,
                service=service,
                service_name=service.name,
                start=start,
                end=end,
                holds_until=holds_until,
                booked_online=online,
                idempotency_key=idempotency_key or "",
                idempotency_fingerprint=fingerprint if idempotency_key else None,
            )
            record(
                actor=_actor_user(actor),
                practice=practice,
                action=AuditAction.CREATE,
                subject_type="appointment",
                subject_public_id=appointment.public_id,
                request=request,
                client=str(client.public_id),
                via=via or ("online booking" if online else "calendar"),
            )
            _after_booking(appointment, request)
            return appointment, True
    except IntegrityError as error:
        if idempotency_key:
            first = _replayed(practice, idempotency_key, fingerprint)
            if first is not None:
                return first, False
        if _is_overlap(error):
            raise SlotTaken from error
        raise


def move_appointment(
    *,
    appointment: Appointment,
    start: datetime,
    therapist: Membership | None = None,
    actor: Membership | None = None,
    request=None,
    online: bool = False,
    now: datetime | None = None,
    via: str = "",
    check_client: bool = False,
) -> Appointment:
    """Move an appointment to a new time (and therapist). Raises SlotTaken or NotBookable; with
    `check_client`, ClientBusy when the client is booked elsewhere then."""
    now = now or timezone.now()
    therapist = therapist or appointment.therapist
    length = appointment.end - appointment.start
    buffer = appointment.blocked_until - appointment.end
    end, holds_until = start + length, start + length + buffer
    old_start = appointment.start
    try:
        with transaction.atomic():
            locked = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("practice", "client", "service", "therapist__user")
                .get(pk=appointment.pk)
            )
            if locked.status not in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN):
                raise NotBookable
            _release_expired_holds(therapist, start, holds_until, now)
            clash = (
                Appointment.objects.filter(therapist=therapist)
                .exclude(pk=locked.pk)
                .blocking(start, holds_until, now)
                .exists()
            )
            if clash:
                raise SlotTaken
            if check_client and client_is_busy(locked.client, start, end, now=now, ignore=locked):
                raise ClientBusy
            if online and locked.service is not None:
                slots = free_slots(
                    locked.practice,
                    locked.service,
                    start.date() - timedelta(days=1),
                    start.date() + timedelta(days=1),
                    therapist=therapist,
                    now=now,
                    ignore=locked,
                )
                if not any(s.start == start for s in slots):
                    raise NotBookable
            fields = sorted(
                name
                for name, changed in (
                    ("start", start != locked.start),
                    ("therapist", therapist != locked.therapist),
                )
                if changed
            )
            locked.start, locked.end, locked.holds_until, locked.therapist = (
                start,
                end,
                holds_until,
                therapist,
            )
            locked.reminder_sent_at = None
            locked.save(update_fields=["start", "end", "holds_until", "therapist", "reminder_sent_at"])
            record(
                actor=_actor_user(actor),
                practice=locked.practice,
                action=AuditAction.CHANGE,
                subject_type="appointment",
                subject_public_id=locked.public_id,
                request=request,
                fields=fields,
                via=via or ("manage link" if online else "calendar"),
            )
            _after_booking(locked, request, moved=True)
            if start != old_start or therapist.pk != appointment.therapist_id:
                _offer_on_commit(appointment.therapist_id, old_start, appointment.blocked_until)
    except IntegrityError as error:
        if _is_overlap(error):
            raise SlotTaken from error
        raise
    return locked


def _offer_on_commit(therapist_id, start, end):
    from bodymap.booking import tasks

    transaction.on_commit(lambda: tasks.enqueue_offer(therapist_id, start, end))


@transaction.atomic
def cancel_appointment(
    *, appointment: Appointment, actor: Membership | None = None, request=None, notify=True, via=""
):
    """Cancel: the slot is free again at once, and the waitlist is offered it."""
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("practice", "client", "therapist__user")
        .get(pk=appointment.pk)
    )
    if locked.status == AppointmentStatus.CANCELLED:
        return locked
    previous = locked.status
    locked.status = AppointmentStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    record(
        actor=_actor_user(actor),
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="appointment",
        subject_public_id=locked.public_id,
        request=request,
        fields=["status"],
        status="cancelled",
        via=via or ("calendar" if actor else "manage link"),
    )
    if notify and previous != AppointmentStatus.HELD and locked.client.email:
        message = emails.cancellation(locked, request)
        transaction.on_commit(lambda: _send(message))
    if locked.end > timezone.now():
        _offer_on_commit(locked.therapist_id, locked.start, locked.blocked_until)
    return locked


@transaction.atomic
def set_status(*, appointment: Appointment, status: str, actor: Membership, request=None) -> Appointment:
    """Check in, complete or mark a no-show. Cancelling goes through cancel_appointment."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    allowed = {AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW}
    if status not in allowed or locked.status in (AppointmentStatus.CANCELLED, AppointmentStatus.HELD):
        raise NotBookable
    locked.status = status
    locked.save(update_fields=["status"])
    record(
        actor=actor.user,
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="appointment",
        subject_public_id=locked.public_id,
        request=request,
        fields=["status"],
        status=status,
    )
    return locked


@transaction.atomic
def join_waitlist(
    *, practice, service, client, earliest, latest, therapist=None, actor=None, request=None, via=""
):
    """Put a client in line for `service` (with one therapist, or anyone) between two dates."""
    entry = WaitlistEntry.objects.create(
        practice=practice,
        client=client,
        service=service,
        therapist=therapist,
        earliest=earliest,
        latest=latest,
    )
    record(
        actor=_actor_user(actor),
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="waitlist",
        subject_public_id=entry.public_id,
        request=request,
        client=str(client.public_id),
        via=via or ("calendar" if isinstance(actor, Membership) else "online booking"),
    )
    return entry


@transaction.atomic
def join_waitlist_online(*, practice, service, therapist, client_details, earliest, latest, request=None):
    """The public page's waitlist: like an online booking, it makes its own client record (see
    create_online_client), so a typed email attaches nothing to whoever has it on file."""
    client = create_online_client(practice=practice, request=request, **client_details)
    return join_waitlist(
        practice=practice,
        service=service,
        client=client,
        earliest=earliest,
        latest=latest,
        therapist=therapist,
        request=request,
        via="online booking",
    )


@transaction.atomic
def leave_waitlist(*, entry: WaitlistEntry, actor=None, request=None, via="") -> WaitlistEntry:
    """Take a client off the waitlist. A slot held for them is let go at once and offered on."""
    locked = WaitlistEntry.objects.select_for_update(of=("self",)).select_related("offer").get(pk=entry.pk)
    if locked.status in (WaitlistStatus.WITHDRAWN, WaitlistStatus.BOOKED):
        return locked
    held = locked.offer
    locked.status = WaitlistStatus.WITHDRAWN
    locked.offer = None
    locked.save(update_fields=["status", "offer"])
    record(
        actor=_actor_user(actor),
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="waitlist",
        subject_public_id=locked.public_id,
        request=request,
        fields=["status"],
        status="withdrawn",
        via=via or ("calendar" if isinstance(actor, Membership) else "portal"),
    )
    if held is not None and held.status == AppointmentStatus.HELD:
        cancel_appointment(appointment=held, actor=actor, request=request, notify=False, via="waitlist left")
    return locked


def offer_slot(*, entry: WaitlistEntry, therapist: Membership, start: datetime, actor, request=None):
    """Staff offer a waitlisted client a time: it is held for them and they are emailed the link.
    Raises SlotTaken, ClientBusy, or NotBookable when the entry is no longer waiting."""
    from bodymap.booking import tasks
    from bodymap.booking.links import absolute, offer_path

    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != WaitlistStatus.WAITING:
            raise NotBookable
        held = _hold(entry=entry, therapist=therapist, start=start, actor=actor, request=request)
        held = Appointment.objects.select_related("practice", "client", "therapist__user").get(pk=held.pk)
        message = emails.waitlist_offer(held, absolute(offer_path(entry, held), request))

        def on_commit():
            _send(message)
            tasks.expire_offer.using(run_after=held.hold_expires_at).enqueue(held.pk)

        transaction.on_commit(on_commit)
    return held


def accept_offer(*, entry: WaitlistEntry, appointment: Appointment, request=None) -> Appointment:
    """The waitlisted client takes the slot held for them. Raises SlotTaken once the hold ran out."""
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("practice", "client", "service", "therapist__user")
            .get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.HELD or locked.hold_expires_at <= timezone.now():
            raise SlotTaken
        locked.status = AppointmentStatus.BOOKED
        locked.hold_expires_at = None
        locked.save(update_fields=["status", "hold_expires_at"])
        WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.BOOKED)
        record(
            actor=None,
            practice=locked.practice,
            action=AuditAction.CHANGE,
            subject_type="appointment",
            subject_public_id=locked.public_id,
            request=request,
            fields=["status"],
            status="booked",
            via="waitlist offer",
        )
        _after_booking(locked, request)
    return locked


def client_is_busy(client, start, end, *, now=None, ignore=None) -> bool:
    """Whether the client already has time booked (or held for them) that overlaps [start, end),
    with any therapist: one person cannot be on two tables at once."""
    qs = Appointment.objects.filter(client=client).blocking(start, end, now)
    if ignore is not None:
        qs = qs.exclude(pk=ignore.pk)
    # The treatment time counts, not the therapist's turnover buffer after it.
    return qs.filter(end__gt=start).exists()


def hold_for_waitlist(*, entry: WaitlistEntry, therapist: Membership, start: datetime, now=None):
    """Hold a freed slot for a waitlisted client. Returns the held appointment, or None if taken
    or if the client is booked elsewhere at that time."""
    try:
        return _hold(entry=entry, therapist=therapist, start=start, now=now)
    except (SlotTaken, ClientBusy):
        return None


def _hold(
    *, entry: WaitlistEntry, therapist: Membership, start: datetime, now=None, actor=None, request=None
):
    now = now or timezone.now()
    rules = rules_for(entry.practice)
    service = entry.service
    end = start + service.duration
    try:
        with transaction.atomic():
            _release_expired_holds(therapist, start, end + service.buffer, now)
            if (
                Appointment.objects.filter(therapist=therapist)
                .blocking(start, end + service.buffer, now)
                .exists()
            ):
                raise SlotTaken
            # Never held at a time the client is already booked, with this therapist or another.
            if client_is_busy(entry.client, start, end, now=now):
                raise ClientBusy
            appointment = Appointment.objects.create(
                practice=entry.practice,
                client=entry.client,
                therapist=therapist,
                service=service,
                service_name=service.name,
                start=start,
                end=end,
                holds_until=end + service.buffer,
                status=AppointmentStatus.HELD,
                hold_expires_at=now + timedelta(minutes=rules.waitlist_hold_minutes),
            )
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitlistStatus.OFFERED, offer=appointment)
            record(
                actor=_actor_user(actor),
                practice=entry.practice,
                action=AuditAction.CREATE,
                subject_type="appointment",
                subject_public_id=appointment.public_id,
                request=request,
                client=str(entry.client.public_id),
                via="waitlist offer",
            )
            return appointment
    except IntegrityError as error:
        if _is_overlap(error):
            raise SlotTaken from error
        raise


@transaction.atomic
def release_hold(*, appointment: Appointment) -> bool:
    """A hold ran out: free the slot and put the client back in line (not for this slot again)."""
    locked = Appointment.objects.select_for_update().filter(pk=appointment.pk).first()
    if locked is None or locked.status != AppointmentStatus.HELD:
        return False
    locked.status = AppointmentStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    for entry in WaitlistEntry.objects.select_for_update().filter(offer=locked):
        entry.status = WaitlistStatus.WAITING
        entry.offer = None
        entry.declined = [*entry.declined, locked.start.isoformat()]
        entry.save(update_fields=["status", "offer", "declined"])
    record(
        actor=None,
        practice=locked.practice,
        action=AuditAction.CHANGE,
        subject_type="appointment",
        subject_public_id=locked.public_id,
        fields=["status"],
        status="cancelled",
        via="waitlist hold expired",
    )
    _offer_on_commit(locked.therapist_id, locked.start, locked.blocked_until)
    return True
