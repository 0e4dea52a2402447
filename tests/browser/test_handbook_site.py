"""The built handbook in a real browser, as a parent on a phone or a keyboard would use it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import POLICY_DATA, PageLog, PageOpener, describe_violations, run_axe
from test_seed_text import SEED, normalise, sentences

from policybook.loader import load_policy

pytestmark = pytest.mark.browser

#: Every page a reader can reach from the navigation, plus the search page.
PAGES = (
    "index.html",
    "policy.html",
    "self-check.html",
    "concerns.html",
    "updates.html",
    "changes-2025-09.html",
    "archive.html",
    "search.html",
)
#: The most a page may weigh, HTML plus everything it loads. The self-check page also
#: loads the checker and its rule pack, and has its own, larger budget.
PAGE_BUDGET = 300 * 1024
SELF_CHECK_BUDGET = 350 * 1024
PHONE = 375
#: The screens every page is checked on: window options for each.
SCREENS = {
    "phone": {"width": PHONE},
    "desktop": {"width": 1280},
    "dark phone": {"width": PHONE, "color_scheme": "dark"},
}


def test_the_site_has_every_page(built_site):
    missing = [name for name in PAGES if not (built_site / name).is_file()]
    assert not missing, f"pages not built: {missing}"


@dataclass
class Visit:
    """One page as loaded at one screen width: its log, axe's verdict and its width."""

    log: PageLog
    violations: list[dict]
    widths: tuple[int, int]  # (content width, screen width)


@pytest.fixture(scope="module")
def visits(browser, site_url) -> Iterator[dict[tuple[str, str], Visit]]:
    """Every page opened once on a phone, once on a desktop screen, and (the handbook's own
    pages) once on a phone set to dark mode."""
    opener = PageOpener(browser)
    found = {}
    for name in PAGES:
        for screen, options in SCREENS.items():
            if screen == "dark phone" and name == "self-check.html":
                continue  # the checker's own colours are the self-check's to test
            page, log = opener(f"{site_url}/{name}", height=740, **options)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            found[name, screen] = Visit(log, run_axe(page), tuple(widths))
    yield found
    opener.close()


def test_every_page_loads_offline_with_no_failed_request_or_console_error(visits):
    problems = {key: v.log.problems() for key, v in visits.items() if v.log.problems()}
    assert not problems, f"pages with problems: {problems}"


def test_every_page_weighs_at_most_300_kb_with_everything_it_loads(visits):
    weights = {name: visits[name, "phone"].log.total_bytes for name in PAGES}
    assert all(weights.values()), f"nothing loaded for some page: {weights}"
    budgets = {
        name: SELF_CHECK_BUDGET if name == "self-check.html" else PAGE_BUDGET for name in PAGES
    }
    heavy = {name: (size, budgets[name]) for name, size in weights.items() if size > budgets[name]}
    assert not heavy, f"pages over budget [bytes, budget]: {heavy}"


def test_axe_finds_no_accessibility_violations_on_any_page(visits):
    found = {key: describe_violations(v.violations) for key, v in visits.items() if v.violations}
    assert not found, "axe violations:\n" + "\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_nothing_scrolls_sideways_on_a_375_px_phone(visits):
    too_wide = {name: visits[name, "phone"].widths for name in PAGES}
    too_wide = {name: w for name, w in too_wide.items() if w[0] > w[1]}
    assert not too_wide, f"pages wider than the screen [content, screen]: {too_wide}"


def test_every_seed_sentence_is_visible_on_the_current_policy_page(site_url, open_page):
    page, _ = open_page(f"{site_url}/policy.html")
    shown = normalise(page.inner_text("article"))
    lines = SEED.read_text(encoding="utf-8").splitlines()  # titles end without a full stop
    expected = [s for line in lines for s in sentences(normalise(line))]
    assert len(expected) > 40, "test setup: the seed text was not read"
    missing = [sentence for sentence in expected if sentence not in shown]
    assert not missing, "seed sentences not visible on policy.html:\n" + "\n".join(missing)


def test_a_link_to_a_clause_id_lands_on_that_guideline(site_url, open_page):
    policy = load_policy(POLICY_DATA)
    clause = policy.current.clause("conduct.no-grievances")
    page, _ = open_page(f"{site_url}/policy.html#{clause.id}", height=600)
    target = page.locator(f"[id='{clause.id}']")
    assert normalise(target.inner_text()) == clause.text
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 600, f"the guideline is not on screen: {box}"
    assert page.evaluate("document.querySelector(':target')?.id") == clause.id


