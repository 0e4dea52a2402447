"""The handbook's pages as MyST, before Jupyter Book: quick checks of what each page says.

The built-site tests (test_handbook_build.py, tests/browser/) check the HTML;
these check the rules behind it in milliseconds, on versions made in memory.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
import yaml
from support.cli import POLICY_DATA

from policybook.loader import load_policy
from policybook.model import Policy
from policybook.render.archive import in_force
from policybook.render.history import render_changes
from policybook.render.pages import render_pages, toc_yaml
from policybook.render.pdf import stable_pdf
from policybook.render.selfcheck_page import raw_html_block
from policybook.render.text import inline, long_date

#: The self-check's HTML is embedded as it is; these tests are about the other pages.
SNIPPET = "<div data-self-check></div>"


@pytest.fixture(scope="module")
def one_version() -> Policy:
    return load_policy(POLICY_DATA)


@pytest.fixture(scope="module")
def two_versions(one_version: Policy) -> Policy:
    """The 2025-09 policy plus a 2026-09 copy, published, made in memory."""
    first = one_version.current
    second = dataclasses.replace(
        first,
        id="2026-09",
        date_label="September 2026",
        effective=date(2026, 9, 1),
        next_review=date(2027, 7, 12),
        summary_of_changes="Clearer words.",
    )
    return dataclasses.replace(one_version, versions=(first, second))


def test_dates_are_written_the_gov_uk_way():
    assert long_date(date(2025, 9, 1)) == "1 September 2025"
    assert long_date(None) == "not set"


def test_email_addresses_in_policy_text_become_mailto_links():
    assert (
        inline("write to a.b@school.org.uk.")
        == "write to [a.b@school.org.uk](mailto:a.b@school.org.uk)."
    )


def test_the_first_version_says_plainly_there_is_nothing_before_it(one_version):
    page = render_changes(one_version, one_version.current)
    assert "first published version of the policy" in page.markdown
    assert "(the current policy)" in page.markdown


def test_the_toc_puts_newest_changes_first_and_archives_earlier_versions(two_versions):
    toc = yaml.safe_load(toc_yaml(render_pages(two_versions, SNIPPET)))
    assert toc["root"] == "index"
    chapters = {entry["file"]: entry for entry in toc["chapters"]}
    assert list(chapters) == ["policy", "self-check", "concerns", "updates", "archive"]
    changes = [entry["file"] for entry in chapters["updates"]["sections"]]
    assert changes == ["changes-2026-09", "changes-2025-09"]
    assert [entry["file"] for entry in chapters["archive"]["sections"]] == ["archive-2025-09"]


def test_an_archived_version_says_when_it_applied(two_versions):
    assert in_force(two_versions, two_versions.version("2025-09")) == (
        "from 1 September 2025 to 31 August 2026"
    )
    assert in_force(two_versions, two_versions.current) == "from 1 September 2026"


def test_the_policy_page_has_every_clause_with_its_id(one_version):
    policy_page = render_pages(one_version, SNIPPET).children[0]
    assert policy_page.name == "policy"
    for clause in one_version.current.clauses:
        assert f"{{clause}}`{clause.id}` " in policy_page.markdown


def test_the_checker_html_goes_in_a_raw_block_no_backtick_line_can_close():
    block = raw_html_block("<div>\n```\n</div>\n")
    assert block.startswith("````{raw} html\n") and block.endswith("\n````")


def test_a_draft_is_never_shown_to_parents(one_version):
    draft = dataclasses.replace(
        one_version.current,
        id="2026-09",
        status="draft",
        date_label="September 2026",
        effective=date(2026, 9, 1),
    )
    policy = dataclasses.replace(one_version, versions=(one_version.current, draft))
    pages = render_pages(policy, SNIPPET).walk()
    assert all("2026-09" not in page.name for page in pages)
    assert all("September 2026" not in page.markdown for page in pages)


def test_the_pdf_gets_fixed_dates_and_id_without_moving_a_byte(one_version):
    version = one_version.current
    made = (
        b"%PDF-1.4\n/CreationDate (D:20261125135501+00'00')\n/ModDate (D:20261125135501+00'00')\n"
        b"trailer << /ID [<0A1B2C3D4E5F60718293A4B5C6D7E8F9> <0A1B2C3D4E5F60718293A4B5C6D7E8F9>] >>"
    )
    fixed = stable_pdf(made, version)
    assert len(fixed) == len(made)
    assert b"/CreationDate (D:20250901000000+00'00')" in fixed
    assert b"/ModDate (D:20250901000000+00'00')" in fixed
    assert b"0A1B2C3D" not in fixed
    assert stable_pdf(made.replace(b"135501", b"140000"), version) == fixed
