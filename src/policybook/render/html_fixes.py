"""Accessibility fixes to the theme's markup that its templates give no hook for.

Furo marks both sidebars as `<aside>` without a name, so a screen reader's
landmark list shows two identical "complementary" entries (axe:
landmark-unique). The opening tags are not in any template block, so they
are named here, after the build, on every page.
"""

from __future__ import annotations

from pathlib import Path

from policybook.errors import CommandError

#: (tag as the theme writes it, the same tag with an accessible name)
LANDMARK_NAMES = (
    ('<aside class="sidebar-drawer">', '<aside class="sidebar-drawer" aria-label="Site menu">'),
    ('<aside class="toc-drawer', '<aside aria-label="On this page" class="toc-drawer'),
)


def name_landmarks(html: str, page: str) -> str:
    for theirs, ours in LANDMARK_NAMES:
        if theirs not in html and ours not in html:
            raise CommandError(
                f"{page}: the theme no longer writes {theirs!r}; the theme was upgraded, so "
                "update LANDMARK_NAMES in policybook/render/html_fixes.py to match it"
            )
        html = html.replace(theirs, ours)
    return html


def fix_site(out_dir: Path) -> None:
    """Apply the fixes to every page of a built site (safe to run twice)."""
    for path in sorted(out_dir.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        fixed = name_landmarks(text, path.name)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
