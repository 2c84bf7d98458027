"""Two-factor sign-in for staff: an authenticator app (TOTP) and single-use recovery codes.

Signing in is two steps: the password, then a code. Until the code is given, `staff_required` sends
the member of staff back here, so no page with client records opens on a password alone. Owners
always need it; a practice can ask it of everyone.
"""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bodymap.access import (
    membership_for,
    owes_second_factor,
    owner_required,
    staff_required,
    two_factor_required,
)
from bodymap.accounts.forms import SecondFactorForm
from bodymap.accounts.models import Membership
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction

RECOVERY_CODES = 10


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _staff(request):
    membership = membership_for(request.user)
    if membership is None:
        raise Http404
    return membership


def _audit(request, membership, event, **details):
    record(
        actor=request.user,
        practice=membership.practice,
        action=AuditAction.CHANGE,
        subject_type="two_factor",
        subject_public_id=request.user.public_id,
        request=request,
        event=event,
        **details,
    )


def confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def qr_svg_data_uri(text: str) -> str:
    """The QR code as an SVG data URI: drawn on the server, so the page needs no script and the
    content security policy stays as it is."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class WaitBeforeRetrying(Exception):
    """Wrong codes make each device wait longer before it checks another (django-otp's throttle)."""


def _verify(user, code: str):
    """The device that accepts `code`: the authenticator app's six digits, or a recovery code."""
    code = "".join(code.split()).lower()
    with transaction.atomic():
        if code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            raise WaitBeforeRetrying
        if device.verify_token(code):
            return device
    return None


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in."""
    membership = _staff(request)
    if not owes_second_factor(request, membership):
        return redirect(_next_url(request))
    if confirmed_totp(request.user) is None:
        return redirect(
            f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next_url(request, '')})}"
        )
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = _verify(request.user, form.cleaned_data["code"])
        except WaitBeforeRetrying:
            form.add_error("code", _("Too many wrong codes in a row. Wait a few seconds, then try again."))
            return render(
                request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")}
            )
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                with transaction.atomic():
                    _audit(request, membership, "recovery code used", left=left)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new ones in "
                        "Two-factor sign-in if you are running low."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("That code did not work. Check the app and try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Connect an authenticator app: scan the code, type the six digits it shows."""
    membership = _staff(request)
    user = request.user
    # Replacing an app that is set up takes the second step first, so a stolen password cannot.
    if confirmed_totp(user) is not None and not user.is_verified():
        return redirect_to_login(_next_url(request, ""), reverse("accounts:two_factor_verify"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = SecondFactorForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits the app shows for Bodymap.")
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        if code.isdigit() and device.verify_token(code):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(user)
                _audit(request, membership, "authenticator app set up")
            otp_login(request, device)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request, ""), "first_time": True},
            )
        form.add_error("code", _("That code did not work. Scan the picture again and type the newest code."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": qr_svg_data_uri(device.config_url),
            "secret": _spaced(secret),
            "required": two_factor_required(membership),
            "next": _next_url(request, ""),
        },
    )


@staff_required
def manage(request):
    """Where a member of staff sees and changes their two-factor sign-in."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": confirmed_totp(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
            "required": two_factor_required(request.membership),
        },
    )


@staff_required
@require_POST
def recovery_codes(request):
    if confirmed_totp(request.user) is None:
        raise Http404
    with transaction.atomic():
        codes = new_recovery_codes(request.user)
        _audit(request, request.membership, "recovery codes replaced")
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "first_time": False})


@staff_required
@require_POST
def turn_off(request):
    """Those who may sign in without a second step can stop using it."""
    if two_factor_required(request.membership):
        messages.error(request, _("Two-factor sign-in is required for your account."))
        return redirect("accounts:two_factor")
    with transaction.atomic():
        forget_devices(request.user)
        _audit(request, request.membership, "turned off")
    messages.success(request, _("Two-factor sign-in is off. You sign in with your password alone."))
    return redirect("accounts:two_factor")


def forget_devices(user) -> None:
    """Remove someone's authenticator app and recovery codes; they set up anew at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@owner_required
@require_POST
def reset_for_member(request, public_id):
    """The owner helps a colleague who lost their phone and their recovery codes. Their password
    is still needed, and they choose a new app when they next sign in."""
    member = Membership.objects.filter(practice=request.membership.practice, public_id=public_id).first()
    if member is None:
        raise Http404
    with transaction.atomic():
        forget_devices(member.user)
        _audit(request, request.membership, "reset by the owner", member=str(member.public_id))
    messages.success(
        request,
        _("%(name)s sets up two-factor sign-in again when they next sign in.")
        % {"name": member.display_name},
    )
    return redirect("accounts:staff")
