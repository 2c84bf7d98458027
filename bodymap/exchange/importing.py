"""Bringing clients and past appointments in from another system's CSV export.

`plan_*` reads and checks every row and changes nothing (the dry run); `apply_plan` writes a plan
that has no errors in one transaction with its audit entries, so a failed import changes nothing.
Identity: a row is the same person as an existing client only when name, date of birth and email all
agree; an email or a name and birth date alone makes a new client marked as a possible duplicate,
which staff merge or dismiss (bodymap.clients.identity), never a silent merge.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bodymap.accounts.models import Membership
from bodymap.audit.log import record, record_many
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.clients.models import Client
from bodymap.exchange.cells import looks_like_formula
from bodymap.exchange.models import ImportedNote

CLIENTS, APPOINTMENTS = "clients", "appointments"
TEXT_FIELDS = [
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
]


class ImportRefused(Exception):
    """The plan had errors; nothing was written."""


@dataclass
class RowError:
    line: int  # as a spreadsheet numbers it: the header is line 1
    field: str
    message: str


@dataclass
class Plan:
    kind: str
    rows: int = 0
    new_clients: list = field(default_factory=list)  # (line, Client, notes)
    possible_duplicates: list = field(default_factory=list)  # lines flagged
    already_here: list = field(default_factory=list)  # (line, existing Client)
    appointments: list = field(default_factory=list)  # (line, Appointment)
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line, field_name, message):
        self.errors.append(RowError(line, field_name, message))


# Values ------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")


def parse_date(text: str) -> date:
    """ISO dates and dates with the month in words. 03/04/1980 is refused: it is the 3rd of April in
    Canada and the 4th of March in the US, and guessing would file a wrong birthday."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone in it
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        raise ValueError(
            _("“%(value)s” could be day/month or month/day: write it as YYYY-MM-DD.") % {"value": text}
        )
    raise ValueError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})


