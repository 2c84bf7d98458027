"""SOAP notes: drafts, consent enforced on every row of work, signing locks, addenda append."""

import io
import re

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from bodymap.audit.models import AuditEntry
from bodymap.notes.models import Addendum, FunctionalRating, PainRating, SessionNote
from tests.intake.helpers import fill_intake
from tests.notes.helpers import confirm, note_data, past_appointment, post_note

FOUNDING = {
    "low_back__mid": {"pain": 6, "symptoms": ["stiffness"]},
    "posterior_thigh__left": {"pain": 5, "symptoms": ["radiating", "worse_sitting"]},
}
GLUTEAL = {
    "region": "gluteal",
    "side": "both",
    "minutes": "15",
    "techniques": ["effleurage", "trigger_point"],
    "contact": "skin",
}
LOW_BACK = {
    "region": "low_back",
    "side": "both",
    "minutes": "20",
    "techniques": ["petrissage"],
    "contact": "skin",
}


@pytest.fixture
def session(cast, client):
    fill_intake(client, cast.client, complaints=FOUNDING, consent={"gluteal": "granted"})
    appointment = past_appointment(cast)
    return appointment


def test_it_prefills_the_note_from_the_intake_and_the_planner(as_role, session):
    page = as_role("therapist").get(reverse("notes:edit", args=[session.public_id])).content.decode()
    assert "low back: pain 6/10; stiffness" in page
    assert "Suggested by the planner" in page
    assert 'name="pain-0-region"' in page


