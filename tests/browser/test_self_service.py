"""A client joins the waitlist from the booking page, is offered a freed time by the front desk and
takes it; a client moves a booking from the portal."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bodymap.accounts.models import PortalLink
from bodymap.booking import actions
from bodymap.booking.availability import free_slots
from bodymap.booking.models import Appointment, AppointmentStatus, Service, WaitlistEntry
from bodymap.clients.models import Client
from bodymap.demo import practice as demo
from tests.browser.conftest import DESKTOP, PHONE, browser_test
from tests.browser.test_staff_journey import sign_in

pytestmark = browser_test
WAIT = 30_000  # generous: the machine running the suite may be busy


def test_a_client_joins_the_waitlist_and_takes_an_offered_time(page_factory, screenshot):
    demo.load()
    mail.outbox.clear()
    client = page_factory(viewport=PHONE)
    client.goto("/book/")
    client.get_by_role("link", name="Massage therapy, 60 minutes").click()
    client.get_by_role("link", name="Anyone available").click()
    expect(client.get_by_role("heading", name="Choose a time")).to_be_visible(timeout=WAIT)
    expect(client.get_by_text("Bookings can be moved or cancelled online until")).to_be_visible()
    client.get_by_role("link", name="Join the waitlist").click()
    client.get_by_label("Your name").fill("Robin Ashdown")
    client.get_by_label("Email").fill("robin.ashdown@example.com")
    screenshot(client, "waitlist-1-join-phone")
    client.get_by_role("button", name="Join the waitlist").click()
    expect(client.get_by_role("heading", name="You are on the waitlist")).to_be_visible(timeout=WAIT)

    desk = page_factory(viewport=DESKTOP)
    sign_in(desk, "priya@breathe.example.com")
    desk.get_by_role("link", name="Waitlist").first.click()
    row = desk.get_by_role("row", name=re.compile("Robin Ashdown"))
    expect(row).to_be_visible(timeout=WAIT)
    screenshot(desk, "waitlist-2-desk-list")
    row.get_by_role("link", name="Offer a time").click()
    expect(desk.get_by_role("heading", name=re.compile("Offer a time to Robin"))).to_be_visible(timeout=WAIT)
    desk.locator(".time-pick").first.click()
    expect(desk.get_by_text(re.compile("The time is held for Robin"))).to_be_visible(timeout=WAIT)

    [offer] = [m for m in mail.outbox if m.to == ["robin.ashdown@example.com"]]
    link = re.search(r"http://\S+(/book/offer/\S+/)", offer.body).group(1)
    client.goto(link)
    expect(client.get_by_text("A time has opened up for you")).to_be_visible(timeout=WAIT)
    screenshot(client, "waitlist-3-offer-phone")
    client.get_by_role("button", name="Book this time").click()
    expect(client.get_by_role("heading", name="You are booked")).to_be_visible(timeout=WAIT)
    entry = WaitlistEntry.objects.select_related("offer").get(client__email="robin.ashdown@example.com")
    assert entry.status == "booked" and entry.offer.status == AppointmentStatus.BOOKED


def _portal_sign_in(page, client):
    user = client.user or get_user_model().objects.create_user(email=client.email, full_name=client.full_name)
    token = PortalLink.objects.issue(user, settings.BODYMAP_PORTAL_LINK_MINUTES)
    page.goto(reverse("portal:link", args=[token]))
    page.get_by_role("button", name="Sign in").click()


def test_a_client_moves_a_booking_from_the_portal(page_factory, screenshot):
    practice = demo.load()
    sam = Client.objects.get(practice=practice, email="sam.rivera@example.com")
    service = Service.objects.filter(practice=practice, minutes=60).first()
    # A free time a week ahead: outside the change window whatever the hour of the run.
    day = timezone.localdate() + timedelta(days=7)
    slot = free_slots(practice, service, day, day + timedelta(days=6))[0]
    appointment, _ = actions.book_appointment(
        practice=practice, service=service, therapist=slot.therapist, start=slot.start, client=sam
    )
    page = page_factory(viewport=PHONE)
    _portal_sign_in(page, sam)
    # The demo has other bookings of Sam's; this one is found by its address on the home page.
    page.locator(f'a[href="{reverse("portal:appointment", args=[appointment.public_id])}"]').click()
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("You can move or cancel this booking online until")).to_be_visible()
    page.get_by_role("link", name="Move to another time").click()
    page.locator(".time-pick").nth(1).click()
    expect(page.get_by_role("heading", name="Move the appointment?")).to_be_visible(timeout=WAIT)
    screenshot(page, "portal-move-confirm-phone")
    page.get_by_role("button", name="Yes, move it").click()
    expect(page.get_by_text("The appointment has moved")).to_be_visible(timeout=WAIT)
    appointment.refresh_from_db()
    assert appointment.start != slot.start and appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(client=sam, start=slot.start).count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the portal scrolls sideways on a phone"
