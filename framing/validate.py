"""Check the instrument: keyword in context, coding samples, and agreement with human coders.

A dictionary result is only as credible as its validation. This module gives the three steps
content analysts use to validate a dictionary (as in quanteda's ``kwic()`` and LIWC's context
view, followed by human coding of a sample of hits):

1. :func:`kwic` -- every match (or a random sample of them) with its left and right context,
   to find false positives by reading;
2. :func:`coding_sample` -- a stratified random sample of matches (and, optionally, of sentences
   without a match, to estimate misses) as a coding sheet, written by
   :func:`write_coding_sheet` to CSV or to a self-contained HTML page a coder fills in offline;
3. :func:`agreement` -- reads the coded sheets back and reports, per lexicon, category and
   term, the precision of the dictionary against the coders (with a Wilson interval, see
   :func:`wilson_interval`), an estimate of recall when unmatched sentences were coded, and
   Krippendorff's alpha (:func:`krippendorff_alpha`) between the coders and between each coder
   and the dictionary.

Coding convention
-----------------
A coder gives each unit a code; ``1`` means *"this is an instance of what the dictionary
claims"*: for a match row, the matched words carry the category (or stance) of the entry in
this context; for a sentence row (a sentence without a match), the sentence holds an instance
the dictionary missed. ``0`` means it is not. Other codes are allowed (an ordered scale
``0, 1, 2`` with ``level="ordinal"``); which codes count as "the dictionary is right" is the
``positive`` argument of :func:`agreement`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing import _html
from framing.aggregate import check_scores
from framing.errors import FramingError, one_of, parameter_error
from framing.scoring import MATCH_COLUMNS

__all__ = [
    "KwicFrame",
    "agreement",
    "coding_sample",
    "format_kwic",
    "krippendorff_alpha",
    "kwic",
    "kwic_html",
    "read_coding_sheet",
    "wilson_interval",
    "write_coding_sheet",
]

#: Columns of :func:`kwic` (modifier columns of the matches table, such as ``negated``,
#: ``distanced`` and ``speaker``, follow when the matches table has them).
KWIC_COLUMNS = (
    "doc_id",
    "outlet",
    "date",
    "left",
    "match",
    "right",
    # term ... voice, as in the matches table
    *MATCH_COLUMNS[MATCH_COLUMNS.index("term") : MATCH_COLUMNS.index("negated")],
    "sent_id",
    "start",
    "end",
)
#: Columns a coding sheet starts with; ``code`` and ``note`` are the coder's.
SHEET_COLUMNS = (
    "unit_id",
    "kind",
    "stratum",
    "stratum_size",
    "doc_id",
    "outlet",
    "date",
    "sent_id",
    "start",
    "end",
    "left",
    "match",
    "right",
    "sentence",
    "term",
    "lexicon",
    "category",
    "concept",
    "stance",
    "voice",
)
LEVELS = ("nominal", "ordinal", "interval", "ratio")
#: the matches table's columns before the modifier columns (``negated`` and after)
_BASE_MATCH = MATCH_COLUMNS[: MATCH_COLUMNS.index("negated")]
#: the tables and columns kwic and coding_sample read
_NEEDED = {"documents": ("doc_id", "text"), "matches": _BASE_MATCH[:4]}
_NO_MATCH = "(no match)"
_YES = {"1", "yes", "y", "true", "t", "x"}
_NO = {"0", "no", "n", "false", "f"}


# ---- Krippendorff's alpha and the Wilson interval --------------------------------------------


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def krippendorff_alpha(
    reliability_data: Any,
    *,
    level: str = "nominal",
    values: Sequence[Any] | None = None,
) -> float:
    """Krippendorff's alpha of a coders x units reliability data matrix.

    Parameters
    ----------
    reliability_data : array-like of shape (n_coders, n_units)
        One row per coder, one column per unit. ``NaN``, ``None`` and ``""`` mean "not coded".
        Values may be numbers or (for ``level="nominal"``) strings.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement: the difference function of Krippendorff (2011).
    values : sequence, optional
        The value domain in order. Needed for ``level="ordinal"`` when the codes are not
        numbers; values not listed are an error. Default: the codes found, sorted.

    Returns
    -------
    float
        ``1 - D_o / D_e`` computed from the coincidence matrix of the pairable values (units
        coded by at least two coders; others are ignored). ``1`` is perfect agreement, ``0``
        agreement at chance level. NaN when there is nothing to compare (fewer than two pairable
        values) or no variation at all (every value the same, ``D_e = 0``).

    Raises
    ------
    FramingError
        Not a two-dimensional matrix, an unknown level, non-numeric codes for the ordinal
        (without ``values``), interval or ratio level, or a code outside ``values``.

    Notes
    -----
    With the coincidences ``o_ck`` (each unit with ``m_u`` values contributes its ``m_u(m_u -
    1)`` ordered pairs of values, each weighted ``1 / (m_u - 1)``), the marginals ``n_c`` and
    ``n = sum n_c``: ``alpha = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck``. The
    squared differences ``d2``: nominal ``[c != k]``; ordinal
    ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2``; interval ``(c - k)^2``; ratio
    ``((c - k) / (c + k))^2``. The tests check the worked examples of Krippendorff,
    *Computing Krippendorff's Alpha-Reliability* (2011).

    Examples
    --------
    >>> krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    ...                     [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])  # doctest: +ELLIPSIS
    0.0952...
    """
    if level not in LEVELS:
        raise parameter_error("level", level, one_of(LEVELS))
    data = np.asarray(reliability_data, dtype=object)
    if data.ndim != 2:
        raise FramingError(
            "krippendorff_alpha expects a coders x units matrix (two dimensions); got an "
            f"array of shape {data.shape}."
        )
    flat = data.ravel()
    present = np.array([not _missing(v) for v in flat], dtype=bool)
    found = flat[present]
    numeric = all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in found
    )
    if values is not None:
        domain = list(values)
        index = {v: i for i, v in enumerate(domain)}
        unknown = [v for v in found if v not in index]
        if unknown:
            raise FramingError(
                f"krippendorff_alpha: code {unknown[0]!r} is not in values={domain!r}; list "
                "every code used."
            )
    else:
        if level != "nominal" and not numeric:
            text = next(v for v in found if not isinstance(v, (int, float)))
            raise FramingError(
                f"krippendorff_alpha: level={level!r} needs numeric codes (or 'values' giving "
                f"the order of the codes); got {text!r}."
            )
        domain = sorted(
            set(found.tolist()), key=lambda v: (float(v), 0) if numeric else (0, str(v))
        )
        index = {v: i for i, v in enumerate(domain)}
    if level in ("interval", "ratio"):
        try:
            numbers = np.array([float(v) for v in domain])
        except (TypeError, ValueError) as exc:
            raise FramingError(
                f"krippendorff_alpha: level={level!r} needs numeric codes; {exc}."
            ) from exc
    n_values = len(domain)
    if n_values == 0:
        return float("nan")
    n_units = data.shape[1]
    counts = np.zeros((n_units, n_values))
    cols = np.tile(np.arange(n_units), data.shape[0])[present]
    codes = np.array([index[v] for v in found], dtype=np.int64)
    np.add.at(counts, (cols, codes), 1.0)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    if not len(m):
        return float("nan")
    weighted = counts / (m - 1)[:, None]
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n < 2:
        return float("nan")
    if level == "nominal":
        d2 = 1.0 - np.eye(n_values)
    elif level == "ordinal":
        cum = np.cumsum(n_c)
        c, k = np.meshgrid(np.arange(n_values), np.arange(n_values), indexing="ij")
        lo, hi = np.minimum(c, k), np.maximum(c, k)
        between = cum[hi] - cum[lo] + n_c[lo]
        d2 = (between - (n_c[c] + n_c[k]) / 2.0) ** 2
    elif level == "interval":
        d2 = (numbers[:, None] - numbers[None, :]) ** 2
    else:
        total = numbers[:, None] + numbers[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            d2 = np.where(total != 0, ((numbers[:, None] - numbers[None, :]) / total) ** 2, 0.0)
    expected = float((np.outer(n_c, n_c) * d2).sum())
    if expected == 0:
        return float("nan")
    observed = float((coincidence * d2).sum())
    return float(1.0 - (n - 1) * observed / expected)


def wilson_interval(successes: float, n: float, *, ci: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``successes / n``.

    Parameters
    ----------
    successes : float
        Number of successes (may be fractional, e.g. a share of coders).
    n : float
        Number of trials.
    ci : float, default 0.95
        Coverage.

    Returns
    -------
    (float, float)
        Lower and upper bound; ``(nan, nan)`` when ``n`` is 0.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    """
    if not 0 < ci < 1:
        raise parameter_error("ci", ci, "a number in (0, 1)")
    if n <= 0:
        return float("nan"), float("nan")
    from scipy.stats import norm

    z = float(norm.ppf(1 - (1 - ci) / 2))
    p = successes / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / denom
    return max(0.0, center - half), min(1.0, center + half)


