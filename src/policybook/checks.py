"""Checks of meaning that a JSON Schema cannot express.

Dates that exist, a review after the effective date, ids used once, a
published version that is complete and unedited since publishing, and one
current version. Each check returns `DataProblem`s naming file, line and
field, so the loader can report every mistake in one run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from policybook.errors import DataProblem
from policybook.model import Version
from policybook.yaml_source import YamlDoc, read_yaml

#: Details a version must have before it can be published, with what each one is for.
PUBLICATION_FIELDS = {
    "effective": "the date the policy takes effect, YYYY-MM-DD",
    "approved_by": "who approved it, e.g. 'Headteacher, on behalf of the Governing Board'",
    "approved_on": "the date it was approved, YYYY-MM-DD",
    "next_review": "when it is next reviewed, YYYY-MM-DD (after the effective date)",
    "summary_of_changes": "one or two sentences telling parents what changed",
}
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def content_hash(data: dict[str, Any]) -> str:
    """Hash of a version's content: every field except the hash itself.

    Computed on the parsed data in a canonical JSON form, so re-indenting the
    YAML or editing a comment does not change it; changing any word does.
    """
    content = {k: v for k, v in data.items() if k != "content_hash"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_date(doc: YamlDoc, field: str, problems: list[DataProblem]) -> date | None:
    """The YYYY-MM-DD string in `field` as a date; None if empty, or a problem if impossible."""
    value = doc.data.get(field)
    if value in (None, ""):
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):
            raise ValueError
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            doc.problem(
                (field,),
                f"'{value}' is not a real date",
                "write the date as YYYY-MM-DD, and check the day exists in that month "
                "(e.g. 2025-09-01)",
            )
        )
        return None


def email_problems(doc: YamlDoc, field: str) -> list[DataProblem]:
    """Parents are told to write to this address, so it must at least look like one."""
    value = doc.data[field]
    if EMAIL.match(value):
        return []
    return [
        doc.problem(
            (field,),
            f"'{value}' is not an email address",
            "write it as name@domain, e.g. office@yourschool.org.uk",
        )
    ]


def file_name_problems(doc: YamlDoc) -> list[DataProblem]:
    """A version's id is its file name, so links and `policybook` commands find it."""
    version_id = doc.data["id"]
    if f"{version_id}.yaml" == doc.path.name:
        return []
    return [
        doc.problem(
            ("id",),
            f"the id '{version_id}' does not match the file name '{doc.path.name}'",
            f"rename the file to {version_id}.yaml or change the id to {doc.path.stem}",
        )
    ]


def review_problems(
    doc: YamlDoc, effective: date | None, next_review: date | None
) -> list[DataProblem]:
    """The review date is for looking at the policy again, so it must come after it starts."""
    if effective and next_review and next_review <= effective:
        return [
            doc.problem(
                ("next_review",),
                f"the next review ({next_review}) is not after the effective date ({effective})",
                "set next_review to a date after effective (usually a year later)",
            )
        ]
    return []


def id_problems(doc: YamlDoc) -> list[DataProblem]:
    """Section and clause ids must be unique within a version: pages and the diff key on them."""
    problems = []
    seen: dict[str, tuple] = {}
    for s_index, section in enumerate(doc.data["sections"]):
        entries = [(("sections", s_index, "id"), section["id"])]
        entries += [
            (("sections", s_index, "clauses", c_index, "id"), clause["id"])
            for c_index, clause in enumerate(section["clauses"])
        ]
        for where, ident in entries:
            if ident in seen:
                problems.append(
                    doc.problem(
                        where,
                        f"the id '{ident}' is used twice "
                        f"(first on line {doc.line_of(seen[ident])})",
                        "give this entry a new id that no other section or clause uses",
                    )
                )
            else:
                seen[ident] = where
    return problems


def publication_problems(doc: YamlDoc) -> list[DataProblem]:
    """Every detail parents and governors rely on must be filled in before publishing."""
    return [
        doc.problem(
            (field,),
            f"'{field}' is empty, and a published version needs it",
            f"fill in {field}: {meaning}",
        )
        for field, meaning in PUBLICATION_FIELDS.items()
        if doc.data.get(field) in (None, "")
    ]


def frozen_problems(doc: YamlDoc) -> list[DataProblem]:
    """A published version must carry its hash, and its content must still match it."""
    recorded = doc.data.get("content_hash")
    if not recorded:
        return [
            doc.problem(
                ("status",),
                "this version says it is published but has no content_hash",
                "publish versions with `policybook publish ID`, which records the hash; "
                "if it is not ready, set status: draft",
            )
        ]
    if recorded != content_hash(doc.data):
        return [
            doc.problem(
                ("content_hash",),
                "this published version was edited after it was published "
                "(its content no longer matches the recorded hash)",
                "undo the edit (e.g. `git checkout` the file); to change the policy, make a new "
                "draft with `policybook new-version YYYY-MM` and publish that",
            )
        ]
    return []


def current_problems(versions: Sequence[Version]) -> list[DataProblem]:
    """Exactly one published version may be current: no tie on the latest effective date."""
    published = [v for v in versions if v.is_published]
    if not published:
        return []
    latest = max(v.effective or date.min for v in published)
    claimants = [v for v in published if (v.effective or date.min) == latest]
    if len(claimants) < 2:
        return []
    names = " and ".join(v.id for v in claimants)
    return [
        DataProblem(
            v.path,
            read_yaml(v.path).line_of(("effective",)),
            "effective",
            f"versions {names} are both published and effective from {latest}, so both claim "
            "to be the current version",
            "only one version can be current: give the newer version a later effective date",
        )
        for v in claimants
    ]
