"""The JavaScript engine in Chromium gives exactly the Python engine's verdicts and findings.

Both read the same rulepack.json the handbook serves. The messages: every rule
example, the shared test vectors, and awkward drafts of our own (emoji, invisible
characters, HTML, names, very long text), where JS and Python strings differ most.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import POLICY_DATA

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.rules import load_rules

pytestmark = pytest.mark.browser

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "selfcheck_vectors.json"

OUR_OWN = [
    "",
    "   \n\t ",
    "See you all at the gate at 3pm 😀👍🏽 thanks!",
    "👨‍👩‍👧‍👦 family day on Saturday 🎉🎉🎉",
    "Mr Smith is 💩 and u\u200bs\u200be\u200bl\u200be\u200bs\u200bs",
    "𝐟𝐮𝐜𝐤 this, honestly",
    "s.h.i.t teacher, f u c k the head",
    "<img src=x onerror=alert(1)> <script>alert(1)</script>",
    "Eid Mubarak to everyone celebrating! Happy Diwali too 🪔",
    "My two mums are coming to the assembly",
    "Harshita and Harshit were brilliant in the Kung-Fu display, classic!",
    "Invoice 142,460 is due; ref 5h1t-0 is just a code",
    "WHY DOES NOBODY EVER TELL US ANYTHING AT THIS SCHOOL!!!",
    "e\u0301cole, cafe\u0301 and re\u0301sume\u0301 with combining accents",
    "عيد مبارك to all families 🌙",
    "🤬" * 50 + " useless " + "🤬" * 50,
]


def _our_messages(policy) -> list[str]:
    """Every rule example (flagged and passing) and our own awkward drafts."""
    texts: list[str] = []
    for rule in load_rules(policy).rules:
        examples = rule.data.get("examples", {})
        texts += [example["text"] for example in examples.get("flag", [])]
        texts += [
            example if isinstance(example, str) else example["text"]
            for example in examples.get("pass", [])
        ]
    texts += OUR_OWN
    texts.append(("Long draft about the trip, nothing wrong here. " * 400) + OUR_OWN[4])
    return list(dict.fromkeys(texts))


def _check_in_chromium(page, pack: dict, texts: list[str]) -> list[dict]:
    """checkMessage from the handbook's own copy of engine.js, run inside the page."""
    return page.evaluate(
        """async ({pack, texts}) => {
            const { checkMessage } = await import('./selfcheck/engine.js');
            return texts.map((text) => checkMessage(pack, text));
        }""",
        {"pack": pack, "texts": texts},
    )


def _differences(pack: dict, texts: list[str], in_browser: list[dict]) -> list[str]:
    differences = []
    for text, got in zip(texts, in_browser, strict=True):
        expected = check_message(pack, text).to_dict()
        if got != expected:
            differences.append(f"{text[:80]!r}\n  python: {expected}\n  chromium: {got}")
    return differences


def test_chromium_matches_python_on_the_shared_vectors(site_url, open_page) -> None:
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    cases = vectors["cases"]
    page, _ = open_page(f"{site_url}/self-check.html")

    # The vectors carry the pack they were generated with; else they follow the project's data.
    pack = vectors.get("pack") or compile_rule_pack(load_policy(POLICY_DATA))
    in_browser = _check_in_chromium(page, pack, [case["text"] for case in cases])

    wrong = [
        f"{case['text'][:80]!r}\n  expected: {case['expected']}\n  chromium: {got}"
        for case, got in zip(cases, in_browser, strict=True)
        if got != case["expected"]
    ]
    assert not wrong, f"{len(wrong)} of {len(cases)} vectors differ:\n" + "\n".join(wrong[:5])
    differences = _differences(pack, [c["text"] for c in cases], in_browser)
    assert not differences, "\n".join(differences[:5])


def test_chromium_matches_python_on_the_served_rule_pack(built_site, site_url, open_page) -> None:
    pack = json.loads((built_site / "selfcheck" / "rulepack.json").read_text(encoding="utf-8"))
    texts = _our_messages(load_policy(POLICY_DATA))
    assert len(texts) > 50
    page, _ = open_page(f"{site_url}/self-check.html")

    in_browser = _check_in_chromium(page, pack, texts)

    differences = _differences(pack, texts, in_browser)
    assert not differences, f"{len(differences)} of {len(texts)} differ:\n" + "\n".join(
        differences[:5]
    )
    assert any(result["findings"] for result in in_browser), "no message was flagged at all"
