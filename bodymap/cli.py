"""The `bodymap` command: Django's management commands, plus the planner that needs no setup."""

import os
import sys

# These run without Django: no database, no secret key, no environment to configure.
STANDALONE = {"plan", "knowledge"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in STANDALONE:
        from bodymap.knowledge.cli import main as knowledge_main

        return knowledge_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodymap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
