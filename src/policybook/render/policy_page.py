"""The current policy in full, with its dates and a printable PDF."""

from __future__ import annotations

from policybook.model import Policy, Version
from policybook.render import names
from policybook.render.page import Page
from policybook.render.text import escape_markdown, html_link, long_date
from policybook.render.version_text import version_body


def version_details(version: Version) -> list[str]:
    """When a version applies and who approved it, as a short list."""
    approved = escape_markdown(version.approved_by) if version.approved_by else "not recorded"
    if version.approved_on:
        approved += f", on {long_date(version.approved_on)}"
    return [
        f"- **Effective from:** {long_date(version.effective)}",
        f"- **Next review:** {long_date(version.next_review)}",
        f"- **Approved by:** {approved}",
    ]


def render_policy(policy: Policy) -> Page:
    version = policy.current
    lines = [
        f"# {escape_markdown(version.title)}",
        "",
        f"{escape_markdown(version.date_label)}",
        "",
        *version_details(version),
        "",
        "```{container} page-actions",
        html_link(names.pdf_file(version), "Download this policy as a PDF (A4)"),
        f"· [Updates to this policy]({names.UPDATES}.md)",
        "```",
        "",
        version_body(version),
        "",
    ]
    return Page(names.POLICY, "The policy", "\n".join(lines))
