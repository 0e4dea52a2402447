"""`policybook new-version ID`: start next year's policy as a draft copy of the latest."""

from __future__ import annotations

import argparse

from policybook.commands import add_data_option
from policybook.loader import DEFAULT_DATA_DIR, load_policy
from policybook.publishing import RESET_FIELDS, new_version


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new-version",
        help="make a draft of a new version, copied from the latest one",
        description="Make a draft of a new version of the policy by copying the latest version: "
        "the same sections and clauses, status draft, and the approval details (effective date, "
        "who approved it and when, next review, summary of changes) left empty for you to fill "
        "in. Nothing else is changed. Exit codes: 0 made, 1 invalid policy data, 2 refused (the id "
        "exists, is not YYYY-MM, or is not after the latest version).",
        epilog="Example: policybook new-version 2026-09",
    )
    parser.add_argument(
        "version_id", metavar="ID", help="the new version's year and month, YYYY-MM, e.g. 2026-09"
    )
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.data)
    path, source = new_version(policy, args.version_id)
    data = "" if args.data == DEFAULT_DATA_DIR else f" --data {args.data}"
    new = args.version_id
    print(f"Made draft {new}: {path} (a copy of {source.id}).")
    print("Next:")
    print("  1. Edit the wording in that file. Keep each clause's id; give new clauses new ids.")
    print(f"  2. Fill in {', '.join(RESET_FIELDS)}.")
    print(f"  3. Check it:           policybook validate{data}")
    print(f"  4. Review the changes: policybook diff {source.id} {new}{data}")
    print(f"  5. Publish it:         policybook publish {new}{data}")
    return 0
