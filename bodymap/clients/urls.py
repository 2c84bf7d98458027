from django.urls import path

from bodymap.clients import views
from bodymap.intake import views as intake_views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("<uuid:public_id>/", views.client_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.client_edit, name="edit"),
    path("<uuid:public_id>/intake-link/", intake_views.send_link, name="send_intake_link"),
]