# ---- keyword in context ---------------------------------------------------------------------


class KwicFrame(pd.DataFrame):
    """A :func:`kwic` table: a DataFrame whose notebook display highlights the match.

    Everything else is a plain :class:`pandas.DataFrame`; :meth:`to_text` gives the aligned
    terminal concordance of ``framing kwic``.
    """

    @property
    def _constructor(self) -> type[KwicFrame]:  # keep the class through pandas operations
        return KwicFrame

    def to_text(self, *, width: int = 100, max_rows: int | None = None) -> str:
        """The aligned concordance (see :func:`format_kwic`)."""
        return format_kwic(self, width=width, max_rows=max_rows)

    def _repr_html_(self) -> str | None:
        if not {"left", "match", "right"} <= set(self.columns):
            plain: str | None = super()._repr_html_()  # type: ignore[misc]  # not in the stubs
            return plain
        return kwic_html(self, max_rows=200)


def _as_list(value: Any, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        out = list(value)
        if all(isinstance(v, str) for v in out):
            return out
    raise parameter_error(name, value, "a string or a list of strings")


def _fold(text: str) -> str:
    from framing._text import normalize_term

    return normalize_term(str(text)).replace("-", " ")


def _left_context(text: str, start: int, window: int) -> str:
    """The ``window`` whitespace-separated words before ``start`` (plus the part of the
    match's own token before it), read from a bounded stretch of text."""
    before = text[max(0, start - 1) : start]
    take = window + (1 if before and not before.isspace() else 0)
    if not take:
        return ""
    reach = 16 * (take + 1)
    while True:
        lo = max(0, start - reach)
        parts = text[lo:start].rsplit(None, take)
        if len(parts) > take:
            return " ".join(parts[1:])  # parts[0]: the rest of the text before the window
        if lo == 0:
            return " ".join(parts)
        reach *= 4


def _right_context(text: str, end: int, window: int) -> str:
    """The ``window`` words after ``end`` (plus the rest of the match's own token)."""
    after = text[end : end + 1]
    take = window + (1 if after and not after.isspace() else 0)
    if not take:
        return ""
    reach = 16 * (take + 1)
    while True:
        hi = min(len(text), end + reach)
        parts = text[end:hi].split(None, take)
        if len(parts) > take:
            return " ".join(parts[:take])
        if hi == len(text):
            return " ".join(parts)
        reach *= 4


def _text_hits(scores: Any, terms: list[str]) -> pd.DataFrame:
    """Occurrences of ``terms`` (not lexicon entries) in the document texts, as match rows."""
    from framing.lexicon import Entry, Lexicon
    from framing.matcher import Matcher
    from framing.segment import quote_spans

    lex = Lexicon("kwic", entries=[Entry(t) for t in dict.fromkeys(terms)])
    matcher = Matcher(lex)
    docs = scores.documents
    rows: list[dict[str, Any]] = []
    sents = getattr(scores, "sentences", None)
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        found = matcher(text)
        if not found:
            continue
        quotes = quote_spans(text)
        starts = sent_ids = np.zeros(0, dtype=np.int64)
        if sents is not None and {"start", "end"} <= set(sents.columns):
            own = sents[sents["doc_id"] == doc_id]
            starts, sent_ids = own["start"].to_numpy(), own["sent_id"].to_numpy()
        for m in found:
            sent_id = -1
            if len(starts):
                pos = int(np.searchsorted(starts, m.start, side="right")) - 1
                sent_id = int(sent_ids[max(pos, 0)])
            in_quote = any(a <= m.start < b for a, b in quotes)
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_id,
                    "start": m.start,
                    "end": m.end,
                    "surface": text[m.start : m.end],
                    "term": m.entry.term,
                    "lexicon": "",
                    "category": None,
                    "concept": None,
                    "stance": None,
                    "weight": float("nan"),
                    "voice": "quote" if in_quote else "author",
                }
            )
    return pd.DataFrame(rows, columns=list(_BASE_MATCH))


