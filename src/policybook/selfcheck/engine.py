"""Check one draft message against a compiled rule pack (the Python engine).

`check_message(pack, text)` folds and tokenizes the text once, finds every
term of every rule through one index (so cost grows with the message, not
with the word lists), then applies each rule: plain terms, `near` pairs of a
target and a cue, or a `metric`. Findings carry offsets in code points into
the text as typed, sorted by (start, end, rule id). widgets/engine.js is a
line-by-line port and must give identical results (tests/vectors/).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from policybook.selfcheck.normalise import fold_text, unpack_fold
from policybook.selfcheck.terms import Term, atom_matches, parse_term
from policybook.selfcheck.tokens import Token, tokenize

SEVERITY_RANK = {"caution": 1, "stop": 2}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Hit:
    first: int  # token indexes, inclusive
    last: int


class Prepared:
    """A pack made ready to match: tables unpacked and every term indexed by its first word."""

    def __init__(self, pack: dict[str, Any]):
        self.pack = pack
        norm = pack["normalise"]
        self.fold = unpack_fold(norm["fold"])
        self.drop = tuple((lo, hi) for lo, hi in norm["drop"])
        self.leet = dict(norm["leet"])
        self.common = frozenset(pack["common_words"])
        self.terms: list[Term] = []
        self.term_ids: dict[str, int] = {}
        self.exact: dict[str, list[int]] = {}
        self.glob_by_char: dict[str, list[int]] = {}
        self.all_by_char: dict[str, list[int]] = {}
        self.special: list[int] = []
        self.allow = [self._add(t) for t in pack["allow"]]
        self.rules = []
        for rule in pack["rules"]:
            match = rule["match"]
            roles = {
                role: [self._add(t) for t in match.get(role, [])]
                for role in ("terms", "target", "cue")
            }
            roles["except"] = [self._add(t) for t in rule.get("except", [])]
            self.rules.append((rule, roles))

    def _add(self, text: str) -> int:
        if text in self.term_ids:
            return self.term_ids[text]
        index = len(self.terms)
        term = parse_term(text)
        self.terms.append(term)
        self.term_ids[text] = index
        first = term.atoms[0]
        if first.special:
            self.special.append(index)
            return index
        for alternative in first.alternatives:
            if first.exact:
                self.exact.setdefault(alternative, []).append(index)
            else:
                _append_once(self.glob_by_char.setdefault(alternative[0], []), index)
            _append_once(self.all_by_char.setdefault(alternative[0], []), index)
        return index


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


def _candidates(prepared: Prepared, token: Token) -> list[int]:
    """Terms whose first word may fit this token, found by lookup rather than by scanning."""
    found: list[int] = []
    if token.masked:
        for form in token.forms:
            found += prepared.all_by_char.get(form[0], [])
    else:
        for form in token.forms:
            found += prepared.exact.get(form, [])
            found += prepared.glob_by_char.get(form[0], [])
    found += prepared.special
    return sorted(set(found))


def find_hits(prepared: Prepared, tokens: list[Token]) -> dict[int, list[Hit]]:
    """Every place every term matches: term index -> hits in token order."""
    hits: dict[int, list[Hit]] = {}
    common = prepared.common
    for index, token in enumerate(tokens):
        for term_index in _candidates(prepared, token):
            term = prepared.terms[term_index]
            if term.anchored and index != 0:
                continue
            last = index + len(term.atoms) - 1
            if last >= len(tokens):
                continue
            if all(
                atom_matches(atom, tokens[index + offset], common)
                for offset, atom in enumerate(term.atoms)
            ):
                hits.setdefault(term_index, []).append(Hit(index, last))
    return hits


def _gather(hits: dict[int, list[Hit]], term_indexes: list[int], blocked: set[int]) -> list[Hit]:
    """Hits of a role's terms, minus any touching an allowed token, longest first at a start."""
    found = [
        hit
        for term_index in term_indexes
        for hit in hits.get(term_index, [])
        if not any(i in blocked for i in range(hit.first, hit.last + 1))
    ]
    found.sort(key=lambda h: (h.first, -h.last))
    kept: list[Hit] = []
    for hit in found:
        if kept and kept[-1].first <= hit.first and hit.last <= kept[-1].last:
            continue  # inside a longer hit of the same rule
        kept.append(hit)
    return kept


def _near(targets: list[Hit], cues: list[Hit], tokens: list[Token], within: int) -> list[Hit]:
    """Pair each cue with its nearest target (same sentence, or at most `within` words apart)."""
    pairs: list[Hit] = []
    for cue in cues:
        best: Hit | None = None
        best_gap = 0
        for target in targets:
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
    return pairs


def _metric(rule_match: dict[str, Any], tokens: list[Token], text: list[str]) -> list[Hit]:
    """Shouting: most letters in capitals over a long enough message."""
    letters = upper = 0
    shouted: list[int] = []
    for index, token in enumerate(tokens):
        word = text[token.orig_start : token.orig_end]
        ascii_letters = [c for c in word if "a" <= c.lower() <= "z"]
        caps = [c for c in ascii_letters if "A" <= c <= "Z"]
        letters += len(ascii_letters)
        upper += len(caps)
        if len(ascii_letters) >= 2 and len(caps) == len(ascii_letters):
            shouted.append(index)
    if letters < rule_match["min_letters"] or not shouted:
        return []
    if upper < rule_match["caps_share"] * letters:
        return []
    return [Hit(shouted[0], shouted[-1])]


def check_message(pack: dict[str, Any], text: str) -> CheckResult:
    """The verdict and findings for one draft message."""
    prepared = prepare(pack)
    folded = fold_text(text, prepared.fold, prepared.drop)
    tokens = tokenize(folded, text, prepared.leet)
    hits = find_hits(prepared, tokens)
    blocked = {
        i for hit in _gather(hits, prepared.allow, set()) for i in range(hit.first, hit.last + 1)
    }
    code_points = list(text)
    findings: list[Finding] = []
    for rule, roles in prepared.rules:
        match = rule["match"]
        kind = match["kind"]
        if kind == "terms":
            found = _gather(hits, roles["terms"], blocked)
        elif kind == "near":
            found = _near(
                _gather(hits, roles["target"], blocked),
                _gather(hits, roles["cue"], blocked),
                tokens,
                match["within"],
            )
        else:
            found = _metric(match, tokens, code_points)
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
                    quote="".join(code_points[start:end]),
                    message=rule["message"],
                    suggestion=rule["suggestion"],
                    rule=rule["id"],
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    rank = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    verdict = {0: "ok", 1: "caution", 2: "stop"}[rank]
    return CheckResult(verdict, tuple(findings))
