"""A practice's records (or one client's) as a FHIR Bundle, validated with `fhir.resources`.

FHIR R4 resources come from `fhir.resources.R4B`: version 8 of the library defaults to R5 and carries
the R4 line as R4B (4.3.0), whose Patient, Practitioner, Organization, Appointment, Encounter,
Consent, Observation, QuestionnaireResponse, DocumentReference and Invoice are those of R4.
Every resource's id is the record's public id, so a bundle never exposes a database row number.
"""

import base64
import hashlib
import importlib
import json
import uuid
from datetime import datetime
from functools import cache

from fhir.resources.R4B.bundle import Bundle

from bodymap import knowledge
from bodymap.booking.models import AppointmentStatus
from bodymap.consent.models import Decision

REGION_SYSTEM = "urn:bodymap:region"
EXT = "urn:bodymap:fhir"  # our extensions: the consent's wording, its hash, signature and decision
LOINC = "http://loinc.org"
PAIN_CODE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}

_APPOINTMENT_STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CHECKED_IN: "checked-in",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
    AppointmentStatus.HELD: "pending",
}


def derived_id(kind: str, public_id) -> str:
    """A stable UUID for a resource made from a record (a visit's Encounter, a client's Consent)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:bodymap:{kind}:{public_id}"))


def _ref(kind: str, public_id) -> dict:
    return {"reference": f"urn:uuid:{public_id}", "type": kind}


def _when(value: datetime) -> str:
    return value.isoformat()


def _region_names() -> dict[str, str]:
    return {r["id"]: r["name"] for r in knowledge.regions()}


def _body_site(region: str, side: str, names) -> dict:
    label = names.get(region, region)
    if side and side != "both":
        label = f"{label} ({side})"
    return {
        "coding": [{"system": REGION_SYSTEM, "code": region, "display": names.get(region, region)}],
        "text": label,
    }


def organization(practice) -> dict:
    resource = {
        "resourceType": "Organization",
        "id": str(practice.public_id),
        "name": practice.name,
        "active": True,
    }
    telecom = [
        {"system": s, "value": v} for s, v in (("email", practice.email), ("phone", practice.phone)) if v
    ]
    if telecom:
        resource["telecom"] = telecom
    if practice.address:
        resource["address"] = [{"text": practice.address}]
    return resource


def practitioner(membership) -> dict:
    user = membership.user
    resource = {
        "resourceType": "Practitioner",
        "id": str(membership.public_id),
        "active": membership.is_active,
        "name": [{"text": user.full_name or user.email}],
        "telecom": [{"system": "email", "value": user.email}],
    }
    profile = getattr(membership, "staff_profile", None)
    if profile is not None and profile.registration_number:
        resource["identifier"] = [
            {
                "system": f"urn:bodymap:registration:{profile.regulator or 'regulator'}",
                "value": profile.registration_number,
            }
        ]
    return resource


def patient(client) -> dict:
    name = {"family": client.last_name, "given": [client.first_name], "text": client.full_name}
    resource = {
        "resourceType": "Patient",
        "id": str(client.public_id),
        "active": client.is_active,
        "name": [name],
    }
    if client.preferred_name:
        resource["name"].append({"use": "nickname", "given": [client.preferred_name]})
    telecom = [{"system": s, "value": v} for s, v in (("email", client.email), ("phone", client.phone)) if v]
    if telecom:
        resource["telecom"] = telecom
    if client.date_of_birth:
        resource["birthDate"] = client.date_of_birth.isoformat()
    if client.address:
        resource["address"] = [{"text": client.address}]
    if client.emergency_contact_name:
        contact = {
            "name": {"text": client.emergency_contact_name},
            "relationship": [{"text": "Emergency contact"}],
        }
        if client.emergency_contact_phone:
            contact["telecom"] = [{"system": "phone", "value": client.emergency_contact_phone}]
        resource["contact"] = [contact]
    return resource


def appointment(visit) -> dict:
    resource = {
        "resourceType": "Appointment",
        "id": str(visit.public_id),
        "status": _APPOINTMENT_STATUS.get(visit.status, "booked"),
        "start": _when(visit.start),
        "end": _when(visit.end),
        "minutesDuration": visit.minutes,
        "participant": [
            {"actor": _ref("Patient", visit.client.public_id), "status": "accepted"},
            {"actor": _ref("Practitioner", visit.therapist.public_id), "status": "accepted"},
        ],
    }
    if visit.service_name:
        resource["serviceType"] = [{"text": visit.service_name}]
    return resource


def encounter(visit) -> dict:
    """A visit that took place."""
    return {
        "resourceType": "Encounter",
        "id": derived_id("encounter", visit.public_id),
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": _ref("Patient", visit.client.public_id),
        "participant": [{"individual": _ref("Practitioner", visit.therapist.public_id)}],
        "appointment": [_ref("Appointment", visit.public_id)],
        "period": {"start": _when(visit.start), "end": _when(visit.end)},
    }


def _encounter_ref(visit) -> dict:
    return _ref("Encounter", derived_id("encounter", visit.public_id))


def consent(client, records, names) -> dict | None:
    """The client's standing consent: one provision per sensitive region with its latest decision,
    the exact text they were shown (and its SHA-256) and their signature."""
    latest = {}
    for record in records:  # oldest first: the last one per region is in force
        if record.appointment_id is None:
            latest[record.region] = record
    if not latest:
        return None
    provisions = []
    for region, record in sorted(latest.items()):
        permit = record.decision in (Decision.GRANTED, Decision.OVER_DRAPE)
        provisions.append(
            {
                "type": "permit" if permit else "deny",
                "period": {"start": _when(record.given_at)},
                "code": [_body_site(region, record.side, names)],
                "extension": [
                    {"url": f"{EXT}/consent-decision", "valueCode": record.decision},
                    {"url": f"{EXT}/consent-text", "valueString": record.explanation or "(no text recorded)"},
                    {"url": f"{EXT}/consent-text-sha256", "valueString": record.explanation_sha256 or "none"},
                    {"url": f"{EXT}/consent-signature", "valueString": record.signature or "(unsigned)"},
                ],
            }
        )
    newest = max(latest.values(), key=lambda r: (r.given_at, r.pk))
    return {
        "resourceType": "Consent",
        "id": derived_id("consent", client.public_id),
        "status": "active",
        "scope": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]
        },
        "category": [{"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}],
        "patient": _ref("Patient", client.public_id),
        "dateTime": _when(newest.given_at),
        "policyRule": {"text": "Consent region by region for sensitive regions, given by the client"},
        "provision": {"type": "deny", "provision": provisions},
    }


def pain_observation(rating, names) -> dict:
    return {
        "resourceType": "Observation",
        "id": derived_id(f"pain:{rating.pk}", rating.note.public_id),
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}
                ]
            }
        ],
        "code": {"coding": [PAIN_CODE], "text": "Pain, 0-10"},
        "subject": _ref("Patient", rating.client.public_id),
        "encounter": _encounter_ref(rating.note.appointment),
        "effectiveDateTime": _when(rating.recorded_at),
        "valueInteger": rating.rating,
        "bodySite": _body_site(rating.region, rating.side, names),
    }


def functional_observation(rating) -> dict:
    return {
        "resourceType": "Observation",
        "id": derived_id(f"psfs:{rating.pk}", rating.note.public_id),
        "status": "final",
        "category": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}
                ]
            }
        ],
        "code": {"text": "Patient-Specific Functional Scale (0-10)"},
        "subject": _ref("Patient", rating.client.public_id),
        "encounter": _encounter_ref(rating.note.appointment),
        "effectiveDateTime": _when(rating.recorded_at),
        "component": [{"code": {"text": rating.activity}, "valueInteger": rating.score}],
    }


def _answer(value) -> dict:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, str):
        return {"valueString": value or "-"}
    return {"valueString": json.dumps(value, ensure_ascii=False, sort_keys=True)}


def questionnaire_response(intake) -> dict:
    """The signed intake, one item per part of the contract (docs/intake-plan-v2.md)."""
    contract = intake.contract or {}
    items = []
    for key, value in contract.items():
        if value in (None, [], {}, ""):
            continue
        items.append({"linkId": key, "text": key.replace("_", " "), "answer": [_answer(value)]})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(intake.public_id),
        "status": "completed",
        "subject": _ref("Patient", intake.client.public_id),
        "authored": _when(intake.submitted_at),
    }
    if items:
        resource["item"] = items
    return resource


def _note_text(note) -> str:
    parts = [
        ("Subjective", note.subjective),
        ("Objective", note.objective),
        ("Assessment", note.assessment),
        ("Plan", note.plan),
    ]
    return "\n\n".join(f"{title}\n{text}" for title, text in parts if text) + f"\n\nSigned: {note.signature}"


def document_reference(note, pdf: bytes | None, pdf_path: str | None) -> dict:
    """A signed note: its PDF inside the bundle (one client's records), a link to the PDF beside the
    bundle (a practice export), or, in an export made without PDFs, the note's text."""
    attachment = {
        "title": f"Session note {note.appointment.start:%Y-%m-%d}",
        "creation": _when(note.signed_at),
    }
    if pdf is not None:
        attachment.update(contentType="application/pdf", data=base64.b64encode(pdf).decode(), size=len(pdf))
        # FHIR's Attachment.hash is SHA-1 by definition.
        attachment["hash"] = base64.b64encode(hashlib.sha1(pdf).digest()).decode()  # noqa: S324
    elif pdf_path:
        attachment.update(contentType="application/pdf", url=pdf_path)
    else:
        text = _note_text(note).encode()
        attachment.update(contentType="text/plain; charset=utf-8", data=base64.b64encode(text).decode())
    return {
        "resourceType": "DocumentReference",
        "id": str(note.public_id),
        "status": "current",
        "docStatus": "final",
        "type": {
            "coding": [{"system": LOINC, "code": "11506-3", "display": "Progress note"}],
            "text": "SOAP note",
        },
        "subject": _ref("Patient", note.client.public_id),
        "date": _when(note.signed_at),
        "author": [_ref("Practitioner", note.therapist.public_id)],
        "content": [{"attachment": attachment}],
        "context": {"encounter": [_encounter_ref(note.appointment)]},
    }


def _money(cents: int, currency: str) -> dict:
    return {"value": cents / 100, "currency": currency}


def invoice(bill) -> dict:
    lines = [
        {
            "sequence": position,
            "chargeItemCodeableConcept": {"text": line.description},
            "priceComponent": [{"type": "base", "amount": _money(line.amount_cents, bill.currency)}],
        }
        for position, line in enumerate(bill.lines.all(), start=1)
    ]
    resource = {
        "resourceType": "Invoice",
        "id": str(bill.public_id),
        "status": "issued",
        "identifier": [{"system": "urn:bodymap:invoice-number", "value": bill.number}],
        "subject": _ref("Patient", bill.client.public_id),
        "date": _when(bill.issued_at),
        "totalNet": _money(bill.subtotal_cents, bill.currency),
        "totalGross": _money(bill.total_cents, bill.currency),
    }
    if lines:
        resource["lineItem"] = lines
    return resource


@cache
def _model(resource_type: str):
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def bundle(resources: list[dict], timestamp: datetime) -> dict:
    """A collection Bundle as plain data, every resource validated against its R4 model first: a
    resource that breaks the rules raises here, not at the system that reads the export.

    Each resource is validated with its own model, and the envelope on its own, rather than the whole
    Bundle at once: the same checks, without looking up each entry's model by name, which made a
    three-year practice's export (about 90,000 resources) take three times as long."""
    for resource in resources:
        _model(resource["resourceType"]).model_validate(resource)
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _when(timestamp),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    Bundle.model_validate({**data, "entry": [{"fullUrl": e["fullUrl"]} for e in data["entry"]]})
    return data


def to_json(data: dict, *, indent=None) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=indent).encode()
