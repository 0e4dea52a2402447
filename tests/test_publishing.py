"""The staff workflow on a copy of policy_data/: new-version, edit, diff, publish.

Everything runs through the real `policybook` command, as staff would run
it, and checks what they see (output, exit code) and what ends up on disk.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import run_cli, run_cli_in_process
from support.policy_files import line_of, replace_once, snapshot

from policybook.yaml_edit import remove_field, set_field

CURRENT = "versions/2025-09.yaml"
DRAFT = "versions/2026-09.yaml"
FILLED_IN = {
    "effective": "2026-09-01",
    "approved_by": "Headteacher, on behalf of the Governing Board",
    "approved_on": "2026-07-10",
    "next_review": "2027-07-12",
    "summary_of_changes": "Says that the group is not a party-political platform.",
}


def cli(*args: str, data: Path, real_process: bool = False):
    """`policybook ARGS --data DATA`, in this process unless a real one is asked for."""
    run = run_cli if real_process else run_cli_in_process
    return run(*args, "--data", str(data))


def fill_in(path: Path, **values: str) -> None:
    """Type values into a draft's empty details, as staff do in an editor."""
    text = path.read_text(encoding="utf-8")
    for field, value in values.items():
        text, count = re.subn(rf"^{field}:.*$", f"{field}: {value}", text, flags=re.MULTILINE)
        assert count == 1, field
    path.write_text(text, encoding="utf-8")


def reword(path: Path, old: str, new: str) -> None:
    replace_once(path, old, new)


def assert_refused(data: Path, args: tuple[str, ...], code: int, *words: str) -> None:
    """The command fails with `code`, explains itself on stderr and writes nothing."""
    before = snapshot(data)
    result = cli(*args, data=data)
    assert result.returncode == code, result.stdout + result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr, f"expected {word!r} in:\n{result.stderr}"
    assert snapshot(data) == before


@pytest.fixture
def draft(data_copy: Path) -> Path:
    result = cli("new-version", "2026-09", data=data_copy)
    assert result.returncode == 0, result.stderr
    return data_copy


def test_new_version_makes_a_draft_copy_with_details_reset(data_copy: Path):
    before = (data_copy / CURRENT).read_bytes()
    result = cli("new-version", "2026-09", data=data_copy)
    assert result.returncode == 0, result.stderr
    assert "Made draft 2026-09" in result.stdout
    assert f"policybook diff 2025-09 2026-09 --data {data_copy}" in result.stdout
    assert f"policybook publish 2026-09 --data {data_copy}" in result.stdout
    text = (data_copy / DRAFT).read_text(encoding="utf-8")
    assert 'id: "2026-09"' in text and "status: draft" in text
    assert "content_hash" not in text
    assert "date_label: September 2026" in text
    for field in FILLED_IN:
        assert re.search(rf"^{field}: # fill in", text, flags=re.MULTILINE), field
    assert (data_copy / CURRENT).read_bytes() == before
    check = cli("validate", data=data_copy)
    assert check.returncode == 0, check.stderr
    assert "current: 2025-09" in check.stdout and "draft: 2026-09" in check.stdout
    same = cli("diff", "2025-09", "2026-09", data=data_copy)
    assert "Clauses:" not in same.stdout
    assert "No changes to the wording" in same.stdout


@pytest.mark.parametrize(
    ("version_id", "reason"),
    [
        ("2025-09", "already exists"),
        ("2026-9", "is not a version id"),
        ("2026-13", "is not a version id"),
        ("2024-09", "older than the latest version, 2025-09"),
    ],
)
def test_new_version_refuses_a_bad_id(data_copy: Path, version_id: str, reason: str):
    assert_refused(data_copy, ("new-version", version_id), 2, reason)


def test_new_version_refuses_when_the_data_is_invalid(data_copy: Path):
    reword(data_copy / CURRENT, "effective: 2025-09-01", "effective: 2025-09-31")
    assert_refused(data_copy, ("new-version", "2026-09"), 1, "not a real date")


def test_publish_refuses_an_incomplete_draft_and_lists_what_is_missing(draft: Path):
    fill_in(draft / DRAFT, effective="2026-09-01")
    missing = ("approved_by", "approved_on", "next_review", "summary_of_changes")
    text = (draft / DRAFT).read_text(encoding="utf-8")
    assert_refused(
        draft,
        ("publish", "2026-09"),
        2,
        "not ready to publish",
        *(
            f"2026-09.yaml:{line_of(text, field + ':')} [{field}]: '{field}' is empty"
            for field in missing
        ),
    )
    assert "[effective]" not in cli("publish", "2026-09", data=draft).stderr


