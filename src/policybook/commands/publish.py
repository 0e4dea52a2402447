"""`policybook publish ID`: freeze a finished draft and make it the current version."""

from __future__ import annotations

import argparse

from policybook.commands import add_data_option
from policybook.loader import load_policy
from policybook.publishing import publish, would_be_current


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="publish a finished draft and make it the current version",
        description="Publish a draft version. Refuses if the draft is incomplete (and lists "
        "every missing detail), if its effective date is not after the current version's, or if "
        "anything in the policy data is invalid. Otherwise sets status: published, records the "
        "content hash that freezes it, and leaves every other file untouched. Exit codes: "
        "0 published, 1 invalid policy data, 2 refused.",
        epilog="Example: policybook publish 2026-09",
    )
    parser.add_argument("version_id", metavar="ID", help="the draft to publish, e.g. 2026-09")
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.data)
    version = publish(policy, args.version_id)
    print(f"Published {version.id}: {version.path}")
    print(
        f"  effective {version.effective}, approved by {version.approved_by} on "
        f"{version.approved_on}; next review {version.next_review}"
    )
    print(f"  content hash {version.content_hash}")
    if would_be_current(policy, version):
        print(f"{version.id} is now the current version. Rebuild the handbook to show it.")
    print("Commit the file to keep this record. Earlier versions were not changed.")
    return 0
