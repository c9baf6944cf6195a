"""Context gating of lexicon entries (framing.context) and the lexicon keys that declare it."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli
from framing.context import context_gate, paragraph_spans
from framing.lexicon import load_lexicon, validate_lexicon

GATED = """\
name: gated
version: 1
categories: {loaded: "loaded words"}
context: {cues: [Gaza, Hezbollah], scope: paragraph}
entries:
  - {term: looting, requires_context: true, category: loaded, weight: 1}
  - {term: fraternal, context: [Beirut], context_scope: sentence, category: loaded, weight: 1}
  - {term: stormed, requires_context: true, context_scope: document, category: loaded, weight: 2}
  - {term: brutal, category: loaded, weight: 2}
"""


def _surfaces(text: str, lexicon=GATED) -> list[str]:
    return (
        framing.score(pd.DataFrame({"text": [text]}), lexicons=load_lexicon(lexicon))
        .matches["surface"]
        .tolist()
    )


def test_entries_resolve_the_lexicon_cues_and_scope():
    lex = load_lexicon(GATED)
    by_term = {e.term: e for e in lex}
    assert by_term["looting"].context == ("Gaza", "Hezbollah")
    assert by_term["looting"].context_scope == "paragraph"
    assert by_term["fraternal"].context == ("Beirut",)  # its own list, not the lexicon's
    assert by_term["fraternal"].context_scope == "sentence"
    assert by_term["stormed"].context_scope == "document"
    assert by_term["brutal"].context == () and by_term["brutal"].context_scope is None
    frame = lex.to_frame()
    assert frame.loc[frame["term"] == "looting", "context"].item() == ("Gaza", "Hezbollah")


def test_paragraph_scope_needs_a_cue_in_the_same_paragraph():
    text = "The looting went on all night.\n\nIn Gaza the looting of aid trucks continued."
    assert _surfaces(text) == ["looting"]  # only the second paragraph has a cue
    assert _surfaces("Brutal looting downtown.") == ["Brutal"]  # ungated entries always match


def test_sentence_and_document_scopes():
    assert _surfaces("A fraternal visit. It was in Beirut.") == []
    assert _surfaces("A fraternal visit to Beirut.") == ["fraternal"]
    # document scope: a cue anywhere in the text is enough
    assert _surfaces("Crowds stormed the building.\n\nLater, Hezbollah spoke.") == ["stormed"]
    assert _surfaces("Crowds stormed the building.") == []


def test_cues_match_like_terms_case_and_possessive():
    assert _surfaces("GAZA'S looting.") == ["looting"]


def test_a_dropped_gated_match_gives_its_text_to_a_shorter_ungated_entry():
    lex = """\
name: mix
version: 1
context: {cues: [Gaza]}
entries:
  - {term: looting spree, requires_context: true}
  - {term: spree}
"""
    assert _surfaces("a looting spree downtown", lex) == ["spree"]
    assert _surfaces("a looting spree in Gaza", lex) == ["looting spree"]


def test_paragraph_spans_cover_the_text():
    text = "a\n\nb\n  \nc"
    spans = paragraph_spans(text)
    assert [text[a:b].strip() for a, b in spans] == ["a", "b", "c"]
    assert spans[0][0] == 0 and spans[-1][1] == len(text)


def test_gate_explains_its_decisions():
    lex = load_lexicon(GATED)
    gate = context_gate(lex)
    assert gate.active
    text = "looting in Gaza. brutal."
    decisions = gate.check(text, [0, 17], [0, 3])
    assert decisions[0] == (True, "kept: cue 'Gaza' in its paragraph")
    assert decisions[1] == (True, None)
    assert gate.check("looting", [0], [0]) == [(False, "dropped: no context cue in its paragraph")]
    assert not context_gate(load_lexicon("name: x\nversion: 1\nentries: [{term: a}]\n")).active


@pytest.mark.parametrize(
    "body, problem",
    [
        ("entries:\n  - {term: a, requires_context: true}\n", "declares no context cues"),
        (
            "context: {cues: [x]}\nentries:\n  - {term: a, requires_context: maybe}\n",
            "'requires_context' must be true or false",
        ),
        (
            "context: {cues: [x]}\nentries:\n  - {term: a, requires_context: true, "
            "context_scope: chapter}\n",
            "'context_scope' must be one of sentence, paragraph, document",
        ),
        ("context: {cues: []}\nentries:\n  - {term: a}\n", "'cues' must be a non-empty list"),
        ("context: {cues: [x], scope: page}\nentries:\n  - {term: a}\n", "'scope' must be one of"),
        ("context: {cues: [x], scop: page}\nentries:\n  - {term: a}\n", "did you mean 'scope'"),
        ("context: [x]\nentries:\n  - {term: a}\n", "'context' must be a mapping"),
        ("entries:\n  - {term: a, context: Gaza}\n", "'context' must be a list of strings"),
    ],
)
def test_validate_checks_the_context_keys(body, problem):
    problems = validate_lexicon("name: t\nversion: 1\n" + body)
    errors = problems[problems["severity"] == "error"]
    assert errors["problem"].str.contains(problem, regex=False).any(), problems.to_string()


def test_context_scope_without_a_gate_is_a_warning():
    problems = validate_lexicon(
        "name: t\nversion: 1\nentries:\n  - {term: a, context_scope: sentence}\n"
    )
    assert problems["severity"].tolist() == ["warning"]
    assert "has no effect" in problems["problem"].item()


def test_not_before_and_not_after_take_phrases():
    lex = """\
name: p
version: 1
entries:
  - {term: eliminated, not_before: ["the need"], not_after: ["North Carolina"]}
"""
    assert _surfaces("They eliminated the need for it.", lex) == []
    assert _surfaces("North Carolina eliminated it.", lex) == []
    assert _surfaces("They eliminated the leader.", lex) == ["eliminated"]


def test_issue_repro_sentence_has_no_stance_coded_mideast_match():
    text = (
        "North Carolina eliminated same-day voter registration; the National Fraternal "
        "Order of Police condemned the looting"
    )
    m = framing.score(pd.DataFrame({"text": [text]}), lexicons="mideast").matches
    assert m[m["stance"].notna() & (m["stance"] != "neutral")].empty
    same = "Israeli troops eliminated the cell in Gaza; the looting of aid trucks went on."
    m = framing.score(pd.DataFrame({"text": [same]}), lexicons="mideast").matches
    assert {"eliminated", "looting"} <= set(m["term"])


def test_cli_lexicon_test_says_why(tmp_path):
    path = tmp_path / "gated.yaml"
    path.write_text(GATED, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["lexicon", "test", str(path), "The looting. In Gaza the looting."]
    )
    assert result.exit_code == 0, result.output
    assert "dropped: no context cue in its paragraph" not in result.output  # one paragraph
    assert result.output.count("kept: cue 'Gaza' in its paragraph") == 2
    result = CliRunner().invoke(cli, ["lexicon", "test", str(path), "The looting. Brutal."])
    assert "dropped: no context cue in its paragraph" in result.output
    assert "not gated" in result.output
    assert "1 match(es) (1 dropped by context gating)" in result.output


def test_streaming_engine_applies_the_gate(tmp_path):
    from framing.engine import score_files

    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["The looting went on.", "The looting in Gaza went on."]}
    )
    path = tmp_path / "docs.csv"
    docs.to_csv(path, index=False)
    score_files(path, out=tmp_path / "s", lexicons=load_lexicon(GATED), jobs=1)
    matches = framing.Scores.load(tmp_path / "s").matches
    assert matches["doc_id"].tolist() == ["b"]
