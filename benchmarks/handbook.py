"""The handbook build: cold and warm build time, page count, and what each page weighs.

A page's weight is what a browser actually downloads to show it: the HTML
plus every stylesheet, script, icon, search index and data file it loads,
measured in Chromium against the built site served on 127.0.0.1. Raw bytes
are what the budget (300 KB a page) is about; gzip bytes are what a phone
would transfer from a server that compresses. Figures are printed, not
asserted: the tests hold the budget.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from support.browser import chromium, serve_directory  # noqa: E402

from policybook.build import build_site  # noqa: E402
from policybook.loader import load_policy  # noqa: E402
from policybook.render import names  # noqa: E402
from policybook.render.pdf import print_to_pdf  # noqa: E402

DATA = REPO / "policy_data"
WORK = REPO / ".bench" / "handbook"
BUDGET_KB = 300.0
#: The self-check page also loads the checker and its rule pack: its budget is 350 KB.
SELF_CHECK_BUDGET_KB = 350.0


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def build_times(stage: Path, out: Path) -> dict[str, float]:
    """Cold: fresh staging folder. Warm: the same folder again, nothing changed."""
    shutil.rmtree(stage, ignore_errors=True)
    quiet = {"pdf": False, "log": lambda message: None}
    cold = timed(lambda: build_site(DATA, out, stage_dir=stage, **quiet))
    warm = timed(lambda: build_site(DATA, out, stage_dir=stage, **quiet))
    version = load_policy(DATA).current
    pdf = timed(
        lambda: print_to_pdf(out / f"{names.POLICY}.html", out / names.pdf_file(version), version)
    )
    return {"cold build": cold, "warm build (no change)": warm, "PDF (Chromium print)": pdf}


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(page, files loaded, raw bytes, gzip bytes) for every HTML page, in Chromium."""
    rows = []
    with serve_directory(site) as base, chromium() as browser:
        for path in sorted(site.glob("*.html")):
            loaded: dict[str, bytes] = {}
            page = browser.new_page()
            page.on("response", lambda response, store=loaded: _keep_body(store, response))
            page.goto(f"{base}/{path.name}", wait_until="networkidle")
            page.close()
            raw = sum(len(body) for body in loaded.values())
            zipped = sum(len(gzip.compress(body, 9)) for body in loaded.values())
            rows.append((path.name, len(loaded), raw, zipped))
    return rows


def _keep_body(store: dict[str, bytes], response) -> None:
    try:
        store[response.url] = response.body()
    except Exception:  # noqa: BLE001 - a failed or redirected response has no body
        store.setdefault(response.url, b"")


def main() -> None:
    stage, out = WORK / "stage", WORK / "html"
    times = build_times(stage, out)
    weights = page_weights(out)
    print(f"Handbook built from {DATA.relative_to(REPO)}/ into {out.relative_to(REPO)}/")
    print(f"{'step':<28}{'seconds':>9}")
    for step, seconds in times.items():
        print(f"{step:<28}{seconds:>9.2f}")
    print(
        f"\npages: {len(weights)} (budget {BUDGET_KB:.0f} KB each, self-check "
        f"{SELF_CHECK_BUDGET_KB:.0f} KB; HTML plus all it loads)"
    )
    print(f"{'page':<26}{'files':>6}{'KB':>9}{'gzip KB':>9}  budget")
    for name, files, raw, zipped in weights:
        budget = SELF_CHECK_BUDGET_KB if name == "self-check.html" else BUDGET_KB
        verdict = "ok" if raw / 1024 <= budget else "OVER"
        print(f"{name:<26}{files:>6}{raw / 1024:>9.1f}{zipped / 1024:>9.1f}  {verdict}")
    heaviest = max(weights, key=lambda row: row[2])
    print(
        f"heaviest: {heaviest[0]} at {heaviest[2] / 1024:.1f} KB ({heaviest[3] / 1024:.1f} KB gzip)"
    )


if __name__ == "__main__":
    main()
