"""Every intake, consent and chart view against every role. Front desk never sees clinical content."""

import pytest
from django.urls import reverse

from bodymap.intake.models import Intake
from tests.cast import ROLES, SIGN_IN, assert_access
from tests.intake.helpers import fill_intake

CLINICAL = {
    "owner": 200,
    "therapist": 200,
    "other_therapist": 404,
    "front_desk": 404,
    "client": 404,
    "other_client": 404,
    "anonymous": SIGN_IN,
}
CONTACT = {**CLINICAL, "front_desk": 302}
PORTAL = {
    "owner": 404,
    "therapist": 404,
    "other_therapist": 404,
    "front_desk": 404,
    "client": 200,
    "other_client": 200,
    "anonymous": SIGN_IN,
}
OWNER_ONLY = {**{r: 404 for r in ROLES}, "owner": 200, "anonymous": SIGN_IN}
PUBLIC = dict.fromkeys(ROLES, 200)


@pytest.fixture
def intake(cast, client):
    fill_intake(client, cast.client, consent={"gluteal": "granted"})
    return Intake.objects.get(client=cast.client)


VIEWS = [
    ("chart", "get", lambda c, i: reverse("chart:chart", args=[c.client.public_id]), CLINICAL),
    ("handout", "get", lambda c, i: reverse("chart:handout", args=[c.client.public_id]), CLINICAL),
    (
        "intake json",
        "get",
        lambda c, i: reverse("chart:intake_json", args=[c.client.public_id, i.public_id]),
        CLINICAL,
    ),
    (
        "session",
        "get",
        lambda c, i: reverse("chart:session", args=[c.client.appointments.get().public_id]),
        CLINICAL,
    ),
    (
        "in-person intake",
        "post",
        lambda c, i: reverse("chart:in_person", args=[c.client.public_id]),
        {**CLINICAL, "owner": 302, "therapist": 302},
    ),
    (
        "send intake link",
        "post",
        lambda c, i: reverse("clients:send_intake_link", args=[c.client.public_id]),
        {**CONTACT, "owner": 302, "therapist": 302},
    ),
    ("portal consent", "get", lambda c, i: reverse("portal:consent"), PORTAL),
    (
        "portal intake",
        "get",
        lambda c, i: reverse("portal:intake"),
        {**PORTAL, "client": 302, "other_client": 302},
    ),
    ("practice settings", "get", lambda c, i: reverse("accounts:settings"), OWNER_ONLY),
    ("what to expect", "get", lambda c, i: reverse("what_to_expect"), PUBLIC),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_it_checks_ownership(as_role, cast, intake, role, name, method, url, expected):
    response = getattr(as_role(role), method)(url(cast, intake))
    assert_access(response, expected[role], f"{role} on {name}")


def test_it_sends_each_portal_client_to_their_own_intake(as_role, cast):
    own = as_role("client").get(reverse("portal:intake"))["Location"]
    other = as_role("other_client").get(reverse("portal:intake"))["Location"]
    assert own != other
    assert own.endswith("?via=portal")


def test_it_never_shows_clinical_content_to_front_desk(as_role, cast, intake):
    page = as_role("front_desk").get(reverse("clients:detail", args=[cast.client.public_id])).content.decode()
    assert "Open chart" not in page
    assert "Email the intake link" in page  # sending the link is front-desk work; reading the answers is not
    assert "low back" not in page.lower()


def test_it_lets_the_owner_turn_off_confirmation_before_each_treatment(as_role, cast):
    response = as_role("owner").post(
        reverse("accounts:settings"),
        {
            "name": cast.practice.name,
            "timezone": "America/Toronto",
            "confirm_consent_each_treatment": "",
            "unsigned_note_days": "2",
        },
    )
    assert response.status_code == 302
    cast.practice.refresh_from_db()
    assert cast.practice.confirm_consent_each_treatment is False


def test_it_rejects_an_unknown_time_zone_beside_the_field(as_role, cast):
    page = (
        as_role("owner")
        .post(
            reverse("accounts:settings"),
            {"name": "X", "timezone": "Mars/Base", "confirm_consent_each_treatment": "on"},
        )
        .content.decode()
    )
    assert "Choose a time zone from the list." in page


def test_it_offers_the_time_zone_as_a_list_of_real_zones(as_role):
    page = as_role("owner").get(reverse("accounts:settings")).content.decode()
    assert '<select name="timezone"' in page
    assert '<option value="America/Toronto" selected>America/Toronto</option>' in page
    assert '<option value="Europe/London">Europe/London</option>' in page
    assert 'type="tel" name="phone"' in page
