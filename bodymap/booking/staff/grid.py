"""The time grid: one column per therapist and day, in rows of five minutes.

Built from a fixed number of queries whatever the range (hours, day changes, time off, the
appointments with their marks, standing consent, payments), each bounded by the dates shown.
The page places blocks with classes (`at-N`, `len-N` in calendar.css), never inline styles, so the
strict content security policy holds.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.accounts.models import Role
from bodymap.billing.models import CreditNote, Invoice, Payment, PaymentKind
from bodymap.booking.availability import _merge, working_intervals
from bodymap.booking.models import Appointment, AppointmentStatus, DayOverride, TimeOff, WorkingHours
from bodymap.consent.models import ConsentRecord
from bodymap.intake.models import Intake
from bodymap.safety.queries import with_review_flag

ROW_MINUTES = 5
MAX_ROWS = 24 * 60 // ROW_MINUTES
COLOURS = 8  # calendar.css has a colour class per therapist, tg-c0 … tg-c7, reused in turn
DEFAULT_HOURS = (8, 18)


@dataclass
class Block:
    kind: str  # work, break, off, free or appointment
    row: int
    span: int
    start: datetime
    end: datetime
    appointment: Appointment | None = None
    marks: list = field(default_factory=list)


@dataclass
class Column:
    therapist: object
    day: date
    colour: int
    blocks: list
    html: str = ""  # the blocks as markup, filled in by cells.render_columns


@dataclass
class Grid:
    days: list  # [(date, [Column])]
    first_hour: int
    rows: int
    hours: list  # [(row, "09:00")]


def _local_minutes(moment: datetime, day: date, tz: ZoneInfo) -> int:
    """Minutes from the start of `day` (local) to `moment`, clamped to that day."""
    local = moment.astimezone(tz)
    if local.date() < day:
        return 0
    if local.date() > day:
        return 24 * 60
    return local.hour * 60 + local.minute


# What the grid shows of an appointment and its client: a busy day loads hundreds, and the desk's
# grid has no use for a client's contact details.
_APPOINTMENT_FIELDS = (
    "public_id",
    "practice",
    "client",
    "therapist",
    "start",
    "end",
    "holds_until",
    "status",
    "service_name",
)
_CLIENT_FIELDS = ("first_name", "last_name", "preferred_name")


def annotate_marks(appointments):
    """The marks the desk looks for, as annotations: one query for the whole range."""
    earlier = Appointment.objects.filter(client=OuterRef("client"), start__lt=OuterRef("start")).exclude(
        status=AppointmentStatus.CANCELLED
    )
    return with_review_flag(appointments).annotate(
        intake_missing=~Exists(Intake.objects.submitted().filter(client=OuterRef("client"))),
        new_client=~Exists(earlier),
        confirmed_here=Exists(ConsentRecord.objects.filter(appointment=OuterRef("pk"))),
    )


def _paid(appointment_ids) -> set:
    """Appointments with an invoice that is paid in full (payments less refunds cover what is due)."""
    if not appointment_ids:
        return set()

    def total(model, **filters):
        rows = (
            model.objects.filter(invoice=OuterRef("pk"), **filters)
            .values("invoice")
            .annotate(total=Sum("amount_cents"))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    invoices = (
        Invoice.objects.not_void()
        .filter(appointment_id__in=appointment_ids)
        .annotate(
            paid=total(Payment, kind=PaymentKind.PAYMENT),
            refunded=total(Payment, kind=PaymentKind.REFUND),
            credited=total(CreditNote),
        )
        .values_list("appointment_id", "total_cents", "paid", "refunded", "credited")
    )
    return {aid for aid, due, paid, refunded, credited in invoices if paid - refunded >= due - credited}


def _standing_consent(client_ids) -> set:
    """Clients whose standing consent allows work on some sensitive region: before each
    treatment the therapist confirms it with them (when the practice asks for that)."""
    latest = {}
    for record in ConsentRecord.objects.filter(client_id__in=client_ids, appointment__isnull=True).order_by(
        "given_at", "id"
    ):
        latest[record.client_id, record.region] = record
    return {client for (client, _region), record in latest.items() if record.allows_work}


def marks_for(appointment, membership, *, paid: bool, consent_to_confirm: bool) -> list[tuple[str, str]]:
    marks = []
    if appointment.status not in (AppointmentStatus.BOOKED,):
        marks.append((appointment.status, appointment.get_status_display()))
    if appointment.new_client:
        marks.append(("new", _("new client")))
    if appointment.intake_missing:
        marks.append(("intake", _("intake missing")))
    if consent_to_confirm:
        marks.append(("consent", _("consent to confirm")))
    if appointment.needs_review:
        front_desk = membership.role == Role.FRONT_DESK
        marks.append(("review", _("needs review: ask the therapist") if front_desk else _("needs review")))
    if paid:
        marks.append(("paid", _("paid")))
    return marks


def build_grid(membership, therapists, colours, first: date, length: int, now=None) -> Grid:
    """The grid for `therapists` on `length` days from `first`. `colours` maps a therapist's id to
    its colour, kept the same whichever therapists are shown."""
    now = now or timezone.now()
    # Free gaps start on the grid's five-minute rows.
    now = now.replace(second=0, microsecond=0) + timedelta(minutes=-now.minute % ROW_MINUTES or 0)
    practice = membership.practice
    tz = ZoneInfo(practice.timezone)
    last = first + timedelta(days=length - 1)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    ids = [t.pk for t in therapists]

    weekly = defaultdict(list)
    for h in WorkingHours.objects.filter(therapist_id__in=ids).order_by("start"):
        weekly[h.therapist_id, h.weekday].append(h)
    overrides = defaultdict(list)
    for o in DayOverride.objects.filter(therapist_id__in=ids, date__range=(first, last)):
        overrides[o.therapist_id, o.date].append(o)
    away = defaultdict(list)
    for block in TimeOff.objects.filter(therapist_id__in=ids, start__lt=end, end__gt=start):
        away[block.therapist_id].append(block)
    appointments = list(
        annotate_marks(
            Appointment.objects.filter(practice=practice, therapist_id__in=ids)
            .holding_time()
            .between(start, end)
        )
        .select_related("client")
        .only(*_APPOINTMENT_FIELDS, *(f"client__{name}" for name in _CLIENT_FIELDS))
    )
    # The therapists are already at hand: each appointment shares them rather than loading its own.
    by_id = {t.pk: t for t in therapists}
    for a in appointments:
        a.therapist = by_id[a.therapist_id]
    paid = _paid([a.pk for a in appointments])
    to_confirm = (
        _standing_consent({a.client_id for a in appointments})
        if practice.confirm_consent_each_treatment
        else set()
    )
    booked = defaultdict(list)
    for a in appointments:
        booked[a.therapist_id, timezone.localtime(a.start, tz).date()].append(a)

    columns = {}
    earliest, latest = DEFAULT_HOURS[0] * 60, DEFAULT_HOURS[1] * 60
    for day in (first + timedelta(days=i) for i in range(length)):
        for therapist in therapists:
            day_overrides = overrides.get((therapist.pk, day))
            hours = weekly.get((therapist.pk, day.weekday()), ())
            work = working_intervals(day, hours, day_overrides, tz)
            breaks = []
            if day_overrides is None:
                breaks = [
                    (
                        datetime.combine(day, h.break_start, tzinfo=tz),
                        datetime.combine(day, h.break_end, tzinfo=tz),
                    )
                    for h in hours
                    if h.break_start is not None
                ]
            day_start = datetime.combine(day, time.min, tzinfo=tz)
            day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
            offs = [
                (max(b.start, day_start), min(b.end, day_end))
                for b in away[therapist.pk]
                if b.start < day_end and b.end > day_start
            ]
            mine = booked[therapist.pk, day]
            spans = work + [(a.start, a.end) for a in mine]
            for s, e in spans:
                earliest = min(earliest, _local_minutes(s, day, tz))
                latest = max(latest, _local_minutes(e, day, tz))
            busy = _merge([(a.start, a.blocked_until) for a in mine] + offs)
            free = _free(work, busy, now)
            blocks = (
                [Block("work", 0, 0, s, e) for s, e in work]
                + [Block("break", 0, 0, s, e) for s, e in breaks]
                + [Block("off", 0, 0, s, e) for s, e in offs]
                + [Block("free", 0, 0, s, e) for s, e in free]
                + [
                    Block(
                        "appointment",
                        0,
                        0,
                        a.start,
                        a.end,
                        appointment=a,
                        marks=marks_for(
                            a,
                            membership,
                            paid=a.pk in paid,
                            consent_to_confirm=a.client_id in to_confirm and not a.confirmed_here,
                        ),
                    )
                    for a in mine
                ]
            )
            columns[day, therapist.pk] = Column(therapist, day, colours.get(therapist.pk, 0), blocks)

    first_hour = earliest // 60
    last_hour = min(24, -(-latest // 60))
    rows = (last_hour - first_hour) * 60 // ROW_MINUTES
    for column in columns.values():
        placed = []
        for block in column.blocks:
            top = _local_minutes(block.start, column.day, tz) - first_hour * 60
            bottom = _local_minutes(block.end, column.day, tz) - first_hour * 60
            block.row = max(0, top // ROW_MINUTES)
            block.span = max(1, min(rows, -(-bottom // ROW_MINUTES)) - block.row)
            if block.row < rows:
                placed.append(block)
        column.blocks = placed
    days = [
        (day, [columns[day, t.pk] for t in therapists])
        for day in (first + timedelta(days=i) for i in range(length))
    ]
    hours = [((h - first_hour) * 60 // ROW_MINUTES, f"{h:02d}:00") for h in range(first_hour, last_hour)]
    return Grid(days, first_hour, rows, hours)


def _free(work, busy, now):
    """The parts of the working intervals not taken by appointments (their buffers included) or
    time off, and not already past."""
    gaps = []
    for start, end in work:
        cursor = max(start, now)
        for b_start, b_end in busy:
            if b_end <= cursor or b_start >= end:
                continue
            if b_start > cursor:
                gaps.append((cursor, b_start))
            cursor = max(cursor, b_end)
        if cursor < end:
            gaps.append((cursor, end))
    return [(s, e) for s, e in gaps if e - s >= timedelta(minutes=ROW_MINUTES)]
