"""framing.dask and `framing score --engine dask` on a real distributed.LocalCluster (2 workers).

Everything here must equal the single-process results: the three tables, the profiles computed
from the dask outputs, and the scores directory the CLI writes.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr

dd = pytest.importorskip("dask.dataframe", reason="dask is not installed (framing[dask] extra)")
distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (framing[dask] extra)"
)

import framing.dask as fdask  # noqa: E402
import framing.engine  # noqa: E402
from framing.cli import cli  # noqa: E402
from framing.engine import score_files  # noqa: E402

LEXICONS = ["mideast", "us-politics", "loaded-language"]
KEYS = {"documents": ["doc_id"], "sentences": ["doc_id", "sent_id"],
        "matches": ["doc_id", "sent_id", "start"]}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        yield cluster, client


@pytest.fixture(scope="module")
def docs():
    return fr.datasets.demo_corpus().drop(columns=["source"])


@pytest.fixture(scope="module")
def reference(docs):
    return fr.score(docs, lexicons=LEXICONS)


@pytest.fixture(scope="module")
def tables(cluster, docs):
    return fdask.score(dd.from_pandas(docs, npartitions=4), lexicons=LEXICONS)


def _same(got: pd.DataFrame, want: pd.DataFrame, name: str) -> None:
    key = KEYS[name]
    got = got.sort_values(key, kind="stable").reset_index(drop=True)
    want = want.sort_values(key, kind="stable").reset_index(drop=True)
    assert got.columns.tolist() == want.columns.tolist(), name
    pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=name)


def test_partitions_are_scored_on_the_cluster(cluster, tables, reference):
    _, client = cluster
    assert len(client.scheduler_info()["workers"]) == 2
    assert tables.matches.npartitions == 4
    scores = fdask.to_scores(tables, lexicons=reference.lexicons)
    assert len(scores.documents) == len(reference.documents) and len(scores.matches) > 100
    for name in KEYS:
        _same(getattr(scores, name), getattr(reference, name), name)
    # partition order is the input order: equal row for row without sorting
    assert scores.matches["doc_id"].tolist() == reference.matches["doc_id"].tolist()
    assert scores.matches["start"].tolist() == reference.matches["start"].tolist()


def test_slim_scores_drop_only_the_texts(tables, reference):
    slim = fdask.to_scores(tables, text=False)
    assert "text" not in slim.documents and "text" not in slim.sentences
    assert "surface" not in slim.matches
    assert slim.sentences["n_words"].sum() == reference.sentences["n_words"].sum()
    assert slim.matches["term"].tolist() == reference.matches["term"].tolist()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"by": "outlet", "level": "category"},
        {"by": "outlet", "level": "stance", "voice": "all", "rate": "sentence_share"},
        {"by": "outlet", "level": "lexicon", "rate": "per_100_sentences", "voice": "quote"},
    ],
)
def test_profile_from_dask_outputs_equals_in_memory_profile(tables, reference, kwargs):
    got = fdask.profile(tables, n_boot=200, seed=3, **kwargs)
    want = fr.profile(reference, n_boot=200, seed=3, **kwargs)
    assert len(want) > 5 and want["count"].sum() > 0
    pd.testing.assert_frame_equal(got, want)


def test_cli_engine_dask_on_a_scheduler_equals_one_job(cluster, docs, tmp_path):
    local_cluster, _ = cluster
    runner = CliRunner()
    one = tmp_path / "one"
    res = runner.invoke(cli, ["score", "--demo", "-l", "mideast", "-l", "us-politics", "-o",
                              str(one), "--jobs", "1", "--chunksize", "10"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "dask"
    res = runner.invoke(cli, ["score", "--demo", "-l", "mideast", "-l", "us-politics", "-o",
                              str(out), "--engine", "dask", "--scheduler",
                              local_cluster.scheduler_address, "--chunksize", "10"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"{len(docs)} documents, ") and "2 jobs" in res.output
    assert len(list((out / "sentences").glob("part-*.parquet"))) == -(-len(docs) // 10)
    for name in KEYS:  # row for row, part for part
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(one / name),
                                      obj=name)
    a = json.loads((one / "meta.json").read_text())
    b = json.loads((out / "meta.json").read_text())
    a["summary"].pop("jobs")
    b["summary"].pop("jobs")
    assert a == b


def test_dask_engine_with_its_own_local_cluster(reference, docs, tmp_path):
    summary = score_files(docs, out=tmp_path / "s", lexicons=LEXICONS, engine="dask", jobs=2,
                          chunksize=15)
    assert summary.jobs == 2 and summary.chunks == -(-len(docs) // 15)
    assert summary.documents_out == len(docs) and summary.matches == len(reference.matches)
    loaded = fr.Scores.load(tmp_path / "s")
    for name in KEYS:
        want = getattr(reference, name)
        _same(getattr(loaded, name)[want.columns.tolist()], want, name)


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(framing.engine, "DASK_CONNECT_TIMEOUT", "1s")
    res = CliRunner().invoke(cli, ["score", "--demo", "-o", str(tmp_path / "x"), "--engine",
                                   "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert res.exit_code == 2
    assert "cannot connect to the dask scheduler at 'tcp://127.0.0.1:9'" in res.output
    assert not (tmp_path / "x").exists() and list(tmp_path.iterdir()) == []


def test_profile_from_a_scores_directory_read_with_dask(cluster, docs, tmp_path):
    score_files(docs, out=tmp_path / "s", lexicons=LEXICONS, jobs=1, chunksize=10)
    tables = fdask.DaskScores(*(dd.read_parquet(tmp_path / "s" / name) for name in KEYS))
    assert tables.sentences.npartitions >= 1
    got = fdask.profile(tables, by="outlet", level="concept", n_boot=100, seed=1)
    want = fr.profile(fr.Scores.load(tmp_path / "s"), by="outlet", level="concept", n_boot=100,
                      seed=1)
    assert len(want) > 20
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
