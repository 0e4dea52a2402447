"""Load the self-check rules from `policy_data/rules/*.yaml` and check them.

Staff edit these files (add a word to a list, add an example), so every
mistake is reported with file, line and field and how to fix it: shape by
the JSON Schema `schema/rules.schema.json`; meaning here: unique rule ids,
clauses that exist in the current policy version, known @lists and
{placeholders}, and terms written in the small term language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policybook.errors import DataProblem, PolicyDataError
from policybook.model import Policy, Version
from policybook.schema_check import schema_problems
from policybook.selfcheck.terms import term_syntax_problem
from policybook.yaml_source import YamlDoc, read_yaml

RULES_DIR = "rules"
#: The wording check's learned weights, next to the rule files (made by `train-wording`).
WORDING_WEIGHTS = "wording_weights.json"
#: Placeholders a rule's explanation or suggestion may use, filled from school.yaml.
PLACEHOLDERS = ("office_email", "school_name", "school_short_name", "headteacher_title")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass
class RuleSource:
    """One rule as written, with the document it came from (for error lines)."""

    data: dict[str, Any]
    doc: YamlDoc
    where: tuple


@dataclass
class WordingSource:
    """The `wording:` section as written, and the weights `train-wording` learned for it."""

    data: dict[str, Any]
    doc: YamlDoc
    weights: dict[str, Any] | None  # None until `policybook train-wording` has run
    weights_path: Path


@dataclass
class RuleSet:
    rules: list[RuleSource] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)
    leet: dict[str, str] = field(default_factory=dict)
    confusables: dict[str, str] = field(default_factory=dict)
    symbols: dict[str, str] = field(default_factory=dict)
    wording: WordingSource | None = None


def _symbol_problems(doc: YamlDoc, symbols: dict[str, str]) -> list[DataProblem]:
    """An emoji read as a word: one non-ASCII character, one lowercase word."""
    problems = []
    for symbol, word in symbols.items():
        where = ("normalise", "symbols", symbol)
        if len(symbol) != 1 or ord(symbol) < 0x80:
            problems.append(
                doc.problem(
                    where,
                    f"'{symbol}' should be one emoji (a single character)",
                    'write one emoji per line, e.g. "🖕": middlefinger',
                )
            )
        if not (word.isascii() and word.isalpha() and word.islower()):
            problems.append(
                doc.problem(
                    where,
                    f"'{word}' should be one word in lowercase letters",
                    "write the word the rules list, e.g. middlefinger (no spaces or capitals)",
                )
            )
    return problems


def cited_version(policy: Policy) -> Version:
    """The version rules must cite: the current one, or the latest draft before any is published."""
    return policy.current if policy.published else policy.latest()


def rules_dir(policy: Policy) -> Path:
    return policy.data_dir / RULES_DIR


def load_rules(policy: Policy, *, read_weights: bool = True) -> RuleSet:
    """Every rule file, checked against the policy's current version; raise on any problem.

    `read_weights=False` leaves the wording check's learned weights unread: training
    makes them anew, so an old or broken weights file must not stop it."""
    folder = rules_dir(policy)
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise PolicyDataError(
            [
                DataProblem(
                    folder,
                    None,
                    "",
                    "there are no self-check rule files",
                    f"add rule files (*.yaml) to {folder}",
                )
            ]
        )
    problems: list[DataProblem] = []
    ruleset = RuleSet()
    list_docs: dict[str, tuple[YamlDoc, tuple]] = {}
    for path in paths:
        try:
            doc = read_yaml(path)
        except PolicyDataError as exc:
            problems += exc.problems
            continue
        shape = schema_problems(doc, "rules")
        if shape:
            problems += shape
            continue
        data = doc.data
        for name, items in data.get("lists", {}).items():
            if name in ruleset.lists:
                problems.append(
                    doc.problem(
                        ("lists", name),
                        f"the list '{name}' is defined twice",
                        "merge the two lists into one, or rename one of them",
                    )
                )
            ruleset.lists[name] = items
            list_docs[name] = (doc, ("lists", name))
        for index, rule in enumerate(data.get("rules", [])):
            ruleset.rules.append(RuleSource(rule, doc, ("rules", index)))
        ruleset.allow += data.get("allow", [])
        ruleset.common_words += data.get("common_words", [])
        ruleset.leet.update(data.get("normalise", {}).get("leet", {}))
        ruleset.confusables.update(data.get("normalise", {}).get("confusables", {}))
        symbols = data.get("normalise", {}).get("symbols", {})
        problems += _symbol_problems(doc, symbols)
        ruleset.symbols.update(symbols)
        if "wording" in data:
            if ruleset.wording is not None:
                problems.append(
                    doc.problem(
                        ("wording",),
                        "the wording check is set up twice "
                        f"(also in {ruleset.wording.doc.path.name})",
                        "keep one 'wording:' section and delete the other",
                    )
                )
            ruleset.wording = WordingSource(data["wording"], doc, None, folder / WORDING_WEIGHTS)
    if problems:
        raise PolicyDataError(problems)
    problems += _rule_problems(ruleset, policy)
    if ruleset.wording is not None:
        problems += _wording_problems(ruleset.wording, read_weights)
    for name, items in ruleset.lists.items():
        doc, where = list_docs[name]
        for index, term in enumerate(items):
            problems += _term_problems(term, ruleset, doc, where + (index,))
    if problems:
        raise PolicyDataError(problems)
    return ruleset


def _rule_problems(ruleset: RuleSet, policy: Policy) -> list[DataProblem]:
    problems: list[DataProblem] = []
    current = cited_version(policy)
    known_clauses = {c.id for c in current.clauses}
    seen: dict[str, RuleSource] = {}
    for source in ruleset.rules:
        rule, doc, where = source.data, source.doc, source.where
        if rule["id"] in seen:
            first = seen[rule["id"]]
            problems.append(
                doc.problem(
                    where + ("id",),
                    f"the rule id '{rule['id']}' is used twice (first in {first.doc.path.name} "
                    f"line {first.doc.line_of(first.where + ('id',))})",
                    "give this rule a new id; ids are never reused because findings cite them",
                )
            )
        seen.setdefault(rule["id"], source)
        if rule["clause"] not in known_clauses:
            problems.append(
                doc.problem(
                    where + ("clause",),
                    f"the clause '{rule['clause']}' does not exist in the current policy "
                    f"version ({current.id})",
                    "cite one of the clause ids in "
                    f"{current.path.name}, e.g. {_closest(rule['clause'], known_clauses)}",
                )
            )
        for key in ("explain", "suggest"):
            problems += _placeholder_problems(doc, where + (key,), rule[key])
        for role, terms in _rule_terms(rule):
            for index, term in enumerate(terms):
                problems += _term_problems(term, ruleset, doc, where + role + (index,))
    return problems


RETRAIN = "run `make wording` (policybook train-wording) to learn the weights again"


def wording_weights(ruleset: RuleSet) -> dict[str, Any] | None:
    """The learned weights, or None if there is no wording check; raise if never trained."""
    wording = ruleset.wording
    if wording is None:
        return None
    if wording.weights is None:
        problem = DataProblem(
            wording.weights_path, None, "", "the wording check has no learned weights", RETRAIN
        )
        raise PolicyDataError([problem])
    return wording.weights


def _placeholder_problems(doc: YamlDoc, where: tuple, text: str) -> list[DataProblem]:
    return [
        doc.problem(
            where,
            f"unknown placeholder '{{{name}}}'",
            "use one of: " + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
        )
        for name in PLACEHOLDER.findall(text)
        if name not in PLACEHOLDERS
    ]


def _wording_problems(wording: WordingSource, read_weights: bool) -> list[DataProblem]:
    """Read the learned weights, if any (into `wording.weights`), and check they fit."""
    doc, path = wording.doc, wording.weights_path
    problems: list[DataProblem] = []
    for category, texts in wording.data["categories"].items():
        for key in ("explain", "suggest"):
            problems += _placeholder_problems(
                doc, ("wording", "categories", category, key), texts[key]
            )
    if not read_weights or not path.exists():
        return problems  # not trained yet: `compile_rule_pack` says so; training needs none
    try:
        weights = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return problems + [DataProblem(path, line, "", f"not readable JSON ({exc})", RETRAIN)]
    required = ("threshold", "clear_below", "bias", "weights", "categories")
    missing = (
        [key for key in required if key not in weights] if isinstance(weights, dict) else required
    )
    if missing:
        return problems + [
            DataProblem(path, None, ", ".join(missing), "the weights file is incomplete", RETRAIN)
        ]
    for category in weights["categories"]:
        if category not in wording.data["categories"]:
            problems.append(
                doc.problem(
                    ("wording", "categories"),
                    f"the weights know the category '{category}', but it has no explanation here",
                    f"add '{category}:' with 'explain:' and 'suggest:' under wording: categories:",
                )
            )
    wording.weights = weights
    return problems


def _rule_terms(rule: dict[str, Any]) -> list[tuple[tuple, list[str]]]:
    out: list[tuple[tuple, list[str]]] = []
    if "terms" in rule:
        out.append((("terms",), rule["terms"]))
    if "near" in rule:
        out.append((("near", "target"), rule["near"]["target"]))
        out.append((("near", "cue"), rule["near"]["cue"]))
    if "except" in rule:
        out.append((("except",), rule["except"]))
    if "except_nearby" in rule:
        out.append((("except_nearby",), rule["except_nearby"]))
    return out


def _term_problems(term: str, ruleset: RuleSet, doc: YamlDoc, where: tuple) -> list[DataProblem]:
    """A term is fine if its @lists exist and its words use the term language."""
    for part in term.split():
        if part.startswith("@"):
            name = part[1:]
            if name not in ruleset.lists:
                return [
                    doc.problem(
                        where,
                        f"'{term}' uses the list '@{name}', which is not defined",
                        "define it under 'lists:' in a rules file, or fix the spelling; known "
                        "lists: " + ", ".join(sorted(ruleset.lists)),
                    )
                ]
            if len(term.split()) > 1 and any(len(t.split()) > 1 for t in ruleset.lists[name]):
                return [
                    doc.problem(
                        where,
                        f"'@{name}' holds phrases, so it can only be used as a whole term",
                        f"write '@{name}' on its own line, or use a list of single words",
                    )
                ]
    probe = " ".join("x" if p.startswith("@") else p for p in term.lower().split())
    why = term_syntax_problem(probe)
    if why:
        return [
            doc.problem(
                where,
                f"'{term}': {why}",
                "write whole words; use ? for one letter, * for any letters, | between "
                "alternatives for one word, (brackets) around alternatives of several words, "
                "<name> for a capitalised name, <cap> for any capitalised word, ^ for the "
                "start of the message",
            )
        ]
    return []


def _closest(wanted: str, known: set[str]) -> str:
    prefix = wanted.split(".")[0]
    same_section = sorted(k for k in known if k.startswith(prefix + "."))
    return (same_section or sorted(known))[0]
