"""Every notes and outcomes view against every role. Front desk never sees notes; a client sees only
their own outcomes."""

import pytest
from django.urls import reverse

from bodymap.notes.models import SessionNote
from bodymap.notes.outcomes_view import series_for
from tests.cast import ROLES, SIGN_IN, assert_access
from tests.intake.helpers import fill_intake
from tests.notes.helpers import confirm, past_appointment, post_note

CLINICAL = {
    "owner": 200,
    "therapist": 200,
    "other_therapist": 404,
    "front_desk": 404,
    "client": 404,
    "other_client": 404,
    "anonymous": SIGN_IN,
}
PORTAL = {
    "owner": 404,
    "therapist": 404,
    "other_therapist": 404,
    "front_desk": 404,
    "client": 200,
    "other_client": 200,
    "anonymous": SIGN_IN,
}
LOW_BACK = {"region": "low_back", "side": "both", "minutes": "30", "contact": "skin"}


@pytest.fixture
def world(cast, client, as_role):
    fill_intake(client, cast.client)
    appointment = past_appointment(cast)
    confirm(appointment)
    post_note(
        as_role("therapist"),
        appointment,
        action="sign",
        treatment=[LOW_BACK],
        pain=[{"region": "low_back", "side": "both", "rating": "5"}],
    )
    note = SessionNote.objects.get(appointment=appointment)
    series = series_for(cast.client)[0]
    return {"note": note, "appointment": appointment, "series": series}


VIEWS = [
    (
        "note editor",
        lambda c, w: reverse("notes:edit", args=[w["appointment"].public_id]),
        {**CLINICAL, "owner": 302, "therapist": 302},
    ),  # signed: sent on to the read-only page
    ("note", lambda c, w: reverse("notes:detail", args=[w["note"].public_id]), CLINICAL),
    ("note pdf", lambda c, w: reverse("notes:pdf", args=[w["note"].public_id]), CLINICAL),
    ("summary pdf", lambda c, w: reverse("notes:summary", args=[c.client.public_id]), CLINICAL),
    ("note list", lambda c, w: reverse("notes:list", args=[c.client.public_id]), CLINICAL),
    (
        "outcome chart",
        lambda c, w: reverse("notes:outcome_chart", args=[c.client.public_id, "pain", w["series"].key]),
        CLINICAL,
    ),
    ("portal progress", lambda c, w: reverse("portal:progress"), PORTAL),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_it_checks_ownership(as_role, cast, world, role, name, url, expected):
    assert_access(as_role(role).get(url(cast, world)), expected[role], f"{role} on {name}")


def test_it_refuses_an_addendum_from_anyone_but_the_notes_clinicians(as_role, cast, world):
    url = reverse("notes:addendum", args=[world["note"].public_id])
    for role in ("other_therapist", "front_desk", "client"):
        assert as_role(role).post(url, {"text": "x", "confirm": "on"}).status_code == 404
    assert world["note"].addenda.count() == 0
    # The same request from the note's therapist is written, so the refusals were about who asked.
    assert as_role("therapist").post(url, {"text": "x", "confirm": "on"}).status_code == 302
    assert world["note"].addenda.count() == 1


def test_a_client_sees_only_their_own_progress(as_role, cast, world):
    own = as_role("client").get(reverse("portal:progress")).content.decode()
    assert "Pain: low back" in own
    other = as_role("other_client").get(reverse("portal:progress")).content.decode()
    assert "Pain: low back" not in other
    assert (
        as_role("other_client")
        .get(reverse("portal:progress_chart", args=["pain", world["series"].key]))
        .status_code
        == 404
    )
    chart = as_role("client").get(reverse("portal:progress_chart", args=["pain", world["series"].key]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")


def test_front_desk_sees_no_notes_on_the_client_page(as_role, cast, world):
    page = as_role("front_desk").get(reverse("clients:detail", args=[cast.client.public_id])).content.decode()
    assert "Session notes" not in page and "SOAP" not in page


def test_viewing_and_exporting_notes_and_outcomes_is_audited(as_role, cast, world):
    from bodymap.audit.models import AuditEntry

    http = as_role("owner")
    http.get(reverse("notes:detail", args=[world["note"].public_id]))
    http.get(reverse("notes:pdf", args=[world["note"].public_id]))
    http.get(reverse("notes:outcome_chart", args=[cast.client.public_id, "pain", world["series"].key]))
    as_role("client").get(reverse("portal:progress"))
    entries = AuditEntry.objects.filter(actor__in=[cast.owner.user, cast.client.user])
    kinds = {(e.action, e.subject_type) for e in entries}
    assert {("view", "note"), ("export", "note"), ("view", "outcomes")} <= kinds
    assert entries.filter(actor=cast.client.user, subject_type="outcomes").exists()
