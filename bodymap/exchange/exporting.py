"""Everything a practice holds, as one zip: a CSV file per record type, the FHIR Bundle, and each
signed note as PDF. `bodymap export_practice` and the owner's "Export everything" page both call
`export_practice`, which writes its audit entry in the same transaction as the reads."""

import json
import zipfile

from django.db import transaction
from django.utils import timezone

from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.billing.models import Invoice, Payment
from bodymap.booking.models import Appointment, AppointmentStatus
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from bodymap.exchange import fhir
from bodymap.exchange.cells import write_csv
from bodymap.exchange.models import ImportedNote
from bodymap.intake.models import Intake
from bodymap.notes.documents import note_pdf
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote

CHUNK = 2000


def _iso(value):
    return value.isoformat() if value else ""


def _tables(practice, clients, visits, notes):
    """(file name, header, rows) for each record type."""
    client_ids = {c.pk: str(c.public_id) for c in clients}
    yield (
        "staff.csv",
        ["staff_id", "name", "email", "role", "treats_clients", "active"],
        (
            [str(m.public_id), m.user.full_name, m.user.email, m.role, m.provides_treatment, m.is_active]
            for m in Membership.objects.filter(practice=practice)
            .select_related("user")
            .order_by("created_at", "id")
        ),
    )
    yield (
        "clients.csv",
        [
            "client_id",
            "first_name",
            "last_name",
            "preferred_name",
            "pronouns",
            "email",
            "phone",
            "date_of_birth",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "assigned_therapist_email",
            "active",
            "possible_duplicate_of",
            "created_at",
        ],
        (
            [
                str(c.public_id),
                c.first_name,
                c.last_name,
                c.preferred_name,
                c.pronouns,
                c.email,
                c.phone,
                _iso(c.date_of_birth),
                c.address,
                c.emergency_contact_name,
                c.emergency_contact_phone,
                c.assigned_therapist.user.email if c.assigned_therapist else "",
                c.is_active,
                client_ids.get(c.possible_duplicate_of_id, ""),
                _iso(c.created_at),
            ]
            for c in clients
        ),
    )
    yield (
        "imported_notes.csv",
        ["client_id", "text", "source", "imported_at"],
        (
            [client_ids[n.client_id], n.text, n.source, _iso(n.imported_at)]
            for n in ImportedNote.objects.filter(client__practice=practice).order_by("id")
        ),
    )
    yield (
        "appointments.csv",
        [
            "appointment_id",
            "client_id",
            "therapist_email",
            "start",
            "end",
            "minutes",
            "status",
            "service",
            "booked_online",
        ],
        (
            [
                str(a.public_id),
                client_ids.get(a.client_id, ""),
                a.therapist.user.email,
                _iso(a.start),
                _iso(a.end),
                a.minutes,
                a.status,
                a.service_name,
                a.booked_online,
            ]
            for a in visits
        ),
    )
    visit_ids = {a.pk: str(a.public_id) for a in visits}
    yield (
        "consents.csv",
        [
            "consent_id",
            "client_id",
            "appointment_id",
            "region",
            "side",
            "decision",
            "method",
            "given_at",
            "signature",
            "guardian_name",
            "note",
            "explanation_sha256",
            "explanation",
        ],
        (
            [
                str(r.public_id),
                client_ids.get(r.client_id, ""),
                visit_ids.get(r.appointment_id, ""),
                r.region,
                r.side,
                r.decision,
                r.method,
                _iso(r.given_at),
                r.signature,
                r.guardian_name or "",
                r.note,
                r.explanation_sha256,
                r.explanation,
            ]
            for r in ConsentRecord.objects.filter(practice=practice)
            .order_by("given_at", "id")
            .iterator(CHUNK)
        ),
    )
    yield (
        "intakes.csv",
        ["intake_id", "client_id", "channel", "submitted_at", "signature", "contract_json"],
        (
            [
                str(i.public_id),
                client_ids.get(i.client_id, ""),
                i.channel,
                _iso(i.submitted_at),
                i.signature,
                json.dumps(i.contract, ensure_ascii=False, sort_keys=True),
            ]
            for i in Intake.objects.filter(practice=practice, submitted_at__isnull=False).order_by(
                "submitted_at", "id"
            )
        ),
    )
    yield (
        "notes.csv",
        [
            "note_id",
            "appointment_id",
            "client_id",
            "therapist_email",
            "signed_at",
            "signature",
            "subjective",
            "objective",
            "assessment",
            "plan",
            "findings_json",
            "treatment_json",
            "self_care_json",
            "pain_json",
            "psfs_json",
            "pdf",
        ],
        (
            [
                str(n.public_id),
                visit_ids.get(n.appointment_id, ""),
                client_ids.get(n.client_id, ""),
                n.therapist.user.email,
                _iso(n.signed_at),
                n.signature,
                n.subjective,
                n.objective,
                n.assessment,
                n.plan,
                json.dumps(n.findings),
                json.dumps(n.treatment),
                json.dumps(n.self_care),
                json.dumps(n.pain),
                json.dumps(n.psfs),
                f"notes/{n.public_id}.pdf",
            ]
            for n in notes
        ),
    )
    note_ids = {n.pk: str(n.public_id) for n in notes}
    yield (
        "addenda.csv",
        ["addendum_id", "note_id", "author_email", "created_at", "signature", "text"],
        (
            [str(a.public_id), note_ids[a.note_id], a.author.email, _iso(a.created_at), a.signature, a.text]
            for a in Addendum.objects.filter(note_id__in=note_ids)
            .select_related("author")
            .order_by("created_at", "id")
        ),
    )
    yield (
        "pain_ratings.csv",
        ["note_id", "client_id", "region", "side", "rating", "recorded_at"],
        (
            [
                note_ids.get(r.note_id, ""),
                client_ids.get(r.client_id, ""),
                r.region,
                r.side,
                r.rating,
                _iso(r.recorded_at),
            ]
            for r in PainRating.objects.filter(note_id__in=note_ids)
            .order_by("recorded_at", "id")
            .iterator(CHUNK)
        ),
    )
    yield (
        "functional_ratings.csv",
        ["note_id", "client_id", "activity", "score", "recorded_at"],
        (
            [
                note_ids.get(r.note_id, ""),
                client_ids.get(r.client_id, ""),
                r.activity,
                r.score,
                _iso(r.recorded_at),
            ]
            for r in FunctionalRating.objects.filter(note_id__in=note_ids)
            .order_by("recorded_at", "id")
            .iterator(CHUNK)
        ),
    )
    yield (
        "invoices.csv",
        [
            "invoice_id",
            "number",
            "client_id",
            "appointment_id",
            "service_date",
            "issued_at",
            "currency",
            "subtotal_cents",
            "tax_cents",
            "total_cents",
        ],
        (
            [
                str(i.public_id),
                i.number,
                client_ids.get(i.client_id, ""),
                visit_ids.get(i.appointment_id, ""),
                _iso(i.service_date),
                _iso(i.issued_at),
                i.currency,
                i.subtotal_cents,
                i.tax_cents,
                i.total_cents,
            ]
            for i in Invoice.objects.filter(practice=practice).order_by("issued_at", "id")
        ),
    )
    yield (
        "payments.csv",
        ["payment_id", "invoice_number", "kind", "method", "amount_cents", "received_at"],
        (
            [str(p.public_id), p.invoice.number, p.kind, p.method, p.amount_cents, _iso(p.received_at)]
            for p in Payment.objects.filter(practice=practice)
            .select_related("invoice")
            .order_by("received_at", "id")
        ),
    )


