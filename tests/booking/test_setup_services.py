"""Creating, editing and archiving services from the booking setup."""

from decimal import Decimal

from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.booking.models import Service


def _post(http, data, service=None):
    url = (
        reverse("calendar:setup_service", args=[service.public_id])
        if service
        else reverse("calendar:setup_service_new")
    )
    return http.post(url, data)


def test_it_creates_a_service_with_a_slug_from_its_name(as_role, booking):
    cast = booking.cast
    response = _post(
        as_role("owner"),
        {
            "name": "Hot  stone massage",
            "minutes": "75",
            "buffer_after_minutes": "10",
            "price": "120.50",
            "therapists": [cast.therapist.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("calendar:setup")
    service = Service.objects.get(slug="hot-stone-massage")
    assert (service.name, service.minutes, service.buffer_after_minutes) == ("Hot stone massage", 75, 10)
    assert service.price == Decimal("120.50") and service.practice == cast.practice and service.is_active
    assert list(service.therapists.all()) == [cast.therapist]
    entry = AuditEntry.objects.get(subject_type="service", subject_public_id=service.public_id)
    assert entry.action == "create" and entry.actor == cast.owner.user
    assert "name" in entry.details["fields"] and "Hot" not in str(entry.details)


def test_it_shows_each_mistake_beside_its_field_and_keeps_what_was_typed(as_role, booking):
    response = _post(
        as_role("owner"),
        {"name": "Massage 60", "minutes": "500", "buffer_after_minutes": "-1", "price": "-3"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error">Another service already has the web address “massage-60”' in page
    assert 'id="id_minutes_error">Enter at most 480.' in page
    assert 'id="id_buffer_after_minutes_error">Enter at least 0.' in page
    assert 'id="id_price_error">The price cannot be negative.' in page
    assert 'value="500"' in page and 'value="Massage 60"' in page
    assert Service.objects.count() == 2


def test_it_offers_only_the_practices_treating_staff(as_role, booking):
    cast = booking.cast
    response = _post(
        as_role("owner"),
        {"name": "Cupping", "minutes": "30", "price": "40", "therapists": [cast.front_desk.pk]},
    )
    assert response.status_code == 400 and 'id="id_therapists_error"' in response.content.decode()
    response = _post(
        as_role("owner"),
        {"name": "Cupping", "minutes": "30", "price": "40", "therapists": [cast.outsider.pk]},
    )
    assert response.status_code == 400 and not Service.objects.filter(name="Cupping").exists()


def test_it_archives_a_service_and_keeps_its_address(as_role, booking):
    cast = booking.cast
    response = _post(
        as_role("owner"),
        {"name": "Deep tissue, 60 minutes", "minutes": "60", "buffer_after_minutes": "15", "price": "110"},
        booking.service,
    )
    assert response.status_code == 302
    booking.service.refresh_from_db()
    assert not booking.service.is_active and booking.service.slug == "massage-60"
    assert booking.service.name == "Deep tissue, 60 minutes" and not booking.service.therapists.exists()
    entry = AuditEntry.objects.get(subject_type="service", action="change")
    assert set(entry.details["fields"]) == {"name", "is_active", "therapists"}
    overview = as_role("front_desk").get(reverse("calendar:setup")).content.decode()
    assert "Archived" in overview and "Deep tissue" in overview
    assert reverse("calendar:setup_service", args=[booking.service.public_id]) not in overview
    assert cast.practice.services.count() == 2
