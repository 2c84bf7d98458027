"""Nothing a user types can produce a server error, and whatever they type comes back escaped."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MARK = "<script>bm("

nasty = st.one_of(
    st.text(max_size=200),
    st.text(max_size=20).map(lambda t: f"{MARK}{t})</script>"),
    st.text(max_size=20).map(lambda t: f'"><img src=x onerror=alert(1)>{t}'),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a" * 10_000,
            "' OR 1=1 --",
            "%s%n{0}",
            "😀" * 300,
            "Ünïcödé Ωμέγα 名前",
            "\u202etxt.exe",
            "1999-02-31",
            "-1",
            "9" * 40,
        ]
    ),
)
fuzz = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CLIENT_FIELDS = [
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "assigned_therapist",
]


def assert_safe(response):
    assert response.status_code < 500
    body = response.content.decode()
    assert MARK not in body
    assert "<img src=x onerror" not in body


@fuzz
@given(values=st.fixed_dictionaries({name: nasty for name in CLIENT_FIELDS}))
def test_it_survives_anything_in_the_new_client_form(as_role, cast, values):
    assert_safe(as_role("owner").post(reverse("clients:new"), values))


@fuzz
@given(values=st.fixed_dictionaries({name: nasty for name in CLIENT_FIELDS}))
def test_it_survives_anything_in_the_edit_client_form(as_role, cast, values):
    assert_safe(as_role("therapist").post(reverse("clients:edit", args=[cast.client.public_id]), values))


@fuzz
@given(q=nasty, page=nasty, inactive=nasty)
def test_it_survives_anything_in_the_client_search(as_role, cast, q, page, inactive):
    assert_safe(
        as_role("front_desk").get(
            reverse("clients:list"), {"q": q, "page": page, "include_inactive": inactive}
        )
    )


@fuzz
@given(
    values=st.fixed_dictionaries(
        {k: nasty for k in ("actor", "action", "subject", "date_from", "date_to", "page")}
    )
)
def test_it_survives_anything_in_the_audit_filters(as_role, cast, values):
    assert_safe(as_role("owner").get(reverse("audit:log"), values))


@fuzz
@given(username=nasty, password=nasty)
def test_it_survives_anything_in_the_staff_sign_in(client, cast, username, password):
    assert_safe(client.post(reverse("accounts:login"), {"username": username, "password": password}))


@fuzz
@given(email=nasty)
def test_it_survives_anything_in_the_portal_sign_in(client, cast, email):
    assert_safe(client.post(reverse("portal:login"), {"email": email}))


@fuzz
@given(
    token=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/"),
        min_size=1,
        max_size=300,
    )
)
def test_it_survives_any_sign_in_token(client, cast, token):
    assert_safe(client.post(reverse("portal:link", args=[token])))


@pytest.mark.parametrize("field", ["first_name", "address", "emergency_contact_name"])
def test_it_escapes_markup_when_showing_a_saved_client(as_role, cast, field):
    payload = f'{MARK}1)</script><b onclick="x">'
    data = {"first_name": "Ada", "last_name": "Lovelace", field: payload}
    response = as_role("owner").post(reverse("clients:new"), data, follow=True)
    assert_safe(response)
    assert "&lt;script&gt;bm(" in response.content.decode()
