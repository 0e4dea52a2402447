"""Load `policy_data/` into a `Policy`, checking shape and meaning.

Shape is checked with the JSON Schemas in `schema/`; meaning (dates that
exist, review after effect, unique ids, one current version, frozen
published versions) is checked here. All problems are collected and raised
together as one `PolicyDataError`, so nothing is built from bad data.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from policybook.errors import DataProblem, PolicyDataError
from policybook.model import Clause, Policy, School, Section, Version
from policybook.yaml_source import YamlDoc, read_yaml

DEFAULT_DATA_DIR = Path("policy_data")
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
VERSION_FILE = re.compile(r"^[0-9]{4}-[0-9]{2}\.yaml$")


@cache
def schema(name: str) -> dict[str, Any]:
    """One of the JSON Schemas shipped in `policybook/schema/`."""
    text = resources.files("policybook.schema").joinpath(f"{name}.schema.json").read_text()
    return json.loads(text)


def content_hash(data: dict[str, Any]) -> str:
    """Hash of a version's content: every field except the hash itself.

    Computed on the parsed data in a canonical JSON form, so re-indenting the
    YAML or editing a comment does not change it; changing any word does.
    """
    content = {k: v for k, v in data.items() if k != "content_hash"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def schema_problems(doc: YamlDoc, schema_name: str) -> list[DataProblem]:
    """Shape errors, each pointing at the offending field's line."""
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    problems = []
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(e.absolute_path)):
        where = tuple(error.absolute_path)
        problems.append(doc.problem(where, *_explain(error)))
    return problems


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    """Turn a JSON Schema error into (what is wrong, how to fix it) in plain words."""
    field = error.absolute_path[-1] if error.absolute_path else "the file"
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        return f"the field '{name}' is missing", f"add '{name}:' with a value"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return (
            f"unknown field(s): {', '.join(extra)}",
            "check the spelling against the other entries, or remove the field",
        )
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return (
            f"'{field}' should be {wanted}, not {type(error.instance).__name__}",
            f"write '{field}' as {wanted}" + (" (text may need quotes)" if "string" in wanted else ""),
        )
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"'{error.instance}' is not allowed here", f"use one of: {allowed}"
    if error.validator == "pattern":
        return f"'{error.instance}' is not in the expected form", _pattern_hint(str(field))
    if error.validator in ("minLength", "minItems"):
        return f"'{field}' is empty", f"give '{field}' a value"
    return error.message, "see the schema in src/policybook/schema/ for the expected shape"


def _pattern_hint(field: str) -> str:
    if field == "id":
        return (
            "version ids are YYYY-MM (e.g. 2026-09); section and clause ids are lowercase words "
            "joined by '-' and '.', e.g. conduct.no-grievances"
        )
    if field == "content_hash":
        return "do not edit content_hash by hand; `policybook publish` writes it"
    if field == "language":
        return "use a language tag such as en-GB"
    return "compare with the same field in another entry"


def parse_date(doc: YamlDoc, where: tuple, value: Any, problems: list[DataProblem]) -> date | None:
    """A YYYY-MM-DD string as a date, or None with a problem recorded."""
    if value in (None, ""):
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):
            raise ValueError
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            doc.problem(
                where,
                f"'{value}' is not a real date",
                "write the date as YYYY-MM-DD, and check the day exists in that month",
            )
        )
        return None


def load_school(data_dir: Path) -> School:
    path = data_dir / "school.yaml"
    if not path.exists():
        raise PolicyDataError(
            [DataProblem(path, None, "", "the school details file is missing", f"create {path}")]
        )
    doc = read_yaml(path)
    problems = schema_problems(doc, "school")
    if problems:
        raise PolicyDataError(problems)
    data = doc.data
    if not EMAIL.match(data["office_email"]):
        raise PolicyDataError(
            [
                doc.problem(
                    ("office_email",),
                    f"'{data['office_email']}' is not an email address",
                    "write it as name@domain, e.g. office@yourschool.org.uk",
                )
            ]
        )
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
    doc = read_yaml(path)
    problems = schema_problems(doc, "version")
    if problems:
        raise PolicyDataError(problems)
    data = doc.data
    if f"{data['id']}.yaml" != path.name:
        problems.append(
            doc.problem(
                ("id",),
                f"the id '{data['id']}' does not match the file name '{path.name}'",
                f"rename the file to {data['id']}.yaml or change the id to {path.stem}",
            )
        )
    effective = parse_date(doc, ("effective",), data["effective"], problems)
    approved_on = parse_date(doc, ("approved_on",), data["approved_on"], problems)
    next_review = parse_date(doc, ("next_review",), data["next_review"], problems)
    if effective and next_review and next_review <= effective:
        problems.append(
            doc.problem(
                ("next_review",),
                f"the next review ({next_review}) is not after the effective date ({effective})",
                "set next_review to a date after effective (usually a year later)",
            )
        )
    problems += _id_problems(doc)
    if data["status"] == "published":
        problems += _frozen_problems(doc)
    if problems:
        raise PolicyDataError(problems)
    sections = tuple(
        Section(
            id=s["id"],
            title=s["title"],
            clauses=tuple(Clause(c["id"], c["kind"], _one_line(c["text"]), s["id"]) for c in s["clauses"]),
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
        path=path,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _id_problems(doc: YamlDoc) -> list[DataProblem]:
    """Section and clause ids must be unique within a version."""
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
                        f"the id '{ident}' is used twice (first on line {doc.line_of(seen[ident])})",
                        "give this entry a new id that no other section or clause uses",
                    )
                )
            else:
                seen[ident] = where
    return problems


def _frozen_problems(doc: YamlDoc) -> list[DataProblem]:
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


def load_policy(data_dir: Path = DEFAULT_DATA_DIR) -> Policy:
    """Load and check everything in `data_dir`; raise PolicyDataError on any problem."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise PolicyDataError(
            [DataProblem(data_dir, None, "", "the policy data folder does not exist", "pass --data DIR")]
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
                DataProblem(path, None, "", "version files are named YYYY-MM.yaml", "rename the file")
            )
            continue
        try:
            versions.append(load_version(path))
        except PolicyDataError as exc:
            problems += exc.problems
    if not versions and not problems:
        problems.append(
            DataProblem(version_dir, None, "", "there is no version of the policy", "add YYYY-MM.yaml")
        )
    problems += _current_problems(versions)
    if problems:
        raise PolicyDataError(problems)
    assert school is not None
    return Policy(school=school, versions=tuple(sorted(versions, key=lambda v: v.id)), data_dir=data_dir)


def _current_problems(versions: list[Version]) -> list[DataProblem]:
    """Exactly one published version must be current: no tie on the latest effective date."""
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
            None,
            "effective",
            f"versions {names} are both published and effective from {latest}, so both claim "
            "to be the current version",
            "only one version can be current: give the newer version a later effective date",
        )
        for v in claimants
    ]
