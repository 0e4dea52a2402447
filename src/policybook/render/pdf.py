"""Print the built policy page to an A4 PDF with Chromium, offline, at build time.

The PDF is the page itself printed with the handbook's print stylesheet, so
the paper copy and the web page cannot drift apart. Chromium stamps the time
and a random document id into every PDF; both are replaced (byte for byte,
same length, so the PDF's offsets stay valid) with values derived from the
version, so an unchanged policy gives an unchanged PDF.
"""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from policybook.chromium import CHROMIUM, CHROMIUM_ARGS
from policybook.errors import CommandError
from policybook.model import Version

FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;font-family:sans-serif;">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")
PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")


def print_to_pdf(html_file: Path, pdf_file: Path, version: Version) -> None:
    """Print `html_file` (a built page) to `pdf_file` on A4."""
    if not Path(CHROMIUM).exists():
        raise CommandError(
            f"making the PDF needs Chromium, which is not at {CHROMIUM}: run `make system-deps` "
            "(installs Debian's chromium), set POLICYBOOK_CHROMIUM to its path, or build "
            "with --no-pdf"
        )
    try:
        import playwright.sync_api  # noqa: F401 - checked here so the message can say how to fix
    except ImportError:
        raise CommandError(
            "making the PDF needs the Python package playwright: run `make setup`, "
            "or build with --no-pdf"
        ) from None
    # Playwright's sync API refuses to run where an event loop is already running (a caller
    # that drives its own browser, such as the test suite): a thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        data = pool.submit(_print, html_file).result()
    pdf_file.write_bytes(stable_pdf(data, version))


def _print(html_file: Path) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(html_file.resolve().as_uri(), wait_until="load")
                return page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                    margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise CommandError(
            f"Chromium could not print {html_file} to PDF: {exc}; build with --no-pdf to skip it"
        ) from None


def stable_pdf(data: bytes, version: Version) -> bytes:
    """Replace Chromium's time stamps and random id with ones fixed by the version."""
    stamp = version.effective or version.approved_on
    digits = stamp.strftime("%Y%m%d000000").encode() if stamp else b"20000101000000"

    def fixed_date(match: re.Match[bytes]) -> bytes:
        original = match.group(0)
        replacement = b"/" + match.group(1) + b" (D:" + digits
        return replacement + original[len(replacement) :]

    def fixed_id(match: re.Match[bytes]) -> bytes:
        seed = hashlib.sha256((version.id + version.content_hash).encode()).hexdigest().upper()
        first = seed[: len(match.group(1))].encode()
        second = seed[: len(match.group(2))].encode()
        return b"/ID [<" + first + b"> <" + second + b">]"

    return PDF_ID.sub(fixed_id, PDF_DATE.sub(fixed_date, data))
