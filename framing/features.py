"""Document features: one row per document, one column per feature, for regression work.

The per-document counterpart of :func:`framing.profile` (quanteda's ``dfm_lookup``, LIWC's
per-file output): :func:`document_features` turns the matches of a :class:`~framing.Scores`
into a wide table with the document metadata first, and :func:`write_features` writes it as
CSV, Parquet or Stata ``.dta``. Rates use the same exposure as :func:`framing.profile` (words
or sentences of the chosen voice; see :mod:`framing.aggregate`), so the mean of a group's
counts over its exposure equals the profile's rate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.aggregate import loaded_matches, voice_exposure
from framing.errors import FramingError, one_of, parameter_error

if TYPE_CHECKING:
    from pandas._typing import StataDateFormat

__all__ = ["document_features", "write_features"]

LEVELS = ("category", "concept", "term", "stance", "lexicon")
RATES = ("count", "per_1k_words", "per_100_sentences")
_RATE_ALIASES = {"per_1000_words": "per_1k_words"}
_SCALE = {"count": 1.0, "per_1k_words": 1000.0, "per_100_sentences": 100.0}
_STATA_BAD = re.compile(r"[^A-Za-z0-9_]+")


def document_features(
    scores: Any,
    *,
    level: str = "category",
    rate: str = "per_1k_words",
    voice: str = "author",
    modifiers: Mapping[str, Any] | Sequence[str] | None = None,
    lexicon: str | Sequence[str] | None = None,
    include_neutral: bool = True,
) -> pd.DataFrame:
    """One row per document, one column per feature (a document-feature matrix).

    Parameters
    ----------
    scores : Scores
        The result of :func:`framing.score` (or :meth:`framing.Scores.load`).
    level : {"category", "concept", "term", "stance", "lexicon"}, default "category"
        Matches column whose values are the features (matches without a value there are not
        counted, as in :func:`framing.profile`).
    rate : {"per_1k_words", "per_100_sentences", "count"}, default "per_1k_words"
        Matches per 1,000 words or per 100 sentences of the voice, or plain counts.
        ``"per_1000_words"`` is accepted for ``"per_1k_words"``.
    voice : {"author", "quote", "all"}, default "author"
        Which matches count; the exposure is the voice's words or sentences.
    modifiers : mapping or list of str, optional
        A mapping ``{column: value}`` keeps only matches with these modifier values (for
        example ``{"negated": False}``). A list of modifier columns (``["negated"]``) adds, for
        every feature, a column ``<feature>|<modifier>`` with the matches where the modifier
        is true. The columns must exist in the matches table.
    lexicon : str or list of str, optional
        Only matches of these lexicons (``"name"`` or ``"name@version"``).
    include_neutral : bool, default True
        Count neutral references (weight-0 matches) too, as a dictionary's document-feature
        matrix does; ``False`` keeps only loaded matches (weight above 0), as
        :func:`framing.profile` does by default.

    Returns
    -------
    pandas.DataFrame
        Every document in the order of the documents table (none dropped): the documents
        columns except ``text`` (``doc_id, outlet, date, title``, other metadata, ``n_words``
        ...), ``exposure`` (words or sentences of the voice), then one float column per
        feature, sorted by name (features seen in any voice, so a feature found only in
        quotes gets a column of zeros in an author table). A rate is NaN where the exposure
        is 0. ``attrs`` records level, rate, voice and the feature columns.

    Raises
    ------
    FramingError
        An unknown option or a modifier column the matches table lacks.

    Examples
    --------
    >>> feats = document_features(scores, level="category")              # doctest: +SKIP
    >>> write_features(feats, "features.dta")                             # doctest: +SKIP
    """
    func = "document_features"
    for table in ("documents", "sentences", "matches"):
        if not isinstance(getattr(scores, table, None), pd.DataFrame):
            raise FramingError(
                f"{func} expects a framing.Scores (the result of framing.score or Scores.load);"
                f" got {type(scores).__name__} without a '{table}' table."
            )
    rate = _RATE_ALIASES.get(rate, rate) if isinstance(rate, str) else rate
    for name, value, allowed in (
        ("level", level, LEVELS),
        ("rate", rate, RATES),
        ("voice", voice, ("author", "quote", "all")),
    ):
        if not isinstance(value, str) or value not in allowed:
            raise parameter_error(name, value, one_of(allowed))
    docs, sents, matches = scores.documents, scores.sentences, scores.matches
    if lexicon is not None:
        names = [lexicon] if isinstance(lexicon, str) else list(lexicon)
        wanted = {str(n).split("@")[0] for n in names} | {str(n) for n in names}
        matches = matches[matches["lexicon"].astype(str).isin(wanted)]
    matches = loaded_matches(matches, include_neutral)
    features = sorted(matches[level].dropna().astype(str).unique())
    split: list[str] = []
    if modifiers is not None:
        cols = (
            list(modifiers)
            if isinstance(modifiers, Mapping)
            else ([modifiers] if isinstance(modifiers, str) else list(modifiers))
        )
        missing = [c for c in cols if c not in matches.columns]
        if missing:
            raise parameter_error(
                "modifiers",
                missing[0],
                "a column of the matches table",
                hint=f"The table has {', '.join(map(str, matches.columns))}; re-score with a "
                "framing version that marks modifiers.",
            )
        if isinstance(modifiers, Mapping):
            for col, value in modifiers.items():
                matches = matches[matches[col] == value]
        else:
            split = cols
    if voice != "all":
        matches = matches[matches["voice"] == voice]
    matches = matches[matches[level].notna()]
    order = pd.Index(docs["doc_id"])
    mrow = order.get_indexer(matches["doc_id"])
    keep = mrow >= 0
    matches, mrow = matches[keep], mrow[keep]
    fcode = pd.Categorical(matches[level].astype(str), categories=features).codes
    n_docs, n_feat = len(docs), len(features)
    counts = np.zeros((n_docs, n_feat))
    np.add.at(counts, (mrow, fcode), 1.0)
    blocks = [counts]
    names = list(features)
    for col in split:
        flag = matches[col].fillna(False).astype(bool).to_numpy()
        extra = np.zeros((n_docs, n_feat))
        np.add.at(extra, (mrow[flag], fcode[flag]), 1.0)
        blocks.append(extra)
        names.extend(f"{f}|{col}" for f in features)
    matrix = np.hstack(blocks) if blocks else np.zeros((n_docs, 0))
    srow = order.get_indexer(sents["doc_id"])
    per_sent = voice_exposure(
        sents,
        voice=voice,
        rate="per_100_sentences" if rate == "per_100_sentences" else "per_1k_words",
    )
    ok = srow >= 0
    exposure = np.bincount(srow[ok], weights=per_sent[ok], minlength=n_docs)
    if rate != "count":
        with np.errstate(divide="ignore", invalid="ignore"):
            matrix = np.where(
                exposure[:, None] > 0,
                _SCALE[rate] * matrix / np.where(exposure > 0, exposure, 1)[:, None],
                np.nan,
            )
    meta = docs.drop(columns=[c for c in ("text",) if c in docs.columns]).reset_index(drop=True)
    taken = set(meta.columns) | {"exposure"}
    columns = [n if n not in taken else f"{n}_{level}" for n in names]
    body = pd.DataFrame(matrix, columns=columns)
    out: pd.DataFrame = pd.concat([meta, pd.DataFrame({"exposure": exposure}), body], axis=1)
    out.attrs.update(
        level=level,
        rate=rate,
        voice=voice,
        features=columns,
        modifiers=modifiers if not isinstance(modifiers, Mapping) else dict(modifiers),
    )
    return out


def _stata_names(columns: Sequence[str]) -> dict[str, str]:
    """Valid, unique Stata variable names (letters, digits, _; at most 32 characters)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for col in columns:
        base = _STATA_BAD.sub("_", str(col)).strip("_") or "v"
        if not (base[0].isalpha() or base[0] == "_"):
            base = "v_" + base
        base = base[:32]
        name, i = base, 1
        while name.lower() in used:
            suffix = f"_{i}"
            name = base[: 32 - len(suffix)] + suffix
            i += 1
        used.add(name.lower())
        out[str(col)] = name
    return out


