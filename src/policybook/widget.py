"""The self-check as a Jupyter widget, for notebooks and the Voila app.

The front end is the same ES module the static handbook page uses
(widgets/self_check.js, bundled with its JavaScript engine into one string):
the check runs in the browser. Python sends the rule pack and, if asked, a
draft to start from; the browser sends back only the verdict and categories,
never the typed message, so the parent's words stay on the page.
"""

from __future__ import annotations

import os
from pathlib import Path

import anywidget
import traitlets

from policybook.loader import load_policy
from policybook.widget_bundle import WIDGETS_DIR, widget_esm

#: policy_data/ of the repository this package was installed from.
REPO_DATA_DIR = WIDGETS_DIR.parent / "policy_data"
#: Set this to use another policy data folder (a copy, another school's data).
DATA_DIR_ENV = "POLICYBOOK_DATA"
#: The handbook page whose anchors are the clause ids.
POLICY_PAGE = "policy.html"


def default_data_dir() -> Path:
    """$POLICYBOOK_DATA if set, else the repository's policy_data/."""
    return Path(os.environ.get(DATA_DIR_ENV) or REPO_DATA_DIR)


def handbook_policy_url(base_url: str) -> str:
    """The published handbook's policy page, or "" (no links) if the school has no public site.

    A notebook or Voila page is not served next to the handbook, so a relative
    link would be broken; the finding still quotes the guideline in full.
    """
    if not base_url:
        return ""
    return f"{base_url.rstrip('/')}/{POLICY_PAGE}"


class SelfCheckWidget(anywidget.AnyWidget):
    """A draft box that tells a parent whether a message is fine to post."""

    _esm = widget_esm()

    rule_pack = traitlets.Dict().tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    handbook_url = traitlets.Unicode("").tag(sync=True)
    verdict = traitlets.Unicode("ok").tag(sync=True)
    categories = traitlets.List(traitlets.Unicode()).tag(sync=True)

    @classmethod
    def from_policy(cls, data_dir: Path | None = None, **kwargs: object) -> SelfCheckWidget:
        """A widget with the rule pack compiled from the school's policy data."""
        from policybook.selfcheck.compile import compile_rule_pack

        policy = load_policy(data_dir or default_data_dir())
        base_url = str(policy.school.site.get("base_url") or "")
        kwargs.setdefault("handbook_url", handbook_policy_url(base_url))
        return cls(rule_pack=compile_rule_pack(policy), **kwargs)

    @traitlets.observe("text", "rule_pack")
    def _check_in_python(self, _change: object) -> None:
        """Keep verdict/categories right for a draft set from Python, with no browser attached."""
        if not self.rule_pack:
            return
        from policybook.selfcheck.engine import check_message

        result = check_message(self.rule_pack, self.text)
        self.verdict = result.verdict
        self.categories = list(dict.fromkeys(f.category for f in result.findings))

    def __repr__(self) -> str:
        """Stable across runs (no object address), so nbval can compare notebook outputs."""
        categories = " ".join(self.categories) or "none"
        return f"SelfCheckWidget(verdict={self.verdict!r}, categories={categories!r})"
