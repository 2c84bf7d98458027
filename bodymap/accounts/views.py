from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from bodymap.access import membership_for, portal_clients
from bodymap.accounts.forms import StaffLoginForm


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


def home(request):
    """Send each person to their own starting page."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if membership_for(request.user) is not None:
        return redirect("booking:dashboard")
    if portal_clients(request.user).exists():
        return redirect("portal:home")
    return redirect("accounts:logout_page")
