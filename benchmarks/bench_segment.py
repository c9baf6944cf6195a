"""Accuracy and speed of framing's sentence segmenter against nltk's untrained Punkt.

Usage::

    .venv/bin/python benchmarks/bench_segment.py [--data ../shared/data] [--mb 20]

Prints boundary precision, recall and F1 on ``tests/data/segment_gold.jsonl`` for
``framing.segment.sentence_spans``, nltk ``PunktSentenceTokenizer()`` (untrained) and nltk Punkt
with our shipped parameters; then the throughput (MB/s of UTF-8 text) of ours and of untrained
Punkt ``span_tokenize`` on the first ``--mb`` megabytes of article text of
``allsides/allsides.parquet``, measured in the same run, and their ratio; then the throughput of
the whole ``split_sentences`` table (sentences, word counts, quote shares) on the same text. A boundary is the end
offset of every sentence but the last of a passage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "segment_gold.jsonl"


def gold_boundaries(record: dict) -> set[int]:
    """End offsets of the gold sentences of one record, the final one excluded."""
    text, pos, ends = record["text"], 0, []
    for sent in record["sentences"]:
        i = text.index(sent, pos)
        pos = i + len(sent)
        ends.append(pos)
    return set(ends[:-1])


def boundary_prf(records: list[dict], spans_of: Callable[[str], list]) -> tuple[float, ...]:
    """Micro-averaged boundary precision, recall and F1 of a span function on the gold set."""
    tp = fp = fn = 0
    for rec in records:
        gold = gold_boundaries(rec)
        pred = {end for _, end in list(spans_of(rec["text"]))[:-1]}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def throughput(texts: list[str], spans_of: Callable[[str], object], mb: float) -> float:
    """MB/s of ``spans_of`` over ``texts`` (best of one run; ``mb`` is the UTF-8 size)."""
    t0 = time.perf_counter()
    for text in texts:
        list(spans_of(text))
    return mb / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description="framing sentence segmentation benchmark")
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="shared data folder (default: ../shared/data next to the repo)",
    )
    parser.add_argument("--mb", type=float, default=20.0, help="MB of allsides text to time")
    args = parser.parse_args(argv)

    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from framing.segment import punkt_parameters, sentence_spans, split_sentences

    punkt = PunktSentenceTokenizer()
    punkt_ours = PunktSentenceTokenizer(punkt_parameters())
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    n_bounds = sum(len(gold_boundaries(r)) for r in records)
    print(f"gold set: {len(records)} passages, {n_bounds} boundaries ({GOLD.name})")
    print(f"{'segmenter':<34}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, fn in [
        ("framing.sentence_spans", sentence_spans),
        ("nltk Punkt (untrained)", punkt.span_tokenize),
        ("nltk Punkt + framing parameters", punkt_ours.span_tokenize),
    ]:
        p, r, f = boundary_prf(records, fn)
        print(f"{name:<34}{p:>10.4f}{r:>10.4f}{f:>10.4f}")

    path = args.data / "allsides" / "allsides.parquet"
    if not path.exists():
        print(f"speed: skipped, {path} not found (pass --data PATH to the shared data folder)")
        return 1
    import pandas as pd

    texts: list[str] = []
    size = 0
    for text in pd.read_parquet(path, columns=["text"])["text"].dropna():
        texts.append(text)
        size += len(text.encode("utf-8"))
        if size >= args.mb * 1e6:
            break
    mb = size / 1e6
    print(f"speed on {len(texts)} allsides articles, {mb:.1f} MB:")
    ours = throughput(texts, sentence_spans, mb)
    base = throughput(texts, punkt.span_tokenize, mb)
    print(f"  framing.sentence_spans          {ours:8.2f} MB/s")
    print(f"  nltk Punkt span_tokenize        {base:8.2f} MB/s")
    print(f"  ratio                           {ours / base:8.2f}x")
    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    t0 = time.perf_counter()
    table = split_sentences(docs)
    full = mb / (time.perf_counter() - t0)
    print(f"  split_sentences (table, quotes) {full:8.2f} MB/s  ({len(table)} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
