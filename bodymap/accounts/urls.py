from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from bodymap.accounts import two_factor, views, views_branding

app_name = "accounts"
urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.manage, name="two_factor"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/off/", two_factor.turn_off, name="two_factor_off"),
    path("practice/", views.practice_settings, name="settings"),
    path("practice/branding/", views_branding.branding, name="branding"),
    path("profiles/", views_branding.profiles, name="profiles"),
    path("profiles/<uuid:public_id>/", views_branding.profile, name="profile"),
    path("staff/", views.staff, name="staff"),
    path("staff/<uuid:public_id>/access/", views.staff_access, name="staff_access"),
    path("staff/<uuid:public_id>/invitation/", views.staff_resend_invitation, name="staff_resend_invitation"),
    path(
        "staff/<uuid:public_id>/two-factor/reset/",
        two_factor.reset_for_member,
        name="staff_two_factor_reset",
    ),
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
