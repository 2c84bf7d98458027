"""Filtering and paging the audit log without counting it.

Pages are keyset pages: "entries older than id N", newest first, read through an index that starts
with the practice (and the filtered column). A page deep in a log of millions costs what the
first page costs; there is no OFFSET and no COUNT(*).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from bodymap.audit.models import AuditEntry

PAGE_SIZE = 50


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _first_id_from(moment):
    """The id of the first entry stamped at or after `moment` (entries are stamped in id order)."""
    return (
        AuditEntry.objects.filter(created_at__gte=moment)
        .order_by("created_at", "id")
        .values_list("id", flat=True)
        .first()
    )


def filtered(practice, data: dict):
    """The practice's entries matching the cleaned filter form `data`."""
    entries = AuditEntry.objects.filter(practice=practice)
    if data.get("client"):
        entries = entries.filter(client_public_id=data["client"].public_id)
    if data.get("actor"):
        entries = entries.filter(actor_id=data["actor"].user_id)
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("subject"):
        entries = entries.filter(subject_public_id=data["subject"])
    if data.get("date_from"):
        start = _start_of(data["date_from"])
        # An id bound lets the database walk the id index straight to the range.
        first = _first_id_from(start)
        entries = entries.filter(created_at__gte=start, id__gte=first) if first else entries.none()
    if data.get("date_to"):
        end = _start_of(data["date_to"] + timedelta(days=1))
        after = _first_id_from(end)
        entries = entries.filter(created_at__lt=end)
        if after:
            entries = entries.filter(id__lt=after)
    return entries


@dataclass
class Page:
    entries: list
    older: int | None  # the id to pass as ?before= for the next older page
    newer: int | None  # the id to pass as ?after= for the next newer page


def page_of(entries, *, before=None, after=None, size=PAGE_SIZE) -> Page:
    """One page of `entries`, newest first: older than `before`, or newer than `after`."""
    if after is not None:
        chunk = list(entries.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(chunk) > size
        chunk = list(reversed(chunk[:size]))
        return Page(chunk, chunk[-1].id if chunk else None, chunk[0].id if chunk and more_newer else None)
    if before is not None:
        entries = entries.filter(id__lt=before)
    chunk = list(entries.order_by("-id")[: size + 1])
    more_older = len(chunk) > size
    chunk = chunk[:size]
    return Page(
        chunk,
        chunk[-1].id if chunk and more_older else None,
        chunk[0].id if chunk and (before is not None) else None,
    )


def batches(entries, size=1000):
    """Every entry of `entries`, newest first, a keyset batch at a time (for the CSV export)."""
    before = None
    while True:
        chunk = list((entries.filter(id__lt=before) if before else entries).order_by("-id")[:size])
        if not chunk:
            return
        yield chunk
        before = chunk[-1].id
