from django.urls import path

from bodymap.accounts import views_branding
from bodymap.booking import views_public as views

app_name = "booking_public"
urlpatterns = [
    path("", views.book_start, name="start"),
    path("done/<str:token>/", views.book_done, name="done"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/cancel/", views.manage_cancel, name="manage_cancel"),
    path("manage/<str:token>/move/", views.manage_move, name="manage_move"),
    path("offer/<str:token>/", views.offer, name="offer"),
    path("returning/<str:token>/", views.returning, name="returning"),
    path("<slug:practice>/brand.css", views_branding.brand_css, name="brand_css"),
    path("<slug:practice>/logo.png", views_branding.logo, name="logo"),
    path("<slug:practice>/therapists/<uuid:public_id>/photo.png", views_branding.photo, name="photo"),
    path("<slug:practice>/", views.book_services, name="services"),
    path("<slug:practice>/<slug:service>/", views.book_therapist, name="therapist"),
    path("<slug:practice>/<slug:service>/<slug:therapist>/", views.book_time, name="time"),
    path("<slug:practice>/<slug:service>/<slug:therapist>/details/", views.book_details, name="details"),
    path("<slug:practice>/<slug:service>/<slug:therapist>/waitlist/", views.book_waitlist, name="waitlist"),
]