def write_features(features: pd.DataFrame, path: str | Path) -> Path:
    """Write a :func:`document_features` table as CSV, Parquet or Stata ``.dta``.

    Parameters
    ----------
    features : DataFrame
        The table.
    path : str or path
        Ends in ``.csv``, ``.parquet`` or ``.dta``. For Stata, column names are made valid
        variable names (``economy/taxes`` -> ``economy_taxes``, at most 32 characters) and the
        original names kept as variable labels; text columns are written as strings ("" for
        missing) and ``date`` as a Stata date.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FramingError
        Another suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        features.to_csv(path, index=False)
    elif suffix == ".parquet":
        features.to_parquet(path, index=False)
    elif suffix == ".dta":
        names = _stata_names(list(features.columns))
        frame = features.rename(columns=names).copy()
        dates: dict[str, StataDateFormat] = {}  # Stata date format of each datetime column
        for col in names.values():
            series = frame[col]
            if pd.api.types.is_datetime64_any_dtype(series):
                if getattr(series.dt, "tz", None) is not None:
                    series = series.dt.tz_convert("UTC").dt.tz_localize(None)
                frame[col] = series.astype("datetime64[ns]")
                dates[col] = "td"
            elif pd.api.types.is_bool_dtype(series):
                frame[col] = series.astype("int8")
            elif pd.api.types.is_numeric_dtype(series):
                frame[col] = series.astype("float64") if series.isna().any() else series
            else:
                frame[col] = series.astype(object).where(series.notna(), "").map(str).astype(object)
        labels = {col: str(orig)[:80] for orig, col in names.items() if orig != col}
        frame.to_stata(
            path, write_index=False, convert_dates=dates, variable_labels=labels, version=118
        )
    else:
        raise FramingError(
            f"Cannot write features to {str(path)!r}: use a .csv, .parquet or .dta file name."
        )
    return path
