"""The client search: every typed word in some field, any case; indexed on PostgreSQL."""

import pytest
from django.db import connection

from bodymap.clients.models import Client
from bodymap.clients.search import SEARCHED, search_clients


def test_it_finds_a_client_by_parts_of_any_field_in_any_case(cast):
    clients = Client.objects.filter(practice=cast.practice)
    assert list(search_clients(clients, "riv SAM")) == [cast.client]
    assert list(search_clients(clients, "elena.kowalski@EXAMPLE")) == [cast.other_client]
    assert set(search_clients(clients, "555-0199")) >= {cast.client, cast.other_client}
    assert list(search_clients(clients, "sam nobody")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_it_has_a_trigram_index_for_each_searched_field(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'clients_client'")
        indexes = dict(cursor.fetchall())
    for field in SEARCHED:
        assert "gin_trgm_ops" in indexes.get(f"client_{field}_trgm", ""), field
