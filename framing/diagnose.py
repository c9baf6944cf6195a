"""Lexicon diagnostics: how each entry behaves on a real corpus.

:func:`diagnose` scores a corpus with a lexicon (or takes existing scores) and reports per
entry: matches and matches per 1,000 words, the share of its matches in each outlet / topic
(an entry that fires in one outlet only is house style or a mistake, one that fires on every
topic of a domain lexicon is probably ambiguous), entries that never match (*dead*), entries
that make up more than half of their category's matches (*dominant*: the category then
measures one word), and, given a span-annotated corpus in the PTC layout, per-entry
*precision*: the share of its matches that overlap an annotated span of the target techniques
(by default ``Loaded_Language`` and ``Name_Calling,Labeling``).

The command line is ``framing lexicon diagnose LEXICON CORPUS``.

Examples
--------
>>> d = diagnose("mideast", "../shared/data/allsides/allsides.parquet")     # doctest: +SKIP
>>> print(d.summary())                                                      # doctest: +SKIP
>>> d.entries.query("dead")                                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import FramingError

__all__ = ["TARGET_TECHNIQUES", "Diagnosis", "diagnose", "span_overlap"]

#: The PTC techniques a loaded-language lexicon should find (precision counts these spans).
TARGET_TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling")


def span_overlap(matches: pd.DataFrame, spans: pd.DataFrame) -> np.ndarray:
    """For each match, whether it overlaps (shares a character with) a span of its document.

    Parameters
    ----------
    matches : pandas.DataFrame
        ``doc_id, start, end`` (e.g. :attr:`framing.Scores.matches`).
    spans : pandas.DataFrame
        ``doc_id, start, end`` of the annotated spans.

    Returns
    -------
    numpy.ndarray of bool, aligned with ``matches``.
    """
    hit = np.zeros(len(matches), dtype=bool)
    if not len(matches) or not len(spans):
        return hit
    m_doc = matches["doc_id"].astype(str).to_numpy()
    ms = matches["start"].to_numpy(dtype=np.int64)
    me = matches["end"].to_numpy(dtype=np.int64)
    for doc, grp in spans.groupby(spans["doc_id"].astype(str), sort=False):
        rows = np.flatnonzero(m_doc == doc)
        if not len(rows):
            continue
        order = np.argsort(grp["start"].to_numpy(dtype=np.int64), kind="stable")
        bs = grp["start"].to_numpy(dtype=np.int64)[order]
        reach = np.maximum.accumulate(grp["end"].to_numpy(dtype=np.int64)[order])
        k = np.searchsorted(bs, me[rows], side="left") - 1
        ok = k >= 0
        hit[rows[ok]] = reach[k[ok]] > ms[rows[ok]]
    return hit


@dataclass
class Diagnosis:
    """The result of :func:`diagnose`.

    Attributes
    ----------
    entries : pandas.DataFrame
        One row per entry (lexicon order): ``lexicon, term, category, concept, stance,
        weight, gated, matches, per_1k_words, category_share, dominant, dead``, then for
        each grouping column ``G``: ``top_G`` (the group with most matches) and
        ``top_G_share``; with spans also ``in_spans`` and ``precision``.
    shares : pandas.DataFrame
        Long table: ``lexicon, term, by, group, matches, share`` (share of the entry's
        matches in the group), for the entries with matches.
    n_docs, n_words : int
        Size of the corpus.
    by : list of str
        The grouping columns used.
    techniques : tuple of str
        The span techniques precision counts (empty without spans).
    """

    entries: pd.DataFrame
    shares: pd.DataFrame
    n_docs: int
    n_words: int
    by: list[str] = field(default_factory=list)
    techniques: tuple[str, ...] = ()

    def summary(self, k: int = 10) -> str:
        """A plain-text report: the most frequent, concentrated, dominant, dead and (with
        spans) least precise entries, ``k`` rows each."""
        e = self.entries
        lines = [
            f"{len(e)} entries; {int(e['matches'].sum()):,} matches in {self.n_docs:,} "
            f"documents ({self.n_words:,} words)"
        ]

        def table(rows: pd.DataFrame, cols: Sequence[str]) -> list[str]:
            if not len(rows):
                return []
            cells = [
                [
                    f"{v:g}" if c == "weight" else f"{v:.3f}" if isinstance(v, float) else str(v)
                    for c, v in zip(cols, r, strict=True)
                ]
                for r in rows[list(cols)].itertuples(index=False)
            ]
            widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
            return [
                "  " + "  ".join(f"{v:<{w}}" for v, w in zip(row, widths, strict=True)).rstrip()
                for row in [list(cols), *cells]
            ]

        live = e[e["matches"] > 0]
        lines.append(f"\nmost frequent entries (matches per 1,000 words), top {k}:")
        lines += table(
            live.nlargest(k, "per_1k_words"),
            ["term", "lexicon", "weight", "matches", "per_1k_words"],
        )
        for g in self.by:
            conc = live[live["matches"] >= 10].nlargest(k, f"top_{g}_share")
            if len(conc):
                lines.append(f"\nmost concentrated in one {g} (entries with >= 10 matches):")
                lines += table(conc, ["term", "matches", f"top_{g}", f"top_{g}_share"])
        dom = e[e["dominant"]]
        lines.append(f"\nentries with > 50% of their category's matches: {len(dom)}")
        lines += table(dom, ["term", "lexicon", "category", "matches", "category_share"])
        dead = e[e["dead"]]
        lines.append(f"\ndead entries (no match): {len(dead)} of {len(e)}")
        if len(dead):
            shown = ", ".join(dead["term"].head(4 * k).astype(str))
            lines.append("  " + shown + (" ..." if len(dead) > 4 * k else ""))
        if "precision" in e.columns:
            loaded = e[(e["weight"] > 0) & (e["matches"] > 0)]
            hits, total = int(loaded["in_spans"].sum()), int(loaded["matches"].sum())
            lines.append(
                f"\nprecision (weight > 0 matches inside {' / '.join(self.techniques)}"
                f" spans): {hits:,} of {total:,} = {hits / max(total, 1):.1%}"
            )
            worst = (
                loaded[loaded["matches"] >= 5]
                .sort_values(["precision", "matches"], ascending=[True, False], kind="stable")
                .head(k)
            )
            if len(worst):
                lines.append(f"least precise entries (>= 5 matches), {k} at most:")
                lines += table(worst, ["term", "lexicon", "matches", "in_spans", "precision"])
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<Diagnosis: {len(self.entries)} entries, {int(self.entries['dead'].sum())} "
            f"dead, {int(self.entries['dominant'].sum())} dominant; {self.n_docs} docs>"
        )


def _documents_and_spans(corpus: Any, spans: Any) -> tuple[Any, pd.DataFrame | None]:
    """(documents table or Scores, spans with doc_id or None) from the inputs."""
    from framing.datasets import read_span_tables

    if (
        isinstance(corpus, (str, Path))
        and Path(corpus).is_dir()
        and (Path(corpus) / "spans.parquet").is_file()
        and spans is None
    ):
        spans = corpus
    if spans is not None and not isinstance(spans, pd.DataFrame):
        arts, spans = read_span_tables(spans)
        if (
            isinstance(corpus, (str, Path))
            and Path(corpus).is_dir()
            and (Path(corpus) / "spans.parquet").is_file()
        ):
            corpus = pd.DataFrame(
                {"doc_id": arts["article_id"].astype(str), "text": arts["text"].astype(object)}
            )
    if spans is not None:
        spans = spans.rename(columns={"article_id": "doc_id"})
        missing = [c for c in ("doc_id", "technique", "start", "end") if c not in spans.columns]
        if missing:
            raise FramingError(
                f"diagnose(): the spans table lacks {missing}; give a span "
                "corpus folder (PTC layout) or a table with doc_id (or "
                "article_id), technique, start, end."
            )
        spans = spans.assign(doc_id=spans["doc_id"].astype(str))
    return corpus, spans


def diagnose(
    lexicon: Any,
    corpus: Any,
    *,
    by: str | Sequence[str] | None = None,
    spans: Any = None,
    techniques: Sequence[str] = TARGET_TECHNIQUES,
    dominance: float = 0.5,
    min_category_matches: int = 20,
) -> Diagnosis:
    """Per-entry diagnostics of a lexicon on a corpus (module docstring).

    Parameters
    ----------
    lexicon : str, path, Lexicon or list of these
        The lexicon(s) to diagnose (as :func:`framing.load_lexicon` takes them).
    corpus : Scores, DataFrame or path
        Scores computed with this lexicon, a documents table, anything
        :func:`framing.read_corpus` reads, or a span corpus folder (PTC layout: then its
        spans are used for precision).
    by : str or list of str, optional
        Documents columns to report shares for; default those of ``outlet`` and ``topic``
        the documents table has with more than one value.
    spans : DataFrame or path, optional
        Annotated spans (``doc_id`` or ``article_id``, ``technique``, ``start``, ``end``) or a
        span corpus folder; adds per-entry precision.
    techniques : sequence of str
        The span techniques a match should fall in (default :data:`TARGET_TECHNIQUES`).
    dominance : float, default 0.5
        An entry with more than this share of its category's matches is *dominant*.
    min_category_matches : int, default 20
        Only categories (of one lexicon) with at least this many matches are checked for
        dominance.

    Returns
    -------
    Diagnosis

    Raises
    ------
    FramingError
        A ``by`` column the documents lack, or a spans table without the needed columns.
    LexiconError, CorpusError
        Unknown lexicon, unreadable corpus.
    """
    from framing.lexicon import load_lexicon
    from framing.scoring import Scores, score

    lex = load_lexicon(lexicon)
    corpus, spans = _documents_and_spans(corpus, spans)
    if isinstance(corpus, str):  # a path: score() reads a str as a text
        from framing.corpus import read_corpus

        corpus = read_corpus(corpus)
    scores = corpus if isinstance(corpus, Scores) else score(corpus, lexicons=lex)
    docs, matches = scores.documents, scores.matches
    names = set(lex.versions)
    matches = matches[matches["lexicon"].astype(str).isin(names)]
    if by is None:
        by = [
            c
            for c in ("outlet", "topic")
            if c in docs.columns and docs[c].astype(str).nunique() > 1
        ]
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by if c not in docs.columns]
    if missing:
        raise FramingError(
            f"diagnose(): the documents table has no column(s) {missing}; "
            f"columns: {', '.join(map(str, docs.columns))}."
        )
    n_words = int(docs["n_words"].sum())
    frame = lex.to_frame()[
        ["lexicon", "term", "category", "concept", "stance", "weight", "context"]
    ]
    frame = frame.assign(gated=frame["context"].map(bool)).drop(columns="context")
    key = ["lexicon", "term"]
    counts = matches.groupby(key).size().rename("matches")
    out = frame.merge(counts, left_on=key, right_index=True, how="left")
    out["matches"] = out["matches"].fillna(0).astype(np.int64)
    out["per_1k_words"] = 1000 * out["matches"] / max(n_words, 1)
    cat = out.groupby(["lexicon", "category"], dropna=False)["matches"].transform("sum")
    out["category_share"] = np.where(cat > 0, out["matches"] / cat.where(cat > 0, 1), np.nan)
    out["dominant"] = (
        (out["category_share"] > dominance)
        & (cat >= min_category_matches)
        & out["category"].notna()
    ).to_numpy()
    out["dead"] = out["matches"] == 0

    share_rows = []
    if len(matches):
        doc_keys = docs.set_index(docs["doc_id"].astype(str))
        for g in by:
            group = doc_keys[g].astype(str).reindex(matches["doc_id"].astype(str)).to_numpy()
            tab = (
                pd.DataFrame(
                    {
                        "lexicon": matches["lexicon"].to_numpy(),
                        "term": matches["term"].to_numpy(),
                        "group": group,
                    }
                )
                .groupby(key + ["group"])
                .size()
                .rename("matches")
                .reset_index()
            )
            tab["share"] = tab["matches"] / tab.groupby(key)["matches"].transform("sum")
            tab.insert(2, "by", g)
            share_rows.append(tab)
            top = (
                tab.sort_values(["share", "group"], ascending=[False, True], kind="stable")
                .drop_duplicates(key)
                .set_index(key)
            )
            out = out.merge(
                top[["group", "share"]].rename(
                    columns={"group": f"top_{g}", "share": f"top_{g}_share"}
                ),
                left_on=key,
                right_index=True,
                how="left",
            )
    else:
        for g in by:
            out[f"top_{g}"] = None
            out[f"top_{g}_share"] = np.nan
    shares = (
        pd.concat(share_rows, ignore_index=True)
        if share_rows
        else pd.DataFrame(columns=["lexicon", "term", "by", "group", "matches", "share"])
    )
    used: tuple[str, ...] = ()
    if spans is not None:
        used = tuple(techniques)
        target = spans[spans["technique"].isin(used)]
        hit = span_overlap(matches, target)
        inside = (
            pd.DataFrame(
                {
                    "lexicon": matches["lexicon"].to_numpy(),
                    "term": matches["term"].to_numpy(),
                    "hit": hit,
                }
            )
            .groupby(key)["hit"]
            .sum()
            .rename("in_spans")
        )
        out = out.merge(inside, left_on=key, right_index=True, how="left")
        out["in_spans"] = out["in_spans"].fillna(0).astype(np.int64)
        out["precision"] = np.where(
            out["matches"] > 0,
            out["in_spans"] / out["matches"].where(out["matches"] > 0, 1),
            np.nan,
        )
    out = out.reset_index(drop=True)
    return Diagnosis(
        entries=out, shares=shares, n_docs=len(docs), n_words=n_words, by=by, techniques=used
    )
