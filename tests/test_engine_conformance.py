"""The Python engine and widgets/engine.js give identical results on every vector.

tests/vectors/selfcheck_vectors.json (generated, with the pack it was made
with) holds every rule example and hand-written edge cases. Node runs the
browser engine on them; any difference in verdict, finding, offset or order
fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from support.cli import POLICY_DATA, REPO

from policybook.selfcheck.engine import check_message
from policybook.selfcheck.vectors import generate

RUNNER = REPO / "tests" / "support" / "run_engine.mjs"
VECTORS = REPO / "tests" / "vectors" / "selfcheck_vectors.json"
NODE = shutil.which("node") or "/usr/bin/node"


def run_js(pack: dict, texts: list[str]) -> list[dict]:
    result = subprocess.run(
        [NODE, str(RUNNER)],
        input=json.dumps({"pack": pack, "texts": texts}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def vectors() -> dict:
    return json.loads(VECTORS.read_text("utf-8"))


def test_vectors_file_is_up_to_date(vectors: dict):
    fresh = generate(POLICY_DATA)
    assert fresh == vectors, (
        "tests/vectors/selfcheck_vectors.json is stale: "
        "run `python -m policybook.selfcheck.vectors`"
    )


def test_python_and_javascript_agree_on_every_vector(vectors: dict):
    pack = vectors["pack"]
    texts = [case["text"] for case in vectors["cases"]]
    js_results = run_js(pack, texts)
    differences = []
    for case, js in zip(vectors["cases"], js_results, strict=True):
        python = check_message(pack, case["text"]).to_dict()
        if python != js or python != case["expected"]:
            differences.append((case["text"][:80], python, js))
    assert not differences, f"{len(differences)} differences, first: {differences[0]}"


def test_vectors_cover_the_edge_cases(vectors: dict):
    texts = [case["text"] for case in vectors["cases"]]
    assert any("\u200b" in t for t in texts)
    assert any(len(t) > 4000 for t in texts)
    assert any(ord(c) > 0xFFFF for t in texts for c in t)  # outside the BMP: UTF-16 pairs
    flagged = [c for c in vectors["cases"] if c["expected"]["findings"]]
    assert len(flagged) > 50


def test_python_and_javascript_agree_on_random_messages(vectors: dict):
    """Random mixes of words, evasions, emoji and punctuation (fixed seed, so repeatable)."""
    import random

    pieces = (
        "the head is useless Mr Hughes f**k sh1t s.h.i.t f u c k 😀 👨‍👩‍👧 \u200b ’ Zoë ｆ "
        "@Priya Hi Tunde , . ! ? ; \n 142,460 fuuuck b!tch a$$ ho hoe Scunthorpe Dickens "
        "vote reform not fair Muslim kids whoever's child keeps ask around funny how "
        "I know where the head parks Ms begum heard apparently # * ' - _ THE HEAD IS USELESS"
    ).split(" ")
    rng = random.Random(20250901)
    texts = [
        "".join(rng.choice(pieces) + rng.choice(["", " ", "  ", ".", ","]) for _ in range(25))
        for _ in range(300)
    ]
    pack = vectors["pack"]
    js_results = run_js(pack, texts)
    for text, js in zip(texts, js_results, strict=True):
        assert check_message(pack, text).to_dict() == js, text
