"""Does a domain lexicon stay in its domain? Mideast matches on and off Middle East topics.

Usage::

    .venv/bin/python benchmarks/bench_context.py [--data ../shared/data] [--top 15]
        [--sample N]

Scores the AllSides articles (``allsides/allsides.parquet``) with the ``mideast`` lexicon,
once as bundled (context gating on) and once with every entry's context gate removed, and
prints for both:

* weighted (``weight > 0``) mideast matches per 1,000 words in Middle East topics
  (``middle_east``, ``israel``, ``palestine``, ``isis``) and in unrelated topics
  (``elections``, ``healthcare``, ``immigration``, ``taxes``, ``gun_control_and_gun_rights``,
  ``education``, ``economy_and_jobs``), and their ratio (target >= 40x);
* stance-coded matches (a stance other than ``neutral``) per 1,000 words in the unrelated
  topics (target <= 0.02);
* the entries that still fire most in unrelated topics;

then the matches of the issue's repro sentence (target: no stance-coded match).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIDEAST_TOPICS = ("middle_east", "israel", "palestine", "isis")
UNRELATED_TOPICS = (
    "elections",
    "healthcare",
    "immigration",
    "taxes",
    "gun_control_and_gun_rights",
    "education",
    "economy_and_jobs",
)
REPRO = (
    "North Carolina eliminated same-day voter registration; the National Fraternal Order "
    "of Police condemned the looting"
)


def rates(scores, docs, top: int, label: str) -> None:
    """Print the on/off-topic rates of one scoring."""
    m = scores.matches
    m = m[m["weight"] > 0]
    topic = docs.set_index("doc_id")["topic"]
    words = scores.documents.set_index("doc_id")["n_words"]
    mt = topic.reindex(m["doc_id"]).to_numpy()
    on_w = words[topic.isin(MIDEAST_TOPICS)].sum()
    off_w = words[topic.isin(UNRELATED_TOPICS)].sum()
    on = 1000 * m[[t in MIDEAST_TOPICS for t in mt]].shape[0] / on_w
    off_m = m[[t in UNRELATED_TOPICS for t in mt]]
    off = 1000 * len(off_m) / off_w
    coded = off_m[off_m["stance"].notna() & (off_m["stance"] != "neutral")]
    print(f"\n[{label}] weighted mideast matches per 1,000 words")
    print(
        f"  Middle East topics {on:7.3f}   unrelated topics {off:7.3f}   ratio "
        f"{on / off if off else float('inf'):6.1f}x   (target >= 40x)"
    )
    print(
        f"  stance-coded matches in unrelated topics: {1000 * len(coded) / off_w:.4f} per "
        f"1,000 words ({len(coded)} matches; target <= 0.02)"
    )
    print(f"  entries firing most in unrelated topics (top {top}):")
    for (term, stance), n in (
        off_m.groupby(["term", "stance"], dropna=False)
        .size()
        .sort_values(ascending=False)
        .head(top)
        .items()
    ):
        print(f"    {n:5d}  {term}  ({stance})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument(
        "--sample",
        type=int,
        default=0,
        help="score a seeded sample of N on/off-topic articles (0 = all)",
    )
    args = parser.parse_args(argv)

    import pandas as pd

    from framing.lexicon import Lexicon, load_lexicon
    from framing.scoring import score

    path = args.data / "allsides" / "allsides.parquet"
    if not path.is_file():
        sys.exit(f"AllSides data not found at {path}; pass --data DIR (the shared data folder).")
    docs = pd.read_parquet(path, columns=["id", "outlet", "topic", "text"])
    docs = docs[docs["topic"].isin(MIDEAST_TOPICS + UNRELATED_TOPICS)]
    if args.sample:
        docs = docs.sample(n=min(args.sample, len(docs)), random_state=0)
    docs = docs.rename(columns={"id": "doc_id"}).reset_index(drop=True)
    docs["doc_id"] = docs["doc_id"].astype(str)
    lex = load_lexicon("mideast")
    ungated = Lexicon(
        lex.name,
        version=lex.version,
        language=lex.language,
        description=lex.description,
        stances=lex.stances,
        categories=lex.categories,
        concepts=lex.concepts,
        poles=lex.poles,
        entries=[dataclasses.replace(e, context=(), context_scope=None) for e in lex.entries],
    )
    n_gated = sum(bool(e.context) for e in lex.entries)
    print(
        f"AllSides: {len(docs):,} articles in {len(MIDEAST_TOPICS)} Middle East and "
        f"{len(UNRELATED_TOPICS)} unrelated topics; mideast v{lex.version}: {len(lex)} "
        f"entries, {n_gated} context-gated"
    )
    for label, lexicon in (("gating removed", ungated), ("as bundled (gated)", lex)):
        started = time.perf_counter()
        scores = score(docs, lexicons=lexicon)
        print(f"  scored in {time.perf_counter() - started:.1f} s")
        rates(scores, docs, args.top, label)

    print(f"\nrepro sentence: {REPRO!r}")
    rep = score(pd.DataFrame({"text": [REPRO]}), lexicons=lex).matches
    coded = rep[rep["stance"].notna() & (rep["stance"] != "neutral")]
    for _, r in rep.iterrows():
        print(f"  {r['surface']!r} -> {r['term']} ({r['stance']}, weight {r['weight']:g})")
    print(f"  stance-coded matches: {len(coded)} (target 0)")


if __name__ == "__main__":
    main()
