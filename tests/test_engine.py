"""Streaming and multi-process scoring (framing.engine, `framing score -o`) equal score().

The dask engine is tested in test_dask.py.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
import framing.scoring
from framing.cli import cli
from framing.engine import _result, score_files
from framing.errors import FramingError

LEXICONS = ["mideast", "us-politics", "loaded-language"]


@pytest.fixture(scope="module")
def demo_jsonl(tmp_path_factory):
    docs = fr.datasets.demo_corpus()
    path = tmp_path_factory.mktemp("corpus") / "demo.jsonl"
    docs.assign(date=docs["date"].dt.strftime("%Y-%m-%d")).drop(columns=["source"],
                                                                 errors="ignore").to_json(
        path, orient="records", lines=True, force_ascii=False
    )
    return path


@pytest.fixture(scope="module")
def reference(demo_jsonl):
    return fr.score(fr.read_corpus(demo_jsonl), lexicons=LEXICONS)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = [c for c in frame.columns if c != "source"]
    out = frame[cols].sort_values(keys, kind="stable").reset_index(drop=True)
    return out


def _load(out) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / t) for t in ("documents", "sentences", "matches")}


def _assert_same(tables: dict[str, pd.DataFrame], scores) -> None:
    keys = {"documents": ["doc_id"], "sentences": ["doc_id", "sent_id"],
            "matches": ["doc_id", "sent_id", "start"]}
    for name, key in keys.items():
        got = _sorted(tables[name], key)
        want = _sorted(getattr(scores, name), key)
        assert len(got) == len(want), name
        pd.testing.assert_frame_equal(got, want[got.columns.tolist()], check_dtype=False,
                                      check_index_type=False, obj=name)


def test_streaming_in_small_chunks_equals_one_score_call(demo_jsonl, reference, tmp_path):
    summary = score_files(demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=1,
                          chunksize=7)
    n = len(reference.documents)
    assert summary.documents_in == summary.documents_out == n
    assert summary.chunks == -(-n // 7)
    assert len(list((tmp_path / "s" / "matches").glob("part-*.parquet"))) == summary.chunks
    _assert_same(_load(tmp_path / "s"), reference)
    meta = json.loads((tmp_path / "s" / "meta.json").read_text())
    assert meta["summary"]["documents_out"] == n


def test_two_jobs_give_the_rows_of_one_job_in_the_same_order(demo_jsonl, tmp_path):
    one = score_files(demo_jsonl, out=tmp_path / "one", lexicons=LEXICONS, jobs=1, chunksize=9)
    two = score_files(demo_jsonl, out=tmp_path / "two", lexicons=LEXICONS, jobs=2, chunksize=9)
    assert (one.documents_out, one.sentences, one.matches) == (
        two.documents_out, two.sentences, two.matches)
    a, b = _load(tmp_path / "one"), _load(tmp_path / "two")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert (tmp_path / "one" / "meta.json").read_bytes() == (
        tmp_path / "two" / "meta.json").read_bytes().replace(b'"jobs": 2', b'"jobs": 1')


def _failing_score(real):
    def score(docs, **kwargs):
        if docs["text"].str.contains("ceasefire", case=False).any():
            raise RuntimeError("boom: simulated bad document")
        return real(docs, **kwargs)

    return score


def test_a_failing_chunk_leaves_no_output_and_names_its_documents(
    demo_jsonl, tmp_path, monkeypatch
):
    monkeypatch.setattr(framing.scoring, "score", _failing_score(framing.scoring.score))
    with pytest.raises(FramingError, match=r"chunk with documents .*boom.*--on-error skip"):
        score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, jobs=1, chunksize=5)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # temporary folder removed too


def test_skip_lists_every_skipped_document_and_reconciles(demo_jsonl, tmp_path, monkeypatch):
    docs = fr.read_corpus(demo_jsonl)
    bad = set(docs.loc[docs["text"].str.contains("ceasefire", case=False), "doc_id"])
    assert bad, "the demo corpus should mention a ceasefire"
    monkeypatch.setattr(framing.scoring, "score", _failing_score(framing.scoring.score))
    summary = score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, jobs=1,
                          chunksize=5, on_error="skip")
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv")
    assert set(skipped["doc_id"]) == bad
    assert skipped["reason"].str.contains("boom").all()
    assert summary.skipped == len(bad)
    assert summary.documents_in == summary.documents_out + summary.skipped == len(docs)
    written = pd.read_parquet(tmp_path / "out" / "documents")
    assert set(written["doc_id"]).isdisjoint(bad)


def test_existing_output_is_refused_unless_overwrite(demo_jsonl, reference, tmp_path):
    (tmp_path / "out").mkdir()  # an empty directory is fine
    first = score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, jobs=1)
    with pytest.raises(FramingError, match=r"out already exists.*--overwrite"):
        score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, jobs=1)
    summary = score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, overwrite=True,
                          jobs=1, chunksize=20)
    n = len(reference.documents)
    assert summary.documents_out == first.documents_out == n
    # replaced, not merged: only the parts of the second run
    assert len(list((tmp_path / "out" / "documents").iterdir())) == -(-n // 20)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_foreign_directory_is_never_replaced(demo_jsonl, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep")
    with pytest.raises(FramingError, match="not a scores directory"):
        score_files(demo_jsonl, out=tmp_path / "notes", lexicons=LEXICONS, overwrite=True)
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep"


@pytest.mark.parametrize(("option", "value"), [("format", "xlsx"), ("on_error", "ignore"),
                                               ("engine", "spark")])
def test_bad_options_are_named(demo_jsonl, tmp_path, option, value):
    with pytest.raises(FramingError, match=f"'{option}' parameter of score_files"):
        score_files(demo_jsonl, out=tmp_path / "o", **{option: value})


def test_a_dead_worker_is_reported_with_the_chunk_documents():
    fut: Future = Future()
    fut.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
    ids = [f"doc{i}" for i in range(8)]
    with pytest.raises(FramingError, match=r"worker process died while scoring chunk 3 "
                                           r"\(documents doc0, doc1, doc2 \.\.\. \(8 documents\)\)"):
        _result(fut, 3, ids)


class _KillsTheWorker:
    """Unpickling it ends the process at once, as a crash in a C extension would."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_worker_crash_names_the_chunks_in_flight_and_leaves_nothing(tmp_path):
    docs = fr.datasets.demo_corpus().drop(columns=["source"])
    payload = [None] * len(docs)
    payload[12] = _KillsTheWorker()  # in chunk 2 (chunks of 5 documents)
    docs = docs.assign(payload=payload)
    with pytest.raises(FramingError, match=r"worker process died while scoring .*chunk 2 "
                                           r"\(documents " + str(docs["doc_id"].iloc[10])):
        score_files(docs, out=tmp_path / "out", lexicons="mideast", jobs=2, chunksize=5)
    assert list(tmp_path.iterdir()) == []


