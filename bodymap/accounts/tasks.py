"""Staff emails sent in the background: a password reset looks the same from outside whether or not
the address belongs to anyone."""

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task

from bodymap.background import RequestSnapshot


@task()
def send_password_reset(email: str, base_url: str, ip: str | None) -> bool:
    """Email a reset link to the active staff account at `email`, if there is one."""
    request = RequestSnapshot(base_url=base_url, ip=ip)
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return False
    form.save(
        domain_override=request.domain,
        use_https=request.is_secure(),
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset_body.txt",
    )
    return True
