"""Evasions are read through, innocent words and names are left alone, offsets stay true."""

from __future__ import annotations

import pytest
from support.cli import POLICY_DATA

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message

PACK = compile_rule_pack(load_policy(POLICY_DATA))


def quotes(text: str) -> list[str]:
    return [f.quote for f in check_message(PACK, text).findings]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("FUCK this", "FUCK"),  # case
        ("ｆｕｃｋ this", "ｆｕｃｋ"),  # fullwidth (NFKC)
        ("𝐟𝐮𝐜𝐤 this", "𝐟𝐮𝐜𝐤"),  # mathematical bold letters
        ("fυck this", "fυck"),  # Greek upsilon look-alike
        ("f\u200bu\u200cc\u200dk this", "f\u200bu\u200cc\u200dk"),  # zero-width characters
        ("sh1t day", "sh1t"),  # leetspeak
        ("what a b!tch", "b!tch"),
        ("f**k sake", "f**k"),  # masked letters
        ("f*cking hell", "f*cking"),
        ("f u c k me", "f u c k"),  # spaced out
        ("s.h.i.t happens", "s.h.i.t"),  # dotted
        ("fuuuuuck", "fuuuuuck"),  # repeated letters
        ("shiiiiiit", "shiiiiiit"),
        ("what the f***", "f***"),  # one visible letter: only ever a swear word
    ],
)
def test_evasion_is_caught_and_quoted_as_typed(text: str, quote: str):
    assert quote in quotes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We drove through Scunthorpe and Penistone",
        "can the class assess the grapes?",
        "Reading Dickens and Dick King-Smith this term",
        "Mrs Cockburn's cocktail stall at the fair",
        "Essex, Sussex and Middlesex schools",
        "the therapist is in on Tuesday",
        "Harshit and Harshita are in Y3",
        "Shiitake mushrooms for the cooking club",
        "Classic assembly, the kids loved it",
        "please pay 142,460 pence... only joking, it's £5",
        "room 101 and 5318008 on the calculator",
        "Hancock, Cockerell and Titchmarsh are the house names",
        "the kids made a Kung-Fu rapper video for the title sequence",
        "I am a gay black woman and proud mum of two",
        "Eid Mubarak, Happy Diwali and Merry Christmas to all",
        "my two mums will both be at parents evening",
        "Happy Hanukkah to everyone celebrating 🕎",
    ],
)
def test_innocent_words_names_and_identities_are_ok(text: str):
    result = check_message(PACK, text)
    assert result.verdict == "ok", [(f.rule, f.quote) for f in result.findings]


def test_offsets_count_code_points_through_emoji():
    text = "😀😀 👨‍👩‍👧 ffs"
    [finding] = check_message(PACK, text).findings
    assert text[finding.start : finding.end] == "ffs"
    assert finding.start == len("😀😀 👨‍👩‍👧 ")


def test_numbers_are_never_read_as_words():
    for text in ["142,460", "5 1 7 7", "1 3 3 7", "0800 555 0123"]:
        assert check_message(PACK, text).verdict == "ok", text


def test_findings_are_sorted_by_start_end_rule():
    result = check_message(PACK, "ffs Mr Hughes is a tw*t and the head is useless, wtf")
    keys = [(f.start, f.end, f.rule) for f in result.findings]
    assert keys == sorted(keys) and len(keys) >= 3


def test_verdict_is_the_most_severe_finding():
    assert check_message(PACK, "ffs, forgot the form").verdict == "caution"
    assert check_message(PACK, "ffs he is a twat").verdict == "stop"
    assert check_message(PACK, "see you at pickup").verdict == "ok"
    assert check_message(PACK, "").verdict == "ok"
