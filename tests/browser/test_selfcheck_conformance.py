"""The JavaScript engine in Chromium gives exactly the Python engine's verdicts and findings.

Chromium runs the handbook's own copy of engine.js on the rulepack.json the
handbook serves. The drafts: every rule example, read live from the rules the
site was built from, and the hand-written inputs in tests/vectors/ (emoji,
invisible characters, HTML, names, very long text), where JS and Python strings
differ most. The expected results are what the Python engine says now: nothing
is stored, so nothing needs regenerating when staff add a word. Run it on other
data with POLICYBOOK_DATA=DIR (the browser fixtures build the site from it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.cli import POLICY_DATA
from support.vectors import Case, cases, report

from policybook.loader import load_policy
from policybook.selfcheck.engine import check_message

pytestmark = pytest.mark.browser

#: The data `built_site` is built from (tests/browser/conftest.py reads the same variable).
DATA = Path(os.environ.get("POLICYBOOK_DATA") or POLICY_DATA)


def _check_in_chromium(page, pack: dict, texts: list[str]) -> list[dict]:
    """checkMessage from the handbook's own copy of engine.js, run inside the page.

    The results cross to Python as JSON text, so types come back exactly as
    JSON.stringify wrote them, the same as from node.
    """
    return json.loads(
        page.evaluate(
            """async ({pack, texts}) => {
                const { checkMessage } = await import('./selfcheck/engine.js');
                return JSON.stringify(texts.map((text) => checkMessage(pack, text)));
            }""",
            {"pack": pack, "texts": texts},
        )
    )


def _python(pack: dict, drafts: list[Case]) -> list[dict]:
    return [json.loads(json.dumps(check_message(pack, case.text).to_dict())) for case in drafts]


@pytest.fixture(scope="module")
def served_pack(built_site: Path) -> dict:
    return json.loads((built_site / "selfcheck" / "rulepack.json").read_text(encoding="utf-8"))


def test_chromium_matches_python_on_every_draft(served_pack, site_url, open_page) -> None:
    drafts = cases(load_policy(DATA))
    assert len(drafts) > 50
    page, _ = open_page(f"{site_url}/self-check.html")

    got = _check_in_chromium(page, served_pack, [case.text for case in drafts])
    expected = _python(served_pack, drafts)

    assert not report("chromium", drafts, expected, got), report("chromium", drafts, expected, got)
    assert any(result["findings"] for result in got), "no draft was flagged at all"
