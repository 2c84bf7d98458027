"""The note editor and the signed note as a therapist meets them: muscles by region, any technique,
the signed record without the planner's heading, and a PDF with the practice, footer and every glyph."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bodymap.notes.models import SessionNote
from tests.intake.helpers import fill_intake
from tests.notes.helpers import confirm, past_appointment, post_note

COMPLAINTS = {"low_back__mid": {"pain": 7, "symptoms": ["stiffness"]}}
LOW_BACK = {
    "region": "low_back",
    "side": "both",
    "minutes": "20",
    "techniques": ["petrissage"],
    "contact": "skin",
}


@pytest.fixture
def session(cast, client):
    cast.practice.address = "214 Roncesvalles Ave\nToronto, ON"
    cast.practice.save()
    fill_intake(client, cast.client, complaints=COMPLAINTS, consent={"gluteal": "granted"})
    appointment = past_appointment(cast)
    confirm(appointment, gluteal="granted")
    return appointment


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_it_lists_each_regions_muscles_under_it_by_their_anatomical_names(as_role, session):
    page = as_role("therapist").get(reverse("notes:edit", args=[session.public_id])).content.decode()
    assert '<optgroup label="Buttock (gluteal region)">' in page
    assert '<option value="piriformis">Piriformis</option>' in page
    assert "a small muscle deep in the buttock" not in page
    assert '"gluteal": ["gluteus_maximus", "gluteus_medius", "gluteus_minimus", "piriformis"]' in page


def test_it_refuses_a_muscle_that_does_not_lie_in_the_region(as_role, session):
    finding = {"region": "gluteal", "side": "both", "muscle": "masseter", "tension": "2", "tenderness": "1"}
    response = post_note(as_role("therapist"), session, findings=[finding])
    assert response.status_code == 200
    assert "This muscle does not lie in the region chosen." in response.content.decode()
    assert SessionNote.objects.get(appointment=session).findings == []


def test_it_records_another_technique_in_the_therapists_words(as_role, session):
    http = as_role("therapist")
    unnamed = {**LOW_BACK, "techniques": ["petrissage", "other"]}
    response = post_note(http, session, treatment=[unnamed])
    assert "Name the other technique." in response.content.decode()
    named = {**unnamed, "techniques_other": "  cupping  "}
    post_note(http, session, treatment=[named])
    note = SessionNote.objects.get(appointment=session)
    assert note.treatment[0]["techniques_other"] == "cupping"
    post_note(http, session, action="sign", treatment=[named])
    page = http.get(reverse("notes:detail", args=[note.public_id])).content.decode()
    assert "petrissage, cupping" in page and "other (specify)" not in page


def test_the_signed_note_and_its_pdf_drop_the_planners_heading_and_carry_the_practice(as_role, session):
    http = as_role("therapist")
    finding = {"region": "gluteal", "side": "both", "muscle": "piriformis", "tension": "2", "tenderness": "1"}
    plan = "Suggested by the planner (edit freely):\n- low back: 20 min\nPain 7 → 4 hoped for."
    post_note(http, session, action="sign", treatment=[LOW_BACK], findings=[finding], plan=plan)
    note = SessionNote.objects.get(appointment=session)
    assert note.is_signed and note.plan == "- low back: 20 min\nPain 7 → 4 hoped for."
    text = pdf_text(http.get(reverse("notes:pdf", args=[note.public_id])))
    assert "Suggested by the planner" not in text
    assert "Pain 7 → 4 hoped for." in text  # the arrow is a glyph of the font, not a box
    assert "Piriformis;" in text and "deep in the buttock" not in text
    assert "214 Roncesvalles Ave, Toronto, ON" in text
    assert "Sam Rivera · session note signed" in text and "Page 1" in text


def test_the_treatment_summary_starts_from_the_intakes_pain(as_role, session, cast):
    http = as_role("therapist")
    post_note(
        http, session, action="sign", treatment=[LOW_BACK], pain=[{"region": "low_back", "rating": "4"}]
    )
    text = pdf_text(http.get(reverse("notes:summary", args=[cast.client.public_id])))
    assert "Pain in the low back has fallen from 7 to 4 over one session since the intake" in text
