"""Lists of term indexes written as runs, the way the rule pack stores them.

A word list's terms get consecutive indexes, so `[407, 408, 409, 410, 12]` is
stored as `[407, 4, 12, 1]`: a rule that uses a list costs two numbers. The
browser engine (widgets/engine.js, `fromRuns`) reads them the same way.
"""

from __future__ import annotations


def as_runs(indexes: list[int]) -> list[int]:
    """[407, 408, 409, 410, 12] -> [407, 4, 12, 1]: runs of consecutive indexes."""
    runs: list[int] = []
    for number in indexes:
        if runs and runs[-2] + runs[-1] == number:
            runs[-1] += 1
        else:
            runs += [number, 1]
    return runs


def from_runs(runs: list[int]) -> list[int]:
    """The inverse of `as_runs`: the indexes, in order."""
    pairs = zip(runs[::2], runs[1::2], strict=True)
    return [first + step for first, count in pairs for step in range(count)]
