"""Command line: ``bodymap plan [--format json|text] FILE`` and ``bodymap knowledge check``.

Needs no Django and no configuration. Invalid input exits 2 with one line per problem on stderr
and nothing on stdout; a broken knowledge base exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import strict_json
from .intake import IntakeError
from .loader import KnowledgeError, load, load_from
from .planner import plan
from .text import format_text


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, no usage dump, exit status 2
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bodymap", description="Bodymap clinical reasoning.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    plan_cmd = commands.add_parser("plan", help="plan a session from an intake JSON file")
    plan_cmd.add_argument("file", help="intake JSON file, or - for standard input")
    plan_cmd.add_argument("--format", choices=("json", "text"), default="json")
    knowledge = commands.add_parser("knowledge", help="work with the knowledge base")
    knowledge.add_argument("action", choices=("check",))
    knowledge.add_argument("--data", help="check this data directory instead of the packaged one")
    return parser


def _read_intake(name: str, stdin) -> tuple[object, list[str]]:
    label = "stdin" if name == "-" else name
    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as error:
        return None, [f"{label}: cannot read: {error.strerror or error}"]
    except UnicodeDecodeError:
        return None, [f"{label}: cannot read: not UTF-8 text"]
    return strict_json.parse(text, label)


def main(argv: list[str], *, stdin=None, stdout=None, stderr=None) -> int:
    """Run the command in ``argv`` (without the program name); returns the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        print(f"bodymap: {error}", file=stderr)
        return 2
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0

    try:
        if args.command == "knowledge":
            kb = load_from(args.data) if args.data else load()
            print("knowledge ok", file=stdout)
            for kind, count in kb.counts().items():
                print(f"  {kind}: {count}", file=stdout)
            return 0

        data, errors = _read_intake(args.file, stdin)
        if errors:
            print("\n".join(strict_json.limit(errors)), file=stderr)
            return 2
        kb = load()
        try:
            result = plan(data, kb)
        except IntakeError as error:
            print("\n".join(strict_json.limit(error.errors)), file=stderr)
            return 2
    except KnowledgeError as error:
        print(f"knowledge error: {error}", file=stderr)
        return 1

    if args.format == "text":
        stdout.write(format_text(result, kb))
    else:
        stdout.write(json.dumps(result, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    return 0
