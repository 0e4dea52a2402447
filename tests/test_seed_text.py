"""The September 2025 policy data says exactly what the school's policy says.

The seed (the policy as the school wrote it) is kept in tests/fixtures. We
rebuild the text of version 2025-09 from the loaded data and compare,
normalising only whitespace and bullet marks: every sentence must be there
word for word, in the seed's order, and nothing may be added.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import POLICY_DATA

from policybook.loader import load_policy
from policybook.model import Version

SEED = Path(__file__).parent / "fixtures" / "seed_policy.txt"
BULLET = re.compile(r"^\s*[-•*]\s+", re.MULTILINE)
SENTENCE_END = re.compile(r"(?<=[.;:])\s+")


def normalise(text: str) -> str:
    """Drop bullet marks and collapse every run of whitespace to one space."""
    return " ".join(BULLET.sub("", text).split())


def sentences(text: str) -> list[str]:
    """Sentences (and list items, which end in ';') of already-normalised text."""
    return [s for s in SENTENCE_END.split(text) if s]


def policy_text(version: Version) -> str:
    """The version's words in reading order: title, date, then each section and its clauses."""
    parts = [version.title, version.date_label]
    for section in version.sections:
        parts.append(section.title)
        parts += [clause.text for clause in section.clauses]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def seed() -> str:
    return normalise(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rebuilt() -> str:
    return normalise(policy_text(load_policy(POLICY_DATA).version("2025-09")))


def test_every_seed_sentence_is_in_the_data_word_for_word(seed, rebuilt):
    missing = [s for s in sentences(seed) if s not in rebuilt]
    assert not missing, "sentences of the seed missing from policy_data:\n" + "\n".join(missing)


def test_the_data_adds_nothing_and_keeps_the_seed_order(seed, rebuilt):
    assert rebuilt == seed


def test_the_seed_check_notices_a_changed_word(seed, rebuilt):
    """Guard against a check that always passes: one changed word must be caught."""
    altered = rebuilt.replace("political platform", "politics platform")
    assert altered != rebuilt
    assert [s for s in sentences(seed) if s not in altered] == [
        "The group is not a political platform for airing opinions on current affairs;"
    ]


def test_every_listed_item_is_its_own_clause():
    """Each bullet of the seed (guideline, expectation, activity, response) is one clause."""
    bullets = [
        normalise(line)
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if BULLET.match(line)
    ]
    version = load_policy(POLICY_DATA).version("2025-09")
    items = [clause.text for clause in version.clauses if clause.is_list_item]
    assert items == bullets
    assert len(items) == 3 + 4 + 6 + 7 + 5
