"""Compile the policy and its self-check rules into one JSON rule pack.

The pack is the only thing the two engines read (Python: `engine.py`;
browser: `widgets/engine.js`), so both give the same findings. Lists are
expanded and every term is folded here, once, exactly as messages are.

Rule-pack format (`"format": "policybook-rulepack/8"`), a JSON object:

```
{
  "format": "policybook-rulepack/8",
  "policy_version": "2025-09",            # the current published version the rules cite
  "school": {"name": ..., "short_name": ..., "office_email": ..., "headteacher_title": ...},
  "clauses": {                # every clause a rule cites, for "the guideline it goes against"
    "conduct.no-grievances": {"id": ..., "text": ..., "section": "conduct",
                              "section_title": "Code of Conduct"}
  },
  "categories": {"grievance": "conduct.no-grievances", ...},   # category -> usual clause
  "normalise": {
    "drop": [[lo, hi], ...],  # code point ranges removed (zero-width, accents, selectors)
    "fold": {"runs": [[start, "abc"], ...],   # code point start+i -> the i-th character
             "multi": {"64257": "fi", ...}},  # code point -> several characters
    "leet": {"0": "o", "1": "i", "@": "a", ...}   # applied only inside tokens with a letter
  },
  "common_words": "0a 1a 2a 1bandon ...",  # capitalised words that are not names (<name>),
                                          # sorted, front-coded (W), separated by spaces
  "terms": "dick king smith\n...",        # every TERM once, one per line; the lists below
                                          # refer to them by index (0 = the first line)
  "allow": T*,                            # terms; tokens they cover never count
  "rules": [
    {
      "id": "offensive.strong",            # stable; findings carry it as "rule"
      "category": "offensive-language", "clause": "inappropriate.anger-swearing",
      "severity": "caution" | "stop",
      "message": "plain-English explanation", "suggestion": "what to do instead",
      "match": {"kind": "terms", "terms": T*}
             | {"kind": "near", "target": T*, "cue": T*,
                "within": N,              # N words apart; 0 means "by sentences":
                "reach": R}               # (only with 0) R = 1: the same or the next
                                          # sentence; absent: the same sentence
             | {"kind": "metric", "caps_share": 0.7, "min_letters": 15},
      "except": T*,                       # a hit in the same sentence cancels the finding
      "except_reach": 1                   # (optional) or in the sentence before or after
      "except_nearby": T*                 # (optional) a hit in the same sentence or the
                                          # one before or after cancels it
    }
  ],
  "wording": {                            # (optional) the wording check, see wording.py
    "threshold": 240, "bias": -2,         # flag when bias + weights >= threshold
    "clear_below": -310,                  # clear cautions when bias + weights < this
    "about_school": "school teacher ...", # one of these words must be in the message
    "kind_words": "thanks lovely ...",    # and none of these
    "never_clear": "offensive-language",  # categories whose cautions are never cleared
    "features": "0<name> always\n...",   # every weighted feature once, sorted,
                                          # front-coded (W), one per line
    "weights": [57, 120, ...],            # per feature, in hundredths of log-odds
    "categories": [{"category": "grievance", "bias": -170,
                    "weights": [index gap, weight, ...]}, ...],  # gap from the index before
    "texts": {"grievance": {"message": ..., "suggestion": ...}, ...}
  }
}
```

T*: a list of term indexes written as runs, `[first, count, first, count, ...]`:
`[407, 4, 12, 1]` means terms 407, 408, 409, 410, then 12. A word list's terms
sit next to each other, so a rule that uses a list costs two numbers, and each
term is written once however many rules share it. Every parent's phone
downloads the pack, so it is kept small.

W: a front-coded word list (`wordlists.py`): each word is the length of the
prefix it shares with the word before (one character, 0-9 then a-z) and the
rest, so `0abandon 7ed 2c` is abandon, abandoned, abc.

TERM: folded words separated by single spaces, one atom per token: a word
with `?` (one char) and `*` (any chars) wildcards and `|` alternatives, or
`*` (any word), `<name>`, `<cap>`, `<mention>`; a leading `^` anchors at the start of
the message. See `terms.py` for matching and `tokens.py` for tokenizing.

A check result (`CheckResult.to_dict()`, and the JS engine's return value):
`{"verdict": "ok|caution|stop", "findings": [{"category", "clause",
"severity", "start", "end", "quote", "message", "suggestion", "rule"}]}`
with start/end in Unicode code points of the original text, sorted by
(start, end, rule).
"""