def _signed_notes(practice, visits_by_pk, clients_by_pk, members_by_pk):
    notes = list(
        SessionNote.objects.filter(practice=practice, signed_at__isnull=False).order_by("signed_at", "id")
    )
    for note in notes:
        # Attach what was already read, so neither the CSV nor the PDF asks the database again.
        note.appointment = visits_by_pk[note.appointment_id]
        note.client = clients_by_pk[note.client_id]
        note.therapist = members_by_pk[note.therapist_id]
    return notes


def gather(practice):
    """Everything read once, related rows attached in memory: no query per record."""
    members = {
        m.pk: m for m in Membership.objects.filter(practice=practice).select_related("user", "practice")
    }
    clients = list(Client.objects.filter(practice=practice).select_related("practice").order_by("id"))
    clients_by_pk = {c.pk: c for c in clients}
    for c in clients:
        if c.assigned_therapist_id:
            c.assigned_therapist = members[c.assigned_therapist_id]
    visits = list(
        Appointment.objects.filter(practice=practice)
        .exclude(status=AppointmentStatus.HELD)
        .order_by("start", "id")
    )
    for a in visits:
        a.client = clients_by_pk[a.client_id]
        a.therapist = members[a.therapist_id]
    visits_by_pk = {a.pk: a for a in visits}
    notes = _signed_notes(practice, visits_by_pk, clients_by_pk, members)
    return members, clients, visits, notes


