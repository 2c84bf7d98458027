"""The front desk's day: find a gap in the week grid, book a new caller, drag an appointment to
another therapist, and be told exactly what a refused time clashes with."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from bodymap.accounts.models import Membership
from bodymap.booking import actions
from bodymap.booking.models import Appointment, Service
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.browser.conftest import DESKTOP, browser_test
from tests.browser.test_staff_journey import sign_in

pytestmark = browser_test
TORONTO = ZoneInfo("America/Toronto")
# Tall enough to hold the whole working day: a drag that has to scroll the page is flaky.
TALL = {**DESKTOP, "height": 1500}
# The refusal names the client as the desk knows them (a preferred name first), the therapist and the time.
CLASH = re.compile(r"overlaps .*Rivera\)? with Daniel Okafor, 10:00–11:00")


def quiet_wednesday():
    """A Wednesday seven weeks ahead: past the demo's diary, and worked by both demo therapists."""
    today = timezone.now().astimezone(TORONTO).date()
    return today + timedelta(days=(2 - today.weekday()) % 7 + 49)


def drop_at(page, appointment, column, hhmm):
    """Drag `appointment` so that its top lands on `hhmm` in `column` (a .tg-body locator)."""
    grid = page.locator(".tg")
    first_hour = int(grid.get_attribute("data-first-hour"))
    rows = int(grid.get_attribute("data-rows"))
    hours, minutes = (int(x) for x in hhmm.split(":"))
    row_height = column.bounding_box()["height"] / rows
    y = ((hours - first_hour) * 60 + minutes) / 5 * row_height + 4
    appointment.drag_to(column, source_position={"x": 10, "y": 4}, target_position={"x": 20, "y": y})


def test_it_books_moves_and_refuses_a_clash_from_the_grid(page_factory, screenshot):
    demo.load()
    day = quiet_wednesday()
    daniel = Membership.objects.get(user__email="daniel@breathe.example.com")
    maya = Membership.objects.get(user__email="maya@breathe.example.com")
    sam = Client.objects.get(first_name="Sam", last_name="Rivera")
    service = Service.objects.get(slug="massage-60")
    actions.book_appointment(
        practice=daniel.practice,
        service=service,
        therapist=daniel,
        start=datetime.combine(day, time(10), tzinfo=TORONTO),
        client=sam,
    )

    page = page_factory(viewport=TALL)
    sign_in(page, "priya@breathe.example.com")
    page.goto(f"/calendar/?view=week&date={day}")
    expect(page.get_by_role("heading", name="Week of")).to_be_visible()
    wednesday = f'[data-date="{day}"]'
    maya_column = page.locator(f'.tg-body{wednesday}[data-therapist="{maya.public_id}"]')
    daniel_column = page.locator(f'.tg-body{wednesday}[data-therapist="{daniel.public_id}"]')
    expect(daniel_column.locator(".tg-appt")).to_have_count(1)
    expect(daniel_column.locator(".tg-break")).to_have_count(1)
    screenshot(page, "desk-calendar-week")

    # The first free gap in Maya's Wednesday, clicked near its top: 09:00.
    maya_column.locator(".tg-free").first.click(position={"x": 20, "y": 3})
    expect(page.get_by_role("heading", name="New appointment")).to_be_visible()
    expect(page.get_by_role("radio", name="09:00")).to_be_checked()
    page.get_by_label("Find a client").press_sequentially("Nadia Kh", delay=30)
    expect(page.get_by_text("Nobody on file matches")).to_be_visible(timeout=15_000)
    page.get_by_role("radio", name="New client").check()
    expect(page.get_by_label("First name")).to_have_value("Nadia")
    page.get_by_label("Last name").fill("Khan")
    page.get_by_label("Phone").fill("416-555-0190")
    screenshot(page, "desk-book-new-client")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_role("heading", name="Nadia Khan")).to_be_visible()
    nadia = Appointment.objects.get(client__first_name="Nadia")
    assert (nadia.therapist, nadia.start) == (maya, datetime.combine(day, time(9), tzinfo=TORONTO))

    # Drag her to Daniel's column at 15:00.
    page.goto(f"/calendar/?view=week&date={day}")
    drop_at(page, maya_column.locator(".tg-appt", has_text="Nadia"), daniel_column, "15:00")
    expect(page.get_by_text("Appointment moved.")).to_be_visible(timeout=15_000)
    nadia.refresh_from_db()
    assert (nadia.therapist, nadia.start) == (daniel, datetime.combine(day, time(15), tzinfo=TORONTO))
    expect(daniel_column.locator(".tg-appt", has_text="Nadia")).to_be_visible()

    # Dragged onto Sam's 10:00 with Daniel: refused, and the message says with whom and when.
    drop_at(page, daniel_column.locator(".tg-appt", has_text="Nadia"), daniel_column, "10:30")
    refusal = page.locator(".message--error")
    expect(refusal).to_contain_text(CLASH)
    expect(refusal).to_contain_text("Next free")
    nadia.refresh_from_db()
    assert nadia.start == datetime.combine(day, time(15), tzinfo=TORONTO)
    page.goto(f"/calendar/?view=day&date={day}")
    screenshot(page, "desk-calendar-day")

    # Booking the same time at the desk is refused the same way, with the next free times.
    page.goto(f"/calendar/new/?therapist={daniel.public_id}&date={day}")
    page.get_by_label("Find a client").press_sequentially("khan", delay=30)
    page.get_by_role("radio", name=re.compile("Nadia Khan")).check()
    page.get_by_label("Another time").fill("10:30")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text(CLASH)).to_be_visible()
    expect(page.get_by_text("Next free times with this therapist")).to_be_visible()
    screenshot(page, "desk-book-clash")


def test_it_moves_an_appointment_with_the_keyboard(page_factory):
    demo.load()
    day = quiet_wednesday()
    daniel = Membership.objects.get(user__email="daniel@breathe.example.com")
    maya = Membership.objects.get(user__email="maya@breathe.example.com")
    sam = Client.objects.get(first_name="Sam", last_name="Rivera")
    appointment, _created = actions.book_appointment(
        practice=daniel.practice,
        service=Service.objects.get(slug="massage-60"),
        therapist=daniel,
        start=datetime.combine(day, time(10), tzinfo=TORONTO),
        client=sam,
    )
    page = page_factory(viewport=DESKTOP)
    sign_in(page, "priya@breathe.example.com")
    page.goto(f"/calendar/?view=day&date={day}")
    page.locator(".tg-appt").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Move")).to_be_visible()
    page.get_by_label("Therapist").focus()
    page.keyboard.press("ArrowUp")  # Maya is first in the list, Daniel second
    page.get_by_label("Start time").fill("11:30")
    page.get_by_role("button", name="Move appointment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Appointment moved.")).to_be_visible()
    appointment.refresh_from_db()
    assert (appointment.therapist, appointment.start) == (
        maya,
        datetime.combine(day, time(11, 30), tzinfo=TORONTO),
    )
