"""Streaming and multi-process scoring (framing.engine, `framing score -o`) equal score().

The dask engine is tested in test_dask.py.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
import framing.scoring
from framing.cli import cli
from framing.engine import _result, score_files, score_in_memory
from framing.errors import CorpusError, FramingError

LEXICONS = ["mideast", "us-politics", "loaded-language"]


@pytest.fixture(scope="module")
def demo_jsonl(tmp_path_factory):
    docs = fr.datasets.demo_corpus()
    path = tmp_path_factory.mktemp("corpus") / "demo.jsonl"
    docs.assign(date=docs["date"].dt.strftime("%Y-%m-%d")).drop(
        columns=["source"], errors="ignore"
    ).to_json(path, orient="records", lines=True, force_ascii=False)
    return path


@pytest.fixture(scope="module")
def reference(demo_jsonl):
    return fr.score(fr.read_corpus(demo_jsonl), lexicons=LEXICONS)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = [c for c in frame.columns if c != "source"]
    out = frame[cols].sort_values(keys, kind="stable").reset_index(drop=True)
    return out


def _load(out) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(out / t) for t in ("documents", "sentences", "matches", "quotes")}


def _assert_same(tables: dict[str, pd.DataFrame], scores) -> None:
    keys = {
        "documents": ["doc_id"],
        "sentences": ["doc_id", "sent_id"],
        "matches": ["doc_id", "sent_id", "start"],
        "quotes": ["doc_id", "quote_id"],
    }
    keys = {k: v for k, v in keys.items() if k in tables}
    for name, key in keys.items():
        got = _sorted(tables[name], key)
        want = _sorted(getattr(scores, name), key)
        assert len(got) == len(want), name
        pd.testing.assert_frame_equal(
            got, want[got.columns.tolist()], check_dtype=False, check_index_type=False, obj=name
        )


def test_streaming_in_small_chunks_equals_one_score_call(demo_jsonl, reference, tmp_path):
    summary = score_files(demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=1, chunksize=7)
    n = len(reference.documents)
    assert summary.documents_in == summary.documents_out == n
    assert summary.chunks == -(-n // 7)
    assert len(list((tmp_path / "s" / "matches").glob("part-*.parquet"))) == summary.chunks
    _assert_same(_load(tmp_path / "s"), reference)
    meta = json.loads((tmp_path / "s" / "meta.json").read_text())
    assert meta["summary"]["documents_out"] == n


def test_engine_and_scores_save_write_one_meta_schema(demo_jsonl, reference, tmp_path):
    from framing.store import META_KEYS

    score_files(demo_jsonl, out=tmp_path / "engine", lexicons=LEXICONS, jobs=1, chunksize=7)
    reference.save(tmp_path / "saved", format="csv")
    a = json.loads((tmp_path / "engine" / "meta.json").read_text())
    b = json.loads((tmp_path / "saved" / "meta.json").read_text())
    assert sorted(a) == sorted(b) == sorted(META_KEYS)
    assert (
        sorted(a["meta"])
        == sorted(b["meta"])
        == ["framing_version", "lexicon_fingerprint", "lexicon_poles", "model"]
    )
    # each lexicon's declared poles are recorded, so the report need not reload lexicons
    assert a["meta"]["lexicon_poles"] == b["meta"]["lexicon_poles"]
    assert b["meta"]["lexicon_poles"]["mideast"] == ["axis", "israel_right"]
    assert (a["layout"], a["format"], b["layout"], b["format"]) == (
        "dataset",
        "parquet",
        "tables",
        "csv",
    )
    n = len(reference.documents)
    assert (
        a["counts"]
        == b["counts"]
        == {
            "documents": n,
            "sentences": len(reference.sentences),
            "matches": len(reference.matches),
            "quotes": len(reference.quotes),
        }
    )
    assert a["lexicons"] == b["lexicons"] == list(reference.lexicons)
    assert a["framing_version"] == b["framing_version"] == fr.__version__
    assert a["lexicon_fingerprint"] == b["lexicon_fingerprint"] is not None
    assert a["summary"]["documents_out"] == n and b["summary"] is None
    # the engine's output now says which version scored it (the report prints it)
    assert fr.Scores.load(tmp_path / "engine").meta == fr.Scores.load(tmp_path / "saved").meta


def test_streaming_and_two_jobs_carry_quotes_and_modifiers(demo_jsonl, reference, tmp_path):
    score_files(demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=2, chunksize=9)
    tables = _load(tmp_path / "s")
    assert len(reference.quotes) > 20 and reference.quotes["speaker"].notna().mean() > 0.5
    assert {"negated", "distanced", "speaker"} <= set(tables["matches"].columns)
    assert tables["matches"]["negated"].dtype == bool
    _assert_same(tables, reference)  # quotes and the modifier columns identical to score()


def test_two_jobs_give_the_rows_of_one_job_in_the_same_order(demo_jsonl, tmp_path):
    one = score_files(demo_jsonl, out=tmp_path / "one", lexicons=LEXICONS, jobs=1, chunksize=9)
    two = score_files(demo_jsonl, out=tmp_path / "two", lexicons=LEXICONS, jobs=2, chunksize=9)
    assert (one.documents_out, one.sentences, one.matches) == (
        two.documents_out,
        two.sentences,
        two.matches,
    )
    a, b = _load(tmp_path / "one"), _load(tmp_path / "two")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert (tmp_path / "one" / "meta.json").read_bytes() == (
        tmp_path / "two" / "meta.json"
    ).read_bytes().replace(b'"jobs": 2', b'"jobs": 1')


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
    summary = score_files(
        demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, jobs=1, chunksize=5, on_error="skip"
    )
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
    summary = score_files(
        demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, overwrite=True, jobs=1, chunksize=20
    )
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


@pytest.mark.parametrize(
    ("option", "value"), [("format", "xlsx"), ("on_error", "ignore"), ("engine", "spark")]
)
def test_bad_options_are_named(demo_jsonl, tmp_path, option, value):
    with pytest.raises(FramingError, match=f"'{option}' parameter of score_files"):
        score_files(demo_jsonl, out=tmp_path / "o", **{option: value})


def test_a_dead_worker_is_reported_with_the_chunk_documents():
    fut: Future = Future()
    fut.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
    ids = [f"doc{i}" for i in range(8)]
    with pytest.raises(
        FramingError,
        match=r"worker process died while scoring chunk 3 "
        r"\(documents doc0, doc1, doc2 \.\.\. \(8 documents\)\)",
    ):
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
    with pytest.raises(
        FramingError,
        match=r"worker process died while scoring .*chunk 2 "
        r"\(documents " + str(docs["doc_id"].iloc[10]),
    ):
        score_files(docs, out=tmp_path / "out", lexicons="mideast", jobs=2, chunksize=5)
    assert list(tmp_path.iterdir()) == []


class _KilledBySignal:
    """Unpickling it kills the process with SIGKILL, as the kernel's out-of-memory killer does."""

    def __reduce__(self):
        return (signal.raise_signal, (signal.SIGKILL,))


