"""Two transactions appending to the audit log at once take turns, so the chain never forks."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from bodymap.accounts.models import Practice, User
from bodymap.audit import chain
from bodymap.audit.log import record
from bodymap.audit.models import AuditAction, AuditEntry
from bodymap.integrity.operations import AppendOnly
from tests.browser.conftest import APPS

# Committed rows are needed here; the audit table refuses the DELETE that ends a transactional test,
# so its app is left out and its rows are removed by hand.
pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="SQLite runs one writer at a time (BEGIN IMMEDIATE): there is nothing to interleave",
    ),
]


@pytest.fixture
def owner():
    practice = Practice.objects.create(name="Busy", slug="busy", timezone="America/Toronto")
    yield User.objects.create_user(email="owner@busy.example.com", full_name="Owner"), practice
    guard = AppendOnly("audit_auditentry")
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in guard.remove_sql(connection.vendor):
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_auditentry")
        for sql in guard.install_sql(connection.vendor):
            cursor.execute(sql)


def test_two_transactions_appending_at_once_do_not_fork_the_chain(owner):
    user, practice = owner
    first_holds_the_head = threading.Event()
    errors = []

    def append(label, before_commit):
        try:
            with transaction.atomic():
                record(actor=user, practice=practice, action=AuditAction.VIEW, subject_type=label)
                before_commit()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def first_waits():
        first_holds_the_head.set()
        # Still uncommitted: the second writer must wait for this head, not read the old one.
        threading.Event().wait(0.5)

    first = threading.Thread(target=append, args=("first", first_waits))
    first.start()
    first_holds_the_head.wait(5)
    second = threading.Thread(target=append, args=("second", lambda: None))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    # Only this practice's entries: earlier transactional tests may leave theirs in the log.
    assert list(
        AuditEntry.objects.filter(practice=practice).order_by("id").values_list("subject_type", flat=True)
    ) == [
        "first",
        "second",
    ]
    assert chain.verify().broken is None
