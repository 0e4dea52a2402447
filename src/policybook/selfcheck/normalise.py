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
from dataclasses import dataclass
from typing import Any

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


def build_fold(confusables: dict[str, str]) -> dict[int, str]:
    """Code point -> replacement, from Unicode compatibility forms plus look-alikes.

    Only non-ASCII characters are folded (never rn -> m), and uppercase ASCII
    is lowered by the engines directly.
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
    origin: list[int]


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


class Folder:
    """`fold_text` with a fast path: most messages need no change of length, so one
    `str.translate` does it and the offset map is the identity."""

    def __init__(self, fold: dict[int, str], drop: tuple[tuple[int, int], ...]):
        self.fold = fold
        self.drop = drop
        self.table: dict[int, str | None] = {
            ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        }
        self.table.update(fold)
        self.resizing = {chr(cp) for cp, target in fold.items() if len(target) != 1}
        for lo, hi in drop:
            for cp in range(lo, hi + 1):
                self.table[cp] = None
                self.resizing.add(chr(cp))

        self.dropped = {chr(cp) for lo, hi in drop for cp in range(lo, hi + 1)}
        self.expanding = self.resizing - self.dropped
        self.resizing_pattern = re.compile(
            "[" + "".join(re.escape(c) for c in sorted(self.resizing)) + "]"
        )

    def __call__(self, text: str) -> Folded:
        if self.resizing.isdisjoint(text):
            return Folded(text.translate(self.table), list(range(len(text))))
        if self.expanding.isdisjoint(text):
            # Only invisible characters to drop (emoji variation selectors, joiners).
            dropped = self.dropped
            origin = [i for i, c in enumerate(text) if c not in dropped]
            return Folded(text.translate(self.table), origin)
        # Translate the stretches between characters that change length in one go;
        # only those characters need their offsets worked out one by one.
        pieces: list[str] = []
        origin: list[int] = []
        done = 0
        for match in self.resizing_pattern.finditer(text):
            at = match.start()
            pieces.append(text[done:at].translate(self.table))
            origin.extend(range(done, at))
            target = self.table.get(ord(text[at])) or ""
            pieces.append(target)
            origin.extend([at] * len(target))
            done = at + 1
        pieces.append(text[done:].translate(self.table))
        origin.extend(range(done, len(text)))
        return Folded("".join(pieces), origin)


def fold_term(term: str, fold: dict[int, str]) -> str:
    """Fold a word from a rule list the same way as a message (the lists are normalised too)."""
    return fold_text(term, fold, DROP_RANGES).chars
