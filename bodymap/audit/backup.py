"""Backing up and restoring the whole database, and proving a restore is whole.

SQLite: the online backup API (a consistent copy while the app keeps running). PostgreSQL:
`pg_dump --format=custom` under an exported snapshot, so the row counts in the manifest describe
exactly the rows in the dump. The manifest (FILE.manifest.json, beside the backup) holds those
counts and the audit chain's head; a restore checks the restored database against it.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists, never a shell
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections
from django.utils import timezone

from bodymap.audit import chain
from bodymap.integrity.live import problems


class BackupError(Exception):
    pass


def manifest_path(path) -> Path:
    return Path(f"{path}.manifest.json")


def row_counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _write_manifest(path, connection, counts, head):
    manifest = {
        "vendor": connection.vendor,
        "written_at": timezone.now().isoformat(),
        "tables": counts,
        "audit_head": head,
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _audit_head(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT chain_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row and row[0] else chain.GENESIS


# ---- backup ----------------------------------------------------------------------------------


def backup(path, using="default") -> dict:
    connection = connections[using]
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name.")
    if connection.vendor == "sqlite":
        return _backup_sqlite(path, connection)
    return _backup_postgresql(path, connection)


def _backup_sqlite(path, connection):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    # Count from the copy itself: it is the state the backup holds, whatever the app wrote since.
    copy = sqlite3.connect(path)
    try:
        tables = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {
            t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
            for t in sorted(tables)
            if not t.startswith("sqlite_")
        }
        head = copy.execute("SELECT chain_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        copy.close()
    return _write_manifest(path, connection, counts, head[0] if head and head[0] else chain.GENESIS)


def _pg_env(connection):
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[name] = str(settings[key])
    env["PGDATABASE"] = settings["NAME"]
    return env


def pg_tool(name, connection) -> str:
    """pg_dump or pg_restore of the server's major version (Debian installs each beside the others)."""
    major = connection.pg_version // 10000
    for candidate in (f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)):
        if candidate and os.access(candidate, os.X_OK):
            version = [candidate, "--version"]
            out = subprocess.run(version, capture_output=True, text=True, check=False).stdout  # noqa: S603
            found = re.search(r"(\d+)\.", out)
            if found and int(found.group(1)) >= major:
                return candidate
    raise BackupError(f"No {name} for PostgreSQL {major} found: install postgresql-client-{major}.")


def _backup_postgresql(path, connection):
    tool = pg_tool("pg_dump", connection)
    connection.ensure_connection()
    raw = connection.connection
    # One snapshot for the counts and the dump: pg_dump joins it while this transaction stays open.
    previous_autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = row_counts(connection)
        head = _audit_head(connection)
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list
            [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
            env=_pg_env(connection),
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        raw.rollback()
        raw.autocommit = previous_autocommit
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return _write_manifest(path, connection, counts, head)


# ---- restore ---------------------------------------------------------------------------------


def is_empty(connection) -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(path, using="default") -> "Report":
    """Restore `path` into the EMPTY database `using`, then verify it against the manifest."""
    connection = connections[using]
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not manifest_path(path).exists():
        raise BackupError(f"{manifest_path(path)} is missing: it is written beside every backup.")
    manifest = json.loads(manifest_path(path).read_text())
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"This is a {manifest['vendor']} backup; the database is {connection.vendor}.")
    if not is_empty(connection):
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty. Restore only into an empty "
            "database (create a new one), so nothing in it is mixed with or overwritten by the backup."
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        tool = pg_tool("pg_restore", connection)
        connection.close()
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list
            [
                tool,
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            env=_pg_env(connection),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return verify_restored(manifest, using)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    audit_entries: int = 0

    @property
    def ok(self):
        return not self.problems


def verify_restored(manifest, using="default") -> Report:
    """Row counts as in the manifest, every trigger and constraint in place, the audit chain whole."""
    connection = connections[using]
    report = Report()
    counts = row_counts(connection)
    for table, expected in sorted(manifest["tables"].items()):
        if counts.get(table) != expected:
            report.problems.append(
                f"{table}: {counts.get(table, 'missing')} rows, the backup had {expected}."
            )
    missing, disabled = problems(connection)
    report.problems += [f"The {g.kind} {g.name} on {g.table} is missing." for g in missing]
    report.problems += [f"The {g.kind} {g.name} on {g.table} is disabled." for g in disabled]
    verified = chain.verify(using=using)
    report.audit_entries = verified.count
    if verified.broken is not None:
        report.problems.append(f"The audit chain is broken at {verified.broken.describe()}.")
    elif verified.head != manifest["audit_head"]:
        report.problems.append("The audit chain's newest entry is not the one the backup recorded.")
    return report
