"""The `policybook` command: one sub-command per module in `policybook.commands`.

Each command module defines `register(subparsers)`, which adds its parser and
sets `func` to a function taking the parsed arguments and returning an exit
code. Errors in data or a refused action print to stderr and exit non-zero;
nothing is written in that case.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from policybook.errors import CommandError, PolicyDataError

#: Command modules, in the order `--help` lists them.
COMMAND_MODULES = (
    "validate",
    "new_version",
    "diff",
    "publish",
    "build",
    "check",
    "evaluate",
    "train_wording",
    "rulepack",
)

EXIT_OK = 0
EXIT_BAD_DATA = 1
EXIT_REFUSED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policybook",
        description="Publish a school's WhatsApp-group policy and check draft messages against it.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(f"policybook.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or EXIT_OK)
    except PolicyDataError as exc:
        count = len(exc.problems)
        print(f"policybook: {count} problem(s) in the policy data:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_BAD_DATA
    except CommandError as exc:
        print(f"policybook: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (OSError, UnicodeError) as exc:  # a file that cannot be read or written
        print(f"policybook: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    raise SystemExit(main())
