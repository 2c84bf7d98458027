"""Mutation testing of the modules behind the README's promises, one module at a time.

Each module is mutated against the tests that exercise it (MODULES below), in its own working
folder under var/mutants/, so a run over one module needs only its own tests and can be resumed.
mutmut reads its settings from the pyproject.toml in the folder it runs in: this writes one per
module, the project's own with the module's [tool.mutmut] section. Prints, per module, the
mutants made, killed and surviving; the survivors are listed for docs/testing.md.

    python bench/mutants.py                      # every module
    python bench/mutants.py bodymap/access.py    # one
"""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutants"

# Each module with the tests that check its promises. A mutant is run only against the tests among
# these that reach the mutated function (mutmut records that in a first, instrumented run).
MODULES = {
    # The matrix reaches every helper; its rows for pages that only pass through staff_required
    # (dashboard, calendar grid, sign-in and two-factor pages, audit log), the anonymous visitor (sent
    # to sign in before any helper runs) and the second portal client add time, not reach. The
    # per-app role grids repeat the matrix's rows for the same helpers. A mutant of membership_for
    # or staff_required is run against every test that reaches it, so each one left out counts.
    "bodymap/access.py": [
        "tests/test_access_matrix.py",
        "tests/booking/test_access.py",
        "tests/booking/test_setup_access.py",
        "tests/notes/test_access.py",
        "tests/consent/test_access.py",
        "tests/identity/test_appointment_access.py",
        "-k",
        "not anonymous and not other_client and not dashboard and not factor and not recovery"
        " and not invitation and not grid and not audit and not sign-in",
        "--deselect",
        "tests/booking/test_access.py::test_it_checks_ownership",
        "--deselect",
        "tests/consent/test_access.py::test_it_checks_ownership",
        "--deselect",
        "tests/booking/test_setup_access.py::test_it_checks_ownership",
    ],
    "bodymap/appendonly.py": ["tests/integrity"],
    # Not test_sqlite_rebuild.py: it migrates in a child process, where mutmut sees no test reach
    # the code. Not test_db_roles.py: PostgreSQL only, and the mutmut runs use SQLite.
    "bodymap/integrity/operations.py": [
        "tests/integrity/test_operations.py",
        "tests/integrity/test_check.py",
        "tests/integrity/test_guards_listed.py",
        "tests/integrity/test_append_only_tables.py",
    ],
    "bodymap/consent/state.py": [
        "tests/consent/test_consent.py",
        "tests/consent/test_chart.py",
        "tests/consent/test_session_confirmation.py",
    ],
    "bodymap/notes/editor.py": [
        "tests/notes/test_notes.py",
        "tests/notes/test_timing.py",
        "tests/notes/test_note_papercuts.py",
    ],
    "bodymap/notes/actions.py": ["tests/notes/test_notes.py", "tests/notes/test_timing.py"],
    "bodymap/booking/actions.py": [
        "tests/booking/test_action_records.py",
        "tests/booking/test_api.py",
        "tests/booking/test_calendar.py",
        "tests/booking/test_idempotency.py",
        "tests/booking/test_emails_and_tasks.py",
        "tests/booking/test_public_pages.py",
        "tests/booking/test_waitlist.py",
        "tests/test_portal_self_service.py",
    ],
    "bodymap/booking/availability.py": [
        "tests/booking/test_availability.py",
        "tests/booking/test_api.py",
        "tests/booking/test_setup_hours.py",
        "tests/booking/test_setup_time_off.py",
    ],
    "bodymap/knowledge/planner.py": ["tests/knowledge"],
}
LINKED = ["bodymap", "tests", "conftest.py", "manage.py", "README.md", "docs"]


def module_config(path: str, tests: list[str]) -> str:
    """The project's pyproject.toml with [tool.mutmut] set for one module."""
    text = (ROOT / "pyproject.toml").read_text()
    text = re.sub(r"\n\[tool\.mutmut\]\n.*?(?=\n\[)", "\n", text, flags=re.S)
    quoted = ", ".join(f'"{t}"' for t in tests)
    return text + (
        "\n[tool.mutmut]\n"
        'source_paths = ["bodymap/"]\n'
        f'only_mutate = ["{path}"]\n'
        'also_copy = ["conftest.py", "manage.py", "README.md", "docs/"]\n'
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "--reuse-db"]\n'
        f"pytest_add_cli_args_test_selection = [{quoted}]\n"
        # Generous: on a shared machine a slow test run is load, not a mutant that loops.
        "timeout_multiplier = 30.0\n"
        "timeout_constant = 60.0\n"
    )


def run(path: str) -> Counter:
    folder = WORK / path.replace("/", ".").removesuffix(".py")
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    (folder / "pyproject.toml").write_text(module_config(path, MODULES[path]))
    # pytest-django puts the folder of the nearest manage.py on sys.path: the copy inside mutants/
    # (also_copy) keeps the mutated bodymap/ the one imported.
    # One migrated SQLite file per module, reused by every mutant's test run instead of migrating
    # an in-memory database each time.
    env = {
        **os.environ,
        "BODYMAP_ENV": "development",
        "BODYMAP_TEST_SQLITE": str(folder / "test.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    mutmut = str(Path(sys.executable).parent / "mutmut")
    subprocess.run([mutmut, "run", "--max-children", "1"], cwd=folder, env=env, check=False)  # noqa: S603
    listing = subprocess.run(  # noqa: S603
        [mutmut, "results", "--all", "true"], cwd=folder, env=env, capture_output=True, text=True
    ).stdout
    statuses = Counter()
    survivors = []
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses[status] += 1
            if status == "survived":
                survivors.append(name)
    made = sum(statuses.values())
    print(f"== {path}: {made} mutants, " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    for name in survivors:
        print(f"   survived: {name}  (mutmut show {name}, in {folder.relative_to(ROOT)})")
    return statuses


def main(paths: list[str]) -> int:
    for path in paths or MODULES:
        if path not in MODULES:
            print(f"{path}: not one of {', '.join(MODULES)}", file=sys.stderr)
            return 2
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
