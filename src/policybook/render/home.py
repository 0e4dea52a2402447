"""The home page: what the groups are for, the policy in brief, and the way to the self-check."""

from __future__ import annotations

from policybook.model import Clause, Policy, Version
from policybook.render import names
from policybook.render.page import Page
from policybook.render.text import escape_markdown, html_link, inline, long_date, trim_end


def opening_paragraphs(version: Version) -> tuple[Clause, ...]:
    """The paragraphs that open the policy, before its first list: what the groups are for."""
    opening: list[Clause] = []
    for clause in version.sections[0].clauses if version.sections else ():
        if clause.kind != "paragraph":
            break
        opening.append(clause)
    return tuple(opening)


def in_brief(version: Version) -> list[str]:
    """The guidelines under their own lead-in, each a link to its place in the full policy."""
    clauses = version.clauses
    lines = []
    for index, clause in enumerate(clauses):
        if clause.kind != "guideline":
            continue
        if not lines:
            before = clauses[index - 1] if index else None
            lead = before.text if before and before.kind == "lead-in" else "The guidelines:"
            lines += [inline(lead), ""]
        lines.append(f"- {html_link(f'{names.POLICY}.html#{clause.id}', trim_end(clause.text))}")
    return lines


def render_home(policy: Policy) -> Page:
    version = policy.current
    school = policy.school
    title = school.site.get("title") or "Class group policy"
    lines = [f"# {escape_markdown(title)}", ""]
    lines += [
        f"How parents and carers at {escape_markdown(school.name)} use class and year "
        "WhatsApp groups.",
        "",
    ]
    for clause in opening_paragraphs(version):
        lines += [inline(clause.text), ""]
    lines += [
        "```{container} call-to-action",
        "**Not sure about a message?**",
        "",
        f"[Check your message before you post]({names.SELF_CHECK}.md). "
        "The check runs on your device: your message is not sent or stored anywhere.",
        "```",
        "",
        "## The policy in brief",
        "",
    ]
    brief = in_brief(version)
    if brief:
        lines += [*brief, ""]
    lines += [
        f"Read [the full policy]({names.POLICY}.md). In force from "
        f"{long_date(version.effective)}; next review by {long_date(version.next_review)}.",
        "",
        "## If you are worried about a message",
        "",
        "Contact the school in confidence at "
        f"[{escape_markdown(school.office_email)}](mailto:{school.office_email}). "
        f"See [raising concerns]({names.CONCERNS}.md) for what happens next.",
        "",
    ]
    return Page(names.HOME, "Home", "\n".join(lines))
