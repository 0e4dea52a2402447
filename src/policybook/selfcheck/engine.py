"""Check one draft message against a compiled rule pack (the Python engine).

`check_message(pack, text)` folds and tokenizes the text once, finds every
term of every rule through one index (so cost grows with the message, not
with the word lists), then applies each rule: plain terms, `near` pairs of a
target and a cue, or a `metric`. Findings carry offsets in code points into
the text as typed, sorted by (start, end, rule id). widgets/engine.js is a
line-by-line port and must give identical results (tests/vectors/).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from policybook.selfcheck.normalise import Folder, unpack_fold
from policybook.selfcheck.terms import Term, atom_matches, parse_term
from policybook.selfcheck.tokens import Token, tokenize

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


class Hit(NamedTuple):
    """Where a term matched: token indexes, inclusive (a tuple: made by the thousand)."""

    first: int
    last: int


class Prepared:
    """A pack made ready to match: tables unpacked and every term indexed by its first word."""

    def __init__(self, pack: dict[str, Any]):
        self.pack = pack
        norm = pack["normalise"]
        self.fold = unpack_fold(norm["fold"])
        self.drop = tuple((lo, hi) for lo, hi in norm["drop"])
        self.folder = Folder(self.fold, self.drop)
        self.known_forms: dict[str, tuple[str, ...]] = {}
        self.known_candidates: dict[object, tuple[list[int], set[int]]] = {}
        self.known_fits: dict[tuple[int, int, str, bool, bool], bool] = {}
        self.known_pairs: dict[tuple[object, object], list[int]] = {}
        self.leet = dict(norm["leet"])
        self.common = frozenset(pack["common_words"])
        self.terms: list[Term] = []
        self.second_words: list[frozenset[str] | None] = []  # plain second words, for speed
        self.term_ids: dict[str, int] = {}
        self.exact: dict[str, list[int]] = {}
        self.glob_by_prefix: dict[str, list[int]] = {}  # by the first two letters (or one)
        self.all_by_char: dict[str, list[int]] = {}
        self.by_name: list[int] = []  # terms starting with <name>: tried on capitalised words
        self.by_mention: list[int] = []  # terms starting with <mention>
        self.by_any: list[int] = []  # terms starting with "*": tried everywhere
        self.swearing: set[int] = set()  # terms a barely visible masked word may stand for
        self.allow = [self._add(t) for t in pack["allow"]]
        self.rules = []
        for rule in pack["rules"]:
            match = rule["match"]
            roles = {
                role: tuple(self._add(t) for t in match.get(role, []))
                for role in ("terms", "target", "cue")
            }
            roles["except"] = tuple(self._add(t) for t in rule.get("except", []))
            self.rules.append((rule, roles))
            if rule["category"] == "offensive-language":
                self.swearing.update(roles["terms"])

    def _add(self, text: str) -> int:
        if text in self.term_ids:
            return self.term_ids[text]
        index = len(self.terms)
        term = parse_term(text)
        self.terms.append(term)
        self.term_ids[text] = index
        second = term.atoms[1] if len(term.atoms) > 1 else None
        self.second_words.append(
            frozenset(second.alternatives) if second is not None and second.exact else None
        )
        first = term.atoms[0]
        if first.special:
            {"<name>": self.by_name, "<mention>": self.by_mention, "*": self.by_any}[
                first.special
            ].append(index)
            return index
        for alternative in first.alternatives:
            if "*" not in alternative and "?" not in alternative:
                _append_once(self.exact.setdefault(alternative, []), index)
            else:
                _append_once(self.glob_by_prefix.setdefault(glob_key(alternative), []), index)
            _append_once(self.all_by_char.setdefault(alternative[0], []), index)
        return index


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


def _candidates(prepared: Prepared, token: Token) -> tuple[set[int], set[int]]:
    """Terms whose first word may fit this token, found by lookup rather than by scanning:
    (terms whose first word is known to fit, terms whose first word still needs a check)."""
    fitting: set[int] = set()
    maybe: set[int] = set()
    if token.masked:
        for form in token.forms:
            maybe.update(prepared.all_by_char.get(form[0], ()))
        if token.visible < 2:  # "f***" can only be read as a swear word
            maybe &= prepared.swearing
    else:
        for form in token.forms:
            fitting.update(prepared.exact.get(form, ()))
            maybe.update(prepared.glob_by_prefix.get(form[:1], ()))
            if len(form) > 1:
                maybe.update(prepared.glob_by_prefix.get(form[:2], ()))
    if token.cap:
        maybe.update(prepared.by_name)
    if token.mention:
        maybe.update(prepared.by_mention)
    maybe.update(prepared.by_any)
    return fitting, maybe - fitting


def find_hits(prepared: Prepared, tokens: list[Token]) -> dict[int, list[Hit]]:
    """Every place every term matches: term index -> hits in token order."""
    hits: dict[int, list[Hit]] = {}
    common = prepared.common
    count = len(tokens)
    cache = prepared.known_candidates
    known = prepared.known_fits  # (term, atom, word, cap, mention) -> does it fit
    if len(cache) > 100_000 or len(known) > 200_000 or len(prepared.known_pairs) > 200_000:
        cache.clear()
        known.clear()
        prepared.known_pairs.clear()
    keys = [(t.text, t.cap, t.mention) if t.cap or t.mention else t.text for t in tokens]
    pair_cache = prepared.known_pairs
    for index, token in enumerate(tokens):
        key = keys[index]
        found = cache.get(key)
        if found is None:
            fitting, maybe = _candidates(prepared, token)
            found = cache[key] = (sorted(fitting | maybe), maybe)
        ordered, maybe = found
        if not ordered:
            continue
        if index + 1 < count and not tokens[index + 1].masked:
            # Most terms that start here need a given second word: drop those that cannot fit
            # the next word, once per pair of words.
            pair = (key, keys[index + 1])
            ordered = pair_cache.get(pair)
            if ordered is None:
                following = tokens[index + 1].forms
                ordered = pair_cache[pair] = [
                    t
                    for t in found[0]
                    if prepared.second_words[t] is None
                    or not prepared.second_words[t].isdisjoint(following)
                ]
        for term_index in ordered:
            term = prepared.terms[term_index]
            if term.anchored and index != 0:
                continue
            atoms = term.atoms
            last = index + len(atoms) - 1
            if last >= count:
                continue
            matched = True
            for offset in range(0 if term_index in maybe else 1, len(atoms)):
                other = tokens[index + offset]
                key = (term_index, offset, other.text, other.cap, other.mention)
                fits = known.get(key)
                if fits is None:
                    fits = known[key] = atom_matches(atoms[offset], other, common)
                if not fits:
                    matched = False
                    break
            if matched:
                hits.setdefault(term_index, []).append(Hit(index, last))
    return hits


def _gather(
    hits: dict[int, list[Hit]], term_indexes: tuple[int, ...] | list[int], blocked: set[int]
) -> list[Hit]:
    """Hits of a role's terms, minus any touching an allowed token, longest first at a start."""
    found = [hit for term_index in term_indexes for hit in hits.get(term_index, ())]
    if blocked:
        found = [h for h in found if blocked.isdisjoint(range(h.first, h.last + 1))]
    found.sort(key=lambda h: (h.first, -h.last))
    kept: list[Hit] = []
    for hit in found:
        if kept and kept[-1].first <= hit.first and hit.last <= kept[-1].last:
            continue  # inside a longer hit of the same rule
        kept.append(hit)
    return kept


