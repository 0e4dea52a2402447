"""Fold a message to plain lowercase letters, keeping a map back to what was typed.

People dodge word lists with look-alike letters, accents, fullwidth or
"mathematical" letters and invisible characters. We undo all of that once,
per code point, with tables shipped inside the rule pack so the browser
engine folds exactly the same way. Every normalised character remembers the
index (in code points) of the original character it came from, so a finding
can highlight what the parent actually typed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add
from typing import Any, overload

#: Invisible characters that sit inside words without changing how they look.
DROP_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x0300, 0x036F),  # combining accents (e + U+0301)
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200F),  # zero-width space, joiners, direction marks
    (0x202A, 0x202E),  # direction embeddings
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space
)

#: Highest code point the fold table covers (covers mathematical letters and enclosed forms).
FOLD_LIMIT = 0x1F200


def _nfkd_ascii(ch: str) -> str | None:
    """The ASCII a character stands for (é -> e, ｆ -> f, 𝐟 -> f, ﬁ -> fi), if any."""
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    if base and base != ch and all(" " <= c < "\x7f" for c in base):
        return base
    return None


def build_fold(confusables: dict[str, str], symbols: dict[str, str]) -> dict[int, str]:
    """Code point -> replacement, from Unicode compatibility forms plus look-alikes.

    Only non-ASCII characters are folded (never rn -> m), and uppercase ASCII
    is lowered by the engines directly. `symbols` reads an emoji as a word of
    its own (🖕 -> " middlefinger "), so rules can use it like any other word.
    """
    table: dict[int, str] = {}
    for cp in range(0x80, FOLD_LIMIT):
        if any(lo <= cp <= hi for lo, hi in DROP_RANGES):
            continue
        folded = _nfkd_ascii(chr(cp))
        if folded is not None:
            table[cp] = folded
    for letter, lookalikes in confusables.items():
        for ch in lookalikes:
            if ord(ch) >= 0x80:
                table[ord(ch)] = letter
    for symbol, word in symbols.items():
        table[ord(symbol)] = f" {word} "
    return table


def pack_fold(table: dict[int, str]) -> dict[str, Any]:
    """Compact form for the pack: runs of consecutive one-character folds, plus the rest."""
    runs: list[list[Any]] = []
    multi: dict[str, str] = {}
    for cp in sorted(table):
        target = table[cp]
        if len(target) != 1:
            multi[str(cp)] = target
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == cp:
            runs[-1][1] += target
        else:
            runs.append([cp, target])
    return {"runs": runs, "multi": multi}


def unpack_fold(packed: dict[str, Any]) -> dict[int, str]:
    table = {int(cp): target for cp, target in packed["multi"].items()}
    for start, chars in packed["runs"]:
        for offset, ch in enumerate(chars):
            table[start + offset] = ch
    return table


@dataclass(frozen=True)
class Folded:
    """A message after folding: its characters and, for each, the original code point index."""

    chars: str
    origin: Sequence[int]  # a `range` when nothing changed length, else a list or `Stretches`
    # Every non-ASCII character of `chars` (and maybe some ASCII), when the folder knows
    # them: a short string to look at instead of the whole text. None: not known.
    non_ascii: str | None = None


def fold_text(text: str, fold: dict[int, str], drop: tuple[tuple[int, int], ...]) -> Folded:
    """Fold once, character by character, keeping the offset map."""
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        cp = ord(ch)
        if cp < 0x80:
            out.append(ch.lower() if "A" <= ch <= "Z" else ch)
            origin.append(index)
            continue
        if any(lo <= cp <= hi for lo, hi in drop):
            continue
        target = fold.get(cp, ch)
        for piece in target:
            out.append(piece)
            origin.append(index)
    return Folded("".join(out), origin)


#: A run of non-ASCII characters (capturing, so `split` keeps the runs).
_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")


class Folder:
    """`fold_text`, fast: the same result without a Python step per character.

    `str.translate` is quick only on pure ASCII, and most of a paste is ASCII, so
    ASCII runs are just lowered and only the non-ASCII runs go through the fold
    table. Most messages keep their length, so the offset map is the identity (a
    `range`); otherwise it is `Stretches`: only runs with a character that is
    dropped or expanded have their offsets worked out character by character.
    """

    def __init__(self, fold: dict[int, str], drop: tuple[tuple[int, int], ...]):
        # ASCII is only ever lowered (as in `fold_text` and widgets/engine.js).
        self.table: dict[int, str | None] = {cp: t for cp, t in fold.items() if cp >= 0x80}
        self.resizing = {chr(cp) for cp, target in self.table.items() if len(target) != 1}
        for lo, hi in drop:
            for cp in range(max(lo, 0x80), hi + 1):
                self.table[cp] = None
                self.resizing.add(chr(cp))

    def __call__(self, text: str) -> Folded:
        if text.isascii():
            return Folded(text.lower(), range(len(text)), "")  # on ASCII, exactly A-Z -> a-z
        parts = _NON_ASCII.split(text)  # ASCII, non-ASCII, ASCII, ..., ASCII
        runs = parts[1::2]
        pieces = parts[:]
        pieces[0::2] = [part.lower() for part in parts[0::2]]
        pieces[1::2] = [run.translate(self.table) for run in runs]
        chars = "".join(pieces)
        non_ascii = "".join(pieces[1::2])
        resizing = self.resizing
        if all(resizing.isdisjoint(run) for run in runs):
            return Folded(chars, range(len(text)), non_ascii)
        # Some characters are dropped or expanded: only their runs are mapped one by one,
        # the rest are stretches that keep their length (no list of every offset).
        firsts: list[int] = []
        maps: list[int | list[int]] = []
        at = folded = 0  # where the part starts in the text and in `chars`
        for index, part in enumerate(parts):
            if index % 2 == 0 or resizing.isdisjoint(part):
                firsts.append(folded)
                maps.append(at - folded)
                folded += len(part)
            elif part:
                origin: list[int] = []
                for offset, ch in enumerate(part, at):
                    origin.extend([offset] * len(self.table.get(ord(ch), ch) or ""))
                firsts.append(folded)
                maps.append(origin)
                folded += len(origin)
            at += len(part)
        return Folded(chars, Stretches(firsts, maps, len(chars)), non_ascii)


class Stretches(Sequence[int]):
    """Where each folded character came from, stretch by stretch: a stretch that kept its
    length is one shift (original index = folded index + shift), any other lists its
    characters' original indexes. A 100 KB paste with a few emoji read as words is a few
    hundred stretches, not a list of 100,000 offsets."""

    def __init__(self, firsts: list[int], maps: list[int | list[int]], length: int):
        self.firsts = firsts  # folded index of each stretch's first character, rising
        self.maps = maps  # each stretch's shift, or its characters' original indexes
        self.length = length

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError(index)
        index %= self.length
        stretch = bisect_right(self.firsts, index) - 1
        shift = self.maps[stretch]
        return index + shift if isinstance(shift, int) else shift[index - self.firsts[stretch]]

    def starts(self, positions: list[int]) -> list[int]:
        """The original index of the character at each folded position (rising)."""
        return self._map(positions, 0)

    def ends(self, positions: list[int]) -> list[int]:
        """The original end of the character before each folded position (rising, > 0)."""
        return self._map(positions, 1)

    def _map(self, positions: list[int], before: int) -> list[int]:
        """`self[p - before] + before` for each position, a stretch at a time (in C for
        stretches that kept their length)."""
        found: list[int] = []
        low = 0
        bounds = [*self.firsts[1:], self.length]
        for first, bound, shift in zip(self.firsts, bounds, self.maps, strict=True):
            high = bisect_left(positions, bound + before, low)
            if isinstance(shift, int):
                found += map(add, positions[low:high], repeat(shift))
            else:
                found += [shift[p - before - first] + before for p in positions[low:high]]
            low = high
        return found


def fold_term(term: str, fold: dict[int, str]) -> str:
    """Fold a word from a rule list the same way as a message (the lists are normalised too)."""
    return fold_text(term, fold, DROP_RANGES).chars
