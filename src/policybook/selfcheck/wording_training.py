"""Learn the wording check's weights from labelled messages (`policybook train-wording`).

A word's weight says how much it tips a message towards "broke the policy"
(logistic regression, in hundredths of log-odds); the category a flagged message
is put in comes from simpler counts (naive Bayes: how many times more usual a word
is in that category's messages than in other problem messages).

The threshold is not guessed: five-fold cross-validation scores every fine
message with weights learned without it, and the threshold is the lowest score
that flags at most `false_alarm_budget` of the fine messages (counting only those
the check looks at and the rules pass: the budget is what the wording check ADDS
to the rules' false alarms). Training is deterministic: the same files give the same weights.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from policybook.selfcheck.engine import check_message, prepare
from policybook.selfcheck.tokens import tokenize
from policybook.selfcheck.wording import applies, feature_words, features_by_sentence

FOLDS = 5
#: Logistic regression: passes over the data, step size and how hard weights are pulled to 0.
EPOCHS = 20
RATE = 0.3
L2 = 1e-3
#: A feature must appear in this many training messages to get a weight.
MIN_COUNT = 3
#: Smaller weights (in hundredths) change few scores and are left out of the pack. 75
#: keeps the self-check page under its 350 KB (70 left 0.7 KB spare once the wording check
#: learned from 72 sets). Leaving each of 16 writers' sets out in turn gave recall 0.971
#: and false alarms 0.021 with 75, against 0.971 and 0.019 with 70, 0.970 and 0.018 with 60.
MIN_WEIGHT = 75


@dataclass(frozen=True)
class Example:
    features: frozenset[str]
    labels: tuple[str, ...]  # empty: fine to post
    rules_flag: bool  # the rules already flag it
    in_scope: bool  # the check looks at it: about school, no kind word (`WordingModel.applies`)
    # The rules flag it with cautions only, and it is about school: the wording may clear it.
    clearable: bool = False
    flagged: frozenset[str] = frozenset()  # the features of the sentences the rules flag
    is_test: bool = False  # a rule's or the check's own example: its verdict is a test


def log_odds(inside: Counter[str], outside: Counter[str], n_in: int, n_out: int) -> dict[str, int]:
    """Per feature: log of (share of `inside` messages with it) / (share of `outside`), x100,
    smoothed by one message each side."""
    weights = {}
    for feature in inside.keys() | outside.keys():
        if inside[feature] + outside[feature] < MIN_COUNT:
            continue
        ratio = (inside[feature] + 1) / (n_in + 2) / ((outside[feature] + 1) / (n_out + 2))
        weight = round(100 * math.log(ratio))
        if abs(weight) >= MIN_WEIGHT:
            weights[feature] = weight
    return weights


def _counts(examples: Iterable[Example], keep: Callable[[Example], bool]) -> tuple[Counter, int]:
    counts: Counter[str] = Counter()
    total = 0
    for example in examples:
        if keep(example):
            counts.update(example.features)
            total += 1
    return counts, total


def flag_weights(examples: Sequence[Example]) -> tuple[int, dict[str, int]]:
    """(bias, weights) of "broke the policy" against "fine": logistic regression.

    Unlike counting (naive Bayes), it learns weights together, so a long message of
    everyday words ("I'll be late for pickup, can someone tell Mr Pike I'm on my way?")
    does not add up to a breach word by word. AdaGrad steps in a fixed shuffled order:
    the same examples always give the same weights.
    """
    if all(e.labels for e in examples) or not any(e.labels for e in examples):
        raise ValueError("training needs messages of both kinds: some with labels, some fine")
    counts = Counter(f for e in examples for f in e.features)
    rows = [
        (sorted(f for f in e.features if counts[f] >= MIN_COUNT), 1.0 if e.labels else 0.0)
        for e in examples
    ]
    weights = dict.fromkeys(sorted(f for f, n in counts.items() if n >= MIN_COUNT), 0.0)
    squares = dict.fromkeys(weights, 1e-8)
    bias, bias_square = 0.0, 1e-8
    order = list(range(len(rows)))
    shuffler = random.Random(0)
    for _ in range(EPOCHS):
        shuffler.shuffle(order)
        for index in order:
            features, label = rows[index]
            z = bias + sum(weights[f] for f in features)
            error = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - label
            bias_square += error * error
            bias -= RATE * error / math.sqrt(bias_square)
            for f in features:
                step = error + L2 * weights[f]
                squares[f] += step * step
                weights[f] -= RATE * step / math.sqrt(squares[f])
    scaled = {f: round(100 * w) for f, w in weights.items()}
    return round(100 * bias), {f: w for f, w in scaled.items() if abs(w) >= MIN_WEIGHT}


def category_weights(examples: Sequence[Example], category: str) -> tuple[int, dict[str, int]]:
    """(bias, positive weights) of one category against the other problem messages."""
    problems = [e for e in examples if e.labels]
    inside, n_in = _counts(problems, lambda e: category in e.labels)
    outside, n_out = _counts(problems, lambda e: category not in e.labels)
    weights = {f: w for f, w in log_odds(inside, outside, n_in, n_out).items() if w > 0}
    return round(100 * math.log((n_in + 1) / (n_out + 1))), weights


def score(bias: int, weights: dict[str, int], features: Iterable[str]) -> int:
    return bias + sum(weights.get(feature, 0) for feature in features)


def fold_weights(examples: Sequence[Example]) -> list[tuple[int, dict[str, int]]]:
    """(bias, weights) learned without each fold in turn (fold = index mod 5)."""
    return [
        flag_weights([e for i, e in enumerate(examples) if i % FOLDS != fold])
        for fold in range(FOLDS)
    ]


def cross_validated_scores(
    examples: Sequence[Example],
    folds: Sequence[tuple[int, dict[str, int]]] | None = None,
    features_of: Callable[[Example], Iterable[str]] = attrgetter("features"),
) -> list[int]:
    """Each message's score from the weights learned without its fold."""
    folds = folds or fold_weights(examples)
    return [score(*folds[i % FOLDS], features_of(e)) for i, e in enumerate(examples)]


