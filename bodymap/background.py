"""Carrying what an action needs from a web request into a background task.

Emails that depend on who someone is (a sign-in link, a password reset) are sent by a task, so the
request does the same work, and takes the same time, whether or not the address is known.
"""

from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import AnonymousUser

from bodymap.audit.log import client_ip


def snapshot(request) -> dict:
    """The parts of `request` a task needs, as plain values a task can be queued with."""
    return {"base_url": request.build_absolute_uri("/"), "ip": client_ip(request)}


class RequestSnapshot:
    """Stands in for the request inside a task: audit entries record the address the request came
    from, and links point at the site the request was made to."""

    user = AnonymousUser()
    META: dict = {}

    def __init__(self, *, base_url: str, ip: str | None):
        self.base_url = base_url
        self.bodymap_client_ip = ip

    def build_absolute_uri(self, location: str = "/") -> str:
        return urljoin(self.base_url, location)

    @property
    def domain(self) -> str:
        return urlsplit(self.base_url).netloc

    def is_secure(self) -> bool:
        return self.base_url.startswith("https://")
