"""Every table with legal weight refuses to change, lose a row or be emptied, whoever asks."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.integrity.conftest import PROTECTED


def count(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names from a fixed list
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("table", "refusal"), PROTECTED.items())
def test_it_refuses_an_update_of_any_protected_row(protected_rows, table, refusal):
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608 - table names from a fixed list


@pytest.mark.parametrize(("table", "refusal"), PROTECTED.items())
def test_it_refuses_a_delete_of_any_protected_row(protected_rows, table, refusal):
    before = count(table)
    with pytest.raises(DatabaseError, match=refusal), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - table names from a fixed list
    assert count(table) == before > 0


@pytest.mark.parametrize("table", PROTECTED)
def test_it_refuses_to_empty_a_protected_table_at_once(protected_rows, table):
    # PostgreSQL's TRUNCATE fires no row trigger; SQLite has no TRUNCATE, and skips its fast
    # "truncate" path for a DELETE without WHERE on a table with triggers.
    before = count(table)
    statement = f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}"  # noqa: S608
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert count(table) == before > 0
