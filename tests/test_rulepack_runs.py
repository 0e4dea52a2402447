"""The rule pack writes lists of term indexes as runs; reading them back gives the same list."""

from __future__ import annotations

import random

from policybook.selfcheck.runs import as_runs, from_runs


def test_runs_round_trip_keeps_order_and_repeats():
    rng = random.Random(7)
    for _ in range(200):
        indexes = [rng.randrange(40) for _ in range(rng.randrange(30))]
        assert from_runs(as_runs(indexes)) == indexes


def test_a_word_list_costs_two_numbers():
    assert as_runs([407, 408, 409, 410, 12]) == [407, 4, 12, 1]
    assert as_runs([]) == []
