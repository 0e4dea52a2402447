"""Split a folded message into word tokens, each with every spelling it might stand for.

Whole-token matching is what keeps "Scunthorpe", "class" and "Dickens" safe,
so the tokenizer decides what a word is. Evasions are undone here, per token
and without ever expanding the word lists: leetspeak ("sh1t", "b!tch") only
in tokens that contain a letter (so 142,460 stays a number), masks
("f**k") kept as wildcards, letters repeated for effect ("fuuuuck") capped,
and runs of single letters ("f u c k", "s.h.i.t") joined into one word.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from operator import sub
from typing import Any

from policybook.selfcheck.normalise import Folded, Stretches

#: Characters kept inside a word when a word character follows ("don't", "b!tch", "f**k").
INNER = frozenset("'@$!*#")
#: Characters that hide a letter; a token containing one matches by shape.
MASKS = frozenset("*#")
#: Characters allowed between single letters that get joined ("f u c k", "s.h.i.t", "f-u-c-k").
SPACED_GAPS = frozenset(" .-_*")
#: What counts as typed with a capital: ASCII A-Z only (as in widgets/engine.js).
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: Abbreviations whose full stop does not end a sentence.
TITLES = frozenset({"mr", "mrs", "ms", "dr", "st", "miss", "mx", "prof"})


@dataclass(slots=True, eq=False)
class Word:
    """A token's spelling in context: its text, and whether it was capitalised or an @mention.

    Every token with the same spelling reads the same way, so the engine matches each
    Word once and memoises the result on it (`fits`, `prefix`); words repeat, within a
    message and across messages.
    """

    text: str  # folded text as written (may hold masks or leet characters)
    forms: tuple[str, ...]  # every reading to match against word lists
    cap: bool  # the parent typed it with a capital first letter
    mention: bool  # written as @name
    masked: bool
    visible: int  # letters not hidden by a mask
    fits: dict[int, bool] = field(default_factory=dict)  # atom number -> does it fit
    prefix: Any = None  # engine.Prefix of the terms starting with this word; None if none


def word_of(text: str, cap: bool, mention: bool, leet: dict[int, str]) -> Word:
    masked = "*" in text or "#" in text
    visible = sum(1 for c in text if c not in INNER) if masked else len(text)
    return Word(text, forms_of(text, leet), cap, mention, masked, visible)


@dataclass(slots=True)
class Tokens:
    """The words of a message as parallel lists, one entry per token, in order.

    Columns rather than an object per token: a 100 KB paste has some 20,000 tokens,
    and each column is built by one list comprehension.
    """

    texts: list[str]  # folded text as written
    starts: list[int]  # folded offsets
    ends: list[int]
    orig_starts: list[int]  # original offsets, in code points
    orig_ends: list[int]
    sentences: list[int]  # sentence number (never decreases; a question leaves a gap)
    caps: list[bool]  # typed with a capital first letter
    mentions: list[bool]  # written as @name

    def __len__(self) -> int:
        return len(self.texts)


def _collapse(word: str, keep: int) -> str:
    """Cap runs of three or more equal letters at `keep` ("fuuuuck" -> "fuuck" / "fuck")."""
    if not _RUN_OF_THREE.search(word):
        return word
    result: list[str] = []
    index = 0
    while index < len(word):
        end = index
        while end < len(word) and word[end] == word[index]:
            end += 1
        length = end - index
        result.append(word[index] * (min(length, keep) if length >= 3 else length))
        index = end
    return "".join(result)


def leet_table(leet: dict[str, str]) -> dict[int, str]:
    """The pack's leet letters ("0": "o") as a `str.translate` table: one C call per word."""
    return {ord(k): v for k, v in leet.items() if len(k) == 1}


#: `str.translate` table deleting digits and inner characters: what is left is letters.
_NOT_LETTERS = {ord(c): None for c in "0123456789" + "".join(INNER)}


