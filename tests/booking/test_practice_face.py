"""The booking page shows the clinic: its name, what each service is, prices, a phone to tap."""

from django.urls import reverse

from bodymap.booking.models import Service
from bodymap.booking.templatetags.practice_face import phone_link


def test_it_describes_a_service_the_owner_wrote_up(as_role, client, booking):
    cast = booking.cast
    response = as_role("owner").post(
        reverse("calendar:setup_service_new"),
        {
            "name": "Pregnancy massage",
            "description": "Side-lying, with pillows; from the second trimester.",
            "minutes": "60",
            "buffer_after_minutes": "0",
            "price": "115.00",
            "therapists": [cast.therapist.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(slug="pregnancy-massage").description.startswith("Side-lying")
    page = client.get("/book/breathe/").content.decode()
    assert "Side-lying, with pillows; from the second trimester." in page


def test_it_names_the_clinic_and_gives_a_phone_to_tap(client, booking):
    practice = booking.cast.practice
    practice.phone = "(416) 555-0123"
    practice.save(update_fields=["phone"])
    page = client.get("/book/breathe/").content.decode()
    assert '<a href="tel:4165550123">(416) 555-0123</a>' in page
    brand = page.split('class="brand"', 1)[1].split("</a>", 1)[0]
    assert "Breathe Deeply Massage" in brand and "Bodymap" not in brand


def test_it_shows_prices_with_their_currency(client, booking):
    page = client.get("/book/breathe/").content.decode()
    fee = page.split("Massage therapy, 60 minutes", 1)[1].split("</a>", 1)[0]
    assert "110.00" in fee and ("CAD" in fee or "$" in fee)


def test_it_dials_only_digits_and_a_leading_plus():
    assert phone_link("+1 416-555-0123") == '<a href="tel:+14165550123">+1 416-555-0123</a>'
    assert phone_link("") == ""
    assert phone_link("ask at the desk") == "ask at the desk"
