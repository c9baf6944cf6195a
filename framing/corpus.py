"""Corpus readers and the documents table.

:func:`read_corpus` turns news articles in the formats researchers actually have into the
*documents table* (the first table of :func:`framing.score`)::

    doc_id   str             unique: the given id, else a stable hash of outlet + date + text
    outlet   str             "" when unknown
    date     datetime64[ns]  tz-naive (aware values are converted to UTC); NaT when unknown
    title    str or NA
    text     str             never missing ("" for a missing text, with a warning)
    source   str             the file a row came from ("<DataFrame>" for frames)
    ...                      every other input column, in input order

Sources: seed-format text files (``date YYYY-MM-DD <Outlet> - <body>``, several articles per
file allowed), plain text files, JSON Lines, JSON arrays, CSV/TSV, Parquet, pandas DataFrames,
folders (recursive, sorted) and lists of any of these. :func:`iter_corpus` yields the same rows
chunk by chunk for corpora larger than memory.

Bad input raises :class:`~framing.errors.CorpusError` with a message that names the file (and
line, byte or column) and the fix. Imperfect but usable input (unparseable dates, missing texts,
identical documents) is kept and reported with one :class:`~framing.errors.DataQualityWarning`
per kind of problem.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import hashlib
import io
import json
import logging
import lzma
import os
import re
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

import numpy as np
import pandas as pd

from framing.errors import CorpusError, DataQualityWarning, ParameterError

__all__ = [
    "DOCUMENT_COLUMNS",
    "FORMATS",
    "ON_ERROR",
    "PROBLEM_CODES",
    "SYNONYMS",
    "CorpusChunk",
    "Problem",
    "empty_documents",
    "iter_corpus",
    "make_doc_id",
    "read_corpus",
    "read_table",
    "str_dtype",
    "surrogate_at",
    "text_problems",
    "unicode_problems",
]

logger = logging.getLogger("framing")

#: The standard columns of the documents table, in order.
DOCUMENT_COLUMNS: tuple[str, ...] = ("doc_id", "outlet", "date", "title", "text")
#: Columns that scoring adds to the documents table: an input column with one of these names
#: is kept as ``input_<name>`` (with a warning) instead of being overwritten.
OUTPUT_COLUMNS: tuple[str, ...] = ("n_sentences", "n_words", "n_matches", "score")
#: Column added after the standard ones: the file each row came from.
SOURCE_COLUMN = "source"
DATAFRAME_SOURCE = "<DataFrame>"

#: Input column names recognized (case-insensitively, in this order of preference).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "doc_id": ("doc_id", "id", "docid", "document_id", "article_id"),
    "outlet": (
        "outlet",
        "source",
        "publisher",
        "media",
        "site",
        "source_name",
        "outlet_name",
        "publication",
        "newspaper",
    ),
    "date": (
        "date",
        "published",
        "pubdate",
        "publish_date",
        "published_at",
        "pub_date",
        "publication_date",
        "date_publish",
        "datetime",
        "timestamp",
    ),
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "article", "full_text", "article_text", "maintext"),
}

#: Format names accepted by ``format=`` and the file extensions that imply them.
FORMATS: dict[str, tuple[str, ...]] = {
    "text": (".txt", ".text"),
    "jsonl": (".jsonl", ".ndjson"),
    "json": (".json",),
    "csv": (".csv",),
    "tsv": (".tsv", ".tab"),
    "parquet": (".parquet", ".pq"),
}
_FORMAT_ALIASES = {"txt": "text", "ndjson": "jsonl", "pq": "parquet"}
#: compressed-file extensions and their binary openers
_COMPRESSION: dict[str, Callable[[Path], IO[bytes]]] = {
    ".gz": lambda p: cast(IO[bytes], gzip.open(p, "rb")),  # a GzipFile reads as IO[bytes]
    ".bz2": lambda p: bz2.open(p, "rb"),
    ".xz": lambda p: lzma.open(p, "rb"),
}
_EXTENSIONS = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}

# A seed-format header: ``date YYYY-MM-DD <Outlet> - `` at the start of a line. The outlet is
# everything up to the first " - " (so hyphenated names such as Al-Monitor survive).
_HEADER = re.compile(
    r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([^\n]+?)[ \t]+-(?:[ \t]+|(?=\n)|\Z)",
    re.MULTILINE,
)
_GLOB_CHARS = re.compile(r"[*?\[]")
_SURROGATE = re.compile("[\ud800-\udfff]")


# ---------------------------------------------------------------------------------------------
# document ids


def _date_key(date: Any) -> str:
    if date is None:
        return ""
    try:
        ts = pd.Timestamp(date)
    except (ValueError, TypeError):
        return str(date)
    if pd.isna(ts):
        return ""
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.isoformat()


def make_doc_id(outlet: str | None, date: Any, text: str | None) -> str:
    """Stable 16-hex-character id of a document from its outlet, date and text.

    The same document gets the same id on every machine, run and input format (the date is
    taken as parsed, so ``"2023-05-12"`` and ``Timestamp("2023-05-12")`` agree).

    Parameters
    ----------
    outlet : str or None
        Outlet name ("" or None when unknown).
    date : str, datetime, Timestamp or None
        Publication date; NaT/None when unknown. Aware times are converted to UTC.
    text : str or None
        Document text.

    Returns
    -------
    str
        16 lowercase hex characters (BLAKE2b, 8-byte digest).

    Examples
    --------
    >>> make_doc_id("Islam Times", "2023-05-12", "Tehran said ...")
    'f4c2e7c0c0aefb5b'
    """
    key = "\x1f".join((outlet or "", _date_key(date), text or ""))
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


# ---------------------------------------------------------------------------------------------
# documents that cannot be scored as read: what iter_corpus(on_error=...) reports

#: What can be wrong with one document as read: code -> meaning. These are the codes of the
#: ``code`` column of ``skipped.csv`` for documents left out when read (see framing.store).
PROBLEM_CODES: dict[str, str] = {
    "missing_text": "the text is missing (a null value in the input)",
    "not_a_string": "the text is not a string (a number, a list, bytes ...)",
    "invalid_unicode": "bytes that are not UTF-8, or an unpaired surrogate such as \\ud800",
}
#: The values of ``on_error``: fail on a damaged file, or make problems of what it damages.
ON_ERROR = ("raise", "skip")


class Problem(NamedTuple):
    """Why one document cannot be scored as read.

    Attributes
    ----------
    code : str
        One of :data:`PROBLEM_CODES` (stable, for programs).
    reason : str
        The particulars for people: file, line, byte offset, column, value type.
    """

    code: str
    reason: str


class CorpusChunk(NamedTuple):
    """One batch of :func:`iter_corpus` with ``on_error`` given.

    Attributes
    ----------
    documents : pandas.DataFrame
        The documents table of the batch (as :func:`read_corpus` gives it), bad documents
        included (with text ``""`` or their text as decoded with replacements).
    problems : dict of int to Problem
        Row position in ``documents`` -> why that document cannot be scored as read.
    """

    documents: pd.DataFrame
    problems: dict[int, Problem]


def surrogate_at(value: str) -> int | None:
    """Position of the first unpaired surrogate in ``value`` (not valid Unicode), or None."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # UTF-8 can encode everything but surrogates
        return exc.start
    return None


def text_problems(values: pd.Series) -> dict[int, Problem]:
    """Row position -> problem for raw text values that are missing or not strings (before
    :func:`read_corpus` turns them into ``""``); valid strings have none."""
    missing = values.isna().to_numpy()
    problems = {
        int(i): Problem("missing_text", "no text (missing value)") for i in np.flatnonzero(missing)
    }
    if values.dtype == object:
        for i, v in enumerate(values.tolist()):
            if not missing[i] and not isinstance(v, str):
                problems[i] = Problem(
                    "not_a_string", f"text is not a string (got {type(v).__name__})"
                )
    return problems