def forms_of(word: str, leet: dict[int, str]) -> tuple[str, ...]:
    """Every reading of a token: as typed, de-leeted, possessive dropped, repeats capped.

    `leet` is a `leet_table`."""
    has_letter = bool(word.translate(_NOT_LETTERS))
    bases = [word]
    if has_letter:
        deleeted = word.translate(leet)
        if deleeted != word:
            bases.append(deleeted)
    if len(bases) == 1 and word and not word.endswith("'s") and not _RUN_OF_THREE.search(word):
        return (word,)  # most words: read only as typed
    readings: list[str] = []
    for base in bases:
        variants = [base]
        if base.endswith("'s") and len(base) > 2:
            variants.append(base[:-2])
        for variant in variants:
            for candidate in (variant, _collapse(variant, 2), _collapse(variant, 1)):
                if candidate and candidate not in readings:
                    readings.append(candidate)
    return tuple(readings)


def _word_pattern(letter: str) -> str:
    """A word: `letter`s, joined by runs of inner characters, optionally ending in a run of
    masks not followed by anything word-like. Possessive (`++`, `*+`, `?+`): giving
    characters back could never make a match, so the regex engine is told not to try
    (same matches, a quarter faster)."""
    return rf"{letter}++(?:['@$!*#]++{letter}++)*+(?:[*#]++(?!['@$!*#]|{letter}))?+"


#: A word over the class string (see `_classes`), where "w" is a word character.
_WORD = re.compile(_word_pattern("w"))
_RUN_OF_THREE = re.compile(r"(.)\1\1")
_BREAK = re.compile(r"[.!?;\n]")


_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
#: ASCII word characters -> "w" (the folded text has no capitals).
_ASCII_CLASSES = {ord(c): "w" for c in "abcdefghijklmnopqrstuvwxyz0123456789"}


def _classes(chars: str) -> str:
    """The text with every word character replaced by "w", with no Python step per character.

    ASCII runs go through one translate each (fast on ASCII); only the non-ASCII
    characters are looked at one by one.
    """
    if chars.isascii():
        return chars.translate(_ASCII_CLASSES)
    pieces = _NON_ASCII.split(chars)
    pieces[0::2] = [piece.translate(_ASCII_CLASSES) for piece in pieces[0::2]]
    pieces[1::2] = ["".join("w" if c.isalpha() else c for c in run) for run in pieces[1::2]]
    return "".join(pieces)


#: `_WORD` as one capturing group, so `split` alternates gap, word, gap, ..., gap.
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
#: `_WORD_SPLIT` over the folded text itself, so the words come out of `split` as they
#: are. Its "w" is "a letter or digit, not A-Z" (`[^\W_A-Z]`): the same as `_classes`'s
#: where every non-ASCII letter or digit is a letter (`_letters_only`).
_TEXT_LETTER = r"[^\W_A-Z]"
_TEXT_SPLIT = re.compile(f"({_word_pattern(_TEXT_LETTER)})")


