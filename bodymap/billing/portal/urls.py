from django.urls import path

from bodymap.billing import online_views
from bodymap.billing.portal import views

app_name = "portal_billing"
urlpatterns = [
    path("", views.invoices, name="invoices"),
    path("receipt/<uuid:public_id>.pdf", views.receipt_download, name="receipt_pdf"),
    path("invoice/<uuid:public_id>/pay-online/", online_views.pay_online, name="pay_online"),
]
