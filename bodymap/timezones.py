"""Time zones as people read them: a list to choose from, and "Toronto time" rather than an IANA id."""

from functools import cache
from zoneinfo import available_timezones

from django.utils.translation import gettext as _


@cache
def zone_ids() -> list[str]:
    """Every zone the system knows, by region then city; the old aliases ("US/Eastern") left out."""
    aliases = ("Etc/", "SystemV/", "US/")
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(aliases))


def zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in [*zone_ids(), "UTC"]]


def zone_label(zone: str) -> str:
    """ "America/Toronto" as "Toronto time", "America/Argentina/Buenos_Aires" as "Buenos Aires time"."""
    if "/" not in zone:
        return zone  # UTC
    return _("%(city)s time") % {"city": zone.rsplit("/", 1)[-1].replace("_", " ")}
