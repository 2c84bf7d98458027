from django.urls import path

from bodymap.intake import views

app_name = "intake"
urlpatterns = [
    path("<str:token>/", views.intake_start, name="start"),
    path("<str:token>/done/", views.intake_done, name="done"),
    path("<str:token>/<slug:step>/", views.intake_step, name="step"),
]
