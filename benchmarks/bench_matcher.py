"""Speed of framing's matcher and of the whole score(), against two baselines, in one run.

Usage::

    .venv/bin/python benchmarks/bench_matcher.py [--data ../shared/data] [--mb 8]
        [--baseline-mb 0.1] [-l LEXICON ...]

On the first ``--mb`` megabytes (UTF-8) of article text of ``allsides/allsides.parquet``:

* **ours**: :class:`framing.Matcher` over all chosen lexicons (normalization, one
  Aho-Corasick pass, boundary/context checks, overlap resolution, offset mapping);
* **one regex per term**: every form ours matches (terms, variants, plurals, possessives),
  one compiled case-insensitive pattern each with word-boundary lookarounds and flexible
  separators, ``finditer`` of every pattern over every text. It is slow, so it runs on the
  first ``--baseline-mb`` megabytes only and its MB/s is extrapolated;
* **flashtext** ``KeywordProcessor.extract_keywords`` over the same forms (no offsets map,
  no overlap rule, ASCII word boundaries);
* **score()**: the whole :func:`framing.score` (segmentation, quotes, matching, tables), with
  a breakdown of where the time goes, and the peak memory (traced allocations of one score()
  call, and the process's peak RSS).

Targets (issue 3): matching >= 50x the one-regex-per-term baseline; score() >= 8 MB/s per
core. Targets (issue 18): the whole score() >= 2.0x bare flashtext over the same text and
terms, the matcher alone >= 4x flashtext, peak memory no higher than before.

Times are CPU seconds of this process (``time.process_time``): on a machine shared with other
work they vary far less than wall-clock times, and every part here runs on one core. Compare the
ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_texts(data: Path, mb: float) -> list[str]:
    import pandas as pd

    path = data / "allsides" / "allsides.parquet"
    if not path.is_file():
        sys.exit(f"allsides data not found at {path}; pass --data DIR (the shared data folder).")
    texts: list[str] = []
    size = 0
    for text in pd.read_parquet(path, columns=["text"])["text"]:
        if not isinstance(text, str) or not text:
            continue
        texts.append(text)
        size += len(text.encode("utf-8"))
        if size >= mb * 1e6:
            break
    return texts


def megabytes(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def all_forms(matcher) -> list[str]:
    from framing.matcher import term_forms

    forms: dict[str, None] = {}
    for entry in matcher.entries:
        for text in (entry.term, *entry.variants):
            for form in term_forms(text):
                forms[form] = None
    return list(forms)


def regex_for(form: str) -> re.Pattern:
    parts = []
    for ch in form:
        if ch in " -":
            parts.append(r"[\s\-\u2010-\u2015]+")
        elif ch == "'":
            parts.append("['\u2019\u2018]")
        else:
            parts.append(re.escape(ch))
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def time_it(func, texts: list[str]) -> tuple[float, int]:
    """CPU seconds of ``func`` over ``texts`` and the sum of what it returned."""
    started = time.process_time()
    n = 0
    for text in texts:
        n += func(text)
    return time.process_time() - started, n


def time_modifiers(texts: list[str], lexicon) -> float:
    """Seconds that score() spends in framing.modifiers (issue 14) on ``texts``: quotation
    kinds and speakers, and the negation / distancing / speaker of every match. Segmentation
    and matching are done first, outside the clock, exactly as score() does them."""
    from framing.modifiers import classify_quotations, match_modifiers
    from framing.scoring import _matcher_for
    from framing.segment import segment_text

    find = _matcher_for(lexicon)._find
    inputs = []
    for text in texts:
        spans, quotes = segment_text(text)
        starts, ends, _ = find(text)
        inputs.append((text, spans, quotes, starts, ends))
    started = time.process_time()
    for text, spans, quotes, starts, ends in inputs:
        quotations = classify_quotations(text, spans, quotes)
        if starts:
            match_modifiers(text, starts, ends, sentences=spans, quotations=quotations)
    return time.process_time() - started


def time_context(texts: list[str], lexicon) -> float:
    """CPU seconds that score() spends in context gating (framing.context) on ``texts``: the
    gate's decisions and the refill of dropped stretches, from the matching pass's cues.
    Segmentation and matching are done first, outside the clock, exactly as score() does."""
    from framing.context import context_gate
    from framing.scoring import _matcher_for
    from framing.segment import segment_text

    matcher = _matcher_for(lexicon)
    gate = context_gate(matcher.entries)
    inputs = [(text, segment_text(text)[0], *matcher.find_with_cues(text)) for text in texts]
    started = time.process_time()
    for text, spans, starts, ends, idx, cues in inputs:
        if gate.active and starts:
            gate.filter(text, starts, ends, idx, spans, cues)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--mb", type=float, default=8.0, help="sample size in MB (default 8)")
    parser.add_argument(
        "--baseline-mb",
        type=float,
        default=0.1,
        help="sample size of the one-regex-per-term baseline (default 0.1)",
    )
    parser.add_argument(
        "-l",
        "--lexicon",
        action="append",
        default=None,
        help="lexicon name (repeatable; default: all bundled)",
    )
    args = parser.parse_args(argv)

    import pandas as pd

    from framing._text import normalize
    from framing.lexicon import list_lexicons, load_lexicon
    from framing.matcher import Matcher
    from framing.scoring import score
    from framing.segment import segment_text

    texts = load_texts(args.data, args.mb)
    mb = megabytes(texts)
    names = args.lexicon or list_lexicons()
    lexicon = load_lexicon(names)
    started = time.perf_counter()
    matcher = Matcher(lexicon)
    build = time.perf_counter() - started
    forms = all_forms(matcher)
    print(
        f"sample: {len(texts):,} allsides articles, {mb:.2f} MB; lexicons: {', '.join(names)}"
        f" ({len(matcher):,} entries, {len(forms):,} forms); matcher built in {build:.2f} s"
    )

    # -- matching alone ------------------------------------------------------------------------
    def ours(text: str) -> int:
        return len(matcher._find(text)[0])

    ours(texts[0])
    t_ours, n_ours = time_it(ours, texts)
    ours_rate = mb / t_ours

    small: list[str] = []
    for text in texts:
        small.append(text)
        if megabytes(small) >= args.baseline_mb:
            break
    small_mb = megabytes(small)
    patterns = [regex_for(f) for f in forms]

    def regex_baseline(text: str) -> int:
        return sum(1 for p in patterns for _ in p.finditer(text))

    if args.baseline_mb > 0:
        t_re, n_re = time_it(regex_baseline, small)
        re_rate = small_mb / t_re
    else:
        n_re, re_rate = 0, float("nan")
    _, n_ours_small = time_it(ours, small)

    try:
        from flashtext import KeywordProcessor
    except ImportError:  # pragma: no cover
        flash_rate = float("nan")
        n_flash = 0
    else:
        kp = KeywordProcessor(case_sensitive=False)
        for form in forms:
            kp.add_keyword(form)
        t_flash, n_flash = time_it(lambda t: len(kp.extract_keywords(t, span_info=True)), texts)
        flash_rate = mb / t_flash

    print("\nmatching alone (MB/s, higher is better)")
    print(f"  framing Matcher          {ours_rate:8.2f} MB/s  {n_ours:>8,} matches")
    print(
        f"  flashtext                {flash_rate:8.2f} MB/s  {n_flash:>8,} keywords "
        "(no normalization, no overlap rule)"
    )
    print(
        f"  one regex per term       {re_rate:8.3f} MB/s  (on {small_mb:.2f} MB: {n_re:,} raw "
        f"hits incl. overlaps vs {n_ours_small:,} ours)"
    )
    print(f"  speed-up vs regex        {ours_rate / re_rate:8.0f}x   (target >= 50x)")
    print(f"  speed-up vs flashtext    {ours_rate / flash_rate:8.1f}x")

    # -- whole score() -------------------------------------------------------------------------
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "outlet": "",
            "date": pd.Series([pd.NaT] * len(texts), dtype="datetime64[ns]"),
            "title": None,
            "text": texts,
        }
    )
    score(docs.iloc[:5], lexicons=lexicon)  # compile and cache the matcher
    started = time.process_time()
    scores = score(docs, lexicons=lexicon)
    t_score = time.process_time() - started

    parts = {}
    for name, func in (
        ("normalize (framing._text)", normalize),
        ("segment_text (sentences + quotes)", segment_text),
    ):
        parts[name] = time_it(lambda t, f=func: (f(t), 0)[1], texts)[0]
    parts["matching incl. normalize"] = t_ours
    parts["matching excl. normalize"] = max(t_ours - parts["normalize (framing._text)"], 1e-9)
    t_mod = time_modifiers(texts, lexicon)
    parts["modifiers (quotes, speakers, negation)"] = t_mod
    t_ctx = time_context(texts, lexicon)
    parts["context gating (framing.context)"] = t_ctx
    parts["the rest (words, quotes share, tables)"] = max(
        t_score - t_ours - parts["segment_text (sentences + quotes)"] - t_mod - t_ctx, 1e-9
    )

    tracemalloc.start()
    score(docs, lexicons=lexicon)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("\nwhole score()")
    print(
        f"  score()                  {mb / t_score:8.2f} MB/s  ({t_score:.2f} s; "
        f"{len(scores.sentences):,} sentences, {len(scores.matches):,} matches; "
        "target >= 8 MB/s per core)"
    )
    for name, seconds in parts.items():
        print(f"    {name:<38} {seconds:6.2f} s  ({mb / seconds:7.1f} MB/s)")
    before = t_score - t_mod
    print(
        f"  framing.modifiers in score(): {t_mod:.2f} s = {100 * t_mod / t_score:.1f}% of it; "
        f"score() without them {mb / before:.2f} MB/s, with them {mb / t_score:.2f} MB/s: "
        f"speed drop {100 * (1 - before / t_score):.1f}% (target <= 15%)"
    )
    print(
        f"  peak traced memory of one score() call: {peak / 1e6:.0f} MB "
        f"({peak / 1e6 / mb:.1f}x the text); process peak RSS {rss:.0f} MB"
    )
    print("\nratios to bare flashtext over the same text and forms (CPU time, same run)")
    print(f"  whole score()            {(mb / t_score) / flash_rate:8.2f}x  (target >= 2.0x)")
    print(f"  matcher alone            {ours_rate / flash_rate:8.2f}x  (target >= 4x)")


if __name__ == "__main__":
    main()