def test_empty_input_gives_empty_readable_tables(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    summary = score_files(path, out=tmp_path / "out", lexicons="mideast", jobs=1)
    assert (summary.documents_in, summary.chunks) == (0, 0)
    assert len(pd.read_parquet(tmp_path / "out" / "matches")) == 0
    assert len(fr.Scores.load(tmp_path / "out").documents) == 0


def test_loaded_back_with_scores_load(demo_jsonl, reference, tmp_path):
    score_files(demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=1, chunksize=10,
                format="jsonl")
    loaded = fr.Scores.load(tmp_path / "s")
    assert loaded.lexicons == reference.lexicons
    _assert_same({"documents": loaded.documents, "sentences": loaded.sentences,
                  "matches": loaded.matches}, reference)


# ---- the command line: framing score -------------------------------------------------------

BAD_ROWS = [
    {"id": "b1", "outlet": "Alpha", "text": "The regime slammed its brutal critics."},
    {"id": "b2", "outlet": "Alpha"},  # no text at all
    {"id": "b3", "outlet": "Beta", "text": 1234},  # not a string
    {"id": "b4", "outlet": "Beta", "text": "Officials met and discussed the budget."},
]


@pytest.fixture()
def bad_jsonl(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in BAD_ROWS), encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(cli, ["score", *map(str, args)])


def test_cli_skip_lists_bad_documents_and_reconciles(bad_jsonl, tmp_path):
    out = tmp_path / "out"
    res = invoke(bad_jsonl, "-l", "loaded-language", "-o", out, "--on-error", "skip",
                 "--chunksize", "2")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("2 documents, 2 skipped, ")
    assert "4 documents in = 2 scored + 2 skipped" in res.output
    skipped = pd.read_csv(out / "skipped.csv", dtype=str)
    assert skipped.columns.tolist() == ["doc_id", "chunk", "reason"]
    assert skipped["doc_id"].tolist() == ["b2", "b3"]
    assert skipped["chunk"].tolist() == ["0", "1"]
    assert skipped["reason"].tolist() == ["no text (missing value)", "text is not a string (got int)"]
    scores = fr.Scores.load(out)
    assert scores.documents["doc_id"].tolist() == ["b1", "b4"]
    assert {"regime", "slammed", "brutal"} <= set(scores.matches["term"].str.lower())
    meta = json.loads((out / "meta.json").read_text())
    assert (meta["summary"]["documents_in"], meta["summary"]["skipped"]) == (4, 2)


def test_cli_skip_without_output_prints_the_skipped(bad_jsonl):
    res = invoke(bad_jsonl, "-l", "loaded-language", "--on-error", "skip", "--top", "0")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("2 documents, 2 skipped, ")
    assert "skipped b3 (chunk 0): text is not a string (got int)" in res.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_raise_names_the_document_and_leaves_nothing(bad_jsonl, tmp_path, jobs):
    out = tmp_path / "out"
    res = invoke(bad_jsonl, "-l", "loaded-language", "-o", out, "--jobs", jobs)
    assert res.exit_code == 2
    assert res.output.count("framing: error:") == 1 and "Traceback" not in res.output
    assert "bad document(s) in chunk 0: document b2: no text (missing value)" in res.output
    assert "document b3: text is not a string (got int)" in res.output and "--on-error skip" in res.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]  # no temp dir left


