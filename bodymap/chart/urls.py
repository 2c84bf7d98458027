from django.urls import path

from bodymap.chart import views

app_name = "chart"
urlpatterns = [
    path("clients/<uuid:public_id>/chart/", views.client_chart, name="chart"),
    path("clients/<uuid:public_id>/handout/", views.handout, name="handout"),
    path("clients/<uuid:public_id>/intake-in-person/", views.start_in_person, name="in_person"),
    path("clients/<uuid:public_id>/intakes/<uuid:intake_id>.json", views.intake_json, name="intake_json"),
    path("appointments/<uuid:public_id>/session/", views.session, name="session"),
]
