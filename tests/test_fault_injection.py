"""Fault injection: signals in the middle of `framing score -o DIR --jobs 2`.

A few thousand real AllSides articles are scored by a `framing` child process; once it has
written its first part files, the test sends SIGINT, SIGTERM or SIGKILL. Afterwards DIR is
absent (or still the previous complete version), the child's pipes are closed within seconds
(no worker, forkserver or resource tracker keeps the caller's stdout open), and a rerun
succeeds. Also here: `framing score` and `framing report` twice give byte-identical files.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

ALLSIDES = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "allsides"
    / ("allsides.parquet")
)
N_ARTICLES = 2000
LEX = "loaded-language"


def framing(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "framing.cli", *map(str, args)]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    if not ALLSIDES.is_file():
        pytest.skip(f"shared AllSides data not found at {ALLSIDES}")
    import pyarrow.parquet as pq

    table = pq.ParquetFile(ALLSIDES).read_row_group(
        0, columns=["id", "outlet", "date", "title", "text"]
    )
    path = tmp_path_factory.mktemp("allsides") / "articles.parquet"
    table.slice(0, N_ARTICLES).to_pandas().to_parquet(path)
    return path


def _score(articles: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        framing(
            "score", articles, "-l", LEX, "-o", out, "--jobs", "2", "--chunksize", "50", *extra
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def _interrupt(proc: subprocess.Popen, out: Path, sig: int) -> tuple[bytes, bytes, float]:
    """Send ``sig`` once the run has written part files; return its output and how long the
    pipes stayed open after the signal."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        parts = list(out.parent.glob(f".{out.name}.tmp-*/documents/*.parquet"))
        if len(parts) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)  # hangs if anything holds the pipes
    return stdout, stderr, time.monotonic() - sent


def _complete(out: Path) -> dict:
    meta = json.loads((out / "meta.json").read_text())
    assert meta["summary"]["documents_in"] == N_ARTICLES
    assert len(pd.read_parquet(out / "documents")) == N_ARTICLES
    return meta


def test_signals_mid_run_leave_no_output_then_a_rerun_succeeds_and_a_killed_overwrite_keeps_it(
    articles, tmp_path
):
    out = tmp_path / "scores"
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        proc = _score(articles, out)
        _stdout, stderr, waited = _interrupt(proc, out, sig)
        name = signal.Signals(sig).name
        assert proc.returncode != 0, name
        assert waited < 30, f"{name}: pipes held open for {waited:.0f} s after the signal"
        assert not out.exists(), name
        if sig != signal.SIGKILL:  # cleaned up by the process itself
            assert not list(tmp_path.glob(".scores.tmp-*")), stderr.decode()[-2000:]
            assert b"Traceback" not in stderr, name
    rerun = subprocess.run(
        framing("score", articles, "-l", LEX, "-o", out, "--jobs", "2", "--chunksize", "50"),
        capture_output=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    _complete(out)
    # the SIGKILLed run's temporary directory was removed by the rerun
    assert not list(tmp_path.glob(".scores.tmp-*"))

    # SIGKILL while replacing a complete scores directory: the previous version stays
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    proc = _score(articles, out, "--overwrite")
    _interrupt(proc, out, signal.SIGKILL)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    _complete(out)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    from framing.datasets import demo_corpus

    docs = demo_corpus()
    docs.assign(date=docs["date"].astype(str)).to_json(path, orient="records", lines=True)
    return path


def test_score_and_report_twice_are_byte_identical(small_corpus, tmp_path):
    from click.testing import CliRunner

    from framing.cli import cli

    runs = []
    for k in (1, 2):  # the same names in two folders: paths are part of the Markdown
        out = tmp_path / f"run{k}" / "scores"
        res = CliRunner().invoke(
            cli, ["score", str(small_corpus), "-o", str(out), "--jobs", "2", "--chunksize", "10"]
        )
        assert res.exit_code == 0, res.output
        for fmt in ("html", "md"):
            rep = CliRunner().invoke(
                cli,
                [
                    "report",
                    str(out),
                    "-o",
                    str(tmp_path / f"run{k}" / f"r.{fmt}"),
                    "--n-boot",
                    "20",
                ],
            )
            assert rep.exit_code == 0, rep.output
        runs.append(out)
    a, b = runs
    r1, r2 = tmp_path / "run1", tmp_path / "run2"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert len(files) > 3
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert (r1 / "r.html").read_bytes() == (r2 / "r.html").read_bytes()
    assert (r1 / "r.md").read_bytes() == (r2 / "r.md").read_bytes()
    pngs = sorted((r1 / "r_figures").glob("*.png"))
    assert pngs
    for png in pngs:
        assert png.read_bytes() == (r2 / "r_figures" / png.name).read_bytes(), png.name


def test_workers_die_with_their_parent(articles, tmp_path):
    """SIGKILL of the main process: its worker processes are gone within seconds."""
    out = tmp_path / "scores"
    proc = _score(articles, out)
    deadline = time.monotonic() + 120
    while not list(out.parent.glob(f".{out.name}.tmp-*/documents/*.parquet")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    children = _descendants(proc.pid)
    assert children, "no worker processes found"
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and [p for p in children if _alive(p)]:
        time.sleep(0.1)
    assert not [p for p in children if _alive(p)]


def _descendants(pid: int) -> list[int]:
    """Processes whose parent chain reaches ``pid`` (from /proc; Linux)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


if not sys.platform.startswith("linux"):  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="the fault-injection tests use Linux /proc and signals")
elif os.environ.get("FRAMING_SKIP_FAULT_INJECTION"):  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="FRAMING_SKIP_FAULT_INJECTION is set")
