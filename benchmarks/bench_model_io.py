"""Size and speed of data-only model files (framing.model_io) on a PTC-trained model.

Trains ``FramingClassifier`` (default features, bundled lexicons) on the PTC sentences
(any technique), saves it, loads it back, and prints the file size, save and load times, and
whether the loaded model's probabilities on every training sentence are bit-identical to
the original's. For scale, the size and the dump / load times of a plain pickle of the same
model are printed too (pickle is not used by framing; it only gives a reference).

Usage::

    .venv/bin/python benchmarks/bench_model_io.py [--data ../shared/data] [--n 4000]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def main(argv: list[str] | None = None) -> int:
    from framing.classify import FramingClassifier, load_model, save_model

    root = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        default=str(root.parent / "shared" / "data"),
        help="shared data folder holding ptc/sentences.parquet",
    )
    ap.add_argument("--n", type=int, default=0, help="train on the first N sentences (0 = all)")
    ap.add_argument("--context", action="store_true", help="a stacked context model")
    args = ap.parse_args(argv)
    path = Path(args.data) / "ptc" / "sentences.parquet"
    if not path.is_file():
        print(f"missing {path}: this benchmark needs the PTC sentences", file=sys.stderr)
        return 2
    d = pd.read_parquet(path).sort_values(["article_id", "line"]).reset_index(drop=True)
    if args.n:
        d = d.iloc[: args.n]
    y = (d["techniques"].astype(str) != "").to_numpy().astype(int)
    X = pd.DataFrame({"text": d["text"].astype(str), "doc_id": d["article_id"].astype(str)})
    t0 = time.perf_counter()
    clf = FramingClassifier(context=args.context).fit(X, y, groups=X["doc_id"])
    print(
        f"trained on {len(X)} sentences in {time.perf_counter() - t0:.1f}s (context={args.context})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "m.framing-model"
        t0 = time.perf_counter()
        save_model(clf, f)
        save_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        back = load_model(f)
        load_s = time.perf_counter() - t0
        size = f.stat().st_size
        t0 = time.perf_counter()
        raw = pickle.dumps(clf, protocol=pickle.HIGHEST_PROTOCOL)
        dump_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pickle.loads(raw)
        unpickle_s = time.perf_counter() - t0
    same = np.array_equal(back.predict_proba(X), clf.predict_proba(X))
    print(
        f"model file: {size / 1e6:.1f} MB, save {save_s:.2f}s, load {load_s:.2f}s "
        f"(incl. a check prediction)"
    )
    print(
        f"plain pickle (reference only): {len(raw) / 1e6:.1f} MB, dump {dump_s:.2f}s, "
        f"load {unpickle_s:.2f}s"
    )
    print(f"probabilities after save/load bit-identical on {len(X)} sentences: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
