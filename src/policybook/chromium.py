"""Where Debian's chromium is and how to start it: one place for the PDF step and the tests.

The flags keep a headless chromium quiet and offline: no background
networking, component updates or sync, and no sandbox (it runs as root in
CI). Set POLICYBOOK_CHROMIUM to use a chromium somewhere else.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("POLICYBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