def fhir_resources(practice, members, clients, visits, notes, *, pdfs=None, link_pdfs=True):
    """The FHIR resources for `clients` and what hangs off them. `pdfs` maps a note's pk to its PDF
    bytes to embed; without it a DocumentReference points at the PDF beside the bundle."""
    names = fhir._region_names()
    wanted = {c.pk for c in clients}
    resources = [fhir.organization(practice)]
    resources += [fhir.practitioner(m) for m in members.values() if m.provides_treatment]
    resources += [fhir.patient(c) for c in clients]
    records = {}
    for r in ConsentRecord.objects.filter(practice=practice, client_id__in=wanted).order_by("given_at", "id"):
        records.setdefault(r.client_id, []).append(r)
    for c in clients:
        consent = fhir.consent(c, records.get(c.pk, []), names)
        if consent:
            resources.append(consent)
    for visit in visits:
        resources.append(fhir.appointment(visit))
        if visit.status == AppointmentStatus.COMPLETED:
            resources.append(fhir.encounter(visit))
    notes_by_pk = {n.pk: n for n in notes}
    for n in notes:
        if n.appointment.status != AppointmentStatus.COMPLETED:
            resources.append(fhir.encounter(n.appointment))  # a note means the visit happened
    for rating in (
        PainRating.objects.filter(note_id__in=notes_by_pk).order_by("recorded_at", "id").iterator(CHUNK)
    ):
        rating.note, rating.client = notes_by_pk[rating.note_id], notes_by_pk[rating.note_id].client
        resources.append(fhir.pain_observation(rating, names))
    functional = FunctionalRating.objects.filter(note_id__in=notes_by_pk).order_by("recorded_at", "id")
    for rating in functional.iterator(CHUNK):
        rating.note, rating.client = notes_by_pk[rating.note_id], notes_by_pk[rating.note_id].client
        resources.append(fhir.functional_observation(rating))
    clients_by_pk = {c.pk: c for c in clients}
    intakes = Intake.objects.filter(client_id__in=wanted, submitted_at__isnull=False).order_by(
        "submitted_at", "id"
    )
    for intake in intakes:
        intake.client = clients_by_pk[intake.client_id]
        resources.append(fhir.questionnaire_response(intake))
    for n in notes:
        pdf = pdfs.get(n.pk) if pdfs is not None else None
        path = f"notes/{n.public_id}.pdf" if link_pdfs else None
        resources.append(fhir.document_reference(n, pdf, path))
    invoices = (
        Invoice.objects.filter(client_id__in=wanted).prefetch_related("lines").order_by("issued_at", "id")
    )
    for bill in invoices:
        bill.client = clients_by_pk[bill.client_id]
        resources.append(fhir.invoice(bill))
    return resources


def _note_pdfs(notes):
    addenda = {}
    for a in (
        Addendum.objects.filter(note_id__in=[n.pk for n in notes])
        .select_related("author")
        .order_by("created_at")
    ):
        addenda.setdefault(a.note_id, []).append(a)
    for n in notes:
        yield n, note_pdf(n, addenda.get(n.pk, []))


def export_practice(practice, out, *, actor, request=None, actor_label=None, with_pdfs=True) -> dict:
    """Write the practice's zip to the file object `out`; return what it holds."""
    now = timezone.now()
    with transaction.atomic():
        members, clients, visits, notes = gather(practice)
        counts = {"clients": len(clients), "appointments": len(visits), "notes": len(notes)}
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, header, rows in _tables(practice, clients, visits, notes):
                archive.writestr(f"csv/{name}", write_csv(header, rows))
            if with_pdfs:
                for note, pdf in _note_pdfs(notes):
                    archive.writestr(f"notes/{note.public_id}.pdf", pdf)
            resources = fhir_resources(practice, members, clients, visits, notes, link_pdfs=with_pdfs)
            bundle = fhir.bundle(resources, now)
            archive.writestr("fhir/bundle.json", fhir.to_json(bundle))
            counts["fhir_resources"] = len(bundle["entry"])
            archive.writestr("README.txt", README.format(name=practice.name, when=now.isoformat()))
        record(
            actor=actor,
            actor_label=actor_label,
            practice=practice,
            action=AuditAction.EXPORT,
            subject_type="practice",
            request=request,
            what="everything",
            **counts,
        )
    return counts


README = """Export of {name}, made {when}.

csv/      one file per record type, UTF-8. Cells that begin with = + - or @ start with an apostrophe so
          that a spreadsheet shows them as text instead of running them.
fhir/     bundle.json: a FHIR R4 (4.3.0, R4B) Bundle of type collection.
notes/    each signed session note as PDF, named by its id.

This file holds health records. Keep it encrypted and delete it when it is no longer needed.
"""