def unicode_problems(texts: list[Any]) -> dict[int, Problem]:
    """Position -> problem for texts with an unpaired surrogate (not valid Unicode)."""
    problems = {}
    for i, text in enumerate(texts):
        if isinstance(text, str) and (at := surrogate_at(text)) is not None:
            problems[i] = Problem(
                "invalid_unicode",
                f"text is not valid Unicode (unpaired surrogate {text[at]!r} at character {at})",
            )
    return problems


# ---------------------------------------------------------------------------------------------
# problems collected while reading: one warning per kind, one error listing every culprit


@dataclass
class _Report:
    bad_dates: dict[tuple[str, str], int] = field(default_factory=dict)
    missing_text: dict[str, int] = field(default_factory=dict)
    #: where -> the unused input columns, for tables in which no outlet column was found
    no_outlet: dict[str, list[str]] = field(default_factory=dict)
    id_collisions: int = 0
    collision_examples: list[str] = field(default_factory=list)
    non_string_text: dict[str, int] = field(default_factory=dict)
    bad_unicode: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)

    def merge(self, other: _Report) -> None:
        """Add ``other``'s counts (one table's problems) to this report."""
        for name in ("bad_dates", "missing_text", "non_string_text", "bad_unicode"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.renamed.update(other.renamed)
        self.no_outlet.update(other.no_outlet)

    def messages(self) -> list[str]:
        """One message per kind of problem found, with counts and places."""
        out = []

        def counted(counts: Mapping[Any, int], what: str) -> str:
            total = sum(counts.values())
            return what.format(
                total=total, where="; ".join(f"{n} in {src}" for src, n in counts.items())
            )

        if self.non_string_text:
            out.append(
                counted(
                    self.non_string_text,
                    "{total} text value(s) are not strings (lists, bytes, numbers ...) "
                    "and became '' ({where}). Convert them to str first if they "
                    "should be scored.",
                )
            )
        if self.bad_unicode:
            out.append(
                counted(
                    self.bad_unicode,
                    "{total} value(s) are not valid Unicode (unpaired surrogates such "
                    "as \\ud800); each such character became U+FFFD ({where}).",
                )
            )
        if self.renamed:
            shown = ", ".join(f"{a!r} -> {b!r}" for a, b in self.renamed.items())
            out.append(
                f"input column(s) named like output columns were renamed so that "
                f"scoring does not overwrite them: {shown}."
            )
        if self.bad_dates:
            where = "; ".join(
                f"{n} in column {col!r} of {src}" for (src, col), n in self.bad_dates.items()
            )
            out.append(
                f"{sum(self.bad_dates.values())} date value(s) could not be parsed (or "
                f"fall outside the years 1678-2261) and became NaT ({where}). Use ISO "
                "dates (YYYY-MM-DD) or fix the values; the documents are kept."
            )
        if self.missing_text:
            out.append(
                counted(
                    self.missing_text,
                    "{total} document(s) have no text (missing value) and were kept "
                    "with text '' ({where}).",
                )
            )
        if self.no_outlet:
            where = "; ".join(
                f"{src} (other columns: {', '.join(cols[:10])})"
                for src, cols in self.no_outlet.items()
            )
            out.append(
                f"no outlet column found, so every document has outlet '' and outlets "
                f"cannot be compared: {where}. Name it with "
                "columns={'outlet': 'your_column'} (--outlet-column on the command line)."
            )
        if self.id_collisions:
            examples = ", ".join(repr(e) for e in self.collision_examples[:3])
            out.append(
                f"{self.id_collisions} document(s) are identical to an earlier one (same "
                f"outlet, date and text); their generated doc_id got a suffix -1, -2, ... "
                f"to stay unique (e.g. {examples}). Drop duplicates first if they are "
                "not wanted."
            )
        return out

    def emit(self, stacklevel: int) -> None:
        """One :class:`DataQualityWarning` per kind of problem (:meth:`messages`)."""
        for message in self.messages():
            warnings.warn(message, DataQualityWarning, stacklevel=stacklevel)


@dataclass
class _IdState:
    """Ids handed out so far (spans chunks, so iter_corpus gives read_corpus's ids)."""

    used: set[str] = field(default_factory=set)
    given_seen: dict[str, str] = field(default_factory=dict)  # given id -> first source


def _assign_ids(table: pd.DataFrame, state: _IdState, report: _Report) -> pd.DataFrame:
    """Fill ``doc_id``: given ids as str, else generated; refuse duplicate given ids."""
    given = [_clean_id(v) for v in table["doc_id"].tolist()]
    if any(g is None for g in given):
        outlets = table["outlet"].tolist()
        dates = table["date"].tolist()
        texts = table["text"].tolist()
    sources = table[SOURCE_COLUMN].tolist() if SOURCE_COLUMN in table else [""] * len(table)
    ids: list[str] = []
    dupes: dict[str, list[str]] = {}
    for i, gid in enumerate(given):
        if gid is not None:
            if gid in state.used:
                first = state.given_seen.get(gid, sources[i])
                dupes.setdefault(gid, [first]).append(sources[i])
            else:
                state.given_seen[gid] = sources[i]
            state.used.add(gid)
            ids.append(gid)
            continue
        base = make_doc_id(outlets[i], dates[i], texts[i])
        new = base
        k = 0
        while new in state.used:
            k += 1
            new = f"{base}-{k}"
        if k:
            report.id_collisions += 1
            if len(report.collision_examples) < 3:
                report.collision_examples.append(new)
        state.used.add(new)
        ids.append(new)
    if dupes:
        shown = []
        for gid, where in list(dupes.items())[:5]:
            files = sorted(set(where))
            shown.append(f"{gid!r} ({len(where)} times, in {', '.join(files)})")
        more = f" and {len(dupes) - 5} more" if len(dupes) > 5 else ""
        raise CorpusError(
            f"duplicate doc_id: {len(dupes)} id(s) occur more than once: "
            f"{'; '.join(shown)}{more}. Every document needs a unique id: fix the id column, or "
            "pass columns={'doc_id': None} to ignore it and let framing generate ids."
        )
    out = table.copy()
    out["doc_id"] = pd.Series(ids, index=table.index, dtype=object).astype(str_dtype())
    return out


# ---------------------------------------------------------------------------------------------
# helpers: dtypes, dates


_STR_DTYPE = pd.Series(["x"]).dtype


def str_dtype() -> Any:
    """pandas' default string dtype (``str`` on pandas 3, object on pandas 2)."""
    return _STR_DTYPE


_NS_MIN = pd.Timestamp.min
_NS_MAX = pd.Timestamp.max


def _dateutil_parse(value: str) -> pd.Timestamp | None:
    """Parse one free-form date; None unless every component is present in the string."""
    from dateutil import parser

    stamps = []
    for default in (datetime(1901, 1, 1, 3, 7, 11), datetime(1902, 2, 2, 5, 9, 13)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                stamps.append(parser.parse(value, default=default))
        except (ValueError, OverflowError, TypeError):
            return None
    # components missing from the string are filled from the default: they differ
    a, b = stamps
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    # time components missing from the string are taken as 0
    hour, minute, second = (
        x if x == y else 0
        for x, y in zip((a.hour, a.minute, a.second), (b.hour, b.minute, b.second), strict=True)
    )
    ts = pd.Timestamp(a.replace(hour=hour, minute=minute, second=second))
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _in_ns_range(ts: Any) -> bool:
    try:
        return bool(_NS_MIN <= ts <= _NS_MAX)
    except (TypeError, ValueError, OverflowError):
        return False


def _parse_dates(values: pd.Series) -> tuple[np.ndarray, int]:
    """Parse a column of dates to tz-naive datetime64[ns] values; return them and the number
    of present values that could not be parsed (or fall outside years 1678-2261)."""
    n = len(values)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(
        values.dtype
    ):
        parsed = values
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            parsed = values.dt.tz_convert("UTC").dt.tz_localize(None)
        present = values.notna().to_numpy()
        ok = present & (parsed >= _NS_MIN).to_numpy() & (parsed <= _NS_MAX).to_numpy()
        result[ok] = parsed[ok].to_numpy().astype("datetime64[ns]")
        return result, int((present & ~ok).sum())

    raw = values.astype(object).to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        # integral years or yyyymmdd numbers: parse their text
        raw = np.array(
            [str(int(v)) if isinstance(v, float) and v.is_integer() else v for v in raw],
            dtype=object,
        )
    cleaned = np.array([v.strip() if isinstance(v, str) else v for v in raw], dtype=object)
    present = np.array(
        [not (v is None or (isinstance(v, str) and v == "") or _is_na(v)) for v in cleaned],
        dtype=bool,
    )
    if not present.any():
        return result, 0
    pos = np.flatnonzero(present)
    sub = pd.Series(cleaned[pos], dtype=object)
    try:
        fast = pd.to_datetime(sub, errors="coerce", utc=True, format="ISO8601")
        fast = fast.dt.tz_localize(None)
    except (ValueError, TypeError, OverflowError):
        fast = pd.Series(pd.NaT, index=sub.index, dtype="datetime64[ns]")
    got = fast.notna().to_numpy()
    in_range = got & (fast >= _NS_MIN).to_numpy() & (fast <= _NS_MAX).to_numpy()
    result[pos[in_range]] = fast[in_range].to_numpy().astype("datetime64[ns]")
    failures = 0
    for k in np.flatnonzero(~got):
        v = sub.iat[int(k)]
        ts: pd.Timestamp | None
        if isinstance(v, datetime):
            ts = pd.Timestamp(v)
            if ts.tzinfo is not None:
                ts = ts.tz_convert("UTC").tz_localize(None)
        else:
            ts = _dateutil_parse(str(v))
        if ts is None or pd.isna(ts) or not _in_ns_range(ts):
            failures += 1
            continue
        result[pos[k]] = ts.as_unit("ns").to_datetime64()
    failures += int((got & ~in_range).sum())
    return result, failures


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# column resolution


def _check_columns(columns: Mapping[str, str | None] | None) -> dict[str, str | None]:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise CorpusError(
            f"columns must be a dict mapping framing's column names to yours, e.g. "
            f"columns={{'text': 'body'}}. Got {type(columns).__name__}."
        )
    checked: dict[str, str | None] = {}
    allowed = ", ".join(DOCUMENT_COLUMNS)
    for ours, theirs in columns.items():
        key = "doc_id" if ours == "id" else ours
        if key not in DOCUMENT_COLUMNS:
            hint = ""
            if isinstance(theirs, str) and (theirs in DOCUMENT_COLUMNS or theirs == "id"):
                hint = (
                    f" The mapping goes from framing's name to yours: did you mean "
                    f"columns={{{theirs!r}: {ours!r}}}?"
                )
            raise CorpusError(
                f"columns: unknown key {ours!r}; keys must be framing's column names "
                f"({allowed}).{hint}"
            )
        if theirs is not None and not isinstance(theirs, str):
            raise CorpusError(
                f"columns[{ours!r}] must be a column name (str) or None, got {theirs!r}."
            )
        checked[key] = theirs
    return checked


def _suggest_text_column(frame: pd.DataFrame) -> str | None:
    best, best_len = None, 0.0
    head = frame.head(100)
    for col in head.columns:
        vals = [v for v in head[col].tolist() if isinstance(v, str)]
        if not vals:
            continue
        mean = sum(map(len, vals)) / len(vals)
        if mean > best_len:
            best, best_len = col, mean
    return best


def _resolve(
    frame: pd.DataFrame, columns: dict[str, str | None], where: str
) -> dict[str, str | None]:
    """Map each standard column to an input column name (or None)."""
    names = [c for c in frame.columns]
    folded: dict[str, list[Any]] = {}
    for c in names:
        folded.setdefault(str(c).strip().casefold(), []).append(c)
    found: dict[str, str | None] = {}
    taken: set[Any] = set()
    # explicit mappings first, so that a synonym never steals a column the user named
    for std, theirs in columns.items():
        if theirs is None:
            found[std] = None
            continue
        if theirs in names:
            match = theirs
        else:
            cands = folded.get(theirs.strip().casefold(), [])
            if not cands:
                raise CorpusError(
                    f"column {theirs!r} given in columns={{{std!r}: {theirs!r}}} is not in "
                    f"{where}; columns found: {[str(c) for c in names]}."
                )
            match = cands[0]
        found[std] = match
        taken.add(match)
    for std in DOCUMENT_COLUMNS:
        if std in columns:
            continue
        found[std] = None
        for syn in SYNONYMS[std]:
            cands = [c for c in folded.get(syn, []) if c not in taken]
            if cands:
                exact = [c for c in cands if c == syn]
                found[std] = (exact or cands)[0]
                taken.add(found[std])
                break
    if found["text"] is None and len(frame.columns):
        suggestion = _suggest_text_column(frame) or str(names[0])
        raise CorpusError(
            f"no text column in {where}: columns found are {[str(c) for c in names]}. "
            f"framing looks for one named {', '.join(SYNONYMS['text'])} (any case); "
            f"name yours explicitly, e.g. read_corpus(..., columns={{'text': {suggestion!r}}})."
        )
    return found


def _clean_id(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip()
    return text or None


def _as_str(
    values: pd.Series,
    fill: str | None,
    *,
    counts: list[int] | None = None,
    strings_only: bool = False,
) -> tuple[pd.Series, int]:
    """Column as the default string dtype; missing values become ``fill`` (None keeps NA).

    Unpaired surrogates (not valid Unicode) become U+FFFD. With ``strings_only``, values that
    are not ``str`` (lists, bytes, numbers) become ``fill`` instead of their ``str()``.
    ``counts`` (when given) receives ``[non-string values, values with surrogates]``.
    """
    missing = values.isna()
    n_missing = int(missing.sum())
    if isinstance(values.dtype, pd.StringDtype):
        out = values.fillna(fill) if (fill is not None and n_missing) else values
        return out.astype(str_dtype()), n_missing
    objs = values.astype(object).to_numpy()
    n_other = n_bad = 0
    conv = np.empty(len(objs), dtype=object)
    for i, (v, m) in enumerate(zip(objs, missing, strict=True)):
        if m:
            conv[i] = fill
            continue
        if not isinstance(v, str):
            if strings_only:
                n_other += 1
                conv[i] = fill if fill is not None else ""
                continue
            v = str(v)
        if surrogate_at(v) is not None:
            n_bad += 1
            v = _SURROGATE.sub("\ufffd", v)
        conv[i] = v
    if counts is not None:
        counts[:] = [n_other, n_bad]
    return pd.Series(conv, dtype=object).astype(str_dtype()), n_missing


def _standardize(
    frame: pd.DataFrame,
    *,
    columns: dict[str, str | None],
    where: str,
    source: str,
    report: _Report,
    csv_like: bool = False,
) -> pd.DataFrame:
    """Documents table (doc_id holding given ids or None) from one raw input table."""
    frame = frame.reset_index(drop=True)
    n = len(frame)
    dup_cols = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    if dup_cols:
        raise CorpusError(
            f"{where}: column name(s) {dup_cols} occur more than once; rename them so that "
            "every column name is unique."
        )
    if n == 0 and len(frame.columns) == 0:
        found: dict[str, str | None] = dict.fromkeys(DOCUMENT_COLUMNS)
    else:
        found = _resolve(frame, columns, where)
    used = {c for c in found.values() if c is not None}
    col = found["doc_id"]
    ids = [_clean_id(v) for v in frame[col].tolist()] if col is not None else [None] * n
    bad_unicode = [0, 0]
    col = found["outlet"]
    if col is not None:
        outlet, _ = _as_str(frame[col], "", counts=bad_unicode)
        outlet = outlet.str.strip()
    else:
        outlet = pd.Series([""] * n, dtype=object).astype(str_dtype())
    col = found["date"]
    if col is not None:
        dates, bad = _parse_dates(frame[col])
        if bad:
            key = (where, str(col))
            report.bad_dates[key] = report.bad_dates.get(key, 0) + bad
    else:
        dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    n_bad = bad_unicode[1]
    col = found["title"]
    if col is not None:
        title, _ = _as_str(frame[col], None, counts=bad_unicode)
        n_bad += bad_unicode[1]
    else:
        title = pd.Series([None] * n, dtype=object).astype(str_dtype())
    col = found["text"]
    if col is not None:
        # CSV cells are text as written (a number in a CSV text column is its digits); other
        # sources' non-string values (lists, bytes, numbers) are not texts: "" with a warning
        text, missing = _as_str(frame[col], "", counts=bad_unicode, strings_only=not csv_like)
        n_bad += bad_unicode[1]
        if bad_unicode[0]:
            report.non_string_text[where] = report.non_string_text.get(where, 0) + bad_unicode[0]
        if missing and not csv_like:  # an empty CSV cell is an empty text, not a missing one
            report.missing_text[where] = report.missing_text.get(where, 0) + missing
    else:
        text = pd.Series([], dtype=str_dtype())
    if n_bad:
        report.bad_unicode[where] = report.bad_unicode.get(where, 0) + n_bad

    table = pd.DataFrame(
        {
            "doc_id": pd.Series(ids, dtype=object),
            "outlet": outlet.reset_index(drop=True),
            "date": pd.Series(dates, dtype="datetime64[ns]"),
            "title": title.reset_index(drop=True),
            "text": text.reset_index(drop=True),
        }
    )
    extras = [c for c in frame.columns if c not in used]
    if (
        found["outlet"] is None
        and "outlet" not in columns
        and n
        and any(str(c) != SOURCE_COLUMN for c in extras)
    ):
        report.no_outlet[where] = [str(c) for c in extras if str(c) != SOURCE_COLUMN]
    has_source = any(str(c) == SOURCE_COLUMN for c in extras)
    if not has_source:
        table[SOURCE_COLUMN] = pd.Series([source] * n, dtype=object).astype(str_dtype())
    for c in extras:
        name = str(c)
        if name in DOCUMENT_COLUMNS:
            name = f"input_{name}"
        elif name in OUTPUT_COLUMNS:  # scoring adds these: keep the input's under a new name
            name = f"input_{name}"
            report.renamed[str(c)] = name
        table[name] = frame[c]
    return table


def empty_documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype=str_dtype()),
            "outlet": pd.Series([], dtype=str_dtype()),
            "date": pd.Series([], dtype="datetime64[ns]"),
            "title": pd.Series([], dtype=str_dtype()),
            "text": pd.Series([], dtype=str_dtype()),
            SOURCE_COLUMN: pd.Series([], dtype=str_dtype()),
        }
    )


