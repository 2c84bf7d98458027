"""The audit log's hash chain: every entry carries SHA-256(previous entry's hash + its own content).

Rows are chained in id order. Editing, deleting or inserting a row behind the app's back breaks
the link at that row and every one after it, which `bodymap verify_audit` reports. The hash is set
when the row is inserted, so the append-only triggers never have to allow an UPDATE.
"""

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import connection as default_connection

GENESIS = "0" * 64
# Every column that says what happened; the id only orders the chain.
FIELDS = (
    "public_id",
    "practice_id",
    "actor_id",
    "actor_label",
    "action",
    "subject_type",
    "subject_public_id",
    "client_public_id",
    "created_at",
    "ip_address",
    "details",
)
# Any constant works; it names the lock that serialises appends on PostgreSQL.
LOCK_KEY = 0x626F64796D6170  # "bodymap"


def _text(value):
    return None if value is None else str(value)


def _ip(value):
    return None if not value else str(ipaddress.ip_address(str(value).split("/")[0]))


def canonical(row) -> bytes:
    """The row's content as bytes that read the same on SQLite and PostgreSQL.

    `row` is a mapping of FIELDS (a model instance's __dict__ or a `.values()` row)."""
    created = row["created_at"].astimezone(UTC).isoformat(timespec="microseconds")
    content = [
        _text(row["public_id"]),
        row["practice_id"],
        row["actor_id"],
        row["actor_label"],
        row["action"],
        row["subject_type"],
        _text(row["subject_public_id"]),
        _text(row["client_public_id"]),
        created,
        _ip(row["ip_address"]),
        row["details"],
    ]
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(previous: str, row) -> str:
    return hashlib.sha256(previous.encode() + b"\n" + canonical(row)).hexdigest()


def lock_and_read_head(connection=None) -> str:
    """Take the chain's lock for the rest of the transaction and return the newest entry's hash.

    PostgreSQL: a transaction-level advisory lock, so two transactions appending at once take turns
    and never both chain to the same head. SQLite: Bodymap opens every transaction IMMEDIATE, so
    the transaction already holds the database's only write lock."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute("SELECT chain_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone()
    return head[0] if head and head[0] else GENESIS


@dataclass(frozen=True)
class Break:
    """The first entry whose stored hash does not follow from the chain before it."""

    id: int
    public_id: str
    created_at: object
    stored: str | None
    expected: str

    def describe(self) -> str:
        return (
            f"entry {self.id} ({self.public_id}, {self.created_at:%Y-%m-%d %H:%M:%S %Z}): "
            f"stored hash {self.stored or '(none)'} but the chain gives {self.expected}"
        )


@dataclass(frozen=True)
class Verified:
    count: int
    head: str
    broken: Break | None


def verify(batch: int = 5000, using: str = "default") -> Verified:
    """Walk the whole log in id order, recomputing every link; stop at the first that fails."""
    from bodymap.audit.models import AuditEntry

    previous, last_id, count = GENESIS, 0, 0
    while True:
        rows = list(
            AuditEntry.objects.using(using)
            .filter(id__gt=last_id)
            .order_by("id")
            .values("id", "chain_hash", *FIELDS)[:batch]
        )
        if not rows:
            return Verified(count, previous, None)
        for row in rows:
            expected = link(previous, row)
            if row["chain_hash"] != expected:
                broken = Break(
                    row["id"], str(row["public_id"]), row["created_at"], row["chain_hash"], expected
                )
                return Verified(count, previous, broken)
            previous = expected
            count += 1
        last_id = rows[-1]["id"]
