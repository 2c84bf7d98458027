"""Activity names are the client's own words: a chart shows them as typed, never as markup."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bodymap.notes.models import FunctionalRating, SessionNote
from bodymap.notes.outcomes_view import activity_key, series_for

NAMES = [r"Walk $\foo$ far", "Lift $5 bags", "$", r"Reach \overline{ shelf }", "Pay $3 and $4 at the till"]


@pytest.fixture
def rated(cast):
    def with_activity(activity):
        now = timezone.now()
        note = SessionNote.objects.create(
            practice=cast.practice, client=cast.client, appointment=cast.appointment, therapist=cast.therapist
        )
        for days, score in ((14, 3), (7, 5)):
            FunctionalRating.objects.create(
                client=cast.client,
                note=note,
                activity=activity,
                score=score,
                recorded_at=now - timedelta(days=days),
            )
        return activity_key(activity)

    return with_activity


@pytest.mark.parametrize("activity", NAMES)
def test_it_draws_the_chart_of_an_activity_named_with_dollars_and_backslashes(as_role, cast, rated, activity):
    key = rated(activity)
    for http, url in (
        (as_role("therapist"), reverse("notes:outcome_chart", args=[cast.client.public_id, "psfs", key])),
        (as_role("client"), reverse("portal:progress_chart", args=["psfs", key])),
    ):
        response = http.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"\x89PNG")


def test_it_hands_matplotlib_the_name_as_plain_text(cast, rated):
    from bodymap.notes.outcomes_view import figure

    rated(r"Walk $\foo$ far")
    (series,) = [s for s in series_for(cast.client) if s.kind == "psfs"]
    texts = [t for t in figure(series).findobj(lambda artist: hasattr(artist, "get_parse_math"))]
    titles = [t for t in texts if t.get_text() == r"Walk $\foo$ far"]
    assert titles and not any(t.get_parse_math() for t in titles)
