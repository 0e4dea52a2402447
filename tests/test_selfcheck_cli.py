"""`policybook check`, `check --jsonl`, `evaluate` and `rulepack`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "selfcheck_messages.jsonl"


def test_check_prints_verdict_words_guideline_and_advice():
    result = run_cli("check", "ffs Mr Hughes is a tw*t")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Verdict: STOP.")
    assert '"tw*t"' in out and '"ffs"' in out
    assert "Displays of anger including swearing" in out  # the clause text from the policy
    assert "inappropriate.anger-swearing" in out


def test_check_fine_message_says_ok():
    result = run_cli("check", "Thanks Mr Ali for the trip")
    assert result.returncode == 0
    assert result.stdout.startswith("Verdict: OK.")


def test_grievance_suggestion_gives_the_office_email_from_school_yaml(data_copy: Path):
    school = data_copy / "school.yaml"
    lines = [
        "office_email: concerns@example.org" if line.startswith("office_email:") else line
        for line in school.read_text("utf-8").splitlines()
    ]
    school.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_cli("check", "--data", str(data_copy), "is it just me or is the new TA useless?")
    assert result.returncode == 0, result.stderr
    assert "concerns@example.org" in result.stdout


def test_jsonl_contract():
    lines = [
        {"id": "a", "text": "what a sh1tshow"},
        {"id": 7, "text": "is breakfast club open on the strike day?"},
        {"id": "c", "text": "😀 f**k"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    result = run_cli("check", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "c"]
    assert [o["verdict"] for o in out] == ["caution", "ok", "stop"]
    finding = out[2]["findings"][0]
    assert set(finding) >= {
        "category",
        "clause",
        "severity",
        "start",
        "end",
        "quote",
        "message",
        "suggestion",
    }
    assert (finding["start"], finding["end"], finding["quote"]) == (2, 6, "f**k")
    assert finding["category"] == "offensive-language"
    assert finding["clause"] == "inappropriate.anger-swearing"


def test_jsonl_bad_line_names_the_line():
    result = run_cli("check", "--jsonl", stdin='{"id": 1, "text": "ok"}\nnot json\n')
    assert result.returncode == 2
    assert "line 2" in result.stderr and '"text"' in result.stderr


def test_check_needs_text_or_jsonl():
    result = run_cli("check")
    assert result.returncode == 2
    assert "--jsonl" in result.stderr


def test_evaluate_prints_figures_misses_and_false_alarms(tmp_path: Path):
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                {"text": "ffs", "labels": ["offensive-language"]},
                {"text": "lovely assembly today", "labels": ["grievance"]},
                {"text": "see you at pickup", "labels": []},
                {"text": "wtf is this", "labels": []},
            ]
        )
    )
    result = run_cli("evaluate", str(labelled))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "recall:          0.500" in out
    assert "false alarms:    0.500" in out
    assert "reason accuracy: 1.000" in out
    assert "lovely assembly today" in out.split("misses")[1]
    assert "wtf is this" in out.split("false alarms (")[1]


def test_evaluate_own_fixture_meets_targets():
    result = run_cli("evaluate", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    figures = dict(line.split(":", 1) for line in result.stdout.splitlines()[:4] if ":" in line)
    assert float(figures["recall"].split()[0]) >= 0.95
    assert float(figures["false alarms"].split()[0]) <= 0.05


def test_evaluate_bad_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi"}\n')
    result = run_cli("evaluate", str(bad))
    assert result.returncode == 2
    assert "bad.jsonl:1" in result.stderr and "labels" in result.stderr


def test_rulepack_writes_the_pack(tmp_path: Path):
    out = tmp_path / "pack.json"
    result = run_cli("rulepack", "--out", str(out))
    assert result.returncode == 0, result.stderr
    pack = json.loads(out.read_text())
    assert pack["format"] == "policybook-rulepack/8"
    assert pack["school"]["office_email"]
    cited = {rule["clause"] for rule in pack["rules"]}
    assert cited == set(pack["clauses"])
    assert all(pack["clauses"][c]["text"] for c in cited)
    assert "{office_email}" not in out.read_text()
