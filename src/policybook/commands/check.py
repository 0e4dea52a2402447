"""`policybook check`: is this draft message okay to post?

`policybook check "text"` prints a readable report for one message.
`policybook check --jsonl` reads {"id", "text"} JSON lines on stdin and
writes one {"id", "verdict", "findings"} line per message: the stable
contract the self-check is evaluated through.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from policybook.commands import add_data_option
from policybook.errors import CommandError
from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import CheckResult, check_message

VERDICT_WORDS = {
    "ok": "Looks fine to post: the self-check found nothing that goes against the policy.",
    "caution": "Think again: parts of this message may go against the group's policy.",
    "stop": "Better not post this: it goes against the group's policy.",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check a draft message against the policy",
        description="Check a draft WhatsApp message against the current policy. Prints the "
        "verdict (ok, caution, stop) and, for each finding, the words, the guideline and "
        'a suggestion. With --jsonl, reads JSON lines {"id", "text"} on stdin and writes '
        "one JSON result per line.",
    )
    parser.add_argument("text", nargs="?", help="the message to check (quote it)")
    parser.add_argument(
        "--jsonl", action="store_true", help="read JSON lines on stdin, write JSON lines"
    )
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.jsonl == (args.text is not None):
        raise CommandError(
            'give either a message (policybook check "text") or --jsonl with JSON lines on stdin'
        )
    policy = load_policy(args.data)
    pack = compile_rule_pack(policy)
    if args.jsonl:
        return _run_jsonl(pack)
    result = check_message(pack, args.text)
    print(report(pack, args.text, result))
    return 0


def _run_jsonl(pack: dict[str, Any]) -> int:
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CommandError(
                f'stdin line {number} is not a JSON object with a string "text" ({exc!r}); '
                'write one object per line, e.g. {"id": "m1", "text": "hello"}'
            ) from exc
        result = check_message(pack, text)
        out = {"id": item.get("id"), **result.to_dict()}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


def report(pack: dict[str, Any], text: str, result: CheckResult) -> str:
    """The readable report: verdict, then each finding with its words, guideline and advice."""
    lines = [f"Verdict: {result.verdict.upper()}. {VERDICT_WORDS[result.verdict]}"]
    for number, finding in enumerate(result.findings, start=1):
        clause = pack["clauses"][finding.clause]
        lines += [
            "",
            f'{number}. {finding.category} ({finding.severity}): "{finding.quote}" '
            f"[characters {finding.start}-{finding.end}]",
            *_wrapped("Why: ", finding.message),
            *_wrapped("Guideline: ", f"{clause['text']} ({finding.clause})"),
            *_wrapped("Instead: ", finding.suggestion),
        ]
    if result.findings:
        lines += ["", "This is advice only: the message was not sent or stored anywhere."]
    return "\n".join(lines)


def _wrapped(label: str, text: str) -> list[str]:
    return textwrap.wrap(text, width=88, initial_indent="   " + label, subsequent_indent="   ")
