"""Every kind of mistake staff can make in policy_data/ is caught and explained.

Each test breaks one real file in a copy of policy_data/ the way a person
editing it might, runs `policybook validate` as staff would, and checks that
the command fails, names the file, the line and the field, says how to fix
it, and writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import run_cli_in_process
from support.policy_files import line_of, replace_once, snapshot

from policybook.checks import content_hash
from policybook.yaml_source import parse_yaml

CURRENT = "versions/2025-09.yaml"
DRAFT = "versions/2026-09.yaml"


def edit(folder: Path, name: str, old: str, new: str) -> str:
    """Replace one piece of text in a data file (it must be there exactly once)."""
    return replace_once(folder / name, old, new)


def add_draft(folder: Path) -> None:
    """A 2026-09 draft made from 2025-09 by hand, as staff might before editing it."""
    text = (folder / CURRENT).read_text(encoding="utf-8")
    text = text.replace('id: "2025-09"', 'id: "2026-09"').replace(
        "status: published", "status: draft"
    )
    text = re.sub(r"^content_hash: .*\n", "", text, flags=re.MULTILINE)
    (folder / DRAFT).write_text(text, encoding="utf-8")


def assert_rejected(folder: Path, file: str, line: int, field: str, *words: str) -> str:
    """Validate `folder`; it must fail, point at file:line [field], explain, and write nothing."""
    before = snapshot(folder)
    result = run_cli_in_process("validate", "--data", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    where = f"{folder / file}:{line} [{field}]"
    assert where in result.stderr, f"expected {where!r} in:\n{result.stderr}"
    assert "how to fix:" in result.stderr
    for word in words:
        assert word in result.stderr, f"expected {word!r} in:\n{result.stderr}"
    assert "Nothing was written." in result.stderr
    assert snapshot(folder) == before
    return result.stderr


@pytest.fixture
def data(data_copy: Path) -> Path:
    """A valid copy of policy_data/ with a draft 2026-09 beside the published 2025-09."""
    add_draft(data_copy)
    result = run_cli_in_process("validate", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    return data_copy


def test_yaml_syntax_error(data: Path):
    text = edit(
        data,
        DRAFT,
        "summary_of_changes: First published",
        "summary_of_changes: Changes: first published",
    )
    line = line_of(text, "summary_of_changes:")
    assert_rejected(data, DRAFT, line, "summary_of_changes", "not valid YAML", "double quotes")


def test_missing_field(data: Path):
    text = edit(data, DRAFT, "        text: Seek a peaceful solution to all issues;\n", "")
    line = line_of(text, "id: expect.peaceful-solution")
    stderr = assert_rejected(data, DRAFT, line, "sections[1].clauses[9].text")
    assert "the field 'text' is missing" in stderr


def test_mistyped_field(data: Path):
    text = edit(
        data,
        DRAFT,
        "approved_by: Headteacher, on behalf of the Governing Board",
        "approved_by: 2025",
    )
    line = line_of(text, "approved_by:")
    stderr = assert_rejected(data, DRAFT, line, "approved_by", "should be text")
    assert "it is a whole number" in stderr


def test_unknown_field(data: Path):
    text = edit(data, DRAFT, "next_review:", "next_reveiw: 2027-07-01\nnext_review:")
    line = line_of(text, "next_reveiw:")
    assert_rejected(data, DRAFT, line, "next_reveiw", "unknown field", "spelling")


def test_wrong_value_for_status(data: Path):
    text = edit(data, DRAFT, "status: draft", "status: final")
    assert_rejected(data, DRAFT, line_of(text, "status:"), "status", "use one of: draft, published")


def test_duplicate_clause_id(data: Path):
    text = edit(data, DRAFT, "id: conduct.no-politics", "id: conduct.no-grievances")
    first = line_of(text, "id: conduct.no-grievances")
    second = line_of(text, "The group is not a political platform") - 2
    stderr = assert_rejected(data, DRAFT, second, "sections[1].clauses[2].id", "used twice")
    assert f"first on line {first}" in stderr


def test_duplicate_yaml_key(data: Path):
    text = edit(
        data, DRAFT, "date_label: September 2025", "date_label: September 2025\ntitle: Again"
    )
    first = line_of(text, "title: Policy and Code")
    stderr = assert_rejected(data, DRAFT, line_of(text, "title: Again"), "title", "appears twice")
    assert f"first on line {first}" in stderr


def test_impossible_date(data: Path):
    text = edit(data, DRAFT, "effective: 2025-09-01", "effective: 2025-02-30")
    stderr = assert_rejected(
        data, DRAFT, line_of(text, "effective:"), "effective", "not a real date"
    )
    assert "2025-02-30" in stderr


def test_next_review_before_effective(data: Path):
    text = edit(data, DRAFT, "next_review: 2026-07-13", "next_review: 2025-08-01")
    line = line_of(text, "next_review:")
    assert_rejected(data, DRAFT, line, "next_review", "not after the effective date")


def test_malformed_email(data: Path):
    path = data / "school.yaml"
    text = re.sub(
        r"^office_email: .*$", "office_email: office at school", path.read_text(), flags=re.M
    )
    path.write_text(text)
    line = line_of(text, "office_email:")
    assert_rejected(data, "school.yaml", line, "office_email", "not an email address")


def test_version_id_not_matching_file_name(data: Path):
    text = edit(data, DRAFT, 'id: "2026-09"', 'id: "2026-10"')
    assert_rejected(data, DRAFT, line_of(text, "id:"), "id", "does not match the file name")


def test_published_version_edited_after_publishing(data: Path):
    text = edit(
        data, CURRENT, "Bringing the school into disrepute;", "Bringing the school into disrepute."
    )
    stderr = assert_rejected(data, CURRENT, line_of(text, "content_hash:"), "content_hash")
    assert "edited after it was published" in stderr
    assert "new-version" in stderr


def test_two_versions_claiming_to_be_current(data: Path):
    """A second published version with the same effective date, hash and all, as if hand-made."""
    path = data / DRAFT
    text = path.read_text().replace("status: draft", "status: published")
    text += f"content_hash: {content_hash(parse_yaml(text, path).data)}\n"
    path.write_text(text)
    stderr = assert_rejected(data, DRAFT, line_of(text, "effective:"), "effective", "both claim")
    current_line = line_of((data / CURRENT).read_text(), "effective:")
    assert f"{data / CURRENT}:{current_line} [effective]" in stderr


def test_published_version_missing_approval(data: Path):
    """Marking a version published by hand without its approval details is caught."""
    path = data / DRAFT
    text = path.read_text().replace("status: draft", "status: published")
    text = text.replace("approved_on: 2025-07-14", "approved_on:")
    text = text.replace("effective: 2025-09-01", "effective: 2026-09-01")
    text = text.replace("next_review: 2026-07-13", "next_review: 2027-07-13")
    text += f"content_hash: {content_hash(parse_yaml(text, path).data)}\n"
    path.write_text(text)
    line = line_of(text, "approved_on:")
    assert_rejected(data, DRAFT, line, "approved_on", "a published version needs it")


def test_every_problem_is_reported_in_one_run(data: Path):
    edit(data, DRAFT, "effective: 2025-09-01", "effective: 2025-02-30")
    edit(data, DRAFT, "status: draft", "status: final")
    text = edit(data, CURRENT, "Bringing the school into disrepute;", "Bringing it into disrepute;")
    stderr = assert_rejected(data, CURRENT, line_of(text, "content_hash:"), "content_hash")
    assert f"{data / DRAFT}:" in stderr
