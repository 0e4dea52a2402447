"""The clause-by-clause diff: its Python API (used by the handbook) and `policybook diff`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from support.cli import POLICY_DATA, run_cli

from policybook.diff import diff_versions, render_markdown, render_text
from policybook.loader import load_policy
from policybook.model import Clause, Section, Version


@pytest.fixture(scope="module")
def current() -> Version:
    return load_policy(POLICY_DATA).current


def edit_section(version: Version, section_id: str, **changes) -> Version:
    """A copy of `version` with one section replaced, as a staff edit would."""
    sections = tuple(replace(s, **changes) if s.id == section_id else s for s in version.sections)
    return replace(version, id="2026-09", sections=sections)


def clauses_of(version: Version, section_id: str) -> list[Clause]:
    return list(next(s for s in version.sections if s.id == section_id).clauses)


def test_identical_versions_say_no_changes_plainly(current):
    diff = diff_versions(current, current)
    assert diff.is_empty
    assert "No changes" in render_text(diff)
    assert "No changes" in render_markdown(diff)


def test_only_details_changed_says_wording_is_the_same(current):
    later = replace(current, id="2026-09", effective=None)
    text = render_text(diff_versions(current, later))
    assert "No changes to the wording" in text
    assert "Effective from: 2025-09-01 -> (empty)" in text


def test_reworded_clause_marks_only_the_changed_words(current):
    clauses = clauses_of(current, "conduct")
    index = next(i for i, c in enumerate(clauses) if c.id == "conduct.no-politics")
    clauses[index] = replace(clauses[index], text=clauses[index].text.replace("political", "party"))
    diff = diff_versions(current, edit_section(current, "conduct", clauses=tuple(clauses)))
    assert [c.clause_id for c in diff.reworded] == ["conduct.no-politics"]
    assert not diff.added and not diff.removed and not diff.moved
    text = render_text(diff)
    assert "The group is not a [-political-]{+party+} platform for airing" in text
    markdown = render_markdown(diff)
    assert "not a <del>political</del><ins>party</ins> platform" in markdown


def test_added_removed_and_moved_clauses_are_each_named(current):
    clauses = clauses_of(current, "conduct")
    ids = [c.id for c in clauses]
    new_clause = Clause(
        "conduct.no-photos", "guideline", "Never post photos of children;", "conduct"
    )
    clauses.insert(ids.index("conduct.no-politics") + 1, new_clause)
    clauses = [c for c in clauses if c.id != "conduct.safeguarding"]
    moved = next(c for c in clauses if c.id == "expect.peaceful-solution")
    clauses.remove(moved)
    clauses.insert(1, moved)
    diff = diff_versions(current, edit_section(current, "conduct", clauses=tuple(clauses)))
    assert [c.clause_id for c in diff.added] == ["conduct.no-photos"]
    assert [c.clause_id for c in diff.removed] == ["conduct.safeguarding"]
    assert [c.clause_id for c in diff.moved] == ["expect.peaceful-solution"]
    assert not diff.reworded
    text = render_text(diff)
    assert "Clauses: 1 added, 1 removed, 0 reworded, 1 moved" in text
    assert "Moved: expect.peaceful-solution" in text
    assert "after conduct.guidelines" in text  # its new neighbour


def test_clause_moved_to_another_section_is_moved(current):
    about = clauses_of(current, "about")
    conduct = clauses_of(current, "conduct")
    aim = next(c for c in about if c.id == "about.aim")
    sections = tuple(
        replace(s, clauses=tuple(c for c in about if c is not aim))
        if s.id == "about"
        else replace(s, clauses=(*conduct, replace(aim, section_id="conduct")))
        if s.id == "conduct"
        else s
        for s in current.sections
    )
    diff = diff_versions(current, replace(current, id="2026-09", sections=sections))
    assert [c.clause_id for c in diff.moved] == ["about.aim"]
    assert 'was in "Class/Year WhatsApp Groups"' in render_text(diff)


def test_section_renamed_and_added(current):
    renamed = edit_section(current, "conduct", title="Our code of conduct")
    extra = Section(
        "photos",
        "Photos",
        (Clause("photos.consent", "paragraph", "Ask before sharing photos.", "photos"),),
    )
    later = replace(renamed, sections=(*renamed.sections, extra))
    text = render_text(diff_versions(current, later))
    assert 'Section renamed: conduct "Code of Conduct" -> "Our code of conduct"' in text
    assert 'Section added: photos "Photos"' in text
    assert "Added: photos.consent" in text


def test_markdown_escapes_policy_text_so_no_maths_or_markup_leaks(current):
    clauses = clauses_of(current, "conduct")
    clauses[1] = replace(clauses[1], text="Fees of $5 and $10 are *not* <b>due</b>;")
    markdown = render_markdown(
        diff_versions(current, edit_section(current, "conduct", clauses=tuple(clauses)))
    )
    assert "$5" not in markdown.replace("\\$5", "")
    assert "<b>" not in markdown
    assert "\\*not\\*" in markdown


def test_markdown_renders_del_and_ins_in_myst_html(current, tmp_path: Path):
    """The markdown goes through the same MyST parser the handbook uses."""
    import myst_parser.parsers.docutils_ as docutils_html

    clauses = clauses_of(current, "conduct")
    clauses[2] = replace(clauses[2], text=clauses[2].text.replace("political", "party $5 or $10"))
    markdown = render_markdown(
        diff_versions(current, edit_section(current, "conduct", clauses=tuple(clauses)))
    )
    from docutils.core import publish_string

    html = publish_string(
        markdown,
        parser=docutils_html.Parser(),
        writer_name="html5",
        settings_overrides={"myst_enable_extensions": ["dollarmath"]},
    ).decode()
    assert "<del>political</del><ins>party $5 or $10</ins>" in html
    assert 'class="math' not in html


def test_cli_diff_of_a_version_with_itself(data_copy: Path):
    result = run_cli("diff", "2025-09", "2025-09", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert "No changes" in result.stdout


def test_cli_diff_unknown_version_is_refused(data_copy: Path):
    result = run_cli("diff", "2025-09", "2031-09", "--data", str(data_copy))
    assert result.returncode == 2
    assert "no version '2031-09'" in result.stderr
    assert result.stdout == ""