@pytest.mark.parametrize(
    ("killer", "exit_text"),
    [(_KillsTheWorker(), "exit code 3"), (_KilledBySignal(), "exit code -9, SIGKILL")],
)
def test_skip_survives_a_worker_that_dies_on_one_document(tmp_path, killer, exit_text):
    docs = fr.datasets.demo_corpus().drop(columns=["source"])
    victim = docs["doc_id"].iloc[12]  # in chunk 2 (chunks of 5 documents)
    payload = [None] * len(docs)
    payload[12] = killer
    summary = score_files(
        docs.assign(payload=payload),
        out=tmp_path / "out",
        lexicons=LEXICONS,
        jobs=2,
        chunksize=5,
        on_error="skip",
    )
    n = len(docs)
    assert (summary.documents_in, summary.documents_out, summary.skipped) == (n, n - 1, 1)
    assert summary.chunks == -(-n // 5)
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv", dtype=str)
    assert skipped.to_dict("records") == [
        {
            "doc_id": victim,
            "chunk": "2",
            "reason": f"worker died while scoring this document ({exit_text})",
            "code": "worker_died",
        }
    ]
    meta = json.loads((tmp_path / "out" / "meta.json").read_text())
    assert (
        meta["summary"]["documents_in"],
        meta["summary"]["documents_out"],
        meta["summary"]["skipped"],
    ) == (n, n - 1, 1)
    # every other document scored exactly as in a run where nothing dies
    score_files(
        docs.assign(payload=[None] * n),
        out=tmp_path / "clean",
        lexicons=LEXICONS,
        jobs=1,
        chunksize=5,
    )
    got, clean = _load(tmp_path / "out"), _load(tmp_path / "clean")
    keys = {
        "documents": ["doc_id"],
        "sentences": ["doc_id", "sent_id"],
        "matches": ["doc_id", "sent_id", "start"],
    }
    for name, key in keys.items():
        want = clean[name][clean[name]["doc_id"] != victim]
        assert len(want) < len(clean[name]), name  # the victim had rows of its own
        pd.testing.assert_frame_equal(_sorted(got[name], key), _sorted(want, key), obj=name)
    for name in keys:  # one part per chunk, the victim's chunk included
        assert len(list((tmp_path / "out" / name).iterdir())) == summary.chunks
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "out"]  # no temp dir left


