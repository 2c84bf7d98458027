"""Outcome series from the database, their plain-words summaries, and charts drawn server-side."""

import hashlib
import io
from dataclasses import dataclass

from django.utils import timezone

from bodymap import knowledge
from bodymap.notes import outcomes
from bodymap.notes.models import FunctionalRating, PainRating


@dataclass
class Series:
    kind: str  # pain or psfs
    key: str  # region__side, or a hash of the activity
    label: str
    points: list  # [(datetime, value)]
    change: outcomes.Change | None
    summary: str


def activity_key(activity: str) -> str:
    return hashlib.sha256(activity.casefold().encode()).hexdigest()[:12]


def _where(region: str, side: str) -> str:
    names = {r["id"]: r["name"] for r in knowledge.regions()}
    return names.get(region, region) + ("" if side == "both" else f", {side}")


def series_for(client, pain_rows=None, function_rows=None) -> list[Series]:
    """pain_rows: (region, side, recorded_at, rating); function_rows: (activity, recorded_at, score)."""
    """Every measure for the client: one query each for pain and function, however many sessions."""
    if pain_rows is None:
        pain_rows = (
            PainRating.objects.filter(client=client)
            .order_by("recorded_at", "id")
            .values_list("region", "side", "recorded_at", "rating")
        )
    if function_rows is None:
        function_rows = (
            FunctionalRating.objects.filter(client=client)
            .order_by("recorded_at", "id")
            .values_list("activity", "recorded_at", "score")
        )
    grouped: dict[tuple, list] = {}
    for region, side, when, rating in pain_rows:
        grouped.setdefault(("pain", region, side), []).append((when, rating))
    for activity, when, score in function_rows:
        grouped.setdefault(("psfs", activity), []).append((when, score))
    result = []
    for group, points in grouped.items():
        values = [v for _when, v in points]
        if group[0] == "pain":
            where = _where(group[1], group[2])
            change = outcomes.pain_change(values)
            result.append(
                Series(
                    "pain",
                    f"{group[1]}__{group[2]}",
                    f"Pain: {where}",
                    points,
                    change,
                    outcomes.pain_summary(where, change),
                )
            )
        else:
            change = outcomes.psfs_change(values)
            result.append(
                Series(
                    "psfs",
                    activity_key(group[1]),
                    group[1],
                    points,
                    change,
                    outcomes.psfs_summary(group[1], change),
                )
            )
    return sorted(result, key=lambda s: (s.kind, s.label))


def chart_png(client, kind: str, key: str) -> bytes | None:
    """The PNG of one measure, drawn once per state of the client's ratings and kept in the cache:
    drawing costs dozens of times a plain page. Ratings are append-only, so the newest rating ids
    name the state; the zone is in the key because the chart prints local dates."""
    from django.core.cache import cache
    from django.db.models import Max

    latest = (
        PainRating.objects.filter(client=client).aggregate(newest=Max("id"))["newest"],
        FunctionalRating.objects.filter(client=client).aggregate(newest=Max("id"))["newest"],
    )
    cache_key = (
        "outcome-chart:"
        + hashlib.sha256(
            repr((client.pk, kind, key, latest, timezone.get_current_timezone_name())).encode()
        ).hexdigest()
    )
    png = cache.get(cache_key)
    if png is None:
        png = _draw_chart(client, kind, key) or b""
        cache.set(cache_key, png, 60 * 60 * 24 * 7)
    return png or None


def _draw_chart(client, kind: str, key: str) -> bytes | None:
    for series in series_for(client):
        if series.kind == kind and series.key == key:
            return draw(series)
    return None


def draw(series: Series) -> bytes:
    """The chart of `series` as a PNG."""
    buffer = io.BytesIO()
    figure(series).savefig(buffer, format="png")
    return buffer.getvalue()


def figure(series: Series):
    """A line of the measure over sessions, with the line a meaningful improvement must cross.

    Every text is drawn with parse_math=False: an activity is named in the client's own words, and
    a dollar sign in them must print as a dollar sign, not start matplotlib's maths markup.
    """
    # Figure, not pyplot: no global state is shared between requests, and Agg draws off screen.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 2.6), dpi=100)
    ax = fig.subplots()
    xs = list(range(1, len(series.points) + 1))
    ys = [v for _when, v in series.points]
    colour = "#2f6f68" if series.kind == "pain" else "#2c6fb7"
    ax.plot(xs, ys, marker="o", color=colour, linewidth=2)
    if series.change is not None:
        ax.axhline(series.change.threshold, color="#e58a5f", linestyle="--", linewidth=1.2)
        where = "at or below" if series.kind == "pain" else "at or above"
        label = f"meaningful improvement {where}"
        ax.text(
            xs[0],
            series.change.threshold,
            f" {label}",
            color="#b0582f",
            fontsize=8,
            va="bottom" if series.kind == "psfs" else "top",
            parse_math=False,
        )
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks(range(0, 11, 2))
    ax.set_xlim(0.6, max(len(xs), 2) + 0.4)
    ax.set_xlabel("session")
    ax.set_ylabel("pain (0-10)" if series.kind == "pain" else "ability (0-10)")
    dates = [timezone.localtime(w).strftime("%d %b") for w, _v in series.points]
    step = max(1, len(xs) // 8)
    ax.set_xticks(xs[::step], [f"{x}\n{d}" for x, d in zip(xs, dates, strict=True)][::step], fontsize=7)
    ax.grid(axis="y", color="#e6e2da")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_title(series.label, fontsize=10, loc="left", parse_math=False)
    fig.tight_layout()
    return fig


def chart_response(request, client, kind: str, key: str, **details):
    """The PNG of one of the client's measures, audited as a read; 404 for a measure they lack."""
    from django.http import Http404, HttpResponse

    from bodymap.audit.log import record_read

    png = chart_png(client, kind, key)
    if png is None:
        raise Http404
    record_read(
        request,
        practice=client.practice,
        subject_type="outcomes",
        subject_public_id=client.public_id,
        chart=f"{kind}/{key}",
        **details,
    )
    return HttpResponse(png, content_type="image/png")
