from zoneinfo import ZoneInfo

from django.urls import reverse

from bodymap.billing.models import Invoice
from bodymap.booking.models import AppointmentStatus


def _checked_in(billed):
    billed.appointment.status = AppointmentStatus.CHECKED_IN
    billed.appointment.save(update_fields=["status"])
    return reverse("billing:appointment", args=[billed.appointment.public_id])


def test_it_completes_and_invoices_in_one_step(as_role, billed):
    url = _checked_in(billed)
    response = as_role("front_desk").post(url, {"fee": "110.00"})
    assert response.status_code == 302
    billed.appointment.refresh_from_db()
    assert billed.appointment.status == AppointmentStatus.COMPLETED
    assert Invoice.objects.get(appointment=billed.appointment).total_cents == 12430


def test_it_leaves_the_appointment_as_it_was_when_the_invoice_is_refused(as_role, billed):
    url = _checked_in(billed)
    response = as_role("front_desk").post(url, {"fee": "90.00"})  # no reason, no acceptance
    assert response.status_code == 400
    assert "posted" in response.content.decode()
    billed.appointment.refresh_from_db()
    assert billed.appointment.status == AppointmentStatus.CHECKED_IN
    assert not Invoice.objects.filter(appointment=billed.appointment).exists()


def test_it_refuses_a_discount_for_prompt_payment(as_role, billed):
    url = _checked_in(billed)
    form = {"fee": "110.00", "discount_amount": "10", "discount_reason": "Prompt payment"}
    assert as_role("front_desk").post(url, form).status_code == 400
    assert not Invoice.objects.filter(appointment=billed.appointment).exists()


def test_it_invoices_ahead_for_a_deposit_without_completing(as_role, cast, billed):
    url = reverse("billing:appointment", args=[cast.appointment.public_id])  # tomorrow
    page = as_role("front_desk").get(url).content.decode()
    assert "Issue invoice for a deposit" in page
    assert as_role("front_desk").post(url, {"fee": "0"}).status_code == 302
    cast.appointment.refresh_from_db()
    assert cast.appointment.status == AppointmentStatus.BOOKED
    assert Invoice.objects.get(appointment=cast.appointment).kind == "deposit"


def test_the_desk_lists_the_days_appointments_with_what_they_owe(as_role, billed):
    as_role("front_desk").post(_checked_in(billed), {"fee": "110.00"})
    day = billed.appointment.start.astimezone(ZoneInfo("America/Toronto")).date()
    page = as_role("front_desk").get(reverse("billing:desk"), {"date": day.isoformat()}).content.decode()
    assert billed.cast.client.display_name in page
    assert "$124.30" in page
    assert "Unpaid" in page
