"""The Python engine and widgets/engine.js (run by node) give exactly the same results.

Nothing expected is stored: the drafts are every rule example, read live from the
rules, plus the hand-written inputs in tests/vectors/selfcheck_vectors.json, and
the expected results are what the Python engine says now. So staff add a word and
`make test` still passes without regenerating anything. Any difference in verdict,
field, offset or order fails, naming the draft and the first differing field.

The data is policy_data/, or $POLICYBOOK_DATA if set (as for the browser tests).
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from support.cli import POLICY_DATA, REPO, run_cli
from support.policy_files import unused_word
from support.vectors import INPUT_FIELDS, INPUTS, Case, cases, load_inputs, report

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message

RUNNER = REPO / "tests" / "support" / "run_engine.mjs"
NODE = shutil.which("node") or "/usr/bin/node"
DATA = Path(os.environ.get("POLICYBOOK_DATA") or POLICY_DATA)


def run_js(pack: dict, texts: list[str]) -> list[dict]:
    result = subprocess.run(
        [NODE, str(RUNNER)],
        input=json.dumps({"pack": pack, "texts": texts}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def python_results(pack: dict, drafts: list[Case]) -> list[dict]:
    """What the Python engine says, as the JSON the JavaScript one is compared with."""
    return [json.loads(json.dumps(check_message(pack, case.text).to_dict())) for case in drafts]


@pytest.fixture(scope="module")
def policy():
    return load_policy(DATA)


@pytest.fixture(scope="module")
def pack(policy) -> dict:
    return compile_rule_pack(policy)


@pytest.fixture(scope="module")
def drafts(policy) -> list[Case]:
    return cases(policy)


@pytest.fixture(scope="module")
def both(pack: dict, drafts: list[Case]) -> tuple[list[dict], list[dict]]:
    """(Python results, node results) for every draft."""
    return python_results(pack, drafts), run_js(pack, [case.text for case in drafts])


def test_python_and_javascript_agree_on_every_draft(drafts, both):
    expected, got = both
    assert not report("node", drafts, expected, got), report("node", drafts, expected, got)


def test_the_inputs_file_holds_only_inputs():
    raw = json.loads(INPUTS.read_text("utf-8"))
    assert set(raw) == {"comment", "inputs"}
    for n, entry in enumerate(raw["inputs"]):
        assert set(entry) <= INPUT_FIELDS and "text" in entry, f"inputs[{n}]: {sorted(entry)}"


def test_the_drafts_cover_the_edge_cases(drafts, both):
    texts = [case.text for case in load_inputs()]
    assert any("\u200b" in t for t in texts)
    assert any(len(t) > 4000 for t in texts)
    assert any(ord(c) > 0xFFFF for t in texts for c in t)  # outside the BMP: UTF-16 pairs
    assert len(drafts) > len(texts), "the rule examples are missing"
    flagged = [result for result in both[0] if result["findings"]]
    assert len(flagged) > 50


def test_python_and_javascript_agree_on_random_messages(pack: dict):
    """Random mixes of words, evasions, emoji and punctuation (fixed seed, so repeatable)."""
    pieces = (
        "the head is useless Mr Hughes f**k sh1t s.h.i.t f u c k 😀 👨‍👩‍👧 \u200b ’ Zoë ｆ "
        "@Priya Hi Tunde , . ! ? ; \n 142,460 fuuuck b!tch a$$ ho hoe Scunthorpe Dickens "
        "vote reform not fair Muslim kids whoever's child keeps ask around funny how "
        "I know where the head parks Ms begum heard apparently # * ' - _ THE HEAD IS USELESS"
    ).split(" ")
    rng = random.Random(20250901)
    texts = [
        "".join(rng.choice(pieces) + rng.choice(["", " ", "  ", ".", ","]) for _ in range(25))
        for _ in range(300)
    ]
    drafts = [Case(f"random message {n}", text) for n, text in enumerate(texts)]
    expected, got = python_results(pack, drafts), run_js(pack, texts)
    assert not report("node", drafts, expected, got), report("node", drafts, expected, got)


def test_python_and_javascript_agree_on_the_wording_check_at_its_limits(pack: dict, drafts):
    """With the wording check's limits moved to the extremes, it flags every message about
    school that the rules pass (category, quoted sentence) and clears every caution-only
    one: both engines must still agree, on every draft."""
    texts = [case.text for case in drafts]
    eager = copy.deepcopy(pack)
    eager["wording"]["threshold"] = -(10**9)
    clearing = copy.deepcopy(pack)
    clearing["wording"]["clear_below"] = 10**9
    for variant in (eager, clearing):
        expected, got = python_results(variant, drafts), run_js(variant, texts)
        assert not report("node", drafts, expected, got), report("node", drafts, expected, got)
    eager_found = {f["rule"] for r in python_results(eager, drafts) for f in r["findings"]}
    assert len({rule for rule in eager_found if rule.startswith("wording.")}) >= 6
    before = sum(bool(r["findings"]) for r in python_results(pack, drafts))
    after = sum(bool(r["findings"]) for r in python_results(clearing, drafts))
    assert before - after > 50  # cautions about school were cleared
    stops = [r for r in python_results(clearing, drafts) if r["verdict"] == "stop"]
    assert stops  # a stop is never cleared


def test_a_wrong_javascript_result_is_caught_and_named(drafts, both):
    """The comparison can fail: alter one field, or the order of findings, and it says where."""
    expected, got = both
    n = next(i for i, result in enumerate(expected) if len(result["findings"]) >= 2)
    altered = copy.deepcopy(got)
    altered[n]["findings"][0]["end"] += 1
    message = report("node", drafts, expected, altered)
    assert "on 1 of" in message and drafts[n].name in message
    assert "first difference at result.findings[0].end" in message

    swapped = copy.deepcopy(got)
    swapped[n]["findings"].reverse()
    assert "result.findings[0]" in report("node", drafts, expected, swapped)

    renamed = copy.deepcopy(got)
    renamed[n]["findings"][0]["quote"] += " "
    assert "result.findings[0].quote" in report("node", drafts, expected, renamed)

    strict = copy.deepcopy(got)
    strict[n]["findings"][0]["start"] = float(strict[n]["findings"][0]["start"])
    assert "a different type" in report("node", drafts, expected, strict)

    extra = copy.deepcopy(got)
    extra[n]["findings"][0]["extra"] = None
    assert "has fields" in report("node", drafts, expected, extra)


def test_a_word_staff_add_is_checked_alike_with_nothing_regenerated(tmp_path: Path):
    """Add a made-up word to a list in a copy of the data: both engines flag it the same."""
    data = tmp_path / "policy_data"
    shutil.copytree(DATA, data)
    new_word = unused_word(data)
    draft = new_word  # on its own: no other word a future rule might flag
    before = compile_rule_pack(load_policy(data))
    assert check_message(before, draft).verdict == "ok"

    rules = data / "rules" / "inappropriate.yaml"
    text = rules.read_text("utf-8")
    assert "  insult:\n" in text, "test setup: inappropriate.yaml has no insult list"
    rules.write_text(text.replace("  insult:\n", f"  insult:\n    - {new_word}\n", 1), "utf-8")
    assert run_cli("validate", "--data", str(data)).returncode == 0

    policy = load_policy(data)
    after = compile_rule_pack(policy)
    drafts = [Case("the new word", draft), *cases(policy)]
    expected, got = python_results(after, drafts), run_js(after, [case.text for case in drafts])
    assert [f["quote"] for f in expected[0]["findings"]] == [new_word]
    assert not report("node", drafts, expected, got), report("node", drafts, expected, got)
