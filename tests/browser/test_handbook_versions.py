"""A second version, made and published the way staff do it, becomes the handbook's current one.

On a temporary copy of policy_data/: `policybook new-version 2026-09`, fill
in the details, reword one guideline, `policybook publish 2026-09`, then
`policybook build`. The reader must see 2026-09 as the policy, 2025-09 in
the archive marked as not current, and the edit on the "What changed" page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import POLICY_DATA, describe_violations, run_axe
from support.browser import serve_directory
from support.cli import run_cli
from support.policy_files import replace_once

from policybook.yaml_edit import set_field

pytestmark = pytest.mark.browser

OLD_WORDS = "The group is not a political platform for airing opinions on current affairs;"
NEW_WORDS = "The group is not a party-political platform for airing opinions on the news;"
SUMMARY = "Says that the group is not a party-political platform."
#: What staff type into the new draft before publishing it.
DETAILS = {
    "effective": "2026-09-01",
    "approved_by": "Headteacher, on behalf of the Governing Board",
    "approved_on": "2026-07-10",
    "next_review": "2027-07-12",
    "summary_of_changes": SUMMARY,
}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("two-versions") / "policy_data"
    shutil.copytree(POLICY_DATA, data)
    made = run_cli("new-version", "2026-09", "--data", str(data))
    assert made.returncode == 0, made.stderr
    draft = data / "versions" / "2026-09.yaml"
    text = draft.read_text(encoding="utf-8")
    for field, value in DETAILS.items():
        text = set_field(text, field, value)
    draft.write_text(text, encoding="utf-8")
    replace_once(draft, OLD_WORDS, NEW_WORDS)
    published = run_cli("publish", "2026-09", "--data", str(data))
    assert published.returncode == 0, published.stderr
    return data


@pytest.fixture(scope="module")
def two_version_site(two_versions: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("two-version-site") / "html"
    built = run_cli("build", "--data", str(two_versions), "--out", str(out), "--no-pdf")
    assert built.returncode == 0, built.stderr
    assert f"into {out}" in built.stdout
    return out


@pytest.fixture(scope="module")
def url(two_version_site: Path) -> Iterator[str]:
    with serve_directory(two_version_site) as base:
        yield base


def test_the_new_version_is_the_current_policy(url, open_page):
    page, log = open_page(f"{url}/policy.html")
    text = page.inner_text("article")
    assert "September 2026" in text and "1 September 2026" in text
    assert NEW_WORDS in text and OLD_WORDS not in text
    assert "not the current version" not in text
    assert not log.problems()


def test_the_archive_keeps_2025_09_marked_not_current_with_a_link_to_the_current(url, open_page):
    page, _ = open_page(f"{url}/archive.html", width=375)
    page.locator("article").get_by_role("link", name="September 2025 version", exact=True).click()
    page.wait_for_url(re.compile(r".*/archive-2025-09\.html$"))
    text = page.inner_text("article")
    assert "This is not the current version of the policy" in text
    assert OLD_WORDS in text and NEW_WORDS not in text
    assert "from 1 September 2025 to 31 August 2026" in text
    page.locator("article").get_by_role(
        "link", name=re.compile(r"Read the current version")
    ).click()
    page.wait_for_url(re.compile(r".*/policy\.html$"))


def test_what_changed_shows_the_edit(url, open_page):
    page, _ = open_page(f"{url}/changes-2026-09.html")
    text = page.inner_text("article")
    assert SUMMARY in text
    inserted = " ".join(page.locator("article ins").all_inner_texts())
    deleted = " ".join(page.locator("article del").all_inner_texts())
    assert "party-political" in inserted and "the news" in inserted
    assert "current affairs" in deleted


def test_a_changed_clause_id_links_to_the_clause_in_the_current_policy(url, open_page):
    page, _ = open_page(f"{url}/changes-2026-09.html")
    link = page.locator("article a:has(code)")
    assert link.count() == 1, link.all_inner_texts()
    clause_id = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r".*/policy\.html#" + re.escape(clause_id) + "$"))
    target = page.locator(f"[id='{clause_id}']")
    assert NEW_WORDS in target.inner_text()


def test_updates_list_both_versions_newest_first(url, open_page):
    page, _ = open_page(f"{url}/updates.html")
    items = page.locator("article li").all_inner_texts()
    assert items[0].startswith("1 September 2026") and SUMMARY in items[0]
    assert items[1].startswith("1 September 2025")


def test_version_pages_are_accessible_offline_and_fit_a_phone(url, open_page):
    found = {}
    for name in ("changes-2026-09.html", "archive-2025-09.html", "archive.html", "updates.html"):
        page, log = open_page(f"{url}/{name}", width=375)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        problems = log.problems() + [describe_violations(run_axe(page))]
        if widths[0] > widths[1]:
            problems.append(f"wider than the phone: {widths}")
        if any(problems):
            found[name] = problems
    assert not found, found