def test_it_refuses_gluteal_work_without_consent_for_this_appointment_and_keeps_the_rest(as_role, session):
    confirm(session, gluteal="declined")
    response = post_note(
        as_role("therapist"), session, treatment=[LOW_BACK, GLUTEAL], assessment="Tight QL on the left."
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No consent for the buttock (gluteal region) in this session: the client declined it." in page
    assert "Tight QL on the left." in page  # nothing typed is lost
    assert 'name="treatment-0-minutes" value="20"' in page
    note = SessionNote.objects.get(appointment=session)
    assert note.treatment == []  # nothing was saved as the note's work
    assert note.draft["assessment"] == ["Tight QL on the left."]


def test_it_requires_over_the_drape_contact_when_that_is_the_consent(as_role, session):
    confirm(session, gluteal="over_drape")
    page = post_note(as_role("therapist"), session, treatment=[GLUTEAL]).content.decode()
    assert (
        '<p class="error">The client consented to work on the buttock (gluteal region) over the drape only: '
        "choose “over the drape”.</p>"
    ) in page
    response = post_note(as_role("therapist"), session, treatment=[{**GLUTEAL, "contact": "over_drape"}])
    assert response.status_code == 302


REASONS = {
    "declined": "the client declined it",
    "withdrawn": "the client withdrew consent",
    "not_confirmed": "consent has not been confirmed for this appointment",
    "not_asked": "the client has not been asked",
}


@pytest.mark.parametrize("state", REASONS)
def test_the_refusal_says_why_there_is_no_consent_beside_the_rows_region(as_role, cast, client, state):
    if state != "not_asked":  # without an intake, nobody has asked
        fill_intake(client, cast.client, consent={"gluteal": "granted"})
    appointment = past_appointment(cast)
    if state in ("declined", "withdrawn"):
        confirm(appointment, gluteal=state)
    # A row left empty comes first: the check goes on past it to the rows below.
    response = post_note(as_role("therapist"), appointment, treatment=[{"region": ""}, GLUTEAL])
    expected = (
        f"No consent for the buttock (gluteal region) in this session: {REASONS[state]}. Nothing can be "
        "recorded there; record the work elsewhere, or confirm consent with the client first."
    )
    assert f'<p class="error">{expected}</p>' in response.content.decode()
    assert response.context["editor"].formsets["treatment"].forms[1].errors["region"] == [expected]
    assert SessionNote.objects.get(appointment=appointment).treatment == []


def test_it_refuses_work_on_a_region_the_client_asked_to_avoid(as_role, cast, client):
    fill_intake(client, cast.client, avoid=["foot"])
    appointment = past_appointment(cast)
    foot = {"region": "foot", "side": "left", "minutes": "5", "contact": "skin"}
    page = post_note(as_role("therapist"), appointment, treatment=[foot]).content.decode()
    assert '<p class="error">The client asked not to be touched on the foot.</p>' in page


def test_it_refuses_a_finding_on_a_region_without_consent(as_role, session):
    confirm(session)
    finding = {"region": "gluteal", "side": "left", "muscle": "piriformis", "tension": "2", "tenderness": "2"}
    page = post_note(as_role("therapist"), session, findings=[finding]).content.decode()
    assert "No consent for the buttock (gluteal region)" in page


def test_it_signs_and_records_outcomes(as_role, session):
    confirm(session, gluteal="granted")
    finding = {
        "region": "gluteal",
        "side": "left",
        "muscle": "piriformis",
        "tension": "3",
        "tenderness": "2",
        "trigger_points": "on",
        "rom": "Hip internal rotation limited on the left",
    }
    response = post_note(
        as_role("therapist"),
        session,
        action="sign",
        treatment=[LOW_BACK, GLUTEAL],
        findings=[finding],
        pain=[{"region": "low_back", "side": "both", "rating": "4"}],
        psfs=[{"activity": "Sitting  through a meeting", "score": "5"}],
    )
    note = SessionNote.objects.get(appointment=session)
    assert response["Location"] == reverse("notes:detail", args=[note.public_id])
    assert note.is_signed and note.signature == note.signed_by.full_name
    assert note.findings[0]["muscle"] == "piriformis" and note.findings[0]["tension"] == 3
    assert note.treatment[1] == {
        "region": "gluteal",
        "side": "both",
        "minutes": 15,
        "techniques": ["effleurage", "trigger_point"],
        "contact": "skin",
    }
    assert PainRating.objects.get(note=note).rating == 4
    assert FunctionalRating.objects.get(note=note).activity == "Sitting through a meeting"
    session.refresh_from_db()
    assert session.status == "completed"
    # The audit log says who signed, for which client.
    entry = AuditEntry.objects.get(
        subject_type="note", subject_public_id=note.public_id, details__signed=True
    )
    assert entry.actor == note.signed_by and entry.details["client"] == str(session.client.public_id)
    assert entry.practice == session.practice and entry.ip_address == "127.0.0.1"


def _refused_signature(response, session, message):
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    note = SessionNote.objects.get(appointment=session)
    assert not note.is_signed and note.treatment == []
    assert not PainRating.objects.filter(note=note).exists()


def test_it_refuses_to_sign_work_on_a_region_without_consent(as_role, session):
    confirm(session, gluteal="declined")
    response = post_note(as_role("therapist"), session, action="sign", treatment=[LOW_BACK, GLUTEAL])
    _refused_signature(response, session, "No consent for the buttock (gluteal region) in this session")
    # The same signature without the gluteal row goes through.
    response = post_note(as_role("therapist"), session, action="sign", treatment=[LOW_BACK])
    assert response.status_code == 302 and SessionNote.objects.get(appointment=session).is_signed


def test_it_refuses_to_sign_skin_contact_where_the_consent_is_over_the_drape(as_role, session):
    confirm(session, gluteal="over_drape")
    response = post_note(as_role("therapist"), session, action="sign", treatment=[GLUTEAL])
    _refused_signature(response, session, "over the drape only")
    response = post_note(
        as_role("therapist"), session, action="sign", treatment=[{**GLUTEAL, "contact": "over_drape"}]
    )
    assert response.status_code == 302 and SessionNote.objects.get(appointment=session).is_signed


def test_it_refuses_to_sign_work_on_a_region_the_client_asked_to_avoid(as_role, cast, client):
    fill_intake(client, cast.client, avoid=["foot"])
    appointment = past_appointment(cast)
    foot = {"region": "foot", "side": "left", "minutes": "5", "contact": "skin"}
    response = post_note(as_role("therapist"), appointment, action="sign", treatment=[foot])
    _refused_signature(response, appointment, "The client asked not to be touched on the foot.")


def test_it_needs_the_confirmation_tick_to_sign(as_role, session):
    page = (
        as_role("therapist")
        .post(reverse("notes:edit", args=[session.public_id]), {**note_data(), "action": "sign"})
        .content.decode()
    )
    assert "Tick to confirm before signing." in page
    assert not SessionNote.objects.get(appointment=session).is_signed


@pytest.fixture
def signed(as_role, session):
    post_note(as_role("therapist"), session, action="sign", treatment=[LOW_BACK])
    return SessionNote.objects.get(appointment=session)


def test_it_sends_a_signed_note_to_its_read_only_page(as_role, signed, session):
    response = as_role("therapist").post(
        reverse("notes:edit", args=[session.public_id]), note_data(subjective="x")
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "notes:detail", args=[signed.public_id]
    )
    signed.refresh_from_db()
    assert signed.subjective == "Low back stiff after driving."


def test_the_database_refuses_to_update_a_signed_note(signed):
    signed.subjective = "changed"
    with pytest.raises(IntegrityError, match="locked"), transaction.atomic():
        signed.save()
    with pytest.raises(IntegrityError, match="locked"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE notes_sessionnote SET plan = 'x'")


def test_the_database_refuses_to_delete_a_signed_note(signed):
    with pytest.raises(IntegrityError, match="locked"), transaction.atomic():
        SessionNote.objects.filter(pk=signed.pk).delete()
    with pytest.raises(IntegrityError, match="locked"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM notes_sessionnote")
    assert SessionNote.objects.filter(pk=signed.pk).exists()


def test_the_database_lets_a_draft_change(as_role, session):
    post_note(as_role("therapist"), session, treatment=[LOW_BACK])
    note = SessionNote.objects.get(appointment=session)
    note.plan = "Revised plan"
    note.save()
    assert SessionNote.objects.get(pk=note.pk).plan == "Revised plan"


def test_it_adds_signed_addenda_that_the_database_never_changes(as_role, signed):
    http = as_role("therapist")
    response = http.post(
        reverse("notes:addendum", args=[signed.public_id]),
        {"text": "Forgot: client reported relief on standing.", "confirm": "on"},
    )
    assert response.status_code == 302
    addendum = Addendum.objects.get(note=signed)
    assert addendum.signature == addendum.author.full_name
    page = http.get(reverse("notes:detail", args=[signed.public_id])).content.decode()
    assert "Forgot: client reported relief on standing." in page
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Addendum.objects.filter(pk=addendum.pk).update(text="edited")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Addendum.objects.filter(pk=addendum.pk).delete()


def test_outcome_ratings_are_append_only(signed):
    post = PainRating.objects.create(
        client=signed.client, note=signed, region="neck", rating=3, recorded_at=signed.signed_at
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        PainRating.objects.filter(pk=post.pk).update(rating=1)


def test_it_exports_a_pdf_with_the_notes_text_and_audits_it(as_role, signed):
    Addendum.objects.create(
        note=signed, text="Addendum text: heat advised.", author=signed.signed_by, signature="Therapist"
    )
    response = as_role("therapist").get(reverse("notes:pdf", args=[signed.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Session note: Sam Rivera" in text
    assert "Low back stiff after driving." in text
    assert "Low back: 20 min, on the skin" in text
    assert "Addendum text: heat advised." in text
    assert AuditEntry.objects.filter(action="export", subject_public_id=signed.public_id).exists()


def test_it_exports_a_treatment_summary_for_another_provider(as_role, signed, cast):
    response = as_role("owner").get(
        reverse("notes:summary", args=[cast.client.public_id]), {"for": "provider"}
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Treatment summary for another provider" in text
    assert "Low back: pain 6/10 at intake" in text
    assert re.search(r"Buttock \(gluteal region\): yes", text)
    assert AuditEntry.objects.filter(action="export", details__document="summary").exists()


def test_it_autosaves_a_draft(as_role, session):
    http = as_role("therapist")
    http.get(reverse("notes:edit", args=[session.public_id]))
    response = http.post(
        reverse("notes:edit", args=[session.public_id]),
        {**note_data(assessment="half a thought"), "autosave": "1"},
    )
    assert response.status_code == 204
    page = http.get(reverse("notes:edit", args=[session.public_id])).content.decode()
    assert "half a thought" in page


def test_the_draft_keeps_what_was_typed_up_to_its_bounds_and_none_of_the_buttons(as_role, session):
    http = as_role("therapist")
    url = reverse("notes:edit", args=[session.public_id])
    typed = {
        **note_data(assessment="a" * 10_001),
        "plan": [f"line {i}" for i in range(101)],
        "autosave": "1",
        "action": "sign",
        "confirm": "on",
        "csrfmiddlewaretoken": "token",
    }
    assert http.post(url, typed).status_code == 204
    draft = SessionNote.objects.get(appointment=session).draft
    assert draft["subjective"] == ["Low back stiff after driving."]
    assert draft["assessment"] == ["a" * 10_000]
    assert draft["plan"] == [f"line {i}" for i in range(100)]
    assert not {"autosave", "action", "confirm", "csrfmiddlewaretoken"} & set(draft)
    # Reopened, the editor shows the text itself, not a list of it.
    assert "Low back stiff after driving.</textarea>" in http.get(url).content.decode()


def test_it_saves_rows_left_partly_empty_with_their_defaults(as_role, session):
    confirm(session, gluteal="granted")
    cupping = {
        "region": "gluteal",
        "side": "left",
        "minutes": "5",
        "techniques": ["other"],
        "techniques_other": "Cupping",
        "contact": "over_drape",
    }
    response = post_note(
        as_role("therapist"),
        session,
        findings=[{"region": "gluteal", "muscle": "piriformis"}],
        treatment=[{"region": "low_back", "minutes": "10"}, cupping],
        pain=[{"region": "low_back", "rating": "3"}],
        psfs=[{"activity": "  Climbing   stairs ", "score": "6"}],
    )
    assert response.status_code == 302
    note = SessionNote.objects.get(appointment=session)
    assert note.findings == [
        {
            "region": "gluteal",
            "side": "both",
            "muscle": "piriformis",
            "tension": 0,
            "tenderness": 0,
            "trigger_points": False,
            "rom": "",
        }
    ]
    assert note.treatment == [
        {"region": "low_back", "side": "both", "minutes": 10, "techniques": [], "contact": "skin"},
        {**cupping, "minutes": 5},
    ]
    assert note.pain == [{"region": "low_back", "side": "both", "rating": 3}]
    assert note.psfs == [{"activity": "Climbing stairs", "score": 6}]


def test_a_new_note_starts_from_the_intake_with_blank_rows_to_fill(as_role, session):
    editor = as_role("therapist").get(reverse("notes:edit", args=[session.public_id])).context["editor"]
    assert editor.formsets["pain"].forms[0].initial["region"] == "low_back"  # from the intake
    for name, blank in {"findings": 2, "treatment": 2, "pain": 1, "psfs": 1}.items():
        formset = editor.formsets[name]
        assert formset.total_form_count() == len(formset.initial or []) + blank, name


def test_it_audits_a_minute_of_autosaves_once(as_role, session):
    """Autosaves fire every few seconds while the therapist types: one entry per note per few minutes."""
    http = as_role("therapist")
    url = reverse("notes:edit", args=[session.public_id])
    http.post(url, {**note_data(), "autosave": "1"})  # the first autosave starts the draft
    note = SessionNote.objects.get(appointment=session)
    changes = AuditEntry.objects.filter(subject_public_id=note.public_id, action="change")
    with time_machine.travel(note.created_at, tick=False) as clock:
        for words in ("half", "half a", "half a thought"):
            clock.shift(20)
            assert http.post(url, {**note_data(assessment=words), "autosave": "1"}).status_code == 204
        assert changes.count() == 1
        clock.shift(6 * 60)
        http.post(url, {**note_data(assessment="a whole thought"), "autosave": "1"})
    assert changes.count() == 2
    assert "a whole thought" in http.get(url).content.decode()


def test_only_the_appointments_therapist_or_the_owner_writes_the_note(as_role, cast):
    # Sam is assigned to `therapist` but this session was with the other therapist: both may read the
    # chart, only the treating therapist (or the owner) writes the note.
    appointment = past_appointment(cast, therapist=cast.other_therapist)
    url = reverse("notes:edit", args=[appointment.public_id])
    assert as_role("therapist").get(url).status_code == 404  # no note yet, and not theirs to start
    assert as_role("other_therapist").get(url).status_code == 200
    as_role("other_therapist").post(url, note_data(subjective="mine"))  # the first save starts the note
    note = SessionNote.objects.get(appointment=appointment)
    response = as_role("therapist").post(url, note_data(subjective="not mine"))
    assert response["Location"] == reverse("notes:detail", args=[note.public_id])
    assert as_role("owner").get(url).status_code == 200


def test_it_flags_notes_left_unsigned_on_the_dashboard(as_role, cast, session):
    post_note(as_role("therapist"), session)  # saves a draft
    http = as_role("therapist")
    assert "waiting for your signature" not in http.get(reverse("booking:dashboard")).content.decode()
    cast.practice.unsigned_note_days = 0
    cast.practice.save()
    page = http.get(reverse("booking:dashboard")).content.decode()
    assert "1 session note waiting for your signature" in page
    assert reverse("notes:edit", args=[session.public_id]) in page


def test_opening_the_editor_writes_no_draft_and_the_first_save_does(as_role, session):
    url = reverse("notes:edit", args=[session.public_id])
    page = as_role("therapist").get(url).content.decode()
    assert "not saved yet" in page and "From the intake of" in page  # prefilled, not stored
    assert not SessionNote.objects.filter(appointment=session).exists()
    post_note(as_role("therapist"), session)
    assert SessionNote.objects.filter(appointment=session).count() == 1
