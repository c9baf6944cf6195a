"""Tests of `framing score`."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from framing.cli import cli
from framing.scoring import Scores

pytest.importorskip("framing.lexicon", reason="framing.lexicon is not there yet")

ARTICLES = [
    {
        "id": "a1",
        "outlet": "Alpha",
        "date": "2024-03-01",
        "content": 'The brutal regime slammed critics. "They are thugs," an aide said.',
    },
    {
        "id": "a2",
        "outlet": "Beta",
        "date": "2024-03-02",
        "content": "Officials met on Tuesday and discussed the budget.",
    },
    {"id": "a3", "outlet": "Beta", "date": "2024-03-03", "content": ""},
]


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_score_writes_scores_dir(corpus, tmp_path):
    out = tmp_path / "scores"
    res = run("score", corpus, "-l", "loaded-language", "-o", out)
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("3 documents, ") and " sentences, " in lines[0]
    assert " matches in " in lines[0] and str(out) in lines[0]
    scores = Scores.load(out)
    assert scores.documents["doc_id"].tolist() == ["a1", "a2", "a3"]
    terms = set(scores.matches["term"].str.lower())
    assert {"brutal", "regime", "slammed"} <= terms
    assert scores.matches.loc[scores.matches["surface"] == "thugs", "voice"].tolist() == ["quote"]
    assert scores.lexicons and scores.lexicons[0].startswith("loaded-language")
    # running again with --overwrite replaces the scores directory (part files per table)
    res = run("score", corpus, "-l", "loaded-language", "-o", out, "--format", "csv", "--overwrite")
    assert res.exit_code == 0, res.output
    assert [p.name for p in (out / "matches").iterdir()] == ["part-00000.csv"]


def test_score_without_output_prints_summary_and_top_terms(corpus):
    res = run("score", corpus, "-l", "loaded-language", "--top", "3")
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("3 documents")
    assert re.fullmatch(
        r"matches: \d+ adopted, \d+ negated, \d+ distanced, \d+ quoted; "
        r"\d+ quotations(, \d+% with a speaker)?",
        lines[1],
    ), lines[1]
    assert lines[2].split()[:2] == ["term", "lexicon"]
    assert len(lines) == 3 + 3


def test_score_demo(tmp_path):
    out = tmp_path / "demo"
    res = run("score", "--demo", "-o", out, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    scores = Scores.load(out)
    assert len(scores.documents) == len(scores.documents["doc_id"].unique()) > 10
    assert len(scores.matches) > 0


def test_score_text_column(tmp_path):
    from framing.errors import DataQualityWarning

    path = tmp_path / "x.csv"
    path.write_text("story,notes\nThe regime fell.,plain words\n", encoding="utf-8")
    # 'notes' is there but no outlet column: a warning says so
    with pytest.warns(DataQualityWarning, match="no outlet column found"):
        res = run("score", path, "--text-column", "story", "-l", "loaded-language")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("1 document,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.jsonl",), "missing.jsonl"),
        (("{corpus}", "-l", "no-such-lexicon"), "no-such-lexicon"),
        (("{corpus}", "-o", "{notes}"), "not a scores directory"),
    ],
)
def test_score_errors_are_one_line_exit_2(corpus, tmp_path, args, message):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine")
    args = [a.format(corpus=corpus, notes=notes) for a in args]
    res = CliRunner().invoke(cli, ["score", *args])
    assert res.exit_code == 2
    assert message in res.output
    assert res.output.count("framing: error:") == 1
    assert (notes / "keep.txt").read_text() == "mine"


def test_score_usage_errors(corpus):
    assert CliRunner().invoke(cli, ["score"]).exit_code == 2
    assert CliRunner().invoke(cli, ["score", str(corpus), "--demo"]).exit_code == 2
    assert CliRunner().invoke(cli, ["score", str(corpus), "--jobs", "2"]).exit_code == 2
