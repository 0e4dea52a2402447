"""`policybook train-wording FILE...`: learn the wording check's weights from labelled messages."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from policybook.commands import add_data_option
from policybook.errors import CommandError
from policybook.loader import load_policy
from policybook.publishing import atomic_write
from policybook.selfcheck.compile import CATEGORY_CLAUSES, compile_rule_pack
from policybook.selfcheck.evaluate import read_labelled
from policybook.selfcheck.rules import load_rules
from policybook.selfcheck.wording_training import examples_from, examples_holding_limits, train


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train-wording",
        help="learn the wording check's weights from labelled messages",
        description='Read JSON lines {"text": ..., "labels": [...]} (empty labels = fine to '
        "post), learn which words and word pairs are more usual in messages that broke the "
        "policy, pick the threshold by cross-validation within the false_alarm_budget set in "
        "the wording: section, and write the weights next to the rules "
        "(rules/wording_weights.json). The same files always give the same weights.",
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="labelled JSON lines")
    add_data_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    policy = load_policy(args.data)
    ruleset = load_rules(policy, read_weights=False)
    if ruleset.wording is None:
        raise CommandError(
            f"{args.data}: no rules file has a 'wording:' section, so there is nothing to "
            "train; add one (see policy_data/rules/wording.yaml in the repository)"
        )
    messages = []
    origins: list[str] = []  # where each message comes from, to name a limit-moving example
    for path in args.files:
        if not path.is_file():
            raise CommandError(f"{path}: no such file; give JSON-lines files of labelled messages")
        for item in read_labelled(path):
            unknown = [label for label in item.labels if label not in CATEGORY_CLAUSES]
            if unknown:
                raise CommandError(
                    f"{path}: message {item.id} has the label '{unknown[0]}', which is not a "
                    "category; use one of: " + ", ".join(CATEGORY_CLAUSES)
                )
            messages.append((item.text, item.labels, False))
            origins.append(f"{path.name}, message {item.id}")
    # The rules' own examples (and the check's) teach it too: flag ones by their category,
    # pass ones as fine (many are the near misses a word-counting check gets wrong). They
    # are tests as well, so they may move the limits (see `train`).
    for source in ruleset.rules:
        examples_of_rule = source.data["examples"]
        flag = [(e["text"], (source.data["category"],), True) for e in examples_of_rule["flag"]]
        passing = [(text, (), True) for text in examples_of_rule["pass"]]
        messages += flag + passing
        origins += [f"rule {source.data['id']}, flag example"] * len(flag)
        origins += [f"rule {source.data['id']}, pass example"] * len(passing)
    own = ruleset.wording.data["examples"]
    messages += [(e["text"], (e["category"],), True) for e in own["flag"]]
    messages += [(text, (), True) for text in own["pass"]]
    origins += ["wording: flag example"] * len(own["flag"])
    origins += ["wording: pass example"] * len(own["pass"])
    section = ruleset.wording.data
    examples = examples_from(messages, compile_rule_pack(policy, ruleset, wording=False), section)
    categories = [c for c in section["categories"] if any(c in e.labels for e in examples)]
    try:
        weights = train(
            examples, categories, section["false_alarm_budget"], section["clear_budget"]
        )
    except ValueError as exc:
        raise CommandError(f"cannot train on {len(messages)} message(s): {exc}") from exc
    weights = {"trained_on": [path.name for path in args.files], **weights}
    atomic_write(ruleset.wording.weights_path, _as_json(weights))
    added = weights["cross_validated_false_alarms"]
    clearing = weights["cross_validated_clearing"]
    print(
        f"wrote {ruleset.wording.weights_path}: {len(weights['weights'])} weighted words and "
        f"pairs from {weights['messages']} messages ({weights['problems']} against the policy), "
        f"{len(categories)} categories.\n"
        f"threshold {weights['threshold']}: in cross-validation it adds {added['added']} false "
        f"alarm(s) on {added['fine']} fine messages (budget "
        f"{section['false_alarm_budget']:.2%}).\n"
        f"clear_below {weights['clear_below']}: in cross-validation it clears "
        f"{clearing['cleared']} fine message(s) the rules flag, and lets through "
        f"{clearing['lost']} of the {clearing['caught']} problem messages they catch (budget "
        f"{section['clear_budget']:.2%})."
    )
    holding = examples_holding_limits(examples, weights)
    for limit, (chosen, tested) in weights["examples_moved_limits"].items():
        if chosen != tested:
            print(
                f"{limit} moved from {chosen} to {tested} so that every example keeps its verdict"
            )
            for index in holding[limit][:3]:  # the furthest first: they set the new limit
                print(f'  moved by {origins[index]}: "{messages[index][0]}"')
            print(
                "  (one example that reads unlike the messages it stands for can hold a limit "
                "back like this: reword it, or keep the limit)"
            )
    skipped = [c for c in section["categories"] if c not in categories]
    if skipped:
        print("no training messages for: " + ", ".join(skipped) + " (not learned)")
    return 0


def _as_json(weights: dict) -> str:
    """Compact, but one weight per line, so a retrain shows as a readable diff."""
    return json.dumps(weights, indent=0, ensure_ascii=False) + "\n"
