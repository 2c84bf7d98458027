"""What every benchmark here shares: a child process per database (SQLite in a temporary folder,
PostgreSQL in a database created and dropped for the run), a query counter and a timer.

A benchmark script calls `run(__file__, measure, prefix)`: the parent starts one child per database,
each child runs `measure()` against its empty database and prints its figures as JSON.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30


class QueryCounter:
    """Counts the SQL statements sent, through Django's execute wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def setup_django():
    """In the child: Django set up against the DATABASE_URL the parent chose, migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bodymap.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, runs=RUNS) -> dict:
    """The median time of `fn` over `runs` calls after one warm-up, and the queries one call sends."""
    from django.db import connection

    fn()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "queries": counter.count}


def _run_child(script: str, database_url: str) -> dict:
    # Persistent connections, as the README recommends for production (DATABASE_CONN_MAX_AGE).
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BODYMAP_ENV": "development",
        "AXES_ENABLED": "false",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    env.pop("DEBUG", None)
    output = subprocess.run(  # noqa: S603 - a benchmark script of this folder, with a fixed argument
        [sys.executable, script, "--child"], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _postgres_database(prefix: str):
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"{prefix}_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {base}: {exc}; measuring SQLite only.")
        return None, None
    url = base.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return url, drop


def run(script: str, measure, prefix: str) -> list[dict] | None:
    """In the child, print `measure()` as JSON and return None; in the parent, return every
    database's figures: SQLite's, then PostgreSQL's when it is reachable."""
    if "--child" in sys.argv:
        setup_django()
        from django.db import connection

        print(json.dumps({"vendor": connection.vendor, "results": measure()}))
        return None
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        runs.append(_run_child(script, f"sqlite:///{folder}/bench.sqlite3"))
    url, drop = _postgres_database(prefix)
    if url:
        try:
            runs.append(_run_child(script, url))
        finally:
            drop()
    return runs
