"""The wording check: `policybook train-wording`, its weights, and what the engine does with them.

Training runs on a copy of policy_data/ with our own small fixture (plus the rules'
own examples, which training always reads), as staff would run it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from support.cli import POLICY_DATA, REPO, run_cli
from support.policy_files import snapshot

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.wording_training import (
    Example,
    choose_threshold,
    cross_validated_scores,
    examples_holding_limits,
    train,
)

TRAINING = REPO / "tests" / "fixtures" / "wording_training.jsonl"
WEIGHTS = Path("rules") / "wording_weights.json"


def train_cli(data: Path, *files: Path):
    return run_cli("train-wording", "--data", str(data), *map(str, files))


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A copy of policy_data/ retrained on the fixture."""
    import shutil

    data = tmp_path_factory.mktemp("trained") / "policy_data"
    shutil.copytree(POLICY_DATA, data)
    result = train_cli(data, TRAINING)
    assert result.returncode == 0, result.stderr
    return data


def test_training_reports_what_it_learned_and_writes_the_weights(trained: Path):
    weights = json.loads((trained / WEIGHTS).read_text("utf-8"))
    assert weights["trained_on"] == [TRAINING.name]
    rule_examples = weights["messages"] - 20  # the fixture's 20, then the rules' examples
    assert rule_examples > 100
    assert {"threshold", "bias", "weights", "categories"} <= set(weights)
    assert weights["cross_validated_false_alarms"]["fine"] > 8


def test_the_same_files_give_the_same_weights(trained: Path, tmp_path: Path):
    before = (trained / WEIGHTS).read_bytes()
    result = train_cli(trained, TRAINING)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "threshold" in result.stdout
    assert "cross-validation" in result.stdout
    assert (trained / WEIGHTS).read_bytes() == before


def test_who_someone_is_never_carries_weight(trained: Path):
    """The fixture and the rules' examples use "dads" and "mums" (without `neutral_words`,
    "mums", "the dads" and "two mums" get weights), yet no feature with them has one."""
    weights = json.loads((trained / WEIGHTS).read_text("utf-8"))
    features = set(weights["weights"]).union(
        *(c["weights"] for c in weights["categories"].values())
    )
    assert not [f for f in features if {"dads", "mums", "dad", "mum"} & set(f.split(" "))]
    assert "head" in weights["weights"] or "the head" in weights["weights"]  # it did learn


def test_the_pack_carries_the_retrained_check(trained: Path):
    pack = compile_rule_pack(load_policy(trained))
    section = pack["wording"]
    weights = json.loads((trained / WEIGHTS).read_text("utf-8"))
    assert section["threshold"] == weights["threshold"]
    assert len(section["features"].split("\n")) == len(section["weights"])
    assert set(section["texts"]) == set(weights["categories"])
    assert "{office_email}" not in json.dumps(section)


def test_a_wording_finding_cites_its_clause_and_says_what_to_do():
    pack = compile_rule_pack(load_policy(POLICY_DATA))
    text = (
        "Morning all. Wonder if the head even knows what goes on in that classroom 🤔 Just asking."
    )
    result = check_message(pack, text)
    assert result.verdict == "caution"
    [finding] = result.findings
    assert finding.rule == f"wording.{finding.category}"
    assert finding.clause == pack["categories"][finding.category]
    assert finding.clause in pack["clauses"]
    assert finding.quote == text[finding.start : finding.end]
    assert finding.quote.startswith("Wonder if the head")  # the weightiest sentence
    assert finding.message.startswith("The words of this message")
    assert finding.suggestion


def test_a_kind_word_leaves_the_message_to_the_rules():
    pack = compile_rule_pack(load_policy(POLICY_DATA))
    flagged = "wonder if the head even knows what goes on in that classroom"
    assert check_message(pack, flagged).verdict == "caution"
    assert check_message(pack, flagged + ", thanks").verdict == "ok"
    assert (
        check_message(pack, flagged.replace("the head", "he").replace("classroom", "flat")).verdict
        == "ok"
    )


