"""SelfCheckWidget: the anywidget class behind the Jupyter and Voila self-check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from support.cli import POLICY_DATA

from policybook.errors import PolicyDataError
from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.rules import load_rules
from policybook.widget import DATA_DIR_ENV, SelfCheckWidget, handbook_policy_url

FINE = "Reminder: PE kits on Thursday this week, and the library books are due back on Friday."


def _result(pack: dict, text: str) -> tuple[str, list[str]]:
    result = check_message(pack, text).to_dict()
    return result["verdict"], list(dict.fromkeys(f["category"] for f in result["findings"]))


def _flagged_example(pack: dict) -> str:
    """A message the school's own rule examples say is flagged."""
    for rule in load_rules(load_policy(POLICY_DATA)).rules:
        for example in rule.data.get("examples", {}).get("flag", []):
            if _result(pack, example["text"])[0] != "ok":
                return example["text"]
    raise AssertionError("the rules have no flagged example to test with")


def test_front_end_is_one_module_with_no_relative_imports() -> None:
    esm = str(SelfCheckWidget._esm)
    assert "export default" in esm
    assert not re.search(r"""from\s*["']\.\.?/""", esm), "anywidget cannot resolve ./ imports"


def test_from_policy_carries_the_compiled_rule_pack() -> None:
    widget = SelfCheckWidget.from_policy(POLICY_DATA)
    assert widget.rule_pack == compile_rule_pack(load_policy(POLICY_DATA))
    assert widget.handbook_url == "", "no public handbook address: no links to a missing page"
    assert (widget.text, widget.verdict, widget.categories) == ("", "ok", [])


def test_a_draft_set_from_python_is_checked_by_the_python_engine() -> None:
    widget = SelfCheckWidget.from_policy(POLICY_DATA)
    flagged = _flagged_example(widget.rule_pack)

    widget.text = flagged
    assert (widget.verdict, widget.categories) == _result(widget.rule_pack, flagged)
    assert widget.verdict in {"caution", "stop"} and widget.categories

    widget.text = FINE
    assert (widget.verdict, widget.categories) == ("ok", [])


def test_repr_is_stable_for_nbval() -> None:
    first, second = (
        SelfCheckWidget.from_policy(POLICY_DATA),
        SelfCheckWidget.from_policy(POLICY_DATA),
    )
    assert repr(first) == repr(second) == "SelfCheckWidget(verdict='ok', categories='none')"
    first.text = _flagged_example(first.rule_pack)
    assert "0x" not in repr(first) and first.verdict in repr(first)


def test_data_folder_comes_from_the_environment(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = data_copy / "school.yaml"
    settings = yaml.safe_load(school.read_text())
    settings["site"]["base_url"] = "https://handbook.example.org/before-you-post/"
    school.write_text(yaml.safe_dump(settings))
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))

    widget = SelfCheckWidget.from_policy()

    assert widget.handbook_url == "https://handbook.example.org/before-you-post/policy.html"
    assert widget.rule_pack == compile_rule_pack(load_policy(data_copy))


def test_bad_policy_data_is_reported_not_hidden(data_copy: Path) -> None:
    (data_copy / "school.yaml").write_text("name: [unclosed\n")
    with pytest.raises(PolicyDataError):
        SelfCheckWidget.from_policy(data_copy)


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("", ""),
        ("https://example.org/handbook", "https://example.org/handbook/policy.html"),
        ("https://example.org/handbook/", "https://example.org/handbook/policy.html"),
    ],
)
def test_clause_links_point_at_the_handbook_policy_page(base_url: str, expected: str) -> None:
    assert handbook_policy_url(base_url) == expected
