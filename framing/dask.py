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
the lexicons travel with the task graph.

Profiles over the outputs, group sums first: :func:`profile` has the workers reduce every
partition to per-document numbers (:func:`document_counts`: each document's group keys, its
exposure and its non-zero counts per feature) and brings only those to this process, where
the bootstrap resamples documents exactly as :func:`framing.profile` does; the result equals
``framing.profile`` of the same scores to the last bit, while no sentence or match row leaves
the cluster. :func:`to_scores` with ``text=False`` gives a slim in-memory
:class:`framing.Scores` (every sentence and match, without texts) for
:func:`framing.term_choice`, :func:`framing.slant` or :func:`framing.keyness`.

The command line has ``framing score --engine dask [--scheduler ADDRESS]``: the streaming
engine (:func:`framing.engine.score_files`) with the chunks scored on a dask cluster.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from framing.aggregate import DocumentCounts
from framing.corpus import str_dtype
from framing.errors import FramingError, ParameterError

__all__ = ["DaskScores", "DocumentCounts", "document_counts", "profile", "score", "to_scores"]


class DaskScores(NamedTuple):
    """The scored tables as dask dataframes (schemas as in :class:`framing.Scores`).

    ``quotes`` (one row per quotation of speech) is optional, so that three tables read back
    from a scores directory still make a ``DaskScores``.
    """

    documents: Any
    sentences: Any
    matches: Any
    quotes: Any = None


def _require_dask():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FramingError(
            "framing.dask needs the optional extra: pip install 'framing[dask]'"
        ) from exc
    return dask, dd


def _score_partition(part: pd.DataFrame, lexicon: Any) -> dict[str, pd.DataFrame]:
    from framing.scoring import score as score_docs

    # as score(): a documents table is used as is, anything else goes through read_corpus
    scores = score_docs(part, lexicons=lexicon)
    return {
        "documents": scores.documents,
        "sentences": scores.sentences,
        "matches": scores.matches,
        "quotes": scores.quotes,
    }


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
        ``documents``, ``sentences``, ``matches`` and ``quotes`` dask dataframes, one
        partition per input partition, lazily computed.
    """
    dask, dd = _require_dask()
    from framing.scoring import load_lexicons

    lexicon = load_lexicons(lexicons)
    meta_docs = ddf._meta if hasattr(ddf, "_meta") else ddf.head(0)
    empty = _score_partition(meta_docs.iloc[:0], lexicon)
    parts = ddf.to_delayed()
    lex = dask.delayed(lexicon, pure=True)
    scored = [dask.delayed(_score_partition, pure=True)(p, lex) for p in parts]
    tables = {}
    for name in ("documents", "sentences", "matches", "quotes"):
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

    documents, sentences, matches = tables.documents, tables.sentences, tables.matches
    quotes = tables.quotes
    if not text:
        documents = documents.drop(columns=[c for c in ("text", "title") if c in documents.columns])
        sentences = sentences.drop(columns=["text"])
        matches = matches.drop(columns=["surface"])
        if quotes is not None:
            quotes = quotes.drop(columns=["text"])
    if quotes is None:
        documents, sentences, matches = dask.compute(documents, sentences, matches)
        quotes = _empty_quotes()
    else:
        documents, sentences, matches, quotes = dask.compute(documents, sentences, matches, quotes)
    if sort:
        documents = documents.sort_values("doc_id", kind="stable")
        sentences = sentences.sort_values(["doc_id", "sent_id"], kind="stable")
        matches = matches.sort_values(["doc_id", "sent_id", "start"], kind="stable")
        quotes = quotes.sort_values(["doc_id", "quote_id"], kind="stable")
    documents, sentences, matches, quotes = (
        _default_strings(t.reset_index(drop=True)) for t in (documents, sentences, matches, quotes)
    )
    return Scores(documents, sentences, matches, lexicons=lexicons, quotes=quotes)


def _empty_quotes() -> pd.DataFrame:
    from framing.modifiers import quotes_table

    return quotes_table([])


def _default_strings(table: pd.DataFrame) -> pd.DataFrame:
    """Dask's ``string[pyarrow]`` columns back to pandas' default string dtype (as score())."""
    target = str_dtype()
    for col in table.columns:
        dtype = table[col].dtype
        if isinstance(dtype, pd.StringDtype) and dtype != target:
            values = table[col].astype(object)
            table[col] = values.where(values.notna(), None).astype(target)
    return table


# ---- worker side: reduce one partition to per-document numbers -------------------------------


def _doc_part(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return part[columns]


# ---- client side --------------------------------------------------------------------------------


def _options(tables: DaskScores, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Check the options as framing.profile does (same messages), from the tables' schemas."""
    from types import SimpleNamespace

    from framing.aggregate import check_profile_tables, check_scores, profile_options

    metas = SimpleNamespace(
        **{name: _meta(getattr(tables, name)) for name in ("documents", "sentences", "matches")}
    )
    check_scores("profile", metas)
    try:
        options = profile_options(**kwargs)
    except TypeError as exc:
        if isinstance(exc, FramingError):
            raise
        raise ParameterError(
            f"framing.dask.profile: {exc}; it takes the keyword arguments of framing.profile."
        ) from None
    if options["by"] == "speaker" or options["modifiers"] == "split":
        raise ParameterError(
            "framing.dask.profile does not take by='speaker' or modifiers='split'; compute "
            "the scores (framing.dask.to_scores) and call framing.profile."
        )
    check_profile_tables(metas, options)
    return options


