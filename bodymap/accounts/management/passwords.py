import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from bodymap.accounts.models import User


def ask_password(command, email: str, name: str) -> str:
    """Prompt until the person types a password twice that passes the validators."""
    while True:
        password = getpass.getpass(f"Password for {email}: ")
        if password != getpass.getpass("Again: "):
            command.stderr.write("The two passwords differ. Try again.")
            continue
        try:
            validate_password(password, User(email=email, full_name=name))
        except ValidationError as exc:
            command.stderr.write(" ".join(exc.messages))
            continue
        return password
