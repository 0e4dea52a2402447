"""Check one draft message against a compiled rule pack (the Python engine).

`check_message(pack, text)` folds and tokenizes the text once, finds every
term of every rule through one index (so cost grows with the message, not
with the word lists), then applies each rule: plain terms, `near` pairs of a
target and a cue, or a `metric`. Then the wording check (`wording.py`) takes a
second look: at a message no rule flagged, or at one the rules only cautioned.
Findings carry offsets in code points into the text as typed, sorted by (start,
end, rule id). widgets/engine.js does the same steps, with simpler matching
internals where the browser is fast enough, and must give identical results
(tests/test_engine_conformance.py).

Speed: matching is worked out once per spelling (`Word`) and once per run of
words (`Prefix`, a trie kept across messages), so a long paste costs little
more than a walk over its tokens; per-token data is kept in columns (`Tokens`).
A paste's new words cost most, so `Prepared` makes the Words of the pack's own
words (and the common words) up front; other words are matched as met: plain
words and `play*` beginnings are looked up rather than tested, other atoms are
tested once per distinct atom (terms share atoms such as "mum|dad|..."), and
runs of words that fit the same terms share one trie node. Each node deals its
hits straight to the lists of terms (`Role`) that rules use, in token order, so
a short message costs little however long the word lists grow, and no list
needs sorting.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from itertools import compress
from operator import attrgetter, itemgetter, or_
from typing import Any

from policybook.selfcheck.normalise import Folder, unpack_fold
from policybook.selfcheck.runs import from_runs
from policybook.selfcheck.terms import Atom, Term, atom_matches, glob, parse_term
from policybook.selfcheck.tokens import Tokens, Word, leet_table, tokenize, word_of
from policybook.selfcheck.wording import WordingModel
from policybook.selfcheck.wordlists import front_decode

SEVERITY_RANK = {"caution": 1, "stop": 2}


@dataclass(slots=True)
class Finding:
    """One reason to think twice, tied to the words that triggered it and the clause."""

    category: str
    clause: str
    severity: str
    start: int
    end: int
    quote: str
    message: str
    suggestion: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    verdict: str  # "ok", "caution" or "stop"
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}


#: Where a term matched: (first, last) token indexes, inclusive. A plain tuple, as hits
#: are made by the thousand in a long paste (a named tuple's constructor is Python code).
Hit = tuple[int, int]

#: Terms that share one atom at some position: (atom number, the atom, term indexes).
Group = tuple[int, Atom, list[int]]


@dataclass(slots=True, eq=False)
class Role:
    """A list of terms a rule uses (its terms, target, cue or except), made once and
    shared by every rule that uses the same list (such as @person)."""

    number: int
    terms: tuple[int, ...]
    span: int  # last - first of its longest hit (its longest term's words, less one)

    @property
    def one_word(self) -> bool:
        """Every term is one word long, so no hit can sit inside another."""
        return self.span == 0


class Prepared:
    """A pack made ready to match: tables unpacked and every term indexed by its first word."""

    def __init__(self, pack: dict[str, Any]):
        self.pack = pack
        norm = pack["normalise"]
        self.fold = unpack_fold(norm["fold"])
        self.drop = tuple((lo, hi) for lo, hi in norm["drop"])
        self.folder = Folder(self.fold, self.drop)
        self.words: dict[object, Word] = {}  # (text, cap, mention), or text alone -> Word
        # The trie's nodes (`Prefix`) by depth and terms, so a node is shared by every
        # run of words that fits the same terms ("Tunde" and "Amara" start the same ones).
        self.nodes: dict[tuple[int, ...], Prefix] = {}
        self.leet = leet_table(norm["leet"])
        self.common = frozenset(front_decode(pack["common_words"], " "))
        self.wording = WordingModel(pack["wording"], self.common) if "wording" in pack else None
        self.terms: list[Term] = []
        self.sizes: list[int] = []  # atoms per term
        self.anchored: list[bool] = []
        # Each term's atoms as numbers; terms that share an atom ("the", "mum|dad|...")
        # share its number, so a word is tested against it once.
        self.atom_ids: list[tuple[int, ...]] = []
        self.atom_numbers: dict[Atom, int] = {}
        # By atom number: the words an atom takes, once each, if it takes only exact
        # words (else None); so a trie node indexes its terms without looking at atoms.
        self.atom_words: list[tuple[str, ...] | None] = []
        self.term_ids: dict[str, int] = {}
        self.exact: dict[str, list[int]] = {}
        # Terms starting with `play*` by "play": a word finds them by looking up its own
        # beginnings ("p", "pl", ...), not by testing each atom.
        self.by_start: dict[str, list[int]] = {}
        # Every beginning of a `by_start` key ("p", "pl", "pla", "play"): a word's
        # beginnings are looked up only while they can still lead to a key.
        self.stems: set[str] = set()
        # Terms starting with other wildcards (`f?ck*`), by the first two letters (or one).
        self.glob_by_prefix: dict[str, list[int]] = {}
        # First words by shape, for masked words ("f**k"): (first letter, length) -> word ->
        # terms, and (first letter, _STARRED) for words with `*` (any length).
        self.by_shape: dict[tuple[str, int], dict[str, list[int]]] = {}
        # Terms starting with <name> or <cap>: tried on capitalised words.
        self.by_name: list[int] = []
        self.by_mention: list[int] = []  # terms starting with <mention>
        self.by_any: list[int] = []  # terms starting with "*": tried everywhere
        self.roles: dict[tuple[int, ...], Role] = {}
        self.spans: list[int] = []  # each role's span, by role number
        # For each term, the numbers of the roles it is in: a trie node deals its hits
        # straight to roles, instead of each role looking up each of its terms.
        self.roles_of_term: list[list[int]] = []
        self.groups_by_key: dict[str, tuple[Group, ...]] = {}  # first_groups
        self.swearing: set[int] = set()  # swear words: all a masked word may be; never an @handle
        texts = pack["terms"].split("\n")  # each term once, referred to by index

        def add_all(runs: list[int]) -> Role:
            return self.role(tuple(self._add(texts[t]) for t in from_runs(runs)))

        self.allow = add_all(pack["allow"])
        self.rules: list[tuple[dict[str, Any], dict[str, Role]]] = []
        for rule in pack["rules"]:
            match = rule["match"]
            roles = {role: add_all(match.get(role, [])) for role in ("terms", "target", "cue")}
            roles["except"] = add_all(rule.get("except", []))
            roles["except_nearby"] = add_all(rule.get("except_nearby", []))
            self.rules.append((rule, roles))
            if rule["category"] == "offensive-language":
                self.swearing.update(roles["terms"].terms)
        # The Words of the pack's own words (words that start or go on terms, common
        # words), as typed in lower case: most words of a paste are among them, so even
        # its first check finds them ready (about 40 ms, once per pack).
        lists = (self.exact, *filter(None, self.atom_words), self.common)
        for text in dict.fromkeys(text for words in lists for text in words):
            if text not in self.words:
                self.words[text] = self.new_word(text, False, False)

    def role(self, terms: tuple[int, ...]) -> Role:
        """The Role for a list of terms (one per distinct list)."""
        found = self.roles.get(terms)
        if found is None:
            span = max((self.sizes[t] - 1 for t in terms), default=0)
            found = self.roles[terms] = Role(len(self.roles), terms, span)
            self.spans.append(span)
            for term_index in set(terms):
                self.roles_of_term[term_index].append(found.number)
        return found

    def _add(self, text: str) -> int:
        if text in self.term_ids:
            return self.term_ids[text]
        index = len(self.terms)
        term = parse_term(text)
        self.terms.append(term)
        self.term_ids[text] = index
        self.atom_ids.append(tuple(self._atom_number(atom) for atom in term.atoms))
        self.sizes.append(len(term.atoms))
        self.anchored.append(term.anchored)
        self.roles_of_term.append([])
        first = term.atoms[0]
        if first.special:
            {
                "<name>": self.by_name,
                "<cap>": self.by_name,
                "<mention>": self.by_mention,
                "*": self.by_any,
            }[first.special].append(index)
            return index
        for alternative in first.alternatives:
            if "*" not in alternative and "?" not in alternative:
                _append_once(self.exact.setdefault(alternative, []), index)
            elif _is_start(alternative):
                _append_once(self.by_start.setdefault(alternative[:-1], []), index)
                self.stems.update(alternative[:end] for end in range(1, len(alternative)))
            else:
                _append_once(self.glob_by_prefix.setdefault(glob_key(alternative), []), index)
            length = _STARRED if "*" in alternative else len(alternative)
            shape = self.by_shape.setdefault((alternative[0], length), {})
            _append_once(shape.setdefault(alternative, []), index)
        return index

    def _atom_number(self, atom: Atom) -> int:
        number = self.atom_numbers.get(atom)
        if number is None:
            number = self.atom_numbers[atom] = len(self.atom_numbers)
            self.atom_words.append(tuple(dict.fromkeys(atom.alternatives)) if atom.exact else None)
        return number

    def group(self, term_indexes: Iterable[int], offset: int) -> tuple[Group, ...]:
        """Terms gathered by their atom at `offset`, so each atom is tested once per word."""
        groups: dict[int, list[int]] = {}
        for term_index in term_indexes:
            groups.setdefault(self.atom_ids[term_index][offset], []).append(term_index)
        return tuple(
            (number, self.terms[terms[0]].atoms[offset], terms) for number, terms in groups.items()
        )

    def first_groups(self, key: str, terms: list[int]) -> tuple[Group, ...]:
        """`terms` (a list from an index: wildcard terms by `glob_key`, <name>/<cap> terms,
        <mention> terms, `*` terms) grouped by first atom, made once per index entry and kept."""
        groups = self.groups_by_key.get(key)
        if groups is None:
            groups = self.groups_by_key[key] = self.group(terms, 0)
        return groups

    def fits(self, word: Word, number: int, atom: Atom) -> bool:
        """Does `word` fit the atom numbered `number`? Worked out once per word and atom
        (terms share atoms), and kept on the word."""
        known = word.fits.get(number)
        if known is None:
            known = word.fits[number] = atom_matches(atom, word, self.common)
        return known

    def in_groups(self, groups: Iterable[Group], word: Word) -> list[int]:
        """The terms of every group whose atom fits `word`."""
        return [t for number, atom, terms in groups if self.fits(word, number, atom) for t in terms]

    def fitting(self, term_indexes: Iterable[int], offset: int, word: Word) -> list[int]:
        """The terms whose atom `offset` fits `word`, in the order given."""
        atom_ids, terms = self.atom_ids, self.terms
        return [
            t for t in term_indexes if self.fits(word, atom_ids[t][offset], terms[t].atoms[offset])
        ]

    def prefix(self, terms: list[int], depth: int) -> Prefix | None:
        """The trie node for `terms`, which fit the first `depth` words; None if there are none."""
        if not terms:
            return None
        key = (depth, *terms)
        node = self.nodes.get(key)
        if node is None:  # words that start (or go on) the same terms share one node
            node = self.nodes[key] = self._new_prefix(terms, depth)
        return node

    def _new_prefix(self, terms: list[int], depth: int) -> Prefix:
        """A trie node, with its pending terms indexed by the exact words their next atom
        takes (so a word finds them by lookup), and the other atoms grouped."""
        sizes, atom_ids, atom_words = self.sizes, self.atom_ids, self.atom_words
        pending: list[int] = []
        done: list[int] = []
        by_word: dict[str, list[int]] = {}
        loose: list[int] = []
        for t in terms:
            if sizes[t] == depth:
                done.append(t)
                continue
            pending.append(t)
            alternatives = atom_words[atom_ids[t][depth]]
            if alternatives is None:
                loose.append(t)
            else:
                for alternative in alternatives:
                    by_word.setdefault(alternative, []).append(t)
        roles = start_roles = self.roles_of(done) if done else []
        if any(map(self.anchored.__getitem__, done)):
            roles = self.roles_of([t for t in done if not self.anchored[t]])
        loose_groups = self.group(loose, depth) if loose else ()
        return Prefix(roles, start_roles, pending, {}, by_word, loose_groups)

    def roles_of(self, terms: list[int]) -> list[int]:
        """The numbers of the roles these terms are in, each once."""
        if len(terms) == 1:
            return self.roles_of_term[terms[0]]  # a term's roles are listed once each
        return sorted({number for t in terms for number in self.roles_of_term[t]})

    def words_of(self, tokens: Tokens) -> list[Word]:
        """The Word of every token, shared between tokens spelt alike (and across messages)."""
        if len(self.words) > 100_000 or len(self.nodes) > 200_000:
            self.words.clear()
            self.nodes.clear()
        known = self.words
        texts, caps, mentions = tokens.texts, tokens.caps, tokens.mentions
        keys: list[object] = list(texts)  # most words are plain: the text is the key
        for index in compress(range(len(keys)), map(or_, caps, mentions)):
            keys[index] = (texts[index], caps[index], mentions[index])
        words = list(map(known.get, keys))
        for index in [i for i, word in enumerate(words) if word is None]:
            word = known.get(keys[index])
            if word is None:
                word = known[keys[index]] = self.new_word(
                    texts[index], caps[index], mentions[index]
                )
            words[index] = word
        return words

    def new_word(self, text: str, cap: bool, mention: bool) -> Word:
        """The Word for a spelling, with the trie node of the terms it starts."""
        word = word_of(text, cap, mention, self.leet)
        word.prefix = self.prefix(_firsts(self, word), 1)
        return word


@dataclass(slots=True, eq=False)
class Prefix:
    """A node of a trie over runs of words, built as runs are met and kept across messages.

    `roles`: the roles of the terms that fit exactly the run so far (`start_roles`: the
    same, with terms anchored to the start of the message); `pending`: terms that fit it
    and need more words; `after`: next word -> node (`_END` where no term goes on). Each
    run of words is matched against the terms once, so a place in the message costs a
    dictionary lookup per word of a term, and its hit is dealt straight to the roles.
    """

    roles: list[int]
    start_roles: list[int]
    pending: list[int]
    after: dict[Word, Prefix]
    # `pending` by the exact words their next atom takes (each list in term order), and
    # the rest (wildcards, markers) grouped by atom, so a word finds its terms by lookup.
    by_word: dict[str, list[int]]
    loose: tuple[Group, ...]


#: Where a run of words fits no term: no terms done, none pending.
_END = Prefix([], [], [], {}, {}, ())


#: `by_shape`'s length for words with `*`, which fit masked words of any length.
_STARRED = -1


def _is_start(pattern: str) -> bool:
    """Is the pattern a plain beginning (`play*`: one star, at the end, and no `?`)?"""
    return pattern.endswith("*") and pattern.count("*") == 1 and "?" not in pattern


def glob_key(pattern: str) -> str:
    """Index key of a wildcard word: its first two characters, or one if a wildcard is second."""
    return pattern[:2] if len(pattern) > 1 and pattern[1] not in "*?" else pattern[:1]


def _append_once(items: list[int], value: int) -> None:
    if value not in items:
        items.append(value)


_PREPARED: dict[int, Prepared] = {}


def prepare(pack: dict[str, Any]) -> Prepared:
    """Prepared form of a pack, cached for as long as the pack object lives in the cache."""
    prepared = _PREPARED.get(id(pack))
    if prepared is None or prepared.pack is not pack:
        if len(_PREPARED) > 8:
            _PREPARED.clear()
        prepared = _PREPARED[id(pack)] = Prepared(pack)
    return prepared


def _masked_firsts(prepared: Prepared, word: Word) -> list[int]:
    """Terms whose first atom fits a masked word ("f**k"), in term order. A mask may
    stand for any letter, so each first word of the same first letter and length (or
    with `*`) is globbed against it: a word that fits brings its terms."""
    found: set[int] = set()
    for form in word.forms:
        for length in (len(form), _STARRED):
            for pattern, terms in prepared.by_shape.get((form[0], length), {}).items():
                if glob(pattern, form):
                    found.update(terms)
    if word.visible < 2:  # "f***" can only be read as a swear word
        found &= prepared.swearing
    return _with_markers(prepared, word, found)


def _with_markers(prepared: Prepared, word: Word, found: set[int]) -> list[int]:
    """`found` and the terms whose first atom is a marker that fits the word (<name> or
    <cap>, <mention>, `*`), in term order."""
    if word.cap:
        found.update(prepared.in_groups(prepared.first_groups("<name>", prepared.by_name), word))
    if word.mention:
        mentions = prepared.first_groups("<mention>", prepared.by_mention)
        found.update(prepared.in_groups(mentions, word))
        # An @handle is someone's name, never a swear word ("@PhuckedFame", "@hoes").
        found -= prepared.swearing
    if prepared.by_any:
        found.update(prepared.in_groups(prepared.first_groups("*", prepared.by_any), word))
    return sorted(found)


def _firsts(prepared: Prepared, word: Word) -> list[int]:
    """Terms whose first atom fits the word, in term order.

    Plain words and `play*` beginnings are looked up; only other wildcards and markers
    are tested, each shared atom once.
    """
    if word.masked:
        return _masked_firsts(prepared, word)
    exact, by_start, stems = prepared.exact, prepared.by_start, prepared.stems
    found: list[int] = []
    for form in word.forms:
        found += exact.get(form, ())
        for end in range(1, len(form) + 1):
            stem = form[:end]
            if stem not in stems:
                break  # no `play*` starts this way
            found += by_start.get(stem, ())
        for key in (form[:1], form[:2]) if len(form) > 1 else (form,):
            if key in prepared.glob_by_prefix:
                groups = prepared.first_groups(key, prepared.glob_by_prefix[key])
                found += prepared.in_groups(groups, word)
    return _with_markers(prepared, word, set(found))


def find_hits(prepared: Prepared, words: list[Word]) -> dict[int, list[Hit]]:
    """Every place a term of each role matches: role number -> hits, in token order
    (by first token, then last) and each once, so no role needs sorting.

    Only tokens whose word starts a term are visited, and from each the trie of runs of
    words (`Prefix`) is followed for as long as some term still fits.
    """
    by_role: defaultdict[int, list[Hit]] = defaultdict(list)
    count = len(words)
    for index in [i for i, word in enumerate(words) if word.prefix is not None]:
        node = words[index].prefix
        last = index
        while True:
            if node.start_roles:
                hit = (index, last)
                for number in node.roles if index else node.start_roles:
                    by_role[number].append(hit)
            last += 1
            if not node.pending or last >= count:
                break
            word = words[last]
            following = node.after.get(word)
            if following is None:
                following = node.after[word] = _follow(prepared, node, last - index, word)
            node = following
    return by_role


def _follow(prepared: Prepared, node: Prefix, depth: int, word: Word) -> Prefix:
    """The node for the run so far with `word` after it (`_END` if no term goes on).

    Most new steps are dead ends: a node without wildcards or markers answers a plain
    word with one lookup in its `by_word`, making no list and no key.
    """
    if not node.loose and not word.masked and len(word.forms) == 1:
        fitting = node.by_word.get(word.forms[0])
        if fitting is None:
            return _END
    else:
        fitting = _next_fitting(prepared, node, depth, word)
    return prepared.prefix(fitting, depth + 1) or _END


def _next_fitting(prepared: Prepared, node: Prefix, depth: int, word: Word) -> list[int]:
    """The pending terms whose atom `depth` fits `word`, in term order.

    Same answer as testing every pending term, but the node looks the word up among its
    terms' plain words, and tests each other atom (`play*`, `<name>`) once, however many
    terms share it.
    """
    if word.masked:  # a mask may stand for any letter: test every term
        return prepared.fitting(node.pending, depth, word)
    found = [t for form in word.forms for t in node.by_word.get(form, ())]
    if node.loose:
        found += prepared.in_groups(node.loose, word)
    return sorted(set(found)) if len(found) > 1 else found


def _gather(by_role: dict[int, list[Hit]], role: Role) -> list[Hit]:
    """A role's hits in order, minus any inside a longer one (at the same start, the
    longest is kept). The list given is in order, each hit once, and is not changed."""
    found = by_role.get(role.number)
    if not found:
        return []
    if role.one_word:
        return found
    kept: list[Hit] = []
    reach = kept_first = -1  # the last and first token of the last hit kept
    for hit in found:
        first, last = hit
        if last <= reach:
            continue  # inside a longer hit of the same rule
        if first == kept_first:
            kept[-1] = hit  # same start, longer
        else:
            kept.append(hit)
            kept_first = first
        reach = last
    return kept


def _unblocked(
    prepared: Prepared, by_role: dict[int, list[Hit]], blocked: set[int]
) -> dict[int, list[Hit]]:
    """The hits that touch no allowed token ("Dick King-Smith"), filtered once for all rules.

    A role's hits are in token order and none is longer than its longest term, so a
    binary search per allowed token finds the few hits that may touch it; the rest of
    the list is kept in slices.
    """
    if not blocked:
        return by_role
    cuts = sorted(blocked)
    unblocked: dict[int, list[Hit]] = {}
    for number, found in by_role.items():
        span = prepared.spans[number]
        touching = sorted({at for cut in cuts for at in _touching(found, cut, span)})
        if touching:
            kept: list[Hit] = []
            start = 0
            for at in touching:
                kept += found[start:at]
                start = at + 1
            found = kept + found[start:]
        if found:
            unblocked[number] = found
    return unblocked


def _touching(found: list[Hit], cut: int, span: int) -> list[int]:
    """Where in `found` (hits in token order, none longer than `span` + 1 tokens) are
    the hits that take in token `cut`."""
    at = bisect_left(found, (cut - span, -1))
    touching: list[int] = []
    while at < len(found) and found[at][0] <= cut:
        if found[at][1] >= cut:
            touching.append(at)
        at += 1
    return touching


def _near(
    targets: list[Hit], cues: list[Hit], sentences: list[int], within: int, reach: int
) -> list[Hit]:
    """Pair each cue with its nearest target: at most `within` words apart or, when `within`
    is 0, at most `reach` sentences apart (0: the same sentence; 1: the next one too), a
    target in the cue's own sentence before any other.

    Targets come from `_gather` (in order, none inside another), so their first tokens
    and their last tokens both rise: the nearest target ending before a cue and the
    nearest starting after it are found by binary search, and the nearer of the two (on
    a tie, the one before) is the pair; any target further away is further in words and
    in sentences. A target overlapping the cue is neither.
    """
    firsts = list(map(itemgetter(0), targets))
    lasts = list(map(itemgetter(1), targets))
    if within:
        return _tightest(_near_in_words(firsts, lasts, cues, within))
    return _tightest(_near_in_sentences(firsts, lasts, cues, sentences, reach))


def _near_in_words(firsts: list[int], lasts: list[int], cues: list[Hit], within: int) -> list[Hit]:
    """`_near` for targets at most `within` words from the cue: the target ending before
    the cue (found by `bisect_left`) or, if nearer, the one starting after it."""
    pairs: list[Hit] = []
    count = len(firsts)
    too_far = within + 1
    for cue_first, cue_last in cues:
        before = bisect_left(lasts, cue_first) - 1
        after = bisect_right(firsts, cue_last)
        gap_before = cue_first - lasts[before] if before >= 0 else too_far
        gap_after = firsts[after] - cue_last if after < count else too_far
        if gap_before <= within and gap_before <= gap_after:
            pairs.append((firsts[before], cue_last))
        elif gap_after <= within:
            pairs.append((cue_first, lasts[after]))
    return pairs


def _near_in_sentences(
    firsts: list[int], lasts: list[int], cues: list[Hit], sentences: list[int], reach: int
) -> list[Hit]:
    """`_near` for targets at most `reach` sentences from the cue: of the target ending
    before the cue and the one starting after it, the nearer in words, a target in the
    cue's own sentence before one in another (its gap counts the whole message more)."""
    pairs: list[Hit] = []
    count = len(firsts)
    elsewhere = len(sentences)
    for cue_first, cue_last in cues:
        sentence = sentences[cue_first]
        before = bisect_left(lasts, cue_first) - 1
        after = bisect_right(firsts, cue_last)
        gap_before = gap_after = None
        if before >= 0:
            apart = sentences[firsts[before]] - sentence
            if -reach <= apart <= reach:
                gap_before = cue_first - lasts[before] + (elsewhere if apart else 0)
        if after < count:
            apart = sentences[firsts[after]] - sentence
            if -reach <= apart <= reach:
                gap_after = firsts[after] - cue_last + (elsewhere if apart else 0)
        if gap_before is not None and (gap_after is None or gap_before <= gap_after):
            pairs.append((firsts[before], cue_last))
        elif gap_after is not None:
            pairs.append((cue_first, lasts[after]))
    return pairs


