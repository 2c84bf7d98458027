"""Addresses of many records of one kind, for pages that list hundreds of them."""

import uuid
from collections.abc import Callable

from django.urls import reverse

_PLACEHOLDER = str(uuid.UUID(int=0))


def by_public_id(name: str) -> Callable[[object], str]:
    """`reverse(name, args=[public_id])` for any number of public ids: the pattern is reversed once
    and each id filled in, because a reverse (or a `{% url %}`) per row cost more than reading the
    rows on the longest lists (a busy day's calendar, a client search, a chart's notes)."""
    before, after = reverse(name, args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return lambda public_id: f"{before}{public_id}{after}"
