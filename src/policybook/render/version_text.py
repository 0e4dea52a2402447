"""The words of one version as MyST: sections, paragraphs and bullet lists.

Used for the current policy page and for every archived version, so both
read the same. Each clause starts with the `{clause}` role, which the
handbook's Sphinx extension turns into an HTML id that is exactly the
clause id (`policy.html#conduct.no-grievances`): the self-check and the
"in brief" list link to single guidelines that way.
"""

from __future__ import annotations

from policybook.model import Clause, Section, Version
from policybook.render.text import escape_markdown, inline


def clause_markdown(clause: Clause, *, anchors: bool = True) -> str:
    """One clause as a paragraph or a bullet, optionally carrying its id."""
    anchor = f"{{clause}}`{clause.id}` " if anchors else ""
    text = anchor + inline(clause.text)
    return f"- {text}" if clause.is_list_item else text


def clauses_markdown(clauses: tuple[Clause, ...], *, anchors: bool = True) -> str:
    """Clauses in order; consecutive list items form one bullet list."""
    blocks: list[str] = []
    for index, clause in enumerate(clauses):
        previous = clauses[index - 1] if index else None
        joined = previous is not None and previous.is_list_item and clause.is_list_item
        separator = "\n" if joined else "\n\n"
        if blocks:
            blocks.append(separator)
        blocks.append(clause_markdown(clause, anchors=anchors))
    return "".join(blocks)


def section_markdown(section: Section, *, level: int = 2, anchors: bool = True) -> str:
    heading = "#" * level + " " + escape_markdown(section.title)
    return heading + "\n\n" + clauses_markdown(section.clauses, anchors=anchors)


def version_body(version: Version, *, level: int = 2, anchors: bool = True) -> str:
    """Every section of `version`, headings at `level`."""
    return "\n\n".join(
        section_markdown(section, level=level, anchors=anchors) for section in version.sections
    )
