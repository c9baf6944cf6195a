"""How well the lexicons cover propaganda spans of the Propaganda Techniques Corpus (PTC).

Usage::

    .venv/bin/python benchmarks/bench_coverage.py [--data ../shared/data] [-l LEXICON ...]
        [--top 15]

Scores the PTC articles (``ptc/articles.parquet``) with :func:`framing.score` and compares
the *weighted* matches (``weight > 0``) with the annotated spans (``ptc/spans.parquet``):

* **recall** per technique: the share of ``Loaded_Language`` and ``Name_Calling,Labeling``
  spans (and, for reference, of every technique) touched by at least one weighted match
  (character overlap);
* **precision**: the share of weighted matches that overlap some propaganda span (any
  technique), and the share lying entirely inside one; per lexicon as well;
* the most frequent missed short spans and the terms most often matched outside every span,
  to guide lexicon curation (add what is missed without adding terms that fire on neutral
  text);
* the acceptance figure: span-level **F1** for the target techniques, with precision = share
  of weighted matches overlapping a ``Loaded_Language`` or ``Name_Calling,Labeling`` span and
  recall = share of those spans touched by a weighted match, on all articles and on the two
  article-grouped folds: the *tuning* fold (articles whose SHA-1 of the id mod 10 is < 7: the
  lexicon entries added in lexicon v2 were chosen and checked on these only) and the
  *held-out* fold (the other 30%, never looked at while curating).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("Loaded_Language", "Name_Calling,Labeling")


def overlaps(a_start, a_end, b_start, b_end) -> np.ndarray:
    """For each interval a, whether it overlaps any interval b (same document)."""
    hit = np.zeros(len(a_start), dtype=bool)
    if len(b_start) == 0:
        return hit
    order = np.argsort(b_start, kind="stable")
    bs, be = b_start[order], b_end[order]
    prefix_max_end = np.maximum.accumulate(be)
    # the b intervals starting before a_end; overlap iff the max end among them > a_start
    k = np.searchsorted(bs, a_end, side="left") - 1
    ok = k >= 0
    hit[ok] = prefix_max_end[k[ok]] > a_start[ok]
    return hit


def inside(a_start, a_end, b_start, b_end) -> np.ndarray:
    """For each interval a, whether it lies entirely inside some interval b."""
    out = np.zeros(len(a_start), dtype=bool)
    for i, (s, e) in enumerate(zip(a_start, a_end, strict=True)):
        out[i] = bool(((b_start <= s) & (b_end >= e)).any())
    return out


def held_out(article_id: str) -> bool:
    """The article-grouped held-out fold: SHA-1 of the id mod 10 >= 7 (about 30%)."""
    return int(hashlib.sha1(str(article_id).encode()).hexdigest(), 16) % 10 >= 7


def f1_table(spans, matches, target_overlap) -> None:
    """Print precision / recall / F1 of the target techniques on all, tuning, held-out."""
    target = spans[spans["technique"].isin(TARGETS)]
    for label, keep_s, keep_m in (
        ("all articles", np.ones(len(target), bool), np.ones(len(matches), bool)),
        ("tuning fold (70%)", ~target["held_out"].to_numpy(), ~matches["held_out"].to_numpy()),
        ("held-out fold (30%)", target["held_out"].to_numpy(), matches["held_out"].to_numpy()),
    ):
        p = target_overlap[keep_m].mean() if keep_m.any() else float("nan")
        r = target["hit"].to_numpy()[keep_s].mean() if keep_s.any() else float("nan")
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"  {label:<20} precision {p:6.1%}  recall {r:6.1%}  F1 {f1:.3f}   "
            f"({int(keep_m.sum()):,} matches, {int(keep_s.sum()):,} target spans)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "-l",
        "--lexicon",
        action="append",
        default=None,
        help="lexicon name (repeatable; default: all bundled)",
    )
    parser.add_argument("--top", type=int, default=15, help="rows of the miss / noise lists")
    args = parser.parse_args(argv)

    import pandas as pd

    from framing.lexicon import list_lexicons
    from framing.scoring import score

    folder = args.data / "ptc"
    if not (folder / "articles.parquet").is_file() or not (folder / "spans.parquet").is_file():
        sys.exit(f"PTC data not found in {folder}; pass --data DIR (the shared data folder).")
    articles = pd.read_parquet(folder / "articles.parquet")
    spans = pd.read_parquet(folder / "spans.parquet")
    names = args.lexicon or list_lexicons()
    docs = pd.DataFrame(
        {
            "doc_id": articles["article_id"].astype(str).tolist(),
            "outlet": "",
            "date": pd.Series([pd.NaT] * len(articles), dtype="datetime64[ns]"),
            "title": None,
            "text": articles["text"].astype(object).tolist(),
        }
    )
    scores = score(docs, lexicons=names)
    matches = scores.matches[scores.matches["weight"] > 0].reset_index(drop=True)
    spans = spans.assign(doc_id=spans["article_id"].astype(str))
    mb = docs["text"].map(lambda t: len(t.encode("utf-8"))).sum() / 1e6
    print(
        f"PTC: {len(docs)} articles ({mb:.2f} MB), {len(spans):,} spans; lexicons: "
        f"{', '.join(names)}; {len(matches):,} weighted matches "
        f"({len(scores.matches) - len(matches):,} neutral ones ignored)"
    )

    span_hit = np.zeros(len(spans), dtype=bool)
    span_hit_framing = np.zeros(len(spans), dtype=bool)  # by matches of non-epistemic lexicons
    match_overlap = np.zeros(len(matches), dtype=bool)
    match_inside = np.zeros(len(matches), dtype=bool)
    m_groups = {k: v.index.to_numpy() for k, v in matches.groupby("doc_id")}
    s_groups = {k: v.index.to_numpy() for k, v in spans.groupby("doc_id")}
    framing_lex = (matches["lexicon"] != "epistemic").to_numpy()
    for doc_id, s_idx in s_groups.items():
        m_idx = m_groups.get(doc_id, np.zeros(0, dtype=np.int64))
        ss = spans.loc[s_idx, "start"].to_numpy()
        se = spans.loc[s_idx, "end"].to_numpy()
        ms = matches.loc[m_idx, "start"].to_numpy()
        me = matches.loc[m_idx, "end"].to_numpy()
        fl = framing_lex[m_idx]
        span_hit[s_idx] = overlaps(ss, se, ms, me)
        span_hit_framing[s_idx] = overlaps(ss, se, ms[fl], me[fl])
        match_overlap[m_idx] = overlaps(ms, me, ss, se)
        match_inside[m_idx] = inside(ms, me, ss, se)

    print("\nrecall: share of spans touched by a weighted match (all lexicons | without epistemic)")
    spans = spans.assign(hit=span_hit, hit_framing=span_hit_framing)
    by_tech = (
        spans.groupby("technique")
        .agg(all=("hit", "mean"), framing=("hit_framing", "mean"), size=("hit", "size"))
        .sort_values("size", ascending=False)
    )
    for tech, row in by_tech.iterrows():
        mark = "  <-- target" if tech in TARGETS else ""
        print(
            f"  {tech:<36} {row['all']:6.1%} | {row['framing']:6.1%}  of "
            f"{int(row['size']):>5,}{mark}"
        )
    target = spans[spans["technique"].isin(TARGETS)]
    print(
        f"  {'Loaded_Language + Name_Calling':<36} {target['hit'].mean():6.1%} | "
        f"{target['hit_framing'].mean():6.1%}  of {len(target):>5,}"
    )

    print("\nprecision: share of weighted matches in a propaganda span (any technique)")
    matches = matches.assign(overlap=match_overlap, inside=match_inside)
    print(
        f"  all lexicons      overlapping {matches['overlap'].mean():6.1%}   entirely inside "
        f"{matches['inside'].mean():6.1%}   ({len(matches):,} matches)"
    )
    for lex, grp in matches.groupby("lexicon", sort=True):
        print(
            f"  {lex:<17} overlapping {grp['overlap'].mean():6.1%}   entirely inside "
            f"{grp['inside'].mean():6.1%}   ({len(grp):,} matches)"
        )

    target_overlap = np.zeros(len(matches), dtype=bool)
    t_groups = {
        k: v.index.to_numpy() for k, v in spans[spans["technique"].isin(TARGETS)].groupby("doc_id")
    }
    for doc_id, m_idx in m_groups.items():
        t_idx = t_groups.get(doc_id)
        if t_idx is not None:
            target_overlap[m_idx] = overlaps(
                matches.loc[m_idx, "start"].to_numpy(),
                matches.loc[m_idx, "end"].to_numpy(),
                spans.loc[t_idx, "start"].to_numpy(),
                spans.loc[t_idx, "end"].to_numpy(),
            )
    spans = spans.assign(held_out=spans["doc_id"].map(held_out))
    matches = matches.assign(held_out=matches["doc_id"].map(held_out))
    print(
        "\nF1 for Loaded_Language + Name_Calling (precision: weighted matches overlapping a "
        "target span; recall: target spans touched)"
    )
    f1_table(spans, matches, target_overlap)

    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    missed = target[~target["hit_framing"]].copy()
    missed["surface"] = [
        texts[d][s:e].strip().lower()
        for d, s, e in zip(missed["doc_id"], missed["start"], missed["end"], strict=True)
    ]
    short = missed[missed["surface"].str.split().str.len() <= 3]
    print(
        f"\nmost frequent short target spans missed by the non-epistemic lexicons (<= 3 words; {len(short):,} of "
        f"{len(missed):,} missed)"
    )
    for surface, n in short["surface"].value_counts().head(args.top).items():
        print(f"  {n:4d}  {surface}")
    noisy = matches[~matches["overlap"]]
    print("\nterms most often matched outside every span (candidates to review)")
    counts = noisy.groupby(["lexicon", "term"]).size().sort_values(ascending=False)
    for (lex, term), n in counts.head(args.top).items():
        total = int(((matches["lexicon"] == lex) & (matches["term"] == term)).sum())
        print(f"  {n:4d} of {total:4d}  {term}  ({lex})")


if __name__ == "__main__":
    main()
