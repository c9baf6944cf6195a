"""Scale benchmark: wall time and peak memory of `framing score` on the AllSides corpus.

    .venv/bin/python benchmarks/bench_scale.py [--data ../shared/data] [--fractions 0.25 0.5 1]
                                               [--jobs 1 2] [--dask]

For each fraction of the corpus (the first rows, written once to a temporary Parquet file with
row groups of 2,000 documents) and each ``--jobs`` value, runs the real command line
``framing score INPUT -o OUT --jobs N`` in a fresh process under ``/usr/bin/time`` and prints
wall time, MB/s, the peak resident memory of the main process and of the largest worker, and
the parallel efficiency ``t(1 job) / (N * t(N jobs))``. ``--dask`` adds the dask engine on a
local cluster of 2 workers. Targets (issue 7): whole corpus < 30 s with 2 jobs, peak memory
< 1.5 GB and flat in corpus size, parallel efficiency >= 80 % at 2 jobs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
FRAMING = Path(sys.executable).with_name("framing")


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (largest single process, per GNU time) and stderr."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    return wall, peak_kb / 1024, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", action="store_true", help="also run the dask engine")
    parser.add_argument("--lexicon", action="append", default=None)
    args = parser.parse_args()
    source = args.data / "allsides" / "allsides.parquet"
    if not source.exists():
        sys.exit(f"AllSides corpus not found at {source}; pass --data DIR")
    table = pq.read_table(source)
    lex = sum((["-l", name] for name in (args.lexicon or [])), [])
    tmp = Path(tempfile.mkdtemp(prefix="framing-scale-"))
    rows = []
    try:
        for frac in args.fractions:
            n = int(round(table.num_rows * frac))
            part = tmp / f"allsides_{int(frac * 100)}.parquet"
            pq.write_table(table.slice(0, n), part, row_group_size=2000)
            mb = sum(len(t.as_py() or "") for t in table.column("text").slice(0, n)) / 1e6
            times: dict[str, float] = {}
            engines = [(f"jobs={j}", ["--jobs", str(j)]) for j in args.jobs]
            if args.dask:
                engines.append(("dask(2 workers)", ["--engine", "dask", "--jobs", "2"]))
            for label, opts in engines:
                out = tmp / "out"
                shutil.rmtree(out, ignore_errors=True)
                wall, peak, _ = run([str(FRAMING), "score", str(part), "-o", str(out), *lex,
                                     *opts])
                times[label] = wall
                meta = json.loads((out / "meta.json").read_text())
                rows.append((frac, n, mb, label, wall, peak, meta["summary"]["matches"]))
                print(f"{frac:>5.0%} {n:>6,} docs {mb:7.1f} MB  {label:<16} {wall:7.1f} s "
                      f"{mb / wall:6.2f} MB/s  peak RSS (largest process) {peak:7.0f} MB  "
                      f"matches {meta['summary']['matches']:,}", flush=True)
            if "jobs=1" in times:
                for j in args.jobs:
                    if j > 1 and f"jobs={j}" in times:
                        eff = times["jobs=1"] / (j * times[f"jobs={j}"])
                        print(f"      parallel efficiency at {j} jobs: {eff:.0%}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
