"""Scoring: documents -> :class:`Scores` (documents, sentences and matches tables).

:func:`score` is a pure function of a chunk of documents: it splits every document into
sentences and quoted-speech spans (:func:`framing.segment.segment_text`), finds lexicon
matches with one compiled :class:`framing.matcher.Matcher` pass per document, and returns the
three linked tables (documents, sentences, matches; README "Output tables"). The only state
kept between calls is a small cache of compiled matchers keyed by the lexicon fingerprint, so
streaming, multiprocessing and Dask
engines can call it on any chunk and concatenate the results.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing import store
from framing._text import plural
from framing.errors import CorpusError, FramingError, ModelError
from framing.store import FORMATS, SKIPPED_COLUMNS, SKIPPED_FILE, check_target  # noqa: F401
from framing.store import TABLES as _TABLES

__all__ = ["Scores", "lexicon_labels", "load_lexicons", "model_columns", "score"]

log = logging.getLogger("framing")

DOCUMENT_SCORE_COLUMNS = ("n_sentences", "n_words", "n_matches", "score")
SENTENCE_COLUMNS = (
    "doc_id",
    "sent_id",
    "start",
    "end",
    "text",
    "n_words",
    "quote_share",
    "n_matches",
    "score",
)
MATCH_COLUMNS = (
    "doc_id",
    "sent_id",
    "start",
    "end",
    "surface",
    "term",
    "lexicon",
    "category",
    "concept",
    "stance",
    "weight",
    "voice",
    "negated",
    "distanced",
    "speaker",
)

# column dtypes restored after loading from CSV / JSONL (parquet keeps them)
_INT_COLUMNS = {
    "documents": ("n_sentences", "n_words", "n_matches"),
    "sentences": ("sent_id", "start", "end", "n_words", "n_matches"),
    "matches": ("sent_id", "start", "end"),
    "quotes": (),
}
_FLOAT_COLUMNS = {
    "documents": ("score",),
    "sentences": ("quote_share", "score"),
    "matches": ("weight",),
    "quotes": (),
}
_STR_COLUMNS = {  # never missing: NA -> ""
    "documents": ("doc_id", "outlet", "text"),
    "sentences": ("doc_id", "text"),
    "matches": ("doc_id", "surface", "term", "lexicon", "voice"),
    "quotes": (),
}
_NULLABLE_STR_COLUMNS = {
    "documents": ("title",),
    "sentences": (),
    "matches": ("category", "concept", "stance", "speaker"),
    "quotes": (),
}


def _str_dtype() -> Any:
    """pandas' default string dtype (``str`` on pandas 3, object on pandas 2)."""
    return pd.Series(["x"]).dtype


def _str_series(values: Any) -> pd.Series:
    """A column of the default string dtype; ``None`` stays missing."""
    return pd.Series(values, dtype=object).astype(_str_dtype())


