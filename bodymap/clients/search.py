"""Finding clients by what the front desk types: any part of a name, email or phone.

Every word must appear in one of the fields, in any case. On PostgreSQL trigram indexes (migration
0003) answer the search without reading every client; on SQLite an FTS5 trigram index does
(bodymap.clients.sqlite_search).
"""

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from bodymap.clients.sqlite_search import TABLE, phrase

# The fields searched, each with a trigram index on PostgreSQL over the very expression Django's
# `icontains` compiles to, UPPER("field"::text), so the planner can use it.
SEARCHED = ("first_name", "last_name", "preferred_name", "email", "phone")
SQLITE_MATCH = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608 - a constant table


def search_clients(clients, query: str):
    """`clients` narrowed to those matching every word of `query`."""
    sqlite = connections[clients.db].vendor == "sqlite"
    for word in query.split():
        if sqlite and len(word) >= 3:
            # The FTS5 trigram index (bodymap.clients.sqlite_search) answers "contains, in any case"
            # for three characters or more; shorter words have no trigram and scan as below.
            clients = clients.filter(pk__in=RawSQL(SQLITE_MATCH, (phrase(word),)))  # noqa: S611 - a parameter
            continue
        match = Q()
        for field in SEARCHED:
            match |= Q(**{f"{field}__icontains": word})
        clients = clients.filter(match)
    return clients


class SearchPage:
    """One page of clients without a COUNT over the practice: a count reads every matching client
    (on SQLite a second scan of the whole practice) only to print "page 3 of 40", so the page reads
    one row past its end instead and knows just whether another page follows."""

    def __init__(self, clients, number, per_page: int):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        # A page number far past any practice's size would make the database skip that many rows.
        number = min(number, 10_000)
        offset = (number - 1) * per_page
        rows = list(clients[offset : offset + per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.has_other_pages = self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1
