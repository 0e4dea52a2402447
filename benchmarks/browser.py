"""The self-check in Chromium: check time over the dev corpus, a 100 KB paste, page weight.

Targets (reported, not asserted): a check takes at most 50 ms, even for a
100 KB paste; the self-check page with its scripts and rule pack weighs at most
350 KB. Check time is measured inside the page with performance.now(), each
message repeated so the browser's coarse timer (0.1 ms) still resolves it.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from support.browser import chromium, serve_directory  # noqa: E402

from policybook.build import build_site  # noqa: E402

CORPUS = Path("/work/shared/corpus/dev.jsonl")
SITE = REPO / ".bench" / "browser-site"
CHECK_TARGET_MS = 50.0
PAGE_BUDGET_KB = 350.0
REPEATS = 20
FALLBACK_MESSAGES = [
    "Reminder: PE kits on Thursday, library books due Friday.",
    "just me or is the new TA a bit useless?",
    "Does anyone know what time the coach gets back from the trip?",
]

TIME_ENGINE = """async ({texts, repeats}) => {
    const { checkMessage } = await import('./selfcheck/engine.js');
    const pack = await (await fetch('./selfcheck/rulepack.json')).json();
    for (const text of texts) checkMessage(pack, text);  // warm up the JIT
    return texts.map((text) => {
        const started = performance.now();
        for (let i = 0; i < repeats; i++) checkMessage(pack, text);
        return (performance.now() - started) / repeats;
    });
}"""


def corpus_texts() -> tuple[list[str], str]:
    if not CORPUS.exists():
        return FALLBACK_MESSAGES, "3 built-in messages (no dev corpus on this machine)"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    return texts, f"{len(texts)} messages of {CORPUS.name}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def paste_text() -> str:
    line = "Reminder: PE kits on Thursday. Is it just me or is the new TA a bit useless?\n"
    return (line * (100_000 // len(line) + 1))[:100_000]


def measure(page, base: str) -> dict[str, float]:
    texts, source = corpus_texts()
    times = page.evaluate(TIME_ENGINE, {"texts": texts, "repeats": REPEATS})
    big = paste_text()
    big_engine = page.evaluate(TIME_ENGINE, {"texts": [big], "repeats": 5})[0]

    before = int(page.get_attribute("[data-self-check]", "data-checks"))
    page.fill("[data-self-check] textarea", big)
    page.wait_for_function(
        "n => Number(document.querySelector('[data-self-check]').dataset.checks) > n", arg=before
    )
    big_widget = float(page.get_attribute("[data-self-check]", "data-check-ms"))
    return {
        "source": source,
        "median": statistics.median(times),
        "p99": percentile(times, 0.99),
        "max": max(times),
        "big_engine": big_engine,
        "big_widget": big_widget,
    }


def page_weight(browser, url: str) -> tuple[int, dict[str, int]]:
    """Bytes of every response the self-check page loads (HTML, CSS, scripts, rule pack)."""
    sizes: dict[str, int] = {}
    page = browser.new_page()
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("[data-self-check] textarea")
    page.close()
    return sum(sizes.values()), sizes


def main() -> None:
    build_site(REPO / "policy_data", SITE, pdf=False, log=lambda message: None)
    with serve_directory(SITE) as base, chromium() as browser:
        url = f"{base}/self-check.html"
        total, sizes = page_weight(browser, url)
        page = browser.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector("[data-self-check] textarea")
        figures = measure(page, base)
        page.close()

    pack = sum(size for u, size in sizes.items() if u.endswith("rulepack.json"))
    scripts = sum(size for u, size in sizes.items() if "/selfcheck/" in u and u.endswith(".js"))
    rows = [
        (
            "check time in Chromium, median",
            f"{figures['median']:.3f} ms",
            f"<= {CHECK_TARGET_MS} ms",
        ),
        ("check time in Chromium, p99", f"{figures['p99']:.3f} ms", f"<= {CHECK_TARGET_MS} ms"),
        ("check time in Chromium, slowest", f"{figures['max']:.3f} ms", ""),
        ("100 KB paste: engine", f"{figures['big_engine']:.1f} ms", f"<= {CHECK_TARGET_MS} ms"),
        ("100 KB paste: engine + redraw", f"{figures['big_widget']:.1f} ms", ""),
        ("self-check page weight, all", f"{total / 1024:.1f} KB", f"<= {PAGE_BUDGET_KB:.0f} KB"),
        ("  of which rule pack", f"{pack / 1024:.1f} KB", ""),
        ("  of which self-check scripts", f"{scripts / 1024:.1f} KB", ""),
    ]
    print(f"Self-check in Chromium over {figures['source']} ({REPEATS} runs each):")
    width = max(len(name) for name, _, _ in rows)
    for name, value, target in rows:
        print(f"  {name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