from __future__ import annotations

from typing import Any

from policybook.model import Policy
from policybook.selfcheck.normalise import DROP_RANGES, build_fold, fold_term, pack_fold
from policybook.selfcheck.rules import RuleSet, cited_version, load_rules, wording_weights
from policybook.selfcheck.runs import as_runs
from policybook.selfcheck.terms import expand_groups
from policybook.selfcheck.wordlists import front_code

FORMAT = "policybook-rulepack/8"

#: The clause each category usually cites (rules may cite another).
CATEGORY_CLAUSES = {
    "grievance": "conduct.no-grievances",
    "politics": "conduct.no-politics",
    "private": "conduct.no-private-conversations",
    "respect": "conduct.mutual-respect",
    "abuse": "inappropriate.abusive-comments",
    "offensive-language": "inappropriate.anger-swearing",
    "disrepute": "inappropriate.disrepute",
    "defamation": "inappropriate.defamatory",
    "policy-challenge": "inappropriate.public-challenge",
    "individual-child": "inappropriate.public-challenge",
    "threat": "inappropriate.threatening",
    "off-topic": "about.purpose",
}


def expand(term: str, lists: dict[str, list[str]], seen: tuple[str, ...] = ()) -> list[str]:
    """A term with @list references or brackets -> plain terms (a whole-term @list gives one
    term per item, and `(a b|c)` one per choice)."""
    if "(" in term:
        return [t for plain in expand_groups(term) for t in expand(plain, lists, seen)]
    parts = term.split()
    if len(parts) == 1 and parts[0].startswith("@"):
        name = parts[0][1:]
        if name in seen:
            raise ValueError(f"the list @{name} includes itself")
        return [t for item in lists[name] for t in expand(item, lists, seen + (name,))]
    atoms = []
    for part in parts:
        if part.startswith("@"):
            words = [w for item in lists[part[1:]] for w in expand(item, lists, seen + (part,))]
            atoms.append("|".join(words))
        else:
            atoms.append(part)
    return [" ".join(atoms)]


def _terms(terms: list[str], ruleset: RuleSet, fold: dict[int, str]) -> list[str]:
    out: list[str] = []
    for term in terms:
        for plain in expand(term, ruleset.lists):
            folded = " ".join(fold_term(plain, fold).split())
            if folded not in out:
                out.append(folded)
    return out


def _fill(text: str, policy: Policy) -> str:
    school = policy.school
    values = {
        "office_email": school.office_email,
        "school_name": school.name,
        "school_short_name": school.short_name,
        "headteacher_title": school.headteacher_title,
    }
    return " ".join(text.format(**values).split())


