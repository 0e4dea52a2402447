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
from bisect import bisect_right
from dataclasses import dataclass

from policybook.selfcheck.normalise import Folded

#: Characters kept inside a word when a word character follows ("don't", "b!tch", "f**k").
INNER = frozenset("'@$!*#")
#: Characters that hide a letter; a token containing one matches by shape.
MASKS = frozenset("*#")
#: Characters allowed between single letters that get joined ("f u c k", "s.h.i.t", "f-u-c-k").
SPACED_GAPS = frozenset(" .-_*")
#: Abbreviations whose full stop does not end a sentence.
TITLES = frozenset({"mr", "mrs", "ms", "dr", "st", "miss", "mx", "prof"})
SENTENCE_ENDS = frozenset(".!?;\n")


def is_word_char(ch: str) -> bool:
    """a-z, 0-9, or any non-ASCII letter (identical to JavaScript's \\p{L})."""
    if ch < "\x80":
        return "a" <= ch <= "z" or "0" <= ch <= "9"
    return ch.isalpha()


@dataclass(slots=True)
class Token:
    """One word: where it is (folded and original offsets) and how it may be read."""

    text: str  # folded text as written (may hold masks or leet characters)
    forms: tuple[str, ...]  # every reading to match against word lists
    start: int  # folded offset
    end: int
    orig_start: int  # original offsets, in code points
    orig_end: int
    sentence: int
    cap: bool  # the parent typed it with a capital first letter
    mention: bool  # written as @name
    masked: bool
    visible: int  # letters not hidden by a mask


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


def forms_of(word: str, leet: dict[str, str]) -> tuple[str, ...]:
    """Every reading of a token: as typed, de-leeted, possessive dropped, repeats capped."""
    has_letter = any(not ("0" <= c <= "9") and c not in INNER for c in word)
    bases = [word]
    if has_letter:
        deleeted = "".join(leet.get(c, c) for c in word)
        if deleeted != word:
            bases.append(deleeted)
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


#: A word over the class string (see `_classes`): word characters, joined by runs of
#: inner characters, optionally ending in a run of masks not followed by anything word-like.
_WORD = re.compile(r"w+(?:['@$!*#]+w+)*(?:[*#]+(?!['@$!*#w]))?")
_RUN_OF_THREE = re.compile(r"(.)\1\1")
_BREAK = re.compile(r"[.!?;\n]")


def _classes(chars: str) -> str:
    """The text with every word character replaced by "w" (one translate call, no loop)."""
    table = {ord(c): "w" for c in set(chars) if is_word_char(c)}
    return chars.translate(table)


def _scan(chars: str) -> list[tuple[int, int]]:
    """(start, end) of every raw word in the folded text.

    A word starts with a word character; inner characters ('@$!*#) stay in it when a word
    character follows them; a final run of masks stays too ("f***"). widgets/engine.js does
    the same with a character loop.
    """
    return [m.span() for m in _WORD.finditer(_classes(chars))]


def _join_spaced(chars: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Merge runs of three or more single characters separated by one gap ("f u c k").

    Only one-character words can start a run, so only they are looked at closely.
    """
    out: list[tuple[int, int, bool]] = []
    done = 0  # spans before this index are already in `out`
    singles = [i for i, (start, end) in enumerate(spans) if end - start == 1]
    k = 0
    while k < len(singles):
        i = j = singles[k]
        while (
            j + 1 < len(spans)
            and spans[j + 1][1] - spans[j + 1][0] == 1
            and spans[j + 1][0] - spans[j][1] == 1
            and chars[spans[j][1]] in SPACED_GAPS
        ):
            j += 1
        if j - i >= 2:
            out += [(start, end, False) for start, end in spans[done:i]]
            out.append((spans[i][0], spans[j][1], True))
            done = j + 1
            while k < len(singles) and singles[k] <= j:
                k += 1
        else:
            k += 1
    out += [(start, end, False) for start, end in spans[done:]]
    return out


def _sentence_breaks(chars: str, spans: list[tuple[int, int, bool]]) -> list[int]:
    """Folded offsets where a sentence ends: . ! ? ; or a new line, outside words.

    A full stop only ends a sentence before a space or the end, and not after a title
    ("Mr. Ali").
    """
    breaks: list[int] = []
    starts = [span[0] for span in spans]
    n = len(chars)
    for match in _BREAK.finditer(chars):
        i = match.start()
        after = bisect_right(starts, i)  # spans starting at or before i
        if after and spans[after - 1][1] > i:
            continue  # inside a word (the dots of "s.h.i.t", the ! of "b!tch")
        if chars[i] == ".":
            if i + 1 < n and chars[i + 1] not in " \n\t":
                continue
            if after and chars[spans[after - 1][0] : spans[after - 1][1]] in TITLES:
                continue
        breaks.append(i)
    return breaks


def tokenize(
    folded: Folded,
    original: str,
    leet: dict[str, str],
    known_forms: dict[str, tuple[str, ...]] | None = None,
) -> list[Token]:
    """Tokens of a folded message, in order, with sentence numbers and original offsets.

    `known_forms` caches each word's readings (words repeat, within and across messages).
    """
    if known_forms is None:
        known_forms = {}
    elif len(known_forms) > 100_000:
        known_forms.clear()
    chars = folded.chars
    spans = _join_spaced(chars, _scan(chars))
    breaks = _sentence_breaks(chars, spans)
    tokens: list[Token] = []
    append = tokens.append
    origin = folded.origin
    sentence = 0
    break_index = 0
    next_break = breaks[0] if breaks else len(chars)
    for start, end, joined in spans:
        while next_break < start:
            sentence += 1
            break_index += 1
            next_break = breaks[break_index] if break_index < len(breaks) else len(chars)
        text = chars[start:end:2] if joined else chars[start:end]
        forms = known_forms.get(text)
        if forms is None:
            forms = known_forms[text] = forms_of(text, leet)
        orig_start = origin[start]
        first = original[orig_start]
        masked = "*" in text or "#" in text
        append(
            Token(
                text,
                forms,
                start,
                end,
                orig_start,
                origin[end - 1] + 1,
                sentence,
                "A" <= first <= "Z",
                start > 0 and chars[start - 1] == "@",
                masked,
                sum(1 for c in text if c not in INNER) if masked else len(text),
            )
        )
    return tokens