# ---------------------------------------------------------------------------------------------
# sources -> (path, format) units


@dataclass(frozen=True)
class _Unit:
    """One thing to read: a file with its format, or a DataFrame."""

    path: Path | None
    fmt: str | None
    frame: pd.DataFrame | None = None

    @property
    def where(self) -> str:
        return str(self.path) if self.path is not None else DATAFRAME_SOURCE


#: a raw table as read, with row position -> reason for rows whose bytes are not valid text
_Raw = tuple[pd.DataFrame, dict[int, str]]


def _check_format(fmt: str | None) -> str | None:
    if fmt is None:
        return None
    key = str(fmt).lower().lstrip(".")
    key = _FORMAT_ALIASES.get(key, key)
    if key not in FORMATS:
        raise CorpusError(
            f"format={fmt!r} is not supported; use one of {', '.join(map(repr, FORMATS))}."
        )
    return key


def _split_compression(path: Path) -> tuple[str, str | None]:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION:
        return (suffixes[-2] if len(suffixes) > 1 else ""), suffixes[-1]
    return (suffixes[-1] if suffixes else ""), None


def _infer_format(path: Path) -> str | None:
    ext, comp = _split_compression(path)
    fmt = _EXTENSIONS.get(ext)
    if fmt == "parquet" and comp:
        return None
    return fmt


