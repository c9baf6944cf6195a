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

import numpy as np
import pandas as pd

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
        from framing.errors import FramingError

        raise FramingError(
            "framing.dask needs the optional extra: pip install 'framing[dask]'"
        ) from exc
    return dask, dd


def _score_partition(part: pd.DataFrame, lexicon: Any) -> dict[str, pd.DataFrame]:
    from framing.scoring import score as score_docs

    # as score(): a documents table is used as is, anything else goes through read_corpus
    scores = score_docs(part, lexicons=lexicon)
    return {"documents": scores.documents, "sentences": scores.sentences,
            "matches": scores.matches, "quotes": scores.quotes}


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
    from framing.scoring import _load_lexicons

    lexicon = _load_lexicons(lexicons)
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
        documents = documents.drop(columns=[c for c in ("text", "title")
                                            if c in documents.columns])
        sentences = sentences.drop(columns=["text"])
        matches = matches.drop(columns=["surface"])
        if quotes is not None:
            quotes = quotes.drop(columns=["text"])
    if quotes is None:
        documents, sentences, matches = dask.compute(documents, sentences, matches)
        quotes = _empty_quotes()
    else:
        documents, sentences, matches, quotes = dask.compute(documents, sentences, matches,
                                                             quotes)
    if sort:
        documents = documents.sort_values("doc_id", kind="stable")
        sentences = sentences.sort_values(["doc_id", "sent_id"], kind="stable")
        matches = matches.sort_values(["doc_id", "sent_id", "start"], kind="stable")
        quotes = quotes.sort_values(["doc_id", "quote_id"], kind="stable")
    documents, sentences, matches, quotes = (_default_strings(t.reset_index(drop=True))
                                             for t in (documents, sentences, matches, quotes))
    return Scores(documents, sentences, matches, lexicons=lexicons, quotes=quotes)


def _empty_quotes() -> pd.DataFrame:
    from framing.modifiers import quotes_table

    return quotes_table([])


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


class DocumentCounts(NamedTuple):
    """What :func:`profile` brings to the client: per-document numbers, no sentence or match rows.

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per document, in input order: ``doc_id``, the group-key columns the profile
        needs (and ``date`` for time views), ``exposure`` (words or sentences of the voice)
        and, for ``level="model"``, one column per classifier label (the summed
        probabilities, or sentences above the threshold, of the voice).
    counts : pandas.DataFrame
        ``doc_id, feature, count``: matches (or sentences, for ``rate="sentence_share"``) per
        document and feature, only the non-zero ones (empty for ``level="model"``).
    features : list of str
        The profile's features, sorted (as :func:`framing.profile` names them).
    """

    documents: pd.DataFrame
    counts: pd.DataFrame
    features: list[str]


# ---- worker side: reduce one partition to per-document numbers -------------------------------


