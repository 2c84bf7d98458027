"""Staff merge a possible duplicate into the client it is, or keep both, with an audit entry."""

import pytest
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import Appointment
from tests.cast import ROLES, make_possible_duplicate


@pytest.fixture
def duplicate(cast):
    return make_possible_duplicate(cast)


def merge_url(client):
    return reverse("clients:merge", args=[client.public_id])


@pytest.mark.parametrize("role", ROLES)
def test_it_checks_ownership(as_role, cast, duplicate, role):
    response = as_role(role).post(merge_url(duplicate), {"into": str(cast.client.public_id)})
    allowed = role in ("owner", "front_desk")
    expected = {"anonymous": 302}.get(role, 302 if allowed else 404)
    assert response.status_code == expected
    duplicate.refresh_from_db()
    assert (duplicate.merged_into == cast.client) is allowed
    assert Appointment.objects.get(pk=cast.appointment.pk).client == (cast.client if allowed else duplicate)


def test_it_shows_the_candidates_and_audits_the_read(as_role, cast, duplicate):
    page = as_role("front_desk").get(merge_url(duplicate))
    assert page.status_code == 200 and "Sam Rivera" in page.content.decode()
    assert AuditEntry.objects.filter(subject_public_id=duplicate.public_id, action="view").exists()


def test_it_merges_without_opening_the_chart_to_the_online_bookings_therapist(as_role, cast, duplicate):
    other = as_role("other_therapist")
    Appointment.objects.filter(pk=cast.appointment.pk).update(therapist=cast.other_therapist)
    as_role("front_desk").post(merge_url(duplicate), {"into": str(cast.client.public_id)})
    assert Appointment.objects.get(pk=cast.appointment.pk).client == cast.client
    assert other.get(reverse("chart:chart", args=[cast.client.public_id])).status_code == 404
    entry = AuditEntry.objects.filter(subject_public_id=duplicate.public_id, action="change").get()
    assert entry.details["merged_into"] == str(cast.client.public_id)


def test_it_keeps_a_family_member_as_a_client_of_their_own(as_role, cast, duplicate):
    response = as_role("owner").post(merge_url(duplicate), {"decision": "different"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.possible_duplicate_of is None and duplicate.is_active
    assert as_role("owner").get(merge_url(duplicate)).status_code == 404


def test_it_refuses_to_merge_into_a_client_with_another_address(as_role, cast, duplicate):
    as_role("owner").post(merge_url(duplicate), {"into": str(cast.other_client.public_id)})
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
