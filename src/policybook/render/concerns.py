""" "Raising concerns": who to contact (a mailto link) and what the school then does.

The school's words come from the current version's concerns section (the
section with id `concerns`), so this page and the policy never disagree.
"""

from __future__ import annotations

from policybook.model import Policy, Section
from policybook.render import names
from policybook.render.page import Page
from policybook.render.text import escape_markdown, inline
from policybook.render.version_text import clauses_markdown

CONCERNS_SECTION = "concerns"


def concerns_section(policy: Policy) -> Section | None:
    for section in policy.current.sections:
        if section.id == CONCERNS_SECTION:
            return section
    return None


def render_concerns(policy: Policy) -> Page:
    school = policy.school
    email = school.office_email
    lines = [
        "# Raising concerns",
        "",
        "If you are worried about a message in a class or year group, tell the school in "
        "confidence.",
        "",
        "```{container} contact-box",
        f"**Email the school office:** [{escape_markdown(email)}](mailto:{email})",
        "```",
        "",
        "## Group moderators",
        "",
        inline(school.moderators),
        "",
    ]
    section = concerns_section(policy)
    if section is not None:
        lines += [
            "## What the policy says",
            "",
            clauses_markdown(section.clauses, anchors=False),
            "",
            f"This is part of [the policy]({names.POLICY}.md).",
            "",
        ]
    return Page(names.CONCERNS, "Raising concerns", "\n".join(lines))
