"""A client books through the public page on a phone; staff read the week in the calendar."""

from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from bodymap.booking.models import Appointment
from bodymap.demo import practice as demo
from tests.browser.conftest import DESKTOP, PHONE, browser_test
from tests.browser.test_staff_journey import sign_in

pytestmark = browser_test


def _clinic_face(practice):
    """The clinic's own logo and colour, and a bio and photo for its first therapist."""
    from bodymap.accounts.branding import set_branding, set_profile
    from bodymap.booking.public import public_therapists
    from tests.test_branding import image_file

    owner = practice.memberships.get(role="owner").user
    set_branding(
        practice=practice,
        actor=owner,
        request=None,
        colour="#1d4e89",
        logo=image_file().read(),
        remove_logo=False,
    )
    first = public_therapists(practice).first()
    set_profile(
        member=first,
        actor=owner,
        request=None,
        bio="Sports and deep tissue massage.",
        photo=image_file().read(),
        remove_photo=False,
    )


def test_it_books_on_a_phone_and_emails_the_confirmation(page_factory, screenshot):
    _clinic_face(demo.load())
    mail.outbox.clear()
    page = page_factory(viewport=PHONE)
    page.goto("/book/")
    expect(page.get_by_role("heading", name="Choose a service")).to_be_visible()
    screenshot(page, "booking-1-services-phone")
    page.get_by_role("link", name="Massage therapy, 60 minutes").click()
    expect(page.get_by_role("heading", name="Who would you like to see?")).to_be_visible()
    expect(page.get_by_text("Sports and deep tissue massage.")).to_be_visible()
    # The clinic's colour arrives by its stylesheet: the strict CSP allows no inline styles.
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand == "#1d4e89"
    assert page.locator(".brand__logo").evaluate("img => img.naturalWidth") > 0
    screenshot(page, "booking-1b-therapists-phone")
    page.get_by_role("link", name="Anyone available").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    expect(page.get_by_text("Times are Toronto time")).to_be_visible()
    screenshot(page, "booking-2-times-phone")
    # Online changes close 24 hours before the start; two weeks ahead, whatever the hour of the run,
    # the booking is still the client's to cancel.
    page.get_by_role("link", name="Later", exact=True).click()
    page.locator(".time-pick").first.click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    page.get_by_label("Your name").fill("Robin Ashdown")
    page.get_by_label("Email").fill("robin.ashdown@example.com")
    page.get_by_label("Phone").fill("416-555-0177")
    screenshot(page, "booking-3-details-phone")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    expect(page.get_by_text("robin.ashdown@example.com")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the booking page scrolls sideways on a phone"
    screenshot(page, "booking-4-confirmation-phone")

    appointment = Appointment.objects.get(client__email="robin.ashdown@example.com")
    [message] = [m for m in mail.outbox if m.to == ["robin.ashdown@example.com"]]
    assert "/intake/" in message.body
    [(name, content, mimetype)] = message.attachments
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.start
    assert event.decoded("dtend") == appointment.end

    page.get_by_role("link", name="Cancel or change this booking").click()
    expect(page.get_by_role("button", name="Cancel this appointment")).to_be_visible()
    screenshot(page, "booking-5-manage-phone")


def test_it_shows_front_desk_the_practice_week(page_factory, screenshot):
    demo.load()
    page = page_factory(viewport=DESKTOP)
    sign_in(page, "priya@breathe.example.com")
    page.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="Week of")).to_be_visible()
    expect(page.get_by_text("Whole practice").first).to_be_visible()
    assert page.locator(".tg-appt").count() > 5
    screenshot(page, "calendar-week")
    # Late on a Sunday every appointment of this week has happened: open the week of the next
    # coming one, so the test reads the same whatever the day and hour.
    coming = Appointment.objects.filter(status="booked", start__gt=timezone.now()).earliest("start")
    page.goto(f"/calendar/?date={coming.start.astimezone(ZoneInfo(demo.TZ)).date().isoformat()}")
    page.locator(".tg-appt--booked").first.click()
    expect(page.get_by_role("heading", name="Move")).to_be_visible()
    expect(page.get_by_text("Clinical record")).to_have_count(0)
    screenshot(page, "calendar-appointment")


def test_it_shows_the_calendar_on_a_phone(page_factory, screenshot):
    demo.load()
    page = page_factory(viewport=PHONE)
    sign_in(page, "daniel@breathe.example.com")
    page.goto("/calendar/")
    expect(page.get_by_role("heading", name="Week of")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the calendar scrolls sideways on a phone"
    screenshot(page, "calendar-week-phone", full_page=False)