def compile_rule_pack(
    policy: Policy, ruleset: RuleSet | None = None, *, wording: bool = True
) -> dict[str, Any]:
    """The JSON-serialisable rule pack for the policy's current version (`wording=False`:
    the rules alone, as `train-wording` needs them before there are weights)."""
    ruleset = ruleset or load_rules(policy)
    version = cited_version(policy)
    fold = build_fold(ruleset.confusables, ruleset.symbols)
    rules = []
    cited: list[str] = []
    for source in ruleset.rules:
        rule = source.data
        if "terms" in rule:
            match: dict[str, Any] = {"kind": "terms", "terms": _terms(rule["terms"], ruleset, fold)}
        elif "near" in rule:
            near = rule["near"]
            match = {
                "kind": "near",
                "target": _terms(near["target"], ruleset, fold),
                "cue": _terms(near["cue"], ruleset, fold),
                "within": near["within"] if isinstance(near["within"], int) else 0,
            }
            if near["within"] == "next-sentence":
                match["reach"] = 1
        else:
            match = {"kind": "metric", **rule["metric"]}
        rules.append(
            {
                "id": rule["id"],
                "category": rule["category"],
                "clause": rule["clause"],
                "severity": rule["severity"],
                "message": _fill(rule["explain"], policy),
                "suggestion": _fill(rule["suggest"], policy),
                "match": match,
                "except": _terms(rule.get("except", []), ruleset, fold),
            }
        )
        if rule.get("except_within") == "next-sentence":
            rules[-1]["except_reach"] = 1
        if "except_nearby" in rule:
            rules[-1]["except_nearby"] = _terms(rule["except_nearby"], ruleset, fold)
        if rule["clause"] not in cited:
            cited.append(rule["clause"])
    weights = wording_weights(ruleset) if wording else None
    if weights is not None:  # a wording finding cites its category's usual clause
        cited += [
            CATEGORY_CLAUSES[c] for c in weights["categories"] if CATEGORY_CLAUSES[c] not in cited
        ]
    sections = {c.id: s for s in version.sections for c in s.clauses}
    pack = {
        "format": FORMAT,
        "policy_version": version.id,
        "school": {
            "name": policy.school.name,
            "short_name": policy.school.short_name,
            "office_email": policy.school.office_email,
            "headteacher_title": policy.school.headteacher_title,
        },
        "clauses": {
            clause_id: {
                "id": clause_id,
                "text": version.clause(clause_id).text,
                "section": sections[clause_id].id,
                "section_title": sections[clause_id].title,
            }
            for clause_id in sorted(cited)
        },
        "categories": dict(CATEGORY_CLAUSES),
        "normalise": {
            "drop": [list(r) for r in DROP_RANGES],
            "fold": pack_fold(fold),
            "leet": dict(ruleset.leet),
        },
        "common_words": front_code(sorted({fold_term(w, fold) for w in ruleset.common_words}), " "),
        **_term_table(_terms(ruleset.allow, ruleset, fold), rules),
    }
    if weights is not None:
        pack["wording"] = _wording_section(ruleset.wording.data, weights, policy)
    return pack


def _wording_section(
    data: dict[str, Any], weights: dict[str, Any], policy: Policy
) -> dict[str, Any]:
    """The wording check as the engines read it: each feature written once, weights by index."""
    features = sorted(
        set(weights["weights"]).union(*(c["weights"] for c in weights["categories"].values()))
    )
    index = {feature: n for n, feature in enumerate(features)}
    return {
        "threshold": weights["threshold"],
        "clear_below": weights["clear_below"],
        "bias": weights["bias"],
        "about_school": " ".join(data["about_school"]),
        "kind_words": " ".join(data.get("kind_words", [])),
        "never_clear": " ".join(data.get("never_clear", [])),
        "features": front_code(features, "\n"),
        "weights": [weights["weights"].get(feature, 0) for feature in features],
        "categories": [
            {
                "category": category,
                "bias": entry["bias"],
                "weights": _index_gaps(sorted((index[f], w) for f, w in entry["weights"].items())),
            }
            for category, entry in weights["categories"].items()
        ],
        "texts": {
            category: {
                "message": _fill(data["categories"][category]["explain"], policy),
                "suggestion": _fill(data["categories"][category]["suggest"], policy),
            }
            for category in weights["categories"]
        },
    }


def _index_gaps(pairs: list[tuple[int, int]]) -> list[int]:
    """`[(index, weight), ...]` in index order -> `[gap, weight, gap, weight, ...]`, each
    gap counted from the index before: small numbers, so the pack gzips a third smaller."""
    flat: list[int] = []
    previous = 0
    for n, weight in pairs:
        flat += (n - previous, weight)
        previous = n
    return flat


def _term_table(allow: list[str], rules: list[dict[str, Any]]) -> dict[str, Any]:
    """Write each term once ("terms") and refer to it by index everywhere else."""
    index: dict[str, int] = {}

    def refs(terms: list[str]) -> list[int]:
        return as_runs([index.setdefault(term, len(index)) for term in terms])

    allow_refs = refs(allow)
    for rule in rules:
        match = rule["match"]
        for role in ("terms", "target", "cue"):
            if role in match:
                match[role] = refs(match[role])
        rule["except"] = refs(rule["except"])
        if "except_nearby" in rule:
            rule["except_nearby"] = refs(rule["except_nearby"])
    return {"terms": "\n".join(index), "allow": allow_refs, "rules": rules}
