"""Reads about notes that several pages need."""

from datetime import timedelta

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import MONTHS_3

from bodymap.notes.models import Addendum, SessionNote
from bodymap.reversing import by_public_id


def overdue_notes(membership):
    """This therapist's notes still unsigned after the practice's grace period, oldest first."""
    days = membership.practice.unsigned_note_days
    cutoff = timezone.now() - timedelta(days=days)
    return (
        SessionNote.objects.unsigned()
        .filter(therapist=membership, appointment__start__lt=cutoff)
        .select_related("client", "appointment")
        .order_by("appointment__start")
    )


def notes_queryset(client):
    """The client's notes, newest first, as plain rows: one query, no model instances."""
    # Counted from the addenda side: a forward key works whatever apps the registry has loaded.
    addenda = (
        Addendum.objects.filter(note=OuterRef("pk"))
        .order_by()
        .values("note")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        client.notes.annotate(
            addenda_count=Coalesce(Subquery(addenda), 0),
            start=F("appointment__start"),
            therapist_name=F("therapist__user__full_name"),
        )
        .values("public_id", "signed_at", "start", "therapist_name", "addenda_count")
        .order_by("-start", "-id")
    )


def decorate(rows) -> list[dict]:
    """Add each row's link and local date, cheaply enough for hundreds of rows."""
    url = by_public_id("notes:detail")
    months = {n: str(MONTHS_3[n]).capitalize() for n in range(1, 13)}
    rows = list(rows)
    for row in rows:
        day = timezone.localtime(row["start"])
        row["url"] = url(row["public_id"])
        row["day"] = f"{day.day} {months[day.month]} {day.year}"
    return rows


def note_rows(client, limit: int) -> tuple[list[dict], int]:
    """The latest `limit` notes, and how many more there are, in one query: each row carries the
    count of all the client's notes (a window over the rows before the LIMIT)."""
    rows = list(notes_queryset(client).annotate(of_all=Window(Count("id")))[:limit])
    total = rows[0]["of_all"] if rows else 0
    for row in rows:
        del row["of_all"]
    return decorate(rows), total - len(rows)
