from django.urls import path

from bodymap.booking import views

app_name = "booking"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("day/", views.dashboard_day, name="dashboard_day"),
]