def choose_threshold(
    examples: Sequence[Example], scores: Sequence[int], budget: float
) -> tuple[int, int, int]:
    """(threshold, fine messages it would add as false alarms, fine messages counted), from
    cross-validated `scores`."""
    fine = [e for e in examples if not e.labels]
    open_scores = [
        s
        for s, e in zip(scores, examples, strict=True)
        if not e.labels and e.in_scope and not e.rules_flag
    ]
    open_scores.sort(reverse=True)
    allowed = math.floor(budget * len(fine))
    # Flag scores >= threshold: just above the (allowed + 1)-th highest fine score.
    threshold = open_scores[allowed] + 1 if allowed < len(open_scores) else min(scores)
    added = sum(1 for s in open_scores if s >= threshold)
    return threshold, added, len(fine)


def choose_clear_below(
    examples: Sequence[Example], scores: Sequence[int], budget: float
) -> tuple[int, int, int, int]:
    """(clear_below, problem messages it would let through, of those the rules catch, fine
    messages it would clear), from cross-validated scores of the flagged sentences: the
    highest score under which at most `budget` of the problem messages the rules catch
    are clearable and score lower."""
    caught = [e for e in examples if e.labels and e.rules_flag]
    clearable = sorted(s for s, e in zip(scores, examples, strict=True) if e.labels and e.clearable)
    allowed = math.floor(budget * len(caught))
    clear_below = clearable[allowed] if allowed < len(clearable) else max(scores) + 1
    lost = sum(1 for s in clearable if s < clear_below)
    cleared = sum(
        1
        for s, e in zip(scores, examples, strict=True)
        if not e.labels and e.clearable and s < clear_below
    )
    return clear_below, lost, len(caught), cleared


def train(
    examples: Sequence[Example], categories: Sequence[str], budget: float, clear_budget: float
) -> dict[str, Any]:
    """The weights file: bias, threshold, clear_below and weights, plus the category each
    weighted feature speaks for most (one per feature keeps the pack small)."""
    folds = fold_weights(examples)
    threshold, added, fine = choose_threshold(
        examples, cross_validated_scores(examples, folds), budget
    )
    flagged_scores = cross_validated_scores(examples, folds, attrgetter("flagged"))
    clear_below, lost, caught, cleared = choose_clear_below(examples, flagged_scores, clear_budget)
    bias, weights = flag_weights(examples)
    tested_threshold, tested_clear_below = _bound_by_examples(
        examples, bias, weights, threshold, clear_below
    )
    per_category = _category_per_feature(examples, categories, weights)
    return {
        "messages": len(examples),
        "problems": sum(1 for e in examples if e.labels),
        "cross_validated_false_alarms": {"added": added, "fine": fine},
        "cross_validated_clearing": {"cleared": cleared, "lost": lost, "caught": caught},
        "examples_moved_limits": {
            "threshold": [threshold, tested_threshold],
            "clear_below": [clear_below, tested_clear_below],
        },
        "threshold": tested_threshold,
        "clear_below": tested_clear_below,
        "bias": bias,
        "weights": dict(sorted(weights.items())),
        "categories": per_category,
    }


def _must_pass(example: Example) -> bool:
    """A fine example the wording check looks at on its own: it must not be flagged."""
    return example.is_test and not example.labels and example.in_scope and not example.rules_flag


