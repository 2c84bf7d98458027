from django.urls import path

from bodymap.booking import views_waitlist as views

app_name = "waitlist"
urlpatterns = [
    path("", views.waitlist, name="list"),
    path("new/", views.waitlist_add, name="add"),
    path("<uuid:public_id>/offer/", views.waitlist_offer, name="offer"),
    path("<uuid:public_id>/remove/", views.waitlist_remove, name="remove"),
]
