from django.urls import path

from bodymap.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("sign-in/", views.portal_login, name="login"),
    path("sign-in/<str:token>/", views.portal_link, name="link"),
]