def kwic(
    scores: Any,
    term: str | Sequence[str] | None = None,
    *,
    concept: str | Sequence[str] | None = None,
    category: str | Sequence[str] | None = None,
    lexicon: str | Sequence[str] | None = None,
    voice: str | None = None,
    window: int = 8,
    by: str | Sequence[str] | None = None,
    n: int | None = None,
    seed: int = 0,
) -> KwicFrame:
    """Keyword in context: one row per match, with the words around it.

    Parameters
    ----------
    scores : Scores
        The result of :func:`framing.score` (or :meth:`framing.Scores.load`); the documents
        table must hold the ``text``.
    term : str or list of str, optional
        Only these terms: compared with the canonical ``term`` and with the text as written
        (``surface``), case-insensitively, hyphen = space. A term no lexicon matched is looked
        up in the document texts instead (with the matcher's plural and possessive forms), so
        words outside the dictionary can be read in context too; such rows have an empty
        ``lexicon`` and no category, concept or stance. Without ``term``: every match.
    concept, category, lexicon : str or list of str, optional
        Only matches of these concepts, categories or lexicons (``"name"`` or
        ``"name@version"``).
    voice : {"author", "quote", "all"}, optional
        Only matches in the author's words or in quoted speech (default: all).
    window : int, default 8
        Words (whitespace-separated tokens) of context on each side. The context runs across
        sentence boundaries and stops at the edges of the document.
    by : str or list of str, optional
        With ``n``: draw up to ``n`` rows per group of these columns (a match column such as
        ``term`` or ``category``, or a documents column such as ``outlet``).
    n : int, optional
        Draw a random sample of ``n`` rows (per group with ``by``) instead of all rows.
    seed : int, default 0
        Seed of the sample.

    Returns
    -------
    KwicFrame
        A DataFrame with the columns ``doc_id, outlet, date, left, match, right, term,
        lexicon, category, concept, stance, weight, voice, sent_id, start, end`` and any
        further columns of the matches table (the modifiers ``negated``, ``distanced``,
        ``speaker`` where they exist), in document order then by offset. ``match`` is the text
        as written; ``left`` and ``right`` have their whitespace collapsed. In a notebook the
        match is highlighted; :meth:`KwicFrame.to_text` gives an aligned concordance.

    Raises
    ------
    FramingError
        A bad option, or tables without the columns of :func:`framing.score`'s tables.

    Examples
    --------
    >>> kw = kwic(scores, "Zionist regime", window=5)                     # doctest: +SKIP
    >>> kw = kwic(scores, category="dehumanizing", by="outlet", n=3)      # doctest: +SKIP
    """
    func = "kwic"
    check_scores(func, scores, _NEEDED)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 0:
        raise parameter_error("window", window, "an integer >= 0")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise parameter_error("n", n, "an integer >= 1 or None")
    if voice not in (None, "all", "author", "quote"):
        raise parameter_error("voice", voice, one_of(("author", "quote", "all", None)))
    found, extras, by_list = _select(
        scores, func, term, concept=concept, category=category, lexicon=lexicon, voice=voice, by=by
    )
    if n is not None:
        rng = np.random.default_rng(seed)
        found = found.iloc[rng.permutation(len(found))]
        found = (
            found.groupby(by_list, sort=False, dropna=False).head(n) if by_list else found.head(n)
        )
    out = _with_context(scores.documents, found, window, extras)
    out.attrs.update(window=window, seed=seed, n=n, by=by_list or None)
    return KwicFrame(out)


