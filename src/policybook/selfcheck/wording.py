"""The wording check: a second look at messages the rules let through.

Rules catch the wordings someone thought of. Parents find new ones ("funny how
the same three kids always get the parts 🙄"), so the pack also carries word
weights learned from labelled messages (`policybook train-wording`): for each
word and pair of neighbouring words, how much it tips a message towards "broke
the policy" (logistic regression, in hundredths, so both engines add whole
numbers and agree exactly).

A message the rules pass is flagged when its words add up past the pack's
threshold, it mentions someone or something at school (`about_school`: most
fine posts elsewhere never mention a teacher or a class), and it has no kind
word (`kind_words`: thanks and get-well wishes are left to the rules). The
finding names the category whose own weights score highest, quotes the
sentence that weighs most, and is always a `caution`: a second thought, not a
stop.

It also looks the other way: when the rules only ask for a second thought
(`caution`) about a message about school, and the words of the sentences they
flagged add up below the pack's `clear_below`, the cautions are dropped (only
those sentences count, so a long friendly message does not clear a barb in
one of them). Cautions of a category in `never_clear` (swearing, defamation) always stand.
Both limits are chosen by cross-validation when the weights are
learned (wording_training.py). widgets/engine.js does the same sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policybook.selfcheck.tokens import Tokens
from policybook.selfcheck.wordlists import front_decode

#: What a capitalised word that is not a common word counts as: names never carry weight
#: of their own ("Poppy" is not a grievance), only their place ("<name> always").
NAME = "<name>"
MENTION = "<mention>"


def applies(words: list[str], about_school: frozenset[str], kind_words: frozenset[str]) -> bool:
    """Does the check look at a message with these (folded) words? Only if it mentions
    someone or something at school, and has no kind word ("thanks", "lovely"): thanks and
    get-well wishes are left to the rules, sarcasm and all."""
    return not about_school.isdisjoint(words) and kind_words.isdisjoint(words)


def feature_words(tokens: Tokens, common: frozenset[str]) -> list[str]:
    """Each token as the word the weights know it by."""
    return [
        MENTION if mention else NAME if cap and text.isalpha() and text not in common else text
        for text, cap, mention in zip(tokens.texts, tokens.caps, tokens.mentions, strict=True)
    ]


def features_by_sentence(words: list[str], sentences: list[int]) -> dict[int, set[str]]:
    """Each sentence's features: its words and each pair of neighbouring words ("is always")."""
    found: dict[int, set[str]] = {}
    for index, word in enumerate(words):
        sentence = found.setdefault(sentences[index], set())
        sentence.add(word)
        if index and sentences[index - 1] == sentences[index]:
            sentence.add(f"{words[index - 1]} {word}")
    return found


@dataclass(frozen=True)
class WordingFinding:
    category: str
    first: int  # token indexes of the quote, inclusive
    last: int


class WordingModel:
    """The pack's `wording` section made ready to score (see compile.py for its format)."""

    def __init__(self, section: dict[str, Any], common: frozenset[str]):
        self.common = common
        self.threshold: int = section["threshold"]
        self.clear_below: int = section["clear_below"]
        self.bias: int = section["bias"]
        self.about_school = frozenset(section["about_school"].split(" "))
        self.kind_words = frozenset(section["kind_words"].split(" "))
        self.never_clear = frozenset(section.get("never_clear", "").split())
        names = front_decode(section["features"], "\n")
        self.weights = dict(zip(names, section["weights"], strict=True))
        self.categories: list[tuple[str, int, dict[str, int]]] = [
            (entry["category"], entry["bias"], _pairs(names, entry["weights"]))
            for entry in section["categories"]
        ]
        self.texts: dict[str, dict[str, str]] = section["texts"]

    def score(self, features: set[str]) -> int:
        weights = self.weights
        return self.bias + sum(weights.get(feature, 0) for feature in features)

    def reads_fine(self, tokens: Tokens, flagged: set[int], categories: set[str]) -> bool:
        """Do the `flagged` sentences of a message about school read so plainly fine that
        the rules' cautions about them (in `categories`) are dropped? (The engines never
        drop a `stop`, nor a caution of a `never_clear` category.)"""
        if self.about_school.isdisjoint(tokens.texts) or not self.never_clear.isdisjoint(
            categories
        ):
            return False
        by_sentence = self._by_sentence(tokens)
        features = set().union(*(by_sentence.get(s, ()) for s in flagged))  # a `?` skips one
        return self.score(features) < self.clear_below

    def _by_sentence(self, tokens: Tokens) -> dict[int, set[str]]:
        return features_by_sentence(feature_words(tokens, self.common), tokens.sentences)

    def check(self, tokens: Tokens) -> WordingFinding | None:
        """The finding for a message the rules passed, or None if it reads as fine."""
        if not applies(tokens.texts, self.about_school, self.kind_words):
            return None
        by_sentence = self._by_sentence(tokens)
        features = set().union(*by_sentence.values())
        if self.score(features) < self.threshold:
            return None
        category = max(
            self.categories,
            key=lambda entry: entry[1] + sum(entry[2].get(f, 0) for f in features),
        )[0]  # `max` keeps the first of equals: the pack's category order breaks ties
        return WordingFinding(category, *self._quote(tokens.sentences, by_sentence))

    def _quote(self, sentences: list[int], by_sentence: dict[int, set[str]]) -> tuple[int, int]:
        """The sentence whose words weigh most (the first of equals): the check judges
        wording as a whole, so it quotes a whole sentence rather than single words."""
        weights = self.weights
        best = max(by_sentence, key=lambda s: (sum(weights.get(f, 0) for f in by_sentence[s]), -s))
        first = sentences.index(best)
        return first, first + sentences.count(best) - 1  # sentence numbers never go down


def _pairs(names: list[str], flat: list[int]) -> dict[str, int]:
    """`[index gap, weight, index gap, weight, ...]` -> feature -> weight (each gap is
    counted from the index before, starting at 0)."""
    pairs: dict[str, int] = {}
    index = 0
    for i in range(0, len(flat), 2):
        index += flat[i]
        pairs[names[index]] = flat[i + 1]
    return pairs
