"""Sphinx extension for the handbook: exact clause anchors and only the assets pages use.

Docutils rewrites every id it makes (`conduct.no-grievances` would become
`conduct-no-grievances`), but the self-check links findings to
`policy.html#<clause id>`. The `{clause}` role marks a paragraph or bullet
with its clause id and a transform puts that id, unchanged, on the element.

Jupyter Book's extensions add stylesheets for notebook output and code
highlighting; the handbook has neither, and a parent on a phone should not
pay for them, so they are dropped from every page (and Sphinx's search-word
highlighting from the self-check page).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from policybook.render import names

#: Stylesheets added by Jupyter Book's stack that no handbook page needs.
UNUSED_ASSETS = ("mystnb.", "pygments.css", "sphinx-design.")
#: Scripts the self-check page does not need: they highlight search words in a page's
#: text, and its text is the checker. Its rule pack needs the room (budget: 350 KB).
UNUSED_ON_SELF_CHECK = ("doctools.js", "sphinx_highlight.js")


class clause_anchor(nodes.Inline, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """Placeholder left by the `{clause}` role; removed by `PlaceClauseIds`."""


def clause_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """`{clause}`conduct.no-grievances``: give the enclosing paragraph or bullet this id."""
    return [clause_anchor(clause_id=text.strip())], []


class PlaceClauseIds(SphinxTransform):
    """Move each clause id onto its bullet (or paragraph), exactly as written."""

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        for anchor in list(self.document.findall(clause_anchor)):
            paragraph = anchor.parent
            holder = (
                paragraph.parent if isinstance(paragraph.parent, nodes.list_item) else paragraph
            )
            holder["ids"].insert(0, anchor["clause_id"])
            index = paragraph.index(anchor)
            paragraph.remove(anchor)
            following = paragraph[index] if index < len(paragraph) else None
            if isinstance(following, nodes.Text) and following.astext().startswith(" "):
                paragraph.replace(following, nodes.Text(following.astext().lstrip()))


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    unused = UNUSED_ASSETS + (UNUSED_ON_SELF_CHECK if pagename == names.SELF_CHECK else ())
    for key in ("css_files", "script_files"):
        files = context.get(key, [])
        context[key] = [f for f in files if not any(part in str(f) for part in unused)]


def show_email_addresses(app: Sphinx) -> None:
    """Write mailto links plainly: docutils "cloaks" them with entities and spans by default,
    which breaks copying the address and confuses some screen readers."""
    app.env.settings["cloak_email_addresses"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    # Jupyter Book always passes its comments setting; accept it (comments stay off).
    app.add_config_value("comments_config", {}, "html")
    app.add_node(clause_anchor)
    app.add_role("clause", clause_role)
    app.add_transform(PlaceClauseIds)
    app.connect("builder-inited", show_email_addresses)
    app.connect("html-page-context", drop_unused_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