def test_publish_refuses_an_effective_date_not_after_the_current_version(draft: Path):
    fill_in(draft / DRAFT, **{**FILLED_IN, "effective": "2025-09-01", "next_review": "2026-07-01"})
    assert_refused(
        draft, ("publish", "2026-09"), 2, "not after that of the current version 2025-09"
    )


def test_publish_refuses_a_published_or_unknown_version(draft: Path):
    assert_refused(draft, ("publish", "2025-09"), 2, "already published")
    assert_refused(draft, ("publish", "2030-09"), 2, "no version '2030-09'")


def test_publish_refuses_a_draft_that_drops_a_clause_the_rules_cite(draft: Path):
    fill_in(draft / DRAFT, **FILLED_IN)
    reword(draft / DRAFT, "id: conduct.no-politics", "id: conduct.no-party-politics")
    assert_refused(draft, ("publish", "2026-09"), 1, "conduct.no-politics", "Nothing was written.")


def test_publish_refuses_while_any_file_is_invalid(draft: Path):
    fill_in(draft / DRAFT, **FILLED_IN)
    reword(draft / "school.yaml", "office_email: ", "office_email: not-an-address ")
    assert_refused(draft, ("publish", "2026-09"), 1, "school.yaml", "Nothing was written.")


def test_whole_workflow_makes_a_second_current_version_and_keeps_the_first(data_copy: Path):
    first = (data_copy / CURRENT).read_bytes()
    assert cli("new-version", "2026-09", data=data_copy, real_process=True).returncode == 0
    draft_path = data_copy / DRAFT
    fill_in(draft_path, **FILLED_IN)
    reword(draft_path, "not a political platform", "not a party-political platform")

    diff = cli("diff", "2025-09", "2026-09", data=data_copy, real_process=True)
    assert diff.returncode == 0, diff.stderr
    assert "Reworded: conduct.no-politics" in diff.stdout
    assert "[-political-]{+party-political+}" in diff.stdout
    markdown = cli("diff", "2025-09", "2026-09", "--format", "markdown", data=data_copy)
    assert "<del>political</del><ins>party-political</ins>" in markdown.stdout

    draft_text = draft_path.read_text(encoding="utf-8")
    published = cli("publish", "2026-09", data=data_copy, real_process=True)
    assert published.returncode == 0, published.stderr
    assert "2026-09 is now the current version" in published.stdout

    check = cli("validate", data=data_copy, real_process=True)
    assert check.returncode == 0, check.stderr
    assert "current: 2026-09" in check.stdout
    assert (data_copy / CURRENT).read_bytes() == first
    assert sorted(p.name for p in (data_copy / "versions").iterdir()) == [
        "2025-09.yaml",
        "2026-09.yaml",
    ]
    text = draft_path.read_text(encoding="utf-8")
    assert re.search(r"^status: published\ncontent_hash: sha256:[0-9a-f]{64}\n", text, re.M)
    assert _body(text) == _body(draft_text)  # every line after the header, bar status and hash


def test_a_version_cannot_be_edited_once_published(data_copy: Path):
    assert cli("new-version", "2026-09", data=data_copy).returncode == 0
    fill_in(data_copy / DRAFT, **FILLED_IN)
    assert cli("publish", "2026-09", data=data_copy).returncode == 0
    reword(data_copy / DRAFT, "Ban the parent", "Bar the parent")
    result = cli("validate", data=data_copy)
    assert result.returncode == 1
    assert f"{data_copy / DRAFT}:" in result.stderr
    assert "edited after it was published" in result.stderr


def _body(text: str) -> list[str]:
    return [
        line for line in text.splitlines() if not line.startswith(("#", "status:", "content_hash:"))
    ]


@pytest.mark.parametrize("command", ["validate", "new-version", "diff", "publish"])
def test_every_staff_command_explains_itself(command: str):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "--data DIR" in result.stdout
    assert "policy_data/" in result.stdout


def test_field_edits_touch_only_the_field_named():
    """publish and new-version rewrite a few top-level fields and keep every other line."""
    text = (
        "# a comment that stays\n"
        "summary_of_changes: >-\n"
        "  two lines\n"
        "\n"
        "  of folded text\n"
        "status: draft  # keep me? no: the whole field is replaced\n"
        "sections:\n"
        "  - id: a\n"
    )
    edited = set_field(text, "summary_of_changes", "One line.")
    edited = set_field(edited, "status", "published")
    edited = set_field(edited, "content_hash", "sha256:x", after="status")
    assert edited == (
        "# a comment that stays\n"
        "summary_of_changes: One line.\n"
        "status: published\n"
        "content_hash: sha256:x\n"
        "sections:\n"
        "  - id: a\n"
    )
    assert remove_field(edited, "content_hash") == edited.replace("content_hash: sha256:x\n", "")
