"""The clinic's own face: the owner's branding form, therapists' profiles, and the public image and
colour files the client-facing pages load."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST

from bodymap.access import get_profile_for_user, owner_required, profiles_for, staff_required
from bodymap.accounts.branding import BrandingForm, ProfileForm, brand_palette, set_branding, set_profile
from bodymap.accounts.models import BrandImage, Membership, Practice

# Public files are versioned by digest in their URLs, so a browser may keep them a day; a changed
# logo or colour gets a new URL at once.
PUBLIC_MAX_AGE = 60 * 60 * 24


@owner_required
@require_POST
def branding(request):
    practice = request.membership.practice
    form = BrandingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        set_branding(
            practice=practice,
            actor=request.user,
            request=request,
            colour=data["brand_colour"],
            logo=data["logo"],
            remove_logo=data["remove_logo"],
        )
        messages.success(request, _("Branding saved."))
        return redirect("accounts:settings")
    # The settings page again with this form's errors and what was typed; nothing was saved.
    from bodymap.accounts.forms import PracticeSettingsForm

    return render(
        request,
        "accounts/settings.html",
        {"form": PracticeSettingsForm(instance=practice), "branding_form": form},
        status=400,
    )


@staff_required
def profiles(request):
    """The members whose bio and photo this person may edit: everyone who treats, for the owner."""
    members = list(
        profiles_for(request.membership).active().select_related("user").order_by("user__full_name")
    )
    if len(members) == 1 and not request.membership.is_owner:
        return redirect("accounts:profile", members[0].public_id)
    if not members:
        raise Http404
    return render(request, "accounts/profiles.html", {"members": members})


@staff_required
def profile(request, public_id):
    member = get_profile_for_user(request, public_id)
    form = ProfileForm(request.POST or None, request.FILES or None, initial={"bio": member.bio})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        set_profile(
            member=member,
            actor=request.user,
            request=request,
            bio=data["bio"],
            photo=data["photo"],
            remove_photo=data["remove_photo"],
        )
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile", member.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/profile.html", {"member": member, "form": form}, status=status)


def _image_response(image: BrandImage | None):
    if image is None:
        raise Http404
    response = HttpResponse(bytes(image.png), content_type="image/png")
    response["ETag"] = f'"{image.digest}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
def logo(request, practice):
    practice = get_object_or_404(Practice, slug=practice)
    return _image_response(BrandImage.objects.filter(practice=practice, membership=None).first())


@require_GET
def photo(request, practice, public_id):
    # Only therapists who treat, and are still on the staff, have a public face.
    member = get_object_or_404(Membership.objects.therapists(), practice__slug=practice, public_id=public_id)
    return _image_response(BrandImage.objects.filter(membership=member).first())


def _colour(request, practice):
    return Practice.objects.filter(slug=practice).values_list("brand_colour", flat=True).first()


@require_GET
@condition(etag_func=lambda request, practice: f"brand-{_colour(request, practice)}")
def brand_css(request, practice):
    """The practice's colour as CSS custom properties. A file, not a style attribute, because the
    content security policy allows styles only from the site's own files."""
    colour = _colour(request, practice)
    if colour is None:
        raise Http404
    css = ""
    if colour:
        css = ":root { " + " ".join(f"--{k}: {v};" for k, v in brand_palette(colour).items()) + " }\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