def _select(
    scores: Any,
    func: str,
    term: Any,
    *,
    concept: Any,
    category: Any,
    lexicon: Any,
    voice: Any,
    by: Any,
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """(the matches to show, joined with the documents columns; the extra columns to keep;
    the ``by`` columns). Filtering only: no contexts, no sampling."""
    terms = _as_list(term, "term")
    matches = scores.matches
    extras = [c for c in matches.columns if c not in _BASE_MATCH]
    keep = np.ones(len(matches), dtype=bool)
    for name, value in (("concept", concept), ("category", category)):
        wanted = _as_list(value, name)
        if wanted is not None:
            keep &= matches[name].isin(wanted).to_numpy()
    lexicons = _as_list(lexicon, "lexicon")
    if lexicons is not None:
        names = {x.split("@")[0] for x in lexicons} | set(lexicons)
        keep &= matches["lexicon"].astype(str).isin(names).to_numpy()
    if voice in ("author", "quote"):
        keep &= (matches["voice"] == voice).to_numpy()
    found = matches[keep]
    if terms is not None:
        wanted_f = {_fold(t) for t in terms}
        folded = {
            v: _fold(v)
            for v in {*found["term"].astype(str).unique(), *found["surface"].astype(str).unique()}
        }
        term_f = found["term"].astype(str).map(folded)
        surf_f = found["surface"].astype(str).map(folded)
        hit = term_f.isin(wanted_f) | surf_f.isin(wanted_f)
        seen = set(term_f[hit]) | set(surf_f[hit])
        found = found[hit.to_numpy()]
        unseen = [t for t in terms if _fold(t) not in seen]
        if unseen and concept is None and category is None and lexicons is None:
            extra = _text_hits(scores, unseen)
            if voice in ("author", "quote"):
                extra = extra[extra["voice"] == voice]
            if len(extra):
                found = pd.concat([found, extra], ignore_index=True)
    docs = scores.documents
    meta_cols = [c for c in ("outlet", "date") if c in docs.columns]
    by_list = [by] if isinstance(by, str) else list(by) if by is not None else []
    doc_by = [
        c for c in by_list if c not in found.columns and c in docs.columns and c not in meta_cols
    ]
    unknown = [c for c in by_list if c not in found.columns and c not in docs.columns]
    if unknown:
        raise parameter_error("by", unknown[0], "a column of the matches or the documents table")
    info = docs[["doc_id", *meta_cols, *doc_by]]
    found = found.merge(info, on="doc_id", how="left", sort=False)
    return found, [*extras, *doc_by], by_list


def _with_context(
    docs: pd.DataFrame, found: pd.DataFrame, window: int, extra_cols: Sequence[str]
) -> pd.DataFrame:
    """The kwic table of the rows ``found``: in document order, with their contexts."""
    order = pd.Index(docs["doc_id"])
    position = order.get_indexer(found["doc_id"])
    found = found.assign(_pos=position).sort_values(["_pos", "start", "end"], kind="stable")
    needed = docs[docs["doc_id"].isin(found["doc_id"].unique())]
    texts = dict(zip(needed["doc_id"].tolist(), needed["text"].tolist(), strict=True))
    left, match, right = [], [], []
    for doc_id, start, end in zip(found["doc_id"], found["start"], found["end"], strict=True):
        text = texts.get(doc_id)
        text = text if isinstance(text, str) else ""
        start, end = int(start), int(end)
        left.append(_left_context(text, start, window))
        match.append(" ".join(text[start:end].split()))
        right.append(_right_context(text, end, window))
    out = pd.DataFrame(
        {
            "doc_id": found["doc_id"].to_numpy(),
            "outlet": found["outlet"].to_numpy() if "outlet" in found else "",
            "date": found["date"].to_numpy() if "date" in found else pd.NaT,
            "left": pd.Series(left, dtype=object).to_numpy(),
            "match": pd.Series(match, dtype=object).to_numpy(),
            "right": pd.Series(right, dtype=object).to_numpy(),
        }
    )
    for col in KWIC_COLUMNS[6:]:
        out[col] = found[col].to_numpy()
    for col in extra_cols:
        out[col] = found[col].to_numpy()
    return out


def _clip_left(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _clip_right(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_kwic(kw: pd.DataFrame, *, width: int = 100, max_rows: int | None = None) -> str:
    """An aligned concordance: ``doc_id  ...left [match] right...``, one line per row.

    Parameters
    ----------
    kw : DataFrame
        A :func:`kwic` table.
    width : int, default 100
        Line width in characters; contexts are clipped with ``…`` to fit, so the matches of
        all lines start in one column.
    max_rows : int, optional
        Show at most this many rows (and a line counting the others).

    Returns
    -------
    str
        The lines, joined with newlines ("no matches" for an empty table).
    """
    if not len(kw):
        return "no matches"
    rows = kw if max_rows is None else kw.head(max_rows)
    ids = rows["doc_id"].astype(str).tolist()
    id_w = min(max(len(i) for i in ids), 24)
    matches = rows["match"].astype(str).tolist()
    m_w = min(max(len(m) for m in matches) + 2, 32)
    ctx = max(10, (width - id_w - m_w - 4) // 2)
    lines = []
    for doc_id, left, match, right in zip(ids, rows["left"], matches, rows["right"], strict=True):
        mid = _clip_right(f"[{match}]", m_w)
        lines.append(
            f"{_clip_right(doc_id, id_w):<{id_w}}  {_clip_left(str(left), ctx):>{ctx}} "
            f"{mid:<{m_w}} {_clip_right(str(right), ctx)}".rstrip()
        )
    if max_rows is not None and len(kw) > max_rows:
        lines.append(f"... {len(kw) - max_rows} more rows")
    return "\n".join(lines)


_KWIC_STYLE = (
    "table.fr-kwic td.fr-left{text-align:right;white-space:nowrap}"
    "table.fr-kwic td.fr-right{text-align:left;white-space:nowrap}"
    "table.fr-kwic td{padding:1px 6px;font-size:90%}"
    "table.fr-kwic td.fr-mid,table.fr-kwic td.fr-id{white-space:nowrap}"
)


def kwic_html(
    kw: pd.DataFrame, *, max_rows: int | None = None, title: str | None = None, page: bool = False
) -> str:
    """HTML concordance of a :func:`kwic` table, the match highlighted, all data escaped.

    Parameters
    ----------
    kw : DataFrame
        A :func:`kwic` table.
    max_rows : int, optional
        Show at most this many rows.
    title : str, optional
        A heading.
    page : bool, default False
        A complete, self-contained HTML page (for ``framing kwic -o FILE.html``) instead of a
        fragment.

    Returns
    -------
    str
    """
    rows = kw if max_rows is None else kw.head(max_rows)
    shown = [
        c
        for c in ("term", "category", "stance", "voice", "negated", "distanced", "speaker")
        if c in rows.columns
    ]
    head = "".join(
        f"<th>{_html.escape(h)}</th>"
        for h in ("doc_id", "outlet", "left", "match", "right", *shown)
    )
    body = []
    for rec in rows.to_dict("records"):
        quote = " fr-quote" if rec.get("voice") == "quote" else ""
        cells = [
            f"<td class='fr-id'>{_html.escape(rec['doc_id'])}</td>",
            f"<td>{_html.escape(rec.get('outlet'))}</td>",
            f"<td class='fr-left'>{_html.escape(rec['left'])}</td>",
            f"<td class='fr-mid'><mark class='fr-match{quote}'>{_html.escape(rec['match'])}"
            "</mark></td>",
            f"<td class='fr-right'>{_html.escape(rec['right'])}</td>",
            *(f"<td>{_html.escape(rec.get(c))}</td>" for c in shown),
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = ""
    if max_rows is not None and len(kw) > max_rows:
        more = f"<p>... {len(kw) - max_rows} more rows</p>"
    heading = f"<h1>{_html.escape(title)}</h1>" if title else ""
    table = (
        f"<style>{_html.MARK_STYLE}{_KWIC_STYLE}</style>{heading}"
        f"<p>{len(kw):,} rows (author voice yellow, quotes blue)</p>"
        f"<table class='fr-kwic'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )
    if not page:
        return f"<div class='framing-kwic'>{table}</div>"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title or 'framing kwic')}</title>"
        "<style>body{font-family:sans-serif;margin:1.5em}</style></head><body>"
        f"{table}"
        "</body></html>\n"
    )


# ---- coding sample ------------------------------------------------------------------------


def _allocate(sizes: np.ndarray, n: int) -> np.ndarray:
    """Split ``n`` as equally as possible over strata of ``sizes`` (capped by each size)."""
    take = np.zeros(len(sizes), dtype=np.int64)
    left = int(n)
    open_ = [i for i in range(len(sizes)) if sizes[i] > 0]
    while left > 0 and open_:
        share = max(left // len(open_), 1)
        for i in list(open_):
            add = min(share, int(sizes[i] - take[i]), left)
            take[i] += add
            left -= add
            if take[i] >= sizes[i]:
                open_.remove(i)
            if left == 0:
                break
    return take


def coding_sample(
    scores: Any,
    n: int = 200,
    *,
    by: str | None = "term",
    per_group: int | None = None,
    unmatched: int = 0,
    lexicon: str | Sequence[str] | None = None,
    voice: str | None = None,
    window: int = 12,
    seed: int = 0,
) -> pd.DataFrame:
    """A stratified random sample of matches (and unmatched sentences) as a coding sheet.

    Parameters
    ----------
    scores : Scores
        The result of :func:`framing.score`.
    n : int, default 200
        Matches to draw in all, spread as equally as possible over the strata (a stratum with
        fewer matches than its share gives all it has, the rest goes to the others). Ignored
        when ``per_group`` is given.
    by : {"term", "category", "concept", "lexicon", "outlet"} or None, default "term"
        The strata (a matches or documents column); ``None`` draws a simple random sample.
    per_group : int, optional
        Draw this many matches from every stratum (or all of a smaller one) instead of ``n``.
    unmatched : int, default 0
        Also draw this many sentences without a match (of ``lexicon``), to estimate what the
        dictionary misses (recall).
    lexicon : str or list of str, optional
        Only matches of these lexicons.
    voice : {"author", "quote", "all"}, optional
        Only matches of this voice (default: all).
    window : int, default 12
        Words of context on each side (see :func:`kwic`).
    seed : int, default 0
        Seed of every draw.

    Returns
    -------
    pandas.DataFrame
        The coding sheet, one row per unit in a random order (strata interleaved, so coders do
        not see all hits of one term in a row): ``unit_id`` (``u0001`` ...), ``kind``
        (``"match"`` or ``"sentence"``), ``stratum``, ``stratum_size`` (matches -- or
        unmatched sentences -- in the stratum: the population the row stands for), the
        :func:`kwic` columns, ``sentence`` (the whole sentence), then empty ``code`` and
        ``note`` columns for the coder (see the module docstring for the codes). Write it with
        :func:`write_coding_sheet`.

    Examples
    --------
    >>> sheet = coding_sample(scores, n=100, by="category", unmatched=20)  # doctest: +SKIP
    >>> write_coding_sheet(sheet, "coding.html")                            # doctest: +SKIP
    """
    func = "coding_sample"
    for name, value, low in (("n", n, 0), ("unmatched", unmatched, 0), ("window", window, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise parameter_error(name, value, f"an integer >= {low}")
    if per_group is not None and (
        isinstance(per_group, bool) or not isinstance(per_group, (int, np.integer)) or per_group < 1
    ):
        raise parameter_error("per_group", per_group, "an integer >= 1 or None")
    allowed = ("term", "category", "concept", "lexicon", "stance", "outlet", None)
    if by not in allowed:
        raise parameter_error("by", by, one_of(allowed))
    check_scores(func, scores, _NEEDED)
    if voice not in (None, "all", "author", "quote"):
        raise parameter_error("voice", voice, one_of(("author", "quote", "all", None)))
    found, extras, _ = _select(
        scores, func, None, concept=None, category=None, lexicon=lexicon, voice=voice, by=None
    )
    order = pd.Index(scores.documents["doc_id"])
    found = (
        found.assign(_pos=order.get_indexer(found["doc_id"]))
        .sort_values(["_pos", "start", "end"], kind="stable")
        .drop(columns="_pos")
        .reset_index(drop=True)
    )
    rng = np.random.default_rng(seed)
    if by is None:
        strata = pd.Series("all", index=found.index, dtype=object)
    else:
        strata = found[by].astype(object).where(found[by].notna(), "(none)").astype(str)
    frame = found.assign(stratum=strata.to_numpy())
    frame = frame.iloc[rng.permutation(len(frame))]
    sizes = frame.groupby("stratum", sort=True).size()
    take = (
        np.minimum(sizes.to_numpy(), per_group)
        if per_group is not None
        else _allocate(sizes.to_numpy(), n)
    )
    quota = dict(zip(sizes.index, take, strict=True))
    rank = frame.groupby("stratum", sort=False).cumcount().to_numpy()
    picked = frame[rank < frame["stratum"].map(quota).to_numpy()]
    picked = picked.assign(stratum_size=picked["stratum"].map(sizes).to_numpy())
    picked = _with_context(
        scores.documents, picked, window, [*extras, "stratum", "stratum_size"]
    ).assign(kind="match")
    sents = getattr(scores, "sentences", None)
    parts = [picked]
    if unmatched and sents is not None and len(sents):
        hit = pd.MultiIndex.from_frame(found[["doc_id", "sent_id"]])
        free = sents[~pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]]).isin(hit)]
        free = free[free["text"].astype(str).str.strip() != ""]
        chosen = free.iloc[np.sort(rng.permutation(len(free))[:unmatched])]
        docs = scores.documents
        meta = docs[["doc_id", *[c for c in ("outlet", "date") if c in docs.columns]]]
        rows = chosen[["doc_id", "sent_id", "start", "end"]].merge(meta, on="doc_id", how="left")
        rows = rows.assign(
            kind="sentence",
            stratum=_NO_MATCH,
            stratum_size=len(free),
            left="",
            match="",
            right="",
            voice=None,
        )
        parts.append(rows)
    sheet = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else picked.iloc[:0]
    )
    sheet = sheet.iloc[rng.permutation(len(sheet))].reset_index(drop=True)
    sheet["sentence"] = _sentence_texts(scores, sheet)
    sheet["unit_id"] = [f"u{i + 1:04d}" for i in range(len(sheet))]
    extras = [c for c in extras if c not in SHEET_COLUMNS]
    for col in (*SHEET_COLUMNS, *extras):
        if col not in sheet.columns:
            sheet[col] = None
    sheet = sheet[[*SHEET_COLUMNS, *extras]].copy()
    sheet["stratum_size"] = sheet["stratum_size"].astype("int64")
    sheet["code"] = ""
    sheet["note"] = ""
    sheet.attrs.update(seed=seed, by=by, n=n, per_group=per_group, unmatched=unmatched)
    return sheet


def _sentence_texts(scores: Any, sheet: pd.DataFrame) -> list[str]:
    sents = getattr(scores, "sentences", None)
    if sents is None or "text" not in sents.columns or not len(sheet):
        return [""] * len(sheet)
    keys = sheet[["doc_id", "sent_id"]].astype({"sent_id": "int64"})
    table = sents[["doc_id", "sent_id", "text"]].astype({"sent_id": "int64"})
    texts = keys.merge(table, on=["doc_id", "sent_id"], how="left")["text"]
    return [" ".join(t.split()) if isinstance(t, str) else "" for t in texts.tolist()]


# ---- coding sheets on disk ----------------------------------------------------------------


_SHEET_SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById("fr-data").textContent);
  var key = "framing-coding-" + data.sheet;
  var inputs = document.querySelectorAll("[data-unit]");
  function save() {
    var state = {};
    inputs.forEach(function (el) { state[el.dataset.unit + "|" + el.dataset.field] = el.value; });
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) {}
    var done = 0;
    inputs.forEach(function (el) { if (el.dataset.field === "code" && el.value !== "") done++; });
    document.getElementById("fr-done").textContent = done;
  }
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "{}");
    inputs.forEach(function (el) {
      var v = saved[el.dataset.unit + "|" + el.dataset.field];
      if (v !== undefined) el.value = v;
    });
  } catch (e) {}
  inputs.forEach(function (el) { el.addEventListener("change", save); });
  save();
  function cell(v) {
    v = (v === null || v === undefined) ? "" : String(v);
    return '"' + v.replace(/"/g, '""') + '"';
  }
  document.getElementById("fr-export").addEventListener("click", function () {
    var coder = document.getElementById("fr-coder").value.trim();
    var values = {};
    inputs.forEach(function (el) { values[el.dataset.unit + "|" + el.dataset.field] = el.value; });
    var cols = data.columns.concat(["code", "note", "coder"]);
    var lines = [cols.map(cell).join(",")];
    data.rows.forEach(function (row) {
      var out = row.slice();
      out.push(values[row[0] + "|code"] || "", values[row[0] + "|note"] || "", coder);
      lines.push(out.map(cell).join(","));
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = data.sheet + (coder ? "-" + coder.replace(/[^A-Za-z0-9_-]+/g, "_") : "") + ".csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });
})();
"""

_OPENING = "\"'“‘«([/-"
_CLOSING = ".,;:!?\"'”’»)]/-…"

_SHEET_STYLE = (
    "body{font-family:sans-serif;margin:1.5em;max-width:80em}"
    "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 6px;"
    "vertical-align:top;text-align:left}td.ctx{max-width:46em}"
    "td.meta{font-size:85%;color:#444}select,input{font-size:100%}"
)


def _json_for_script(value: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no HTML-significant chars)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _cell_value(value: Any) -> Any:
    if _missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))  # as pandas writes it to CSV, not JSON's true/false
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(pd.Timestamp(value).date())
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def coding_sheet_html(
    sheet: pd.DataFrame,
    *,
    codes: Mapping[str, str] | None = None,
    title: str = "framing coding sheet",
    name: str = "coding",
) -> str:
    """A self-contained HTML coding sheet: fill in a code per row, then download a CSV.

    The page needs no network and no server: it embeds the sheet (all data escaped), keeps the
    coder's answers in the browser's local storage as they are entered, and its "Download
    CSV" button writes the sheet with the ``code``, ``note`` and ``coder`` columns filled in,
    ready for :func:`agreement`.

    Parameters
    ----------
    sheet : DataFrame
        From :func:`coding_sample`.
    codes : mapping of str to str, optional
        The code values offered, with their meaning. Default ``{"1": ..., "0": ...}`` (module
        docstring).
    title : str
        Page heading.
    name : str
        The sheet's name: the downloaded file is ``NAME-CODER.csv``.

    Returns
    -------
    str
        The HTML page.
    """
    codes = (
        dict(codes)
        if codes
        else {
            "1": "yes: an instance (match rows: the words carry the entry's category or stance "
            "here; sentence rows: the sentence holds an instance the dictionary missed)",
            "0": "no: not an instance (a false positive, or nothing missed)",
        }
    )
    columns = [c for c in sheet.columns if c not in ("code", "note", "coder")]
    rows = [[_cell_value(v) for v in rec] for rec in sheet[columns].itertuples(index=False)]
    options = "<option value=''></option>" + "".join(
        f"<option value='{_html.escape(k)}'>{_html.escape(k)}</option>" for k in codes
    )
    legend = "".join(
        f"<li><b>{_html.escape(k)}</b>: {_html.escape(v)}</li>" for k, v in codes.items()
    )
    body = []
    for rec in sheet.to_dict("records"):
        unit = _html.escape(rec["unit_id"])
        if rec.get("kind") == "match":
            left, right = str(rec.get("left") or ""), str(rec.get("right") or "")
            # no space where the context continues the match's own token ("uncertain.")
            gap_l = "" if not left or left[-1] in _OPENING else " "
            gap_r = "" if not right or right[0] in _CLOSING else " "
            ctx = (
                f"{_html.escape(left)}{gap_l}<mark class='fr-match'>"
                f"{_html.escape(rec.get('match'))}</mark>{gap_r}{_html.escape(right)}"
            )
            notes = [
                _html.escape(rec.get(c))
                for c in ("term", "category", "stance", "voice")
                if not _missing(rec.get(c))
            ]
            notes += [
                flag
                for flag in ("negated", "distanced")
                if rec.get(flag) is True
                or isinstance(rec.get(flag), np.bool_)
                and bool(rec.get(flag))
            ]
            if not _missing(rec.get("speaker")):
                notes.append("speaker: " + _html.escape(rec.get("speaker")))
            meta = " · ".join(notes)
        else:
            ctx = _html.escape(rec.get("sentence"))
            meta = "sentence without a match: does it hold an instance?"
        body.append(
            f"<tr><td>{unit}</td><td class='ctx'>{ctx}</td><td class='meta'>{meta}<br>"
            f"{_html.escape(rec.get('doc_id'))}</td>"
            f"<td><select data-unit='{unit}' data-field='code'>{options}</select></td>"
            f"<td><input data-unit='{unit}' data-field='note' size='18'></td></tr>"
        )
    payload = {
        "sheet": re.sub(r"[^A-Za-z0-9_-]+", "_", name) or "coding",
        "columns": columns,
        "rows": rows,
    }
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title><style>{_SHEET_STYLE}{_html.MARK_STYLE}</style>"
        f"</head><body><h1>{_html.escape(title)}</h1>"
        f"<p>{len(sheet)} units. Read each context and choose a code. Answers are kept in this "
        "browser as you go; when done, enter your name and download the CSV (works offline)."
        f"</p><ul>{legend}</ul>"
        "<p>Coder: <input id='fr-coder' size='16'> <button id='fr-export' type='button'>"
        "Download CSV</button> &nbsp; coded: <span id='fr-done'>0</span> of "
        f"{len(sheet)}</p>"
        "<table><thead><tr><th>unit</th><th>context</th><th>entry</th><th>code</th>"
        f"<th>note</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<script type='application/json' id='fr-data'>{_json_for_script(payload)}</script>"
        f"<script>{_SHEET_SCRIPT}</script></body></html>\n"
    )


def write_coding_sheet(
    sheet: pd.DataFrame, path: str | Path, *, codes: Mapping[str, str] | None = None
) -> Path:
    """Write a coding sheet as CSV (``.csv``) or as a self-contained HTML page (``.html``).

    Parameters
    ----------
    sheet : DataFrame
        From :func:`coding_sample`.
    path : str or path
        Ends in ``.csv`` or ``.html``/``.htm``.
    codes : mapping, optional
        Codes offered by the HTML sheet (see :func:`coding_sheet_html`).

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheet.to_csv(path, index=False)
    elif suffix in (".html", ".htm"):
        path.write_text(coding_sheet_html(sheet, codes=codes, name=path.stem), encoding="utf-8")
    else:
        raise FramingError(
            f"Coding sheet {str(path)!r}: use a .csv or .html file name (got {suffix or 'none'})."
        )
    return path


def read_coding_sheet(path: str | Path) -> pd.DataFrame:
    """Read a coding sheet (CSV, as written by :func:`write_coding_sheet` or downloaded from
    the HTML sheet).

    Returns
    -------
    pandas.DataFrame
        All columns as text (``code`` and ``note`` "" where empty).

    Raises
    ------
    FramingError
        The file is missing or has no ``unit_id`` or ``code`` column.
    """
    path = Path(path)
    if not path.is_file():
        raise FramingError(f"Coding sheet {str(path)!r} does not exist.")
    try:
        # utf-8-sig: spreadsheet programs often add a byte-order mark; some locales save ";"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if "unit_id" not in frame.columns and ";" in str(frame.columns[0]):
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=";"
            )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FramingError(f"Coding sheet {str(path)!r} is not a readable CSV file: {exc}") from exc
    missing = [c for c in ("unit_id", "code") if c not in frame.columns]
    if missing:
        raise FramingError(
            f"Coding sheet {str(path)!r} lacks the column(s) {', '.join(missing)}; use a sheet "
            "written by `framing code sample` (or coding_sample)."
        )
    frame.attrs["source"] = str(path)
    return frame


# ---- agreement ----------------------------------------------------------------------------


def _parse_code(value: Any) -> Any:
    if _missing(value):
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    low = text.lower()
    try:
        return float(text)
    except ValueError:
        pass
    if low in _YES:
        return 1.0
    if low in _NO:
        return 0.0
    return text


def _coder_sheets(coded: Any) -> list[tuple[str, pd.DataFrame]]:
    """(coder, sheet) pairs from a frame, a path, or a list/dict of them."""
    if isinstance(coded, (pd.DataFrame, str, Path)):
        coded = [coded]
    items = list(coded.items()) if isinstance(coded, Mapping) else [(None, c) for c in coded]
    if not items:
        raise FramingError("agreement needs at least one coded sheet.")
    out: list[tuple[str, pd.DataFrame]] = []
    for i, (name, item) in enumerate(items):
        sheet = read_coding_sheet(item) if isinstance(item, (str, Path)) else item
        if not isinstance(sheet, pd.DataFrame):
            raise FramingError(
                "agreement takes coding sheets: DataFrames or CSV paths (or a list or dict of "
                f"them). Got {type(item).__name__}."
            )
        missing = [c for c in ("unit_id", "code") if c not in sheet.columns]
        if missing:
            raise FramingError(
                f"Coding sheet {i + 1} lacks the column(s) {', '.join(missing)}; use a sheet "
                "from coding_sample."
            )
        if (
            name is None
            and "coder" in sheet.columns
            and (sheet["coder"].astype(str).str.strip() != "").any()
        ):
            for coder, part in sheet.groupby(sheet["coder"].astype(str).str.strip(), sort=True):
                out.append((coder or f"coder{len(out) + 1}", part))
            continue
        if name is None:
            source = sheet.attrs.get("source")
            name = Path(source).stem if source else f"coder{len(out) + 1}"
        out.append((str(name), sheet))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        out = [(f"{n}#{i + 1}", s) for i, (n, s) in enumerate(out)]
    return out


def agreement(
    coded: Any,
    *,
    level: str = "nominal",
    positive: Any = 1,
    values: Sequence[Any] | None = None,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Precision, recall and Krippendorff's alpha from one or several coded sheets.

    Parameters
    ----------
    coded : DataFrame, path, or list or dict of them
        Coding sheets from :func:`coding_sample` with the ``code`` column filled in: one per
        coder (a dict maps coder names to sheets; else the ``coder`` column, else the file
        stem names the coder), or one table with a ``coder`` column. Units are matched by
        ``unit_id``; an empty code means "not coded". Codes ``yes``/``no``, ``true``/``false``
        are read as 1/0, numbers as numbers.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement of the codes for alpha between the coders.
    positive : code or list of codes, default 1
        Code(s) meaning "an instance" (module docstring).
    values : sequence, optional
        Order of non-numeric codes for ``level="ordinal"`` (see :func:`krippendorff_alpha`).
    ci : float, default 0.95
        Coverage of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row for all units, then one per lexicon, category and term of the coded matches:
        ``by`` (``"all"``, ``"lexicon"``, ``"category"``, ``"term"``), ``feature``,
        ``n_units`` (rows of the sheet), ``n_coded`` (units coded by at least one coder),
        ``precision`` (share of the coded matches coded positive; with several coders each unit
        counts the share of its coders who coded it positive), ``ci_low``, ``ci_high`` (Wilson
        interval), ``recall`` (row ``all`` only, when sentences without a match were coded:
        estimated true positives / (true positives + misses), each stratum weighted by
        ``stratum_size`` over the units coded in it), ``alpha`` (Krippendorff's alpha between
        the coders, at ``level``; NaN with one coder), and for each coder
        ``alpha_dictionary_<coder>``: nominal alpha between the coder (codes made positive /
        not) and the dictionary (1 for a match, 0 for a sentence without one), given only where
        both kinds of unit were coded. ``attrs`` holds the coders and options.

    Raises
    ------
    FramingError
        No sheet, a sheet without ``unit_id``/``code``, a bad level, or codes that do not fit
        the level.
    """
    if level not in LEVELS:
        raise parameter_error("level", level, one_of(LEVELS))
    sheets = _coder_sheets(coded)
    coders = [name for name, _ in sheets]
    first = sheets[0][1]
    every = pd.concat([s for _, s in sheets], ignore_index=True)
    same = [c for c in ("doc_id", "start", "end") if c in every.columns]
    if same:
        variants = every[["unit_id", *same]].astype(str).drop_duplicates()
        clash = variants["unit_id"][variants["unit_id"].duplicated()]
        if len(clash):
            raise FramingError(
                f"The coding sheets disagree on unit {clash.iloc[0]!r} ({', '.join(same)} "
                "differ): they come from different samples. Give every coder the same sheet "
                "(same coding_sample seed and options)."
            )
    units = every.drop_duplicates("unit_id")
    units = units.set_index(units["unit_id"].astype(str))
    ids = units.index.tolist()
    matrix = np.full((len(sheets), len(ids)), np.nan, dtype=object)
    col = {u: i for i, u in enumerate(ids)}
    for r, (_, sheet) in enumerate(sheets):
        for unit, code in zip(sheet["unit_id"].astype(str), sheet["code"], strict=True):
            matrix[r, col[unit]] = _parse_code(code)
    positives = {
        _parse_code(p)
        for p in (positive if isinstance(positive, (list, tuple, set)) else [positive])
    }
    coded_mask = np.array([[not _missing(v) for v in row] for row in matrix], dtype=bool).reshape(
        matrix.shape
    )
    is_pos = np.array([[v in positives for v in row] for row in matrix], dtype=bool).reshape(
        matrix.shape
    )
    n_codes = coded_mask.sum(axis=0)
    if not n_codes.any():
        raise FramingError(
            f"None of the {len(ids)} units of the coding sheet(s) has a code; fill in the "
            "'code' column (or download the CSV from the HTML sheet) before computing "
            "agreement."
        )
    share = np.divide(is_pos.sum(axis=0), n_codes, out=np.full(len(ids), np.nan), where=n_codes > 0)
    kind = (
        units["kind"].astype(str).to_numpy()
        if "kind" in units.columns
        else np.full(len(ids), "match")
    )
    is_match = kind != "sentence"

    def row(by: str, feature: str, mask: np.ndarray) -> dict[str, Any]:
        coded_units = mask & (n_codes > 0)
        m_units = coded_units & is_match
        x, n = float(np.nansum(share[m_units])), int(m_units.sum())
        low, high = wilson_interval(x, n, ci=ci)
        out: dict[str, Any] = {
            "by": by,
            "feature": feature,
            "n_units": int(mask.sum()),
            "n_coded": int(coded_units.sum()),
            "precision": x / n if n else float("nan"),
            "ci_low": low,
            "ci_high": high,
            "recall": float("nan"),
            "alpha": (
                krippendorff_alpha(matrix[:, mask], level=level, values=values)
                if len(sheets) > 1
                else float("nan")
            ),
        }
        both = coded_units & is_match
        miss_units = coded_units & ~is_match
        if by == "all" and both.any() and miss_units.any():
            out["recall"] = _recall(units, share, both, miss_units)
        for r, name in enumerate(coders):
            value = float("nan")
            if both.any() and miss_units.any():
                own = mask & coded_mask[r]
                rater = np.where(is_pos[r], 1.0, 0.0)
                rater = np.where(own, rater, np.nan)
                value = krippendorff_alpha(
                    np.vstack([rater[mask], np.where(is_match, 1.0, 0.0)[mask]]), level="nominal"
                )
            out[f"alpha_dictionary_{name}"] = value
        return out

    rows = [row("all", "all", np.ones(len(ids), dtype=bool))]
    for by in ("lexicon", "category", "term"):
        if by not in units.columns:
            continue
        labels = units[by].astype(object).to_numpy()
        for feature in sorted(
            {str(v) for v, m in zip(labels, is_match, strict=True) if m and not _missing(v)}
        ):
            mask = is_match & np.array([not _missing(v) and str(v) == feature for v in labels])
            rows.append(row(by, feature, mask))
    out = pd.DataFrame(rows)
    out.attrs.update(
        coders=coders,
        level=level,
        positive=sorted(map(str, positives)),
        ci=ci,
        n_units=len(ids),
        sheet_columns=list(first.columns),
    )
    return out


def _recall(
    units: pd.DataFrame, share: np.ndarray, matched: np.ndarray, missed: np.ndarray
) -> float:
    """Estimated recall: weighted true positives / (true positives + misses)."""
    strata = (
        units["stratum"].astype(str).to_numpy()
        if "stratum" in units.columns
        else np.where(matched, "match", _NO_MATCH)
    )
    sizes = (
        pd.to_numeric(units["stratum_size"], errors="coerce").to_numpy()
        if "stratum_size" in units.columns
        else np.full(len(units), np.nan)
    )
    tp = fn = 0.0
    for stratum in np.unique(strata):
        for mask, target in ((matched, "tp"), (missed, "fn")):
            sel = mask & (strata == stratum)
            if not sel.any():
                continue
            size = np.nanmax(sizes[sel]) if np.isfinite(sizes[sel]).any() else sel.sum()
            estimate = float(np.nanmean(share[sel])) * float(size)
            if target == "tp":
                tp += estimate
            else:
                fn += estimate
    return tp / (tp + fn) if tp + fn > 0 else float("nan")