def _supported_list() -> str:
    return ", ".join(ext for exts in FORMATS.values() for ext in exts)


def _units(source: Any, fmt: str | None) -> Iterator[_Unit]:
    if isinstance(source, pd.DataFrame):
        yield _Unit(None, None, source)
        return
    if isinstance(source, (list, tuple)):
        if not source:
            raise CorpusError("read_corpus got an empty list of sources; pass at least one.")
        for item in source:
            yield from _units(item, fmt)
        return
    if not isinstance(source, (str, os.PathLike)):
        raise CorpusError(
            f"cannot read a corpus from a {type(source).__name__}; pass a file or folder path, "
            "a pandas DataFrame, or a list of these."
        )
    path = Path(source)
    if not path.exists():
        if isinstance(source, str) and _GLOB_CHARS.search(source):
            anchor = Path(path.anchor) if path.is_absolute() else Path(".")
            pattern = str(path.relative_to(anchor)) if path.is_absolute() else source
            matches = sorted(p for p in anchor.glob(pattern) if p.is_file())
            if not matches:
                raise CorpusError(f"no file matches the pattern {source!r}.")
            for match in matches:
                yield from _units(match, fmt)
            return
        raise CorpusError(f"corpus path not found: {str(source)!r} (looked for {path.resolve()}).")
    if path.is_dir():
        yield from _folder_units(path, fmt)
        return
    inferred = fmt or _infer_format(path)
    if inferred is None:
        raise CorpusError(
            f"cannot tell the format of {str(path)!r} from its extension "
            f"{''.join(path.suffixes) or '(none)'!r}. Supported extensions: {_supported_list()} "
            f"(text formats also compressed as .gz, .bz2, .xz). To read it anyway, name the "
            f"format, e.g. read_corpus({str(path)!r}, format='text') (formats: "
            f"{', '.join(FORMATS)})."
        )
    yield _Unit(path, inferred)


def _folder_units(folder: Path, fmt: str | None) -> Iterator[_Unit]:
    files = []
    skipped = []
    for p in sorted(folder.rglob("*"), key=lambda q: q.relative_to(folder).as_posix()):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if fmt is not None or _infer_format(p) is not None:
            files.append(p)
        else:
            skipped.append(rel.as_posix())
    if skipped:
        logger.warning(
            "read_corpus: skipped %d file(s) in %s with unsupported extensions: %s",
            len(skipped),
            folder,
            ", ".join(skipped[:5]) + (" ..." if len(skipped) > 5 else ""),
        )
    if not files:
        raise CorpusError(
            f"folder {str(folder)!r} holds no corpus files (supported extensions: "
            f"{_supported_list()}); found {len(skipped)} other file(s)."
        )
    for p in files:
        yield _Unit(p, fmt or _infer_format(p))


