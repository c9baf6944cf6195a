"""Scale benchmark: wall time and peak memory of `framing score` on the AllSides corpus.

    .venv/bin/python benchmarks/bench_scale.py [--data ../shared/data] [--fractions 0.25 0.5 1]
                                               [--jobs 1 2] [--dask] [--chunksize 1000]

For each fraction of the corpus (the first rows, written once to a temporary Parquet file with
row groups of 2,000 documents) and each ``--jobs`` value, runs the real command line
``framing score INPUT -o OUT --jobs N`` in a fresh process and prints wall time, documents/s,
MB/s, CPU seconds of the whole process tree (on a busy machine, ``cpu s`` of ``--jobs 2``
close to that of ``--jobs 1`` still shows that parallelism adds little work) and memory, all
sampled every 0.1 s from ``/proc/<pid>/status`` of the command and all its
descendants (worker processes, dask nannies and workers):

* ``main``: peak resident memory (VmHWM) of the command's own process,
* ``worker``: the largest peak resident memory of any descendant process,
* ``total``: the peak of the summed resident memory of the whole process tree (what the
  machine must hold at once),
* ``main 1st/2nd``: the largest resident memory (VmRSS) of the command's own process in the
  first and in the second half of the run: equal halves mean its memory has levelled off
  rather than growing with the documents read (the high-water mark ``main`` keeps whatever
  the Parquet reader's allocator took while warming up).

It ends with the parallel efficiency ``t(1 job) / (N * t(N jobs))`` and checks that every
engine wrote the same number of sentences and matches. ``--dask`` adds the dask engine on a
LocalCluster of 2 workers (``--engine dask --jobs 2``). Targets (issue 7): whole corpus < 30 s
with 2 jobs, peak memory < 1.5 GB and flat in corpus size, parallel efficiency >= 80 % at 2 jobs.

The baseline (issue 18): bare flashtext keyword extraction (``extract_keywords(text,
span_info=True)``) over the same texts with every form of every term of the same lexicons, on
one core in this process, timed right after the framing runs of each fraction. Target: the
whole corpus with ``--jobs 2`` >= 2.5x faster than that, parallel efficiency >= 85 %, peak
memory < 1.5 GB. Timings are wall-clock: on a shared machine compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
FRAMING = Path(sys.executable).with_name("framing")


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (kB) of ``pid``; {} when it is gone."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except OSError:
        return {}
    return out


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``pid``; None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (via /proc/<pid>/task/<tid>/children)."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            found.extend(kids)
            stack.extend(kids)
    return found


def run(cmd: list[str], interval: float = 0.1) -> tuple[float, dict[str, float]]:
    """Run ``cmd``; wall seconds, CPU seconds of the whole process tree and memory peaks (MB).

    Everything is sampled every ``interval`` seconds from ``/proc`` (workers forked by a
    forkserver are not waited for by the command, so ``getrusage`` would miss them); the last
    ``interval`` of each process's life is not seen.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    main_hwm = worker_hwm = total_peak = 0
    cpu_seen: dict[int, float] = {}
    main_rss: list[tuple[float, int]] = []
    while proc.poll() is None:
        st = _status(proc.pid)
        main_hwm = max(main_hwm, st.get("VmHWM", 0))
        if "VmRSS" in st:
            main_rss.append((time.perf_counter() - started, st["VmRSS"]))
        total = st.get("VmRSS", 0)
        for pid in [proc.pid, *_descendants(proc.pid)]:
            if pid != proc.pid:
                kst = _status(pid)
                worker_hwm = max(worker_hwm, kst.get("VmHWM", 0))
                total += kst.get("VmRSS", 0)
            used = _cpu(pid)
            if used is not None:
                cpu_seen[pid] = used
        total_peak = max(total_peak, total)
        time.sleep(interval)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    cpu = sum(cpu_seen.values())
    half = wall / 2
    first = max((r for t, r in main_rss if t < half), default=0)
    second = max((r for t, r in main_rss if t >= half), default=0)
    mem = {
        "main": main_hwm / 1024,
        "worker": worker_hwm / 1024,
        "total": total_peak / 1024,
        "cpu": cpu,
        "main_1st": first / 1024,
        "main_2nd": second / 1024,
    }
    return wall, mem