def _doc_part(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return part[columns]


def _exposure_part(
    sents: pd.DataFrame, *, level: str, voice: str, rate: str, threshold: float
) -> pd.DataFrame:
    """Per-document exposure (and model label sums) of one partition of the sentences table.

    Sums run over the document's sentences in table order starting from 0.0, exactly as
    :func:`framing.profile` sums them over the whole table, so the numbers are identical.
    """
    from framing.aggregate import _sentence_weights

    codes, ids = pd.factorize(sents["doc_id"])
    n = len(ids)
    pcols = [c for c in sents.columns if str(c).startswith("p_")]
    per_sent, probs = _sentence_weights(sents, level=level, voice=voice, rate=rate,
                                        threshold=threshold, pcols=pcols)
    out = pd.DataFrame({"doc_id": pd.Series(ids, dtype=object),
                        "exposure": np.bincount(codes, weights=per_sent, minlength=n)})
    if probs is not None:
        per_doc = np.zeros((n, len(pcols)))
        np.add.at(per_doc, codes, probs)
        for j, col in enumerate(pcols):
            out[col] = per_doc[:, j]
    return out


def _counts_part(
    matches: pd.DataFrame, *, level: str, voice: str, rate: str, lexicon: list[str] | None,
    modifiers: str = "adopted", include_neutral: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """Non-zero (doc_id, feature) counts of one partition of the matches table, and its features.

    The features are those of every voice (as :func:`framing.profile` lists them: a feature
    seen only in quotes still gets its zero row in an author profile).
    """
    from framing.aggregate import _feature_matches

    features, kept = _feature_matches(matches, level=level, voice=voice, lexicon=lexicon,
                                      modifiers=modifiers, include_neutral=include_neutral)
    frame = pd.DataFrame({"doc_id": kept["doc_id"].astype(object).to_numpy(),
                          "sent_id": kept["sent_id"].to_numpy(),
                          "feature": kept[level].astype(str).astype(object).to_numpy()})
    if rate != "sentence_share":
        counts = (frame.groupby(["doc_id", "feature"], sort=False).size()
                  .rename("count").astype(np.int64).reset_index())
        return counts, features
    # sentences with the feature, not matches; the first and last of them let the client
    # count a sentence once when its matches are split between two partitions
    frame = frame.drop_duplicates(["doc_id", "sent_id", "feature"])
    grouped = frame.groupby(["doc_id", "feature"], sort=False)["sent_id"]
    counts = pd.DataFrame({"count": grouped.size().astype(np.int64),
                           "first_sent": grouped.min(), "last_sent": grouped.max()})
    return counts.reset_index(), features


# ---- client side --------------------------------------------------------------------------------


def _options(tables: DaskScores, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Check the options as framing.profile does (same messages) and fill in the defaults."""
    import inspect

    from framing.aggregate import _profile_rate
    from framing.aggregate import profile as profile_scores
    from framing.scoring import Scores

    signature = inspect.signature(profile_scores)
    try:
        bound = signature.bind(None, **kwargs)
    except TypeError as exc:
        from framing.errors import FramingError

        raise FramingError(f"framing.dask.profile: {exc}; it takes the keyword arguments "
                           f"of framing.profile.") from None
    bound.apply_defaults()
    options = dict(bound.arguments)
    options.pop("scores")
    if options.get("by") == "speaker" or options.get("modifiers") == "split":
        from framing.errors import FramingError

        raise FramingError(
            "framing.dask.profile does not take by='speaker' or modifiers='split'; compute "
            "the scores (framing.dask.to_scores) and call framing.profile."
        )
    # the real checks: framing.profile on the empty tables (their schemas are the dask meta)
    metas = [t._meta if hasattr(t, "_meta") else t.head(0) for t in tables[:3]]
    profile_scores(Scores(*metas), **options)
    options["rate"] = _profile_rate(options["level"], options["rate"])
    return options


def _doc_columns(meta: pd.DataFrame, by: Any, period: str | None) -> list[str]:
    from framing.aggregate import PERIOD_NAMES

    keys = [by] if isinstance(by, str) else list(by)
    columns = ["doc_id", *[k for k in keys if k in meta.columns and k != "doc_id"]]
    if (period is not None or any(k not in meta.columns and k in PERIOD_NAMES for k in keys)) \
            and "date" in meta.columns and "date" not in columns:
        columns.append("date")
    return columns


def document_counts(tables: DaskScores, **kwargs: Any) -> DocumentCounts:
    """Reduce the dask tables to the per-document numbers a profile needs, on the workers.

    Each partition of the sentences table becomes one row per document (its exposure), each
    partition of the matches table one row per document and feature with a non-zero count;
    only these, and the documents' group keys, are computed into this process.

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
    dask, _ = _require_dask()
    from framing.aggregate import _lexicon_names

    level, voice, rate = opts["level"], opts["voice"], opts["rate"]
    documents, sentences, matches = tables.documents, tables.sentences, tables.matches
    doc_meta = documents._meta if hasattr(documents, "_meta") else documents.head(0)
    columns = _doc_columns(doc_meta, opts["by"], opts["period"])
    delayed = dask.delayed
    doc_parts = [delayed(_doc_part, pure=True)(p, columns) for p in documents.to_delayed()]
    expo_parts = [delayed(_exposure_part, pure=True)(p, level=level, voice=voice, rate=rate,
                                                    threshold=opts["threshold"])
                  for p in sentences.to_delayed()]
    count_parts = [] if level == "model" else [
        delayed(_counts_part, pure=True)(p, level=level, voice=voice, rate=rate,
                                         modifiers=opts["modifiers"],
                                         lexicon=_lexicon_names(opts["lexicon"]),
                                         include_neutral=opts["include_neutral"])
        for p in matches.to_delayed()]
    doc_parts, expo_parts, count_parts = dask.compute(doc_parts, expo_parts, count_parts)

    docs = _default_strings(pd.concat(doc_parts, ignore_index=True)) if doc_parts \
        else doc_meta[columns].copy()
    expo = pd.concat(expo_parts, ignore_index=True) if expo_parts else \
        pd.DataFrame({"doc_id": pd.Series([], dtype=object), "exposure": np.zeros(0)})
    if expo["doc_id"].duplicated().any():
        # a document's sentences span partitions (e.g. row groups read as partitions): add
        # the partial sums in partition order (may differ from one sum in the last digit)
        codes, ids = pd.factorize(expo["doc_id"])
        expo = pd.DataFrame({"doc_id": ids, **{
            c: np.bincount(codes, weights=expo[c].to_numpy(dtype=float), minlength=len(ids))
            for c in expo.columns if c != "doc_id"}})
    expo = expo.set_index("doc_id")
    rows = expo.index.get_indexer(docs["doc_id"].astype(object))
    for col in expo.columns:
        values = expo[col].to_numpy(dtype=float)
        docs[col] = np.where(rows >= 0, values[np.maximum(rows, 0)], 0.0) if len(values) \
            else np.zeros(len(docs))

    if count_parts:
        counts = pd.concat([c for c, _ in count_parts], ignore_index=True)
        features = sorted(set().union(*(f for _, f in count_parts)))
    else:
        counts = pd.DataFrame({"doc_id": pd.Series([], dtype=object),
                               "feature": pd.Series([], dtype=object),
                               "count": pd.Series([], dtype=np.int64)})
        features = [str(c)[2:] for c in expo.columns if str(c).startswith("p_")]
    if counts.duplicated(["doc_id", "feature"]).any():
        counts = _merge_partials(counts, sentence_share=rate == "sentence_share")
    counts = counts[["doc_id", "feature", "count"]]
    return DocumentCounts(docs, counts.reset_index(drop=True), features)


def _merge_partials(counts: pd.DataFrame, *, sentence_share: bool) -> pd.DataFrame:
    """Add up the counts of a document whose matches lie in several partitions.

    For ``sentence_share`` a sentence whose matches two consecutive partitions share (the
    last sentence of one partial is the first of the next) is counted once.
    """
    from framing.errors import FramingError

    keys = ["doc_id", "feature"]
    if not sentence_share:
        return counts.groupby(keys, sort=False)["count"].sum().reset_index()
    counts = counts.sort_values(keys, kind="stable")  # partition order within a pair
    same = counts[keys].eq(counts[keys].shift()).all(axis=1).to_numpy()
    first = counts["first_sent"].to_numpy()
    prev_last = counts["last_sent"].shift().to_numpy()
    if (same & (first < prev_last)).any():
        doc = counts.loc[same & (first < prev_last), "doc_id"].iloc[0]
        raise FramingError(
            f"framing.dask.profile(rate='sentence_share'): the matches of document {doc!r} are "
            "spread over several partitions of the matches table out of sentence order, so "
            "its sentences cannot be counted once. Keep the matches table in the order "
            "framing.score writes it (doc_id, sent_id, start), or read it with one partition "
            "per part file (dask.dataframe.read_parquet(..., split_row_groups=False))."
        )
    shared = (same & (first == prev_last)).astype(np.int64)
    counts = counts.assign(count=counts["count"].to_numpy() - shared)
    return counts.groupby(keys, sort=False)["count"].sum().reset_index()


def _profile_counts(dc: DocumentCounts, opts: dict[str, Any]) -> pd.DataFrame:
    """framing.profile's aggregation and bootstrap over per-document numbers.

    Mirrors the part of :func:`framing.aggregate.profile` (and ``_model_profile``) after its
    per-document matrices are built, with the same internals: the same groups, the same
    document order and the same seeded resamples give the same table.
    """
    from types import SimpleNamespace

    from framing.aggregate import _Groups, _prepare_docs, _profile_from_matrices, _sparse

    level = opts["level"]
    view, keys = _prepare_docs(SimpleNamespace(documents=dc.documents), func="profile",
                               by=opts["by"], period=opts["period"])
    groups = _Groups(view, keys)
    n = len(groups.docs)
    rows = pd.Index(dc.documents["doc_id"]).get_indexer(groups.docs["doc_id"])
    exposure = dc.documents["exposure"].to_numpy(dtype=float)[rows].reshape(n, 1)
    names = dc.features
    nf = len(names)
    features = pd.DataFrame({"feature": pd.Series(names, dtype=object)})
    if level == "model":
        per_doc: Any = dc.documents[[f"p_{name}" for name in names]].to_numpy(dtype=float)[rows]
    else:
        mrow = groups.rows(dc.counts["doc_id"])
        keep = mrow >= 0
        fcode = pd.Categorical(dc.counts["feature"][keep], categories=names).codes
        per_doc = _sparse(mrow[keep], fcode, (n, nf), values=dc.counts["count"][keep])
    out = _profile_from_matrices(
        groups, features, per_doc, exposure, level=level, voice=opts["voice"],
        rate=opts["rate"], threshold=opts["threshold"], n_boot=opts["n_boot"],
        seed=opts["seed"], ci=opts["ci"], min_docs=opts["min_docs"],
        modifiers=opts["modifiers"])
    if opts["period"] == "auto":  # as framing.profile: record the period chosen
        out.attrs["period"] = view.attrs.get("period")
    return out


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
    opts = _options(tables, kwargs)
    return _profile_counts(_document_counts(tables, opts), opts)
