from django.urls import path

from bodymap.booking import feeds

app_name = "feeds"
urlpatterns = [path("<str:token>.ics", feeds.calendar_feed, name="calendar")]
