"""The booking setup overview: what each role sees and may follow."""

from django.urls import reverse

from bodymap.booking.models import TimeOff
from tests.booking.conftest import at, next_weekday
from tests.cast import member


def _links(cast):
    return {
        "new_service": reverse("calendar:setup_service_new"),
        "rules": reverse("calendar:setup_rules"),
        "my_hours": reverse("calendar:setup_hours", args=[cast.therapist.public_id]),
        "my_schedule": reverse("calendar:setup_therapist", args=[cast.therapist.public_id]),
        "other_schedule": reverse("calendar:setup_therapist", args=[cast.other_therapist.public_id]),
    }


def test_it_shows_the_owner_everything_with_edit_links(as_role, booking):
    cast = booking.cast
    page = as_role("owner").get(reverse("calendar:setup")).content.decode()
    links = _links(cast)
    assert all(link in page for link in links.values())
    assert "Massage therapy, 60 minutes" in page and "110.00" in page
    assert "Monday 09:00–17:00" in page and "break 12:00–13:00" in page
    assert "Times are Toronto time" in page


def test_it_shows_a_therapist_only_their_own_schedule(as_role, booking):
    cast = booking.cast
    day = next_weekday(2)
    TimeOff.objects.create(therapist=cast.other_therapist, start=at(day, 9), end=at(day, 10))
    page = as_role("therapist").get(reverse("calendar:setup")).content.decode()
    links = _links(cast)
    assert links["my_hours"] in page and links["my_schedule"] in page
    assert links["other_schedule"] not in page and "Time off" not in page
    assert links["new_service"] not in page and links["rules"] not in page
    assert "Massage therapy, 60 minutes" in page


def test_it_shows_front_desk_the_diary_but_no_setup_links(as_role, booking):
    cast = booking.cast
    page = as_role("front_desk").get(reverse("calendar:setup")).content.decode()
    links = _links(cast)
    assert links["my_schedule"] in page and links["other_schedule"] in page
    assert links["my_hours"] not in page and links["new_service"] not in page and links["rules"] not in page


def test_it_reads_the_overview_in_a_fixed_number_of_queries(as_role, booking, django_assert_max_num_queries):
    cast = booking.cast
    http = as_role("owner")
    http.get(reverse("calendar:setup"))
    # One of the twelve loads the device the owner gave their two-factor code with.
    with django_assert_max_num_queries(12) as few:
        http.get(reverse("calendar:setup"))
    for i in range(5):
        member(cast.practice, f"extra{i}@example.com", "therapist", True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(reverse("calendar:setup"))


def test_it_links_the_setup_from_the_calendar(as_role, booking):
    page = as_role("front_desk").get(reverse("calendar:calendar")).content.decode()
    assert reverse("calendar:setup") in page and "Booking setup" in page
