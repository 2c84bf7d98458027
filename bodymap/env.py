"""Small helpers that read settings from the environment and fail closed."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points at {path!r}, which cannot be read: {exc}"
            ) from None
    return os.environ.get(name)


def cache_from_url(url: str | None, *, development: bool) -> dict:
    """The default cache from CACHE_URL: redis:// or rediss:// for Redis, db:// for a table in the
    database (`bodymap createcachetable` makes it), locmem:// for per-process memory, which only
    development may use: counts kept per process let each web worker grant its own allowance."""
    url = (url or "").strip()
    if not url:
        if development:
            return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        raise ImproperlyConfigured(
            "CACHE_URL must name a cache every web process shares: redis://host:6379/0 or db://bodymap_cache."
        )
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ImproperlyConfigured(f"CACHE_URL must look like redis://host:6379/0 or db://table: {url!r}.")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        table = rest.strip("/") or "bodymap_cache"
        if not table.replace("_", "").isalnum():
            raise ImproperlyConfigured(f"CACHE_URL names a table that is not a plain name: {table!r}.")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if scheme == "locmem":
        if not development:
            raise ImproperlyConfigured(
                "CACHE_URL=locmem:// keeps counts per process; production needs redis:// or db://."
            )
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss://, db:// or locmem://: {url!r}.")
