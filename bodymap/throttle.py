"""Rate limits counted in the shared cache, so every web process counts the same attempts."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from bodymap.audit.log import client_ip

TOO_MANY_REQUESTS = _(
    "Too many requests for this email or from your connection. Wait a few minutes and try again."
)


def over_limit(scope: str, who: str, *, limit: int, window: int) -> bool:
    """Count one attempt by `who` in `scope`; True once there have been more than `limit` in the
    window, which starts with the first attempt."""
    # Hash `who` so an email address or an IPv6 address makes a short, safe cache key.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"bodymap:rate:{scope}:{digest}"
    if cache.add(key, 1, timeout=window):
        return 1 > limit
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit


def address_over_limit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt from the caller's address (as the proxy saw it)."""
    return over_limit(scope, client_ip(request) or "unknown", limit=limit, window=window)


def sign_in_throttled(request, scope: str, email: str) -> bool:
    """Sign-in links and password resets: limited per address, so nobody sprays the form, and per
    email address, so nobody floods one inbox from many addresses. Both are counted every time."""
    limit = settings.BODYMAP_SIGN_IN_RATE_LIMIT
    window = settings.BODYMAP_SIGN_IN_RATE_WINDOW_SECONDS
    by_address = address_over_limit(request, scope, limit=limit, window=window)
    by_email = over_limit(f"{scope}:email", email.strip().lower(), limit=limit, window=window)
    return by_address or by_email
