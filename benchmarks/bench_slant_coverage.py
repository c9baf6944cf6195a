"""How much of ordinary US political news can the us-politics lexicon place on its slant axis?

Usage::

    .venv/bin/python benchmarks/bench_slant_coverage.py [--data ../shared/data]
        [--before REV] [--top 25]

Scores the AllSides articles on US political topics (``POLITICAL_TOPICS`` below) with the
bundled ``us-politics`` lexicon and, for comparison, with the lexicon as it was at git revision
``--before`` (default ``bb50590``, the revision before lexicon v2; skipped outside a git
checkout), and prints for both:

* stance-coded mentions (a ``left`` or ``right`` concept alternative, author voice) per article;
* the outlets with at least 50 political articles, and how many of them get a slant
  (``framing.slant`` with its default ``min_mentions=10``) — target: all of them;
* the most frequent coded terms (to spot one term carrying the measure).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLITICAL_TOPICS = (
    "elections",
    "politics",
    "white_house",
    "immigration",
    "healthcare",
    "gun_control_and_gun_rights",
    "supreme_court",
    "us_senate",
    "us_house",
    "us_congress",
    "federal_budget",
    "taxes",
    "abortion",
    "lgbt_rights",
    "race_and_racism",
    "violence_in_america",
    "economy_and_jobs",
    "environment",
    "polarization",
    "republican_party",
    "democratic_party",
    "impeachment",
    "voting_rights_and_voter_fraud",
    "campaign_finance",
    "criminal_justice",
    "education",
    "free_speech",
    "civil_rights",
    "energy",
    "economic_policy",
    "fiscal_cliff",
    "justice_department",
    "fbi",
    "media_bias",
    "labor",
    "welfare",
    "social_security",
    "tea_party",
    "marijuana_legalization",
)


def measure(scores, docs, label: str, top: int) -> None:
    """Print coded mentions per article, outlets with a slant, and the top coded terms."""
    import framing as fr

    m = scores.matches
    coded = m[m["concept"].notna() & m["stance"].isin(["left", "right"]) & (m["voice"] == "author")]
    print(
        f"\n[{label}] {len(coded):,} stance-coded author-voice mentions in {len(docs):,} "
        f"articles: {len(coded) / len(docs):.2f} per article "
        f"(left {int((coded['stance'] == 'left').sum()):,}, "
        f"right {int((coded['stance'] == 'right').sum()):,})"
    )
    sl = fr.slant(scores, by="outlet", lexicon="us-politics", n_boot=0)
    size = docs["outlet"].value_counts()
    big = sl[sl["outlet"].isin(size[size >= 50].index)]
    missing = big[big["slant"].isna()]
    print(
        f"  outlets with >= 50 political articles: {len(big)}; with a slant: "
        f"{len(big) - len(missing)}; without: {len(missing)} "
        f"{sorted(missing['outlet'].astype(str))[:10]}"
    )
    print(f"  median coded mentions per outlet among them: {big['n_mentions'].median():.0f}")
    shares = coded.groupby(["term", "stance"]).size().sort_values(ascending=False)
    print(f"  most frequent coded terms (top {top}; share of all coded mentions):")
    for (term, stance), n in shares.head(top).items():
        print(f"    {n:6,d}  {n / len(coded):5.1%}  {term}  ({stance})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--before",
        default="bb50590",
        help="git revision of the lexicon to compare with ('' to skip)",
    )
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args(argv)

    import pandas as pd

    from framing.lexicon import load_lexicon
    from framing.scoring import score

    path = args.data / "allsides" / "allsides.parquet"
    if not path.is_file():
        sys.exit(f"AllSides data not found at {path}; pass --data DIR (the shared data folder).")
    docs = pd.read_parquet(path, columns=["id", "outlet", "topic", "date", "text"])
    docs = docs[docs["topic"].isin(POLITICAL_TOPICS)].rename(columns={"id": "doc_id"})
    docs = docs.assign(doc_id=docs["doc_id"].astype(str)).reset_index(drop=True)
    print(
        f"AllSides: {len(docs):,} articles on {len(POLITICAL_TOPICS)} US political topics, "
        f"{docs['outlet'].nunique()} outlets"
    )
    lexicons = []
    if args.before:
        try:
            text = subprocess.run(
                ["git", "show", f"{args.before}:lexicons/us-politics.yaml"],
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            lexicons.append((f"before ({args.before})", load_lexicon(text)))
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"(no 'before' lexicon: {exc})")
    now = load_lexicon("us-politics")
    lexicons.append((f"now (v{now.version})", now))
    for label, lex in lexicons:
        started = time.perf_counter()
        scores = score(docs, lexicons=lex)
        print(
            f"\nscored with us-politics v{lex.version} ({len(lex)} entries, "
            f"{len(lex.concepts)} concepts) in {time.perf_counter() - started:.1f} s"
        )
        measure(scores, docs, label, args.top)


if __name__ == "__main__":
    main()
