"""Self-check quality and speed (`make bench`).

Quality on the labelled dev corpus and on the Davidson et al. (2017)
offensive-language tweets, both read from ../shared when present (they are
for measuring only and never copied into the project). Davidson is split
by row number: even rows were used to tune the word lists, odd rows are a
holdout, and both halves are reported as well as the whole. Speed: median
and 99th percentile for a 280-character message, and one 100 KB paste.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from policybook.loader import load_policy
from policybook.selfcheck.compile import compile_rule_pack
from policybook.selfcheck.engine import check_message
from policybook.selfcheck.evaluate import evaluate, pack_checker, read_labelled

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV = SHARED / "corpus" / "dev.jsonl"
DAVIDSON = SHARED / "benchmarks" / "davidson2017" / "labeled_data.csv"
#: Findings that count as "offensive" for Davidson's labels.
DAVIDSON_CATEGORIES = frozenset({"offensive-language", "abuse", "respect", "threat"})

SAMPLE = (
    "Hi all, quick reminder that the Y4 trip to the Natural History Museum is on Thursday. "
    "Packed lunch please, no fizzy drinks 🙏 Mrs Okafor says they need to be at the gate by "
    "8:30 sharp. Anyone got a spare book bag? Oli's strap snapped and the office has run out x "
)

FIXTURES = REPO / "tests" / "fixtures" / "selfcheck_messages.jsonl"


def _paste() -> str:
    """A 100 KB paste: our own test messages (fine and not) in a fixed shuffled order."""
    texts = [json.loads(line)["text"] for line in FIXTURES.read_text("utf-8").splitlines()]
    random.Random(2025).shuffle(texts)
    return ("\n".join(texts * (1 + 100_000 // sum(len(t) + 1 for t in texts))))[:100_000]


PASTE = _paste()


#: Our own labelled sets (project data, each written by someone who had not seen the
#: rules): the tuning sets (`tuning_*_messages.jsonl`) were read to widen the rules;
#: the holdouts (`holdout_messages.jsonl`, `holdout_2_messages.jsonl`, ..., two more
#: writers each) were never read while tuning, only scored: they are the honest
#: estimate on messages nobody here has seen.
OWN_SETS = REPO / "benchmarks" / "data"


def _set_number(path: Path) -> int:
    """The number in `tuning_12_messages.jsonl` (the first holdout has none: 1), so
    sets list in the order they were written: tuning_2 before tuning_10."""
    part = path.stem.split("_")[1]
    return int(part) if part.isdigit() else 1


def labelled_set(name: str, path: Path, pack: dict) -> None:
    """Print recall, false alarms, reason accuracy and recall per category for one set."""
    if not path.exists():
        print(f"{name}: not present ({path}); skipped")
        return
    result = evaluate(read_labelled(path), pack_checker(pack))
    print(f"{name} ({result.problems} problem, {result.fine} fine messages)")
    print(
        f"  recall {result.recall:.3f}   false alarms {result.false_alarm_rate:.3f}   "
        f"reason accuracy {result.reason_accuracy:.3f}   (targets >=0.95, <=0.03, >=0.90)"
    )
    for category, (caught, total) in sorted(result.per_category.items()):
        print(f"    {category:<18} {caught}/{total}")


def together(name: str, paths: list[Path], pack: dict) -> None:
    """One line for several sets pooled: the figure to quote, since each set is small."""
    items = [item for path in paths for item in read_labelled(path)]
    if not items:
        return
    result = evaluate(items, pack_checker(pack))
    print(
        f"{name}: recall {result.recall:.3f} ({result.caught}/{result.problems})   "
        f"false alarms {result.false_alarm_rate:.3f} ({result.false_alarms}/{result.fine})   "
        f"reason accuracy {result.reason_accuracy:.3f}"
    )


def davidson(pack: dict) -> None:
    if not DAVIDSON.exists():
        print(f"Davidson: not present ({DAVIDSON}); skipped")
        return
    tallies = {name: [0, 0, 0, 0] for name in ("all", "tuning half", "holdout half")}
    with DAVIDSON.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = any(
                f.category in DAVIDSON_CATEGORIES
                for f in check_message(pack, row["tweet"]).findings
            )
            offensive = row["class"] in ("0", "1")
            half = "holdout half" if int(row[""]) % 2 else "tuning half"
            for name in ("all", half):
                tally = tallies[name]
                if offensive:
                    tally[0] += found
                    tally[1] += 1
                else:
                    tally[2] += found
                    tally[3] += 1
    print(
        "Davidson 2017 (recall on classes 0+1, false alarms on class 2; "
        "targets >=0.90, <=0.05; better-profanity 0.83 / 0.11)"
    )
    for name, (caught, bad, alarms, fine) in tallies.items():
        print(
            f"  {name:<13} recall {caught / bad:.3f} ({caught}/{bad})   "
            f"false alarms {alarms / fine:.4f} ({alarms}/{fine})"
        )


def speed(pack: dict) -> None:
    message = (SAMPLE * 3)[:280]
    check_message(pack, message)  # warm the prepared pack
    timings = []
    for _ in range(2000):
        start = time.perf_counter()
        check_message(pack, message)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    paste = PASTE
    paste_runs = []
    for _ in range(8):  # the first meets the paste's words for the first time
        start = time.perf_counter()
        result = check_message(pack, paste)
        paste_runs.append((time.perf_counter() - start) * 1000)
    first, again = paste_runs[0], paste_runs[1:]
    print("speed (Python engine)")
    print(
        f"  280-character message: median {statistics.median(timings):.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)]:.3f} ms   (target median <= 1 ms)"
    )
    print(
        f"  {len(paste) // 1000} KB paste: first {first:.1f} ms, then median of 7 "
        f"{statistics.median(again):.1f} ms (best {min(again):.1f}), "
        f"{len(result.findings)} findings   (target <= 100 ms)"
    )


def speed_js(pack: dict) -> None:
    """The browser engine under node (Chromium runs the same V8)."""
    node = shutil.which("node")
    if node is None:
        print("speed (JS engine): node not found; skipped")
        return
    message = (SAMPLE * 3)[:280]
    paste = PASTE
    runner = REPO / "tests" / "support" / "run_engine.mjs"
    payload = json.dumps({"pack": pack, "texts": [message, paste], "repeat": 21})
    result = subprocess.run(
        [node, str(runner)], input=payload, capture_output=True, text=True, check=True
    )
    message_ms, paste_ms = json.loads(result.stdout)
    print("speed (JS engine, node)")
    print(f"  280-character message: median {message_ms:.3f} ms")
    print(f"  {len(paste) // 1000} KB paste: median {paste_ms:.1f} ms")


def main() -> None:
    start = time.perf_counter()
    pack = compile_rule_pack(load_policy(REPO / "policy_data"))
    print(
        f"rule pack: {len(pack['rules'])} rules, compiled in "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    # Speed first, on a fresh engine: scoring 25,000 messages below leaves the engine's
    # word caches far larger than a parent's session or a CLI run ever makes them.
    speed(pack)
    speed_js(pack)
    labelled_set("dev corpus", DEV, pack)
    for path in sorted(OWN_SETS.glob("tuning_*_messages.jsonl"), key=_set_number):
        labelled_set(f"own tuning set ({path.name})", path, pack)
    holdouts = sorted(OWN_SETS.glob("holdout*_messages.jsonl"), key=_set_number)
    for path in holdouts:
        labelled_set(f"own blind holdout ({path.name}, never read while tuning)", path, pack)
    together(f"all {len(holdouts)} blind holdouts together", holdouts, pack)
    davidson(pack)


if __name__ == "__main__":
    main()
