"""`policybook build` as staff run it: exit codes, messages, and the HTML it writes.

Each build runs Jupyter Book (a few seconds), so the module builds a copy
of policy_data/ once and most tests read that site; the determinism and
incremental tests make the extra builds they need.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support.cli import POLICY_DATA, run_cli

from policybook import build
from policybook.build import BUILD_MARK, SELF_CHECK_SNIPPET, WIDGETS
from policybook.errors import CommandError
from policybook.loader import load_policy

pytestmark = pytest.mark.slow

#: Markup that makes a browser fetch something (a canonical <link> or an <a> does not).
FETCHING = "script[src], img[src], iframe[src], source[src], link[href]:not([rel=canonical])"
#: Names of the heavy or online add-ons the handbook must not carry.
UNWANTED = ("mathjax", "thebe", "fontawesome", "googleapis", "binder", "analytics", "require.js")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def mailto_links(path: Path) -> list[str]:
    return [a["href"] for a in soup(path).select("a[href^='mailto:']")]


def site_files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of policy_data/ whose moderators text holds Markdown and HTML look-alikes."""
    copy = tmp_path_factory.mktemp("data") / "policy_data"
    shutil.copytree(POLICY_DATA, copy)
    school = copy / "school.yaml"
    text = school.read_text(encoding="utf-8")
    text, count = re.subn(
        r"^moderators: .*?(?=^\S)",
        'moderators: "Moderators cost $5 *each* <b>bold</b> [link](http://x.test)."\n',
        text,
        flags=re.MULTILINE | re.DOTALL,
    )
    assert count == 1, "test setup: school.yaml has no moderators field"
    school.write_text(text, encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def cli_build(data: Path, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("site") / "html"
    result = run_cli("build", "--data", str(data), "--out", str(out), "--no-pdf")
    return out, result


@pytest.fixture(scope="module")
def site(cli_build) -> Path:
    out, result = cli_build
    assert result.returncode == 0, result.stderr
    return out


def test_build_reports_what_it_made_and_how_to_view_it(cli_build):
    out, result = cli_build
    assert result.returncode == 0, result.stderr
    assert re.search(rf"Built 7 pages into {re.escape(str(out))} in [0-9.]+ s\.", result.stdout)
    assert f"--directory {out}" in result.stdout
    assert result.stderr == ""


def test_pages_sit_flat_at_the_site_root(site):
    for name in ("index", "policy", "self-check", "concerns", "updates", "archive", "search"):
        assert (site / f"{name}.html").is_file(), name
    assert (site / "changes-2025-09.html").is_file()
    assert not list(site.glob("archive-*.html")), "no earlier version yet, so no archived page"


def test_nothing_is_loaded_from_outside_the_site(site):
    for path in site.glob("*.html"):
        for tag in soup(path).select(FETCHING):
            address = tag.get("src") or tag.get("href")
            assert not re.match(r"(https?:)?//", address), f"{path.name} loads {address}"
    for path in [*site.glob("*.html"), *site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8").lower()
        for word in UNWANTED:
            assert word not in text, f"{path.name} mentions {word}"


def test_every_clause_of_the_current_version_has_its_exact_id_once(site, data):
    page = soup(site / "policy.html")
    for clause in load_policy(data).current.clauses:
        found = page.find_all(id=clause.id)
        assert len(found) == 1, clause.id
        assert " ".join(found[0].get_text().split()) == clause.text


def test_raising_concerns_links_to_the_office_email(site, data):
    email = load_policy(data).school.office_email
    assert set(mailto_links(site / "concerns.html")) == {f"mailto:{email}"}
    assert f"mailto:{email}" in mailto_links(site / "index.html")


def test_staff_text_is_shown_as_written_never_as_markup_or_maths(site):
    html = (site / "concerns.html").read_text(encoding="utf-8")
    assert "Moderators cost $5 *each* &lt;b&gt;bold&lt;/b&gt; [link](http://x.test)." in html
    assert "<b>bold</b>" not in html and 'href="http://x.test"' not in html


def test_the_self_check_page_hosts_the_checker_and_its_files(site, data):
    html = (site / "self-check.html").read_text(encoding="utf-8")
    assert "Check your message before you post" in html
    snippet = SELF_CHECK_SNIPPET.read_text(encoding="utf-8").strip()
    assert snippet in html, "the checker's HTML was changed on its way into the page"
    for script in WIDGETS.glob("*.js"):
        assert (site / "selfcheck" / script.name).read_bytes() == script.read_bytes()
        assert not (site / "_static" / script.name).exists()
    plain = (site / "selfcheck" / "rulepack.json").read_bytes()
    assert json.loads(plain), "the rule pack is empty"
    zipped = (site / "selfcheck" / "rulepack.json.gz").read_bytes()
    assert gzip.decompress(zipped) == plain, "the gzipped rule pack is not the same rules"


def test_only_the_self_check_page_leaves_out_search_word_highlighting(site):
    """Its text is the checker, and its rule pack needs the room; other pages keep it."""
    for script in ("doctools.js", "sphinx_highlight.js"):
        assert script not in (site / "self-check.html").read_text(encoding="utf-8")
        assert script in (site / "policy.html").read_text(encoding="utf-8")


def test_building_twice_gives_the_same_files(site, data, tmp_path):
    again = tmp_path / "again"
    result = run_cli("build", "--data", str(data), "--out", str(again), "--no-pdf")
    assert result.returncode == 0, result.stderr
    first, second = site_files(site), site_files(again)
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"files that differ between two builds: {differing}"


def test_rebuilds_in_one_staging_folder_pick_up_data_and_stylesheet_changes(
    data, tmp_path, monkeypatch
):
    copy, book = tmp_path / "policy_data", tmp_path / "book"
    shutil.copytree(data, copy)
    shutil.copytree(build.BOOK_DIR, book, ignore=shutil.ignore_patterns("generated"))
    monkeypatch.setattr(build, "BOOK_DIR", book)
    stage, out = tmp_path / "stage", tmp_path / "out"

    def rebuild() -> None:
        build.build_site(copy, out, stage_dir=stage, pdf=False, log=lambda message: None)

    rebuild()
    first = site_files(out)
    rebuild()  # nothing changed: an incremental build, the same site
    assert site_files(out) == first
    school = copy / "school.yaml"
    old = load_policy(copy).school.office_email
    school.write_text(school.read_text(encoding="utf-8").replace(old, "head@example.org"))
    css = book / "assets" / "handbook.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.rebuilt-marker { color: red; }\n")
    rebuild()
    contact = soup(out / "concerns.html").select_one(".contact-box a")
    assert contact["href"] == "mailto:head@example.org"
    assert "mailto:head@example.org" in mailto_links(out / "index.html")
    assert ".rebuilt-marker" in (out / "_static" / "handbook.css").read_text(encoding="utf-8")


def test_build_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    out = tmp_path / "my-documents"
    out.mkdir()
    (out / "letter.txt").write_text("keep me")
    result = run_cli("build", "--data", str(POLICY_DATA), "--out", str(out), "--no-pdf")
    assert result.returncode == 2
    assert "not a handbook build" in result.stderr and "--out" in result.stderr
    assert (out / "letter.txt").read_text() == "keep me"
    assert not (out / BUILD_MARK).exists()


def test_build_with_bad_data_says_where_and_writes_nothing(data, tmp_path):
    copy = tmp_path / "policy_data"
    shutil.copytree(data, copy)
    school = copy / "school.yaml"
    school.write_text(re.sub(r"office_email: .*", "office_email: nobody", school.read_text()))
    out = tmp_path / "out"
    result = run_cli("build", "--data", str(copy), "--out", str(out), "--no-pdf")
    assert result.returncode == 1
    assert "school.yaml" in result.stderr and "office_email" in result.stderr
    assert "Nothing was written." in result.stderr
    assert not out.exists()


def test_a_build_that_fails_late_leaves_the_previous_site_as_it_was(site, data, tmp_path):
    """The PDF is the last step: when it cannot be made, the old site must still be whole."""
    out = tmp_path / "html"
    shutil.copytree(site, out)
    before = site_files(out)
    changed = tmp_path / "policy_data"  # so that a new site would differ from the old one
    shutil.copytree(data, changed)
    school = changed / "school.yaml"
    school.write_text(school.read_text(encoding="utf-8").replace("$5", "$6"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "policybook", "build", "--data", str(changed), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "POLICYBOOK_CHROMIUM": str(tmp_path / "no-chromium-here")},
        timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Chromium" in result.stderr and "--no-pdf" in result.stderr
    assert site_files(out) == before
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["html", "policy_data"], f"a half-made site was left: {left}"


def test_a_missing_settings_file_is_named_with_how_to_restore_it(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BASE_CONFIG", tmp_path / "_config.yml")
    with pytest.raises(CommandError) as refused:
        build.build_site(POLICY_DATA, tmp_path / "out", stage_dir=tmp_path / "stage", pdf=False)
    assert "_config.yml is missing" in str(refused.value)
    assert "git checkout -- _config.yml" in str(refused.value)
    assert not (tmp_path / "out").exists()