def _must_stay(example: Example) -> bool:
    """A problem example the rules flag with cautions only: it must not be cleared."""
    return example.is_test and example.clearable and bool(example.labels)


def _bound_by_examples(
    examples: Sequence[Example],
    bias: int,
    weights: dict[str, int],
    threshold: int,
    clear_below: int,
) -> tuple[int, int]:
    """The limits moved just past any example that would change verdict: examples are
    tests, so no fine one may be flagged and no caught one cleared."""
    must_pass = [score(bias, weights, e.features) for e in examples if _must_pass(e)]
    must_stay = [score(bias, weights, e.flagged) for e in examples if _must_stay(e)]
    return (
        max(threshold, max(must_pass, default=threshold - 1) + 1),
        min(clear_below, min(must_stay, default=clear_below)),
    )


def examples_holding_limits(
    examples: Sequence[Example], trained: dict[str, Any]
) -> dict[str, list[int]]:
    """Per limit that the examples moved (see `train`), the indexes of the examples that
    moved it, furthest first: staff can reword such an example, or accept the limit."""
    bias, weights = trained["bias"], trained["weights"]
    chosen_threshold, _ = trained["examples_moved_limits"]["threshold"]
    chosen_clear_below, _ = trained["examples_moved_limits"]["clear_below"]
    flagged = [
        (-flag_score, i)
        for i, e in enumerate(examples)
        if _must_pass(e) and (flag_score := score(bias, weights, e.features)) >= chosen_threshold
    ]
    cleared = [
        (clear_score, i)
        for i, e in enumerate(examples)
        if _must_stay(e) and (clear_score := score(bias, weights, e.flagged)) < chosen_clear_below
    ]
    return {
        "threshold": [i for _, i in sorted(flagged)],
        "clear_below": [i for _, i in sorted(cleared)],
    }


def _category_per_feature(
    examples: Sequence[Example], categories: Sequence[str], weights: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """Per category: its bias and the weighted features it speaks for most (each feature
    goes to one category only, which keeps the pack small)."""
    learned = {}
    for category in categories:
        if not any(category in e.labels for e in examples):
            raise ValueError(f"no training message is labelled '{category}'")
        learned[category] = category_weights(examples, category)
    kept: dict[str, dict[str, int]] = {category: {} for category in categories}
    for feature in sorted(weights):
        best = max(categories, key=lambda category: learned[category][1].get(feature, 0))
        if learned[best][1].get(feature, 0) > 0:
            kept[best][feature] = learned[best][1][feature]
    return {c: {"bias": learned[c][0], "weights": kept[c]} for c in categories}


def examples_from(
    messages: Iterable[tuple[str, Sequence[str], bool]],
    pack: dict[str, Any],
    section: dict[str, Any],
) -> list[Example]:
    """Labelled messages (text, labels, is it an example that is a test) as the trainer sees
    them, read by the pack's own tokenizer and checked by its rules (the pack's wording
    section, if any, is left out).

    Features with a neutral word ("mums", "muslim") are dropped: saying who someone is
    must never count against a message; only what is said about them can."""
    rules_only = {key: value for key, value in pack.items() if key != "wording"}
    prepared = prepare(rules_only)
    school_words = frozenset(section["about_school"])
    kind_words = frozenset(section.get("kind_words", []))
    never_clear = frozenset(section.get("never_clear", []))
    no_words: frozenset[str] = frozenset()
    neutral = frozenset(section.get("neutral_words", []))
    examples = []
    for text, labels, is_test in messages:
        tokens = tokenize(prepared.folder(text), text)
        by_sentence = features_by_sentence(feature_words(tokens, prepared.common), tokens.sentences)
        findings = check_message(rules_only, text).findings
        flagged = {
            sentence
            for f in findings
            for sentence in range(
                tokens.sentences[bisect_right(tokens.orig_starts, f.start) - 1],
                tokens.sentences[bisect_left(tokens.orig_ends, f.end)] + 1,
            )
        }

        def kept(features: Iterable[str]) -> frozenset[str]:
            return frozenset(f for f in features if neutral.isdisjoint(f.split(" ")))

        examples.append(
            Example(
                kept(set().union(*by_sentence.values())),
                tuple(labels),
                bool(findings),
                applies(tokens.texts, school_words, kind_words),
                bool(findings)
                and all(f.severity == "caution" for f in findings)
                and all(f.category not in never_clear for f in findings)
                and applies(tokens.texts, school_words, no_words),
                kept(set().union(*(by_sentence.get(s, ()) for s in flagged))),
                is_test,
            )
        )
    return examples
