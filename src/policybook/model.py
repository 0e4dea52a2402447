"""The policy as typed Python objects: the one shape every output reads.

`loader.load_policy()` builds these from `policy_data/`; the handbook
renderer, the diff, the publishing commands and the self-check compiler all
take a `Policy` and never read YAML themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

#: Clause kinds that are shown as bullet points under the lead-in before them.
LIST_KINDS = frozenset({"belief", "guideline", "expectation", "inappropriate", "response"})


@dataclass(frozen=True)
class Clause:
    """One guideline, expectation, listed activity, response or paragraph."""

    id: str
    kind: str
    text: str
    section_id: str

    @property
    def is_list_item(self) -> bool:
        return self.kind in LIST_KINDS


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Version:
    """One dated edition of the policy, draft or published."""

    id: str
    title: str
    date_label: str
    status: str  # "draft" or "published"
    effective: date | None
    approved_by: str
    approved_on: date | None
    next_review: date | None
    summary_of_changes: str
    sections: tuple[Section, ...]
    content_hash: str
    path: Path

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for s in self.sections for c in s.clauses)

    def clause(self, clause_id: str) -> Clause:
        for candidate in self.clauses:
            if candidate.id == clause_id:
                return candidate
        raise KeyError(clause_id)


@dataclass(frozen=True)
class School:
    name: str
    short_name: str
    office_email: str
    moderators: str
    headteacher_title: str
    site: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Policy:
    """School details plus every version, oldest first."""

    school: School
    versions: tuple[Version, ...]
    data_dir: Path

    @property
    def published(self) -> tuple[Version, ...]:
        return tuple(v for v in self.versions if v.is_published)

    @property
    def current(self) -> Version:
        """The published version with the latest effective date."""
        published = self.published
        if not published:
            raise LookupError("no version is published yet")
        return max(published, key=lambda v: (v.effective or date.min, v.id))

    @property
    def archived(self) -> tuple[Version, ...]:
        """Published versions other than the current one, newest first."""
        current = self.current
        return tuple(reversed([v for v in self.published if v.id != current.id]))

    def version(self, version_id: str) -> Version:
        for candidate in self.versions:
            if candidate.id == version_id:
                return candidate
        known = ", ".join(v.id for v in self.versions) or "none"
        raise KeyError(f"no version '{version_id}' (known versions: {known})")

    def latest(self) -> Version:
        """The newest version of any status, by id (ids are YYYY-MM)."""
        return max(self.versions, key=lambda v: v.id)
