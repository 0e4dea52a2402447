"""Small helpers for tests that edit a copy of policy_data/ the way staff would."""

from __future__ import annotations

from pathlib import Path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes: compare two to prove nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def replace_once(path: Path, old: str, new: str) -> str:
    """Replace text that occurs exactly once in a file; return the file's new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} not found exactly once in {path.name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, fragment: str) -> int:
    """1-based number of the first line holding `fragment`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"test setup: {fragment!r} not in text")


def unused_word(data: Path, word: str = "snorglewump") -> str:
    """A made-up word no rule file holds (lengthened if one ever does), so "before" is OK."""
    rules = " ".join(p.read_text("utf-8") for p in (data / "rules").glob("*.yaml")).lower()
    while word in rules:
        word += "x"
    return word
