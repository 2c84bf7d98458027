from django.urls import path

from bodymap.billing import online_views as online
from bodymap.billing.reports import views as reports
from bodymap.billing.staff import gift_cards, packages, setup
from bodymap.billing.staff import views as staff

app_name = "billing"
urlpatterns = [
    path("", staff.desk, name="desk"),
    path("appointment/<uuid:public_id>/", staff.appointment_invoice, name="appointment"),
    path("invoice/<uuid:public_id>/", staff.invoice_detail, name="invoice"),
    path("invoice/<uuid:public_id>/pay/", staff.take_payment, name="pay"),
    path("invoice/<uuid:public_id>/refund/", staff.refund, name="refund"),
    path("invoice/<uuid:public_id>/credit/", staff.credit_note, name="credit"),
    path("invoice/<uuid:public_id>/void/", staff.void, name="void"),
    path("invoice/<uuid:public_id>/receipt/", staff.issue_receipt, name="issue_receipt"),
    path("receipt/<uuid:public_id>.pdf", staff.receipt_download, name="receipt_pdf"),
    path("receipt/<uuid:public_id>/reissue/", staff.reissue_receipt, name="reissue"),
    path("client/<uuid:public_id>/", staff.client_account, name="client"),
    path("profile/", staff.profile, name="profile"),
    path("signature/<uuid:public_id>/", staff.signature_image, name="signature"),
    path("setup/", setup.billing_setup, name="setup"),
    path("gift-cards/", gift_cards.gift_cards, name="gift_cards"),
    path("packages/", packages.packages, name="packages"),
    path("client/<uuid:public_id>/package/", packages.sell_package, name="sell_package"),
    path("package/<uuid:public_id>/close/", packages.close_package, name="close_package"),
    path("online/webhook/", online.stripe_webhook, name="stripe_webhook"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<slug:report>.csv", reports.report_csv, name="report_csv"),
]
