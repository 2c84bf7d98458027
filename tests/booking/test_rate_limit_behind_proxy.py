"""Behind the proxy, the booking limit counts the address the proxy saw, whatever the client writes."""

from django.test import Client as HttpClient

from tests.booking.conftest import at, next_weekday


def test_it_keeps_counting_when_the_client_rewrites_forwarded_for(booking, settings):
    settings.BODYMAP_BEHIND_PROXY = True
    settings.BODYMAP_PROXY_COUNT = 1
    settings.BODYMAP_BOOKING_RATE_LIMIT = 3
    day = next_weekday(2)

    def book(hour, forged, address="203.0.113.9"):
        http = HttpClient(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {address}")
        body = {
            "service": "massage-60",
            "therapist": "terry",
            "start": at(day, hour).isoformat(),
            "client": {"name": "A B", "email": f"a{hour}@example.com"},
        }
        return http.post("/api/v1/bookings", body, content_type="application/json").status_code

    assert [book(hour, forged=f"192.0.2.{hour}") for hour in (9, 11, 14)] == [201, 201, 201]
    assert book(16, forged="192.0.2.77") == 429
    # Someone else behind the same proxy is not held back.
    assert book(16, forged="192.0.2.77", address="198.51.100.7") == 201
