"""Portal sign-in links go out from a background task: asking for one takes the same time whether or
not the address belongs to a client, so the form cannot be used to find out who is one."""

from django_tasks import task

from bodymap.background import RequestSnapshot
from bodymap.portal.actions import send_portal_link


@task()
def send_portal_link_later(email: str, base_url: str, ip: str | None) -> bool:
    return send_portal_link(email=email, request=RequestSnapshot(base_url=base_url, ip=ip))