def flashtext_seconds(texts: list[str], lexicons: list[str] | None) -> tuple[float, float, int]:
    """Wall and CPU seconds of bare flashtext over ``texts`` (one core), and keywords found."""
    from flashtext import KeywordProcessor

    from framing.lexicon import list_lexicons, load_lexicon
    from framing.matcher import term_forms

    processor = KeywordProcessor(case_sensitive=False)
    for entry in load_lexicon(lexicons or list_lexicons()).entries:
        for text in (entry.term, *entry.variants):
            for form in term_forms(text):
                processor.add_keyword(form)
    wall, cpu = time.perf_counter(), time.process_time()
    found = sum(len(processor.extract_keywords(t, span_info=True)) for t in texts)
    return time.perf_counter() - wall, time.process_time() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="shared data folder (default: ../shared/data next to the repo)",
    )
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dask", action="store_true", help="also run the dask engine")
    parser.add_argument(
        "--chunksize",
        type=int,
        default=None,
        help="documents per chunk (default: framing's default)",
    )
    parser.add_argument(
        "--lexicon",
        action="append",
        default=None,
        help="lexicon to score with (repeatable; default: all bundled)",
    )
    parser.add_argument(
        "--no-flashtext", action="store_true", help="skip the one-core flashtext baseline"
    )
    args = parser.parse_args()
    source = args.data / "allsides" / "allsides.parquet"
    if not source.exists():
        sys.exit(
            f"AllSides corpus not found at {source}; pass --data DIR (the folder that "
            "holds allsides/allsides.parquet)"
        )
    if not FRAMING.exists():
        sys.exit(f"the framing command is not installed next to {sys.executable}")
    table = pq.read_table(source)
    extra = sum((["-l", name] for name in (args.lexicon or [])), [])
    if args.chunksize:
        extra += ["--chunksize", str(args.chunksize)]
    tmp = Path(tempfile.mkdtemp(prefix="framing-scale-"))
    print(
        f"{'corpus':>6} {'docs':>7} {'MB':>6}  {'engine':<16} {'wall s':>7} {'cpu s':>6} "
        f"{'docs/s':>7} {'MB/s':>6}  {'main MB':>7} {'1st/2nd':>9} {'worker MB':>9} {'total MB':>8}"
        "  matches"
    )
    try:
        for frac in args.fractions:
            n = int(round(table.num_rows * frac))
            part = tmp / f"allsides_{int(frac * 100)}.parquet"
            piece = table.slice(0, n)
            pq.write_table(piece, part, row_group_size=2000)
            mb = (pc.sum(pc.utf8_length(piece.column("text"))).as_py() or 0) / 1e6
            times: dict[str, float] = {}
            used: dict[str, int] = {}
            counts = set()
            engines = [(f"jobs={j}", ["--jobs", str(j)]) for j in args.jobs]
            if args.dask:
                engines.append(("dask (2 workers)", ["--engine", "dask", "--jobs", "2"]))
            for label, opts in engines:
                out = tmp / "out"
                shutil.rmtree(out, ignore_errors=True)
                wall, mem = run([str(FRAMING), "score", str(part), "-o", str(out), *extra, *opts])
                times[label] = wall
                summary = json.loads((out / "meta.json").read_text())["summary"]
                used[label] = summary["jobs"]
                counts.add((summary["documents_out"], summary["sentences"], summary["matches"]))
                print(
                    f"{frac:>6.0%} {n:>7,} {mb:>6.1f}  {label:<16} {wall:>7.1f} "
                    f"{mem['cpu']:>6.1f} {n / wall:>7,.0f} {mb / wall:>6.2f}  {mem['main']:>7.0f} "
                    f"{mem['main_1st']:>4.0f}/{mem['main_2nd']:<4.0f} {mem['worker']:>9.0f} {mem['total']:>8.0f}  {summary['matches']:,}",
                    flush=True,
                )
            for j in args.jobs:
                if j > 1 and used.get(f"jobs={j}", j) != j:
                    print(
                        f"{'':>6} jobs={j} ran in {used[f'jobs={j}']} process (a single "
                        "chunk): no parallel efficiency; use a larger fraction"
                    )
                elif j > 1 and "jobs=1" in times and f"jobs={j}" in times:
                    eff = times["jobs=1"] / (j * times[f"jobs={j}"])
                    print(f"{'':>6} parallel efficiency at {j} jobs: {eff:.0%}")
            best = max(args.jobs)
            if not args.no_flashtext and f"jobs={best}" in times:
                texts = [t for t in piece.column("text").to_pylist() if isinstance(t, str)]
                f_wall, f_cpu, found = flashtext_seconds(texts, args.lexicon)
                del texts
                print(
                    f"{frac:>6.0%} {n:>7,} {mb:>6.1f}  {'flashtext 1 core':<16} {f_wall:>7.1f} "
                    f"{f_cpu:>6.1f} {n / f_wall:>7,.0f} {mb / f_wall:>6.2f}  "
                    f"{'':>7} {'':>9} {'':>9} {'':>8}  {found:,} keywords"
                )
                print(
                    f"{'':>6} framing --jobs {best} vs one-core flashtext: "
                    f"{f_wall / times[f'jobs={best}']:.2f}x faster (target >= 2.5x)"
                )
            if len(counts) > 1:
                print(
                    f"{'':>6} WARNING: engines disagree on (documents, sentences, matches): "
                    f"{sorted(counts)}"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
