"""Earlier versions: an index, and one page per version marked "not the current version".

Archived pages keep every clause id as an anchor, so an old link to a
guideline still lands on the words that applied at the time.
"""

from __future__ import annotations

from datetime import timedelta

from policybook.model import Policy, Version
from policybook.render import names
from policybook.render.page import Page
from policybook.render.policy_page import version_details
from policybook.render.text import escape_markdown, long_date
from policybook.render.version_text import version_body


def replaced_by(policy: Policy, version: Version) -> Version | None:
    """The published version that took over from `version`."""
    later = [v for v in policy.published if v.id > version.id]
    return later[0] if later else None


def in_force(policy: Policy, version: Version) -> str:
    """ "1 September 2025 to 31 August 2026": the days this version applied."""
    successor = replaced_by(policy, version)
    start = long_date(version.effective)
    if successor is None or successor.effective is None:
        return f"from {start}"
    return f"from {start} to {long_date(successor.effective - timedelta(days=1))}"


def render_archived(policy: Policy, version: Version) -> Page:
    current = policy.current
    label = escape_markdown(version.date_label)
    lines = [
        f"# {label} version (not current)",
        "",
        "```{admonition} This is not the current version of the policy",
        ":class: not-current",
        f"It applied {in_force(policy, version)}. "
        f"[Read the current version ({escape_markdown(current.date_label)})]({names.POLICY}.md).",
        "```",
        "",
        f"**{escape_markdown(version.title)}**",
        "",
        *version_details(version),
        "",
        f"[What changed in this version]({names.changes_page(version)}.md)",
        "",
        version_body(version),
        "",
    ]
    return Page(names.archive_page(version), f"{version.date_label} (archived)", "\n".join(lines))


def render_archive(policy: Policy) -> Page:
    current = policy.current
    lines = [
        "# Earlier versions",
        "",
        f"The current policy is the [{escape_markdown(current.date_label)} version]"
        f"({names.POLICY}.md). Earlier versions are kept here so you can see what applied "
        "at the time. They are no longer in force.",
        "",
    ]
    if not policy.archived:
        lines += ["There are no earlier versions yet.", ""]
    for version in policy.archived:
        lines.append(
            f"- [{escape_markdown(version.date_label)} version]({names.archive_page(version)}.md): "
            f"applied {in_force(policy, version)}"
        )
    lines.append("")
    children = tuple(render_archived(policy, v) for v in policy.archived)
    return Page(names.ARCHIVE, "Earlier versions", "\n".join(lines), children)
