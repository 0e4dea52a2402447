"""Broken rule files fail `policybook validate` with file, line, field and a fix."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_cli
from support.policy_files import unused_word

BAD_RULE = """\
rules:
  - id: test.bad
    category: grievance
    clause: {clause}
    severity: caution
    terms: [{term}]
    explain: x
    suggest: "{suggest}"
    examples:
      flag: [{{text: "x", quote: "x"}}]
      pass: ["y"]
"""


def write_rule(data: Path, clause="conduct.no-grievances", term="useless", suggest="email us"):
    path = data / "rules" / "zz_test.yaml"
    path.write_text(BAD_RULE.format(clause=clause, term=term, suggest=suggest), "utf-8")
    return path


def validate(data: Path):
    result = run_cli("validate", "--data", str(data))
    assert result.returncode == 1, result.stdout
    return result.stderr


def test_unknown_clause_names_file_line_field_and_fix(data_copy: Path):
    write_rule(data_copy, clause="conduct.no-gossip")
    err = validate(data_copy)
    assert "zz_test.yaml:4 [rules[0].clause]" in err
    assert "'conduct.no-gossip' does not exist in the current policy version (2025-09)" in err
    assert "how to fix: cite one of the clause ids" in err


def test_unknown_list_is_reported(data_copy: Path):
    write_rule(data_copy, term="'@no_such_list'")
    err = validate(data_copy)
    assert "zz_test.yaml:6 [rules[0].terms[0]]" in err and "@no_such_list" in err


def test_raw_regular_expression_is_refused(data_copy: Path):
    write_rule(data_copy, term="'use(less|full)'")
    err = validate(data_copy)
    assert "[rules[0].terms[0]]" in err and "brackets go around whole words" in err
    write_rule(data_copy, term="'use[ds]'")
    err = validate(data_copy)
    assert "[rules[0].terms[0]]" in err and "contains a character rules cannot use" in err


def test_unknown_placeholder_is_reported(data_copy: Path):
    write_rule(data_copy, suggest="email {office_mail}")
    err = validate(data_copy)
    assert "zz_test.yaml:8 [rules[0].suggest]" in err and "{office_email}" in err


def test_duplicate_rule_id_is_reported(data_copy: Path):
    path = write_rule(data_copy)
    path.write_text(path.read_text().replace("test.bad", "offensive.strong-swearing"), "utf-8")
    err = validate(data_copy)
    assert "'offensive.strong-swearing' is used twice" in err


def test_rule_without_examples_is_refused(data_copy: Path):
    path = write_rule(data_copy)
    text = path.read_text().replace('      pass: ["y"]\n', "")
    path.write_text(text, "utf-8")
    err = validate(data_copy)
    assert "zz_test.yaml" in err and "'pass'" in err


def test_adding_a_word_needs_no_code(data_copy: Path):
    """Staff add a word to a list; the self-check catches it at once, nothing regenerated."""
    new_word = unused_word(data_copy)
    draft = new_word  # on its own: no other word a future rule might flag
    before = run_cli("check", "--data", str(data_copy), draft)
    assert before.returncode == 0, before.stderr
    assert before.stdout.startswith("Verdict: OK."), before.stdout
    lists = data_copy / "rules" / "inappropriate.yaml"
    text = lists.read_text("utf-8")
    assert "  insult:\n" in text, "test setup: inappropriate.yaml has no insult list"
    lists.write_text(text.replace("  insult:\n", f"  insult:\n    - {new_word}\n", 1), "utf-8")
    result = run_cli("check", "--data", str(data_copy), draft)
    assert result.returncode == 0, result.stderr
    assert not result.stdout.startswith("Verdict: OK."), result.stdout
    assert f'"{new_word}"' in result.stdout and "abuse" in result.stdout


def test_emoji_symbol_must_be_one_character_read_as_one_word(data_copy: Path):
    path = data_copy / "rules" / "zz_test.yaml"
    path.write_text('normalise:\n  symbols:\n    "🖕🖕": middlefinger\n    "🤡": Clown\n', "utf-8")
    err = validate(data_copy)
    assert "zz_test.yaml:3 [normalise.symbols.🖕🖕]: '🖕🖕' should be one emoji" in err
    assert "zz_test.yaml:4 [normalise.symbols.🤡]: 'Clown' should be one word in lowercase" in err


def test_an_emoji_can_be_listed_like_a_word(data_copy: Path):
    """Staff map an emoji to a word and list that word: the emoji is then found and quoted."""
    draft = "see you at the gate 🦨"
    before = run_cli("check", "--data", str(data_copy), draft)
    assert before.stdout.startswith("Verdict: OK."), before.stdout
    # A `stop` rule: the wording check may clear a caution in so friendly a message.
    rule = BAD_RULE.format(clause="conduct.no-grievances", term="'@zz_words'", suggest="x")
    (data_copy / "rules" / "zz_test.yaml").write_text(
        'normalise:\n  symbols:\n    "🦨": skunk\nlists:\n  zz_words: [skunk]\n'
        + rule.replace("severity: caution", "severity: stop"),
        "utf-8",
    )
    line = json.dumps({"id": 1, "text": draft})
    result = run_cli("check", "--data", str(data_copy), "--jsonl", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["quote"] == "🦨" and finding["category"] == "grievance"


def test_alternatives_written_between_phrases_are_refused(data_copy: Path):
    """`stitch up|stitched up` reads "stitch, up or stitched, up": staff are told, not misled."""
    write_rule(data_copy, term="'stitch up|stitched up'")
    err = validate(data_copy)
    assert "zz_test.yaml:6 [rules[0].terms[0]]" in err
    assert "'|' joins alternatives for ONE word" in err and "'up|stitched'" in err


def test_a_phrase_among_one_words_alternatives_is_refused(data_copy: Path):
    """`prime minister|minister` reads "prime minister" only: the repeated word gives it away."""
    write_rule(data_copy, term="'prime minister|minister'")
    err = validate(data_copy)
    assert "zz_test.yaml:6 [rules[0].terms[0]]" in err
    assert "'minister' is listed twice in 'minister|minister'" in err
    assert "write each phrase as its own term" in err


def test_a_contraction_before_not_is_refused(data_copy: Path):
    """`please don't|dont|do not` reads "please don't not": "please don't" is never found."""
    write_rule(data_copy, term='"please don\'t|dont|do not"')
    err = validate(data_copy)
    assert "zz_test.yaml:6 [rules[0].terms[0]]" in err
    assert "'don't' is followed by 'not', so this reads \"don't not\"" in err


def test_brackets_hold_phrase_alternatives_and_both_readings_are_found(data_copy: Path):
    """`(purple dragons|a purple dragon)`: one term, and the self-check finds either."""
    drafts = ["we saw purple dragons at the fair", "there's a purple dragon on the roof"]
    for draft in drafts:
        assert run_cli("check", "--data", str(data_copy), draft).stdout.startswith("Verdict: OK.")
    rule = BAD_RULE.format(
        clause="conduct.no-grievances", term="'(purple dragons|a purple dragon)'", suggest="x"
    )
    examples = '      flag: [{text: "purple dragons!", quote: "purple dragons"}]\n'
    (data_copy / "rules" / "zz_test.yaml").write_text(
        rule.replace("severity: caution", "severity: stop").replace(
            '      flag: [{text: "x", quote: "x"}]\n', examples
        ),
        "utf-8",
    )
    assert run_cli("validate", "--data", str(data_copy)).returncode == 0
    lines = "".join(json.dumps({"id": n, "text": d}) + "\n" for n, d in enumerate(drafts))
    result = run_cli("check", "--data", str(data_copy), "--jsonl", stdin=lines)
    quotes = [
        [f["quote"] for f in json.loads(line)["findings"]] for line in result.stdout.split("\n")[:2]
    ]
    assert quotes == [["purple dragons"], ["a purple dragon"]]


def test_unbalanced_brackets_are_refused(data_copy: Path):
    write_rule(data_copy, term="'getting (divorced|a divorce'")
    err = validate(data_copy)
    assert "zz_test.yaml:6 [rules[0].terms[0]]" in err
    assert "a '(' is never closed with ')'" in err


NEAR_RULE = """\
rules:
  - id: test.near
    category: grievance
    clause: conduct.no-grievances
    severity: caution
    near: {{target: [{target}], cue: [{cue}], within: {within}}}
    explain: x
    suggest: x
    examples:
      flag: [{{text: "{target} {cue}", quote: "{target} {cue}"}}]
      pass: ["{target}"]