def _str_column(column: pd.Series) -> pd.Series:
    """A never-missing text column: missing values become "", others ``str``."""
    return column.astype(object).where(column.notna(), "").map(str).astype(_str_dtype())


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True)
class Scores:
    """The result of :func:`score`: three linked tables (schemas in the README, "Output tables").

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per input document: ``doc_id, outlet, date, title, text``, other input columns,
        then ``n_sentences, n_words, n_matches, score``.
    sentences : pandas.DataFrame
        One row per sentence: ``doc_id, sent_id, start, end, text, n_words, quote_share,
        n_matches, score`` and ``p_<label>`` columns when a classifier was applied.
    matches : pandas.DataFrame
        One row per lexicon match: ``doc_id, sent_id, start, end, surface, term, lexicon,
        category, concept, stance, weight, voice, negated, distanced, speaker`` (the
        modifiers of :mod:`framing.modifiers`: scare quotes are the author's voice).
    lexicons : tuple of str
        Names (with versions) of the lexicons used, e.g. ``("mideast@1",)``.
    meta : dict
        Free-form provenance (framing version, options).
    skipped : pandas.DataFrame
        Documents left out at scoring time (``doc_id, chunk, reason, code``; codes:
        :data:`framing.store.SKIP_CODES`), read from the ``skipped.csv`` that ``framing score
        --on-error skip`` writes; empty when none were skipped. They appear in no other table.
    quotes : pandas.DataFrame
        One row per quotation of speech (scare quotes and titles of works are left out):
        ``doc_id, quote_id, start, end, text, speaker, speaker_start, speaker_end, cue,
        speaker_resolved`` (:func:`framing.modifiers.quotes_table`).
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    matches: pd.DataFrame
    lexicons: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    skipped: pd.DataFrame = field(default_factory=lambda: store.skipped_frame([]))
    quotes: pd.DataFrame = field(default_factory=lambda: _empty_quotes())

    # -- text ---------------------------------------------------------------------------------
    def summary(self) -> str:
        """One line: documents, sentences, matches (by voice) and lexicons.

        Returns
        -------
        str
            For example ``"12 documents, 340 sentences, 95 matches (71 author, 24 quote);
            lexicons: mideast@1"``.
        """
        voice = self.matches["voice"] if "voice" in self.matches.columns else pd.Series([])
        n_quote = int((voice == "quote").sum())
        lex = ", ".join(self.lexicons) if self.lexicons else "none"
        return (
            f"{plural(len(self.documents), 'document')}, "
            f"{plural(len(self.sentences), 'sentence')}, "
            f"{plural(len(self.matches), 'match', 'matches')} "
            f"({len(self.matches) - n_quote:,} author, "
            f"{n_quote:,} quote); lexicons: {lex}"
        )

    def __repr__(self) -> str:
        return (
            f"Scores({plural(len(self.documents), 'document')}, "
            f"{plural(len(self.sentences), 'sentence')}, "
            f"{plural(len(self.matches), 'match', 'matches')}, lexicons={list(self.lexicons)})"
        )

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most frequent matched terms.

        Parameters
        ----------
        n : int, default 10
            Number of rows.

        Returns
        -------
        pandas.DataFrame
            Columns ``term, lexicon, category, stance, count, author, quote``, most frequent
            first (ties by term).
        """
        m = self.matches
        cols = ["term", "lexicon", "category", "stance", "count", "author", "quote"]
        if m.empty:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        keys = ["term", "lexicon", "category", "stance"]
        g = m.assign(
            _a=(m["voice"] == "author").astype(np.int64),
            _q=(m["voice"] == "quote").astype(np.int64),
        ).groupby(keys, dropna=False, sort=False)
        out = g.agg(count=("_a", "size"), author=("_a", "sum"), quote=("_q", "sum")).reset_index()
        out = out.sort_values(["count", "term"], ascending=[False, True], kind="stable")
        return out.head(n).reset_index(drop=True)[cols]

    def _repr_html_(self) -> str:
        """Notebook view: counts, top terms and a few sentences with matches highlighted."""
        from framing import _html

        parts = [f"<style>{_html.MARK_STYLE}</style>", "<div class='framing-scores'>"]
        parts.append(f"<p><b>framing.Scores</b>: {_html.escape(self.summary())}</p>")
        top = self.top_terms(8)
        if len(top):
            parts.append("<p>Most frequent terms</p>")
            parts.append(_html.table(top.itertuples(index=False, name=None), list(top.columns)))
        examples = _example_sentences(self, k=5)
        if examples:
            parts.append("<p>Highest-scoring sentences (author voice yellow, quotes blue)</p>")
            parts.append(_html.table(examples, ["doc_id", "score", "sentence"], raw=(2,)))
        parts.append("</div>")
        return "".join(parts)

    # -- files --------------------------------------------------------------------------------
    def save(
        self, path: str | os.PathLike, *, format: str = "parquet", overwrite: bool = False
    ) -> Path:
        """Write the tables to a scores directory, atomically.

        The directory gets ``documents.<ext>``, ``sentences.<ext>``, ``matches.<ext>``,
        ``quotes.<ext>`` and ``meta.json`` (the schema of :func:`framing.store.scores_meta`,
        shared with the engine), plus ``skipped.csv`` when :attr:`skipped` is not empty.
        Everything is written into a temporary directory beside ``path`` and renamed into place
        when complete, so an interrupted save never leaves a half-written scores directory.

        Parameters
        ----------
        path : str or path-like
            The directory to create.
        format : {"parquet", "csv", "jsonl"}, default "parquet"
            Table file format.
        overwrite : bool, default False
            Replace an existing scores directory. A non-empty directory that is not a scores
            directory (no ``meta.json``) is never replaced.

        Returns
        -------
        pathlib.Path
            ``path``.

        Raises
        ------
        FramingError
            Unknown format; ``path`` exists and is a file, a non-empty directory that is not a
            scores directory, or a scores directory while ``overwrite`` is False.
        """
        store.check_format(format, "Scores.save")
        path = Path(path)
        replace = check_target(path, overwrite=overwrite)
        tmp = store.temp_dir(path)
        try:
            for name in _TABLES:
                store.write_table(getattr(self, name), tmp / f"{name}.{format}", format)
            store.write_meta(
                tmp,
                store.scores_meta(
                    layout="tables",
                    format=format,
                    lexicons=self.lexicons,
                    counts={name: len(getattr(self, name)) for name in _TABLES},
                    meta=self.meta,
                ),
            )
            store.write_skipped(self.skipped, tmp)
            store.move_into_place(tmp, path, replace=replace)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("scores written to %s (%s)", path, format)
        return path

    @classmethod
    def load(
        cls,
        path: str | os.PathLike,
        *,
        columns: Mapping[str, Sequence[str] | None] | None = None,
    ) -> Scores:
        """Read a scores directory written by :meth:`save`, ``framing score`` or the engine.

        Parameters
        ----------
        path : str or path-like
            The scores directory (with ``meta.json``). Both layouts are read: one file per
            table, and one folder of part files per table (written by
            :func:`framing.engine.score_files`).
        columns : mapping of table name to list of column names, optional
            Read only these columns of a table (``{"sentences": ["doc_id", "sent_id",
            "n_words"]}``); a name ending in ``*`` selects every column with that prefix
            (``"p_*"``); columns a table lacks are left out. Tables not named, or named with
            ``None``, are read whole. Parquet files then read only those columns from disk.

        Returns
        -------
        Scores
            The tables with their dtypes restored (also from CSV and JSONL), and
            :attr:`skipped` read from ``skipped.csv`` when the directory has one.

        Raises
        ------
        FramingError
            ``path`` is not a scores directory, a table file is missing, or ``skipped.csv``
            cannot be read.
        """
        path = Path(path)
        info = store.read_meta(path)
        fmt = info.get("format", "parquet")
        columns = dict(columns or {})
        unknown = sorted(set(columns) - set(_TABLES))
        if unknown:
            raise FramingError(
                f"Scores.load(columns=...): unknown table(s) {unknown}; the tables are "
                f"{', '.join(_TABLES)}."
            )
        tables = {name: _read_table(path, name, fmt, columns.get(name)) for name in _TABLES}
        meta = info.get("meta")
        if meta is None:
            meta = {k: v for k, v in info.items() if k != "lexicons"}
        return cls(
            tables["documents"],
            tables["sentences"],
            tables["matches"],
            lexicons=tuple(info.get("lexicons", ())),
            meta=dict(meta),
            skipped=store.read_skipped(path / SKIPPED_FILE),
            quotes=tables["quotes"],
        )

    @staticmethod
    def iter_parts(
        path: str | os.PathLike, table: str, columns: Sequence[str] | None = None
    ) -> Iterator[pd.DataFrame]:
        """Read one table of a scores directory part file by part file (flat memory).

        Parameters
        ----------
        path : str or path-like
            The scores directory (with ``meta.json``).
        table : {"documents", "sentences", "matches"}
            The table.
        columns : list of str, optional
            Read only these columns (as in :meth:`load`).

        Yields
        ------
        pandas.DataFrame
            Each part file's rows with the contract dtypes (the whole table once when it is one
            file).
        """
        path = Path(path)
        if table not in _TABLES:
            raise FramingError(
                f"Scores.iter_parts: unknown table {table!r}; the tables are {', '.join(_TABLES)}."
            )
        fmt = store.read_meta(path).get("format", "parquet")
        for file in store.table_files(path, table, fmt):
            frame = store.read_table_file(file, fmt, columns)
            if len(frame.columns):
                yield _coerce(frame, table, columns, copy=False)


