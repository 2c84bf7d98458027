"""The billing desk: the day's appointments, invoices, payments and receipts."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bodymap.access import (
    appointments_for,
    can_correct_invoices,
    can_keep_billing_profile,
    can_sell_packages,
    get_calendar_appointment_for_user,
    get_client_for_user,
    get_invoice_for_user,
    get_receipt_for_user,
    get_signature_for_user,
    invoices_for,
    packages_for,
    staff_required,
)
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.billing import actions
from bodymap.billing.documents import receipt_pdf
from bodymap.billing.forms import (
    CreditNoteForm,
    InvoiceForm,
    PackageForm,
    PaymentForm,
    ProfileForm,
    RefundForm,
    VoidForm,
)
from bodymap.billing.models import Invoice, InvoiceVoid, LineKind, Package
from bodymap.booking import actions as booking_actions
from bodymap.booking.models import AppointmentStatus


def _day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.localdate()


@staff_required
def desk(request):
    """The day's appointments with what each one owes."""
    day = _day(request)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    appointments = list(
        appointments_for(request.membership)
        .filter(start__gte=start, start__lt=start + timedelta(days=1))
        .exclude(status__in=[AppointmentStatus.CANCELLED, AppointmentStatus.HELD])
        .select_related("client", "therapist__user")
        .prefetch_related(
            Prefetch("invoices", queryset=Invoice.objects.with_void()),
            "invoices__payments",
            "invoices__credit_notes",
        )
        .order_by("start", "id")
    )
    rows = []
    for appointment in appointments:
        invoice = next((i for i in appointment.invoices.all() if not i.is_void), None)
        rows.append({"appointment": appointment, "invoice": invoice, "state": _state(invoice)})
    return render(
        request,
        "billing/staff/desk.html",
        {"day": day, "rows": rows, "previous": day - timedelta(days=1), "next": day + timedelta(days=1)},
    )


def _state(invoice):
    if invoice is None:
        return None
    payments = list(invoice.payments.all())
    return actions.InvoiceState(
        total=invoice.total_cents,
        credited=sum(c.amount_cents for c in invoice.credit_notes.all()),
        paid=sum(p.amount_cents for p in payments if p.kind == "payment"),
        refunded=sum(p.amount_cents for p in payments if p.kind == "refund"),
        voided=invoice.is_void,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_invoice(request, public_id):
    """Complete the appointment (if it is not yet) and issue its invoice."""
    appointment = get_calendar_appointment_for_user(request, public_id)
    existing = Invoice.objects.not_void().filter(appointment=appointment).first()
    if existing is not None:
        return redirect("billing:invoice", public_id=existing.public_id)
    posted = actions.posted_fee(appointment.service, appointment.therapist)
    # Before the appointment starts, the invoice is issued ahead so a deposit can be taken on it.
    ahead = appointment.start > timezone.now()
    form = InvoiceForm(request.POST or None, initial={"fee": _dollars(posted)})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # Completing the appointment and invoicing it stand or fall together.
                if not ahead and appointment.status != AppointmentStatus.COMPLETED:
                    booking_actions.set_status(
                        appointment=appointment,
                        status=AppointmentStatus.COMPLETED,
                        actor=request.membership,
                        request=request,
                    )
                invoice = actions.issue_invoice(
                    appointment=appointment,
                    actor=request.membership,
                    lines=_lines(form.cleaned_data, appointment, posted),
                    deposit=ahead,
                    request=request,
                )
        except (actions.BillingError, booking_actions.NotBookable) as error:
            form.add_error(None, getattr(error, "message", _("This appointment cannot be completed.")))
            status = 400
        else:
            messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
            return redirect("billing:invoice", public_id=invoice.public_id)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "billing/staff/appointment.html",
        {"appointment": appointment, "form": form, "posted": posted, "ahead": ahead},
        status=status,
    )


def _dollars(cents):
    return None if cents is None else f"{cents // 100}.{cents % 100:02d}"


