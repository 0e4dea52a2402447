"""Every rule's own examples: `flag:` must be found (rule and quoted words), `pass:` must be ok.

The examples live next to the words they test in policy_data/rules/, so
staff who add a word also add the message it is meant to catch, and this
suite runs them all.
"""

from __future__ import annotations

import pytest
from support.cli import POLICY_DATA

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.rules import load_rules

POLICY = load_policy(POLICY_DATA)
RULESET = load_rules(POLICY)
PACK = compile_rule_pack(POLICY, RULESET)

FLAG_CASES = [
    pytest.param(
        source.data["id"], example["text"], example["quote"], id=f"{source.data['id']}-{n}"
    )
    for source in RULESET.rules
    for n, example in enumerate(source.data["examples"]["flag"])
]
PASS_CASES = [
    pytest.param(source.data["id"], text, id=f"{source.data['id']}-{n}")
    for source in RULESET.rules
    for n, text in enumerate(source.data["examples"]["pass"])
]


WORDING = RULESET.wording.data["examples"]


@pytest.mark.parametrize("example", WORDING["flag"], ids=lambda e: e["text"][:40])
def test_wording_flag_example_is_found_by_the_wording_check(example: dict):
    result = check_message(PACK, example["text"])
    found = [(f.rule, f.category, f.quote) for f in result.findings]
    expected = (f"wording.{example['category']}", example["category"], example["quote"])
    assert found == [expected], f"{example['text']!r}: expected {expected}, got {found}"
    assert result.verdict == "caution"  # the wording check only ever asks for a second look
    assert result.findings[0].clause == PACK["categories"][example["category"]]


@pytest.mark.parametrize("text", WORDING["pass"], ids=lambda t: t[:40])
def test_wording_pass_example_is_ok(text: str):
    result = check_message(PACK, text)
    assert result.verdict == "ok", f"{text!r}: {[(f.rule, f.quote) for f in result.findings]}"


@pytest.mark.parametrize(("rule_id", "text", "quote"), FLAG_CASES)
def test_flag_example_is_found_by_its_rule(rule_id: str, text: str, quote: str):
    result = check_message(PACK, text)
    found = [(f.rule, f.quote) for f in result.findings]
    assert (rule_id, quote) in found, f"{text!r}: expected {rule_id} on {quote!r}, got {found}"
    assert result.verdict in ("caution", "stop")
    finding = next(f for f in result.findings if f.rule == rule_id and f.quote == quote)
    assert text[finding.start : finding.end] == quote


@pytest.mark.parametrize(("rule_id", "text"), PASS_CASES)
def test_pass_example_is_ok(rule_id: str, text: str):
    result = check_message(PACK, text)
    assert result.verdict == "ok", (
        f"{text!r} ({rule_id}): {[(f.rule, f.quote) for f in result.findings]}"
    )


def test_every_rule_has_examples_of_both_kinds():
    for source in RULESET.rules:
        examples = source.data["examples"]
        assert examples["flag"] and examples["pass"], source.data["id"]


def test_every_category_has_a_rule():
    categories = {source.data["category"] for source in RULESET.rules}
    assert categories == set(PACK["categories"])
