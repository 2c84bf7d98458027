"""The clinic's own face: its logo and colour, and its therapists' bios and photos.

Images are checked with Pillow and re-encoded as PNG: what is stored is pixels only, with no camera
metadata (location, device) from the original file and nothing a browser could run.
"""

import hashlib
import io
import re

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from bodymap.accounts.models import BrandImage, Membership, Practice
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction

MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 2000
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}
# WCAG 2.2 AA for normal text: the primary buttons put white text on the brand colour.
MIN_CONTRAST_WITH_WHITE = 4.5
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def image_png(upload) -> bytes:
    """The upload as PNG bytes, or a ValidationError saying what is wrong with it."""
    if upload.size > MAX_IMAGE_BYTES:
        raise forms.ValidationError(_("The image is larger than 1 MB. Choose a smaller file."))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Choose a PNG, JPEG or WebP image."))
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) > MAX_IMAGE_SIDE:
                raise forms.ValidationError(
                    _("The image is more than %(side)s pixels wide or tall. Choose a smaller one.")
                    % {"side": MAX_IMAGE_SIDE}
                )
            image.load()
            pixels = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise forms.ValidationError(_("Choose a PNG, JPEG or WebP image.")) from None
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def _mix(hex_colour: str, other: tuple[int, int, int], share: float) -> str:
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - share) + o * share):02x}" for c, o in zip(rgb, other, strict=True))


def brand_palette(hex_colour: str) -> dict[str, str]:
    """The three shades app.css uses, from the one colour the owner chose."""
    return {
        "brand": hex_colour,
        "brand-dark": _mix(hex_colour, (0, 0, 0), 0.2),
        "brand-soft": _mix(hex_colour, (255, 255, 255), 0.88),
    }


class BrandingForm(forms.Form):
    brand_colour = forms.CharField(
        label=_("Brand colour"),
        required=False,
        max_length=7,
        help_text=_("As a hex code such as #2f6f68; leave empty for Bodymap's colour."),
        widget=forms.TextInput(attrs={"placeholder": "#2f6f68", "spellcheck": "false"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 1 MB and 2000 pixels on each side."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_brand_colour(self):
        colour = self.cleaned_data["brand_colour"].strip().lower()
        if not colour:
            return ""
        if not HEX_COLOUR.match(colour):
            raise forms.ValidationError(_("Give the colour as # and six hex digits, such as #2f6f68."))
        ratio = contrast_with_white(colour)
        if ratio < MIN_CONTRAST_WITH_WHITE:
            raise forms.ValidationError(
                _(
                    "White text on this colour has a contrast of %(ratio).2f:1, under the 4.5:1 that "
                    "people with low vision need to read buttons. Choose a darker colour."
                )
                % {"ratio": ratio}
            )
        return colour

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return image_png(upload) if upload else None


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=600,
        help_text=_(
            "A few sentences clients read when choosing whom to book. Plain text, up to 600 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 1 MB and 2000 pixels on each side."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def clean_bio(self):
        return self.cleaned_data["bio"].strip()

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return image_png(upload) if upload else None


def _store(practice: Practice, membership: Membership | None, png: bytes | None) -> str:
    """Replace or remove one image; returns its new digest ('' when removed)."""
    BrandImage.objects.filter(practice=practice, membership=membership).delete()
    if png is None:
        return ""
    digest = hashlib.sha256(png).hexdigest()
    BrandImage.objects.create(practice=practice, membership=membership, png=png, digest=digest)
    return digest


def set_branding(*, practice: Practice, actor, request, colour: str, logo: bytes | None, remove_logo: bool):
    changed = []
    with transaction.atomic():
        if colour != practice.brand_colour:
            practice.brand_colour = colour
            changed.append("brand_colour")
        if logo is not None or (remove_logo and practice.logo_digest):
            practice.logo_digest = _store(practice, None, logo)
            changed.append("logo")
        if not changed:
            return changed
        practice.save(update_fields=["brand_colour", "logo_digest"])
        record(
            actor=actor,
            practice=practice,
            action=AuditAction.CHANGE,
            subject_type="practice",
            subject_public_id=practice.public_id,
            request=request,
            fields=changed,
        )
    return changed


def set_profile(*, member: Membership, actor, request, bio: str, photo: bytes | None, remove_photo: bool):
    changed = []
    with transaction.atomic():
        if bio != member.bio:
            member.bio = bio
            changed.append("bio")
        if photo is not None or (remove_photo and member.photo_digest):
            member.photo_digest = _store(member.practice, member, photo)
            changed.append("photo")
        if not changed:
            return changed
        member.save(update_fields=["bio", "photo_digest"])
        record(
            actor=actor,
            practice=member.practice,
            action=AuditAction.CHANGE,
            subject_type="membership",
            subject_public_id=member.public_id,
            request=request,
            fields=changed,
        )
    return changed


def named_practice(request) -> Practice | None:
    """The practice a link to a shared public page names (?practice=slug), so that the page wears
    that clinic's name, logo and colour. Unknown names show Bodymap's own face."""
    slug = request.GET.get("practice", "")
    if not slug or not re.fullmatch(r"[-a-zA-Z0-9_]{1,50}", slug):
        return None
    return Practice.objects.filter(slug=slug).first()
