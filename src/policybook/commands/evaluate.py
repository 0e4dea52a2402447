"""`policybook evaluate FILE`: how well does the self-check do on labelled messages?"""

from __future__ import annotations

import argparse
from pathlib import Path

from policybook.commands import add_data_option
from policybook.errors import CommandError
from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.evaluate import evaluate, pack_checker, read_labelled, report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="measure the self-check on labelled messages",
        description='Run the self-check on JSON lines {"text": ..., "labels": [...]} '
        "(empty labels = fine to post). Prints recall on problem messages, the false-alarm "
        "rate on fine ones, reason accuracy, recall per category, and every miss and false "
        "alarm.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="labelled JSON lines")
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CommandError(
            f"{args.file}: no such file; give a JSON-lines file of labelled messages"
        )
    items = read_labelled(args.file)
    pack = compile_rule_pack(load_policy(args.data))
    print(report(evaluate(items, pack_checker(pack))))
    return 0
