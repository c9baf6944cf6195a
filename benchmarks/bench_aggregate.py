"""Benchmark of framing.aggregate: bootstrap CI coverage and speed, on synthetic scores.

1. Coverage: many simulated groups of documents whose true rate is known (matches drawn from
   an over-dispersed Poisson, words vary by document); the share of groups whose 95% interval
   from ``profile`` contains the true rate should be close to 95%.
2. Speed: ``profile`` with 1000 resamples over 40 outlets x 50 categories, compared with a
   naive loop bootstrap (pandas groupby per resample) timed on a few resamples and
   extrapolated.

Run: ``.venv/bin/python benchmarks/bench_aggregate.py [--reps 400] [--n-boot 1000]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from framing.aggregate import profile
from framing.scoring import Scores

ADJ = [
    "Daily",
    "Evening",
    "National",
    "Free",
    "Northern",
    "Coastal",
    "Capital",
    "Morning",
    "Independent",
    "Metropolitan",
    "Valley",
    "Harbour",
]
NOUN = [
    "Lantern",
    "Courier",
    "Ledger",
    "Sentinel",
    "Dispatch",
    "Observer",
    "Tribune",
    "Herald",
    "Beacon",
    "Chronicle",
    "Gazette",
]


def outlet_names(n: int) -> list[str]:
    """``n`` distinct fictional outlet names."""
    names = [f"The {a} {b}" for b in NOUN for a in ADJ]
    return names[:n]


def synthetic_scores(
    *,
    n_outlets: int = 40,
    docs_per_outlet: tuple[int, int] = (30, 150),
    n_features: int = 50,
    sentences_per_doc: int = 20,
    dispersion: float = 2.0,
    seed: int = 0,
) -> tuple[Scores, np.ndarray]:
    """Synthetic Scores and the true rate (per 1,000 author words) of each outlet x feature.

    Author-voice words per sentence: ``n_words * (1 - quote_share)``. Each document has a
    gamma(``dispersion``) multiplier with mean 1 (matches cluster within articles), so the
    document-level bootstrap is needed. Concept alternatives (3 concepts, left/right/neutral
    stances) are added for term choice and slant.
    """
    rng = np.random.default_rng(seed)
    outlets = outlet_names(n_outlets)
    true = rng.gamma(1.5, 1.0, size=(n_outlets, n_features)) * rng.uniform(0.2, 3, n_features)
    n_docs = rng.integers(docs_per_outlet[0], docs_per_outlet[1] + 1, n_outlets)
    doc_outlet = np.repeat(np.arange(n_outlets), n_docs)
    nd = len(doc_outlet)
    doc_ids = np.array([f"doc{i:06d}" for i in range(nd)], dtype=object)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, nd), unit="D")
    docs = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "outlet": np.array(outlets, dtype=object)[doc_outlet],
            "date": dates,
            "title": "t",
            "text": "",
        }
    )
    sent_doc = np.repeat(np.arange(nd), sentences_per_doc)
    n_words = rng.integers(8, 40, len(sent_doc))
    quote_share = np.where(
        rng.random(len(sent_doc)) < 0.8, 0.0, rng.uniform(0.2, 1.0, len(sent_doc))
    )
    sents = pd.DataFrame(
        {
            "doc_id": doc_ids[sent_doc],
            "sent_id": np.tile(np.arange(sentences_per_doc), nd),
            "start": 0,
            "end": 1,
            "text": "",
            "n_words": n_words,
            "quote_share": quote_share,
        }
    )
    author_words = np.bincount(sent_doc, weights=n_words * (1 - quote_share), minlength=nd)
    mult = rng.gamma(dispersion, 1 / dispersion, size=nd)
    lam = true[doc_outlet] * (author_words * mult / 1000)[:, None]
    counts = rng.poisson(lam)
    d_idx, f_idx = np.nonzero(counts)
    reps = counts[d_idx, f_idx]
    d_idx, f_idx = np.repeat(d_idx, reps), np.repeat(f_idx, reps)
    # concept alternatives: outlet leaning drives the share of right-coded wording
    lean = np.linspace(0.1, 0.9, n_outlets)
    nc = rng.poisson(6, nd)
    c_doc = np.repeat(np.arange(nd), nc)
    c_id = rng.integers(0, 3, len(c_doc))
    u = rng.random(len(c_doc))
    stance = np.where(
        u < 0.2,
        "neutral",
        np.where(rng.random(len(c_doc)) < lean[doc_outlet[c_doc]], "right", "left"),
    )
    concept_terms = {
        ("c0", "left"): "estate tax",
        ("c0", "right"): "death tax",
        ("c0", "neutral"): "inheritance levy",
        ("c1", "left"): "undocumented",
        ("c1", "right"): "illegal alien",
        ("c1", "neutral"): "migrant",
        ("c2", "left"): "gun safety",
        ("c2", "right"): "gun rights",
        ("c2", "neutral"): "firearms policy",
    }
    cids = np.array(["c0", "c1", "c2"], dtype=object)[c_id]
    frames = [
        pd.DataFrame(
            {
                "doc_id": doc_ids[d_idx],
                "sent_id": rng.integers(0, sentences_per_doc, len(d_idx)),
                "start": 0,
                "end": 1,
                "surface": "x",
                "term": [f"term{f:02d}" for f in f_idx],
                "lexicon": "synthetic",
                "category": [f"category_{f:02d}" for f in f_idx],
                "concept": None,
                "stance": None,
                "weight": 1.0,
                "voice": "author",
            }
        ),
        pd.DataFrame(
            {
                "doc_id": doc_ids[c_doc],
                "sent_id": rng.integers(0, sentences_per_doc, len(c_doc)),
                "start": 0,
                "end": 1,
                "surface": "x",
                "term": [concept_terms[(c, s)] for c, s in zip(cids, stance, strict=True)],
                "lexicon": "synthetic-concepts",
                "category": None,
                "concept": cids,
                "stance": stance,
                "weight": 1.0,
                "voice": "author",
            }
        ),
    ]
    matches = pd.concat(frames, ignore_index=True)
    for col in ("category", "concept", "stance"):
        matches[col] = matches[col].astype(object)
    per_sent = matches.groupby(["doc_id", "sent_id"]).size()
    key = pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]])
    sents["n_matches"] = per_sent.reindex(key, fill_value=0).to_numpy()
    sents["score"] = sents["n_matches"].astype(float)
    sents["text"] = "A synthetic sentence."
    sents["end"] = len("A synthetic sentence.")
    per_doc = sents.groupby("doc_id", sort=False)
    docs["n_sentences"] = per_doc.size().reindex(doc_ids).to_numpy()
    docs["n_words"] = per_doc["n_words"].sum().reindex(doc_ids).to_numpy()
    docs["n_matches"] = per_doc["n_matches"].sum().reindex(doc_ids).to_numpy()
    docs["score"] = docs["n_matches"].astype(float)
    return Scores(docs, sents, matches), true


def coverage(
    reps: int, n_boot: int, n_docs: int, rate: float, dispersion: float, seed: int
) -> tuple[float, float, float]:
    """Share of the simulated groups with an interval whose 95% CI holds the true rate, mean
    CI width, and share of groups without an interval (every document counted 0 matches:
    nothing to resample, so the profile gives the rate 0 and no interval)."""
    rng = np.random.default_rng(seed)
    nd = reps * n_docs
    group = np.repeat(np.arange(reps), n_docs)
    doc_ids = np.array([f"d{i}" for i in range(nd)], dtype=object)
    words = rng.integers(150, 1500, nd)
    docs = pd.DataFrame({"doc_id": doc_ids, "outlet": [f"g{g:05d}" for g in group]})
    sents = pd.DataFrame({"doc_id": doc_ids, "sent_id": 0, "n_words": words, "quote_share": 0.0})
    lam = rate * words / 1000 * rng.gamma(dispersion, 1 / dispersion, nd)
    k = rng.poisson(lam)
    mdoc = np.repeat(np.arange(nd), k)
    matches = pd.DataFrame(
        {
            "doc_id": doc_ids[mdoc],
            "sent_id": 0,
            "term": "t",
            "lexicon": "sim",
            "category": "feature",
            "concept": None,
            "stance": None,
            "voice": "author",
        }
    )
    prof = profile(Scores(docs, sents, matches), by="outlet", n_boot=n_boot, seed=seed)
    has = prof["ci_low"].notna()
    inside = (prof["ci_low"] <= rate) & (rate <= prof["ci_high"])
    return (
        float(inside[has].mean()),
        float((prof["ci_high"] - prof["ci_low"]).mean()),
        float(1 - has.mean()),
    )


def naive_bootstrap(scores: Scores, n_boot: int, seed: int = 0) -> None:
    """Loop bootstrap with pandas: resample documents of each outlet, recount (baseline)."""
    rng = np.random.default_rng(seed)
    docs = scores.documents
    sents = scores.sentences.assign(w=lambda s: s["n_words"] * (1 - s["quote_share"]))
    words = sents.groupby("doc_id")["w"].sum()
    m = scores.matches[scores.matches["category"].notna()]
    per_doc = m.groupby(["doc_id", "category"]).size().unstack(fill_value=0)
    per_doc = per_doc.reindex(docs["doc_id"], fill_value=0)
    for _outlet, d in docs.groupby("outlet"):
        ids = d["doc_id"].to_numpy()
        for _ in range(n_boot):
            pick = rng.choice(ids, size=len(ids), replace=True)
            _ = per_doc.loc[pick].sum() / words.reindex(pick).sum() * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400, help="simulated groups per setting")
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print("== CI coverage (nominal 95%), expanded percentile bootstrap over documents ==")
    print(
        f"{'docs/group':>10} {'rate/1k':>8} {'dispersion':>10} {'coverage':>9} "
        f"{'mean width':>10} {'no interval':>11}"
    )
    for n_docs in (10, 30, 100):
        for rate in (0.5, 5.0):
            for disp in (1.0, 10.0):
                t0 = time.perf_counter()
                cov, width, none = coverage(args.reps, args.n_boot, n_docs, rate, disp, args.seed)
                print(
                    f"{n_docs:>10} {rate:>8.1f} {disp:>10.1f} {cov:>9.3f} {width:>10.3f}"
                    f" {none:>11.3f}"
                    f"   ({args.reps} groups, {time.perf_counter() - t0:.1f} s)"
                )

    print("\n== speed: profile(n_boot=1000), 40 outlets x 50 categories ==")
    scores, _ = synthetic_scores(n_outlets=40, n_features=50, seed=args.seed)
    docs = scores.documents
    print(
        f"{len(docs):,} documents, {len(scores.sentences):,} sentences, "
        f"{len(scores.matches):,} matches"
    )
    t0 = time.perf_counter()
    prof = profile(scores, by="outlet", level="category", n_boot=args.n_boot, seed=args.seed)
    vec = time.perf_counter() - t0
    print(
        f"vectorized profile: {vec:.2f} s for {args.n_boot} resamples "
        f"({len(prof)} rows = {prof['outlet'].nunique()} outlets x "
        f"{prof['feature'].nunique()} features)"
    )
    t0 = time.perf_counter()
    prof0 = profile(scores, by="outlet", level="category", n_boot=0)
    base = time.perf_counter() - t0
    print(f"profile without bootstrap: {base:.2f} s  (bootstrap share {vec - base:.2f} s)")
    k = 5
    t0 = time.perf_counter()
    naive_bootstrap(scores, k, seed=args.seed)
    naive = (time.perf_counter() - t0) / k * args.n_boot
    print(
        f"naive pandas loop bootstrap: ~{naive:.0f} s for {args.n_boot} resamples "
        f"(timed {k}, extrapolated) -> vectorized is {naive / vec:.0f}x faster"
    )
    assert np.allclose(prof["rate"], prof0["rate"], equal_nan=True)

    print("\n== speed at corpus scale: 40 outlets x ~900 articles x 50 categories ==")
    big, _ = synthetic_scores(
        n_outlets=40,
        docs_per_outlet=(800, 1000),
        n_features=50,
        sentences_per_doc=10,
        seed=args.seed,
    )
    print(f"{len(big.documents):,} documents, {len(big.matches):,} matches")
    for label, kwargs in (
        ("category per 1k words", {}),
        ("term per 1k words", {"level": "term"}),
        ("category sentence share", {"rate": "sentence_share"}),
    ):
        t0 = time.perf_counter()
        profile(big, n_boot=args.n_boot, seed=args.seed, **kwargs)
        print(f"profile ({label}), {args.n_boot} resamples: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
