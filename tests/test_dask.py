"""framing.dask and `framing score --engine dask` on a real distributed.LocalCluster (2 workers).

Everything here must equal the single-process results: the three tables, the profiles computed
from the dask outputs, and the scores directory the CLI writes.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
from framing.aggregate import MIN_DOCS
from framing.errors import FramingError

dd = pytest.importorskip("dask.dataframe", reason="dask is not installed (framing[dask] extra)")
distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (framing[dask] extra)"
)

import framing.dask as fdask  # noqa: E402
import framing.engine  # noqa: E402
from framing.cli import cli  # noqa: E402
from framing.engine import score_files  # noqa: E402

LEXICONS = ["mideast", "us-politics", "loaded-language"]
KEYS = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sent_id"],
    "matches": ["doc_id", "sent_id", "start"],
    "quotes": ["doc_id", "quote_id"],
}


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
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


PROFILE_OPTIONS = [
    {"by": "outlet", "level": "category"},
    {"by": "outlet", "level": "stance", "voice": "all", "rate": "sentence_share"},
    {"by": "outlet", "level": "lexicon", "rate": "per_100_sentences", "voice": "quote"},
    {"by": "outlet", "level": "term", "voice": "all", "rate": "per_1k_words"},
    {"by": "outlet", "level": "term", "voice": "author", "rate": "sentence_share"},
    {"by": "outlet", "level": "lexicon", "voice": "author", "period": "M"},
    {
        "by": "outlet",
        "level": "category",
        "voice": "all",
        "rate": "sentence_share",
        "period": "M",
        "lexicon": "us-politics",
    },
    {"by": ["outlet", "month"], "level": "concept", "voice": "author"},
]


@pytest.mark.parametrize("kwargs", PROFILE_OPTIONS)
def test_profile_from_dask_outputs_equals_in_memory_profile(tables, reference, kwargs):
    got = fdask.profile(tables, n_boot=200, seed=3, **kwargs)
    want = fr.profile(reference, n_boot=200, seed=3, **kwargs)
    assert len(want) > 5 and want["count"].sum() > 0
    if (want["n_docs"] >= MIN_DOCS).any():
        assert want["ci_high"].gt(want["ci_low"]).any()  # the bootstrap ran
    pd.testing.assert_frame_equal(got, want, check_exact=True)  # to the last bit
    assert got.attrs == want.attrs


def test_profile_brings_only_per_document_rows_to_the_client(tables, reference, monkeypatch):
    def no_full_tables(*args, **kwargs):
        raise AssertionError("profile must not compute the sentence or match tables")

    monkeypatch.setattr(fdask, "to_scores", no_full_tables)
    dc = fdask.document_counts(tables, by="outlet", level="term", voice="author")
    docs = reference.documents
    # the per-document table: one row per document, in input order, no text, no sentences
    assert len(dc.documents) == len(docs) == 62
    assert dc.documents.columns.tolist() == ["doc_id", "outlet", "exposure"]
    assert dc.documents["doc_id"].tolist() == docs["doc_id"].tolist()
    sents = reference.sentences
    words = (sents["n_words"] * (1 - sents["quote_share"])).groupby(sents["doc_id"]).sum()
    assert dc.documents["exposure"].to_numpy() == pytest.approx(
        words.reindex(docs["doc_id"]).fillna(0).to_numpy()
    )
    # counts: only the non-zero (document, term) pairs, far fewer rows than matches
    m = reference.matches  # profiles count adopted uses: own voice, not negated or distanced
    author = m[(m["voice"] == "author") & ~m["negated"] & ~m["distanced"]]
    assert 0 < len(author) < (m["voice"] == "author").sum()
    pairs = author[author["weight"] > 0].groupby(["doc_id", "term"]).size()  # loaded only
    assert dc.counts.columns.tolist() == ["doc_id", "feature", "count"]
    assert len(dc.counts) == len(pairs) < len(author) < len(sents)
    got = dc.counts.set_index(["doc_id", "feature"])["count"].sort_index()
    assert got.tolist() == pairs.sort_index().tolist()
    loaded = reference.matches[reference.matches["weight"] > 0]
    assert dc.features == sorted(loaded["term"].unique())
    # and profile() itself works without computing the full tables
    prof = fdask.profile(tables, by="outlet", level="term", n_boot=0)
    assert prof["count"].sum() == int((author["weight"] > 0).sum())


def test_profile_scores_each_partition_once(docs, monkeypatch):
    import dask

    calls = []
    score_partition = fdask._score_partition

    def counting(part, lexicon):
        calls.append(len(part))
        return score_partition(part, lexicon)

    monkeypatch.setattr(fdask, "_score_partition", counting)
    tables = fdask.score(dd.from_pandas(docs, npartitions=4), lexicons=["mideast"])
    with dask.config.set(scheduler="sync"):
        fdask.profile(tables, by="outlet", level="term", n_boot=0)
    # documents, sentences and matches are reduced from the same scored partitions
    assert calls[0] == 0  # score() builds the empty tables' schema from an empty partition
    assert sorted(calls[1:]) == sorted(len(p) for p in np.array_split(docs, 4))


class _LengthModel:
    """A stand-in classifier whose probabilities vary from sentence to sentence."""

    classes_ = np.array(["loaded", "plain"])

    def predict_proba(self, texts):
        p = np.array([(len(t) % 97) / 97 for t in texts])
        return np.column_stack([p, 1 - p])


def _by_documents(table: pd.DataFrame, ids: list[np.ndarray]):
    """A dask dataframe with one partition per group of documents."""
    return dd.concat(
        [dd.from_pandas(table[table["doc_id"].isin(part)], npartitions=1) for part in ids]
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"level": "model"},
        {"level": "model", "rate": "sentence_share", "threshold": 0.3, "voice": "all"},
        {"level": "model", "voice": "quote", "period": "M"},
    ],
)
def test_model_profile_from_dask_tables(cluster, docs, kwargs):
    scores = fr.score(docs, lexicons=["mideast"], model=_LengthModel())
    ids = np.array_split(scores.documents["doc_id"].to_numpy(), 3)
    tables = fdask.DaskScores(
        *(_by_documents(t, ids) for t in (scores.documents, scores.sentences, scores.matches))
    )
    got = fdask.profile(tables, n_boot=100, seed=5, **kwargs)
    want = fr.profile(scores, n_boot=100, seed=5, **kwargs)
    assert want["count"].sum() > 10
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs


def _split_sentence(scores) -> tuple[int, str]:
    """Row of the matches table between two author matches of one category and sentence."""
    m = scores.matches.reset_index(drop=True)
    same = (
        (m["doc_id"] == m["doc_id"].shift())
        & (m["sent_id"] == m["sent_id"].shift())
        & (m["category"] == m["category"].shift())
        & m["category"].notna()
        & (m["voice"] == "author")
        & (m["voice"].shift() == "author")
    )
    assert same.any(), "the demo corpus should have a sentence with two matches of a category"
    row = int(np.flatnonzero(same.to_numpy())[0])
    return row, m.loc[row, "doc_id"]


def test_sentence_share_counts_a_sentence_split_between_partitions_once(cluster, reference):
    row, _ = _split_sentence(reference)
    m = reference.matches.reset_index(drop=True)
    matches = dd.concat(
        [dd.from_pandas(m.iloc[:row], npartitions=1), dd.from_pandas(m.iloc[row:], npartitions=1)]
    )
    # sentences and documents cut anywhere too: the partial sums are added on the client
    tables = fdask.DaskScores(
        dd.from_pandas(reference.documents, npartitions=3),
        dd.from_pandas(reference.sentences, npartitions=7),
        matches,
    )
    kwargs = {"by": "outlet", "level": "category", "rate": "sentence_share", "n_boot": 50}
    got = fdask.profile(tables, **kwargs)
    want = fr.profile(reference, **kwargs)
    pd.testing.assert_frame_equal(got, want)
    words = {"by": "outlet", "level": "category", "n_boot": 50}
    pd.testing.assert_frame_equal(fdask.profile(tables, **words), fr.profile(reference, **words))


def test_sentence_share_refuses_matches_out_of_sentence_order(cluster, reference):
    row, doc = _split_sentence(reference)
    m = reference.matches.reset_index(drop=True)
    in_doc = m[m["doc_id"] == doc]
    assert in_doc["sent_id"].nunique() > 1
    later = in_doc[in_doc["sent_id"] > in_doc["sent_id"].min()]
    earlier = in_doc[in_doc["sent_id"] == in_doc["sent_id"].min()]
    if not set(later["category"].dropna()) & set(earlier["category"].dropna()):
        pytest.skip("no category shared by two sentences of this document")
    matches = dd.concat(
        [dd.from_pandas(later, npartitions=1), dd.from_pandas(earlier, npartitions=1)]
    )
    tables = fdask.DaskScores(
        dd.from_pandas(reference.documents, npartitions=1),
        dd.from_pandas(reference.sentences, npartitions=1),
        matches,
    )
    with pytest.raises(FramingError, match=r"out of sentence order.*doc_id, sent_id, start"):
        fdask.profile(
            tables,
            by="outlet",
            level="category",
            rate="sentence_share",
            voice="all",
            include_neutral=True,
        )


def test_profile_options_are_checked_as_framing_profile_checks_them(tables, reference):
    with pytest.raises(FramingError) as got:
        fdask.profile(tables, level="sentence")
    with pytest.raises(FramingError) as want:
        fr.profile(reference, level="sentence")
    assert str(got.value) == str(want.value)
    with pytest.raises(FramingError, match="unexpected keyword argument 'bins'"):
        fdask.profile(tables, bins=3)
    with pytest.raises(FramingError, match="lacks: 'desk'"):
        fdask.profile(tables, by="desk")


def test_cli_engine_dask_on_a_scheduler_equals_one_job(cluster, docs, tmp_path):
    local_cluster, _ = cluster
    runner = CliRunner()
    one = tmp_path / "one"
    res = runner.invoke(
        cli,
        [
            "score",
            "--demo",
            "-l",
            "mideast",
            "-l",
            "us-politics",
            "-o",
            str(one),
            "--jobs",
            "1",
            "--chunksize",
            "10",
        ],
    )
    assert res.exit_code == 0, res.output
    out = tmp_path / "dask"
    res = runner.invoke(
        cli,
        [
            "score",
            "--demo",
            "-l",
            "mideast",
            "-l",
            "us-politics",
            "-o",
            str(out),
            "--engine",
            "dask",
            "--scheduler",
            local_cluster.scheduler_address,
            "--chunksize",
            "10",
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"{len(docs)} documents, ") and "2 jobs" in res.output
    assert len(list((out / "sentences").glob("part-*.parquet"))) == -(-len(docs) // 10)
    for name in KEYS:  # row for row, part for part
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / name), pd.read_parquet(one / name), obj=name
        )
    a = json.loads((one / "meta.json").read_text())
    b = json.loads((out / "meta.json").read_text())
    a["summary"].pop("jobs")
    b["summary"].pop("jobs")
    assert a == b


def test_dask_engine_with_its_own_local_cluster(reference, docs, tmp_path):
    summary = score_files(
        docs, out=tmp_path / "s", lexicons=LEXICONS, engine="dask", jobs=2, chunksize=15
    )
    assert summary.jobs == 2 and summary.chunks == -(-len(docs) // 15)
    assert summary.documents_out == len(docs) and summary.matches == len(reference.matches)
    loaded = fr.Scores.load(tmp_path / "s")
    for name in KEYS:
        want = getattr(reference, name)
        _same(getattr(loaded, name)[want.columns.tolist()], want, name)


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(framing.engine, "DASK_CONNECT_TIMEOUT", "1s")
    res = CliRunner().invoke(
        cli,
        [
            "score",
            "--demo",
            "-o",
            str(tmp_path / "x"),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert res.exit_code == 2
    assert "cannot connect to the dask scheduler at 'tcp://127.0.0.1:9'" in res.output
    assert not (tmp_path / "x").exists() and list(tmp_path.iterdir()) == []


def test_profile_from_a_scores_directory_read_with_dask(cluster, docs, tmp_path):
    score_files(docs, out=tmp_path / "s", lexicons=LEXICONS, jobs=1, chunksize=10)
    tables = fdask.DaskScores(*(dd.read_parquet(tmp_path / "s" / name) for name in KEYS))
    assert tables.sentences.npartitions >= 1
    got = fdask.profile(tables, by="outlet", level="concept", n_boot=100, seed=1)
    want = fr.profile(
        fr.Scores.load(tmp_path / "s"), by="outlet", level="concept", n_boot=100, seed=1
    )
    assert len(want) > 20
    pd.testing.assert_frame_equal(got, want, check_exact=True)