def _tightest(pairs: list[Hit]) -> list[Hit]:
    """Drop duplicates and any pair that contains another one (keep the tight quotes)."""
    unique = sorted(set(pairs), key=lambda p: (-p[0], p[1]))
    kept: list[Hit] = []
    smallest_last = None
    for first, last in unique:
        if smallest_last is None or smallest_last > last:
            kept.append((first, last))
        if smallest_last is None or last < smallest_last:
            smallest_last = last
    kept.reverse()
    return kept


_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_UPPER = bytes(c for c in range(128) if not ("A" <= chr(c) <= "Z"))


def _ascii_letters(text: str) -> tuple[int, int]:
    """How many ASCII letters, and how many of them capitals (in C, not a Python loop)."""
    data = text.encode("ascii", "ignore")
    return len(data.translate(None, _NOT_LETTERS)), len(data.translate(None, _NOT_UPPER))


def _metric(rule_match: dict[str, Any], tokens: Tokens, text: str) -> list[Hit]:
    """Shouting: most letters in capitals over a long enough message."""
    letters, upper = _ascii_letters(text)
    if letters < rule_match["min_letters"] or upper < rule_match["caps_share"] * letters:
        return []
    shouted: list[int] = []
    for index, (start, end) in enumerate(zip(tokens.orig_starts, tokens.orig_ends, strict=True)):
        word = text[start:end]
        ascii_letters = [c for c in word if "a" <= c <= "z" or "A" <= c <= "Z"]
        if len(ascii_letters) >= 2 and all("A" <= c <= "Z" for c in ascii_letters):
            shouted.append(index)
    return [(shouted[0], shouted[-1])] if shouted else []


