"""`policybook validate`: check the policy data and say what is wrong where."""

from __future__ import annotations

import argparse

from policybook.commands import add_data_option
from policybook.loader import load_policy
from policybook.selfcheck.rules import load_rules, wording_weights


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check the policy data (exit 0 if it is fine)",
        description="Check every file in the policy data folder. Prints each problem with its "
        "file, line and field, and how to fix it. Exit codes: 0 all is well, 1 problems found.",
    )
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.data)
    # Self-check rules: shape, terms, clauses that exist, and the wording check's weights.
    wording_weights(load_rules(policy))
    if policy.published:
        current = policy.current
        print(
            f"{args.data}: OK. {len(policy.versions)} version(s); current: {current.id} "
            f"({len(current.clauses)} clauses), effective {current.effective}."
        )
    else:
        print(
            f"{args.data}: OK. {len(policy.versions)} version(s), none published yet: the "
            "handbook needs a published version (see `policybook publish --help`)."
        )
    for version in policy.versions:
        if not version.is_published:
            print(f"  draft: {version.id} (not yet published)")
    return 0