# ---------------------------------------------------------------------------------------------
# readers: each yields raw tables (or ready documents tables for text files)


def _open_binary(path: Path) -> IO[bytes]:
    _, comp = _split_compression(path)
    try:
        if comp:
            return _COMPRESSION[comp](path)
        return open(path, "rb")
    except OSError as exc:
        raise CorpusError(f"cannot open {str(path)!r}: {exc.strerror or exc}.") from None


def _decode_error(path: Path, offset: int, bad: bytes, data_head: bytes = b"") -> CorpusError:
    hint = "re-encode it as UTF-8, e.g. `iconv -f cp1252 -t utf-8 IN > OUT`"
    if data_head.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = "it looks like UTF-16 (it starts with a UTF-16 byte-order mark); " + (
            "re-encode it as UTF-8, e.g. `iconv -f utf-16 -t utf-8 IN > OUT`"
        )
    return CorpusError(
        f"{path}: cannot decode byte(s) {bad[:4].hex(' ')} at byte offset {offset} as UTF-8; "
        f"framing reads UTF-8 (with or without BOM): {hint}."
    )


def _undecodable(path: Any, bad: bytes, offset: int) -> str:
    """The reason given for a bad document holding bytes that are not UTF-8."""
    return f"{path}: undecodable byte(s) {bad[:4].hex(' ')} at byte offset {offset} are not UTF-8"


def _decode(path: Path, data: bytes, base: int = 0) -> str:
    bom = 3 if base == 0 and data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error(
            path, base + bom + exc.start, data[bom + exc.start : bom + exc.end], data[:2]
        ) from None


def _check_utf8(path: Path) -> None:
    """Stream ``path`` through a strict UTF-8 decoder; raise with the byte offset on error."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    head = b""
    with _open_binary(path) as fh:
        while True:
            block = fh.read(1 << 20)
            final = not block
            if offset == 0:
                head = block[:3]
            try:
                decoder.decode(block, final=final)
            except UnicodeDecodeError as exc:
                # the decoder prefixes bytes held over from the previous block
                held = len(exc.object) - len(block)
                bad = exc.object[exc.start : exc.end]
                raise _decode_error(path, offset - held + exc.start, bad, head) from None
            if final:
                return
            offset += len(block)


def _read_bytes(path: Path) -> bytes:
    with _open_binary(path) as fh:
        try:
            return fh.read()
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise CorpusError(f"cannot read {str(path)!r}: {exc}.") from None


def _split_articles(text: str) -> list[tuple[str, str | None, str]]:
    """(outlet, date string or None, body) for each article of a text file."""
    headers = list(_HEADER.finditer(text))
    if not headers:
        return [("", None, text.strip())]
    articles: list[tuple[str, str | None, str]] = []
    preamble = text[: headers[0].start()]
    if preamble.strip():
        articles.append(("", None, preamble.strip()))
    for i, m in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        articles.append((m.group(2).strip(), m.group(1), text[m.end() : end].strip()))
    return articles


def _read_text(unit: _Unit, chunksize: int | None, strict: bool) -> Iterator[_Raw]:
    """Text files. ``strict``: bytes that are not UTF-8 fail the file; otherwise a file with
    such bytes is one bad document: a single row (its text decoded with U+FFFD replacements)
    whose problem names the file and the byte offset."""
    path = unit.path
    assert path is not None
    data = _read_bytes(path)
    if strict:
        for table in _text_tables(_decode(path, data), chunksize):
            yield table, {}
        return
    bom = 3 if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = (
            _undecodable(path, data[bom + exc.start : bom + exc.end], bom + exc.start)
            + " (the whole file is skipped; re-encode it as UTF-8, e.g. "
            "`iconv -f cp1252 -t utf-8 IN > OUT`)"
        )
        raw = data[bom:].decode("utf-8", "replace").strip()
        frame = pd.DataFrame(
            {"outlet": [""], "date": pd.Series([None], dtype=object), "text": [raw]}
        )
        yield frame, {0: reason}
        return
    for table in _text_tables(text, chunksize):
        yield table, {}


def _text_tables(text: str, chunksize: int | None) -> Iterator[pd.DataFrame]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    articles = _split_articles(text)
    step = chunksize or max(len(articles), 1)
    for start in range(0, len(articles), step):
        part = articles[start : start + step]
        yield pd.DataFrame(
            {
                "outlet": [a[0] for a in part],
                "date": pd.Series([a[1] for a in part], dtype=object),
                "text": [a[2] for a in part],
            }
        )


def _read_jsonl(unit: _Unit, chunksize: int | None, strict: bool) -> Iterator[_Raw]:
    path = unit.path
    assert path is not None
    for records, problems in _jsonl_blocks(path, chunksize, strict=strict):
        yield (pd.DataFrame.from_records(records) if records else pd.DataFrame()), problems


def _jsonl_blocks(
    path: Path, chunksize: int | None, *, strict: bool
) -> Iterator[tuple[list[dict], dict[int, str]]]:
    """The records of a JSON Lines file in blocks of ``chunksize`` (all in one block when
    ``chunksize`` is None: then an empty file gives one empty block), with their problems.

    ``strict``: bytes that are not UTF-8 or a string with an unpaired surrogate escape
    (``"\\ud800"``) raise a :class:`CorpusError`. Otherwise the line is decoded with U+FFFD
    replacements, such strings get ``?`` for the surrogate, and ``problems`` maps the record's
    position in its block to the reason, so that the engine can skip that document. Malformed
    JSON always raises.
    """
    records: list[dict] = []
    problems: dict[int, str] = {}
    offset = 0
    with _open_binary(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            start, head = offset, raw[:2]
            offset += len(raw)
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw, start = raw[3:], 3
            reason = None
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                if strict:
                    raise _decode_error(
                        path, start + exc.start, raw[exc.start : exc.end], head
                    ) from None
                line = raw.decode("utf-8", "replace")
                reason = (
                    f"{path}:{lineno}: byte(s) {raw[exc.start : exc.end][:4].hex(' ')} at "
                    f"byte offset {start + exc.start} are not UTF-8"
                )
            if not line.strip():
                continue
            obj = _jsonl_record(path, lineno, line)
            if strict:
                _check_surrogates(obj, f"{path}:{lineno}")
            else:
                bad = [
                    k for k, v in obj.items() if isinstance(v, str) and surrogate_at(v) is not None
                ]
                for key in bad:
                    obj[key] = obj[key].encode("utf-8", "replace").decode("utf-8")
                if bad and reason is None:
                    reason = (
                        f"{path}:{lineno}: {', '.join(map(repr, bad))} not valid Unicode "
                        "(an unpaired surrogate escape such as \\ud800)"
                    )
            if reason is not None:
                problems[len(records)] = reason
            records.append(obj)
            if chunksize and len(records) >= chunksize:
                yield records, problems
                records, problems = [], {}
    if records or not chunksize:
        yield records, problems


def _jsonl_record(path: Any, lineno: int, line: str) -> dict:
    """One JSON Lines record, or a CorpusError naming the file and line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}:{lineno}: malformed JSON Lines record ({exc.msg} at column "
            f"{exc.colno}); every line must be one JSON object."
        ) from None
    if not isinstance(obj, dict):
        raise CorpusError(
            f"{path}:{lineno}: expected a JSON object per line, got {type(obj).__name__}."
        )
    return obj


