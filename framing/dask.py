"""Score a :mod:`dask.dataframe` partition by partition (optional extra ``framing[dask]``).

:func:`score` maps the same pure :func:`framing.score` a notebook user calls over the partitions
of a dask dataframe of documents and returns the three tables as dask dataframes. Each
partition is scored once, whichever tables you compute. Runs on any dask scheduler: the local
threaded one, a ``distributed.LocalCluster``, or a real cluster::

    from dask.distributed import Client
    import dask.dataframe as dd
    import framing.dask

    client = Client("tcp://scheduler-host:8786")      # or Client(LocalCluster(n_workers=8))
    ddf = dd.read_parquet("s3://bucket/articles/*.parquet")
    tables = framing.dask.score(ddf, lexicons=["mideast"])
    tables.matches.to_parquet("s3://bucket/framing/matches/")

Every worker needs ``framing`` installed (``pip install "framing[dask]"``) and no network:
the lexicons travel with the task graph. Profiles over the outputs: compute per-document
tables (``tables.documents``) and counts per group with dask, or bring the (small) documents and
matches tables to pandas and call :func:`framing.profile` on :func:`to_scores`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

__all__ = ["DaskScores", "score", "to_scores"]


class DaskScores(NamedTuple):
    """The three scored tables as dask dataframes (schemas as in :class:`framing.Scores`)."""

    documents: Any
    sentences: Any
    matches: Any


def _require_dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from framing.errors import FramingError

        raise FramingError(
            "framing.dask needs the optional extra: pip install 'framing[dask]'"
        ) from exc
    return dask, dd


def _score_partition(part: pd.DataFrame, lexicon: Any) -> dict[str, pd.DataFrame]:
    from framing.corpus import read_corpus
    from framing.scoring import score as score_docs

    scores = score_docs(read_corpus(part), lexicons=lexicon)
    return {"documents": scores.documents, "sentences": scores.sentences, "matches": scores.matches}


def score(ddf: Any, *, lexicons: Any = None) -> DaskScores:
    """Score every partition of a dask dataframe of documents.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Documents, with the columns :func:`framing.read_corpus` recognises (``text`` at least;
        synonyms such as ``content`` or ``body`` work). Give an ``id``/``doc_id`` column for
        ids that are unique across partitions.
    lexicons : str, list or Lexicon, optional
        Lexicons to score with (default: all bundled lexicons).

    Returns
    -------
    DaskScores
        ``documents``, ``sentences`` and ``matches`` dask dataframes, one partition per input
        partition, lazily computed.
    """
    dask, dd = _require_dask()
    from framing.lexicon import list_lexicons, load_lexicon

    lexicon = load_lexicon(list_lexicons() if lexicons is None else lexicons)
    meta_docs = ddf._meta if hasattr(ddf, "_meta") else ddf.head(0)
    empty = _score_partition(meta_docs.iloc[:0], lexicon)
    parts = ddf.to_delayed()
    lex = dask.delayed(lexicon, pure=True)
    scored = [dask.delayed(_score_partition, pure=True)(p, lex) for p in parts]
    tables = {}
    for name in ("documents", "sentences", "matches"):
        pieces = [dask.delayed(_pick, pure=True)(s, name) for s in scored]
        tables[name] = dd.from_delayed(pieces, meta=empty[name], verify_meta=False)
    return DaskScores(**tables)


def _pick(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return tables[name]


def to_scores(tables: DaskScores, *, lexicons: tuple[str, ...] = ()) -> Any:
    """Compute the dask tables into an in-memory :class:`framing.Scores`.

    Rows are sorted by ``doc_id`` (and ``sent_id``, ``start``) so the result equals a
    single-process :func:`framing.score` of the same documents after the same sort.
    """
    dask, _ = _require_dask()
    from framing.scoring import Scores

    documents, sentences, matches = dask.compute(*tables)
    documents = documents.sort_values("doc_id", kind="stable").reset_index(drop=True)
    sentences = sentences.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    matches = matches.sort_values(["doc_id", "sent_id", "start"], kind="stable").reset_index(
        drop=True
    )
    return Scores(documents, sentences, matches, lexicons=lexicons)
