"""The version history: "Updates to this policy" and a "What changed" page per version.

Modelled on GOV.UK's "Updates to this page": newest first, a date and one
plain sentence each, and a link to the detail. The detail comes from
`policybook.diff`, the same comparison staff review before they publish.
"""

from __future__ import annotations

from collections.abc import Callable

from policybook.diff import ClauseChange, diff_versions, render_markdown
from policybook.model import Policy, Version
from policybook.render import names
from policybook.render.page import Page
from policybook.render.text import escape_markdown, long_date


def previous_published(policy: Policy, version: Version) -> Version | None:
    """The published version this one replaced, if any."""
    earlier = [v for v in policy.published if v.id < version.id]
    return earlier[-1] if earlier else None


def version_page(policy: Policy, version: Version) -> str:
    """The page (name without extension) where a version's clauses are read."""
    return names.POLICY if version.id == policy.current.id else names.archive_page(version)


def where_to_read(policy: Policy, version: Version) -> str:
    page = version_page(policy, version)
    if version.id == policy.current.id:
        return f"[Read this version (the current policy)]({page}.md)."
    return f"[Read this version]({page}.md). It is no longer current."


def clause_link(policy: Policy, before: Version, after: Version) -> Callable[[ClauseChange], str]:
    """Link a changed clause to where it is read: the new version, or the old one if removed."""

    def link(clause: ClauseChange) -> str:
        version = after if clause.new is not None else before
        return f"{version_page(policy, version)}.html#{clause.clause_id}"

    return link


def render_changes(policy: Policy, version: Version) -> Page:
    """What changed in `version` compared with the version before it."""
    label = escape_markdown(version.date_label)
    lines = [
        f"# What changed in the {label} version",
        "",
        f"Effective from {long_date(version.effective)}. {where_to_read(policy, version)}",
        "",
    ]
    if version.summary_of_changes:
        lines += [f"**In short:** {escape_markdown(version.summary_of_changes)}", ""]
    before = previous_published(policy, version)
    if before is None:
        lines += [
            "This is the first published version of the policy, so there is no earlier "
            "version to compare it with.",
            "",
        ]
    else:
        diff = diff_versions(before, version)
        link = clause_link(policy, before, version)
        lines += [render_markdown(diff, heading_level=2, clause_link=link), ""]
    return Page(
        names.changes_page(version), f"What changed: {version.date_label}", "\n".join(lines)
    )


def render_updates(policy: Policy) -> Page:
    """Every published version, newest first: date, summary, link to what changed."""
    lines = [
        "# Updates to this policy",
        "",
        "Each change to the policy, newest first.",
        "",
    ]
    for version in reversed(policy.published):
        summary = escape_markdown(version.summary_of_changes or "No summary given.")
        lines += [
            f"- **{long_date(version.effective)}** ({escape_markdown(version.date_label)} "
            f"version): {summary} [What changed in {escape_markdown(version.date_label)}]"
            f"({names.changes_page(version)}.md)",
        ]
    lines.append("")
    children = tuple(render_changes(policy, v) for v in reversed(policy.published))
    return Page(names.UPDATES, "Updates to this policy", "\n".join(lines), children)
