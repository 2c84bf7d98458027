from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from bodymap.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("practice/", views.practice_settings, name="settings"),
    path("staff/", views.staff, name="staff"),
    path("staff/<uuid:public_id>/access/", views.staff_access, name="staff_access"),
    path("password/reset/", views.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>/", views.StaffPasswordSetView.as_view(), name="password_reset_confirm"
    ),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_set_done.html"),
        name="password_reset_complete",
    ),
    path(
        "signed-out/",
        TemplateView.as_view(template_name="accounts/signed_out.html"),
        name="logout_page",
    ),
]