def _empty_quotes() -> pd.DataFrame:
    from framing.modifiers import quotes_table

    return quotes_table([])


def _read_table(
    folder: Path, name: str, fmt: str, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    files = store.table_files(folder, name, fmt)
    frames = [store.read_table_file(p, fmt, columns) for p in files]
    frames = [f for f in frames if len(f.columns)]
    if len(frames) == 1:
        table = frames[0]
    else:
        table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    del frames  # the parts are no longer needed: peak memory is one table plus its parts
    return _coerce(table, name, columns, copy=False)


def _coerce(
    table: pd.DataFrame, name: str, columns: Sequence[str] | None = None, *, copy: bool = True
) -> pd.DataFrame:
    """Restore the contract dtypes of a table read back from disk (of the selected
    ``columns`` only, when given); ``copy=False`` changes ``table`` in place."""
    if name == "quotes":
        from framing.modifiers import coerce_quotes

        return coerce_quotes(table)
    expected = {
        "documents": ("doc_id", "outlet", "date", "title", "text", *DOCUMENT_SCORE_COLUMNS),
        "sentences": SENTENCE_COLUMNS,
        "matches": MATCH_COLUMNS,
    }[name]
    if columns is not None:
        expected = tuple(store.select_columns(expected, columns))
    if copy:
        table = table.copy()
    for col in expected:
        if col not in table.columns:
            table[col] = pd.Series([None] * len(table), dtype=object)
    str_dtype = _str_dtype()
    for col in _STR_COLUMNS[name]:
        if col in expected and not (table[col].dtype == str_dtype and table[col].notna().all()):
            table[col] = _str_column(table[col])
    for col in _NULLABLE_STR_COLUMNS[name]:
        if col not in expected or table[col].dtype == str_dtype:
            continue
        values = table[col].astype(object)
        table[col] = (
            values.where(values.notna(), None)
            .map(lambda v: v if v is None else str(v))
            .astype(str_dtype)
        )
    for col in _INT_COLUMNS[name]:
        if col in expected:
            table[col] = pd.to_numeric(table[col]).fillna(0).astype(np.int64)
    for col in _FLOAT_COLUMNS[name]:
        if col in expected:
            table[col] = pd.to_numeric(table[col]).astype(np.float64)
    if name == "documents" and "date" in expected:
        date = pd.to_datetime(table["date"], errors="coerce", format="ISO8601")
        if getattr(date.dt, "tz", None) is not None:
            date = date.dt.tz_convert("UTC").dt.tz_localize(None)
        table["date"] = date.astype("datetime64[ns]")
    if name == "matches":
        for col in [c for c in ("negated", "distanced") if c in expected]:
            values = table[col].astype(object)
            table[col] = (
                values.where(values.notna(), False)
                .map(lambda v: v if isinstance(v, bool) else str(v).lower() in ("true", "1"))
                .astype(bool)
            )
    if name == "sentences":
        for col in [c for c in table.columns if str(c).startswith("p_")]:
            table[col] = pd.to_numeric(table[col]).astype(np.float64)
    return table


def _present(*values: Any) -> list[str]:
    """The values that are not missing, as str."""
    return [
        str(v)
        for v in values
        if v is not None and not (isinstance(v, float) and v != v) and v is not pd.NA
    ]


def _example_sentences(scores: Scores, *, k: int) -> list[tuple[str, str, str]]:
    """(doc_id, score, highlighted sentence HTML) of the ``k`` highest-scoring sentences."""
    from framing import _html

    sents = scores.sentences
    if sents.empty or "score" not in sents.columns or not (sents["n_matches"] > 0).any():
        return []
    top = (
        sents[sents["n_matches"] > 0]
        .sort_values(["score", "doc_id", "sent_id"], ascending=[False, True, True], kind="stable")
        .head(k)
    )
    m = scores.matches
    rows = []
    match_cols = ["start", "end", "term", "lexicon", "category", "stance", "weight", "voice"]
    for doc_id, sent_id, offset, text, value in zip(
        *(top[c].tolist() for c in ("doc_id", "sent_id", "start", "text", "score")), strict=True
    ):
        sm = m[(m["doc_id"] == doc_id) & (m["sent_id"] == sent_id)]
        spans = [
            (
                int(start) - int(offset),
                int(end) - int(offset),
                f"{term} ({', '.join(_present(lexicon, category, stance))}, "
                f"weight {weight:g}, {voice})",
                "fr-quote" if voice == "quote" else None,
            )
            for start, end, term, lexicon, category, stance, weight, voice in zip(
                *(sm[c].tolist() for c in match_cols), strict=True
            )
        ]
        rows.append((str(doc_id), f"{value:g}", _html.highlight(str(text), spans)))
    return rows


# ---------------------------------------------------------------------------------------------
# score()

_MATCHER_CACHE: OrderedDict[tuple[str, Any], Any] = OrderedDict()
_MATCHER_CACHE_SIZE = 8


def _matcher_for(lexicon: Any) -> Any:
    """A compiled matcher for ``lexicon``, cached by the lexicon's fingerprint."""
    from framing.matcher import Matcher

    fingerprint = getattr(lexicon, "fingerprint", None)
    if not isinstance(fingerprint, str):
        return Matcher(lexicon)
    key = (fingerprint, None)
    matcher = _MATCHER_CACHE.get(key)
    if matcher is None:
        matcher = Matcher(lexicon)
        _MATCHER_CACHE[key] = matcher
        while len(_MATCHER_CACHE) > _MATCHER_CACHE_SIZE:
            _MATCHER_CACHE.popitem(last=False)
    else:
        _MATCHER_CACHE.move_to_end(key)
    return matcher


def load_lexicons(lexicons: Any) -> Any:
    """The lexicon to score with from ``score``'s ``lexicons`` argument.

    Parameters
    ----------
    lexicons : Lexicon, str, path, list of these, or None
        A loaded :class:`framing.Lexicon` is returned as it is; None loads every bundled
        lexicon (domain lexicons first); anything else goes to :func:`framing.load_lexicon`.

    Returns
    -------
    framing.Lexicon
    """
    if hasattr(lexicons, "entries") and hasattr(lexicons, "fingerprint"):
        return lexicons
    if isinstance(lexicons, (list, tuple)) and not lexicons:
        raise FramingError(
            "The 'lexicons' parameter of score must name at least one lexicon; use None for "
            "all bundled lexicons."
        )
    from framing.lexicon import list_lexicons, load_lexicon

    if lexicons is None:
        return load_lexicon(list_lexicons(domain_first=True))
    return load_lexicon(lexicons)


def lexicon_poles(lexicon: Any) -> dict[str, list[str]]:
    """The two poles each lexicon in ``lexicon`` declares (``poles:``), by lexicon name.

    Lexicons without declared poles are left out. Recorded in :attr:`Scores.meta`
    (``lexicon_poles``), so the report orients slant axes without reloading lexicons.
    """
    parts = getattr(lexicon, "parts", None) or (lexicon,)
    found: dict[str, list[str]] = {}
    for part in parts:
        poles = getattr(part, "poles", None)
        if poles and len(poles) == 2:
            found[str(getattr(part, "name", ""))] = [str(poles[0]), str(poles[1])]
    return found


def scoring_meta(lexicon: Any, model: Any = None) -> dict[str, Any]:
    """:attr:`Scores.meta` of a scoring run: what :func:`score` and the engine record.

    Parameters
    ----------
    lexicon : framing.Lexicon
        The (merged) lexicon scored with.
    model : FramingClassifier or None
        The classifier applied, if any.

    Returns
    -------
    dict
        ``framing_version``, ``lexicon_fingerprint``, ``lexicon_poles`` (see
        :func:`lexicon_poles`) and ``model`` (the classifier's class name or None).
    """
    from framing import __version__

    return {
        "framing_version": __version__,
        "lexicon_fingerprint": getattr(lexicon, "fingerprint", None),
        "lexicon_poles": lexicon_poles(lexicon),
        "model": type(model).__name__ if model is not None else None,
    }


def lexicon_labels(lexicon: Any) -> tuple[str, ...]:
    """``name@version`` of every lexicon in ``lexicon`` (the parts of a merged lexicon)."""
    parts = getattr(lexicon, "parts", None)
    if parts:
        return tuple(f"{p.name}@{p.version}" for p in parts)
    versions = getattr(lexicon, "versions", None)
    if isinstance(versions, dict) and versions:
        return tuple(f"{n}@{v}" for n, v in versions.items())
    names = list(dict.fromkeys(str(e.lexicon) for e in lexicon.entries if e.lexicon))
    if len(names) <= 1:
        return (
            f"{getattr(lexicon, 'name', names[0] if names else 'lexicon')}"
            f"@{getattr(lexicon, 'version', '')}",
        )
    return tuple(names)


def _documents(docs: Any) -> pd.DataFrame:
    """The documents table of ``docs`` (a documents DataFrame is used as is).

    A str is one document's text and a list of str or a Series are texts; files and folders
    are read only when given as :class:`pathlib.Path` (or through ``read_corpus``).
    """
    from framing.corpus import DOCUMENT_COLUMNS, read_corpus

    if isinstance(docs, str):
        docs = [docs]
    if isinstance(docs, (list, tuple)) and docs and all(isinstance(d, str) for d in docs):
        for text in docs:
            if "\n" not in text and len(text) < 4096 and os.path.exists(text):
                raise CorpusError(
                    f"score() reads a str as the text of a document, and {text!r} names an "
                    f"existing file or folder. To score the files, pass Path({text!r}) or "
                    f"fr.read_corpus({text!r})."
                )
        docs = pd.DataFrame({"text": list(docs)})
    elif isinstance(docs, pd.Series):
        texts = docs.astype(object).where(docs.notna(), None).tolist()
        frame = pd.DataFrame({"text": texts})
        if not isinstance(docs.index, pd.RangeIndex):
            frame.insert(0, "doc_id", [str(i) for i in docs.index])
        docs = frame
    if isinstance(docs, pd.DataFrame) and all(c in docs.columns for c in DOCUMENT_COLUMNS):
        dup = docs["doc_id"][docs["doc_id"].duplicated()]
        if len(dup):
            shown = ", ".join(map(str, dup.unique()[:5]))
            raise CorpusError(
                f"score(): duplicate doc_id in the documents table: {shown}. Give every "
                "document a unique id (or drop the doc_id column and use read_corpus)."
            )
        return docs
    return read_corpus(docs)


def model_columns(model: Any, texts: list[str], doc_ids: Any = None) -> dict[str, np.ndarray]:
    """``p_<label>`` columns from a fitted classifier with ``predict_proba`` and ``classes_``.

    A model fitted with document context (``FramingClassifier(context=True)``) gets the
    sentences as a table with ``text`` and ``doc_id`` (``doc_ids``, in document order), so it
    sees each sentence's neighbours; any other model gets the plain texts.
    """
    source = ""
    if isinstance(model, (str, os.PathLike)):
        from framing.classify import load_model

        source = f"{model}: "
        model = load_model(Path(model))
    if not hasattr(model, "predict_proba"):
        raise ModelError(
            "The 'model' parameter of score must be a fitted classifier with predict_proba "
            f"(e.g. framing.FramingClassifier). Got {type(model).__name__} instead."
        )
    if getattr(model, "unit_", None) == "document":
        raise ModelError(
            f"{source}score(model=...) and report(model=...) apply the model to every sentence, "
            "but it was trained on whole documents (unit_ 'document'): apply it to documents "
            "with `framing predict --level document` or framing.classify.predict_table, "
            "retrain it on sentences, or "
            "set model.unit_ = 'sentence' to apply it to sentences anyway."
        )
    classes = getattr(model, "classes_", None)
    if classes is None:
        raise ModelError(
            f"score(model=...): {type(model).__name__} has no classes_; fit it before scoring."
        )
    labels = [str(c) for c in classes]
    # A binary model gives one column, the probability of its positive class (the last of
    # classes_, or the name in labels_ for FramingClassifier); multi-label models one per label.
    names = getattr(model, "labels_", None)
    binary = len(labels) == 2 and not getattr(model, "multilabel_", False)
    if binary:
        keep = [1]
        out_names = [str(names[0]) if names is not None and len(names) == 1 else labels[1]]
    else:
        keep = list(range(len(labels)))
        out_names = (
            [str(n) for n in names] if names is not None and len(names) == len(labels) else labels
        )
    if not texts:
        return {f"p_{c}": np.zeros(0, dtype=np.float64) for c in out_names}
    try:
        X: Any = texts
        if getattr(model, "context", False) and doc_ids is not None:
            X = pd.DataFrame({"text": texts, "doc_id": np.asarray(doc_ids, dtype=object)})
        proba = np.asarray(model.predict_proba(X), dtype=np.float64)
    except FramingError:
        raise
    except Exception as exc:
        raise ModelError(f"score(model=...): predict_proba failed: {exc}") from exc
    if proba.shape != (len(texts), len(labels)):
        raise ModelError(
            f"score(model=...): predict_proba returned shape {proba.shape}, expected "
            f"({len(texts)}, {len(labels)})."
        )
    return {f"p_{c}": proba[:, j] for j, c in zip(keep, out_names, strict=True)}


def _quoted_before(q_starts: np.ndarray, q_ends: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Number of quoted characters before each position (quote spans sorted, disjoint)."""
    if len(q_starts) == 0:
        return np.zeros(len(pos), dtype=np.int64)
    lengths = q_ends - q_starts
    cum = np.concatenate([[0], np.cumsum(lengths)])
    idx = np.searchsorted(q_starts, pos, side="right") - 1
    safe = np.maximum(idx, 0)
    inside = np.where(idx >= 0, np.clip(pos - q_starts[safe], 0, lengths[safe]), 0)
    return np.where(idx >= 0, cum[safe], 0) + inside


_CLASS_TABLE = np.array(
    [1 if (chr(c).isalnum() or c == ord("_")) else 2 if chr(c) in "-'" else 0 for c in range(128)]
    + [3],
    dtype=np.uint8,
)


def _sentence_word_counts(joined: str, gs: np.ndarray, ge: np.ndarray) -> np.ndarray:
    """:func:`framing.segment.count_words` of every sentence ``joined[gs[i]:ge[i]]``, at once.

    A word (``\\w+(?:[-'’]\\w+)*``) starts at every word character that neither follows a
    word character nor a joiner (``-'’``) that follows a word character; at a sentence start
    the context before the sentence is ignored, as when the sentence is counted alone.
    """
    if len(gs) == 0:
        return np.zeros(0, dtype=np.int64)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    # class of each character: 1 = word char, 2 = joiner, 3 = non-ASCII (decided below)
    klass = _CLASS_TABLE[np.minimum(codes, 128)]
    word = klass == 1
    joiner = klass == 2
    high = np.flatnonzero(klass == 3)
    if len(high):
        uniq, inverse = np.unique(codes[high], return_inverse=True)
        chars = [chr(c) for c in uniq.tolist()]
        is_word = np.fromiter((c.isalnum() for c in chars), dtype=bool, count=len(chars))
        word[high] = is_word[inverse]
        joiner[high] = (uniq == 0x2019)[inverse]
    starts = word.copy()
    starts[1:] &= ~word[:-1]
    starts[2:] &= ~(joiner[1:-1] & word[:-2])
    starts[gs] = word[gs]  # a sentence starts a fresh count
    second = gs + 1
    ok = second < ge
    starts[second[ok]] |= word[second[ok]] & joiner[gs[ok]]
    positions = np.flatnonzero(starts)
    return (np.searchsorted(positions, ge) - np.searchsorted(positions, gs)).astype(np.int64)


def score(
    docs: Any,
    *,
    lexicons: Any = None,
    model: Any = None,
    progress: bool = False,
) -> Scores:
    """Score documents with lexicons: every sentence, every match, every document.

    Parameters
    ----------
    docs : DataFrame, str, list of str, Series, or Path
        A documents table (``doc_id, outlet, date, title, text``; see
        :func:`framing.read_corpus`), any other table ``read_corpus`` reads, the text of one
        document (str), texts (a list of str, or a Series whose index becomes ``doc_id``
        unless it is a plain range), or a :class:`pathlib.Path` (or list of them) of files
        and folders to read. A str is always a text: a str naming an existing file is an
        error, to read it pass ``Path(...)`` or ``read_corpus(...)``.
    lexicons : str, path, Lexicon, or list of these, optional
        Lexicons to match (merged in order; earlier ones win ties). ``None`` = every bundled
        lexicon, domain lexicons first (``list_lexicons(domain_first=True)``), so wording that
        a domain lexicon codes with a concept and stance keeps them.
    model : fitted classifier or path, optional
        An object with ``predict_proba(list_of_texts)`` and ``classes_`` (e.g. a fitted
        :class:`framing.FramingClassifier`), or the path of a saved model
        (:func:`framing.classify.load_model`); adds a ``p_<label>`` column per class to the
        sentences table.
    progress : bool, default False
        Show a tqdm progress bar over the documents.

    Returns
    -------
    Scores
        ``documents`` (input columns + ``n_sentences, n_words, n_matches, score``; every input
        document, also empty ones), ``sentences`` (sentences table + ``n_matches, score`` = sum
        of match weights) and ``matches`` (one row per match; ``surface == text[start:end]``,
        ``voice`` is ``"quote"`` when the match starts inside a quotation of speech or a
        title, else ``"author"`` (scare quotes are the author's); ``negated``, ``distanced``,
        ``speaker`` as in :mod:`framing.modifiers`; ``sent_id`` is the sentence containing
        the match start) and ``quotes`` (one row per quotation of speech, with its speaker).

    Raises
    ------
    CorpusError
        Unreadable input, duplicate ``doc_id``.
    LexiconError
        Unknown lexicon name or invalid lexicon file.
    ModelError
        ``model`` is not a fitted classifier.

    Examples
    --------
    >>> import pandas as pd, framing as fr                             # doctest: +SKIP
    >>> s = fr.score(pd.DataFrame({"text": ["The Zionist regime said ..."]}), lexicons="mideast")
    >>> s.matches[["surface", "term", "voice"]]                         # doctest: +SKIP
    """
    from framing.modifiers import (
        classify_quotations,
        match_modifiers,
        modifier_columns,
        quotes_table,
    )
    from framing.segment import segment_text

    started = time.perf_counter()
    table = _documents(docs)
    lexicon = load_lexicons(lexicons)
    matcher = _matcher_for(lexicon)
    entries = matcher.entries

    doc_ids = table["doc_id"].astype(object).tolist()
    texts = [t if isinstance(t, str) else "" for t in table["text"].astype(object).tolist()]
    n_docs = len(texts)

    # global offsets: document d occupies [base[d], base[d] + len(text)) of one virtual string
    # per document: its sentence and quote spans (flattened) and how many; the per-sentence
    # columns are made from these at once after the loop
    s_spans: list[tuple[int, int]] = []
    s_count = np.zeros(n_docs, dtype=np.int64)
    s_text: list[str] = []
    q_spans: list[tuple[int, int]] = []
    q_count = np.zeros(n_docs, dtype=np.int64)
    m_doc: list[int] = []
    m_start: list[int] = []
    m_end: list[int] = []
    m_entry: list[int] = []
    m_surface: list[str] = []
    m_mods: list[Any] = []
    q_rows: list[Any] = []
    bases = np.zeros(n_docs, dtype=np.int64)

    iterator: Any = range(n_docs)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=n_docs, desc="scoring", unit="doc")
    base = 0
    find = matcher.find_with_cues
    from framing.context import context_gate

    gate = context_gate(entries)  # context-gated entries: a post-filter (framing.context)
    for d in iterator:
        text = texts[d]
        bases[d] = base
        if not text:
            base += 1
            continue
        spans, quotes = segment_text(text)
        s_count[d] = len(spans)
        s_spans.extend(spans)
        s_text.extend([text[a:b] for a, b in spans])
        q_count[d] = len(quotes)
        q_spans.extend(quotes)
        quotations = classify_quotations(text, spans, quotes)
        q_rows.extend((doc_ids[d], text, q) for q in quotations if q.kind == "speech")
        starts, ends, idx, cues = find(text)
        if gate.active and starts:
            starts, ends, idx = gate.filter(text, starts, ends, idx, spans, cues)
        if starts:
            m_mods.extend(
                match_modifiers(text, starts, ends, sentences=spans, quotations=quotations)
            )
            m_doc.extend([d] * len(starts))
            m_start.extend(starts)
            m_end.extend(ends)
            m_entry.extend(idx)
            m_surface.extend([text[a:b] for a, b in zip(starts, ends, strict=True)])
        base += len(text) + 1

    # -- sentences ---------------------------------------------------------------------------
    doc_index = np.arange(n_docs, dtype=np.int64)
    sd = np.repeat(doc_index, s_count)
    spans_arr = np.asarray(s_spans, dtype=np.int64).reshape(-1, 2)
    del s_spans
    ss, se = spans_arr[:, 0], spans_arr[:, 1]
    s_first = np.cumsum(s_count) - s_count  # index of each document's first sentence
    s_sid = np.arange(len(sd), dtype=np.int64) - s_first[sd]
    sb = bases[sd]
    gs, ge = ss + sb, se + sb
    quotes_arr = np.asarray(q_spans, dtype=np.int64).reshape(-1, 2)
    del q_spans
    qb = bases[np.repeat(doc_index, q_count)]
    qs, qe = quotes_arr[:, 0] + qb, quotes_arr[:, 1] + qb
    quoted = _quoted_before(qs, qe, ge) - _quoted_before(qs, qe, gs)
    length = se - ss
    share = np.divide(quoted, length, out=np.zeros(len(length), dtype=np.float64), where=length > 0)
    n_words = np.zeros(len(gs), dtype=np.int64)
    batch_start = 0  # count words in batches of about 1M characters (bounded memory)
    while batch_start < n_docs:
        batch_end = int(np.searchsorted(bases, bases[batch_start] + 1_000_000, side="left"))
        batch_end = min(max(batch_end, batch_start + 1), n_docs)
        lo = int(bases[batch_start])
        joined = "\n".join(texts[batch_start:batch_end])
        a, b = np.searchsorted(gs, [lo, lo + len(joined) + 1])
        if b > a:
            n_words[a:b] = _sentence_word_counts(joined, gs[a:b] - lo, ge[a:b] - lo)
        batch_start = batch_end

    # -- matches -----------------------------------------------------------------------------
    md = np.asarray(m_doc, dtype=np.int64)
    ms = np.asarray(m_start, dtype=np.int64)
    me = np.asarray(m_end, dtype=np.int64)
    mi = np.asarray(m_entry, dtype=np.int64)
    gm = ms + bases[md] if len(md) else ms
    sent_idx = np.searchsorted(gs, gm, side="right") - 1
    if len(sent_idx):
        bad = (sent_idx < 0) | (sd[np.maximum(sent_idx, 0)] != md)
        if bad.any():  # a match outside every sentence: should not happen (sentences are trimmed)
            log.warning(
                "%d match(es) outside any sentence assigned to the next sentence", int(bad.sum())
            )
            nxt = np.searchsorted(gs, gm, side="left")
            sent_idx = np.where(bad, np.minimum(nxt, len(gs) - 1), sent_idx)
    weights_by_entry = np.asarray([float(e.weight) for e in entries], dtype=np.float64)
    mw = weights_by_entry[mi] if len(mi) else np.zeros(0, dtype=np.float64)

    n_sent = len(s_text)
    sent_n_matches = np.bincount(sent_idx, minlength=n_sent).astype(np.int64)
    sent_score = np.bincount(sent_idx, weights=mw, minlength=n_sent).astype(np.float64)

    doc_ids_arr = np.asarray([str(x) for x in doc_ids], dtype=object)
    sentences = pd.DataFrame(
        {
            "doc_id": _str_series(doc_ids_arr[sd]),
            "sent_id": s_sid,
            "start": ss,
            "end": se,
            "text": _str_series(s_text),
            "n_words": n_words,
            "quote_share": share,
            "n_matches": sent_n_matches,
            "score": sent_score,
        }
    )
    if model is not None:
        for col, values in model_columns(model, s_text, sentences["doc_id"]).items():
            sentences[col] = values

    def attr(name: str) -> pd.Series:
        values = np.asarray([getattr(e, name, None) for e in entries] or [None], dtype=object)
        return _str_series(values[mi] if len(mi) else [])

    matches = pd.DataFrame(
        {
            "doc_id": _str_series(doc_ids_arr[md]),
            "sent_id": s_sid[sent_idx] if len(mi) else sent_idx,
            "start": ms,
            "end": me,
            "surface": _str_series(m_surface),
            "term": attr("term"),
            "lexicon": attr("lexicon"),
            "category": attr("category"),
            "concept": attr("concept"),
            "stance": attr("stance"),
            "weight": mw,
            **modifier_columns(m_mods),  # voice, negated, distanced, speaker
        }
    )
    matches["sent_id"] = matches["sent_id"].astype(np.int64)

    # -- documents ---------------------------------------------------------------------------
    documents = table.drop(columns=[c for c in DOCUMENT_SCORE_COLUMNS if c in table.columns])
    documents = documents.reset_index(drop=True)
    documents = documents.assign(
        n_sentences=np.bincount(sd, minlength=n_docs).astype(np.int64),
        n_words=np.bincount(sd, weights=n_words, minlength=n_docs).astype(np.int64),
        n_matches=np.bincount(md, minlength=n_docs).astype(np.int64),
        score=np.bincount(md, weights=mw, minlength=n_docs).astype(np.float64),
    )
    labels = lexicon_labels(lexicon)
    meta = scoring_meta(lexicon, model)
    log.info(
        "scored %d documents: %d sentences, %d matches in %.2f s",
        n_docs,
        n_sent,
        len(mi),
        time.perf_counter() - started,
    )
    quotes_tab = quotes_table([(str(d), t, q) for d, t, q in q_rows])
    return Scores(documents, sentences, matches, lexicons=labels, meta=meta, quotes=quotes_tab)
