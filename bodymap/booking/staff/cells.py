"""The grid's blocks as HTML, written in Python once per block.

A busy day has hundreds of blocks; rendering each through template tags (a url tag, date and time
filters, a blocktrans) cost most of the page's time. Here the links are reversed once and the ids
filled in, each day's label is formatted once per column, and values are escaped as they are joined.
"""

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from bodymap.reversing import by_public_id


def render_columns(grid) -> None:
    """Sets `html` on every column of `grid`: its blocks, ready to place in the page."""
    new_url = reverse("calendar:new")
    detail = by_public_id("calendar:appointment")
    move = by_public_id("calendar:move")
    break_label = escape(_("Break"))
    off_label = escape(_("Time off"))
    free_label = _("Book %(who)s, %(d)s, free %(a)s–%(b)s")
    hhmm = {}

    def clock(moment):
        # Many blocks share their edges; each moment is converted to local time once.
        text = hhmm.get(moment)
        if text is None:
            text = hhmm[moment] = f"{timezone.localtime(moment):%H:%M}"
        return text

    for day, columns in grid.days:
        iso = day.isoformat()
        day_label = escape(dateformat.format(day, "D j M"))
        for column in columns:
            therapist = column.therapist
            who = escape(therapist.display_name)
            free_href = f"{new_url}?therapist={therapist.public_id}&amp;date={iso}&amp;time="
            parts = []
            for block in column.blocks:
                place = f"at-{block.row} len-{block.span}"
                kind = block.kind
                if kind == "work":
                    parts.append(f'<div class="tg-work {place}"></div>')
                elif kind == "break":
                    parts.append(f'<div class="tg-break {place}"><span>{break_label}</span></div>')
                elif kind == "off":
                    parts.append(f'<div class="tg-off {place}"><span>{off_label}</span></div>')
                elif kind == "free":
                    a, b = clock(block.start), clock(block.end)
                    label = free_label % {"who": who, "d": day_label, "a": a, "b": b}
                    parts.append(
                        f'<a class="tg-free {place}" data-start="{a}" data-end="{b}" href="{free_href}{a}">'
                        f'<span class="visually-hidden">{label}</span></a>'
                    )
                else:
                    parts.append(_appointment(block, column.colour, place, detail, move, clock))
            column.html = mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _appointment(block, colour, place, detail, move, clock) -> str:
    a = block.appointment
    pid = a.public_id
    client = escape(a.client.display_name)
    marks = ""
    if block.marks:
        spans = (f'<span class="tg-mark tg-mark--{escape(c)}">{escape(t)}</span>' for c, t in block.marks)
        marks = f'<span class="tg-marks">{"".join(spans)}</span>'
    return (
        f'<a class="tg-appt tg-c{colour} tg-appt--{escape(a.status)} {place}"'
        f' href="{detail(pid)}"'
        f' draggable="true" data-move="{move(pid)}" data-client="{client}">'
        f'\n<span class="tg-appt__time">{clock(a.start)}–{clock(a.end)}</span>'
        f'\n<span class="tg-appt__who">{client}</span>'
        f'\n<span class="tg-appt__what">{escape(a.service_name)}</span>'
        f"\n{marks}</a>"
    )
