"""Sorted word lists written front-coded, the way the rule pack stores them.

Each word is written as how many leading characters it shares with the word
before (one character: 0-9, then a-z for 10-35) followed by the rest:
`["abandon", "abandoned", "abc"]` is stored as `"0abandon 7ed 2c"`. gzip leaves
much of a sorted list's shared prefixes in; taking them out first makes the
pack, which every parent's phone downloads, about 15 KB smaller. The browser
engine (widgets/engine.js, `frontDecode`) reads them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The shared-prefix length, as one character.
LENGTHS = "0123456789abcdefghijklmnopqrstuvwxyz"


def front_code(words: Iterable[str], separator: str) -> str:
    """The words (best sorted) as one front-coded string, entries split by `separator`."""
    entries: list[str] = []
    previous = ""
    for word in words:
        if separator in word:
            raise ValueError(f"{word!r} contains the separator {separator!r}")
        shared = 0
        limit = min(len(previous), len(word), len(LENGTHS) - 1)
        while shared < limit and previous[shared] == word[shared]:
            shared += 1
        entries.append(LENGTHS[shared] + word[shared:])
        previous = word
    return separator.join(entries)


def front_decode(text: str, separator: str) -> list[str]:
    """The inverse of `front_code`: the words, in order."""
    words: list[str] = []
    previous = ""
    for entry in text.split(separator) if text else []:
        previous = previous[: int(entry[0], 36)] + entry[1:]
        words.append(previous)
    return words
