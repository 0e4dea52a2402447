"""Small text helpers shared by every page: dates, escaping, links.

Policy text is written by staff, so it is always escaped before it goes
into Markdown: a stray `*`, `$` or `<` must show as itself, never start
emphasis, maths (which would pull MathJax from a CDN) or HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date

from policybook.diff import escape_markdown

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def long_date(day: date | None) -> str:
    """A date the GOV.UK way ("1 September 2025"): no ordinals, no ambiguity."""
    if day is None:
        return "not set"
    return f"{day.day} {day:%B %Y}"


def inline(text: str) -> str:
    """Policy text as MyST inline text, with any email address made a mailto link."""
    pieces = []
    last = 0
    for match in EMAIL.finditer(text):
        pieces.append(escape_markdown(text[last : match.start()]))
        address = match.group(0)
        pieces.append(f"[{escape_markdown(address)}](mailto:{address})")
        last = match.end()
    pieces.append(escape_markdown(text[last:]))
    return "".join(pieces)


def html_link(href: str, text: str, css_class: str = "") -> str:
    """A raw HTML link, for targets MyST would try to resolve itself.

    Links to a clause anchor (`policy.html#conduct.no-grievances`) or to a
    file made after Sphinx runs (the PDF) are not Sphinx documents, so they
    are written as plain HTML that Sphinx passes through untouched.
    """
    attributes = f'href="{html.escape(href)}"'
    if css_class:
        attributes += f' class="{html.escape(css_class)}"'
    return f"<a {attributes}>{escape_markdown(text)}</a>"


def trim_end(text: str) -> str:
    """A list item's text without its closing ';' or '.', for use in a sentence."""
    return text.rstrip(" ;.")
