from django.urls import path

from bodymap.booking import feeds, views_calendar, views_setup
from bodymap.booking.staff import views as staff_views

app_name = "calendar"
urlpatterns = [
    path("", staff_views.calendar, name="calendar"),
    path("new/", staff_views.appointment_new, name="new"),
    path("new/clients/", staff_views.desk_clients, name="desk_clients"),
    path("new/times/", staff_views.desk_times, name="desk_times"),
    path("feed/", feeds.feed_settings, name="feed"),
    path("setup/", views_setup.setup, name="setup"),
    path("setup/services/new/", views_setup.service_new, name="setup_service_new"),
    path("setup/services/<uuid:public_id>/", views_setup.service_edit, name="setup_service"),
    path("setup/rules/", views_setup.booking_rules, name="setup_rules"),
    path(
        "setup/day-changes/<uuid:public_id>/remove/",
        views_setup.day_change_remove,
        name="setup_day_change_remove",
    ),
    path(
        "setup/time-off/<uuid:public_id>/remove/", views_setup.time_off_remove, name="setup_time_off_remove"
    ),
    path("setup/<uuid:public_id>/", views_setup.therapist_schedule, name="setup_therapist"),
    path("setup/<uuid:public_id>/hours/", views_setup.working_hours, name="setup_hours"),
    path("setup/<uuid:public_id>/day-changes/", views_setup.day_change_add, name="setup_day_change_add"),
    path("setup/<uuid:public_id>/time-off/", views_setup.time_off_add, name="setup_time_off_add"),
    path("<uuid:public_id>/", views_calendar.appointment_detail, name="appointment"),
    path("<uuid:public_id>/move/", views_calendar.appointment_move, name="move"),
    path("<uuid:public_id>/cancel/", staff_views.appointment_cancel, name="cancel"),
    path("<uuid:public_id>/no-show/", staff_views.appointment_no_show, name="no_show"),
    path("<uuid:public_id>/status/", views_calendar.appointment_status, name="status"),
]