def test_the_threshold_keeps_to_the_false_alarm_budget():
    def example(features: str, bad: bool) -> Example:
        return Example(frozenset(features.split()), ("grievance",) if bad else (), False, True)

    examples = [example("always never useless", True) for _ in range(20)]
    examples += [example(f"trip coat photos w{n}", False) for n in range(20)]
    examples += [example("always useless coat", False) for _ in range(5)]  # fine but wordy
    scores = cross_validated_scores(examples)
    threshold, added, fine = choose_threshold(examples, scores, 0.0)
    assert (added, fine) == (0, 25)
    assert max(s for s, e in zip(scores, examples, strict=True) if not e.labels) < threshold
    threshold, added, fine = choose_threshold(examples, scores, 0.2)
    assert 0 < added <= 5 and fine == 25


def test_an_unknown_label_is_refused_and_nothing_is_written(data_copy: Path, tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "m7", "text": "hello", "labels": ["rudeness"]}\n', "utf-8")
    before = snapshot(data_copy)
    result = train_cli(data_copy, TRAINING, bad)
    assert result.returncode == 2
    assert "bad.jsonl" in result.stderr and "m7" in result.stderr and "'rudeness'" in result.stderr
    assert "grievance" in result.stderr  # says which labels there are
    assert snapshot(data_copy) == before


def test_a_broken_line_is_named(data_copy: Path, tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine", "labels": []}\n{"text": "oops"\n', "utf-8")
    result = train_cli(data_copy, bad)
    assert result.returncode == 2
    assert "bad.jsonl:2" in result.stderr


def test_missing_weights_say_how_to_make_them(data_copy: Path):
    (data_copy / WEIGHTS).unlink()
    for command in ("validate", "rulepack"):
        result = run_cli(command, "--data", str(data_copy))
        assert result.returncode == 1, command
        assert "wording_weights.json" in result.stderr and "make wording" in result.stderr


def test_a_corrupt_weights_file_names_its_line(data_copy: Path):
    (data_copy / WEIGHTS).write_text('{\n"threshold": 5,\n"bias": ,\n}\n', "utf-8")
    result = run_cli("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert (
        "wording_weights.json, line 3" in result.stderr or "wording_weights.json:3" in result.stderr
    )


def test_cautions_about_a_plainly_fine_message_are_cleared_but_a_stop_stands():
    pack = compile_rule_pack(load_policy(POLICY_DATA))
    caution = "the teacher never replies to emails"
    stop = "the head is a f***ing idiot"
    swearing = "the school letter about nits is bollocks"  # a caution, but a swear word
    assert check_message(pack, caution).verdict == "caution"
    assert check_message(pack, stop).verdict == "stop"
    found = check_message(pack, swearing)
    assert found.verdict == "caution"
    assert "offensive-language" in {f.category for f in found.findings}
    clearing = copy.deepcopy(pack)  # a new pack: the engine prepares each pack once
    clearing["wording"]["clear_below"] = 10**9  # every message about school reads plainly fine
    assert check_message(clearing, caution).verdict == "ok"
    assert check_message(clearing, caution).findings == ()
    assert check_message(clearing, stop).verdict == "stop"
    # `never_clear` in wording.yaml: however friendly the rest, a swear word is shown.
    assert check_message(clearing, swearing).verdict == "caution"
    clearing["wording"]["never_clear"] = ""
    assert check_message(copy.deepcopy(clearing), swearing).verdict == "ok"


def test_examples_bind_the_limits():
    """A fine example that the chosen threshold would flag moves the threshold past it."""

    def example(features: str, bad: bool, is_test: bool = False) -> Example:
        labels = ("grievance",) if bad else ()
        return Example(frozenset(features.split()), labels, False, True, is_test=is_test)

    examples = [example("always never useless", True) for _ in range(20)]
    examples += [example(f"trip coat photos w{n}", False) for n in range(20)]
    fine_but_wordy = example("always never trip", False, is_test=True)
    weights = train([*examples, fine_but_wordy], ["grievance"], budget=0.5, clear_budget=0.0)
    chosen, tested = weights["examples_moved_limits"]["threshold"]
    assert chosen < tested  # the example moved it
    wordy_score = weights["bias"] + sum(
        weights["weights"].get(f, 0) for f in fine_but_wordy.features
    )
    assert wordy_score < weights["threshold"] == tested
    # `train-wording` names the example that moved it, so staff can reword it.
    assert examples_holding_limits([*examples, fine_but_wordy], weights) == {
        "threshold": [len(examples)],
        "clear_below": [],
    }
