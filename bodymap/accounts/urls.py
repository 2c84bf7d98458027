from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from bodymap.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("practice/", views.practice_settings, name="settings"),
    path(
        "signed-out/",
        TemplateView.as_view(template_name="accounts/signed_out.html"),
        name="logout_page",
    ),
]
