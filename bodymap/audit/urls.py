from django.urls import path

from bodymap.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.export_log, name="export"),
]
