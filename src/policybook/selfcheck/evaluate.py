"""Measure the self-check on labelled messages: recall, false alarms, reasons.

A message is "caught" when the verdict is not ok. Recall is measured on
messages with labels, the false-alarm rate on messages without; reason
accuracy is the share of caught problem messages where at least one found
category is among the labels. Misses and false alarms are listed so that a
rule author can see what to fix (with general signals, never a one-off).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policybook.errors import CommandError

Checker = Callable[[str], list[str]]  # text -> categories found (empty: ok)


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    labels: tuple[str, ...]


@dataclass
class Evaluation:
    problems: int = 0
    fine: int = 0
    caught: int = 0
    false_alarms: int = 0
    right_reason: int = 0
    per_category: dict[str, list[int]] = field(default_factory=dict)  # category -> [caught, total]
    misses: list[tuple[Labelled, list[str]]] = field(default_factory=list)
    alarms: list[tuple[Labelled, list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.problems if self.problems else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.fine if self.fine else 0.0

    @property
    def reason_accuracy(self) -> float:
        return self.right_reason / self.caught if self.caught else 0.0


def read_labelled(path: Path) -> list[Labelled]:
    """JSON lines {"text", "labels"[, "id"]}; a bad line is an error naming it."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text, labels = data["text"], data["labels"]
            if not isinstance(text, str) or not isinstance(labels, list):
                raise TypeError("text must be a string and labels a list")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CommandError(
                f"{path}:{number}: not a labelled message ({exc}); each line must be "
                'a JSON object like {"text": "...", "labels": ["grievance"]} (labels [] = fine)'
            ) from exc
        items.append(Labelled(str(data.get("id", f"line {number}")), text, tuple(labels)))
    return items


def evaluate(items: Iterable[Labelled], check: Checker) -> Evaluation:
    result = Evaluation()
    for item in items:
        found = check(item.text)
        if item.labels:
            result.problems += 1
            caught = bool(found)
            result.caught += caught
            if caught and set(found) & set(item.labels):
                result.right_reason += 1
            if not caught:
                result.misses.append((item, found))
            for label in item.labels:
                tally = result.per_category.setdefault(label, [0, 0])
                tally[0] += label in found
                tally[1] += 1
        else:
            result.fine += 1
            if found:
                result.false_alarms += 1
                result.alarms.append((item, found))
    return result


def pack_checker(pack: dict[str, Any]) -> Checker:
    from policybook.selfcheck.engine import check_message

    def check(text: str) -> list[str]:
        return sorted({f.category for f in check_message(pack, text).findings})

    return check


def report(result: Evaluation) -> str:
    lines = [
        f"problem messages: {result.problems}   fine messages: {result.fine}",
        f"recall:          {result.recall:.3f}  ({result.caught}/{result.problems} caught)",
        f"false alarms:    {result.false_alarm_rate:.3f}  ({result.false_alarms}/{result.fine})",
        f"reason accuracy: {result.reason_accuracy:.3f}  ({result.right_reason}/{result.caught})",
        "recall per category (category found among the labels):",
    ]
    for category, (caught, total) in sorted(result.per_category.items()):
        lines.append(f"  {category:<18} {caught / total:.2f}  ({caught}/{total})")
    lines.append(f"misses ({len(result.misses)}):")
    lines += [f"  [{i.id}] {i.text!r}  labels={list(i.labels)}" for i, _ in result.misses]
    lines.append(f"false alarms ({len(result.alarms)}):")
    lines += [f"  [{i.id}] {i.text!r}  found={found}" for i, found in result.alarms]
    return "\n".join(lines)
