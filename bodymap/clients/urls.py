from django.urls import path

from bodymap.clients import views, views_identity
from bodymap.intake import views as intake_views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("<uuid:public_id>/", views.client_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.client_edit, name="edit"),
    path("<uuid:public_id>/intake-link/", intake_views.send_link, name="send_intake_link"),
    path("<uuid:public_id>/merge/", views_identity.merge, name="merge"),
    path(
        "<uuid:public_id>/contact-changes/<uuid:change_id>/",
        views_identity.review_contact_change,
        name="review_contact_change",
    ),
    path("email/<str:token>/", views_identity.confirm_email, name="confirm_email"),
]