def _meta(frame: Any) -> pd.DataFrame:
    """The empty frame with the columns and dtypes of a dask (or pandas) dataframe."""
    return frame._meta if hasattr(frame, "_meta") else frame.head(0)


def document_counts(tables: DaskScores, **kwargs: Any) -> DocumentCounts:
    """Reduce the dask tables to the per-document numbers a profile needs, on the workers.

    Each partition of the sentences table becomes one row per document (its exposure:
    :func:`framing.aggregate.document_exposure`), each partition of the matches table one
    row per document and feature with a non-zero count
    (:func:`framing.aggregate.feature_counts`); only these, and the documents' group keys,
    are computed into this process and combined with
    :func:`framing.aggregate.combine_counts`.

    Parameters
    ----------
    tables : DaskScores
        The result of :func:`score`, or three dask dataframes read back from a scores
        directory.
    **kwargs
        Keyword arguments of :func:`framing.profile`.

    Returns
    -------
    DocumentCounts
        The per-document table, the sparse counts and the features.

    Raises
    ------
    FramingError
        An option :func:`framing.profile` refuses, or (``rate="sentence_share"`` only) a
        document whose matches lie in several partitions of the matches table.
    """
    return _document_counts(tables, _options(tables, kwargs))


def _document_counts(tables: DaskScores, opts: dict[str, Any]) -> DocumentCounts:
    from framing.aggregate import (
        combine_counts,
        document_columns,
        document_exposure,
        feature_counts,
    )

    dask, _ = _require_dask()
    documents, sentences, matches = tables.documents, tables.sentences, tables.matches
    doc_meta = _meta(documents)
    columns = document_columns(doc_meta, by=opts["by"], period=opts["period"])
    delayed = dask.delayed
    doc_parts = [delayed(_doc_part, pure=True)(p, columns) for p in documents.to_delayed()]
    expo_parts = [delayed(document_exposure, pure=True)(p, **opts) for p in sentences.to_delayed()]
    count_parts = (
        []
        if opts["level"] == "model"
        else [delayed(feature_counts, pure=True)(p, **opts) for p in matches.to_delayed()]
    )
    doc_parts, expo_parts, count_parts = dask.compute(doc_parts, expo_parts, count_parts)
    docs = (
        _default_strings(pd.concat(doc_parts, ignore_index=True))
        if doc_parts
        else doc_meta[columns].copy()
    )
    return combine_counts(docs, expo_parts, count_parts, **opts)


def profile(tables: DaskScores, **kwargs: Any) -> pd.DataFrame:
    """:func:`framing.profile` of dask-scored tables: group sums on the workers first.

    The workers reduce every partition to per-document numbers (:func:`document_counts`):
    each document's exposure (words or sentences of the voice), its non-zero match counts
    per feature and its group keys. Only that table, a few numbers per document, comes to
    this process; no sentence or match row does, so memory here grows with the number of
    documents, not with the number of sentences or matches. The bootstrap then resamples
    documents over it exactly as :func:`framing.profile` does.

    Parameters
    ----------
    tables : DaskScores
        The result of :func:`score` (or three dask dataframes read back with
        ``dask.dataframe.read_parquet`` from a scores directory, in a :class:`DaskScores`).
    **kwargs
        Keyword arguments of :func:`framing.profile` (``by``, ``level``, ``voice``, ``rate``,
        ``period``, ``lexicon``, ``n_boot``, ``seed``, ``ci``, ``threshold``), checked as it
        checks them.

    Returns
    -------
    pandas.DataFrame
        The profile, equal to ``framing.profile(scores, **kwargs)`` of the same scores computed
        into memory (same rows, counts, exposures and, for the same ``seed``, intervals).
        Exact when each document's sentences lie in one partition of the sentences table (so
        for the output of :func:`score` and for scores directories written by ``framing
        score``, read one partition per part file); otherwise a word exposure summed from
        several partitions may differ in the last digit.

    Raises
    ------
    FramingError
        As :func:`framing.profile`; and with ``rate="sentence_share"`` when a document's
        matches span several partitions of the matches table.
    """
    from framing.aggregate import profile_from_counts

    opts = _options(tables, kwargs)
    return profile_from_counts(_document_counts(tables, opts), **opts)
