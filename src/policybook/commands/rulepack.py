"""`policybook rulepack`: write the compiled self-check rule pack as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from policybook.commands import add_data_option
from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rulepack",
        help="compile the self-check rules into one JSON rule pack",
        description="Load and check the rules in policy_data/rules/, then write the rule pack "
        "that the Python and browser engines run (to stdout, or to --out FILE).",
    )
    add_data_option(parser)
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the pack to FILE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pack = compile_rule_pack(load_policy(args.data))
    text = json.dumps(pack, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} ({len(pack['rules'])} rules, {len(text.encode()) // 1024} KB)")
    else:
        print(text, end="")
    return 0
