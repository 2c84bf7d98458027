import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from bodymap.audit.models import AuditEntry
from bodymap.billing import actions
from bodymap.billing.documents import receipt_pdf
from bodymap.billing.models import Invoice, Receipt
from bodymap.booking.models import AppointmentStatus
from tests.billing.helpers import invoice_for, paid_invoice, set_up_billing


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _issue(billed, invoice):
    return actions.issue_receipt(invoice=invoice, actor_user=billed.cast.front_desk.user)


def test_it_shows_everything_the_standard_asks_for(billed):
    receipt = _issue(billed, paid_invoice(billed))
    text = _text(receipt_pdf(receipt))
    for expected in (
        "Sam Rivera",  # the client
        "Therapist",
        billed.cast.therapist.user.full_name,
        "RMT",
        "U1234",  # registration number
        "$124.30",  # the amount
        "81234 5678",  # HST number, since tax was charged
        "Massage Therapy treatment",
        "Signature of",
    ):
        assert expected in text, expected
    # The date of the appointment, in the practice's own zone.
    assert billed.appointment.start.astimezone(ZoneInfo("America/Toronto")).date().isoformat() in text
    assert "DUPLICATE" not in text


def test_a_reissue_says_duplicate_with_its_issue_date_and_the_same_amount(billed):
    original = _issue(billed, paid_invoice(billed))
    duplicate = actions.reissue_receipt(receipt=original, actor_user=billed.cast.front_desk.user)
    text = _text(receipt_pdf(duplicate))
    assert "DUPLICATE" in text
    assert duplicate.issued_at.astimezone(ZoneInfo("America/Toronto")).date().isoformat() in text
    assert "$124.30" in text
    assert duplicate.number == original.number


def test_it_emails_the_receipt_to_the_client(billed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _issue(billed, paid_invoice(billed))
    assert mail.outbox[-1].to == [billed.cast.client.email]
    name, content, kind = mail.outbox[-1].attachments[0]
    assert kind == "application/pdf" and "Sam Rivera" in _text(content)


@pytest.mark.parametrize(
    "status", [AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED]
)
def test_it_issues_no_receipt_for_a_treatment_that_did_not_happen(billed, status):
    invoice = paid_invoice(billed)
    billed.appointment.status = status
    billed.appointment.save()
    with pytest.raises(actions.BillingError, match="took place"):
        _issue(billed, Invoice.objects.get(pk=invoice.pk))
    assert not Receipt.objects.filter(invoice=invoice).exists()


def test_it_issues_no_receipt_for_a_future_appointment(cast):
    billed = set_up_billing(cast, hours_ago=-48)
    invoice = paid_invoice(billed)
    with pytest.raises(actions.BillingError, match="took place"):
        _issue(billed, invoice)


def test_it_issues_no_receipt_in_another_clients_name(billed):
    invoice = paid_invoice(billed)
    # An invoice written in the name of someone other than the treated client.
    stray = Invoice.objects.create(
        **{
            f.attname: getattr(invoice, f.attname)
            for f in Invoice._meta.concrete_fields
            if f.attname not in ("id", "public_id", "number", "client_id")
        },
        number="INV-STRAY",
        client=billed.cast.other_client,
    )
    actions.record_payment(
        invoice=stray, method="cash", amount_cents=stray.total_cents, actor_user=invoice.issued_by
    )
    with pytest.raises(actions.BillingError, match="name of the client"):
        _issue(billed, stray)


def test_it_issues_no_receipt_before_the_invoice_is_paid(billed):
    invoice = invoice_for(billed)
    actions.record_payment(invoice=invoice, method="cash", amount_cents=100, actor_user=invoice.issued_by)
    with pytest.raises(actions.BillingError, match="paid in full"):
        _issue(billed, invoice)


def test_it_issues_no_receipt_without_registration_and_signature(cast):
    billed = set_up_billing(cast, profile=False)
    with pytest.raises(actions.BillingError, match="registration number"):
        _issue(billed, paid_invoice(billed))


def test_it_issues_the_original_only_once(billed):
    invoice = paid_invoice(billed)
    _issue(billed, invoice)
    with pytest.raises(actions.BillingError, match="duplicate"):
        _issue(billed, invoice)


def test_it_audits_every_issue_and_every_view(billed, as_role):
    receipt = _issue(billed, paid_invoice(billed))
    as_role("front_desk").get(reverse("billing:receipt_pdf", args=[receipt.public_id]))
    as_role("client").get(reverse("portal_billing:receipt_pdf", args=[receipt.public_id]))
    entries = AuditEntry.objects.filter(subject_type="receipt", subject_public_id=receipt.public_id)
    assert sorted(entries.values_list("action", flat=True)) == ["create", "export", "export"]
    assert {e.details.get("via") for e in entries} == {None, "staff", "portal"}


def test_it_keeps_the_receipt_as_issued_when_the_profile_changes(billed):
    receipt = _issue(billed, paid_invoice(billed))
    actions.save_profile(
        membership=billed.cast.therapist,
        actor=billed.cast.therapist,
        designation="RMT",
        regulator="CMTO",
        registration_number="U9999",
    )
    assert "U1234" in _text(receipt_pdf(Receipt.objects.get(pk=receipt.pk)))
    duplicate = actions.reissue_receipt(receipt=receipt, actor_user=billed.cast.front_desk.user)
    assert "U1234" in _text(receipt_pdf(duplicate))
