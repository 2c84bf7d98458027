"""The clinic's own face: its logo and colour on the public pages and emails, its therapists' bios
and photos where a client chooses whom to book, and who may change them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bodymap.accounts.branding import contrast_with_white
from bodymap.accounts.models import BrandImage, Practice
from bodymap.audit.models import AuditEntry
from bodymap.booking import emails
from tests.booking.conftest import make_bookable


def image_file(fmt="PNG", size=(40, 20), name="logo.png", **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (47, 111, 104)).save(buffer, format=fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def post_branding(http, colour="#2f6f68", logo=None):
    data = {"brand_colour": colour}
    if logo is not None:
        data["logo"] = logo
    return http.post(reverse("accounts:branding"), data)


def test_the_owner_sets_a_logo_and_colour_and_the_change_is_audited(as_role, cast):
    response = post_branding(as_role("owner"), "#1D4E89", image_file())
    assert response.status_code == 302
    practice = Practice.objects.get(pk=cast.practice.pk)
    assert practice.brand_colour == "#1d4e89"
    stored = BrandImage.objects.get(practice=practice, membership=None)
    assert bytes(stored.png).startswith(b"\x89PNG") and practice.logo_digest == stored.digest
    entry = AuditEntry.objects.filter(subject_public_id=practice.public_id).latest("id")
    assert sorted(entry.details["fields"]) == ["brand_colour", "logo"]


def test_a_jpeg_is_stored_as_png_without_its_metadata(as_role, cast):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    post_branding(as_role("owner"), logo=image_file("JPEG", name="logo.jpg", exif=exif.tobytes()))
    png = bytes(BrandImage.objects.get(practice=cast.practice, membership=None).png)
    assert png.startswith(b"\x89PNG") and b"SecretCam" not in png


@pytest.mark.parametrize(
    ("colour", "logo", "says"),
    [
        ("#ffcc00", None, "under the 4.5:1"),
        ("teal", None, "six hex digits"),
        (
            "#2f6f68",
            SimpleUploadedFile("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            "PNG, JPEG or WebP",
        ),
        ("#2f6f68", SimpleUploadedFile("logo.png", b"not an image at all"), "PNG, JPEG or WebP"),
        ("#2f6f68", "too-wide", "2000 pixels"),
        ("#2f6f68", "too-heavy", "larger than 1 MB"),
    ],
)
def test_a_refused_branding_keeps_what_was_typed_and_changes_nothing(as_role, cast, colour, logo, says):
    if logo == "too-wide":
        logo = image_file(size=(2100, 10))
    elif logo == "too-heavy":
        logo = SimpleUploadedFile("big.png", image_file().read() + b"\0" * (1024 * 1024 + 1))
    http = as_role("owner")
    response = post_branding(http, colour, logo)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert f'value="{colour}"' in response.content.decode()
    practice = Practice.objects.get(pk=cast.practice.pk)
    assert practice.brand_colour == "" and practice.logo_digest == ""
    assert not BrandImage.objects.exists()
    assert not AuditEntry.objects.filter(action="change").exists()


def test_the_contrast_rule_is_wcag_aa_for_white_text():
    assert contrast_with_white("#767676") >= 4.5  # the lightest grey that passes
    assert contrast_with_white("#777777") < 4.5


@pytest.mark.parametrize("role", ["front_desk", "therapist", "outsider", "client", "anonymous"])
def test_only_the_owner_changes_the_practice_branding(as_role, cast, role):
    # The owner of another practice changes their own, never this one.
    response = post_branding(as_role(role), "#1d4e89", image_file())
    assert response.status_code == (302 if role in ("outsider", "anonymous") else 404)
    if role == "anonymous":
        assert "login" in response["Location"]
    practice = Practice.objects.get(pk=cast.practice.pk)
    assert practice.brand_colour == "" and not BrandImage.objects.filter(practice=practice).exists()


def post_profile(http, member, bio="Ten years of sports massage.", photo=None):
    data = {"bio": bio}
    if photo is not None:
        data["photo"] = photo
    return http.post(reverse("accounts:profile", args=[member.public_id]), data)


@pytest.mark.parametrize("role", ["therapist", "owner"])
def test_a_therapist_and_the_owner_edit_the_therapists_bio_and_photo(as_role, cast, role):
    response = post_profile(as_role(role), cast.therapist, photo=image_file(name="me.webp", fmt="WEBP"))
    assert response.status_code == 302
    cast.therapist.refresh_from_db()
    assert cast.therapist.bio == "Ten years of sports massage." and cast.therapist.photo_digest
    entry = AuditEntry.objects.filter(subject_public_id=cast.therapist.public_id).latest("id")
    assert sorted(entry.details["fields"]) == ["bio", "photo"]


@pytest.mark.parametrize("role", ["other_therapist", "front_desk", "outsider", "client"])
def test_nobody_else_edits_a_therapists_bio(as_role, cast, role):
    response = post_profile(as_role(role), cast.therapist, photo=image_file())
    assert response.status_code == 404
    cast.therapist.refresh_from_db()
    assert cast.therapist.bio == "" and cast.therapist.photo_digest == ""
    assert not BrandImage.objects.exists()


def test_a_refused_photo_keeps_the_bio_that_was_typed(as_role, cast):
    response = post_profile(
        as_role("therapist"),
        cast.therapist,
        bio="Gentle, unhurried.",
        photo=SimpleUploadedFile("x.png", b"nope"),
    )
    assert response.status_code == 400
    assert "Gentle, unhurried." in response.content.decode()
    cast.therapist.refresh_from_db()
    assert cast.therapist.bio == ""


def test_a_bio_is_limited_in_length(as_role, cast):
    response = post_profile(as_role("therapist"), cast.therapist, bio="x" * 601)
    assert response.status_code == 400
    cast.therapist.refresh_from_db()
    assert cast.therapist.bio == ""


def test_the_public_pages_show_the_logo_colour_bio_and_photo(as_role, cast, client):
    booking = make_bookable(cast)
    post_branding(as_role("owner"), "#1d4e89", image_file())
    post_profile(
        as_role("therapist"), cast.therapist, bio="Ten years of <b>sports</b> massage.", photo=image_file()
    )
    cast.practice.refresh_from_db()
    cast.therapist.refresh_from_db()

    page = client.get(reverse("booking_public:therapist", args=[cast.practice.slug, booking.service.slug]))
    html = page.content.decode()
    logo_url = reverse("booking_public:logo", args=[cast.practice.slug])
    css_url = reverse("booking_public:brand_css", args=[cast.practice.slug])
    photo_url = reverse("booking_public:photo", args=[cast.practice.slug, cast.therapist.public_id])
    assert f'src="{logo_url}?v=' in html and f'href="{css_url}?v=' in html and f'src="{photo_url}?v=' in html
    # Plain text: the bio's markup is shown, never run.
    assert "Ten years of &lt;b&gt;sports&lt;/b&gt; massage." in html
    assert 'style="' not in html

    css = client.get(css_url)
    assert css["Content-Type"].startswith("text/css") and "--brand: #1d4e89;" in css.content.decode()
    logo = client.get(logo_url)
    assert logo["Content-Type"] == "image/png" and "max-age" in logo["Cache-Control"]
    assert bytes(logo.content).startswith(b"\x89PNG")
    assert client.get(photo_url).status_code == 200


def test_a_practice_without_a_colour_keeps_bodymaps(client, cast):
    css = client.get(reverse("booking_public:brand_css", args=[cast.practice.slug]))
    assert css.status_code == 200 and "--brand" not in css.content.decode()
    assert client.get(reverse("booking_public:logo", args=[cast.practice.slug])).status_code == 404


def test_a_former_therapists_photo_is_no_longer_public(as_role, cast, client):
    post_profile(as_role("therapist"), cast.therapist, photo=image_file())
    cast.therapist.is_active = False
    cast.therapist.save()
    url = reverse("booking_public:photo", args=[cast.practice.slug, cast.therapist.public_id])
    assert client.get(url).status_code == 404


def test_the_email_html_carries_the_logo_and_the_text_stays_plain(as_role, cast):
    post_branding(as_role("owner"), "#1d4e89", image_file())
    cast.appointment.practice.refresh_from_db()
    message = emails.confirmation(cast.appointment)
    [(html, _mimetype)] = message.alternatives
    logo_path = reverse("booking_public:logo", args=[cast.practice.slug])
    assert '<img src="http' in html and f"{logo_path}?v=" in html
    assert "#1d4e89" in html
    assert "<img" not in message.body and logo_path not in message.body


@pytest.mark.parametrize("page", ["what_to_expect", "portal:login"])
def test_the_shared_public_pages_wear_the_face_of_the_practice_that_linked_them(as_role, cast, client, page):
    post_branding(as_role("owner"), "#1d4e89", image_file())
    html = client.get(reverse(page) + f"?practice={cast.practice.slug}").content.decode()
    assert "Breathe Deeply Massage" in html
    assert reverse("booking_public:logo", args=[cast.practice.slug]) in html
    assert reverse("booking_public:brand_css", args=[cast.practice.slug]) in html
    plain = client.get(reverse(page) + "?practice=nowhere").content.decode()
    assert "brand.css" not in plain and "Breathe Deeply Massage" not in plain
