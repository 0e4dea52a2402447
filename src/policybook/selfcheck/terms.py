"""The small term language of the rules, and matching it against tokens.

A term is one or more atoms separated by spaces; each atom matches one token:

- a word, with `?` for exactly one letter and `*` for any number of letters
  (`f?ck*`), and `|` between alternatives (`mr|mrs|miss`);
- `*` on its own: any one word;
- `<name>`: a word typed with a capital letter that is not a common word
  (so "Tunde," or "Mrs Okafor" are people, "Thanks" is not);
- `<cap>`: any word typed with a capital letter, common or not (after a
  title: "Miss Green", "Mr Hope");
- `<mention>`: a word written as @name;
- `^` before the first atom: only at the start of the message.

Brackets hold alternatives of more than one word: `getting (divorced|a divorce)`
is two terms, "getting divorced" and "getting a divorce". The compiler writes
them out (`expand_groups`), so the engines only ever see plain terms.

No regular expressions: the same few lines of matching run in Python and in
the browser, and none of them can backtrack badly (atoms are single words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from policybook.selfcheck.tokens import MASKS, Word

SPECIAL_ATOMS = frozenset({"*", "<name>", "<cap>", "<mention>"})


@lru_cache(maxsize=200_000)  # many terms share a wildcard word ("play*"), and words repeat
def glob(pattern: str, word: str) -> bool:
    """Does `word` fit `pattern`? `?` is one char, `*` any run; a mask in `word` fits a letter."""
    p = w = 0
    star_p = star_w = -1
    while w < len(word):
        if p < len(pattern) and pattern[p] == "*":
            star_p, star_w = p, w
            p += 1
        elif p < len(pattern) and (
            pattern[p] == "?" or pattern[p] == word[w] or (word[w] in MASKS and pattern[p] != "'")
        ):
            p += 1
            w += 1
        elif star_p >= 0:
            p = star_p + 1
            star_w += 1
            w = star_w
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


@dataclass(frozen=True)
class Atom:
    """One position of a term."""

    alternatives: tuple[str, ...]  # words or globs; empty for special atoms
    special: str = ""  # "", "*", "<name>", "<cap>" or "<mention>"
    # The alternatives sorted for speed: plain words, `play*` prefixes (tested in C by
    # str.startswith) and other globs. Same answers as globbing each in turn.
    words: frozenset[str] = field(default=frozenset(), compare=False)
    prefixes: tuple[str, ...] = field(default=(), compare=False)
    globs: tuple[str, ...] = field(default=(), compare=False)
    # For masked words ("f**k"): alternatives without `*` by length (only the same length
    # can fit, a mask standing for one letter), and those with `*`.
    by_length: dict[int, tuple[str, ...]] = field(default_factory=dict, compare=False)
    starred: tuple[str, ...] = field(default=(), compare=False)

    @property
    def exact(self) -> bool:
        return not self.special and not self.prefixes and not self.globs


def make_atom(part: str) -> Atom:
    """The atom for one space-separated part of a term."""
    if part in SPECIAL_ATOMS:
        return Atom((), part)
    alternatives = tuple(part.split("|"))
    words = [a for a in alternatives if "*" not in a and "?" not in a]
    # `play*`: one star, at the end, and no `?`.
    prefixes = [a for a in alternatives if a.endswith("*") and a.count("*") == 1 and "?" not in a]
    by_length: dict[int, list[str]] = {}
    for alternative in alternatives:
        if "*" not in alternative:
            by_length.setdefault(len(alternative), []).append(alternative)
    return Atom(
        alternatives,
        words=frozenset(words),
        prefixes=tuple(a[:-1] for a in prefixes),
        globs=tuple(a for a in alternatives if a not in words and a not in prefixes),
        by_length={length: tuple(found) for length, found in by_length.items()},
        starred=tuple(a for a in alternatives if "*" in a),
    )


@dataclass(frozen=True)
class Term:
    text: str
    anchored: bool
    atoms: tuple[Atom, ...]


def parse_term(text: str) -> Term:
    """Split a (folded) term into atoms; the compiler has already checked its syntax."""
    parts = text.split()
    anchored = bool(parts) and parts[0] == "^"
    if anchored:
        parts = parts[1:]
    atoms = tuple(make_atom(part) for part in parts)
    return Term(text, anchored, atoms)


def atom_matches(atom: Atom, token: Word, common: frozenset[str]) -> bool:
    """Does one token (its spelling in context) fit one atom?"""
    if atom.special == "*":
        return True
    if atom.special == "<name>":
        base = token.text[:-2] if token.text.endswith("'s") else token.text
        return token.cap and base.isalpha() and base not in common
    if atom.special == "<cap>":
        return token.cap
    if atom.special == "<mention>":
        return token.mention
    if not (atom.prefixes or atom.globs or token.masked):
        return not atom.words.isdisjoint(token.forms)
    if token.masked:  # a mask may stand for any letter, so every alternative is a glob
        return any(
            glob(a, form)
            for form in token.forms
            for a in (*atom.by_length.get(len(form), ()), *atom.starred)
        )
    return any(
        form in atom.words
        or form.startswith(atom.prefixes)
        or any(glob(pattern, form) for pattern in atom.globs)
        for form in token.forms
    )


def term_syntax_problem(term: str) -> str | None:
    """Why a staff-written term cannot be used, or None if it is fine."""
    if "(" in term or ")" in term:
        why = group_problem(term)
        if why:
            return why
        return next(filter(None, map(_plain_term_problem, expand_groups(term))), None)
    return _plain_term_problem(term)


def group_problem(term: str) -> str | None:
    """Why the brackets in a term are wrong, or None. Brackets go around whole words and
    hold alternatives with `|` between them; never one pair inside another."""
    depth = 0
    for char in term:
        if char == "(":
            if depth:
                return "brackets cannot go inside brackets"
            depth = 1
        elif char == ")":
            if not depth:
                return "a ')' has no '(' before it"
            depth = 0
    if depth:
        return "a '(' is never closed with ')'"
    for part in term.split():
        if "(" in part[1:] or ")" in part[:-1]:
            return f"'{part}': brackets go around whole words, with a space outside them"
    for group in _groups(term):
        choices = group.split("|")
        if len(choices) < 2:
            return f"'({group})': brackets hold alternatives, with | between them"
        if any(not choice.strip() for choice in choices):
            return f"'({group})' has an empty alternative around '|'"
        if "@" in group or "^" in group:
            return f"'({group})': a list (@) or ^ cannot go inside brackets"
    return None


def _groups(term: str) -> list[str]:
    """The insides of a term's brackets, in order (the brackets are well formed)."""
    found, start = [], term.find("(")
    while start >= 0:
        end = term.index(")", start)
        found.append(term[start + 1 : end])
        start = term.find("(", end)
    return found


