"""The demo practice exported and brought into an empty practice: the same people and records."""

import io
import json
import zipfile

import pytest

from bodymap.accounts.models import Membership, Practice, User
from bodymap.audit.models import AuditEntry
from bodymap.booking.models import AppointmentStatus
from bodymap.clients.models import Client
from bodymap.consent.models import ConsentRecord
from bodymap.demo import practice as demo
from bodymap.exchange.exporting import export_practice
from bodymap.exchange.fhir import PAIN_CODE, REGION_SYSTEM
from bodymap.exchange.restoring import restore_export
from bodymap.notes.models import SessionNote


@pytest.fixture
def exported(db):
    practice = demo.load()
    owner = Membership.objects.get(practice=practice, role="owner")
    out = io.BytesIO()
    # Note PDFs are slow to draw and are checked once, below.
    export_practice(practice, out, actor=owner.user, with_pdfs=False)
    return practice, owner, out.getvalue()


def _empty_practice_with_the_same_staff(source):
    """The people of `source` under new accounts: same names, new emails."""
    target = Practice.objects.create(name="Restored", slug="restored", timezone=source.timezone)
    for m in Membership.objects.filter(practice=source).select_related("user"):
        user = User.objects.create_user(email=f"new.{m.user.email}", full_name=m.user.full_name)
        Membership.objects.create(
            practice=target, user=user, role=m.role, provides_treatment=m.provides_treatment
        )
    return target


def _clients(practice):
    return sorted(
        Client.objects.filter(practice=practice).values_list(
            "first_name", "last_name", "email", "phone", "date_of_birth", "address"
        )
    )


def _appointments(practice):
    return sorted(
        (a.client.full_name, a.therapist.user.full_name, a.start, a.end, a.status, a.service_name)
        for a in practice.appointments.exclude(status=AppointmentStatus.HELD).select_related(
            "client", "therapist__user"
        )
    )


def _consents(practice):
    return sorted(
        (r.client.full_name, r.region, r.side, r.decision, r.given_at, r.explanation_sha256, r.signature)
        for r in ConsentRecord.objects.filter(practice=practice).select_related("client")
    )


def _notes(practice):
    return sorted(
        (
            n.client.full_name,
            n.appointment.start,
            n.subjective,
            n.assessment,
            n.plan,
            n.signed_at,
            n.signature,
        )
        for n in SessionNote.objects.filter(practice=practice, signed_at__isnull=False).select_related(
            "client", "appointment"
        )
    )


def test_it_brings_an_export_back_with_the_same_records(exported):
    practice, owner, data = exported
    target = _empty_practice_with_the_same_staff(practice)
    restore_export(target, data, actor=owner.user)
    assert _clients(target) == _clients(practice)
    assert _appointments(target) == _appointments(practice)
    assert _consents(target) == _consents(practice)
    assert _notes(target) == _notes(practice)
    assert len(_notes(target)) > 10 and len(_consents(target)) > 20


def test_it_refuses_a_practice_that_already_has_clients(exported):
    from bodymap.exchange.cells import BadFile

    practice, owner, data = exported
    with pytest.raises(BadFile):
        restore_export(practice, data, actor=owner.user)
    assert Client.objects.filter(practice=practice).count() == 25


def test_it_writes_one_audit_entry_for_the_export(exported):
    practice, owner, _data = exported
    entry = AuditEntry.objects.get(action="export", subject_type="practice")
    assert entry.actor == owner.user and entry.details["clients"] == 25


def _bundle(data):
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("fhir/bundle.json"))


def test_its_bundle_validates_as_fhir_r4(exported):
    from fhir.resources.R4B.bundle import Bundle

    bundle = Bundle.model_validate(_bundle(exported[2]))
    kinds = {entry.resource.get_resource_type() for entry in bundle.entry}
    assert kinds >= {
        "Organization",
        "Practitioner",
        "Patient",
        "Appointment",
        "Encounter",
        "Consent",
        "Observation",
        "QuestionnaireResponse",
        "DocumentReference",
        "Invoice",
    }


def test_its_consent_has_one_provision_per_sensitive_region_with_the_signed_text(exported):
    practice, _owner, data = exported
    sam = Client.objects.get(practice=practice, first_name="Sam", last_name="Rivera")
    resources = [e["resource"] for e in _bundle(data)["entry"]]
    consent = next(
        r
        for r in resources
        if r["resourceType"] == "Consent" and r["patient"]["reference"] == f"urn:uuid:{sam.public_id}"
    )
    standing = {}
    for record in ConsentRecord.objects.filter(client=sam, appointment__isnull=True).order_by(
        "given_at", "id"
    ):
        standing[record.region] = record
    provisions = {p["code"][0]["coding"][0]["code"]: p for p in consent["provision"]["provision"]}
    assert provisions.keys() == standing.keys()
    for region, record in standing.items():
        extensions = {
            e["url"].rsplit("/", 1)[1]: e["valueString" if "valueString" in e else "valueCode"]
            for e in provisions[region]["extension"]
        }
        assert extensions["consent-decision"] == record.decision
        assert extensions["consent-text"] == record.explanation
        assert extensions["consent-text-sha256"] == record.explanation_sha256
        want = "permit" if record.decision in ("granted", "over_drape") else "deny"
        assert provisions[region]["type"] == want
    assert standing["gluteal"].decision == "granted"


def test_its_pain_observations_carry_the_loinc_code_and_the_region(exported):
    resources = [e["resource"] for e in _bundle(exported[2])["entry"]]
    pain = [r for r in resources if r["resourceType"] == "Observation" and "coding" in r["code"]]
    assert pain
    for observation in pain:
        assert observation["code"]["coding"][0]["system"] == "http://loinc.org"
        assert observation["code"]["coding"][0]["code"] == PAIN_CODE["code"] == "72514-3"
        assert observation["bodySite"]["coding"][0]["system"] == REGION_SYSTEM
        assert 0 <= observation["valueInteger"] <= 10
    assert "low_back" in {o["bodySite"]["coding"][0]["code"] for o in pain}


def test_it_puts_each_signed_note_in_the_zip_as_pdf(exported):
    practice, owner, _data = exported
    out = io.BytesIO()
    export_practice(practice, out, actor=owner.user)
    data = out.getvalue()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for note in SessionNote.objects.filter(practice=practice, signed_at__isnull=False):
        assert f"notes/{note.public_id}.pdf" in names
