"""Read intake JSON strictly: a key repeated in one object is an error, never "the last one wins",
and every message speaks of the JSON, never of Python (docs/intake-plan-v2.md, section 1).
"""

from __future__ import annotations

import json

from .intake import key_path

MAX_PROBLEMS = 50
# Far beyond any number an intake needs; refused before Python would complain about the digits.
_MAX_NUMBER_CHARS = 100


class _Object(dict):
    """A JSON object that remembers which of its keys came more than once."""

    repeated: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, object]]) -> _Object:
    obj, repeated = _Object(), []
    for key, value in pairs:
        if key in obj and key not in repeated:
            repeated.append(key)
        obj[key] = value
    obj.repeated = tuple(repeated)
    return obj


class _Refused(ValueError):
    pass


def _number(text: str):
    if len(text) > _MAX_NUMBER_CHARS:
        raise _Refused("a number is too long")
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _constant(name: str):
    raise _Refused(f"{name} is not a JSON number")


def _repeated_keys(value, path: str, found: list[str]) -> None:
    if isinstance(value, dict):
        for key in getattr(value, "repeated", ()):
            found.append(f"{key_path(path, key)}: repeated key")
        for key, item in value.items():
            _repeated_keys(item, key_path(path, key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _repeated_keys(item, f"{path}[{index}]" if path else f"$[{index}]", found)


def _plain(value):
    """The parsed value as ordinary dicts and lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def parse(text: str, label: str = "input") -> tuple[object, list[str]]:
    """The JSON value in ``text`` and no problems, or None and one line per problem."""
    try:
        value = json.loads(
            text, object_pairs_hook=_pairs, parse_int=_number, parse_float=_number, parse_constant=_constant
        )
    except json.JSONDecodeError as error:
        return None, [f"{label}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
    except _Refused as error:
        return None, [f"{label}: not valid JSON: {error}"]
    except RecursionError:
        return None, [f"{label}: not valid JSON: nested too deeply"]
    except ValueError:
        return None, [f"{label}: not valid JSON"]
    found: list[str] = []
    try:
        _repeated_keys(value, "", found)
    except RecursionError:
        return None, [f"{label}: not valid JSON: nested too deeply"]
    if found:
        return None, found
    return _plain(value), []


def limit(problems: list[str]) -> list[str]:
    """At most MAX_PROBLEMS lines, then one saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [f"… and {more} more problem{'s' if more != 1 else ''}"]
