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
