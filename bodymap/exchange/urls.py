from django.urls import path

from bodymap.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.data_home, name="home"),
    path("import/", views.import_clients, name="import"),
    path("export/", views.export_everything, name="export"),
    path("retention/", views.retention_report, name="retention"),
    path("clients/<uuid:public_id>/records.<slug:fmt>", views.client_records, name="client_records"),
]