def sentence_bounds(tokens: list[Token]) -> list[tuple[int, int]]:
    """For each sentence number, the first and last token index in it."""
    bounds: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        while len(bounds) <= token.sentence:
            bounds.append((index, index))
        bounds[token.sentence] = (bounds[token.sentence][0], index)
    return bounds


def _near(
    targets: list[Hit],
    cues: list[Hit],
    tokens: list[Token],
    bounds: list[tuple[int, int]],
    within: int,
) -> list[Hit]:
    """Pair each cue with its nearest target (same sentence, or at most `within` words apart).

    Targets are sorted by position, so only those that can be near a cue are looked at.
    """
    pairs: list[Hit] = []
    firsts = [t.first for t in targets]
    longest = max((t.last - t.first for t in targets), default=0)
    for cue in cues:
        if within == 0:
            low_token, high_token = bounds[tokens[cue.first].sentence]
        else:
            low_token, high_token = cue.first - within - longest, cue.last + within
        best: Hit | None = None
        best_gap = 0
        for index in range(bisect_left(firsts, low_token), len(targets)):
            target = targets[index]
            if target.first > high_token:
                break
            if target.first <= cue.last and cue.first <= target.last:
                continue  # the same words cannot be both target and cue
            gap = cue.first - target.last if target.last < cue.first else target.first - cue.last
            if within == 0:
                if tokens[target.first].sentence != tokens[cue.first].sentence:
                    continue
            elif gap > within:
                continue
            if best is None or gap < best_gap:
                best, best_gap = target, gap
        if best is not None:
            pairs.append(Hit(min(best.first, cue.first), max(best.last, cue.last)))
    return _tightest(pairs)


