"""`policybook diff OLD NEW`: what changed between two versions, clause by clause."""

from __future__ import annotations

import argparse

from policybook.commands import add_data_option
from policybook.diff import diff_versions, render_markdown, render_text
from policybook.errors import CommandError
from policybook.loader import load_policy
from policybook.model import Policy, Version


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="show what changed between two versions, clause by clause",
        description="Compare two versions of the policy clause by clause: clauses added, "
        "removed, reworded (changed words marked [-old-]{+new+}) and moved, section titles, and "
        "version details such as the effective date. Use it to review a draft before publishing. "
        "Exit codes: 0 shown, 1 invalid policy data, 2 unknown version.",
        epilog="Example: policybook diff 2025-09 2026-09 --format markdown > changes.md",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier version id, e.g. 2025-09")
    parser.add_argument("new", metavar="NEW", help="the later version id, e.g. 2026-09")
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text for reading at a terminal (default), markdown for a handbook page",
    )
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.data)
    diff = diff_versions(_version(policy, args.old), _version(policy, args.new))
    print(render_markdown(diff) if args.format == "markdown" else render_text(diff), end="")
    return 0


def _version(policy: Policy, version_id: str) -> Version:
    try:
        return policy.version(version_id)
    except KeyError as exc:
        raise CommandError(
            f"{exc.args[0]}. Check the id (YYYY-MM) against the files in "
            f"{policy.data_dir / 'versions'}/."
        ) from exc
