from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodymap.access import membership_for, owes_second_factor, owner_required, portal_clients
from bodymap.accounts.branding import BrandingForm
from bodymap.accounts.forms import InviteStaffForm, PracticeSettingsForm, StaffLoginForm
from bodymap.accounts.models import Membership
from bodymap.accounts.staff import (
    AccountExists,
    AlreadyAccepted,
    AlreadyStaff,
    invite_staff,
    is_invited,
    resend_invitation,
    set_active,
)
from bodymap.accounts.tasks import send_password_reset
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction
from bodymap.background import snapshot
from bodymap.throttle import TOO_MANY_REQUESTS, sign_in_throttled


class StaffPasswordResetView(auth_views.PasswordResetView):
    """Asks for a reset link. The email goes out from a background task, so the answer takes as
    long for an address nobody has as for a member of staff's."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if sign_in_throttled(self.request, "password_reset", email):
            form.add_error(None, TOO_MANY_REQUESTS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        send_password_reset.enqueue(email=email, **snapshot(self.request))
        return HttpResponseRedirect(self.get_success_url())


class StaffPasswordSetView(auth_views.PasswordResetConfirmView):
    """Chooses a new password from an emailed link. Proving the inbox also lifts any sign-in lockout,
    so someone who locked a colleague out by guessing cannot keep them out."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.email)
        return response


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        # The password is the first step; staff who need a code give it before anything opens.
        url = super().get_success_url()
        membership = membership_for(self.request.user)
        if membership is not None and owes_second_factor(self.request, membership):
            return f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': url})}"
        return url


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
    branding_form = BrandingForm(initial={"brand_colour": practice.brand_colour})
    return render(request, "accounts/settings.html", {"form": form, "branding_form": branding_form})


@owner_required
def staff(request):
    """The practice's staff: who has access, in which role, and inviting someone new."""
    practice = request.membership.practice
    form = InviteStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invite_staff(
                practice=practice,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                treats=data["treats"],
                request=request,
            )
        except AlreadyStaff:
            form.add_error("email", _("This person is already on the staff."))
        except AccountExists:
            form.add_error(
                "email",
                _(
                    "This address already signs in to Bodymap, as a client or at another practice. "
                    "Staff need an address of their own for this practice: ask them for another one."
                ),
            )
        else:
            messages.success(
                request,
                _("%(name)s was invited: they will get an email to choose a password.")
                % {"name": data["full_name"]},
            )
            return redirect("accounts:staff")
    members = (
        Membership.objects.filter(practice=practice)
        .select_related("user")
        .order_by("-is_active", "role", "user__full_name")
    )
    members = list(members)
    for m in members:
        m.invited = is_invited(m)
    return render(request, "accounts/staff.html", {"form": form, "members": members})


@owner_required
@require_POST
def staff_resend_invitation(request, public_id):
    """A new invitation link for someone who has not yet accepted; the old link stops working."""
    membership = (
        Membership.objects.filter(practice=request.membership.practice, public_id=public_id)
        .select_related("user", "practice")
        .first()
    )
    if membership is None:
        raise Http404
    try:
        resend_invitation(membership=membership, request=request)
    except AlreadyAccepted:
        messages.error(request, _("%(name)s has already accepted.") % {"name": membership.display_name})
    else:
        messages.success(
            request, _("A new invitation is on its way to %(email)s.") % {"email": membership.user.email}
        )
    return redirect("accounts:staff")


@owner_required
@require_POST
def staff_access(request, public_id):
    membership = Membership.objects.filter(practice=request.membership.practice, public_id=public_id).first()
    if membership is None:
        raise Http404
    if membership.pk == request.membership.pk:
        messages.error(request, _("You cannot end your own access."))
        return redirect("accounts:staff")
    active = request.POST.get("active") == "1"
    set_active(membership=membership, active=active, request=request)
    if active:
        messages.success(request, _("%(name)s has access again.") % {"name": membership.display_name})
    else:
        messages.success(
            request,
            _("%(name)s no longer has access. Their records stay.") % {"name": membership.display_name},
        )
    return redirect("accounts:staff")
