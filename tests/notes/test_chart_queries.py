"""The chart of a client with a long history stays fast: its query count does not grow with sessions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.intake.helpers import fill_intake
from tests.notes.history import build_history


def pinned():
    """The chart's queries: one more on PostgreSQL, the audit chain's lock."""
    return 17 if connection.vendor == "postgresql" else 16


def chart_queries(http, client):
    http.get(reverse("chart:chart", args=[client.public_id]))  # the session's once-a-minute refresh
    with CaptureQueriesContext(connection) as queries:
        response = http.get(reverse("chart:chart", args=[client.public_id]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(("sessions", "listed"), [(3, 3), (40, 20)])
def test_it_lists_the_latest_sessions_and_every_outcome(as_role, cast, client, sessions, listed):
    fill_intake(client, cast.client)
    build_history(cast.practice, cast.client, cast.therapist, sessions)
    _count, page = chart_queries(as_role("therapist"), cast.client)
    assert page.count('class="badge badge--completed">signed') == listed
    assert ("and 20 earlier notes: see them all" in page) is (sessions == 40)
    assert "Pain in the low back" in page and "Sitting through a meeting" in page


def test_its_query_count_does_not_grow_with_sessions(as_role, cast, client):
    fill_intake(client, cast.client)
    http = as_role("owner")
    build_history(cast.practice, cast.client, cast.therapist, 5)
    few, _ = chart_queries(http, cast.client)
    # Fifty-five more weekly sessions, earlier in time, for the same client.
    earlier = cast.client.appointments.order_by("start").first().start - timedelta(days=7 * 56)
    build_history(cast.practice, cast.client, cast.therapist, 55, start=earlier)
    many, page = chart_queries(http, cast.client)
    assert "and 40 earlier notes" in page
    assert few == many, f"{few} queries for 5 sessions but {many} for 60"
    # Session, user, membership, second factor; the client (read through the owner's access);
    # intake, consent, next appointment, the latest notes with the count of all, pain, function,
    # open safety alert; the audit entries of the reads (savepoint, chain head, insert, release).
    assert many == pinned()


def test_a_therapist_opens_their_clients_chart_in_as_many_queries(as_role, cast, client):
    fill_intake(client, cast.client)
    build_history(cast.practice, cast.client, cast.therapist, 5)
    count, page = chart_queries(as_role("therapist"), cast.client)
    assert "Pain in the low back" in page
    # Whether a therapist may see the client is answered by the read of the client itself.
    assert count == pinned()


def test_it_pages_through_every_note(as_role, cast, client):
    build_history(cast.practice, cast.client, cast.therapist, 60)
    http = as_role("therapist")
    first = http.get(reverse("notes:list", args=[cast.client.public_id])).content.decode()
    second = http.get(reverse("notes:list", args=[cast.client.public_id]), {"page": 2}).content.decode()
    assert first.count("badge--completed") == 50 and second.count("badge--completed") == 10
    assert "Page 1 of 2" in first
