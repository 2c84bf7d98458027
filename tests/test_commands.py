"""Setting up a real practice from the command line."""

import pytest
from django.core.management import CommandError, call_command

from bodymap.accounts.models import Membership, Practice


@pytest.fixture
def typed_password(monkeypatch):
    answers = iter(["short", "short", "a-long-enough passphrase", "a-long-enough passphrase"] * 2)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))


def test_it_creates_a_practice_with_its_owner(db, typed_password, client, capsys):
    call_command(
        "create_practice",
        name="Breathe Deeply Massage",
        timezone="America/Toronto",
        owner_email="Owner@Example.com",
        owner_name="Maya Brooks",
        owner_treats=True,
    )
    assert "too short" in capsys.readouterr().err
    membership = Membership.objects.get(user__email="owner@example.com")
    assert membership.role == "owner" and membership.provides_treatment
    assert membership.practice.timezone == "America/Toronto"
    response = client.post(
        "/accounts/login/", {"username": "owner@example.com", "password": "a-long-enough passphrase"}
    )
    assert response.status_code == 302


def test_it_refuses_an_unknown_time_zone(db):
    with pytest.raises(CommandError, match="Unknown time zone"):
        call_command(
            "create_practice", name="X", timezone="Mars/Olympus", owner_email="a@example.com", owner_name="A"
        )
    assert not Practice.objects.exists()


def test_it_adds_staff_with_the_right_treating_flag(cast, typed_password):
    call_command("add_staff", practice="breathe", email="new@example.com", name="New Desk", role="front_desk")
    call_command("add_staff", practice="breathe", email="t2@example.com", name="New T", role="therapist")
    assert Membership.objects.get(user__email="new@example.com").provides_treatment is False
    assert Membership.objects.get(user__email="t2@example.com").provides_treatment is True
    with pytest.raises(CommandError, match="already on the staff"):
        call_command("add_staff", practice="breathe", email="t2@example.com", name="New T", role="therapist")
