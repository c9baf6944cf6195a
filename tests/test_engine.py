"""Streaming, multi-process and dask scoring give the same tables as one in-memory score()."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import framing as fr
import framing.scoring
from framing.engine import score_files
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


def test_existing_output_is_refused_unless_overwrite(demo_jsonl, tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(FramingError, match="already exists.*--overwrite"):
        score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS)
    summary = score_files(demo_jsonl, out=tmp_path / "out", lexicons=LEXICONS, overwrite=True,
                          jobs=1)
    assert summary.documents_out > 0


@pytest.mark.parametrize(("option", "value"), [("format", "xlsx"), ("on_error", "ignore")])
def test_bad_options_are_named(demo_jsonl, tmp_path, option, value):
    with pytest.raises(FramingError, match=f"'{option}' parameter of score_files"):
        score_files(demo_jsonl, out=tmp_path / "o", **{option: value})


def test_dask_on_a_local_cluster_equals_single_process(demo_jsonl, reference):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import framing.dask

    pdf = pd.read_json(demo_jsonl, lines=True, dtype={"id": str})
    ddf = dd.from_pandas(pdf, npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        tables = framing.dask.score(ddf, lexicons=LEXICONS)
        scores = framing.dask.to_scores(tables)
    _assert_same({"documents": scores.documents, "sentences": scores.sentences,
                  "matches": scores.matches}, reference)
