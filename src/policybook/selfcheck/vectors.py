"""Generate tests/vectors/selfcheck_vectors.json: the cases both engines must agree on.

Every rule example (flag and pass) plus hand-written edge cases that broke
other filters or drift between languages: emoji and ZWJ sequences (code
points vs UTF-16), zero-width characters, curly quotes, accents written as
combining marks, look-alike letters, names, numbers, and very long text.
The file carries the rule pack it was generated with, so the browser-side
test can run it without building anything.

Regenerate after changing rules: `python -m policybook.selfcheck.vectors`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.rules import load_rules

REPO = Path(__file__).resolve().parents[3]
VECTORS = REPO / "tests" / "vectors" / "selfcheck_vectors.json"

EDGE_CASES = [
    "",
    "😀",
    "👨‍👩‍👧‍👦 family picnic 👨‍👩‍👧‍👦 ffs it rained",
    "🏳️‍🌈 Pride assembly on Friday",
    "f\u200bu\u200bc\u200bk",
    "sh\u00adit happens",
    "Zoe\u0308 and Jose\u0301 are in Y2",
    "Zoë, José, Siobhán, Nguyễn, Łukasz and Bjørn say hi",
    "ｆｕｃｋ ｔｈｉｓ",
    "𝖋𝖚𝖈𝖐 this",
    "фuck (Cyrillic ef) and fuсk (Cyrillic es)",
    "‘it’s a joke’ said Mr O’Connor — “honestly”",
    "Mr. Ali and Mrs. Begum. The head is useless.",
    "@Priya are you still ok for Saturday?",
    "@Priya @Tom thanks all",
    "142,460 and 5 1 7 7 and 0800 555 0123 and 9.30",
    "a b c d e f g",
    "s.h.i.t. and f-u-c-k and b_i_t_c_h",
    "f*** f**k f*ck *** **** #### sh!t b!tch @ss a$$",
    "fuuuuuuck and shiiiiiit and sooooo tired",
    "Scunthorpe, Penistone, Cockburn, Dickens, Harshit, Essex, therapist, grape, assess",
    "Eid Mubarak! Happy Diwali! Chag sameach! Merry Christmas! Vaisakhi di lakh lakh vadhaiyan",
    "مرحبا بالجميع، الرحلة يوم الجمعة",
    "नमस्ते सबको, कल छुट्टी है",
    "こんにちは、明日は遠足です",
    "THE HEAD IS USELESS AND NOBODY LISTENS",
    "line one\nline two is shit\n\nline four: Mr Hughes is useless",
    "tabs\tand\tspaces   and   runs",
    "the head\u00a0is useless",
    "hoe hoe hoe merry christmas",
    "ho ho ho fuck",
    "ffs " * 40,
    ("Hi all, reminder the trip is Thursday 🙏 packed lunch please. " * 80)
    + "the head is useless ffs",
]


def cases(policy) -> list[str]:
    texts: list[str] = []
    for source in load_rules(policy).rules:
        texts += [example["text"] for example in source.data["examples"]["flag"]]
        texts += source.data["examples"]["pass"]
    texts += EDGE_CASES
    seen: set[str] = set()
    return [t for t in texts if not (t in seen or seen.add(t))]


def generate(data_dir: Path = REPO / "policy_data") -> dict[str, Any]:
    policy = load_policy(data_dir)
    pack = compile_rule_pack(policy)
    return {
        "comment": "generated, do not edit: python -m policybook.selfcheck.vectors",
        "pack": pack,
        "cases": [
            {"text": text, "expected": check_message(pack, text).to_dict()}
            for text in cases(policy)
        ],
    }


def main() -> int:
    vectors = generate()
    VECTORS.parent.mkdir(parents=True, exist_ok=True)
    VECTORS.write_text(json.dumps(vectors, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {VECTORS} ({len(vectors['cases'])} cases)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
