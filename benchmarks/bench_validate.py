"""Benchmark of the validation tools on real news: kwic, coding_sample, document_features.

Scores ``--docs`` AllSides articles (``../shared/data/allsides/allsides.parquet``) with the
bundled lexicons, then times, within one run (the machine is shared, so compare ratios):

* ``kwic`` of every match (window 8) and of one term, and a text search for a word outside
  the lexicons;
* ``coding_sample`` of 200 matches by term plus 50 unmatched sentences;
* ``document_features`` (category rates) against ``profile(by="doc_id", n_boot=0)`` pivoted,
  which gives the same numbers.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--docs 5000]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import framing as fr

DATA = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "allsides" / "allsides.parquet"
)


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<58} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000, help="AllSides articles to use")
    args = parser.parse_args()
    if not DATA.is_file():
        sys.exit(f"skipped: {DATA} is absent (the AllSides corpus is not shipped)")
    docs = fr.read_corpus(DATA).head(args.docs)
    scores = timed(f"score {len(docs):,} articles", lambda: fr.score(docs))
    print(scores.summary())
    kw = timed(f"kwic of every match ({len(scores.matches):,})", lambda: fr.kwic(scores))
    top = scores.matches["term"].value_counts().index[0]
    one = timed(f"kwic of the most frequent term ({top!r})", lambda: fr.kwic(scores, top))
    found = timed(
        "kwic text search for a word outside the lexicons ('eliminated')",
        lambda: fr.kwic(scores, "eliminated"),
    )
    sheet = timed(
        "coding_sample(200 by term, 50 unmatched sentences)",
        lambda: fr.coding_sample(scores, 200, by="term", unmatched=50),
    )
    feats = timed("document_features(level='category')", lambda: fr.document_features(scores))
    prof = timed(
        "profile(by='doc_id', n_boot=0) for comparison",
        lambda: fr.profile(scores, by="doc_id", n_boot=0),
    )
    wide = prof.pivot(index="doc_id", columns="feature", values="rate")
    same = np.allclose(
        feats.set_index("doc_id").loc[wide.index, wide.columns].to_numpy(),
        wide.to_numpy(),
        equal_nan=True,
    )
    print(
        f"rows: kwic {len(kw):,}, term {len(one):,}, text search {len(found):,}, sheet "
        f"{len(sheet):,}, features {feats.shape}; document_features == profile pivot: {same}"
    )


if __name__ == "__main__":
    main()
