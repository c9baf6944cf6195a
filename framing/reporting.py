"""Comparative framing reports: one self-contained HTML file, or Markdown plus figures.

:func:`report` is a thin layer over the public API: it calls :func:`framing.profile`,
:func:`framing.term_choice`, :func:`framing.slant`, :func:`framing.keyness` and the plotting
functions, and lays out what they return. The HTML file needs nothing else to be read: CSS is
inline and figures are embedded as PNG data, so it can be mailed, archived or opened offline.
Every piece of corpus text, outlet name and title is HTML-escaped.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import warnings
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from framing._html import escape, highlight
from framing.aggregate import MIN_DOCS, contrasting_concepts, neutral_categories
from framing.errors import FramingError, one_of, parameter_error
from framing.scoring import MATCH_COLUMNS

__all__ = ["report", "report_format"]

log = logging.getLogger("framing")

FORMATS = ("html", "md")

METHODS = """\
<p><b>What is counted.</b> Every sentence is matched against curated lexicons of loaded terms
and of the neutral alternatives for the same referents. A match records the term as written,
the lexicon entry it belongs to (category, concept, stance, weight) and whether it occurs in
the outlet's own voice or inside quoted speech (and who is quoted). Scare quotes (a short
phrase in quotation marks with no one quoted) count as the outlet's own voice. Unless the report
says otherwise, only <b>adopted</b> uses count: a term that is negated ("there was no
massacre") or distanced ("the so-called ...", "what the army called a ...", a scare quote) is
counted apart, in the section "Adopted vs distanced vs quoted". Rates are matches per 1,000
words of the chosen voice; term-choice shares are the share of each alternative among all
mentions of a concept.</p>
<p><b>Uncertainty.</b> 95% confidence intervals are expanded percentile bootstrap intervals
(Hesterberg 2015: percentile intervals widened for small samples) that resample whole documents
within each outlet (sentences of one article are not independent), with a fixed seed so the
report is reproducible. Groups with fewer than {min_docs} documents get no interval (shown as a
value without brackets): with so few documents there is too little variation to resample.
Where every resample gives the same value (a count of zero, a share of 100% from one article)
no interval is shown either. Groups with few mentions get wide intervals, and slant is left
blank (not zero) when there are too few stance-coded mentions.</p>
<p><b>What a lexicon count can show.</b> Differences in word choice between outlets covering
comparable events, which terms an outlet adopts in its own voice and which it only quotes, and
how that changes over time.</p>
<p><b>What it cannot show.</b> Intent, truth or accuracy; framing carried by selection of
facts, sources, images or story placement; irony, negation and distancing beyond the rules
of the modifiers (negation within a clause, so-called / self-styled / "what X calls", scare
quotes), speakers the attribution rules miss, or terms the lexicon does not list. Rates depend on topic mix: an outlet that covers a war more often uses
more war vocabulary. Compare outlets on comparable coverage, read the example sentences, and
treat the figures as a map of where to read closely, not as a verdict.</p>
"""

CSS = """\
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem}
h1{font-size:1.9rem;margin:.2rem 0 .3rem}h2{margin-top:2.4rem;border-bottom:2px solid #e3e3e3;
padding-bottom:.2rem}h3{margin-top:1.4rem}
.sub{color:#555;margin-top:0}
table{border-collapse:collapse;font-size:.86rem;margin:.6rem 0 1rem;display:block;
overflow-x:auto;max-width:100%}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;white-space:nowrap}
th{background:#f3f4f6}td:first-child,th:first-child{text-align:left}
.kpis{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.kpi{background:#f6f7f9;border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.kpi b{display:block;font-size:1.4rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.85rem}
mark{background:#ffe08a;padding:0 .1em;border-radius:2px}
mark.quote{background:#bfe3ff}
.sent{margin:.35rem 0;padding:.35rem .6rem;border-left:3px solid #ccc;background:#fafafa}
.meta{color:#666;font-size:.8rem}
.note{background:#fff7e0;border-left:4px solid #e6a700;padding:.5rem .8rem}
nav ul{columns:2;font-size:.9rem}
"""


@dataclass
class _Section:
    """One section of the report, rendered to HTML and Markdown from the same content."""

    anchor: str
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)  # (kind, payload)

    def text(self, value: str) -> None:
        self.blocks.append(("text", value))

    def html(self, value: str) -> None:
        self.blocks.append(("html", value))

    def table(self, frame: pd.DataFrame, caption: str = "") -> None:
        self.blocks.append(("table", (frame, caption)))

    def figure(self, fig: Any, name: str, caption: str) -> None:
        self.blocks.append(("figure", (fig, name, caption)))


def report(
    scores: Any,
    *,
    by: str = "outlet",
    path: str | os.PathLike = "report.html",
    format: str | None = None,
    title: str | None = None,
    model: Any = None,
    n_boot: int = 1000,
    seed: int = 0,
    max_groups: int = 40,
    modifiers: str = "adopted",
) -> Path:
    """Write a comparative framing report of ``scores`` grouped by ``by``.

    Parameters
    ----------
    scores : Scores or path
        The result of :func:`framing.score` (or :meth:`framing.Scores.load`), or the path of a
        scores directory: then only the columns the report uses are read (no document or
        sentence texts), and the texts of the example sentences are read for those rows only.
    by : str, default "outlet"
        Column of the documents table to compare.
    path : path, default "report.html"
        Where to write. For Markdown, ``report.md`` is written there and the figures go to a
        ``<stem>_figures/`` folder beside it.
    format : {"html", "md"}, optional
        Output format; default from the suffix of ``path`` (``.md``/``.markdown`` ->
        Markdown, ``.html``/``.htm`` -> HTML; any other suffix is an error).
    title : str, optional
        Report title (default: "Framing report: <n> outlets", or "<shown> of <n> outlets"
        when more than ``max_groups`` exist).
    model : fitted classifier or path, optional
        A classifier as :func:`framing.score` accepts it (e.g. a fitted
        :class:`framing.FramingClassifier`, or the path of a model saved with
        :func:`framing.classify.save_model`). When the sentences table has no ``p_<label>``
        columns yet, the model is applied to every sentence (as ``score(docs, model=...)``
        does) and the report gets a Classifier section; ``scores`` itself is not changed.
        Probabilities already present are summarised as they are and ``model`` is not applied.
    n_boot : int, default 1000
        Bootstrap resamples for every confidence interval.
    seed : int, default 0
        Seed of the bootstraps: the same inputs and options give the same file, byte for byte.
    max_groups : int, default 40
        Largest number of groups shown in tables and figures (the groups with most documents).
    modifiers : {"adopted", "all"}, default "adopted"
        What the profile, term choice, slant and keyness sections count: only uses that are
        neither negated nor distanced (default), or every match (see
        :func:`framing.profile`). The section "Adopted vs distanced vs quoted" shows the split
        either way.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FramingError
        Unknown ``format`` or file suffix, or ``by`` not a column of the documents table.
    ModelError
        ``model`` is not a fitted classifier, or its saved file cannot be loaded.
    """
    path = Path(path)
    format = report_format(path, format)
    if modifiers not in ("adopted", "all"):
        raise parameter_error("modifiers", modifiers, one_of(("adopted", "all")))
    source = None
    if isinstance(scores, (str, os.PathLike)):
        source = Path(scores)
        scores = _load_for_report(source, by=by, model=model)
    docs = scores.documents
    if by not in docs.columns:
        raise parameter_error(
            "by",
            by,
            "a column of the documents table",
            hint=f"Columns: {', '.join(map(str, docs.columns))}.",
        )
    sections = _build(
        scores,
        by=by,
        n_boot=n_boot,
        seed=seed,
        max_groups=max_groups,
        model=model,
        source=source,
        modifiers=modifiers,
    )
    n_groups = docs[by].nunique()
    shown = f"{max_groups} of {n_groups}" if n_groups > max_groups else f"{n_groups}"
    title = title or f"Framing report: {shown} {by}{'s' if n_groups != 1 else ''}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "html":
        text = _render_html(sections, title=title)
        _atomic_write(path, text)
    else:
        figdir = path.with_name(f"{path.stem}_figures")
        text = _render_md(sections, title=title, figdir=figdir)
        _atomic_write(path, text)
    return path


def report_format(path: str | os.PathLike, format: str | None = None) -> str:
    """The format of a report written to ``path``: ``"html"`` or ``"md"``.

    Parameters
    ----------
    path : path
        The file to write.
    format : {"html", "md"}, optional
        Explicit format; default from the suffix (``.html``/``.htm`` or ``.md``/``.markdown``).

    Returns
    -------
    str

    Raises
    ------
    FramingError
        An unknown ``format``, or no ``format`` and a suffix that is neither HTML nor Markdown
        (``report.docx`` would otherwise get HTML under a Word name).
    """
    if format is not None:
        if format not in FORMATS:
            raise parameter_error("format", format, one_of(FORMATS))
        return format
    suffix = Path(path).suffix.lower()
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix in (".html", ".htm"):
        return "html"
    raise FramingError(
        f"cannot write a report to {str(path)!r}: the suffix {suffix or '(none)'!r} is not a "
        "report format; use .html (self-contained page) or .md (Markdown with figures beside "
        "it)."
    )


# ---- reading a scores directory ----------------------------------------------------------------

_SENTENCE_COLUMNS = [
    "doc_id",
    "sent_id",
    "start",
    "n_words",
    "quote_share",
    "n_matches",
    "score",
    "p_*",
]
#: the matches table without ``surface`` (the report shows terms, not the text as written)
_MATCH_COLUMNS = [c for c in MATCH_COLUMNS if c != "surface"]


_EXAMPLES_PER_GROUP = 3


def _load_for_report(source: Path, *, by: str, model: Any) -> Any:
    """The tables of the scores directory ``source`` with only the columns the report uses.

    Document texts are reduced, part file by part file, to a ``has_text`` flag. Unless there
    are classifier probabilities to summarise (``p_<label>`` columns, or ``model``), the
    sentences are reduced part file by part file too: per document, one row holding its
    own-voice words and one its quoted words (the exposures of every rate per 1,000 words),
    plus the candidates for the example sentences (the top sentences of each group within the
    part). Sentence texts are read only when ``model`` has to be applied to them; the example
    sentences read their own rows (:func:`_sentence_texts`).
    """
    from framing.scoring import Scores

    doc_columns = ["doc_id", "outlet", "date", "n_sentences", "n_words", "n_matches", by]
    docs = pd.concat(
        [
            part.assign(has_text=part.pop("text").str.strip().str.len().gt(0))
            for part in Scores.iter_parts(source, "documents", [*doc_columns, "text"])
        ]
        or [pd.DataFrame(columns=[*dict.fromkeys(doc_columns), "has_text"])]
    ).reset_index(drop=True)
    reduce = model is None
    if reduce:
        first = next(Scores.iter_parts(source, "sentences", ["p_*"]), pd.DataFrame())
        reduce = not any(str(c).startswith("p_") for c in first.columns)
    sent_columns = _SENTENCE_COLUMNS + (["text"] if model is not None else [])
    scores = Scores.load(
        source,
        columns={
            "documents": ["doc_id"],
            "sentences": [] if reduce else sent_columns,
            "matches": _MATCH_COLUMNS,
        },
    )
    sents = scores.sentences
    if reduce:
        groups = docs[["doc_id", by]]
        parts = [
            _reduce_sentences(part, groups, by)
            for part in Scores.iter_parts(source, "sentences", _SENTENCE_COLUMNS)
        ]
        sents = (
            pd.concat(parts).reset_index(drop=True)
            if parts
            else pd.DataFrame(columns=[c for c in _SENTENCE_COLUMNS if c != "p_*"])
        )
    return replace(scores, documents=docs, sentences=sents)


def _reduce_sentences(part: pd.DataFrame, groups: pd.DataFrame, by: str) -> pd.DataFrame:
    """One part of the sentences table reduced to what the report uses (see
    :func:`_load_for_report`): exposure rows (``sent_id`` -1, no matches) and the part's top
    sentences of each group (with ``n_words`` 0, so they add no exposure)."""
    share = part["quote_share"].fillna(0.0).to_numpy(dtype=float)
    words = part["n_words"].to_numpy(dtype=float)
    own = pd.Series(words * (1 - share)).groupby(part["doc_id"].to_numpy(), sort=False).sum()
    quoted = pd.Series(words * share).groupby(part["doc_id"].to_numpy(), sort=False).sum()
    exposure = pd.concat(
        [
            pd.DataFrame({"doc_id": own.index, "n_words": own.to_numpy(), "quote_share": 0.0}),
            pd.DataFrame(
                {"doc_id": quoted.index, "n_words": quoted.to_numpy(), "quote_share": 1.0}
            ),
        ]
    )
    exposure = exposure.assign(sent_id=-1, start=0, n_matches=0, score=0.0)
    top = _top_sentences(groups, part, by, _EXAMPLES_PER_GROUP).drop(columns=[by])
    top = top.assign(n_words=0.0, quote_share=0.0)
    out = pd.concat([exposure, top], ignore_index=True)[list(part.columns)]
    out["doc_id"] = out["doc_id"].astype(part["doc_id"].dtype)
    return out


def _n_sentences(docs: pd.DataFrame, sents: pd.DataFrame) -> int:
    """Number of sentences (from the documents when read from a scores directory, whose
    sentences table the report reduces)."""
    if "has_text" in docs.columns:
        return int(docs["n_sentences"].sum())
    return len(sents)


def _no_text(docs: pd.DataFrame) -> int:
    """Number of documents without text (from ``text``, or ``has_text`` when loaded from a
    scores directory)."""
    if "text" in docs.columns:
        return int((docs["text"].fillna("").str.strip() == "").sum())
    if "has_text" in docs.columns:
        return int((~docs["has_text"].astype(bool)).sum())
    return 0


def _sentence_texts(source: Path, top: pd.DataFrame) -> pd.Series:
    """The texts of the sentences ``top`` (``doc_id``, ``sent_id``) read from the scores
    directory part by part, keeping only those rows; aligned with ``top``."""
    from framing.scoring import Scores

    wanted = set(zip(top["doc_id"].astype(str), top["sent_id"].astype(int), strict=True))
    doc_ids = {d for d, _ in wanted}
    found: dict[tuple[str, int], str] = {}
    for part in Scores.iter_parts(source, "sentences", ["doc_id", "sent_id", "text"]):
        rows = part[part["doc_id"].isin(doc_ids)]
        for d, k, t in zip(rows["doc_id"], rows["sent_id"], rows["text"], strict=True):
            if (d, int(k)) in wanted:
                found[(d, int(k))] = t
    return pd.Series(
        [
            found.get((str(d), int(k)), "")
            for d, k in zip(top["doc_id"], top["sent_id"], strict=True)
        ],
        index=top.index,
        dtype=object,
    )


# ---- building the content ---------------------------------------------------------------------


def _with_model(scores: Any, model: Any) -> Any:
    """``scores`` with ``p_<label>`` sentence columns from ``model`` when it has none yet."""
    if model is None:
        return scores
    sents = scores.sentences
    if any(str(c).startswith("p_") for c in sents.columns):
        log.info(
            "report(model=...): the sentences already have p_<label> columns; "
            "the model is not applied again"
        )
        return scores
    from framing.scoring import model_columns  # the same code path as score(docs, model=)

    columns = model_columns(
        model, sents["text"].astype(object).fillna("").map(str).tolist(), sents["doc_id"]
    )
    meta = dict(getattr(scores, "meta", {}) or {})
    if not meta.get("model"):
        meta["model"] = (
            Path(model).name if isinstance(model, (str, os.PathLike)) else type(model).__name__
        )
    return replace(scores, sentences=sents.assign(**columns), meta=meta)


@dataclass
class _Options:
    """What every section of one report is computed with."""

    by: str
    n_boot: int
    seed: int
    modifiers: str
    source: Path | None = None


def _build(
    scores: Any,
    *,
    by: str,
    n_boot: int,
    seed: int,
    max_groups: int,
    model: Any = None,
    source: Path | None = None,
    modifiers: str = "adopted",
) -> list[_Section]:
    """The sections of the report, in order (one function per section)."""
    docs = scores.documents
    top_groups = (
        docs[by].astype(str).value_counts().sort_index().sort_values(ascending=False, kind="stable")
    )
    left_out = max(0, len(top_groups) - max_groups)
    if left_out:
        scores = _subset(scores, by, top_groups.index[:max_groups])
    scores = _with_model(scores, model)  # after the subset: only the sentences reported on
    opt = _Options(by=by, n_boot=n_boot, seed=seed, modifiers=modifiers, source=source)
    docs = scores.documents
    dates = pd.to_datetime(docs["date"], errors="coerce") if "date" in docs else pd.Series([])
    out = [
        _summary_section(scores, opt, dates, max_groups=max_groups, left_out=left_out),
        _lexicons_section(scores, opt),
    ]
    if not len(scores.matches):
        sec = _Section("profile", "Framing profile")
        sec.text("No lexicon term matched any sentence: nothing to compare.")
        return [*out, sec, _methods()]
    prof, sec = _profile_section(scores, opt)
    out.append(sec)
    out += [s for s in (_term_choice_section(scores, opt),) if s is not None]
    out += _slant_sections(scores, opt)
    out += [
        s
        for s in (_keyness_section(scores, opt, prof), _timeline_section(scores, opt, dates))
        if s is not None
    ]
    out += [
        _voice_section(scores, opt),
        _modifiers_section(scores, by),
        _examples_section(scores, opt),
    ]
    out += [s for s in (_classifier_section(scores, opt),) if s is not None]
    out.append(_methods())
    return out


def _summary_section(
    scores: Any, opt: _Options, dates: pd.Series, *, max_groups: int, left_out: int
) -> _Section:
    """Corpus: key figures, what was left out, documents and loaded matches per group."""
    by = opt.by
    docs, sents, matches = scores.documents, scores.sentences, scores.matches
    sec = _Section("summary", "Corpus")
    n_docs = len(docs)
    no_text = _no_text(docs)
    no_sent = int((docs.get("n_sentences", pd.Series(1, index=docs.index)) == 0).sum())
    date_range = (
        f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if dates.notna().any() else "no dates"
    )
    kpis = [
        ("documents", f"{n_docs:,}"),
        ("sentences", f"{_n_sentences(docs, sents):,}"),
        (f"{by}s", f"{docs[by].nunique():,}"),
        ("matches", f"{len(matches):,}"),
        ("dates", date_range),
    ]
    sec.html(
        '<div class="kpis">'
        + "".join(f'<div class="kpi"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in kpis)
        + "</div>"
    )
    sec.text(
        f"{n_docs:,} documents from {docs[by].nunique():,} {by}s ({date_range}); "
        f"{_n_sentences(docs, sents):,} sentences and {len(matches):,} lexicon matches."
    )
    skipped = []
    at_scoring = _skipped_at_scoring(getattr(scores, "skipped", None))
    if at_scoring:
        skipped.append(at_scoring)
    if no_text:
        skipped.append(f"{no_text:,} documents have no text (kept in the tables, no sentences)")
    nat = int(dates.isna().sum()) if len(dates) else 0
    if nat:
        skipped.append(f"{nat:,} documents have no usable date (left out of the timeline only)")
    if left_out:
        skipped.append(
            f"only the {max_groups} {by}s with most documents are shown "
            f"({left_out} smaller ones left out of this report)"
        )
    sec.text(
        "Documents left out or incomplete: " + ("; ".join(skipped) if skipped else "none") + "."
    )
    if no_sent > no_text:
        sec.text(f"{no_sent - no_text:,} documents with text produced no sentence.")
    # loaded matches only: weight-0 matches (neutral references, plain reporting verbs) would
    # make a wire service that names things plainly look as loaded as a partisan outlet
    loaded_ids = matches.loc[matches["weight"].to_numpy(dtype=float) > 0, "doc_id"]
    loaded_n = loaded_ids.value_counts().reindex(docs["doc_id"]).fillna(0).to_numpy()
    per_group = (
        docs.assign(_loaded=loaded_n)
        .groupby(docs[by].astype(str), sort=True)
        .agg(
            documents=("doc_id", "size"),
            words=("n_words", "sum"),
            matches=("n_matches", "sum"),
            loaded=("_loaded", "sum"),
        )
        .sort_values("documents", ascending=False, kind="stable")
    )
    per_group["loaded"] = per_group["loaded"].astype("int64")
    per_group["loaded per 1k words"] = (
        1000 * per_group["loaded"] / per_group["words"].where(per_group["words"] > 0)
    ).round(2)
    sec.table(per_group.reset_index(), f"Documents per {by}")
    return sec


def _lexicons_section(scores: Any, opt: _Options) -> _Section:
    """Lexicons: which were used, matches per lexicon, the framing version and bootstrap."""
    import framing as fr

    matches = scores.matches
    sec = _Section("lexicons", "Lexicons")
    lex_names = list(getattr(scores, "lexicons", ()) or [])
    meta = getattr(scores, "meta", {}) or {}
    if lex_names:
        sec.text("Lexicons used: " + ", ".join(lex_names) + ".")
    if len(matches):
        by_lex = (
            matches.groupby("lexicon", sort=True)
            .agg(matches=("term", "size"), terms=("term", "nunique"))
            .reset_index()
        )
        sec.table(by_lex, "Matches per lexicon")
    version = meta.get("framing_version") or getattr(fr, "__version__", "")
    sec.text(f"Scored with framing {version}; bootstrap resamples: {opt.n_boot}, seed {opt.seed}.")
    return sec


def _profile_section(scores: Any, opt: _Options) -> tuple[pd.DataFrame, _Section]:
    """Framing profile: loaded categories per 1,000 own-voice words (the profile is returned
    too: keyness compares the two groups it finds furthest apart)."""
    import framing as fr

    by = opt.by
    sec = _Section("profile", "Framing profile")
    prof = fr.profile(
        scores,
        by=by,
        level="category",
        voice="author",
        n_boot=opt.n_boot,
        seed=opt.seed,
        modifiers=opt.modifiers,
    )
    neutral = neutral_categories(scores.matches)
    if prof["feature"].isin(neutral).any() and not prof["feature"].isin(neutral).all():
        # neutral references are the baseline, not framing; on one colour scale they drown
        # out every loaded category
        prof = prof[~prof["feature"].isin(neutral)]
    sec.text(
        f"Loaded-language categories per 1,000 words of each {by}'s own voice (quotes "
        "excluded), with 95% bootstrap intervals."
        + (
            f" Categories of neutral terms only ({', '.join(neutral)}) are left out."
            if neutral
            else ""
        )
    )
    sec.figure(
        fr.plot_profile(prof, title="Framing profile (author voice)"),
        "profile",
        f"Rate per 1,000 words by category and {by}.",
    )
    sec.table(
        _ci_table(prof, by, "feature", "rate"), "Rate per 1,000 words [95% CI]. " + _ci_note()
    )
    return prof, sec


def _term_choice_section(scores: Any, opt: _Options) -> _Section | None:
    """Term choice on the concepts the groups differ most on; None when no concept has enough
    mentions to compare."""
    import framing as fr

    by = opt.by
    if not _has_concepts(scores.matches):
        return None
    tc = fr.term_choice(scores, by=by, n_boot=opt.n_boot, seed=opt.seed, modifiers=opt.modifiers)
    concepts = contrasting_concepts(tc, k=6) if len(tc) else []
    if not concepts:
        return None
    sec = _Section("term-choice", "Term choice")
    tc_top = tc[tc["concept"].isin(concepts)]
    sec.text(
        "For each concept, the share of each alternative among all mentions by an "
        f"{by}: the concepts on which {by}s differ most."
    )
    sec.figure(
        fr.plot_term_choice(tc_top, title="Term choice"),
        "term_choice",
        "Share of each alternative among mentions of the concept.",
    )
    sec.table(
        _share_table(tc_top, by),
        "Share of mentions, % [95% CI]. "
        + _ci_note().replace("(n docs)", "mentioning the concept"),
    )
    return sec


def _slant_sections(scores: Any, opt: _Options) -> list[_Section]:
    """One slant section per lexicon with two poles and some stance-coded mentions."""
    import framing as fr

    by = opt.by
    out = []
    for lex_name, poles in _slant_poles(scores):
        sl = fr.slant(
            scores,
            by=by,
            lexicon=lex_name,
            poles=poles,
            n_boot=opt.n_boot,
            seed=opt.seed,
            modifiers=opt.modifiers,
        )
        if not len(sl) or sl["slant"].notna().sum() == 0:
            continue
        sec = _Section(_anchor("slant", lex_name), f"Slant: {lex_name}")
        sec.text(
            f"Term-choice slant from -1 ({poles[0]}) to +1 ({poles[1]}), each concept weighted "
            "equally; blank where too few stance-coded mentions."
        )
        sec.figure(
            fr.plot_slant(sl, title=f"Slant ({poles[0]} \u2194 {poles[1]})"),
            _anchor("slant", lex_name).replace("-", "_", 1),
            f"Slant per {by} with 95% CI.",
        )
        sec.table(
            _ci_table(sl.assign(feature="slant"), by, "feature", "slant"),
            "Slant [95% CI]. " + _ci_note(),
        )
        out.append(sec)
    return out


def _keyness_section(scores: Any, opt: _Options, prof: pd.DataFrame) -> _Section | None:
    """Keyness of the two groups whose profiles differ most; None with fewer than two groups
    of two documents."""
    import framing as fr

    by = opt.by
    pair = _most_different(prof, by)
    if pair is None:
        return None
    if not pair:
        sec = _Section("keyness", "Keyness")
        sec.text(
            f"Skipped: every {by} has the same framing profile (syndicated copy?), so no "
            "two groups differ to compare."
        )
        return sec
    a, b = pair
    key = fr.keyness(scores, by=by, a=a, b=b, level="term", modifiers=opt.modifiers)
    sec = _Section("keyness", f"Keyness: {a} vs {b}")
    sec.text(
        f"Terms used distinctively by {a} (positive) and by {b} (negative): log-odds "
        "ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)."
    )
    sec.figure(fr.plot_keyness(key, title=f"{a} vs {b}"), "keyness", "Top terms each side.")
    sec.table(
        _keyness_table(key),
        "Most distinctive terms: matches of each term, and per 1,000 lexicon matches of each side.",
    )
    return sec


def _timeline_section(scores: Any, opt: _Options, dates: pd.Series) -> _Section | None:
    """Rates over time; None unless the dates span two months."""
    import framing as fr

    by = opt.by
    if not (dates.notna().sum() >= 2 and dates.dt.to_period("M").nunique() >= 2):
        return None
    sec = _Section("timeline", "Over time")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tl = fr.profile(
            scores,
            by=[by],
            period="auto",
            level="lexicon",
            voice="author",
            n_boot=opt.n_boot,
            seed=opt.seed,
        )
    step = {"M": "month", "Q": "quarter", "Y": "year"}.get(tl.attrs.get("period", ""), "period")
    sec.text(
        f"Rate of lexicon matches per 1,000 words, per {by} and {step} (the {step} is "
        "chosen from the span of the dates and the number of documents per "
        f"{by}). A {step} with fewer than {MIN_DOCS} documents of an {by} is a gap, not a "
        "zero" + ("; shaded bands are 95% intervals." if tl[by].nunique() <= 8 else ".")
    )
    sec.figure(
        fr.plot_timeline(tl, title=f"Matches per 1,000 words by {step}"),
        "timeline",
        f"Rates per {step} on a time axis; documents without a date are "
        f"left out, {step}s with fewer than {MIN_DOCS} documents are gaps.",
    )
    return sec


def _voice_section(scores: Any, opt: _Options) -> _Section:
    """Own voice vs quoted speech: rates per lexicon in each voice."""
    import framing as fr

    by = opt.by
    sec = _Section("voice", "Own voice vs quoted speech")
    both = []
    for voice in ("author", "quote"):
        p = fr.profile(
            scores, by=by, level="lexicon", voice=voice, n_boot=opt.n_boot, seed=opt.seed
        )
        both.append(p.assign(voice=voice))
    vq = pd.concat(both, ignore_index=True)
    wide = vq.pivot_table(index=[by, "feature"], columns="voice", values="rate", aggfunc="first")
    wide = wide.reindex(columns=["author", "quote"]).round(2).reset_index()
    wide.columns = [by, "lexicon", "own voice (per 1k words)", "quoted (per 1k words)"]
    sec.text(
        f"Rates in each {by}'s own sentences and inside the quotes it reports. A term that "
        "appears only in quotes is reported, not adopted."
    )
    sec.table(wide, "Rates by voice")
    return sec


def _examples_section(scores: Any, opt: _Options) -> _Section:
    """The highest-scoring sentences of each group, matches highlighted."""
    by = opt.by
    docs, sents, matches = scores.documents, scores.sentences, scores.matches
    sec = _Section("examples", "Example sentences")
    sec.text(
        f"The highest-scoring sentences of each {by}; matched terms are highlighted "
        "(yellow: own voice, blue: inside a quote)."
    )
    sec.html(
        _examples_html(
            docs, sents, matches, by=by, per_group=_EXAMPLES_PER_GROUP, source=opt.source
        )
    )
    sec.blocks.append(
        (
            "md",
            _examples_md(
                docs, sents, matches, by=by, per_group=_EXAMPLES_PER_GROUP, source=opt.source
            ),
        )
    )
    return sec


def _classifier_section(scores: Any, opt: _Options) -> _Section | None:
    """Mean classifier probability per group; None without ``p_<label>`` columns."""
    by = opt.by
    docs, sents = scores.documents, scores.sentences
    pcols = [c for c in sents.columns if str(c).startswith("p_")]
    if not pcols:
        return None
    sec = _Section("classifier", "Classifier")
    merged = sents[["doc_id", *pcols]].merge(docs[["doc_id", by]], on="doc_id")
    tab = merged.groupby(by, sort=True)[pcols].mean().round(3).reset_index()
    model_name = (getattr(scores, "meta", {}) or {}).get("model")
    sec.text(
        "Mean predicted probability per sentence, by label"
        + (f" (model: {model_name})." if model_name else ".")
    )
    sec.table(tab, "Mean probability per sentence")
    return sec


#: short kinds of the skip codes of framing.store.SKIP_CODES ("unknown": read the reason)
_CODE_KINDS = {
    "missing_text": "missing text",
    "not_a_string": "text not a string",
    "invalid_unicode": "invalid Unicode",
    "scoring_failed": "scoring failed",
    "worker_died": "worker died",
}


def _reason_kind(reason: str) -> str:
    """A short kind for a ``skipped.csv`` reason (reasons name files, lines and offsets)."""
    text = re.sub(r"^.+?:\d+: ", "", str(reason).strip())  # "path:line: " prefix of readers
    low = text.lower()
    error = re.match(r"^([A-Za-z_][\w.]*(?:Error|Exception)): ", text)
    if error:
        return f"scoring failed ({error.group(1)})"
    if low.startswith("no text"):
        return "missing text"
    if "not a string" in low:
        return "text not a string"
    if "unicode" in low or "utf-8" in low:
        return "invalid Unicode"
    kind = text.split(" (")[0].rstrip(".")
    return (kind[:57] + "...") if len(kind) > 60 else (kind or "no reason given")


def _skipped_at_scoring(skipped: pd.DataFrame | None) -> str:
    """'3 documents skipped at scoring: 2 missing text, 1 invalid Unicode (...)' or ''."""
    if skipped is None or not len(skipped):
        return ""
    codes = skipped["code"] if "code" in skipped.columns else pd.Series("unknown", skipped.index)
    # the code says what happened; only files written before codes existed are read by reason
    kinds = pd.Series(
        [
            _CODE_KINDS.get(c) or _reason_kind(r)
            for c, r in zip(codes, skipped["reason"], strict=True)
        ]
    ).value_counts()
    kinds = kinds.sort_index().sort_values(ascending=False, kind="stable")
    n = len(skipped)
    return (
        f"{n:,} document{'s' if n != 1 else ''} skipped at scoring: "
        + ", ".join(f"{c:,} {k}" for k, c in kinds.items())
        + " (in no table; doc ids and full reasons in skipped.csv)"
    )


def _methods() -> _Section:
    sec = _Section("methods", "Methods and caveats")
    text = METHODS.replace("{min_docs}", str(MIN_DOCS))
    sec.html(text)
    sec.blocks.append(("md", _html_to_md(text)))
    return sec


def _html_to_md(text: str) -> str:
    text = re.sub(r"</?b>", "**", text)
    text = re.sub(r"<p>|</p>", "", text)
    return unescape(text)


def _subset(scores: Any, by: str, keep: Any) -> Any:
    docs = scores.documents[scores.documents[by].astype(str).isin(keep)]
    ids = set(docs["doc_id"])
    quotes = getattr(scores, "quotes", None)
    extra = {} if quotes is None else {"quotes": quotes[quotes["doc_id"].isin(ids)]}
    return replace(
        scores,
        documents=docs,
        sentences=scores.sentences[scores.sentences["doc_id"].isin(ids)],
        matches=scores.matches[scores.matches["doc_id"].isin(ids)],
        **extra,
    )


def modifier_summary(scores: Any, *, by: str = "outlet") -> pd.DataFrame:
    """Matches per group split into adopted, negated, distanced and quoted uses.

    Parameters
    ----------
    scores : Scores
        The result of :func:`framing.score`.
    by : str, default "outlet"
        Column of the documents table to group by.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``by``, ``matches`` (all), ``adopted`` (own voice, neither negated
        nor distanced), ``negated`` and ``distanced`` (own voice; a match both negated and
        distanced counts in both), ``quoted`` (inside quoted speech), ``adopted_share``
        (adopted / matches), ``quotes`` (quotations of speech) and ``with_speaker`` (share of
        them with an attributed speaker).
    """
    docs = scores.documents
    group = docs.set_index("doc_id")[by].astype(str)
    m = scores.matches
    flags = {
        c: (m[c].fillna(False).to_numpy(dtype=bool) if c in m.columns else np.zeros(len(m), bool))
        for c in ("negated", "distanced")
    }
    author = (m["voice"] == "author").to_numpy()
    frame = pd.DataFrame(
        {
            by: group.reindex(m["doc_id"]).to_numpy(),
            "matches": 1,
            "adopted": (author & ~flags["negated"] & ~flags["distanced"]).astype(int),
            "negated": (author & flags["negated"]).astype(int),
            "distanced": (author & flags["distanced"]).astype(int),
            "quoted": (~author).astype(int),
        }
    )
    groups = sorted(group.unique())
    out = frame.groupby(by, sort=True).sum().reindex(groups, fill_value=0)
    out["adopted_share"] = (out["adopted"] / out["matches"].where(out["matches"] > 0)).round(3)
    quotes = getattr(scores, "quotes", None)
    if quotes is not None and len(quotes):
        qg = group.reindex(quotes["doc_id"]).to_numpy()
        has = quotes["speaker"].notna().to_numpy()
        qt = pd.DataFrame({by: qg, "quotes": 1, "with_speaker": has.astype(float)})
        qsum = qt.groupby(by, sort=True).agg(
            quotes=("quotes", "sum"), with_speaker=("with_speaker", "mean")
        )
        out["quotes"] = qsum["quotes"].reindex(groups, fill_value=0).astype(int)
        out["with_speaker"] = qsum["with_speaker"].reindex(groups).round(3)
    else:
        out["quotes"] = 0
        out["with_speaker"] = np.nan
    return out.reset_index().rename(columns={"index": by})


def _modifiers_section(scores: Any, by: str) -> _Section:
    sec = _Section("modifiers", "Adopted vs distanced vs quoted")
    sec.text(
        f"Per {by}: lexicon matches in its own voice that are adopted (neither negated nor "
        'distanced), negated ("there was no massacre"), distanced ("so-called", "what '
        'the army called", scare quotes), and matches inside quoted speech; then the '
        "quotations of speech found and the share with an attributed speaker."
    )
    sec.table(modifier_summary(scores, by=by), f"Matches by modifier, per {by}")
    quotes = getattr(scores, "quotes", None)
    m = scores.matches
    if quotes is not None and len(quotes) and "speaker" in m.columns:
        quoted = m[(m["voice"] == "quote") & m["speaker"].notna()]
        if len(quoted):
            top = (
                quoted.groupby("speaker")
                .agg(
                    matches=("term", "size"),
                    terms=("term", lambda t: ", ".join(sorted(set(map(str, t)))[:6])),
                )
                .sort_values(["matches"], ascending=False, kind="stable")
                .head(10)
                .reset_index()
            )
            sec.table(top, "Most quoted speakers of lexicon terms")
    return sec


def _has_concepts(matches: pd.DataFrame) -> bool:
    return "concept" in matches and bool(matches["concept"].notna().any())


def _slant_poles(scores: Any) -> list[tuple[str, tuple[str, str]]]:
    """Lexicons to compute slant for, with their two poles (declared in the lexicon).

    The poles come from the scores' ``meta["lexicon_poles"]`` (recorded at scoring time);
    scores saved before it was recorded fall back to the bundled lexicon of that name.
    """
    from framing.lexicon import load_lexicon

    recorded = (getattr(scores, "meta", None) or {}).get("lexicon_poles")
    found: list[tuple[str, tuple[str, str]]] = []
    matches = scores.matches
    for name in sorted(matches["lexicon"].dropna().unique()):
        stances = matches.loc[matches["lexicon"] == name, "stance"].dropna()
        stances = [s for s in stances.unique() if s not in ("neutral", "none", "")]
        if len(stances) < 2:
            continue
        poles: tuple[str, str] | None = None
        if {"left", "right"} <= set(stances):
            poles = ("left", "right")
        elif isinstance(recorded, dict):
            declared = recorded.get(name)
            if declared and len(declared) == 2:
                poles = (str(declared[0]), str(declared[1]))
        else:
            try:
                lex = load_lexicon(name)
                if lex.poles:
                    poles = (lex.poles[0], lex.poles[1])
            except Exception:  # a lexicon given by path, not bundled: no declared poles
                pass
        if poles is None:
            counts = matches.loc[matches["lexicon"] == name, "stance"].value_counts()
            top = [s for s in counts.index if s in stances][:2]
            poles = (top[0], top[1]) if len(top) == 2 else None
        if poles:
            found.append((name, poles))
    return found


def _most_different(prof: pd.DataFrame, by: str) -> tuple[str, str] | tuple[()] | None:
    """The two groups whose category profiles are furthest apart (Euclidean on rates).

    None when fewer than two groups have two documents; ``()`` when every such group has the
    same profile (keyness of identical groups has nothing to show).
    """
    wide = prof.pivot_table(index=by, columns="feature", values="rate", aggfunc="first")
    counts = prof.groupby(by)["n_docs"].max()
    wide = wide[counts.reindex(wide.index).fillna(0) >= 2].fillna(0)
    if len(wide) < 2:
        return None
    values = wide.to_numpy()
    dist = np.sqrt(((values[:, None, :] - values[None, :, :]) ** 2).sum(-1))
    if not (dist > 0).any():
        return ()
    i, j = np.unravel_index(np.argmax(dist), dist.shape)
    a, b = sorted([str(wide.index[int(i)]), str(wide.index[int(j)])])
    return a, b


def _fmt_ci(value: float, low: float, high: float) -> str:
    """ "4.70 [3.10, 6.20]"; a value without an interval (too few documents, nothing varies)
    is written alone, never as a fake "[4.70, 4.70]"."""
    if pd.isna(value):
        return "\u2013"
    if pd.isna(low) or pd.isna(high):
        return f"{value:.2f}"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]"


#: footnote of every table of values with intervals
CI_NOTE = (
    "95% expanded percentile bootstrap intervals in brackets; a value without brackets "
    "has no interval: its group has fewer than {min_docs} documents (n docs), or every "
    "resample gives the same value (e.g. a count of 0)."
)


def _ci_note() -> str:
    return CI_NOTE.format(min_docs=MIN_DOCS)


def _ci_table(frame: pd.DataFrame, by: str, feature: str, value: str) -> pd.DataFrame:
    cells = frame.assign(
        _cell=[
            _fmt_ci(v, lo, hi)
            for v, lo, hi in zip(frame[value], frame["ci_low"], frame["ci_high"], strict=True)
        ]
    )
    wide = cells.pivot_table(index=by, columns=feature, values="_cell", aggfunc="first")
    wide.columns = [str(c) for c in wide.columns]
    if "n_docs" in frame.columns:
        wide.insert(0, "n docs", frame.groupby(by)["n_docs"].max().reindex(wide.index))
    return wide.reset_index()


def _share_table(tc: pd.DataFrame, by: str) -> pd.DataFrame:
    share = "share" if "share" in tc else "rate"
    cells = tc.assign(
        _cell=[
            _fmt_ci(100 * v, 100 * lo, 100 * hi) if pd.notna(v) else "\u2013"
            for v, lo, hi in zip(tc[share], tc["ci_low"], tc["ci_high"], strict=True)
        ]
    )
    wide = cells.pivot_table(index=["concept", "term"], columns=by, values="_cell", aggfunc="first")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def _keyness_table(key: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    zcol = "z" if "z" in key else [c for c in key.columns if "z" in c.lower()][0]
    key = key.sort_values(zcol, kind="stable")
    top = pd.concat([key.tail(k).iloc[::-1], key.head(k)])
    cols = [c for c in top.columns if c not in ("lexicon",)]
    unit = key.attrs.get("unit", "matches")
    a, b = key.attrs.get("a", "a"), key.attrs.get("b", "b")
    names = {
        "count_a": f"count ({a})",
        "count_b": f"count ({b})",
        "freq_a": f"per 1,000 {unit} ({a})",
        "freq_b": f"per 1,000 {unit} ({b})",
    }
    return top[cols].round(3).reset_index(drop=True).rename(columns=names)


# ---- example sentences ------------------------------------------------------------------------


def _top_sentences(
    docs: pd.DataFrame,
    sents: pd.DataFrame,
    by: str,
    per_group: int,
    source: Path | None = None,
) -> pd.DataFrame:
    scored = sents[sents["n_matches"] > 0].merge(docs[["doc_id", by]], on="doc_id")
    scored = scored.sort_values(
        [by, "score", "n_matches", "doc_id", "sent_id"],
        ascending=[True, False, False, True, True],
        kind="stable",
    )
    top = scored.groupby(by, sort=True).head(per_group)
    if "text" not in top.columns and source is not None:
        top = top.assign(text=_sentence_texts(source, top))
    return top


def _examples_html(
    docs: pd.DataFrame,
    sents: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    by: str,
    per_group: int,
    source: Path | None = None,
) -> str:
    top = _top_sentences(docs, sents, by, per_group, source)
    grouped = matches.groupby(["doc_id", "sent_id"], sort=False)
    out = []
    for group, rows in top.groupby(by, sort=True):
        out.append(f"<h3>{escape(str(group))}</h3>")
        row: Any  # a named tuple of the sentence's columns
        for row in rows.itertuples(index=False):
            try:
                ms = grouped.get_group((row.doc_id, row.sent_id))
            except KeyError:
                ms = matches.iloc[:0]
            at = int(row.start)
            spans = sorted(  # offsets within the sentence; a quote's mark has class "quote"
                (int(start) - at, int(end) - at, voice, f"{lex}: {category or ''} ({term})")
                for start, end, voice, lex, category, term in zip(
                    ms["start"],
                    ms["end"],
                    ms["voice"],
                    ms["lexicon"],
                    ms["category"],
                    ms["term"],
                    strict=True,
                )
            )
            marked = highlight(
                str(row.text),
                [
                    (s, e, label, "quote" if voice == "quote" else None)
                    for s, e, voice, label in spans
                ],
                css_class="",
            )
            out.append(
                f'<div class="sent">{marked}'
                f'<div class="meta">{escape(str(row.doc_id))} \u00b7 sentence {row.sent_id} '
                f"\u00b7 score {row.score:g}</div></div>"
            )
    return "\n".join(out)


def _examples_md(
    docs: pd.DataFrame,
    sents: pd.DataFrame,
    matches: pd.DataFrame,
    *,
    by: str,
    per_group: int,
    source: Path | None = None,
) -> str:
    top = _top_sentences(docs, sents, by, per_group, source)
    grouped = matches.groupby(["doc_id", "sent_id"], sort=False)
    out = []
    for group, rows in top.groupby(by, sort=True):
        out.append(f"### {_md(group)}\n")
        row: Any  # a named tuple of the sentence's columns
        for row in rows.itertuples(index=False):
            try:
                ms = grouped.get_group((row.doc_id, row.sent_id))
            except KeyError:
                ms = matches.iloc[:0]
            text, pos, pieces = str(row.text), 0, []
            at = int(row.start)
            ordered = ms.sort_values("start")
            for start, end in zip(ordered["start"], ordered["end"], strict=True):
                s, e = int(start) - at, int(end) - at
                if s < pos:
                    continue
                pieces += [_md(text[pos:s]), f"**{_md(text[s:e])}**"]
                pos = e
            pieces.append(_md(text[pos:]))
            out.append(f"> {''.join(pieces)}\n>\n> _{_md(row.doc_id)}, sentence {row.sent_id}_\n")
    return "\n".join(out)


# ---- rendering --------------------------------------------------------------------------------


def _anchor(prefix: str, name: Any) -> str:
    """A safe HTML id / file name for a section named after data: ``prefix-`` plus the
    name's letters, digits, ``_`` and ``-`` (anything else, e.g. ``"`` or ``/``, as ``_XX``
    hex codes), so that no data can close the attribute or leave the figure folder."""
    safe = "".join(
        c
        if (c.isascii() and (c.isalnum() or c in "_-"))
        else "".join(f"_{b:02x}" for b in c.encode("utf-8"))
        for c in str(name)
    )
    return f"{prefix}-{safe[:80]}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _md(value: Any) -> str:
    """Data made inert in Markdown: HTML special characters as entities (no raw ``<script>``
    or ``<img onerror>``), Markdown punctuation backslash-escaped, line breaks as spaces."""
    text = escape(str(value), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _table_html(frame: pd.DataFrame, caption: str) -> str:
    body = frame.to_html(index=False, escape=True, na_rep="\u2013", border=0)
    return f"<figure>{body}<figcaption>{escape(caption)}</figcaption></figure>" if caption else body


def _render_html(sections: list[_Section], *, title: str) -> str:
    from framing import __version__

    nav = "".join(f'<li><a href="#{escape(s.anchor)}">{escape(s.title)}</a></li>' for s in sections)
    body = []
    for sec in sections:
        body.append(f'<section id="{escape(sec.anchor)}"><h2>{escape(sec.title)}</h2>')
        for kind, payload in sec.blocks:
            if kind == "text":
                body.append(f"<p>{escape(payload)}</p>")
            elif kind == "html":
                body.append(payload)
            elif kind == "table":
                body.append(_table_html(*payload))
            elif kind == "figure":
                fig, name, caption = payload
                data = base64.b64encode(_png(fig)).decode("ascii")
                body.append(
                    f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
                    f"<figcaption>{escape(caption)}</figcaption></figure>"
                )
        body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{escape(title)}</h1><p class="sub">framing {escape(__version__)} \u00b7 '
        "self-contained report: figures are embedded, nothing is loaded from the network.</p>"
        f"<nav><ul>{nav}</ul></nav>{''.join(body)}</main></body></html>\n"
    )


def _md_table(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]

    def cell(v: Any) -> str:
        if isinstance(v, float) and np.isnan(v):
            return "\u2013"
        return _md(v)

    lines = ["| " + " | ".join(_md(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def _render_md(sections: list[_Section], *, title: str, figdir: Path) -> str:
    figdir.mkdir(parents=True, exist_ok=True)
    out = [f"# {_md(title)}\n"]
    for sec in sections:
        out.append(f"## {_md(sec.title)}\n")
        has_md = any(kind == "md" for kind, _ in sec.blocks)
        for kind, payload in sec.blocks:
            if kind == "text":
                out.append(f"{_md(payload)}\n")
            elif kind == "md":
                out.append(f"{payload}\n")
            elif kind == "html" and not has_md:
                continue
            elif kind == "table":
                frame, caption = payload
                if caption:
                    out.append(f"_{_md(caption)}_\n")
                out.append(_md_table(frame) + "\n")
            elif kind == "figure":
                fig, name, caption = payload
                (figdir / f"{name}.png").write_bytes(_png(fig))
                out.append(f"![{_md(caption)}]({quote(figdir.name)}/{quote(name)}.png)\n")
    return "\n".join(out)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except BaseException:  # disk full, interrupted: leave no partial file behind
        tmp.unlink(missing_ok=True)
        raise