def test_skip_survives_a_pool_found_broken_when_submitting(
    demo_jsonl, reference, tmp_path, monkeypatch
):
    import framing.engine as engine

    class BreaksOnce(engine._Pool):
        broke = 0

        def submit(self, task):
            if task.index == 3 and not BreaksOnce.broke:
                BreaksOnce.broke += 1
                raise BrokenProcessPool("a worker died earlier")
            return super().submit(task)

    monkeypatch.setattr(engine, "_Pool", BreaksOnce)
    summary = score_files(
        demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=2, chunksize=5, on_error="skip"
    )
    assert BreaksOnce.broke == 1
    assert (summary.documents_out, summary.skipped) == (len(reference.documents), 0)
    _assert_same(_load(tmp_path / "s"), reference)
    with pytest.raises(BrokenProcessPool):  # on_error="raise": today's behaviour
        BreaksOnce.broke = 0
        score_files(demo_jsonl, out=tmp_path / "r", lexicons=LEXICONS, jobs=2, chunksize=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_skip_turns_undecodable_csv_rows_into_bad_documents(tmp_path):
    head = b"id,outlet,text\n"
    c1 = b'c1,Alpha,"The regime slammed its brutal critics."\n'
    c2 = b'c2,Beta,"A caf\xe9 talk, quoted\nover two lines."\n'
    c3 = b"c3,Gamma,Officials met and discussed the budget.\n"
    c4 = b"c4,Caf\xe9\xe9,Militants attacked the base.\n"
    c5 = b"c5,Delta,The regime fell.\n"
    data = head + c1 + c2 + c3 + c4 + c5
    path = tmp_path / "news.csv"
    path.write_bytes(data)
    off2, off4 = data.index(b"\xe9"), data.index(b"\xe9\xe9")
    summary = score_files(
        path, out=tmp_path / "out", lexicons=LEXICONS, jobs=1, chunksize=2, on_error="skip"
    )
    assert (summary.documents_in, summary.documents_out, summary.skipped) == (5, 3, 2)
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv", dtype=str)
    assert skipped.to_dict("records") == [
        {
            "doc_id": "c2",
            "chunk": "0",
            "reason": f"{path}: undecodable byte(s) e9 at byte offset {off2} are not UTF-8, in "
            "column(s) 'text'",
            "code": "invalid_unicode",
        },
        {
            "doc_id": "c4",
            "chunk": "1",
            "reason": f"{path}: undecodable byte(s) e9 e9 at byte offset {off4} are not UTF-8, in "
            "column(s) 'outlet'",
            "code": "invalid_unicode",
        },
    ]
    clean = tmp_path / "clean.csv"
    clean.write_bytes(head + c1 + c3 + c5)
    reference = fr.score(fr.read_corpus(clean), lexicons=LEXICONS)
    assert len(reference.matches) > 0
    _assert_same(_load(tmp_path / "out"), reference)
    # on_error="raise" (and read_corpus) still fail for the whole file, naming the offset
    with pytest.raises(
        CorpusError,
        match=rf"news.csv: cannot decode byte\(s\) e9 at byte "
        rf"offset {off2} as UTF-8",
    ):
        score_files(path, out=tmp_path / "out2", lexicons=LEXICONS, jobs=1)
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("name", ["news.tsv", "news.csv.gz"])
def test_skip_finds_undecodable_rows_in_tsv_and_compressed_csv(tmp_path, name):
    sep = b"\t" if name.endswith(".tsv") else b","
    data = (
        sep.join([b"id", b"text"])
        + b"\n"
        + sep.join([b"t1", b"The regime fell."])
        + (
            b"\n"
            + sep.join([b"t2", b"Caf\xe9 closed."])
            + b"\n"
            + sep.join([b"t3", b"Talks."])
            + b"\n"
        )
    )
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    scores, skipped = score_in_memory(path, lexicons=LEXICONS, on_error="skip")
    assert scores.documents["doc_id"].tolist() == ["t1", "t3"]
    assert skipped["doc_id"].tolist() == ["t2"]
    offset = data.index(b"\xe9")
    assert f"byte offset {offset} are not UTF-8" in skipped["reason"].iloc[0]


def test_skip_turns_an_undecodable_text_file_into_one_bad_document(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = b"date 2025-01-01 Vell Times - The regime slammed its critics."
    bad = (
        b"date 2025-01-02 Vell Times - A caf\xe9 opened.\n"
        b"date 2025-01-03 Vell Times - The regime fell.\n"
    )
    (folder / "a.txt").write_bytes(good)
    (folder / "b.txt").write_bytes(bad)
    summary = score_files(folder, out=tmp_path / "out", lexicons=LEXICONS, jobs=1, on_error="skip")
    assert (summary.documents_in, summary.documents_out, summary.skipped) == (2, 1, 1)
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv", dtype=str)
    assert len(skipped) == 1
    offset = bad.index(b"\xe9")
    assert (
        skipped["reason"]
        .iloc[0]
        .startswith(
            f"{folder / 'b.txt'}: undecodable byte(s) e9 at byte offset {offset} are "
            "not UTF-8 (the whole file is skipped"
        )
    )
    assert fr.Scores.load(tmp_path / "out").documents["outlet"].tolist() == ["Vell Times"]
    with pytest.raises(CorpusError, match=r"b.txt: cannot decode byte\(s\) e9"):
        score_files(folder, out=tmp_path / "out2", lexicons=LEXICONS, jobs=1)


def test_empty_input_gives_empty_readable_tables(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    summary = score_files(path, out=tmp_path / "out", lexicons="mideast", jobs=1)
    assert (summary.documents_in, summary.chunks) == (0, 0)
    assert len(pd.read_parquet(tmp_path / "out" / "matches")) == 0
    assert len(fr.Scores.load(tmp_path / "out").documents) == 0


def test_loaded_back_with_scores_load(demo_jsonl, reference, tmp_path):
    score_files(
        demo_jsonl, out=tmp_path / "s", lexicons=LEXICONS, jobs=1, chunksize=10, format="jsonl"
    )
    loaded = fr.Scores.load(tmp_path / "s")
    assert loaded.lexicons == reference.lexicons
    _assert_same(
        {
            "documents": loaded.documents,
            "sentences": loaded.sentences,
            "matches": loaded.matches,
            "quotes": loaded.quotes,
        },
        reference,
    )


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
    res = invoke(
        bad_jsonl, "-l", "loaded-language", "-o", out, "--on-error", "skip", "--chunksize", "2"
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("2 documents, 2 skipped, ")
    assert "4 documents in = 2 scored + 2 skipped" in res.output
    skipped = pd.read_csv(out / "skipped.csv", dtype=str)
    assert skipped.columns.tolist() == ["doc_id", "chunk", "reason", "code"]
    assert skipped["code"].tolist() == ["missing_text", "not_a_string"]
    assert skipped["doc_id"].tolist() == ["b2", "b3"]
    assert skipped["chunk"].tolist() == ["0", "1"]
    assert skipped["reason"].tolist() == [
        "no text (missing value)",
        "text is not a string (got int)",
    ]
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
    assert (
        "document b3: text is not a string (got int)" in res.output
        and "--on-error skip" in res.output
    )
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
        "--overwrite (overwrite=True) to replace it, or choose another -o."
    )
    assert (out / "meta.json").read_bytes() == before
    res = invoke(bad_jsonl, "-l", "mideast", "-o", out, "--overwrite", "--on-error", "skip")
    assert res.exit_code == 0, res.output
    assert fr.Scores.load(out).documents["doc_id"].tolist() == ["b1", "b4"]


def test_cli_two_jobs_equal_one_job(demo_jsonl, reference, tmp_path):
    for jobs in ("1", "2"):
        res = invoke(
            demo_jsonl,
            "-l",
            "mideast",
            "-l",
            "loaded-language",
            "-o",
            tmp_path / jobs,
            "--jobs",
            jobs,
            "--chunksize",
            "8",
        )
        assert res.exit_code == 0, res.output
        assert f", {jobs} job" in res.output and "docs/s" in res.output
    for name in ("documents", "sentences", "matches"):
        parts = sorted(p.name for p in (tmp_path / "1" / name).iterdir())
        assert parts == [f"part-{i:05d}.parquet" for i in range(-(-len(reference.documents) // 8))]
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "2" / name), pd.read_parquet(tmp_path / "1" / name), obj=name
        )


def test_text_that_is_not_unicode_is_a_bad_document(tmp_path):
    path = tmp_path / "u.jsonl"
    path.write_bytes(
        b'{"id": "u1", "text": "The regime fell."}\n'
        b'{"id": "u2", "text": "broken \\ud800 surrogate"}\n'
        b'{"id": "u3", "text": "caf\xe9 in Latin-1"}\n'
        b'{"id": "u4", "text": "Officials met."}\n'
    )
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
    for option in (
        "--jobs",
        "--chunksize",
        "--on-error",
        "--overwrite",
        "--engine",
        "--scheduler",
        "--format",
        "--demo",
        "--text-column",
        "--top",
        "--lexicon",
    ):
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


def test_the_report_counts_skipped_documents_by_code_not_by_reason(reference, tmp_path):
    from dataclasses import replace

    from framing.store import SKIP_CODES, skipped_frame

    skipped = skipped_frame(
        [
            {
                "doc_id": "x1",
                "chunk": 0,
                "reason": "free text a regex would misread: utf-8",
                "code": "worker_died",
            },
            {
                "doc_id": "x2",
                "chunk": 1,
                "reason": "no text (missing value)",
                "code": "not_a_string",
            },
            {"doc_id": "x3", "chunk": 1, "reason": "no text (missing value)", "code": "unknown"},
        ]
    )
    assert set(skipped["code"]) <= set(SKIP_CODES)
    md = fr.report(
        replace(reference, skipped=skipped), path=tmp_path / "r.md", format="md", n_boot=0
    ).read_text(encoding="utf-8")
    # coded rows by their code; the row written before codes existed by its reason
    assert (
        "3 documents skipped at scoring: 1 missing text, 1 text not a string, 1 worker died"
    ) in md
