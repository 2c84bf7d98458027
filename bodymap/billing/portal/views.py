"""A client's own invoices and receipts in the portal."""

from django.http import HttpResponse
from django.shortcuts import render

from bodymap.access import client_user_required, get_portal_receipt, portal_invoices, portal_packages
from bodymap.audit.log import record_read
from bodymap.audit.models import AuditAction
from bodymap.billing import actions, online
from bodymap.billing.documents import receipt_pdf


@client_user_required
def invoices(request):
    client = request.portal_client
    rows = [
        {
            "invoice": invoice,
            "state": actions.state_of(invoice),
            "receipts": [r for r in invoice.receipts.all() if r.original_id is None],
        }
        for invoice in portal_invoices(client)
        .select_related("therapist__user")
        .prefetch_related("receipts")
        .order_by("-service_date", "-id")
    ]
    record_read(
        request,
        practice=client.practice,
        subject_type="client_account",
        subject_public_id=client.public_id,
        action=AuditAction.LIST,
        via="portal",
    )
    return render(
        request,
        "billing/portal/invoices.html",
        {
            "client": client,
            "rows": rows,
            "balance": sum(r["state"].due for r in rows),
            "packages": actions.packages_with_balance(portal_packages(client)).order_by("-sold_at", "-id"),
            "today": actions.practice_today(client.practice),
            "pay_online": online.enabled(),
            "paid_online": request.GET.get("paid") == "online",
        },
    )


@client_user_required
def receipt_download(request, public_id):
    receipt = get_portal_receipt(request, public_id)
    actions.audit_receipt_read(request, receipt, via="portal")
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.number}.pdf"'
    return response
