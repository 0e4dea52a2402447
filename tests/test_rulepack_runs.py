"""The rule pack writes lists of term indexes as runs, and sorted word lists front-coded;
reading them back gives the same lists."""

from __future__ import annotations

import random

import pytest

from policybook.selfcheck.runs import as_runs, from_runs
from policybook.selfcheck.wordlists import front_code, front_decode


def test_runs_round_trip_keeps_order_and_repeats():
    rng = random.Random(7)
    for _ in range(200):
        indexes = [rng.randrange(40) for _ in range(rng.randrange(30))]
        assert from_runs(as_runs(indexes)) == indexes


def test_a_word_list_costs_two_numbers():
    assert as_runs([407, 408, 409, 410, 12]) == [407, 4, 12, 1]
    assert as_runs([]) == []


def test_front_coded_word_lists_round_trip():
    rng = random.Random(11)
    letters = "ab1 '"
    for _ in range(300):
        words = sorted(
            "".join(rng.choice(letters) for _ in range(rng.randrange(1, 50)))
            for _ in range(rng.randrange(20))
        )
        assert front_decode(front_code(words, "\n"), "\n") == words


def test_front_coding_writes_what_each_word_shares_with_the_one_before():
    assert front_code(["abandon", "abandoned", "abc"], " ") == "0abandon 7ed 2c"
    assert front_code([], " ") == ""
    assert front_decode("", " ") == []
    # Longer shared prefixes than one character can say are written out in part.
    long = "x" * 40
    assert front_code([long, long + "y"], " ") == f"0{long} z{'x' * 5}y"


def test_a_word_with_the_separator_in_it_is_refused():
    with pytest.raises(ValueError, match="separator"):
        front_code(["one two"], " ")