def test_cli_refuses_an_existing_output_before_scoring(demo_jsonl, bad_jsonl, tmp_path):
    out = tmp_path / "out"
    assert invoke(demo_jsonl, "-l", "mideast", "-o", out, "--jobs", "1").exit_code == 0
    before = (out / "meta.json").read_bytes()
    # the input would fail: the refusal must come first (before reading or scoring)
    res = invoke(bad_jsonl, "-l", "mideast", "-o", out)
    assert res.exit_code == 2
    assert res.output.strip() == (
        f"framing: error: output directory {out} already exists and is not empty; pass "
        "--overwrite (overwrite=True) to replace it, or choose another -o.")
    assert (out / "meta.json").read_bytes() == before
    res = invoke(bad_jsonl, "-l", "mideast", "-o", out, "--overwrite", "--on-error", "skip")
    assert res.exit_code == 0, res.output
    assert fr.Scores.load(out).documents["doc_id"].tolist() == ["b1", "b4"]


def test_cli_two_jobs_equal_one_job(demo_jsonl, reference, tmp_path):
    for jobs in ("1", "2"):
        res = invoke(demo_jsonl, "-l", "mideast", "-l", "loaded-language", "-o",
                     tmp_path / jobs, "--jobs", jobs, "--chunksize", "8")
        assert res.exit_code == 0, res.output
        assert f", {jobs} job" in res.output and "docs/s" in res.output
    for name in ("documents", "sentences", "matches"):
        parts = sorted(p.name for p in (tmp_path / "1" / name).iterdir())
        assert parts == [f"part-{i:05d}.parquet" for i in range(-(-len(reference.documents) // 8))]
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "2" / name),
                                      pd.read_parquet(tmp_path / "1" / name), obj=name)


def test_text_that_is_not_unicode_is_a_bad_document(tmp_path):
    path = tmp_path / "u.jsonl"
    path.write_bytes(b'{"id": "u1", "text": "The regime fell."}\n'
                     b'{"id": "u2", "text": "broken \\ud800 surrogate"}\n'
                     b'{"id": "u3", "text": "caf\xe9 in Latin-1"}\n'
                     b'{"id": "u4", "text": "Officials met."}\n')
    res = invoke(path, "-l", "loaded-language", "-o", tmp_path / "out", "--on-error", "skip")
    assert res.exit_code == 0, res.output
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv")
    assert skipped["doc_id"].tolist() == ["u2", "u3"]
    assert skipped["reason"].tolist() == [
        f"{path}:2: 'text' not valid Unicode (an unpaired surrogate escape such as \\ud800)",
        f"{path}:3: byte(s) e9 at byte offset 114 are not UTF-8",
    ]
    assert fr.Scores.load(tmp_path / "out").documents["doc_id"].tolist() == ["u1", "u4"]
    res = invoke(path, "-l", "loaded-language", "-o", tmp_path / "out2")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.output.startswith("framing: error: bad document(s) in chunk 0: document u2: ")
    assert "document u3: " in res.output and not (tmp_path / "out2").exists()


def test_cli_help_documents_every_option():
    res = CliRunner().invoke(cli, ["score", "--help"])
    assert res.exit_code == 0
    for option in ("--jobs", "--chunksize", "--on-error", "--overwrite", "--engine",
                   "--scheduler", "--format", "--demo", "--text-column", "--top", "--lexicon"):
        assert option in res.output, option
    assert "0 = all cores" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--demo", "--engine", "dask"], "--engine dask writes a scores directory"),
        (["--demo", "--scheduler", "tcp://h:8786", "-o", "x"], "--scheduler needs --engine dask"),
        (["--demo", "--chunksize", "0", "-o", "x"], "--chunksize"),
        (["--demo", "--on-error", "ignore", "-o", "x"], "--on-error"),
    ],
)
def test_cli_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["score", *args])
    assert res.exit_code == 2
    assert message in res.output
    assert list(tmp_path.iterdir()) == []