def _check_surrogates(record: dict, where: str) -> None:
    """Refuse string values with unpaired surrogates (JSON escapes such as ``\\ud800``).

    Such strings are not valid Unicode: they cannot be written to UTF-8 (Parquet, CSV) and
    break pandas' string columns, so they are reported here with their place.
    """
    for key, value in record.items():
        if isinstance(value, str) and (at := surrogate_at(value)) is not None:
            raise CorpusError(
                f"{where}: field {key!r} is not valid Unicode (an unpaired surrogate "
                f"escape such as \\ud800 at character {at}). Fix the record, or "
                "score the file with `framing score --on-error skip`, which leaves such "
                "documents out and lists them in skipped.csv."
            )


def _read_json(unit: _Unit, chunksize: int | None, strict: bool) -> Iterator[_Raw]:
    """JSON arrays (always strict: the file is parsed whole); JSON Lines named ``.json``."""
    path = unit.path
    assert path is not None
    with _open_binary(path) as fh:
        head = fh.read(4096)
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if not stripped.startswith(b"["):
        yield from _read_jsonl(unit, chunksize, True)
        return
    text = _decode(path, _read_bytes(path))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path}:{exc.lineno}: malformed JSON ({exc.msg} at column {exc.colno})."
        ) from None
    bad = next((i for i, r in enumerate(data) if not isinstance(r, dict)), None)
    if bad is not None:
        raise CorpusError(
            f"{path}: item {bad} of the JSON array is a {type(data[bad]).__name__}; "
            "expected an array of objects (one per document)."
        )
    for i, record in enumerate(data):
        _check_surrogates(record, f"{path}: item {i} of the JSON array")
    step = chunksize or max(len(data), 1)
    if not data:
        yield pd.DataFrame(), {}
    for s in range(0, len(data), step):
        yield pd.DataFrame.from_records(data[s : s + step]), {}


def _csv_tables(
    unit: _Unit, chunksize: int | None, *, opener: Callable[[], Any] | None = None
) -> Iterator[pd.DataFrame]:
    """Raw tables of a CSV/TSV file.

    ``opener()``, when given, returns the path or binary stream to read instead of the file
    (its bytes already checked, or made valid UTF-8).
    """
    path = unit.path
    assert path is not None
    if opener is None:
        _check_utf8(path)

        def opener() -> Any:
            return path

    sep = "\t" if unit.fmt == "tsv" else ","
    _check_csv_structure(opener, path, sep)
    opts: dict[str, Any] = {
        "sep": sep,
        "encoding": "utf-8-sig",
        "keep_default_na": False,
        "na_values": [""],
        # never take the first column as an index (a row with one field too many would
        # otherwise shift every column silently); such rows are refused above
        "index_col": False,
    }
    try:
        header = _csv_call(opener, nrows=0, **opts)
    except pd.errors.EmptyDataError:
        yield pd.DataFrame()
        return
    except (pd.errors.ParserError, ValueError) as exc:
        raise CorpusError(f"{path}: cannot parse as {str(unit.fmt).upper()}: {exc}") from None
    # ids must stay text ("007" is not 7)
    id_like = {s for s in SYNONYMS["doc_id"]}
    opts["dtype"] = {c: str for c in header.columns if str(c).strip().casefold() in id_like}
    source = opener()
    try:
        if chunksize:
            reader = pd.read_csv(source, chunksize=chunksize, **opts)
            yield from reader
        else:
            yield pd.read_csv(source, **opts)
    except (pd.errors.ParserError, ValueError) as exc:
        raise CorpusError(
            f"{path}: cannot parse as {str(unit.fmt).upper()}: {exc}. Check quoting and the "
            "number of fields on that line."
        ) from None
    finally:
        if hasattr(source, "close"):
            source.close()


def _check_csv_structure(opener: Callable[[], Any], path: Path, sep: str) -> None:
    """Refuse CSV/TSV structure that pandas would misread without a word.

    One pass with Python's strict CSV reader over the file: a row with more fields than the
    header (pandas would shift every column) and a quote that is not closed where it should be
    (it swallows the rows after it) raise a :class:`CorpusError` naming the file and line.
    """
    import csv

    source = opener()
    raw = _open_binary(Path(source)) if isinstance(source, (str, os.PathLike)) else source
    fh = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    old_limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # articles are long: no limit on a field's size
    width = None
    start = 0
    try:
        reader = csv.reader(fh, delimiter=sep, strict=True)
        while True:
            start = reader.line_num + 1  # the line the next record starts on
            try:
                row = next(reader)
            except StopIteration:
                return
            if not row:  # a blank line (pandas skips it)
                continue
            if width is None:
                width = len(row)
            elif len(row) > width:
                raise CorpusError(
                    f"{path}:{start}: {len(row)} fields where the header has {width}; pandas "
                    "would shift the columns of this row. Quote fields that contain the "
                    f"separator {sep!r}, or remove the extra field."
                )
    except csv.Error as exc:
        if "end of data" in str(exc) or "EOF" in str(exc):
            raise CorpusError(
                f"{path}:{start}: a quoted field starting on line {start} is never closed; "
                "it would swallow every row after it. Close the quote (a quote inside a "
                'quoted field is written "").'
            ) from None
        raise CorpusError(
            f"{path}:{reader.line_num}: malformed CSV quoting ({exc}) in the record starting "
            f"on line {start}: a quote that is not closed where it should be swallows the "
            'rows after it. Fix the quotes (a quote inside a quoted field is written "").'
        ) from None
    finally:
        csv.field_size_limit(old_limit)
        fh.close()


def _csv_call(opener: Callable[[], Any], **opts: Any) -> pd.DataFrame:
    source = opener()
    try:
        return pd.read_csv(source, **opts)
    finally:
        if hasattr(source, "close"):
            source.close()


#: Unicode noncharacters: stand-ins for undecodable bytes while a CSV file is parsed
_MARKERS = tuple(chr(c) for c in range(0xFDD0, 0xFDF0))
_MARKER_RE = re.compile("[\ufdd0-\ufdef]")
_ESCAPED = re.compile("[\udc80-\udcff]+")  # undecodable bytes under "surrogateescape"