"""


def flagged_as_grievance(data: Path, drafts: dict[str, str]) -> set[str]:
    """The names of the drafts that `policybook check --jsonl` finds a grievance in."""
    lines = "".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in drafts.items())
    result = run_cli("check", "--data", str(data), "--jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    return {
        row["id"]
        for row in map(json.loads, result.stdout.splitlines())
        if any(f["category"] == "grievance" for f in row["findings"])
    }


def test_next_sentence_pairs_across_one_sentence_end_but_not_a_question(data_copy: Path):
    """`within: next-sentence` reaches the next sentence ("Mr X was seen at the pub. Draw
    your own conclusions"), not the one after, and never across a question mark."""
    target, cue = unused_word(data_copy, "blorptarget"), unused_word(data_copy, "blorpcue")
    for within in ("sentence", "next-sentence"):
        (data_copy / "rules" / "zz_test.yaml").write_text(
            NEAR_RULE.format(target=target, cue=cue, within=within), "utf-8"
        )
        drafts = {
            "same": f"{target} and {cue}",
            "next": f"{target} was there. {cue}",
            "next line": f"{target} was there\n{cue}",
            "two on": f"{target} was there. ok. {cue}",
            "question": f"{target} was there? {cue}",
        }
        flagged = flagged_as_grievance(data_copy, drafts)
        if within == "sentence":
            assert flagged == {"same"}, flagged
        else:
            assert flagged == {"same", "next", "next line"}, flagged


def excused_drafts(data_copy: Path, excuse_lines: str) -> tuple[str, dict[str, str]]:
    """A grievance rule for a made-up word, with `excuse_lines` (its except settings, in
    which `{excuse}` is another made-up word), and drafts with the excuse word in the
    same sentence, the one before or after, two sentences on, or after a question."""
    word, excuse = unused_word(data_copy, "blorpthreat"), unused_word(data_copy, "blorpexcuse")
    rule = BAD_RULE.format(clause="conduct.no-grievances", term=word, suggest="x")
    (data_copy / "rules" / "zz_test.yaml").write_text(
        rule.replace("    explain: x", excuse_lines.format(excuse=excuse) + "    explain: x"),
        "utf-8",
    )
    return word, {
        "alone": f"{word} ok",
        "same": f"{word} {excuse}",
        "before": f"{excuse}. {word}",
        "after": f"{word}. {excuse}",
        "two on": f"{word}. ok. {excuse}",
        "question": f"{word}? {excuse}",
    }


def test_except_within_next_sentence_reaches_the_sentence_next_door(data_copy: Path):
    """`except_within: next-sentence`: an except term just before or after the finding's
    sentence cancels it ("I'll kill him. Third water bottle"), two sentences away does not."""
    for except_within, expected in (
        ("sentence", {"alone", "before", "after", "two on", "question"}),
        ("next-sentence", {"alone", "two on", "question"}),
    ):
        lines = f"    except: [{{excuse}}]\n    except_within: {except_within}\n"
        _, drafts = excused_drafts(data_copy, lines)
        flagged = flagged_as_grievance(data_copy, drafts)
        assert flagged == expected, (except_within, flagged)


def test_except_nearby_reaches_next_door_while_except_stays_in_the_sentence(data_copy: Path):
    """`except_nearby` terms (a parent asking about their own child: "Noor is anxious. If
    anyone has found something that helps...") cancel a finding from the sentence before
    or after; the rule's plain `except` terms still count in its own sentence only."""
    other = unused_word(data_copy, "blorpother")
    lines = f"    except: [{other}]\n    except_nearby: [{{excuse}}]\n"
    word, drafts = excused_drafts(data_copy, lines)
    drafts |= {"plain except, same": f"{word} {other}", "plain except, after": f"{word}. {other}"}
    flagged = flagged_as_grievance(data_copy, drafts)
    assert flagged == {"alone", "two on", "question", "plain except, after"}, flagged
