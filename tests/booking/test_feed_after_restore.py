"""Ending someone's access ends their calendar feed for good, even if their access comes back."""

from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from bodymap.accounts.staff import set_active
from bodymap.booking.feeds import issue_feed


def as_owner(cast):
    request = RequestFactory().post("/")
    request.user = cast.owner.user
    return request


def test_it_does_not_revive_an_old_feed_address_when_access_is_restored(booking):
    cast = booking.cast
    url = reverse("feeds:calendar", args=[issue_feed(cast.therapist)])
    assert HttpClient().get(url).status_code == 200
    set_active(membership=cast.therapist, active=False, request=as_owner(cast))
    assert HttpClient().get(url).status_code == 404
    set_active(membership=cast.therapist, active=True, request=as_owner(cast))
    assert HttpClient().get(url).status_code == 404
    # They can make a new address once they are back.
    assert HttpClient().get(reverse("feeds:calendar", args=[issue_feed(cast.therapist)])).status_code == 200
