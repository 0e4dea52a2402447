"""The drafts the Python and JavaScript self-check engines must agree on, gathered live.

Nothing here holds an expected result, so nothing goes stale when staff add a word:

- every rule example (flag and pass), read from the rules as they are now;
- tests/vectors/selfcheck_vectors.json: hand-written INPUTS only (emoji, zero-width
  characters, quotes, names of many backgrounds, very long text, evasions, innocent
  words...). No outputs, and no school details: those live in policy_data/.

The expected results are what the Python engine says at test time; the node run
(tests/test_engine_conformance.py) and the Chromium run
(tests/browser/test_selfcheck_conformance.py) must give exactly the same, and
`mismatches` names the input and the first field that differs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parents[2]
INPUTS = REPO / "tests" / "vectors" / "selfcheck_vectors.json"

#: The fields an entry of the inputs file may have: the text is `text` * `repeat` + `then`.
INPUT_FIELDS = {"note", "text", "repeat", "then"}


class Case(NamedTuple):
    """One draft to check, with a name that says where it came from."""

    name: str
    text: str


def load_inputs(path: Path = INPUTS) -> list[Case]:
    """The hand-written drafts; refuses anything but inputs (no expected results)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    cases = []
    for n, entry in enumerate(data["inputs"]):
        unknown = set(entry) - INPUT_FIELDS
        if unknown or "text" not in entry:
            raise ValueError(
                f"{path.name}: inputs[{n}] has fields {sorted(entry)}; "
                f"an input has only {sorted(INPUT_FIELDS)} (and always 'text')"
            )
        text = entry["text"] * entry.get("repeat", 1) + entry.get("then", "")
        cases.append(Case(f"input {n} ({entry.get('note', 'no note')})", text))
    return cases


def rule_examples(policy) -> list[Case]:
    """Every flag and pass example of the rules (and of the wording check) as they are now."""
    from policybook.selfcheck.rules import load_rules

    ruleset = load_rules(policy)
    cases = []
    if ruleset.wording is not None:
        examples = ruleset.wording.data["examples"]
        cases += [
            Case(f"wording flag example {n}", e["text"]) for n, e in enumerate(examples["flag"])
        ]
        cases += [Case(f"wording pass example {n}", t) for n, t in enumerate(examples["pass"])]
    for source in ruleset.rules:
        rule_id = source.data["id"]
        examples = source.data.get("examples", {})
        for n, example in enumerate(examples.get("flag", [])):
            cases.append(Case(f"{rule_id} flag example {n}", example["text"]))
        for n, example in enumerate(examples.get("pass", [])):
            text = example if isinstance(example, str) else example["text"]
            cases.append(Case(f"{rule_id} pass example {n}", text))
    return cases


def cases(policy, inputs: Path = INPUTS) -> list[Case]:
    """Rule examples then hand-written inputs, each text once (its first name kept)."""
    seen: set[str] = set()
    unique = []
    for case in rule_examples(policy) + load_inputs(inputs):
        if case.text not in seen:
            seen.add(case.text)
            unique.append(case)
    return unique


def first_difference(expected: Any, got: Any, path: str = "result") -> str | None:
    """Where `got` first differs from `expected` (strictly: types, fields, order), or None."""
    if type(expected) is not type(got):
        return f"{path}: python {expected!r}, javascript {got!r} (a different type)"
    if isinstance(expected, dict):
        if list(expected) != list(got):
            return f"{path}: python has fields {list(expected)}, javascript {list(got)}"
        for key in expected:
            found = first_difference(expected[key], got[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for n, (one, other) in enumerate(zip(expected, got, strict=False)):
            found = first_difference(one, other, f"{path}[{n}]")
            if found:
                return found
        if len(expected) != len(got):
            return f"{path}: python has {len(expected)} items, javascript {len(got)}"
        return None
    if expected != got:
        return f"{path}: python {expected!r}, javascript {got!r}"
    return None


def mismatches(cases: Sequence[Case], expected: Sequence[Any], got: Sequence[Any]) -> list[str]:
    """One line per case whose JavaScript result is not exactly the Python one."""
    if len(expected) != len(got):
        return [f"{len(cases)} drafts sent, {len(got)} javascript results came back"]
    found = []
    for case, want, have in zip(cases, expected, got, strict=True):
        where = first_difference(want, have)
        if where:
            found.append(f"{case.name}, text {case.text[:80]!r}: first difference at {where}")
    return found


def report(engine: str, cases: Sequence[Case], expected: Sequence[Any], got: Sequence[Any]) -> str:
    """An assertion message: how many differ, then the first few, one per line."""
    wrong = mismatches(cases, expected, got)
    if not wrong:
        return ""
    return f"{engine} differs from Python on {len(wrong)} of {len(cases)} drafts:\n" + "\n".join(
        f"  {line}" for line in wrong[:10]
    )