def _wording_findings(
    wording: WordingModel, pack: dict[str, Any], tokens: Tokens, text: str
) -> list[Finding]:
    """The wording check's finding for a message no rule flagged (none if it reads fine)."""
    found = wording.check(tokens)
    if found is None:
        return []
    start, end = tokens.orig_starts[found.first], tokens.orig_ends[found.last]
    texts = wording.texts[found.category]
    return [
        Finding(
            found.category,
            pack["categories"][found.category],
            "caution",
            start,
            end,
            text[start:end],
            texts["message"],
            texts["suggestion"],
            f"wording.{found.category}",
        )
    ]


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """Hold off Python's cycle collector while one message is checked.

    A check makes tens of thousands of small objects (hits, words, trie nodes) and
    none of them form cycles, so collections during it find nothing to free but
    cost about a sixth of the time of a 100 KB paste. Reference counting still
    frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_message(pack: dict[str, Any], text: str) -> CheckResult:
    """The verdict and findings for one draft message."""
    with _without_gc_pauses():
        return _check(pack, text)


def _check(pack: dict[str, Any], text: str) -> CheckResult:
    prepared = prepare(pack)
    tokens = tokenize(prepared.folder(text), text)
    all_by_role = find_hits(prepared, prepared.words_of(tokens))
    # `allow` and `except` terms count everywhere.
    blocked = {
        i for first, last in _gather(all_by_role, prepared.allow) for i in range(first, last + 1)
    }
    unblocked = _unblocked(prepared, all_by_role, blocked)
    sentences = tokens.sentences
    orig_starts, orig_ends = tokens.orig_starts, tokens.orig_ends
    gathered: dict[int, list[Hit]] = {}  # by role number: rules share lists such as @person
    # The sentences each `except` role cancels, by role number and reach (0, or 1: the
    # sentences next to its hits as well).
    excepts: dict[tuple[int, int], set[int]] = {}

    def cancelled(role: Role, reach: int) -> set[int]:
        """The sentences `role`'s hits are in (and, with reach 1, those next to them)."""
        key = (role.number, reach)
        if key not in excepts:
            firsts = map(itemgetter(0), _gather(all_by_role, role))
            found = set(map(sentences.__getitem__, firsts))  # their sentences, in C
            if reach:
                found |= {s + step for s in found for step in range(-reach, reach + 1)}
            excepts[key] = found
        return excepts[key]

    def gather(role: Role) -> list[Hit]:
        if role.number not in gathered:
            gathered[role.number] = _gather(unblocked, role)
        return gathered[role.number]

    findings: list[Finding] = []
    quoted: list[Hit] = []  # the tokens of each finding (their sentences, when needed)
    rank = 0
    for rule, roles in prepared.rules:
        match = rule["match"]
        kind = match["kind"]
        if kind == "terms":
            found = gather(roles["terms"])
        elif kind == "near":
            cues = gather(roles["cue"])
            targets = gather(roles["target"]) if cues else []
            found = (
                _near(targets, cues, sentences, match["within"], match.get("reach", 0))
                if targets
                else []
            )
        else:
            found = _metric(match, tokens, text)
        if not found:
            continue
        excepted = cancelled(roles["except"], rule.get("except_reach", 0))
        if roles["except_nearby"].terms:
            excepted = excepted | cancelled(roles["except_nearby"], 1)
        seen: set[tuple[int, int]] = set()
        count = len(findings)
        category, clause, severity = rule["category"], rule["clause"], rule["severity"]
        message, suggestion, rule_id = rule["message"], rule["suggestion"], rule["id"]
        for first, last in found:
            if excepted and not excepted.isdisjoint(range(sentences[first], sentences[last] + 1)):
                continue
            start, end = orig_starts[first], orig_ends[last]
            if (start, end) in seen:
                continue
            seen.add((start, end))
            quoted.append((first, last))
            findings.append(
                Finding(
                    category,
                    clause,
                    severity,
                    start,
                    end,
                    text[start:end],  # Python strings index code points
                    message,
                    suggestion,
                    rule_id,
                )
            )
        if len(findings) > count:
            rank = max(rank, SEVERITY_RANK[severity])
    if prepared.wording is not None:
        if not findings:
            findings = _wording_findings(prepared.wording, pack, tokens, text)
            rank = SEVERITY_RANK["caution"] if findings else 0
        elif rank == SEVERITY_RANK["caution"]:
            flagged = {  # the sentences findings are in
                number
                for first, last in quoted
                for number in range(sentences[first], sentences[last] + 1)
            }
            categories = {finding.category for finding in findings}
            if prepared.wording.reads_fine(tokens, flagged, categories):
                findings, rank = [], 0  # cautions only, in sentences that read plainly fine
    findings.sort(key=attrgetter("start", "end", "rule"))
    verdict = {0: "ok", 1: "caution", 2: "stop"}[rank]
    return CheckResult(verdict, tuple(findings))
