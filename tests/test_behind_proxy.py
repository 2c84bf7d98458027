"""Behind the reverse proxy: the client is the address the proxy saw, never a header the client wrote."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from bodymap.audit.log import client_ip

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.9"
STAFF = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.BODYMAP_BEHIND_PROXY = True
    settings.BODYMAP_PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def via_proxy(address, forged=""):
    """A browser at `address` reaching Bodymap through nginx, which appends what it saw."""
    chain = f"{forged}, {address}" if forged else address
    return HttpClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def sign_in(http, password):
    return http.post(reverse("accounts:login"), {"username": "therapist@example.com", "password": password})


def test_it_takes_the_address_the_proxy_saw_not_the_one_the_client_wrote(behind_proxy, rf):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    assert client_ip(request) == ATTACKER


def test_it_counts_proxies_from_the_right(behind_proxy, rf, settings):
    settings.BODYMAP_PROXY_COUNT = 2  # a CDN in front of nginx
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}, 192.0.2.50")
    assert client_ip(request) == ATTACKER


def test_it_ignores_forwarded_headers_without_a_proxy(rf, settings):
    settings.BODYMAP_BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == ATTACKER


def test_it_does_not_let_a_stranger_lock_staff_out(behind_proxy, cast, settings):
    attacker = via_proxy(ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(attacker, "guess")
    assert sign_in(attacker, "correct horse battery").status_code == 429
    response = sign_in(via_proxy(STAFF), "correct horse battery")
    assert response.status_code == 302


def test_it_keeps_the_lock_when_the_attacker_rewrites_forwarded_for(behind_proxy, cast, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in(via_proxy(ATTACKER, forged=f"192.0.2.{attempt}"), "guess")
    response = sign_in(via_proxy(ATTACKER, forged="192.0.2.200"), "correct horse battery")
    assert response.status_code == 429


def test_it_writes_the_real_address_into_the_audit_log(behind_proxy, cast):
    from bodymap.audit.models import AuditEntry

    http = via_proxy(STAFF, forged="8.8.8.8")
    http.force_login(cast.therapist.user)
    http.get(reverse("clients:detail", args=[cast.client.public_id]))
    entry = AuditEntry.objects.filter(subject_public_id=cast.client.public_id).latest("id")
    assert entry.ip_address == STAFF
