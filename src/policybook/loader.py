"""Load `policy_data/` into a `Policy`, checking shape and meaning.

Shape is checked with the JSON Schemas in `schema/` (`schema_check`);
meaning (real dates, review after effect, unique ids, one current version,
frozen published versions) by `checks`. All problems are collected and
raised together as one `PolicyDataError`, so nothing is built from bad data.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from policybook.checks import (
    current_problems,
    email_problems,
    file_name_problems,
    frozen_problems,
    id_problems,
    parse_date,
    publication_problems,
    review_problems,
)
from policybook.errors import DataProblem, PolicyDataError
from policybook.model import Clause, Policy, School, Section, Version
from policybook.schema_check import schema_problems
from policybook.yaml_source import YamlDoc, read_yaml

__all__ = [
    "DEFAULT_DATA_DIR",
    "load_policy",
    "load_school",
    "load_version",
    "check_version",
]

DEFAULT_DATA_DIR = Path("policy_data")
VERSION_FILE = re.compile(r"^[0-9]{4}-[0-9]{2}\.yaml$")


def load_school(data_dir: Path) -> School:
    """The school's details (`school.yaml`), checked."""
    path = data_dir / "school.yaml"
    if not path.exists():
        raise PolicyDataError(
            [DataProblem(path, None, "", "the school details file is missing", f"create {path}")]
        )
    doc = read_yaml(path)
    problems = schema_problems(doc, "school")
    if problems:
        raise PolicyDataError(problems)
    problems = email_problems(doc, "office_email")
    if problems:
        raise PolicyDataError(problems)
    data = doc.data
    return School(
        name=data["name"],
        short_name=data.get("short_name", data["name"]),
        office_email=data["office_email"],
        moderators=data["moderators"],
        headteacher_title=data["headteacher_title"],
        site=data["site"],
    )


def load_version(path: Path) -> Version:
    """One version file, checked on its own."""
    return check_version(read_yaml(path))


def check_version(doc: YamlDoc) -> Version:
    """A parsed version file as a `Version`, or PolicyDataError with every problem in it.

    Takes a parsed document rather than a path so that `publishing` can
    check a file's new text before it replaces the old one on disk.
    """
    problems = schema_problems(doc, "version")
    if problems:
        raise PolicyDataError(problems)
    problems += file_name_problems(doc)
    effective = parse_date(doc, "effective", problems)
    approved_on = parse_date(doc, "approved_on", problems)
    next_review = parse_date(doc, "next_review", problems)
    problems += review_problems(doc, effective, next_review)
    problems += id_problems(doc)
    if doc.data["status"] == "published":
        problems += publication_problems(doc) + frozen_problems(doc)
    if problems:
        raise PolicyDataError(problems)
    return _version(doc, effective, approved_on, next_review)


def _version(
    doc: YamlDoc, effective: date | None, approved_on: date | None, next_review: date | None
) -> Version:
    """The typed version, from a document already checked."""
    data = doc.data
    sections = tuple(
        Section(
            id=s["id"],
            title=s["title"],
            clauses=tuple(
                Clause(c["id"], c["kind"], _one_line(c["text"]), s["id"]) for c in s["clauses"]
            ),
        )
        for s in data["sections"]
    )
    return Version(
        id=data["id"],
        title=data["title"],
        date_label=data["date_label"],
        status=data["status"],
        effective=effective,
        approved_by=data["approved_by"] or "",
        approved_on=approved_on,
        next_review=next_review,
        summary_of_changes=data["summary_of_changes"] or "",
        sections=sections,
        content_hash=data.get("content_hash", ""),
        path=doc.path,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def load_policy(data_dir: Path = DEFAULT_DATA_DIR) -> Policy:
    """Load and check everything in `data_dir`; raise PolicyDataError on any problem."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise PolicyDataError(
            [
                DataProblem(
                    data_dir,
                    None,
                    "",
                    "the policy data folder does not exist",
                    "run from the repository folder, or pass --data DIR pointing at policy_data/",
                )
            ]
        )
    problems: list[DataProblem] = []
    school = None
    try:
        school = load_school(data_dir)
    except PolicyDataError as exc:
        problems += exc.problems
    versions: list[Version] = []
    version_dir = data_dir / "versions"
    for path in sorted(version_dir.glob("*.yaml")):
        if not VERSION_FILE.match(path.name):
            problems.append(
                DataProblem(
                    path,
                    None,
                    "",
                    f"'{path.name}' is not a version file name: version files are named "
                    "YYYY-MM.yaml after the version id",
                    "rename the file to its version id, e.g. 2026-09.yaml, or move it out of "
                    "versions/",
                )
            )
            continue
        try:
            versions.append(load_version(path))
        except PolicyDataError as exc:
            problems += exc.problems
    if not versions and not problems:
        problems.append(
            DataProblem(
                version_dir,
                None,
                "",
                "there is no version of the policy",
                "add a version file named YYYY-MM.yaml (copy one from the repository)",
            )
        )
    problems += current_problems(versions)
    if problems:
        raise PolicyDataError(problems)
    assert school is not None
    ordered = tuple(sorted(versions, key=lambda v: v.id))
    return Policy(school=school, versions=ordered, data_dir=data_dir)
