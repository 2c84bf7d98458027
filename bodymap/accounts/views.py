from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bodymap.access import membership_for, owner_required, portal_clients
from bodymap.accounts.forms import PracticeSettingsForm, StaffLoginForm
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction


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


@owner_required
def practice_settings(request):
    practice = request.membership.practice
    form = PracticeSettingsForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changed = sorted(form.changed_data)
            form.save()
            record(
                actor=request.user,
                practice=practice,
                action=AuditAction.CHANGE,
                subject_type="practice",
                subject_public_id=practice.public_id,
                request=request,
                fields=changed,
            )
        messages.success(request, _("Practice settings saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
