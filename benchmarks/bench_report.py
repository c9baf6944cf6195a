"""`framing report` on a whole scores directory: wall time and peak memory, against scoring.

    .venv/bin/python benchmarks/bench_report.py [--data ../shared/data] [--fraction 1]
                                                [--jobs 2] [--n-boot 1000]

Scores the first ``--fraction`` of the AllSides corpus with the real command line
``framing score INPUT -o SCORES --jobs N`` in a fresh process, then writes the HTML report of
that scores directory with ``framing report SCORES -o report.html``, and prints for both the
wall time, the CPU seconds and the peak memory of the whole process tree (sampled from
``/proc`` as ``bench_scale.py`` does). The report reads only the columns it uses and reduces
the sentences part file by part file (see ``framing.reporting``).

Targets (issue 18): the report of the whole corpus with peak memory < 1 GB and wall time < 2x
the time ``framing score --jobs 2`` took, both measured in this run (the machine may be
shared: compare the ratio).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import FRAMING, REPO, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="shared data folder (default: ../shared/data next to the repo)",
    )
    parser.add_argument(
        "--fraction",
        type=float,
        default=1.0,
        help="share of the corpus (the first rows; default 1 = all of it)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of framing score")
    parser.add_argument("--n-boot", type=int, default=1000, help="--n-boot of framing report")
    args = parser.parse_args()
    source = args.data / "allsides" / "allsides.parquet"
    if not source.exists():
        sys.exit(
            f"AllSides corpus not found at {source}; pass --data DIR (the folder that "
            "holds allsides/allsides.parquet)"
        )
    if not FRAMING.exists():
        sys.exit(f"the framing command is not installed next to {sys.executable}")
    tmp = Path(tempfile.mkdtemp(prefix="framing-report-"))
    try:
        corpus = source
        if args.fraction < 1:
            table = pq.read_table(source)
            n = int(round(table.num_rows * args.fraction))
            corpus = tmp / "allsides_part.parquet"
            pq.write_table(table.slice(0, n), corpus, row_group_size=2000)
            del table
        n_docs = pq.read_metadata(corpus).num_rows
        scores_dir = tmp / "scores"
        s_wall, s_mem = run(
            [str(FRAMING), "score", str(corpus), "-o", str(scores_dir), "--jobs", str(args.jobs)]
        )
        r_wall, r_mem = run(
            [
                str(FRAMING),
                "report",
                str(scores_dir),
                "-o",
                str(tmp / "report.html"),
                "--n-boot",
                str(args.n_boot),
            ]
        )
        size = (tmp / "report.html").stat().st_size / 1e6
        print(f"corpus: {n_docs:,} AllSides documents ({args.fraction:.0%})")
        print(f"{'command':<34} {'wall s':>7} {'cpu s':>7} {'peak MB (whole tree)':>21}")
        print(
            f"{'framing score -o DIR --jobs ' + str(args.jobs):<34} {s_wall:>7.1f} "
            f"{s_mem['cpu']:>7.1f} {s_mem['total']:>21.0f}"
        )
        print(
            f"{'framing report DIR':<34} {r_wall:>7.1f} {r_mem['cpu']:>7.1f} "
            f"{r_mem['total']:>21.0f}   ({size:.1f} MB of HTML)"
        )
        print(
            f"report time / score time: {r_wall / s_wall:.2f} (target < 2); report peak "
            f"memory {r_mem['total']:.0f} MB (target < 1,000 MB)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
