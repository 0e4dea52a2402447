"""File names of the handbook's pages, in one place so every link agrees.

Pages sit flat at the site root (index.html, policy.html, ...) so that a
relative link works the same from every page and from the self-check.
"""

from __future__ import annotations

from policybook.model import Version

HOME = "index"
POLICY = "policy"
SELF_CHECK = "self-check"
CONCERNS = "concerns"
UPDATES = "updates"
ARCHIVE = "archive"
#: Folder (at the site root, never `_static/`) that holds the self-check's scripts and rule pack.
SELF_CHECK_ASSETS = "selfcheck"


def changes_page(version: Version) -> str:
    return f"changes-{version.id}"


def archive_page(version: Version) -> str:
    return f"archive-{version.id}"


def pdf_file(version: Version) -> str:
    """The printable copy of a version, made at build time next to the pages."""
    return f"policy-{version.id}.pdf"