def test_the_home_page_leads_to_the_self_check(site_url, open_page):
    page, _ = open_page(f"{site_url}/index.html", width=375, height=740)
    link = page.get_by_role("link", name="Check your message before you post")
    assert link.is_visible()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("/self-check.html")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Check your message")


def test_keyboard_alone_reaches_the_skip_link_and_the_self_check(site_url, open_page):
    page, _ = open_page(f"{site_url}/index.html")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first == "Skip to content"
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({text: document.activeElement.textContent.trim(),"
            " outline: getComputedStyle(document.activeElement).outlineStyle})"
        )
        if focused["text"] == "Check your message before you post":
            assert focused["outline"] != "none", "the focused link shows no focus ring"
            break
    else:
        pytest.fail("40 presses of Tab never reached the self-check link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/self-check\.html$"))


FOCUSED = """() => {
    const e = document.activeElement;
    const box = e.getBoundingClientRect();
    return {text: (e.getAttribute('aria-label') || e.textContent).trim().replace(/\\s+/g, ' '),
            left: box.left, right: box.right, visible: getComputedStyle(e).visibility};
}"""


def test_on_a_phone_tab_never_lands_on_something_off_screen(site_url, open_page):
    page, _ = open_page(f"{site_url}/policy.html", width=PHONE, height=740)
    hidden = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["right"] <= 0 or focused["left"] >= PHONE:
            hidden.append(focused["text"])
    assert not hidden, f"Tab reached things off the screen: {hidden}"


#: True once the phone menu (a drawer that slides in) is fully on screen.
DRAWER_ON_SCREEN = "document.querySelector('.sidebar-drawer').getBoundingClientRect().left >= 0"


def test_on_a_phone_the_menu_opens_and_works_by_keyboard(site_url, open_page):
    page, _ = open_page(f"{site_url}/index.html", width=PHONE, height=740)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Site menu"
    menu = page.get_by_role("button", name="Site menu")
    assert menu.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    # The menu slides in (a short CSS transition); wait until it is on screen.
    page.wait_for_function(DRAWER_ON_SCREEN)
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert 0 <= focused["left"] < PHONE, f"focus went off screen: {focused}"
        if focused["text"] == "Raising concerns":
            break
    else:
        pytest.fail("Tab never reached 'Raising concerns' in the open menu")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate(FOCUSED)["text"] == "Site menu"
    page.keyboard.press("Enter")
    page.wait_for_function(DRAWER_ON_SCREEN)  # a link still sliding in may not take focus
    page.get_by_role("link", name="Raising concerns").first.focus()
    assert page.evaluate(FOCUSED)["text"] == "Raising concerns"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/concerns\.html$"))


def test_site_search_finds_a_guideline_by_a_word_in_it(site_url, open_page):
    page, _ = open_page(f"{site_url}/index.html")
    search_box = page.get_by_role("textbox", name="Search")
    search_box.fill("grievances")
    search_box.press("Enter")
    page.wait_for_url(re.compile(r".*/search\.html\?q=grievances.*"))
    result = page.locator("#search-results a[href*='policy.html']").first
    result.wait_for(timeout=10_000)
    result.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/policy.html")
    assert "grievances" in page.inner_text("article")


def test_the_policy_prints_without_the_site_around_it(site_url, open_page):
    page, _ = open_page(f"{site_url}/policy.html")
    page.emulate_media(media="print")
    for hidden in (".sidebar-drawer", ".toc-drawer", ".mobile-header", ".related-pages"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} shows in print"
    assert page.locator("article h1").is_visible()


def test_the_policy_page_links_to_its_pdf(site_url, open_page, built_site):
    version = load_policy(POLICY_DATA).current
    page, _ = open_page(f"{site_url}/policy.html")
    link = page.get_by_role("link", name=re.compile("PDF"))
    href = link.get_attribute("href")
    assert href == f"policy-{version.id}.pdf"
    response = page.request.get(f"{site_url}/{href}")
    pdf = response.body()
    assert response.ok and pdf.startswith(b"%PDF-")
    # A4 is 595 x 842 points (Chromium rounds to whole pixels).
    assert re.search(rb"/MediaBox \[0 0 59[56]\.?\d* 84[123]\.?\d*\]", pdf), "not A4"
