"""The therapist's calendar feed: secret, revocable, and free of health details."""

from django.test import Client as HttpClient
from django.urls import reverse
from icalendar import Calendar

from bodymap.booking.feeds import issue_feed, revoke_feeds


def test_it_serves_the_therapists_appointments_as_icalendar(booking):
    cast = booking.cast
    token = issue_feed(cast.therapist)
    response = HttpClient().get(reverse("feeds:calendar", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {
        "Marcus B. – Massage therapy, 60 minutes",
        "Sam R. – Massage therapy, 60 minutes",
    }


def test_it_shows_no_health_or_contact_details(booking):
    cast = booking.cast
    cast.client.emergency_contact_name = "Jordan Rivera"
    cast.client.address = "12 Queen St W"
    cast.client.save()
    body = HttpClient().get(reverse("feeds:calendar", args=[issue_feed(cast.therapist)])).content.decode()
    for private in ("Rivera", "1980", "416-555", "example.com", "Queen St", "Jordan", "intake", "consent"):
        assert private not in body, private


def test_it_stops_serving_a_revoked_or_replaced_address(booking):
    cast = booking.cast
    old = issue_feed(cast.therapist)
    new = issue_feed(cast.therapist)
    http = HttpClient()
    assert http.get(reverse("feeds:calendar", args=[old])).status_code == 404
    assert http.get(reverse("feeds:calendar", args=[new])).status_code == 200
    revoke_feeds(cast.therapist)
    assert http.get(reverse("feeds:calendar", args=[new])).status_code == 404


def test_it_shows_the_new_address_once_to_its_therapist(as_role, booking):
    http = as_role("therapist")
    page = http.post(reverse("calendar:feed"), {"action": "issue"}).content.decode()
    assert "http://testserver/feeds/" in page
    again = http.get(reverse("calendar:feed")).content.decode()
    assert "http://testserver/feeds/" not in again and "You have a working address" in again
