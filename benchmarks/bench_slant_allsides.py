"""Slant per outlet on the AllSides corpus with the bundled ``us-politics`` lexicon.

Scores ``allsides/allsides.parquet`` (about 37,500 news articles) and prints the term-choice
slant (-1 = left wording, +1 = right wording, each concept weighted equally) of every outlet
with at least ``--min-articles`` articles, with 95% bootstrap intervals over articles, and the
time each step takes.

Run: ``.venv/bin/python benchmarks/bench_slant_allsides.py [--data ../shared/data] [--limit N]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"shared data folder (default: {DEFAULT_DATA})",
    )
    parser.add_argument("--lexicon", default="us-politics")
    parser.add_argument("--min-articles", type=int, default=50)
    parser.add_argument("--min-mentions", type=int, default=10)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--limit", type=int, default=None, help="score only the first N articles (quick run)"
    )
    args = parser.parse_args()

    path = args.data / "allsides" / "allsides.parquet"
    if not path.is_file():
        sys.exit(
            f"bench_slant_allsides: {path} not found; pass --data to the folder that "
            "holds allsides/allsides.parquet."
        )
    try:
        from framing.scoring import score
    except ImportError:
        sys.exit("bench_slant_allsides: framing.scoring.score is not available yet.")
    from framing.aggregate import slant

    t0 = time.perf_counter()
    raw = pd.read_parquet(path)
    if args.limit:
        raw = raw.head(args.limit)
    raw = raw.rename(columns={"id": "doc_id"})
    try:
        from framing.corpus import read_corpus

        docs = read_corpus(raw)
    except ImportError:
        docs = raw
    t_read = time.perf_counter() - t0
    print(f"read {len(docs):,} articles from {docs['outlet'].nunique()} outlets in {t_read:.1f} s")

    t0 = time.perf_counter()
    scores = score(docs, lexicons=[args.lexicon])
    t_score = time.perf_counter() - t0
    n_words = int(scores.sentences["n_words"].sum())
    print(
        f"scored with {args.lexicon}: {len(scores.sentences):,} sentences, {n_words:,} words, "
        f"{len(scores.matches):,} matches in {t_score:.1f} s "
        f"({len(docs) / max(t_score, 1e-9):,.0f} articles/s)"
    )

    t0 = time.perf_counter()
    sl = slant(
        scores,
        by="outlet",
        lexicon=args.lexicon,
        poles=("left", "right"),
        min_mentions=args.min_mentions,
        n_boot=args.n_boot,
        seed=args.seed,
    )
    t_slant = time.perf_counter() - t0
    big = sl[sl["n_docs"] >= args.min_articles].sort_values("slant", kind="stable")
    print(f"slant ({args.n_boot} resamples, {len(sl)} outlets) in {t_slant:.1f} s\n")
    print(
        f"outlets with >= {args.min_articles} articles: {len(big)} "
        f"({int(big['slant'].isna().sum())} with < {args.min_mentions} stance-coded "
        "mentions: no value)"
    )
    print(f"{'outlet':<40} {'slant':>7} {'95% CI':>17} {'mentions':>9} {'articles':>9}")
    for row in big.itertuples(index=False):
        ci = "" if pd.isna(row.slant) else f"[{row.ci_low:+.3f}, {row.ci_high:+.3f}]"
        value = "   n/a" if pd.isna(row.slant) else f"{row.slant:+.3f}"
        print(
            f"{str(row.outlet)[:40]:<40} {value:>7} {ci:>17} {row.n_mentions:>9,} {row.n_docs:>9,}"
        )
    terms = (
        scores.matches[scores.matches["stance"].isin(["left", "right"])]
        .groupby(["stance", "term"])
        .size()
        .sort_values(ascending=False)
        .head(10)
    )
    print("\nmost frequent stance-coded terms:")
    for (stance, term), n in terms.items():
        print(f"  {stance:<6} {term:<35} {n:>7,}")
    print(f"\ntime: read {t_read:.1f} s, score {t_score:.1f} s, slant {t_slant:.1f} s")


if __name__ == "__main__":
    main()
