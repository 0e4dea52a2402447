"""The self-check page: an introduction, then the checker's own HTML.

The checker (widgets/static_page.html and its scripts) belongs to the
self-check; this page only hosts it. The snippet goes in a raw HTML block
so Sphinx passes it through byte for byte.
"""

from __future__ import annotations

from policybook.model import Policy
from policybook.render import names
from policybook.render.page import Page
from policybook.render.text import escape_markdown


def raw_html_block(snippet: str) -> str:
    """A MyST raw block long enough that no backtick run in the snippet can close it."""
    longest = max(
        (len(run) for run in (line.strip() for line in snippet.split("\n")) if set(run) == {"`"}),
        default=0,
    )
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{raw}} html\n{snippet.rstrip()}\n{fence}"


def render_self_check(policy: Policy, snippet: str) -> Page:
    school = policy.school
    lines = [
        "# Check your message before you post",
        "",
        "Before you send a message to a class group, check it against "
        f"[{escape_markdown(school.short_name)}'s policy]({names.POLICY}.md). The check tells "
        "you if the message looks okay to post, and why if not. It is a helper, not a judge: "
        "you decide what to post.",
        "",
    ]
    lines += [raw_html_block(snippet), ""]
    return Page(names.SELF_CHECK, "Check your message", "\n".join(lines))