def _marked_blocks(
    path: Path,
    marker: str,
    found: list[tuple[int, bytes]] | None = None,
    seen: set[str] | None = None,
) -> Iterator[bytes]:
    """The bytes of ``path`` (decompressed) with each run of undecodable bytes as ``marker``.

    Runs are found block by block the same way whatever ``marker`` is, so two passes agree on
    them. ``found`` receives ``(byte offset, bytes)`` of each run; ``seen`` the markers that
    occur in the file's valid text (a marker must not).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    consumed = 0
    with _open_binary(path) as fh:
        while True:
            try:
                block = fh.read(1 << 20)
            except (OSError, EOFError, lzma.LZMAError) as exc:
                raise CorpusError(f"cannot read {str(path)!r}: {exc}.") from None
            text = decoder.decode(block, final=not block)
            if seen is not None and not text.isascii():
                seen.update(_MARKER_RE.findall(text))
            try:  # the common case: a block without undecodable bytes
                good = text.encode("utf-8")
            except UnicodeEncodeError:
                pass
            else:
                consumed += len(good)
                yield good
                if not block:
                    return
                continue
            pieces = []
            pos = 0
            for m in _ESCAPED.finditer(text):
                good = text[pos : m.start()].encode("utf-8")
                consumed += len(good)
                bad = m.group().encode("utf-8", "surrogateescape")
                if found is not None:
                    found.append((consumed, bad))
                consumed += len(bad)
                pieces += [good, marker.encode("utf-8")]
                pos = m.end()
            rest = text[pos:].encode("utf-8")
            consumed += len(rest)
            pieces.append(rest)
            yield b"".join(pieces)
            if not block:
                return


class _BlockStream(io.RawIOBase):
    """A readable binary stream over an iterator of byte blocks."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        super().__init__()
        self._blocks = blocks
        self._buf = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not len(self._buf):
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._buf = memoryview(block)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def _read_csv(unit: _Unit, chunksize: int | None, strict: bool) -> Iterator[_Raw]:
    """CSV/TSV files. ``strict``: bytes that are not UTF-8 fail the file; otherwise they make
    bad rows, not a failed file.

    Yields ``(raw table, problems)``: row position -> reason (file, byte offset, column) for
    each row with bytes that are not UTF-8. Those bytes are read as a Unicode noncharacter
    that does not occur in the file, so quoting and field counts are unaffected and the k-th
    stand-in found, in file order, is the k-th undecodable run. Undecodable bytes in the header
    still fail the whole file (no document to blame).
    """
    path = unit.path
    assert path is not None
    if strict:
        for raw in _csv_tables(unit, chunksize):
            yield raw, {}
        return
    try:
        _check_utf8(path)
    except CorpusError:
        pass
    else:  # valid UTF-8 (the common case): read it as usual
        for raw in _csv_tables(unit, chunksize, opener=lambda: path):
            yield raw, {}
        return
    found: list[tuple[int, bytes]] = []
    seen: set[str] = set()
    for _ in _marked_blocks(path, _MARKERS[0], found, seen):
        pass
    marker = next((m for m in _MARKERS if m not in seen), None)
    if marker is None:  # pragma: no cover - a file holding all 32 noncharacters
        _check_utf8(path)
    assert marker is not None

    def opener() -> IO[bytes]:
        return io.BufferedReader(_BlockStream(_marked_blocks(path, marker)), 1 << 16)

    k = 0  # stand-ins met so far
    for n, raw in enumerate(_csv_tables(unit, chunksize, opener=opener)):
        if n == 0 and any(marker in str(c) for c in raw.columns):
            offset, bad = found[0]
            raise _decode_error(path, offset, bad)  # in the header: no document to blame
        problems: dict[int, str] = {}
        cols = [
            c
            for c in raw.columns
            if raw[c].dtype == object or pd.api.types.is_string_dtype(raw[c].dtype)
        ]
        counts = np.zeros(len(raw), dtype=np.int64)
        per_col = []
        for c in cols:
            cnt = (
                raw[c]
                .map(lambda v: v.count(marker) if isinstance(v, str) else 0)
                .to_numpy(dtype=np.int64)
            )
            per_col.append(cnt)
            counts += cnt
        for i in np.flatnonzero(counts):
            runs = found[k : k + int(counts[i])]
            k += int(counts[i])
            names = ", ".join(repr(str(c)) for c, cnt in zip(cols, per_col, strict=True) if cnt[i])
            if not runs:  # pragma: no cover - cannot happen: one stand-in per run
                problems[int(i)] = f"{path}: undecodable bytes (not UTF-8) in column(s) {names}"
                continue
            offset, bad = runs[0]
            more = f" (and {len(runs) - 1} more)" if len(runs) > 1 else ""
            problems[int(i)] = f"{_undecodable(path, bad, offset)}{more}, in column(s) {names}"
        yield raw, problems


def _read_parquet(unit: _Unit, chunksize: int | None, strict: bool) -> Iterator[_Raw]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = unit.path
    assert path is not None
    try:
        # pre_buffer=False: with pre-buffering the reader keeps the buffers of every row group
        # it has read until the iteration ends, so streaming memory grew with the file
        pf = pq.ParquetFile(path, pre_buffer=False)
        if not chunksize:
            yield pf.read().to_pandas(), {}
            return
        empty = True
        for batch in pf.iter_batches(batch_size=chunksize):
            empty = False
            yield pa.Table.from_batches([batch]).to_pandas(), {}
        if empty:
            yield pf.schema_arrow.empty_table().to_pandas(), {}
    except (pa.ArrowException, OSError) as exc:
        raise CorpusError(f"{path}: cannot read as Parquet: {exc}.") from None


#: one reader per format: (unit, chunksize, strict) -> (raw table, row -> reason) pairs
_READERS: dict[str, Callable[[_Unit, int | None, bool], Iterator[_Raw]]] = {
    "text": _read_text,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "tsv": _read_csv,
    "parquet": _read_parquet,
}


def _raw_tables(unit: _Unit, chunksize: int | None, strict: bool = True) -> Iterator[_Raw]:
    """``(raw table, problems)`` of one input unit: row position -> why its bytes are not
    valid text (only when not ``strict``)."""
    if unit.frame is not None:
        frame = unit.frame
        if chunksize:
            for s in range(0, max(len(frame), 1), chunksize):
                yield frame.iloc[s : s + chunksize].copy(), {}
        else:
            yield frame.copy(), {}
        return
    assert unit.fmt is not None
    yield from _READERS[unit.fmt](unit, chunksize, strict)


def _documents(
    source: Any,
    *,
    chunksize: int | None,
    format: str | None,
    columns: Mapping[str, str | None] | None,
    state: _IdState,
    on_error: str | None = None,
) -> Iterator[tuple[pd.DataFrame, _Report, dict[int, Problem]]]:
    """(documents table, its report, problems) per raw table of every input unit.

    Problems are found only with ``on_error`` (see :func:`iter_corpus`): then the readers are
    lenient (``"skip"``; JSON Lines always), and missing or non-string texts are problems of
    their rows.
    """
    fmt = _check_format(format)
    cols = _check_columns(columns)
    units = list(_units(source, fmt))
    for unit in units:
        # text files carry their own fixed fields; columns= applies to tables only
        unit_cols = {} if unit.fmt == "text" else cols
        strict = on_error is None or (on_error == "raise" and unit.fmt != "jsonl")
        for raw, reasons in _guard_reads(unit, _raw_tables(unit, chunksize, strict)):
            problems: dict[int, Problem] = {}
            if on_error is not None and len(raw) and unit.fmt not in ("csv", "tsv", "text"):
                text_col = _resolve(raw, unit_cols, unit.where)["text"]
                problems = text_problems(raw[text_col].reset_index(drop=True))
            problems.update({i: Problem("invalid_unicode", r) for i, r in reasons.items()})
            report = _Report()
            table = _standardize(
                raw,
                columns=unit_cols,
                where=unit.where,
                source=unit.where,
                report=report,
                csv_like=unit.fmt in ("csv", "tsv"),
            )
            yield table, report, problems


#: what reading a damaged file raises: truncated or corrupt compressed data, I/O errors
_READ_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)


def _guard_reads(unit: _Unit, raws: Iterator[Any]) -> Iterator[Any]:
    """``raws``, with read failures (a truncated ``.gz``, a file that is not gzip) turned into a
    one-line :class:`CorpusError` naming the file."""
    try:
        yield from raws
    except _READ_ERRORS as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        hint = ""
        if _split_compression(unit.path)[1] if unit.path is not None else None:
            hint = (
                " The compressed file is truncated or corrupt (or not compressed as its "
                "extension says): re-download or re-compress it."
            )
        raise CorpusError(f"{unit.where}: cannot read: {detail}.{hint}") from None


def _chunk_documents(table: pd.DataFrame, state: _IdState, report: _Report) -> pd.DataFrame:
    """A streamed chunk finished as read_corpus finishes a whole corpus: dtypes, then ids."""
    table = _finish([table])
    if len(table):
        table = _assign_ids(table, state, report)
    return table


def _finish(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return empty_documents()
    nonempty = [f for f in frames if len(f)] or frames[:1]
    table = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0]
    order = [*DOCUMENT_COLUMNS]
    if SOURCE_COLUMN in table.columns:
        order.append(SOURCE_COLUMN)
    order += [c for c in table.columns if c not in order]
    table = table[order].reset_index(drop=True)
    table["date"] = table["date"].astype("datetime64[ns]")
    for c in ("outlet", "text"):
        if table[c].dtype != str_dtype():
            table[c] = table[c].astype(str_dtype())
    return table