def expand_groups(term: str) -> list[str]:
    """`getting (divorced|a divorce)` -> "getting divorced", "getting a divorce": one plain
    term per phrase in each pair of brackets, and one for its single words together
    (`(don't|dont|do not)` -> `don't|dont`, `do not`). The brackets are well formed."""
    start = term.find("(")
    if start < 0:
        return [term]
    end = term.index(")", start)
    head, tail = term[:start], term[end + 1 :]
    choices = [choice.strip() for choice in term[start + 1 : end].split("|")]
    words = [choice for choice in choices if " " not in choice]
    phrases = [choice for choice in choices if " " in choice]
    return [
        " ".join(f"{head} {choice} {rest}".split())
        for choice in (["|".join(words)] if words else []) + phrases
        for rest in expand_groups(tail)
    ]


def _plain_term_problem(term: str) -> str | None:
    """Why a term without brackets cannot be used, or None."""
    parts = term.split()
    if not parts:
        return "the term is empty"
    if parts[0] == "^":
        parts = parts[1:]
        if not parts:
            return "'^' must be followed by a word"
    if "^" in parts:
        return "'^' (start of message) may only come first"
    if all(part == "*" for part in parts):
        return "a term needs at least one word that is not '*'"
    for part in parts:
        if part in SPECIAL_ATOMS:
            continue
        if part.startswith("<"):
            return f"'{part}' is not a known marker (use <name>, <cap> or <mention>)"
        for alternative in part.split("|"):
            if not alternative:
                return f"'{part}' has an empty alternative around '|'"
            if not (alternative[0].isalnum()):
                return f"'{alternative}' must start with a letter or digit"
            allowed = all(c.isalnum() or c in "'?*-" for c in alternative)
            if not allowed:
                return (
                    f"'{alternative}' contains a character rules cannot use "
                    "(only letters, digits, apostrophes, ? and *)"
                )
            if "-" in alternative:
                return f"'{alternative}': write hyphenated words as separate words"
    return _phrase_alternative_problem(parts)


def _phrase_alternative_problem(parts: list[str]) -> str | None:
    """Catch `stitch up|stitched up`: `|` written between phrases instead of single words.

    It reads "stitch", then "up" or "stitched", then "up". The tells are a word that is
    both one of a word's alternatives and the whole of the word next to it, and a word
    listed twice among one word's alternatives (`prime minister|minister` reads "prime
    minister" only, never "minister" alone), and a contraction before "not" (`don't|do
    not` reads "don't not").
    """
    for index, part in enumerate(parts):
        listed = part.split("|")
        following = parts[index + 1].split("|") if index + 1 < len(parts) else []
        contraction = next((word for word in listed if word.endswith("n't")), None)
        if contraction and "not" in following:
            return (
                f"'{contraction}' is followed by 'not', so this reads \"{contraction} not\": "
                "'|' joins alternatives for ONE word; put the short and the long form in "
                "brackets: please (don't|do not)"
            )
        twice = next((word for word in listed if listed.count(word) > 1), None)
        if twice:
            return (
                f"'{twice}' is listed twice in '{part}'. '|' joins alternatives for ONE "
                "word, so a phrase cannot be one of them: write each phrase as its own term, "
                "or put the phrases in brackets: (prime minister|minister)"
            )
        alternatives = set(listed)
        if len(alternatives) < 2 or part in SPECIAL_ATOMS:
            continue
        for other in (index - 1, index + 1):
            if 0 <= other < len(parts) and parts[other] in alternatives:
                return (
                    f"'|' joins alternatives for ONE word, so '{part}' sits between words "
                    f"and '{parts[other]}' is read twice; write each phrase as its own term, "
                    "or put the phrases in brackets: (stitch up|stitched up)"
                )
    return None
