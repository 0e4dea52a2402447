"""What changed between two versions of the policy, clause by clause.

Clauses are matched on their stable ids, never on their wording, so a
reworded guideline shows as reworded (with the changed words marked) rather
than as one removed and one added. The same `VersionDiff` feeds the staff
command (`policybook diff`) and the handbook's "What changed" pages, so what
staff review before publishing is exactly what parents read afterwards.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from policybook.model import Clause, Section, Version

WordOp = Literal["equal", "delete", "insert"]

#: Version fields compared, with the words staff and parents use for them.
METADATA_FIELDS = {
    "title": "Title",
    "date_label": "Date shown on the policy",
    "effective": "Effective from",
    "approved_by": "Approved by",
    "approved_on": "Approved on",
    "next_review": "Next review",
}


@dataclass(frozen=True)
class WordChange:
    """A run of words that stayed, went or arrived (with trailing spaces kept)."""

    op: WordOp
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One version detail (such as the effective date) that differs."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class SectionChange:
    """A section added, removed, renamed or put in a different place."""

    section_id: str
    change: Literal["added", "removed", "renamed", "moved"]
    old_title: str
    new_title: str


@dataclass(frozen=True)
class ClauseChange:
    """One clause that is new, gone, reworded and/or moved.

    A clause can be both reworded and moved; `reworded` and `moved` are then
    both true and `change` is "changed".
    """

    clause_id: str
    change: Literal["added", "removed", "changed"]
    old: Clause | None
    new: Clause | None
    reworded: bool = False
    moved: bool = False
    words: tuple[WordChange, ...] = ()
    old_place: str = ""
    new_place: str = ""

    @property
    def kind_changed(self) -> bool:
        return bool(self.old and self.new and self.old.kind != self.new.kind)


@dataclass(frozen=True)
class VersionDiff:
    """Everything that differs between two versions, in the new version's order."""

    old_id: str
    new_id: str
    details: tuple[FieldChange, ...]
    sections: tuple[SectionChange, ...]
    clauses: tuple[ClauseChange, ...]

    @property
    def added(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.clauses if c.change == "added")

    @property
    def removed(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.clauses if c.change == "removed")

    @property
    def reworded(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.clauses if c.reworded)

    @property
    def moved(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.clauses if c.moved)

    @property
    def wording_unchanged(self) -> bool:
        """True when the policy's text and structure are the same (details may differ)."""
        return not self.sections and not self.clauses

    @property
    def is_empty(self) -> bool:
        return self.wording_unchanged and not self.details


# --- computing the diff ---------------------------------------------------------------------


def diff_versions(old: Version, new: Version) -> VersionDiff:
    """Compare two versions clause by clause (matched on clause id)."""
    return VersionDiff(
        old_id=old.id,
        new_id=new.id,
        details=_detail_changes(old, new),
        sections=_section_changes(old, new),
        clauses=_clause_changes(old, new),
    )


def _detail_changes(old: Version, new: Version) -> tuple[FieldChange, ...]:
    changes = []
    for field, label in METADATA_FIELDS.items():
        before, after = _shown(getattr(old, field)), _shown(getattr(new, field))
        if before != after:
            changes.append(FieldChange(field, label, before, after))
    return tuple(changes)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _section_changes(old: Version, new: Version) -> tuple[SectionChange, ...]:
    old_sections = {s.id: s for s in old.sections}
    new_sections = {s.id: s for s in new.sections}
    kept_in_place = _longest_common_order(
        [s.id for s in old.sections if s.id in new_sections],
        [s.id for s in new.sections if s.id in old_sections],
    )
    changes = []
    for section in new.sections:
        before = old_sections.get(section.id)
        if before is None:
            changes.append(SectionChange(section.id, "added", "", section.title))
            continue
        if before.title != section.title:
            changes.append(SectionChange(section.id, "renamed", before.title, section.title))
        if section.id not in kept_in_place:
            changes.append(SectionChange(section.id, "moved", before.title, section.title))
    for section in old.sections:
        if section.id not in new_sections:
            changes.append(SectionChange(section.id, "removed", section.title, ""))
    return tuple(changes)


def _clause_changes(old: Version, new: Version) -> tuple[ClauseChange, ...]:
    old_clauses = {c.id: c for c in old.clauses}
    new_clauses = {c.id: c for c in new.clauses}
    in_place = _clauses_in_place(old, new)
    changes: list[ClauseChange] = []
    for clause in new.clauses:
        before = old_clauses.get(clause.id)
        if before is None:
            changes.append(
                ClauseChange(clause.id, "added", None, clause, new_place=_place(new, clause))
            )
            continue
        reworded = before.text != clause.text or before.kind != clause.kind
        moved = clause.id not in in_place
        if reworded or moved:
            changes.append(
                ClauseChange(
                    clause.id,
                    "changed",
                    before,
                    clause,
                    reworded=reworded,
                    moved=moved,
                    words=word_diff(before.text, clause.text) if reworded else (),
                    old_place=_place(old, before),
                    new_place=_place(new, clause),
                )
            )
    removed = [
        ClauseChange(clause.id, "removed", clause, None, old_place=_place(old, clause))
        for clause in old.clauses
        if clause.id not in new_clauses
    ]
    return tuple(changes + removed)