def _lines(data, appointment, posted):
    billing = actions.service_billing(appointment.service)
    taxable = bool(billing and billing.taxable)
    lines = [
        actions.LineInput(
            kind=LineKind.SERVICE,
            description=appointment.service_name or str(appointment.service or _("Treatment")),
            unit_cents=data["fee"],
            taxable=taxable,
            posted_cents=posted,
            reason=data.get("fee_reason", ""),
            client_accepted=data.get("client_accepted", False),
        )
    ]
    if data.get("product"):
        lines.append(
            actions.LineInput(
                kind=LineKind.PRODUCT,
                description=data["product"],
                unit_cents=data["product_amount"],
                taxable=data.get("product_taxable", False),
            )
        )
    if data.get("surcharge_amount"):
        lines.append(
            actions.LineInput(
                kind=LineKind.SURCHARGE,
                description=_("Surcharge"),
                unit_cents=data["surcharge_amount"],
                taxable=taxable,
                reason=data["surcharge_reason"],
            )
        )
    if data.get("discount_amount"):
        lines.append(
            actions.LineInput(
                kind=LineKind.DISCOUNT,
                description=_("Discount"),
                unit_cents=data["discount_amount"],
                taxable=taxable,
                reason=data["discount_reason"],
            )
        )
    return lines


@staff_required
def invoice_detail(request, public_id):
    invoice = get_invoice_for_user(request, public_id)
    record_read(
        request, practice=invoice.practice, subject_type="invoice", subject_public_id=invoice.public_id
    )
    return _render_invoice(request, invoice)


def _render_invoice(request, invoice, forms=None, status=200):
    forms = forms or {}
    return render(
        request,
        "billing/staff/invoice.html",
        {
            "invoice": invoice,
            "void": InvoiceVoid.objects.filter(invoice=invoice).first(),
            "state": actions.state_of(invoice),
            "lines": invoice.lines.all(),
            "payments": invoice.payments.select_related("recorded_by"),
            "credit_notes": invoice.credit_notes.all(),
            "receipts": invoice.receipts.select_related("original").order_by("issued_at", "id"),
            "refusal": actions.receipt_refusal(invoice),
            "has_original": invoice.receipts.filter(original__isnull=True).exists(),
            "can_correct": can_correct_invoices(request.membership),
            "payment_form": forms.get("payment") or PaymentForm(packages=usable_packages(invoice)),
            "refund_form": forms.get("refund") or RefundForm(),
            "credit_form": forms.get("credit") or CreditNoteForm(),
            "void_form": forms.get("void") or VoidForm(),
        },
        status=status,
    )


def usable_packages(invoice):
    """The client's packages that could pay this invoice, with a label saying what is left."""
    if invoice.appointment is None or invoice.appointment.service_id is None:
        return []
    found = actions.packages_with_balance(
        Package.objects.filter(
            practice=invoice.practice,
            client_id=invoice.client_id,
            service_id=invoice.appointment.service_id,
            expires_on__gte=actions.practice_today(invoice.practice),
        )
    ).filter(sessions_left__gte=1)
    return [
        (
            p,
            _("%(service)s: %(left)s of %(n)s sessions left, until %(date)s")
            % {"service": p.service.name, "left": p.sessions_left, "n": p.sessions, "date": p.expires_on},
        )
        for p in found.order_by("expires_on", "id")
    ]


def _post(request, public_id, key, form_class, run, done, owner_only=False):
    invoice = get_invoice_for_user(request, public_id)
    if owner_only and not can_correct_invoices(request.membership):
        raise Http404
    extra = {"packages": usable_packages(invoice)} if form_class is PaymentForm else {}
    form = form_class(request.POST, **extra)
    if form.is_valid():
        try:
            run(invoice, form.cleaned_data)
        except actions.BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("billing:invoice", public_id=invoice.public_id)
    return _render_invoice(request, invoice, forms={key: form}, status=400)


@staff_required
@require_POST
def take_payment(request, public_id):
    return _post(
        request,
        public_id,
        "payment",
        PaymentForm,
        lambda invoice, data: actions.record_payment(
            invoice=invoice,
            method=data["method"],
            amount_cents=data["amount"] or 0,
            reference=data["reference"],
            gift_card_code=data["gift_card_code"],
            package_id=data["package"] or None,
            actor_user=request.user,
            request=request,
        ),
        _("Payment recorded."),
    )


@staff_required
@require_POST
def refund(request, public_id):
    return _post(
        request,
        public_id,
        "refund",
        RefundForm,
        lambda invoice, data: actions.refund_payment(
            invoice=invoice,
            method=data["method"],
            amount_cents=data["amount"],
            reason=data["reason"],
            actor_user=request.user,
            request=request,
        ),
        _("Refund recorded."),
        owner_only=True,
    )


@staff_required
@require_POST
def credit_note(request, public_id):
    return _post(
        request,
        public_id,
        "credit",
        CreditNoteForm,
        lambda invoice, data: actions.add_credit_note(
            invoice=invoice,
            amount_cents=data["amount"],
            reason=data["reason"],
            actor_user=request.user,
            request=request,
        ),
        _("Credit note added."),
        owner_only=True,
    )


