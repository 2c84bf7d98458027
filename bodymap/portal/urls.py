from django.urls import path

from bodymap.intake import views as intake_views
from bodymap.portal import views, views_booking

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("intake/", intake_views.portal_intake, name="intake"),
    path("consent/", views.portal_consent, name="consent"),
    path("progress/", views.progress, name="progress"),
    path("progress/<slug:kind>/<str:key>.png", views.progress_chart, name="progress_chart"),
    path("consent/<slug:region>/withdraw/", views.withdraw, name="withdraw"),
    path("consent/<slug:region>/change/", views.change_consent, name="change_consent"),
    path("family/", views_booking.choose_member, name="choose_member"),
    path("appointments/<uuid:public_id>/", views_booking.appointment_detail, name="appointment"),
    path("appointments/<uuid:public_id>/cancel/", views_booking.appointment_cancel, name="cancel"),
    path("appointments/<uuid:public_id>/move/", views_booking.appointment_move, name="move"),
    path("appointments/<uuid:public_id>/again/", views_booking.book_again, name="book_again"),
    path("waitlist/", views_booking.waitlist_join, name="waitlist"),
    path("waitlist/<uuid:public_id>/leave/", views_booking.waitlist_leave, name="waitlist_leave"),
    path("sign-in/", views.portal_login, name="login"),
    path("sign-in/<str:token>/", views.portal_link, name="link"),
]
