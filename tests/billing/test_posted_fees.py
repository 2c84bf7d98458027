"""Fees, their tax and the cancellation policy are told before booking and in every confirmation."""

import re

from django.core import mail
from django.urls import reverse

from bodymap.billing.models import BillingSettings, ServiceBilling, StaffSignature, TherapistFee
from tests.billing.helpers import png
from tests.booking.conftest import at, make_bookable, next_weekday

POLICY = "Cancel 24 hours ahead or half the fee is charged."


def _with_fees(cast):
    booking = make_bookable(cast)
    BillingSettings.objects.create(
        practice=cast.practice,
        tax_name="HST",
        tax_number="81234 5678 RT0001",
        tax_rate_bp=1300,
        cancellation_policy=POLICY,
    )
    ServiceBilling.objects.create(service=booking.service, taxable=True)
    TherapistFee.objects.create(service=booking.service, therapist=cast.therapist, amount_cents=12000)
    return booking


def test_it_shows_fees_tax_and_policy_before_booking_and_in_the_confirmation(
    client, cast, django_capture_on_commit_callbacks
):
    _with_fees(cast)
    services = client.get("/book/breathe/").content.decode()
    assert "$110.00 CAD + $14.30 HST" in services
    assert POLICY in services
    day = next_weekday(2)
    times = client.get(
        "/book/breathe/massage-60/terry/", {"from": str(day), "day": str(day)}
    ).content.decode()
    link = re.search(r'href="(/book/breathe/massage-60/terry/details/\?start=[^"]+)"', times).group(1)
    details = client.get(link.replace("&amp;", "&")).content.decode()
    assert "$120.00 CAD + $15.60 HST" in details  # this therapist's own posted fee
    assert POLICY in details
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link.replace("&amp;", "&"),
            {"start": at(day, 9).isoformat(), "key": "k", "name": "Alex Morgan", "email": "alex@example.com"},
        )
    [message] = mail.outbox
    assert "$120.00 CAD + $15.60 HST" in message.body
    assert POLICY in message.body
    assert "<" not in message.body.split("Fee:")[1].splitlines()[0]


def test_it_lets_the_owner_post_fees_and_tax(as_role, cast):
    booking = make_bookable(cast)
    form = {
        "settings-currency": "cad",
        "settings-tax_name": "HST",
        "settings-tax_number": "81234 5678 RT0001",
        "settings-tax_rate": "13",
        "settings-cancellation_policy": POLICY,
        f"taxable-{booking.service.pk}": "on",
        f"rmt-{booking.service.pk}": "on",
        f"fee-{booking.service.pk}-{cast.other_therapist.pk}": "125.00",
    }
    assert as_role("owner").post(reverse("billing:setup"), form).status_code == 302
    conf = BillingSettings.objects.get(practice=cast.practice)
    assert (conf.currency, conf.tax_rate_bp, conf.cancellation_policy) == ("CAD", 1300, POLICY)
    assert TherapistFee.objects.get(therapist=cast.other_therapist).amount_cents == 12500
    assert ServiceBilling.objects.get(service=booking.service).taxable


def test_it_refuses_a_tax_rate_without_a_registration_number(as_role, cast):
    make_bookable(cast)
    form = {"settings-currency": "CAD", "settings-tax_name": "HST", "settings-tax_rate": "13"}
    response = as_role("owner").post(reverse("billing:setup"), form)
    assert response.status_code == 400
    assert "registration number" in response.content.decode()
    assert not BillingSettings.objects.filter(practice=cast.practice, tax_rate_bp=1300).exists()


def test_it_keeps_a_therapists_registration_and_signature(as_role, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"designation": "RMT", "regulator": "CMTO", "registration_number": "U4321"}
    bad = SimpleUploadedFile("sig.png", b"not an image", content_type="image/png")
    response = as_role("therapist").post(reverse("billing:profile"), {**form, "signature": bad})
    assert response.status_code == 400
    assert "PNG or JPEG" in response.content.decode()
    assert not StaffSignature.objects.filter(membership=cast.therapist).exists()
    good = SimpleUploadedFile("sig.png", png(), content_type="image/png")
    assert (
        as_role("therapist").post(reverse("billing:profile"), {**form, "signature": good}).status_code == 302
    )
    assert StaffSignature.objects.get(membership=cast.therapist).content_type == "image/png"
    assert cast.therapist.billing_profile.registration_number == "U4321"


def test_it_keeps_a_signature_drawn_on_the_page(as_role, cast):
    import base64

    form = {"designation": "RMT", "regulator": "CMTO", "registration_number": "U4321"}
    garbled = {**form, "drawn_signature": "data:image/png;base64,@@@"}
    assert as_role("therapist").post(reverse("billing:profile"), garbled).status_code == 400
    assert not StaffSignature.objects.filter(membership=cast.therapist).exists()
    drawn = "data:image/png;base64," + base64.b64encode(png()).decode()
    response = as_role("therapist").post(reverse("billing:profile"), {**form, "drawn_signature": drawn})
    assert response.status_code == 302
    assert bytes(StaffSignature.objects.get(membership=cast.therapist).image) == png()
