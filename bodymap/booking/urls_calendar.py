from django.urls import path

from bodymap.booking import feeds, views_calendar

app_name = "calendar"
urlpatterns = [
    path("", views_calendar.calendar, name="calendar"),
    path("new/", views_calendar.appointment_new, name="new"),
    path("feed/", feeds.feed_settings, name="feed"),
    path("<uuid:public_id>/", views_calendar.appointment_detail, name="appointment"),
    path("<uuid:public_id>/move/", views_calendar.appointment_move, name="move"),
    path("<uuid:public_id>/cancel/", views_calendar.appointment_cancel, name="cancel"),
    path("<uuid:public_id>/status/", views_calendar.appointment_status, name="status"),
]
