"""Browser fixtures: one built handbook per session, served on 127.0.0.1, one chromium.

Building takes seconds, so the site is built ONCE per session (with the PDF)
and every browser test reads it. `open_page(url)` gives a page plus a log of
what it requested, what failed and what it printed as errors; `axe_violations`
runs axe-core (from node_modules, injected into the page) with the WCAG 2.2
AA tags and best practices. The self-check's tests reuse all of these.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.browser import chromium, serve_directory

from policybook.build import build_site

REPO = Path(__file__).resolve().parents[2]
#: The data the session's site is built from: policy_data/, or $POLICYBOOK_DATA if set
#: (the same variable the self-check widget reads).
POLICY_DATA = Path(os.environ.get("POLICYBOOK_DATA") or REPO / "policy_data")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: axe tags for WCAG 2.2 level AA, plus axe's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


@dataclass
class PageLog:
    """What one page did while it loaded and ran."""

    origin: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bytes_loaded: dict[str, int] = field(default_factory=dict)

    @property
    def external(self) -> list[str]:
        """Requests that left the site (data: and blob: URLs stay on the device)."""
        local = (self.origin, "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(local)]

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes_loaded.values())

    def problems(self) -> list[str]:
        return (
            [f"external request: {u}" for u in self.external]
            + [f"failed: {u}" for u in self.failed]
            + [f"console error: {e}" for e in self.console_errors]
        )


def build_into(out_dir: Path, data_dir: Path = POLICY_DATA, *, pdf: bool = True) -> Path:
    """Build the handbook for `data_dir` into `out_dir` (fresh staging, nothing shared)."""
    build_site(data_dir, out_dir, pdf=pdf, log=lambda message: None)
    return out_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook built from the project's policy_data/, once per session."""
    return build_into(tmp_path_factory.mktemp("handbook") / "html")


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of `built_site` served on 127.0.0.1."""
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


class PageOpener:
    """Opens pages in fresh browser contexts, each with a `PageLog`; `close()` ends them all."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts: list = []

    def __call__(
        self,
        url: str,
        width: int = 1280,
        height: int = 900,
        init_script: str | None = None,
        **context_options,
    ):
        """(page, log) for `url`, loaded and idle, in a `width` x `height` window.

        `init_script` runs before the page's own scripts (to imitate an older browser).
        """
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, **context_options
        )
        if init_script:
            context.add_init_script(init_script)
        self.contexts.append(context)
        page = context.new_page()
        log = PageLog("/".join(url.split("/")[:3]))
        page.on("request", lambda request: log.requests.append(request.url))
        page.on("requestfailed", lambda request: log.failed.append(request.url))
        page.on("response", lambda response: _record_response(log, response))
        page.on("console", lambda message: _record_console(log, message))
        page.on("pageerror", lambda error: log.console_errors.append(str(error)))
        page.goto(url, wait_until="networkidle")
        return page, log

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.fixture
def open_page(browser) -> Iterator[PageOpener]:
    """`open_page(url, width=1280)` -> (page, log), the page loaded and idle."""
    opener = PageOpener(browser)
    yield opener
    opener.close()


def _record_console(log: PageLog, message) -> None:
    if message.type == "error":
        log.console_errors.append(message.text)


def _record_response(log: PageLog, response) -> None:
    if response.status >= 400:
        log.failed.append(f"{response.url} (HTTP {response.status})")
        return
    try:
        log.bytes_loaded[response.url] = len(response.body())
    except Exception:  # noqa: BLE001 - a redirect or aborted body has no size to count
        log.bytes_loaded.setdefault(response.url, 0)


def run_axe(page, tags: tuple[str, ...] = AXE_TAGS) -> list[dict]:
    """axe-core's violations on the page as it is now (each: id, help, nodes' targets)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        list(tags),
    )


@pytest.fixture
def axe_violations() -> Callable[..., list[dict]]:
    """`axe_violations(page)` -> axe's violations (empty when the page passes)."""
    return run_axe


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in violations
    )