# ---------------------------------------------------------------------------------------------
# public API


def read_corpus(
    source: Any,
    *,
    format: str | None = None,
    columns: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Read news articles into the documents table.

    Parameters
    ----------
    source : str, Path, DataFrame, or list of these
        A file, a folder (read recursively in sorted order; hidden files and files with
        unsupported extensions are skipped), a glob pattern such as ``"data/*.jsonl"``, a
        DataFrame (copied, never modified), or a list of any of these (concatenated in order).
        Text files in the seed format hold one or more articles, each starting at the
        beginning of a line with ``date YYYY-MM-DD <Outlet> - `` (the outlet ends at the first
        ``" - "``); a text file without such a header is one document with outlet ``""`` and
        date NaT.
    format : {"text", "jsonl", "json", "csv", "tsv", "parquet"}, optional
        Force the format instead of inferring it from the extension (``.txt``, ``.jsonl``,
        ``.ndjson``, ``.json``, ``.csv``, ``.tsv``, ``.parquet``; text formats may be
        compressed: ``.gz``, ``.bz2``, ``.xz``).
    columns : dict, optional
        Map framing's column names to yours, e.g. ``{"text": "body_html", "outlet": "site"}``;
        ``None`` as a value ignores that input column (``{"doc_id": None}`` generates ids).
        Without it, columns are recognized case-insensitively by name (see ``SYNONYMS``:
        text/content/body/article, outlet/source/publisher/media/site,
        date/published/pubdate/publish_date/published_at, title/headline, id/doc_id).

    Returns
    -------
    pandas.DataFrame
        The documents table: ``doc_id`` (str, unique), ``outlet`` (str, "" when unknown),
        ``date`` (datetime64[ns], tz-naive, NaT when unknown; aware times converted to UTC),
        ``title`` (str or NA), ``text`` (str), ``source`` (the file each row came from,
        ``"<DataFrame>"`` for frames; an input column named ``source`` is kept instead), then
        every other input column. Missing ids are ``make_doc_id(outlet, date, text)``;
        identical documents get ``-1``, ``-2`` suffixes.

    Raises
    ------
    CorpusError
        Missing path, unsupported extension, no text column, bytes that are not UTF-8, a
        malformed JSON line, a duplicate given ``doc_id``. The message names the file (and
        line, byte offset or column) and the fix.

    Warns
    -----
    DataQualityWarning
        Dates that cannot be parsed (they become NaT), missing texts (kept as ""), texts that
        are not strings (lists, bytes, numbers from a DataFrame or JSON: they become ""),
        unpaired surrogates (replaced by U+FFFD), input columns named like the columns scoring
        adds (``score``, ``n_words``, ``n_matches``, ``n_sentences``: kept as ``input_<name>``),
        identical documents: one warning per kind, with counts.

    Examples
    --------
    >>> docs = read_corpus("articles/")                                  # doctest: +SKIP
    >>> docs = read_corpus("news.csv", columns={"text": "story"})        # doctest: +SKIP
    """
    state = _IdState()
    frames: list[pd.DataFrame] = []
    merged = _Report()
    for table, report, _ in _documents(
        source, chunksize=None, format=format, columns=columns, state=state
    ):
        frames.append(table)
        merged.merge(report)
    table = _finish(frames)
    if len(table):
        table = _assign_ids(table, state, merged)
    merged.emit(stacklevel=3)
    logger.info("read_corpus: %d documents from %d table(s)", len(table), len(frames))
    return table


def read_table(source: str | os.PathLike, *, format: str | None = None) -> pd.DataFrame:
    """One file as its format's reader reads it, without the documents schema.

    The same readers as :func:`read_corpus` (format from the extension, compression, UTF-8
    and CSV structure checks, ids kept as text), for tables that are not corpora, e.g.
    labelled training data (:func:`framing.classify.read_labelled`).

    Parameters
    ----------
    source : str or path-like
        One file.
    format : str, optional
        As in :func:`read_corpus`.

    Returns
    -------
    pandas.DataFrame
        Every column of the file, as read.

    Raises
    ------
    CorpusError
        Missing file, unsupported extension, bytes that are not UTF-8, malformed rows.
    """
    if not isinstance(source, (str, os.PathLike)) or not Path(source).is_file():
        raise CorpusError(f"{str(source)!r} is not a file; read_table reads one file.")
    (unit,) = _units(source, _check_format(format))
    frames = [raw for raw, _ in _guard_reads(unit, _raw_tables(unit, None))]
    frames = [f for f in frames if len(f.columns)] or [pd.DataFrame()]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def iter_corpus(
    source: Any,
    *,
    chunksize: int = 10_000,
    format: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    on_error: str | None = None,
) -> Iterator[Any]:
    """Yield the documents table of ``source`` chunk by chunk, for corpora larger than memory.

    Parquet files are read in record batches of ``chunksize`` rows (row group by row group),
    JSON Lines and CSV in blocks of ``chunksize`` lines; a chunk never spans two files.
    Concatenating the chunks gives the rows and ids of :func:`read_corpus` (ids stay unique
    across chunks, so the set of ids seen is kept in memory).

    Parameters
    ----------
    source, format, columns
        As in :func:`read_corpus`.
    chunksize : int, default 10000
        Maximum number of documents per chunk.
    on_error : {None, "raise", "skip"}, default None
        None: yield documents tables, with :func:`read_corpus`'s rules (bad bytes fail the
        file; missing texts are kept as ``""`` with a warning). ``"raise"`` or ``"skip"``: yield
        :class:`CorpusChunk` ``(documents, problems)``, where ``problems`` maps the row
        position of each document that cannot be scored as read (missing text, text not a
        string, a JSON line that is not valid Unicode) to a :class:`Problem` instead of a
        warning; the caller raises naming them or leaves them out. With ``"skip"`` bytes
        that are not UTF-8 in a CSV/TSV file make problems of the rows holding them (the
        reason names the file, byte offset and column), and a text file with such bytes is
        one bad document; with ``"raise"`` they fail the whole file as in :func:`read_corpus`.
        (In JSON Lines, where a line is a document, they are problems of their line.)

    Yields
    ------
    pandas.DataFrame or CorpusChunk
        Documents tables (same columns and dtypes as :func:`read_corpus`); with ``on_error``,
        :class:`CorpusChunk` pairs. Data-quality warnings are issued per chunk.

    Raises
    ------
    CorpusError
        As :func:`read_corpus`; a duplicate given id is reported in the chunk where it recurs.
        Also ``chunksize`` that is not a positive int.
    ParameterError
        ``on_error`` is not one of its values.
    """
    if (
        not isinstance(chunksize, (int, np.integer))
        or isinstance(chunksize, bool)
        or (chunksize < 1)
    ):
        raise CorpusError(f"chunksize must be a positive int, got {chunksize!r}.")
    if on_error is not None and on_error not in ON_ERROR:
        raise ParameterError(
            f"The 'on_error' parameter of iter_corpus must be one of "
            f"{', '.join(map(repr, ON_ERROR))} or None. Got {on_error!r} instead."
        )
    state = _IdState()
    for table, report, problems in _documents(
        source,
        chunksize=int(chunksize),
        format=format,
        columns=columns,
        state=state,
        on_error=on_error,
    ):
        table = _chunk_documents(table, state, report)
        if on_error is not None:  # reported as problems, with the document ids
            report.missing_text = {}
            report.non_string_text = {}
        report.emit(stacklevel=3)
        if len(table):
            yield table if on_error is None else CorpusChunk(table, problems)