@staff_required
@require_POST
def void(request, public_id):
    return _post(
        request,
        public_id,
        "void",
        VoidForm,
        lambda invoice, data: actions.void_invoice(
            invoice=invoice, reason=data["reason"], actor_user=request.user, request=request
        ),
        _("Invoice voided."),
        owner_only=True,
    )


@staff_required
@require_POST
def issue_receipt(request, public_id):
    invoice = get_invoice_for_user(request, public_id)
    try:
        receipt = actions.issue_receipt(invoice=invoice, actor_user=request.user, request=request)
    except actions.BillingError as error:
        messages.error(request, error.message)
        return redirect("billing:invoice", public_id=invoice.public_id)
    if receipt.emailed_to:
        messages.success(
            request, _("Receipt issued and emailed to %(email)s.") % {"email": receipt.emailed_to}
        )
    else:
        messages.success(request, _("Receipt issued. The client has no email address on file: print it."))
    return redirect("billing:invoice", public_id=invoice.public_id)


@staff_required
@require_POST
def reissue_receipt(request, public_id):
    receipt = get_receipt_for_user(request, public_id)
    duplicate = actions.reissue_receipt(
        receipt=receipt, actor_user=request.user, request=request, email=request.POST.get("email") == "1"
    )
    messages.success(request, _("Duplicate receipt issued."))
    return redirect("billing:invoice", public_id=duplicate.invoice.public_id)


@staff_required
def receipt_download(request, public_id):
    receipt = get_receipt_for_user(request, public_id)
    actions.audit_receipt_read(request, receipt, via="staff")
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    suffix = "-duplicate" if receipt.is_duplicate else ""
    response["Content-Disposition"] = f'inline; filename="receipt-{receipt.number}{suffix}.pdf"'
    return response


@staff_required
def client_account(request, public_id):
    """The client's financial record: every invoice with what it asked for, what was paid and the
    receipts given, and their packages."""
    client = get_client_for_user(request, public_id)
    record_read(
        request,
        practice=client.practice,
        subject_type="client_account",
        subject_public_id=client.public_id,
        action=AuditAction.VIEW,
    )
    return render_account(request, client)


def render_account(request, client, package_form=None, status=200):
    invoices = list(
        invoices_for(request.membership)
        .filter(client=client)
        .with_void()
        .select_related("therapist__user")
        .prefetch_related("payments", "credit_notes", "receipts")
        .order_by("-service_date", "-id")
    )
    rows = [{"invoice": i, "state": _state(i)} for i in invoices]
    packages = actions.packages_with_balance(packages_for(request.membership).filter(client=client))
    may_sell = can_sell_packages(request.membership)
    if may_sell and package_form is None:
        package_form = PackageForm(services=actions.practice_services(client.practice))
    return render(
        request,
        "billing/staff/client.html",
        {
            "client": client,
            "rows": rows,
            "balance": sum(r["state"].due for r in rows),
            "packages": packages.order_by("-sold_at", "-id"),
            "package_form": package_form if may_sell else None,
            "today": actions.practice_today(client.practice),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in therapist's registration number and signature, which their receipts carry."""
    membership = request.membership
    if not can_keep_billing_profile(membership):
        raise Http404
    current = actions.profile_for(membership)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "designation": current.designation,
            "regulator": current.regulator,
            "registration_number": current.registration_number,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data.get("signature")
            data = (
                upload.read(actions.SIGNATURE_MAX_BYTES + 1)
                if upload
                else form.cleaned_data["drawn_signature"]
            )
            try:
                actions.save_profile(
                    membership=membership,
                    actor=membership,
                    designation=form.cleaned_data["designation"],
                    regulator=form.cleaned_data["regulator"],
                    registration_number=form.cleaned_data["registration_number"],
                    signature=data,
                    request=request,
                )
            except actions.BillingError as error:
                form.add_error("signature", error.message)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("billing:profile")
    return render(
        request,
        "billing/staff/profile.html",
        {
            "form": form,
            "signature": actions.current_signature(membership),
            "missing": actions.missing_for_receipts(membership),
        },
        status=status,
    )


@staff_required
def signature_image(request, public_id):
    """A signature image, to its own therapist only (and the owner)."""
    signature = get_signature_for_user(request, public_id)
    return HttpResponse(bytes(signature.image), content_type=signature.content_type)
