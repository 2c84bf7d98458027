"""Bringing a Bodymap export (the zip of `export_practice`) into an empty practice: the same clients,
appointments, consents, intakes and signed notes, under new ids. Signed notes and consent records
are inserted as they were signed (the append-only guards refuse changes, not inserts). Invoices and
payments stay in the export's CSV files: their numbers belong to the practice that issued them.
"""

import csv
import io
import json
import zipfile

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from bodymap.accounts.models import Membership
from bodymap.audit.log import record, record_many
from bodymap.audit.models import AuditAction
from bodymap.booking.models import Appointment
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from bodymap.exchange.cells import BadFile, unguard
from bodymap.exchange.models import ImportedNote
from bodymap.intake.models import Intake
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote

MAX_ZIP_BYTES = 2 * 1024**3


def _table(archive, name) -> list[dict]:
    try:
        data = archive.read(f"csv/{name}")
    except KeyError:
        return []
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [{k: unguard(v or "") for k, v in row.items()} for row in reader]


def _bool(text):
    return text == "True"


def _staff_map(practice, staff_rows) -> dict[str, Membership]:
    """An exported therapist's email -> the target practice's member with that email or, failing
    that, the same name. A practice restored elsewhere usually has the same people under new accounts."""
    members = list(Membership.objects.filter(practice=practice).select_related("user"))
    by_email = {m.user.email.lower(): m for m in members}
    by_name = {m.user.full_name.strip().lower(): m for m in members if m.user.full_name}
    found = {}
    for row in staff_rows:
        member = by_email.get(row["email"].lower()) or by_name.get(row["name"].strip().lower())
        if member is not None:
            found[row["email"].lower()] = member
    return found


@transaction.atomic
def restore_export(practice, data: bytes, *, actor, request=None, actor_label=None) -> dict:
    if Client.objects.filter(practice=practice).exists():
        raise BadFile(_("An export is brought back only into a practice with no clients yet."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise BadFile(_("This is not a Bodymap export (not a zip file).")) from error
    if sum(info.file_size for info in archive.infolist()) > MAX_ZIP_BYTES:
        raise BadFile(_("The export unpacks to more than 2 GB."))
    staff = _staff_map(practice, _table(archive, "staff.csv"))

    def member(email):
        found = staff.get(email.lower())
        if found is None:
            raise BadFile(
                _(
                    "Nobody in this practice matches the therapist %(email)s: invite them first, "
                    "with the same email or the same name."
                )
                % {"email": email}
            )
        return found

    clients = {}
    for row in _table(archive, "clients.csv"):
        client = Client(
            practice=practice,
            **{
                k: row[k]
                for k in (
                    "first_name",
                    "last_name",
                    "preferred_name",
                    "pronouns",
                    "email",
                    "phone",
                    "address",
                    "emergency_contact_name",
                    "emergency_contact_phone",
                )
            },
            date_of_birth=parse_date(row["date_of_birth"]) if row["date_of_birth"] else None,
            is_active=_bool(row["active"]),
            created_at=parse_datetime(row["created_at"]),
        )
        if row["assigned_therapist_email"]:
            client.assigned_therapist = staff.get(row["assigned_therapist_email"].lower())
        client.save()
        clients[row["client_id"]] = client
    for row in _table(archive, "clients.csv"):
        if row["possible_duplicate_of"] in clients:
            Client.objects.filter(pk=clients[row["client_id"]].pk).update(
                possible_duplicate_of=clients[row["possible_duplicate_of"]]
            )
    ImportedNote.objects.bulk_create(
        ImportedNote(
            client=clients[r["client_id"]],
            text=r["text"],
            source=r["source"],
            imported_at=parse_datetime(r["imported_at"]),
        )
        for r in _table(archive, "imported_notes.csv")
    )
    visits = {}
    for row in _table(archive, "appointments.csv"):
        visits[row["appointment_id"]] = Appointment(
            practice=practice,
            client=clients[row["client_id"]],
            therapist=member(row["therapist_email"]),
            start=parse_datetime(row["start"]),
            end=parse_datetime(row["end"]),
            status=row["status"],
            service_name=row["service"],
            booked_online=_bool(row["booked_online"]),
            identity_confirmed=True,
        )
    Appointment.objects.bulk_create(visits.values())
    intakes = {}
    for row in _table(archive, "intakes.csv"):
        intakes[row["intake_id"]] = Intake(
            practice=practice,
            client=clients[row["client_id"]],
            channel=row["channel"],
            step="review",
            contract=json.loads(row["contract_json"]),
            submitted_at=parse_datetime(row["submitted_at"]),
            signature=row["signature"],
        )
    Intake.objects.bulk_create(intakes.values())
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            practice=practice,
            client=clients[r["client_id"]],
            appointment=visits.get(r["appointment_id"]),
            region=r["region"],
            side=r["side"],
            decision=r["decision"],
            method=r["method"],
            given_at=parse_datetime(r["given_at"]),
            signature=r["signature"],
            guardian_name=r["guardian_name"] or None,
            note=r["note"],
            explanation=r["explanation"],
            explanation_sha256=r["explanation_sha256"],
        )
        for r in _table(archive, "consents.csv")
    )
    notes = {}
    for row in _table(archive, "notes.csv"):
        therapist = member(row["therapist_email"])
        notes[row["note_id"]] = SessionNote(
            practice=practice,
            client=clients[row["client_id"]],
            appointment=visits[row["appointment_id"]],
            therapist=therapist,
            subjective=row["subjective"],
            objective=row["objective"],
            assessment=row["assessment"],
            plan=row["plan"],
            findings=json.loads(row["findings_json"]),
            treatment=json.loads(row["treatment_json"]),
            self_care=json.loads(row["self_care_json"]),
            pain=json.loads(row["pain_json"]),
            psfs=json.loads(row["psfs_json"]),
            signed_at=parse_datetime(row["signed_at"]),
            signed_by=therapist.user,
            signature=row["signature"],
        )
    SessionNote.objects.bulk_create(notes.values())
    Addendum.objects.bulk_create(
        Addendum(
            note=notes[r["note_id"]],
            text=r["text"],
            signature=r["signature"],
            author=(staff.get(r["author_email"].lower()) or notes[r["note_id"]].therapist).user,
            created_at=parse_datetime(r["created_at"]),
        )
        for r in _table(archive, "addenda.csv")
    )
    PainRating.objects.bulk_create(
        PainRating(
            note=notes[r["note_id"]],
            client=clients[r["client_id"]],
            region=r["region"],
            side=r["side"],
            rating=int(r["rating"]),
            recorded_at=parse_datetime(r["recorded_at"]),
        )
        for r in _table(archive, "pain_ratings.csv")
    )
    FunctionalRating.objects.bulk_create(
        FunctionalRating(
            note=notes[r["note_id"]],
            client=clients[r["client_id"]],
            activity=r["activity"],
            score=int(r["score"]),
            recorded_at=parse_datetime(r["recorded_at"]),
        )
        for r in _table(archive, "functional_ratings.csv")
    )
    counts = {
        "clients": len(clients),
        "appointments": len(visits),
        "notes": len(notes),
        "intakes": len(intakes),
    }
    record(
        actor=actor,
        actor_label=actor_label,
        practice=practice,
        action=AuditAction.CREATE,
        subject_type="import",
        request=request,
        kind="practice export",
        **counts,
    )
    record_many(
        actor=actor,
        actor_label=actor_label,
        practice=practice,
        request=request,
        entries=[(AuditAction.CREATE, "client", c.public_id, {"via": "import"}) for c in clients.values()],
    )
    return counts