def _tightest(pairs: list[Hit]) -> list[Hit]:
    """Drop duplicates and any pair that contains another one (keep the tight quotes)."""
    unique = sorted({(p.first, p.last) for p in pairs}, key=lambda p: (-p[0], p[1]))
    kept: list[Hit] = []
    smallest_last = None
    for first, last in unique:
        if smallest_last is None or smallest_last > last:
            kept.append(Hit(first, last))
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


def _metric(rule_match: dict[str, Any], tokens: list[Token], text: str) -> list[Hit]:
    """Shouting: most letters in capitals over a long enough message."""
    letters, upper = _ascii_letters(text)
    if letters < rule_match["min_letters"] or upper < rule_match["caps_share"] * letters:
        return []
    shouted: list[int] = []
    for index, token in enumerate(tokens):
        word = text[token.orig_start : token.orig_end]
        ascii_letters = [c for c in word if "a" <= c <= "z" or "A" <= c <= "Z"]
        if len(ascii_letters) >= 2 and all("A" <= c <= "Z" for c in ascii_letters):
            shouted.append(index)
    return [Hit(shouted[0], shouted[-1])] if shouted else []


def check_message(pack: dict[str, Any], text: str) -> CheckResult:
    """The verdict and findings for one draft message."""
    prepared = prepare(pack)
    folded = prepared.folder(text)
    tokens = tokenize(folded, text, prepared.leet, prepared.known_forms)
    hits = find_hits(prepared, tokens)
    blocked = {
        i for hit in _gather(hits, prepared.allow, set()) for i in range(hit.first, hit.last + 1)
    }
    bounds = sentence_bounds(tokens)
    gathered: dict[tuple[int, ...], list[Hit]] = {}  # rules share lists such as @person

    def gather(term_indexes: tuple[int, ...]) -> list[Hit]:
        if term_indexes not in gathered:
            gathered[term_indexes] = _gather(hits, term_indexes, blocked)
        return gathered[term_indexes]

    findings: list[Finding] = []
    for rule, roles in prepared.rules:
        match = rule["match"]
        kind = match["kind"]
        if kind == "terms":
            found = gather(roles["terms"])
        elif kind == "near":
            cues = gather(roles["cue"])
            targets = gather(roles["target"]) if cues else []
            found = _near(targets, cues, tokens, bounds, match["within"]) if targets else []
        else:
            found = _metric(match, tokens, text)
        if not found:
            continue
        excepted = {tokens[h.first].sentence for h in _gather(hits, roles["except"], set())}
        seen: set[tuple[int, int]] = set()
        for hit in found:
            sentences = range(tokens[hit.first].sentence, tokens[hit.last].sentence + 1)
            if any(s in excepted for s in sentences):
                continue
            start, end = tokens[hit.first].orig_start, tokens[hit.last].orig_end
            if (start, end) in seen:
                continue
            seen.add((start, end))
            findings.append(
                Finding(
                    category=rule["category"],
                    clause=rule["clause"],
                    severity=rule["severity"],
                    start=start,
                    end=end,
                    quote=text[start:end],  # Python strings index code points
                    message=rule["message"],
                    suggestion=rule["suggestion"],
                    rule=rule["id"],
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    rank = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    verdict = {0: "ok", 1: "caution", 2: "stop"}[rank]
    return CheckResult(verdict, tuple(findings))
