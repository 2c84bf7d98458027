import pytest
from django.core.cache import cache
from django.test import Client as HttpClient

from tests.cast import build_cast, pass_second_factor


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is the production hasher (tested separately); tests sign in through a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; each test starts with none used.
    cache.clear()


@pytest.fixture
def run_tasks(settings):
    """Background tasks run as soon as they are queued, so a test sees the email they send."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def as_role(cast):
    """A test client signed in as one of the cast: as_role("front_desk")."""

    def signed_in(role):
        http = HttpClient()
        user = cast.user(role)
        if user is not None:
            http.force_login(user)
            pass_second_factor(http, user)
        return http

    return signed_in


@pytest.fixture
def stripe_api(settings):
    """Online payment turned on, with the stripe library talking to a local stand-in for Stripe."""
    from tests.billing.stripe_stand_in import serve

    yield from serve(settings)
