"""Input no person means to send: NUL bytes, and dates outside the years a practice works in.

PostgreSQL refuses a NUL byte in any text or JSON value, and a date in year 1 or 9999 overflows as
soon as it is moved to UTC or a day is added, so both used to surface as server errors. A NUL byte
is refused with a 400 before any view runs; a date is checked where it is read, so a form can
say so beside its field and keep everything else that was typed.
"""

import json
from datetime import date, datetime

from django import forms
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Dates of birth start here; appointments, time off and filters end long before the last.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = gettext_lazy("Enter a date between %(earliest)s and %(latest)s.")


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def out_of_range_message() -> str:
    return str(OUT_OF_RANGE) % {"earliest": EARLIEST.year, "latest": LATEST.year}


def parse_day(value) -> date | None:
    """A YYYY-MM-DD query parameter, or None when it is missing, malformed or out of range."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return day if in_range(day) else None


def check_in_range(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not in_range(day):
        raise forms.ValidationError(out_of_range_message(), code="out_of_range")


class DateField(forms.DateField):
    """A date between EARLIEST and LATEST; any other is an error beside the field."""

    default_validators = [check_in_range]


class DateTimeField(forms.DateTimeField):
    default_validators = [check_in_range]


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _request_has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    # Headers too: the browser's User-Agent and the forwarded address are kept as evidence.
    headers = {k: v for k, v in request.META.items() if k.startswith("HTTP_")}
    for query in (request.GET, request.COOKIES, headers):
        if any(_has_nul(k) or _has_nul(v) for k, v in query.items()):
            return True
    if request.method != "POST" and request.method != "PUT" and request.method != "PATCH":
        return False
    if request.content_type == "application/json":
        try:
            return _has_nul(json.loads(request.body))
        except ValueError:
            return b"\x00" in request.body  # malformed JSON: the view explains the rest
    return any(_has_nul(k) or any(_has_nul(v) for v in values) for k, values in request.POST.lists())


class RejectNulBytesMiddleware:
    """400 for any request with a NUL byte in its path, query, headers, cookies, form or JSON body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _request_has_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no field accepts. Remove it and try again."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