def _clauses_in_place(old: Version, new: Version) -> set[str]:
    """Ids of clauses still in the same section and the same order relative to their neighbours.

    Within each section kept by both versions, the longest run of shared
    clauses in the same order stays put; every other shared clause has moved.
    """
    old_sections = {s.id: s for s in old.sections}
    new_ids = {c.id for c in new.clauses}
    in_place: set[str] = set()
    for section in new.sections:
        before = old_sections.get(section.id)
        if before is None:
            continue
        old_ids = {c.id for c in before.clauses}
        in_place |= _longest_common_order(
            [c.id for c in before.clauses if c.id in new_ids],
            [c.id for c in section.clauses if c.id in old_ids],
        )
    return in_place


def _longest_common_order(first: list[str], second: list[str]) -> set[str]:
    """Items of the longest common subsequence of two lists of distinct ids."""
    rows, cols = len(first), len(second)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if first[i] == second[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if first[i] == second[j]:
            kept.add(first[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _place(version: Version, clause: Clause) -> str:
    """Where a clause sits, in words: 'in "Code of Conduct", after conduct.no-politics'."""
    section = _section(version, clause.section_id)
    ids = [c.id for c in section.clauses]
    index = ids.index(clause.id)
    neighbour = f"after {ids[index - 1]}" if index else "first"
    return f'in "{section.title}", {neighbour}'


def _section(version: Version, section_id: str) -> Section:
    return next(s for s in version.sections if s.id == section_id)


_TOKEN = re.compile(r"\S+\s*")


def word_diff(old: str, new: str) -> tuple[WordChange, ...]:
    """Word-level changes from `old` to `new`; runs of the same op are merged."""
    old_words, new_words = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(
        None, [w.strip() for w in old_words], [w.strip() for w in new_words], autojunk=False
    )
    pieces: list[WordChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(pieces, "equal", "".join(new_words[j1:j2]))
            continue
        if i2 > i1:
            _append(pieces, "delete", "".join(old_words[i1:i2]))
        if j2 > j1:
            _append(pieces, "insert", "".join(new_words[j1:j2]))
    return tuple(pieces)


def _append(pieces: list[WordChange], op: WordOp, text: str) -> None:
    if pieces and pieces[-1].op == op:
        pieces[-1] = WordChange(op, pieces[-1].text + text)
    else:
        pieces.append(WordChange(op, text))


# --- plain text, for staff at a terminal ----------------------------------------------------


def render_text(diff: VersionDiff) -> str:
    """Readable text; changed words marked [-removed-]{+added+} (as `git diff --word-diff`)."""
    lines = [f"Changes from {diff.old_id} to {diff.new_id}", ""]
    if diff.is_empty:
        lines.append("No changes: the two versions are the same.")
        return "\n".join(lines) + "\n"
    if diff.details:
        lines.append("Version details:")
        for detail in diff.details:
            lines.append(
                f"  {detail.label}: {detail.old or '(empty)'} -> {detail.new or '(empty)'}"
            )
        lines.append("")
    if diff.wording_unchanged:
        lines.append("No changes to the wording: every section and clause is the same.")
        return "\n".join(lines) + "\n"
    lines.append(_counts(diff))
    lines.append("")
    for section in diff.sections:
        lines.append(_section_text(section))
    if diff.sections:
        lines.append("")
    for clause in diff.clauses:
        lines += _clause_text(clause) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _counts(diff: VersionDiff) -> str:
    parts = [
        f"{len(diff.added)} added",
        f"{len(diff.removed)} removed",
        f"{len(diff.reworded)} reworded",
        f"{len(diff.moved)} moved",
    ]
    return "Clauses: " + ", ".join(parts)


def _section_text(section: SectionChange) -> str:
    if section.change == "added":
        return f'Section added: {section.section_id} "{section.new_title}"'
    if section.change == "removed":
        return f'Section removed: {section.section_id} "{section.old_title}"'
    if section.change == "renamed":
        return (
            f'Section renamed: {section.section_id} "{section.old_title}" -> "{section.new_title}"'
        )
    return f'Section moved: {section.section_id} "{section.new_title}" is now in a different place'


def _clause_text(clause: ClauseChange) -> list[str]:
    labels = _labels(clause)
    head = f"{' and '.join(labels).capitalize()}: {clause.clause_id}"
    if clause.change != "changed":
        whole = clause.new or clause.old
        assert whole is not None
        place = clause.new_place if clause.new else f"was {clause.old_place}"
        return [head, f"  {place}", f"  {whole.text}"]
    lines = [head]
    if clause.moved:
        lines.append(f"  was {clause.old_place}; now {clause.new_place}")
    if clause.kind_changed:
        assert clause.old and clause.new
        lines.append(f"  type: {clause.old.kind} -> {clause.new.kind}")
    if clause.reworded:
        lines.append("  " + _joined(clause.words, _marked_text).rstrip())
    return lines


def _labels(clause: ClauseChange) -> list[str]:
    if clause.change != "changed":
        return [clause.change]
    return [label for label, on in (("reworded", clause.reworded), ("moved", clause.moved)) if on]


def _joined(words: tuple[WordChange, ...], mark: Callable[[WordChange], str]) -> str:
    """Marked words in a row; a deletion right before an insertion keeps no space between them.

    "[-political-]{+party-political+}" reads as one replacement, the way
    `git diff --word-diff` shows it.
    """
    out = []
    for piece, following in zip(words, words[1:] + (None,), strict=True):
        if piece.op == "delete" and following is not None and following.op == "insert":
            out.append(mark(WordChange("delete", piece.text.rstrip())))
            continue
        out.append(mark(piece))
    return "".join(out)


def _marked_text(piece: WordChange) -> str:
    if piece.op == "equal":
        return piece.text
    body, space = _split_trailing_space(piece.text)
    return f"[-{body}-]{space}" if piece.op == "delete" else f"{{+{body}+}}{space}"


def _split_trailing_space(text: str) -> tuple[str, str]:
    body = text.rstrip()
    return body, text[len(body) :]


# --- MyST Markdown, for the handbook's "What changed" pages -------------------------------

#: Characters that mean something in MyST/CommonMark inline text (or start maths) and are
#: therefore backslash-escaped; CommonMark allows escaping any ASCII punctuation.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>$|~#!&])")


def escape_markdown(text: str) -> str:
    """Policy text as literal MyST inline text: no emphasis, links, roles, HTML or maths."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render_markdown(
    diff: VersionDiff,
    *,
    heading_level: int = 1,
    clause_link: Callable[[ClauseChange], str] | None = None,
) -> str:
    """MyST Markdown for a "What changed" page.

    The title uses `heading_level` and each part one level below. Changed
    words are marked with <del> and <ins>, which MyST passes through to the
    HTML build as raw HTML. Every piece of policy text is escaped, so no '$'
    can start maths (which would load MathJax from a CDN). With `clause_link`
    (a clause -> URL), each clause id links to where that clause is read.
    """
    title = "#" * heading_level
    part = "#" * (heading_level + 1)
    lines = [f"{title} Changes from {diff.old_id} to {diff.new_id}", ""]
    if diff.is_empty:
        lines += ["No changes: the two versions are the same.", ""]
        return "\n".join(lines)
    if diff.details:
        lines += [
            f"{part} Version details",
            "",
            "| Detail | Before | After |",
            "| --- | --- | --- |",
        ]
        for detail in diff.details:
            lines.append(
                f"| {escape_markdown(detail.label)} | {_cell(detail.old)} | {_cell(detail.new)} |"
            )
        lines.append("")
    if diff.wording_unchanged:
        lines += ["No changes to the wording: every section and clause is the same.", ""]
        return "\n".join(lines)
    lines += [f"{part} Changes to the wording", "", escape_markdown(_counts(diff)) + ".", ""]
    for section in diff.sections:
        lines.append(f"- {escape_markdown(_section_text(section))}")
    if diff.sections:
        lines.append("")
    for clause in diff.clauses:
        lines += _clause_markdown(clause, clause_link) + [""]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return escape_markdown(value) if value else "(empty)"


def _clause_markdown(
    clause: ClauseChange, clause_link: Callable[[ClauseChange], str] | None
) -> list[str]:
    labels = " and ".join(_labels(clause)).capitalize()
    shown = f"`{clause.clause_id}`"
    if clause_link is not None:
        shown = f'<a href="{html.escape(clause_link(clause))}"><code>{clause.clause_id}</code></a>'
    head = f"- **{labels}:** {shown}"
    if clause.change != "changed":
        whole = clause.new or clause.old
        assert whole is not None
        tag, place = ("ins", clause.new_place) if clause.new else ("del", f"was {clause.old_place}")
        return [
            head + f" ({escape_markdown(place)})",
            "",
            f"  <{tag}>{escape_markdown(whole.text)}</{tag}>",
        ]
    lines = [head]
    if clause.moved:
        lines[0] += (
            f" (was {escape_markdown(clause.old_place)}; now {escape_markdown(clause.new_place)})"
        )
    if clause.kind_changed:
        assert clause.old and clause.new
        lines += ["", f"  Type: {clause.old.kind} → {clause.new.kind}"]
    if clause.reworded:
        lines += ["", "  " + _joined(clause.words, _marked_markdown).rstrip()]
    return lines


def _marked_markdown(piece: WordChange) -> str:
    body, space = _split_trailing_space(piece.text)
    text = escape_markdown(body)
    if piece.op == "equal":
        return text + space
    tag = "del" if piece.op == "delete" else "ins"
    return f"<{tag}>{text}</{tag}>{space}"