def parse_datetime(text: str, tz) -> datetime:
    """ISO date and time, with or without an offset; without one it is the practice's local time."""
    text = text.strip().replace("T", " ")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        value = None
        for fmt in ("%Y-%m-%d %I:%M %p", "%Y-%m-%d %I:%M%p", "%Y/%m/%d %H:%M"):
            try:
                value = datetime.strptime(text.upper(), fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        if value is None:
            raise ValueError(
                _("“%(value)s” is not a date and time: write it as YYYY-MM-DD HH:MM.") % {"value": text}
            ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, tz)
    return value


def _cell(row, mapping, name) -> str:
    index = mapping.get(name)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _formula_cells(plan, line, row, mapping) -> bool:
    bad = False
    for name, index in mapping.items():
        if index < len(row) and looks_like_formula(row[index]):
            plan.error(
                line,
                name,
                _("This cell looks like a spreadsheet formula; remove the leading “%(c)s”.")
                % {"c": row[index][0]},
            )
            bad = True
    return bad


# Clients -----------------------------------------------------------------------------------------


def _key(first, last, dob):
    return (first.strip().lower(), last.strip().lower(), dob)


class _Known:
    """The practice's clients (and the file's earlier rows), indexed the ways the identity rules match."""

    def __init__(self, practice):
        self.by_public_id = {}
        self.by_person = {}
        self.by_email = {}
        for client in Client.objects.filter(practice=practice, merged_into__isnull=True).order_by("id"):
            self.add(client)

    def add(self, client):
        if client.pk:
            self.by_public_id[str(client.public_id)] = client
        self.by_person.setdefault(_key(client.first_name, client.last_name, client.date_of_birth), client)
        if client.email:
            self.by_email.setdefault(client.email.lower(), client)


def _split_name(full: str) -> tuple[str, str]:
    """ "Last, First" or "First Middle Last"."""
    if "," in full:
        last, first = full.split(",", 1)
        return first.strip(), last.strip()
    parts = full.split()
    if len(parts) < 2:
        return full.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def plan_clients(practice, rows, mapping, *, source="") -> Plan:
    plan = Plan(kind=CLIENTS, rows=len(rows))
    if not ({"first_name", "last_name"} <= mapping.keys() or "full_name" in mapping):
        plan.error(
            1, "first_name", _("Choose the columns that hold the first and last names, or the full name.")
        )
        return plan
    known = _Known(practice)
    for number, row in enumerate(rows, start=2):
        if _formula_cells(plan, number, row, mapping):
            continue
        values = {name: _cell(row, mapping, name) for name in TEXT_FIELDS}
        if "full_name" in mapping and not (values["first_name"] and values["last_name"]):
            values["first_name"], values["last_name"] = _split_name(_cell(row, mapping, "full_name"))
        client = Client(practice=practice, **values)
        client.email = client.email.lower()
        problems = False
        dob_text = _cell(row, mapping, "date_of_birth")
        if dob_text:
            try:
                client.date_of_birth = parse_date(dob_text)
            except ValueError as error:
                plan.error(number, "date_of_birth", str(error))
                problems = True
        try:
            # The model's own validators: lengths, the email's form, a birth date not in the future.
            skip = ["practice", "user", "assigned_therapist", "possible_duplicate_of", "merged_into"]
            client.full_clean(exclude=skip + (["date_of_birth"] if problems else []))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                plan.error(number, name, " ".join(messages))
            problems = True
        if problems:
            continue
        existing_id = _cell(row, mapping, "client_id")
        same = known.by_public_id.get(existing_id) or known.by_person.get(
            _key(client.first_name, client.last_name, client.date_of_birth)
        )
        if (
            same is not None
            and same.email.lower() == client.email
            and (same.date_of_birth == client.date_of_birth)
        ):
            plan.already_here.append((number, same))
            continue
        lookalike = same or (known.by_email.get(client.email) if client.email else None)
        if lookalike is not None:
            # Same email, or same name and birth date, but not all three: perhaps the same person.
            client.possible_duplicate_of = lookalike if lookalike.pk else None
            client._duplicate_line = lookalike
            plan.possible_duplicates.append(number)
        known.add(client)
        plan.new_clients.append((number, client, _cell(row, mapping, "notes")))
    return plan


# Appointments ------------------------------------------------------------------------------------

_STATUSES = {
    AppointmentStatus.COMPLETED: [
        "completed",
        "complete",
        "done",
        "attended",
        "arrived",
        "showed",
        "paid",
        "fulfilled",
    ],
    AppointmentStatus.CANCELLED: ["cancelled", "canceled", "cancelledbyclient", "cancelledbystaff"],
    AppointmentStatus.NO_SHOW: ["noshow", "missed", "didnotattend", "dna"],
}


def _status(text: str) -> str | None:
    normal = re.sub(r"[^a-z]", "", text.lower())
    if not normal:
        return AppointmentStatus.COMPLETED
    for status, words in _STATUSES.items():
        if normal in words:
            return status
    return None


class _Staff:
    def __init__(self, practice):
        members = Membership.objects.filter(practice=practice, provides_treatment=True).select_related("user")
        self.by_email = {m.user.email.lower(): m for m in members}
        self.by_name = {}
        for m in members:
            self.by_name.setdefault(m.user.full_name.strip().lower(), m)

    def find(self, text: str):
        text = text.strip().lower()
        return self.by_email.get(text) or self.by_name.get(text)


def _find_client(known_clients, row, mapping):
    client_id = _cell(row, mapping, "client_id")
    if client_id:
        return known_clients["id"].get(client_id)
    name = _cell(row, mapping, "client_name").lower()
    first, last = _split_name(name)
    email = _cell(row, mapping, "client_email").lower()
    candidates = known_clients["name"].get((first.lower(), last.lower()), [])
    if email:
        candidates = [c for c in candidates if c.email.lower() == email] or (
            [] if name else [c for c in known_clients["all"] if c.email.lower() == email]
        )
    dob_text = _cell(row, mapping, "client_date_of_birth")
    if dob_text:
        try:
            dob = parse_date(dob_text)
        except ValueError:
            return None
        candidates = [c for c in candidates if c.date_of_birth == dob]
    # Several people could match: attaching a visit to the wrong one is worse than asking.
    return candidates[0] if len(candidates) == 1 else None


def plan_appointments(practice, rows, mapping, *, now=None, extra_clients=()) -> Plan:
    """Past appointments for clients already in the practice (or imported alongside them)."""
    plan = Plan(kind=APPOINTMENTS, rows=len(rows))
    needs = [("start", "date"), ("therapist",), ("client_id", "client_name", "client_email")]
    for options in needs:
        if not any(name in mapping for name in options):
            plan.error(1, options[0], _("Choose the column for “%(field)s”.") % {"field": options[0]})
    if plan.errors:
        return plan
    now = now or timezone.now()
    tz = _zone(practice)
    clients = list(Client.objects.filter(practice=practice, merged_into__isnull=True)) + list(extra_clients)
    known_clients = {"id": {str(c.public_id): c for c in clients}, "name": {}, "all": clients}
    for c in clients:
        known_clients["name"].setdefault((c.first_name.lower(), c.last_name.lower()), []).append(c)
    staff = _Staff(practice)
    busy = {}  # therapist id -> [(start, end)] of slot-holding visits, existing and planned
    for number, row in enumerate(rows, start=2):
        if _formula_cells(plan, number, row, mapping):
            continue
        errors_before = len(plan.errors)
        client = _find_client(known_clients, row, mapping)
        if client is None:
            plan.error(
                number, "client_name", _("No single client in the practice matches this row's client.")
            )
        therapist = staff.find(_cell(row, mapping, "therapist"))
        if therapist is None:
            plan.error(
                number,
                "therapist",
                _("“%(value)s” is not a therapist in this practice.")
                % {"value": _cell(row, mapping, "therapist")},
            )
        start = end = None
        try:
            if _cell(row, mapping, "start"):
                start = parse_datetime(_cell(row, mapping, "start"), tz)
            else:
                day = parse_date(_cell(row, mapping, "date"))
                clock = _cell(row, mapping, "time") or "09:00"
                start = parse_datetime(f"{day.isoformat()} {clock}", tz)
            if _cell(row, mapping, "end"):
                end = parse_datetime(_cell(row, mapping, "end"), tz)
            else:
                minutes = int(_cell(row, mapping, "minutes") or 60)
                end = start + timedelta(minutes=minutes)
        except ValueError as error:
            plan.error(number, "start", str(error))
        if start and end and end <= start:
            plan.error(number, "end", _("The appointment ends before it starts."))
        if start and start >= now:
            plan.error(
                number, "start", _("Only past appointments are imported; book coming ones in the calendar.")
            )
        status = _status(_cell(row, mapping, "status"))
        if status is None:
            plan.error(
                number,
                "status",
                _("“%(value)s” is not a status: use completed, cancelled or no-show.")
                % {"value": _cell(row, mapping, "status")},
            )
        if len(plan.errors) > errors_before:
            continue
        if status != AppointmentStatus.CANCELLED:
            slots = busy.setdefault(therapist.pk, _existing_slots(therapist))
            if any(s < end and start < e for s, e in slots):
                plan.error(
                    number,
                    "start",
                    _("%(name)s already has an appointment at this time.")
                    % {"name": therapist.user.full_name or therapist.user.email},
                )
                continue
            slots.append((start, end))
        appointment = Appointment(
            practice=practice,
            client=client,
            therapist=therapist,
            start=start,
            end=end,
            status=status,
            service_name=_cell(row, mapping, "service")[:120],
            identity_confirmed=True,
            cancelled_at=start if status == AppointmentStatus.CANCELLED else None,
        )
        plan.appointments.append((number, appointment))
    return plan


def _zone(practice):
    from zoneinfo import ZoneInfo

    return ZoneInfo(practice.timezone)


def _existing_slots(therapist):
    return list(
        Appointment.objects.filter(therapist=therapist)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("start", "end")
    )


# Writing -----------------------------------------------------------------------------------------


@transaction.atomic
def apply_plan(plan: Plan, *, practice, actor, request=None, actor_label=None, source="") -> dict:
    """Write everything a checked plan holds, with its audit entries, or nothing at all."""
    if not plan.ok:
        raise ImportRefused(_("The file has errors; nothing was imported."))
    created = []
    for _line, client, _notes in plan.new_clients:
        lookalike = getattr(client, "_duplicate_line", None)
        if lookalike is not None and client.possible_duplicate_of_id is None:
            client.possible_duplicate_of = lookalike  # an earlier row of this file, saved just now
        client.save()
        created.append(client)
    ImportedNote.objects.bulk_create(
        ImportedNote(client=client, text=notes, source=source[:200])
        for _line, client, notes in plan.new_clients
        if notes
    )
    appointments = Appointment.objects.bulk_create([a for _line, a in plan.appointments])
    record(
        actor=actor,
        actor_label=actor_label,
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="import",
        request=request,
        kind=plan.kind,
        source=source[:200],
        clients=len(created),
        possible_duplicates=len(plan.possible_duplicates),
        appointments=len(appointments),
    )
    record_many(
        actor=actor,
        actor_label=actor_label,
        practice=practice,
        request=request,
        entries=[(AuditAction.CREATE, "client", c.public_id, {"via": "import"}) for c in created]
        + [(AuditAction.CREATE, "appointment", a.public_id, {"via": "import"}) for a in appointments],
    )
    return {
        "clients": len(created),
        "possible_duplicates": len(plan.possible_duplicates),
        "appointments": len(appointments),
        "already_here": len(plan.already_here),
    }
