"""An outcome chart is drawn once per state of the client's ratings, and drawn again after a new one."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bodymap.notes import outcomes_view
from bodymap.notes.models import FunctionalRating, SessionNote


@pytest.fixture
def rate(cast):
    cache.clear()
    note = SessionNote.objects.create(
        practice=cast.practice, client=cast.client, appointment=cast.appointment, therapist=cast.therapist
    )

    def add(score, days_ago):
        FunctionalRating.objects.create(
            client=cast.client,
            note=note,
            activity="Lift the grandchildren",
            score=score,
            recorded_at=timezone.now() - timedelta(days=days_ago),
        )

    return add


def test_it_draws_a_chart_once_and_again_after_a_new_rating(as_role, cast, rate):
    rate(3, 14)
    rate(5, 7)
    url = reverse(
        "notes:outcome_chart",
        args=[cast.client.public_id, "psfs", outcomes_view.activity_key("Lift the grandchildren")],
    )
    http = as_role("therapist")
    with mock.patch.object(outcomes_view, "draw", wraps=outcomes_view.draw) as draw:
        first, second = http.get(url), http.get(url)
        assert draw.call_count == 1
        assert first.content == second.content and first.content.startswith(b"\x89PNG")
        rate(8, 1)
        third = http.get(url)
        assert draw.call_count == 2
        assert third.content != first.content


def test_it_still_refuses_a_measure_the_client_lacks_after_caching(as_role, cast, rate):
    rate(3, 14)
    http = as_role("therapist")
    url = reverse("notes:outcome_chart", args=[cast.client.public_id, "psfs", "0" * 12])
    assert http.get(url).status_code == 404
    assert http.get(url).status_code == 404