def _scan(chars: str, non_ascii: str | None) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and texts of every raw word in the folded text.

    A word starts with a word character; inner characters ('@$!*#) stay in it when a word
    character follows them; a final run of masks stays too ("f***"). widgets/engine.js does
    the same with a character loop. Offsets come from the lengths of the split pieces
    (C loops), not from a match object per word. `non_ascii`: as in `Folded`.
    """
    if _letters_only(chars, non_ascii):  # most text: split it as it is, the words are pieces
        pieces = _TEXT_SPLIT.split(chars)
        offsets = list(accumulate(map(len, pieces)))
        return offsets[0:-1:2], offsets[1::2], pieces[1::2]
    offsets = list(accumulate(map(len, _WORD_SPLIT.split(_classes(chars)))))
    starts, ends = offsets[0:-1:2], offsets[1::2]
    return starts, ends, list(map(chars.__getitem__, map(slice, starts, ends)))  # in C


def _letters_only(chars: str, non_ascii: str | None) -> bool:
    """Is every non-ASCII letter or digit (to the regex engine) a letter (to `_classes`)?
    Not so for "²" or "٣", which `_classes` leaves out of words."""
    if chars.isascii():
        return True
    if non_ascii is None:
        non_ascii = "".join(_NON_ASCII.findall(chars))
    return all(c.isalpha() or not c.isalnum() for c in set(non_ascii))


def _join_spaced(
    chars: str, starts: list[int], ends: list[int], texts: list[str]
) -> tuple[list[int], list[int], list[str]]:
    """Merge runs of three or more single characters separated by one gap ("f u c k").

    Returns the new starts, ends and texts ("f u c k" -> "fuck"). Only one-character
    words can start a run, so only they are looked at closely.
    """
    singles = [i for i, length in enumerate(map(sub, ends, starts)) if length == 1]
    count = len(starts)
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_texts: list[str] = []
    done = 0  # tokens before this index are already in new_starts / new_ends / new_texts
    k = 0
    while k < len(singles):
        i = j = singles[k]
        while (
            j + 1 < count
            and ends[j + 1] - starts[j + 1] == 1
            and starts[j + 1] - ends[j] == 1
            and chars[ends[j]] in SPACED_GAPS
        ):
            j += 1
        if j - i >= 2:
            new_starts += starts[done:i]
            new_ends += ends[done:i]
            new_texts += texts[done:i]
            new_starts.append(starts[i])
            new_ends.append(ends[j])
            new_texts.append(chars[starts[i] : ends[j] : 2])
            done = j + 1
            while k < len(singles) and singles[k] <= j:
                k += 1
        else:
            k += 1
    if not done:
        return starts, ends, texts
    return new_starts + starts[done:], new_ends + ends[done:], new_texts + texts[done:]


def _sentence_numbers(chars: str, starts: list[int], ends: list[int]) -> list[int]:
    """Each token's sentence number: how many sentence ends come before it.

    A sentence ends at . ! ? ; or a new line outside words; a full stop only before a
    space or the end, and not after a title ("Mr. Ali"). A question mark counts twice,
    leaving a gap in the numbers, so a `next-sentence` rule never pairs words across a
    question ("online safety? is it worth going": asking is not judging). Only the
    break characters are visited (a binary search finds the word before each), and the
    numbers are laid down a sentence at a time.
    """
    cuts: list[int] = []  # for each sentence end, how many tokens come before it
    n = len(chars)
    for match in _BREAK.finditer(chars):
        i = match.start()
        before = bisect_right(starts, i)  # words starting at or before i
        if before and ends[before - 1] > i:
            continue  # inside a word (the dots of "s.h.i.t", the ! of "b!tch")
        if chars[i] == ".":
            if i + 1 < n and chars[i + 1] not in " \n\t":
                continue
            if before and chars[starts[before - 1] : ends[before - 1]] in TITLES:
                continue
        cuts.append(before)
        if chars[i] == "?":
            cuts.append(before)
    sentences: list[int] = []
    for number, cut in enumerate(cuts):
        sentences += [number] * (cut - len(sentences))
    sentences += [len(cuts)] * (len(starts) - len(sentences))
    return sentences


def tokenize(folded: Folded, original: str) -> Tokens:
    """Tokens of a folded message, in order, with sentence numbers and original offsets."""
    chars = folded.chars
    starts, ends, texts = _join_spaced(chars, *_scan(chars, folded.non_ascii))
    origin = folded.origin
    if isinstance(origin, range):  # nothing changed length: offsets are the same
        orig_starts, orig_ends = starts, ends
    elif isinstance(origin, Stretches):
        orig_starts, orig_ends = origin.starts(starts), origin.ends(ends)
    else:
        orig_starts = list(map(origin.__getitem__, starts))
        orig_ends = [origin[end - 1] + 1 for end in ends]
    return Tokens(
        texts,
        starts,
        ends,
        orig_starts,
        orig_ends,
        _sentence_numbers(chars, starts, ends),
        list(map(_CAPITALS.__contains__, map(original.__getitem__, orig_starts))),
        _mentions(chars, starts),
    )


def _mentions(chars: str, starts: list[int]) -> list[bool]:
    """Which tokens are written as @name: found from the few "@", not token by token."""
    mentions = [False] * len(starts)
    at = chars.find("@")
    while at >= 0:
        index = bisect_left(starts, at + 1)
        if index < len(starts) and starts[index] == at + 1:
            mentions[index] = True
        at = chars.find("@", at + 1)
    return mentions
