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
the lexicons travel with the task graph. Profiles over the outputs: :func:`profile` computes
only the columns a profile needs (no texts: a few numbers per sentence and per match) and runs
:func:`framing.profile` on them, so the bootstrap still resamples documents;
:func:`to_scores` with ``text=False`` gives the same slim :class:`framing.Scores` for
:func:`framing.term_choice`, :func:`framing.slant` or :func:`framing.keyness`.

The command line has ``framing score --engine dask [--scheduler ADDRESS]``: the streaming
engine (:func:`framing.engine.score_files`) with the chunks scored on a dask cluster.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

__all__ = ["DaskScores", "profile", "score", "to_scores"]


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
    from framing.scoring import score as score_docs

    # as score(): a documents table is used as is, anything else goes through read_corpus
    scores = score_docs(part, lexicons=lexicon)
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

    lexicon = load_lexicon(list_lexicons(domain_first=True) if lexicons is None else lexicons)
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


def to_scores(
    tables: DaskScores, *, lexicons: tuple[str, ...] = (), text: bool = True, sort: bool = False
) -> Any:
    """Compute the dask tables into an in-memory :class:`framing.Scores`.

    Parameters
    ----------
    tables : DaskScores
        The result of :func:`score`.
    lexicons : tuple of str, optional
        ``name@version`` labels to record in the result.
    text : bool, default True
        ``False`` leaves out the text columns (``documents.text``, ``title``,
        ``sentences.text``, ``matches.surface``) before computing: what the aggregates need
        is a few numbers per sentence and match, a small fraction of the scored corpus.
    sort : bool, default False
        Sort the rows by ``doc_id`` (and ``sent_id``, ``start``). By default the rows are in
        partition order, i.e. the order of the input dataframe, so the result equals a
        single-process :func:`framing.score` of ``ddf.compute()`` row for row (and
        bootstrapped aggregates agree to the last digit: they resample documents in order).

    Returns
    -------
    framing.Scores
        The three tables with the index reset.
    """
    dask, _ = _require_dask()
    from framing.scoring import Scores

    documents, sentences, matches = tables
    if not text:
        documents = documents.drop(columns=[c for c in ("text", "title")
                                            if c in documents.columns])
        sentences = sentences.drop(columns=["text"])
        matches = matches.drop(columns=["surface"])
    documents, sentences, matches = dask.compute(documents, sentences, matches)
    if sort:
        documents = documents.sort_values("doc_id", kind="stable")
        sentences = sentences.sort_values(["doc_id", "sent_id"], kind="stable")
        matches = matches.sort_values(["doc_id", "sent_id", "start"], kind="stable")
    documents, sentences, matches = (_default_strings(t.reset_index(drop=True))
                                     for t in (documents, sentences, matches))
    return Scores(documents, sentences, matches, lexicons=lexicons)


def _default_strings(table: pd.DataFrame) -> pd.DataFrame:
    """Dask's ``string[pyarrow]`` columns back to pandas' default string dtype (as score())."""
    from framing.scoring import _str_dtype

    target = _str_dtype()
    for col in table.columns:
        dtype = table[col].dtype
        if isinstance(dtype, pd.StringDtype) and dtype != target:
            values = table[col].astype(object)
            table[col] = values.where(values.notna(), None).astype(target)
    return table


def profile(tables: DaskScores, **kwargs: Any) -> pd.DataFrame:
    """:func:`framing.profile` of dask-scored tables, computing only the columns it needs.

    Parameters
    ----------
    tables : DaskScores
        The result of :func:`score` (or three dask dataframes read back with
        ``dask.dataframe.read_parquet`` from a scores directory, in a :class:`DaskScores`).
    **kwargs
        Keyword arguments of :func:`framing.profile` (``by``, ``level``, ``voice``, ``rate``,
        ``period``, ``lexicon``, ``n_boot``, ``seed``, ``ci``).

    Returns
    -------
    pandas.DataFrame
        The profile; equal to ``framing.profile(framing.score(docs), **kwargs)`` of the same
        documents (the bootstrap resamples documents, so it runs on the per-document rows
        brought to this process without their texts).
    """
    from framing.aggregate import profile as profile_scores

    return profile_scores(to_scores(tables, text=False), **kwargs)
