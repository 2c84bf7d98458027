"""A therapist's client record: whether they may see the clinical side is answered by the read of the
client itself, so the page's queries stay pinned."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bodymap.booking.models import Appointment
from tests.booking.conftest import at, next_weekday


def test_a_therapist_opens_their_clients_record_in_a_pinned_number_of_queries(as_role, cast):
    cast.client.assigned_therapist = cast.therapist
    cast.client.save()
    day = next_weekday(1)
    Appointment.objects.create(
        practice=cast.practice,
        client=cast.client,
        therapist=cast.therapist,
        start=at(day, 9),
        end=at(day, 10),
    )
    http = as_role("therapist")
    url = reverse("clients:detail", args=[cast.client.public_id])
    http.get(url)  # the session's once-a-minute refresh
    with CaptureQueriesContext(connection) as queries:
        page = http.get(url).content.decode()
    assert reverse("chart:chart", args=[cast.client.public_id]) in page  # the clinical side is offered
    # Session, user, membership, second factor; the client, the appointments, the audit entry of
    # the read (savepoint, the chain's lock on PostgreSQL, its head, insert, release), pending
    # contact changes, imported notes.
    expected = 13 if connection.vendor == "postgresql" else 12
    assert len(queries) == expected, "\n".join(q["sql"][:70] for q in queries)


def test_another_therapist_is_not_offered_the_chart(as_role, cast):
    cast.client.assigned_therapist = cast.therapist
    cast.client.save()
    url = reverse("clients:detail", args=[cast.client.public_id])
    assert as_role("other_therapist").get(url).status_code == 404
    assert as_role("therapist").get(url).status_code == 200
