"""Finding clients by what the front desk types: any part of a name, email or phone.

Every word must appear in one of the fields, in any case. On PostgreSQL trigram indexes (migration
0003) answer the search without reading every client; SQLite scans the practice's clients, which
stays well inside the target at tens of thousands of them (bench/scale_bench.py).
"""

from django.db.models import Q

# The fields searched, each with a trigram index on PostgreSQL over the very expression Django's
# `icontains` compiles to, UPPER("field"::text), so the planner can use it.
SEARCHED = ("first_name", "last_name", "preferred_name", "email", "phone")


def search_clients(clients, query: str):
    """`clients` narrowed to those matching every word of `query`."""
    for word in query.split():
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
