"""Scoring corpora larger than memory: streaming chunks, worker processes, atomic output.

:func:`score_files` reads its inputs chunk by chunk (Parquet by row group, JSONL and CSV in
blocks of lines, see :func:`framing.corpus.iter_corpus`), scores each chunk with the same pure
:func:`framing.score` a notebook user calls, and appends the three tables to a Parquet (or CSV /
JSONL) *dataset*: one part file per chunk under ``documents/``, ``sentences/`` and
``matches/``. Memory stays flat because at most ``2 * jobs`` chunks are alive at a time.

The output is written into a hidden temporary directory beside the target and renamed into
place only when every chunk succeeded, so an interrupted run never leaves an output that looks
complete. With ``on_error="skip"`` a chunk that fails is rescored document by document; the
documents that still fail are listed in ``skipped.csv`` with the reason, and the summary
reconciles ``documents in == documents out + skipped``.

Parallel runs (``jobs > 1``) give the same rows in the same order as ``jobs=1``: chunks are
handed out and written back in input order, and each worker compiles the matcher once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing.errors import CorpusError, FramingError

__all__ = ["ScoreSummary", "score_files"]

log = logging.getLogger("framing")

TABLES = ("documents", "sentences", "matches")
FORMATS = ("parquet", "csv", "jsonl")
ON_ERROR = ("raise", "skip")


@dataclass
class ScoreSummary:
    """What :func:`score_files` did: counts, timing and where the output is.

    Attributes
    ----------
    out : pathlib.Path
        The scores directory written.
    documents_in, documents_out, skipped : int
        Documents read, documents written, documents skipped (``documents_in ==
        documents_out + skipped`` always holds).
    sentences, matches : int
        Rows written to the sentences and matches tables.
    chunks : int
        Number of chunks (part files per table).
    megabytes : float
        Megabytes of document text scored.
    seconds : float
        Wall time.
    jobs : int
        Worker processes used.
    """

    out: Path
    documents_in: int = 0
    documents_out: int = 0
    skipped: int = 0
    sentences: int = 0
    matches: int = 0
    chunks: int = 0
    megabytes: float = 0.0
    seconds: float = 0.0
    jobs: int = 1
    lexicons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rate = self.megabytes / self.seconds if self.seconds else float("nan")
        skipped = f", {self.skipped:,} skipped" if self.skipped else ""
        return (
            f"{self.documents_out:,} documents{skipped}, {self.sentences:,} sentences, "
            f"{self.matches:,} matches in {self.seconds:.1f} s ({rate:.1f} MB/s, "
            f"{self.jobs} job{'s' if self.jobs != 1 else ''}) -> {self.out}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict."""
        d = dict(self.__dict__)
        d["out"] = str(self.out)
        return d


# ---- worker side ------------------------------------------------------------------------------

_WORKER_LEXICON: Any = None


def _init_worker(lexicons: Any) -> None:
    """Load the lexicons once per worker process (the matcher is compiled on first use)."""
    global _WORKER_LEXICON
    from framing.lexicon import load_lexicon

    _WORKER_LEXICON = load_lexicon(lexicons)


def _score_chunk(docs: pd.DataFrame, on_error: str) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Score one chunk; with ``on_error='skip'`` fall back to one document at a time."""
    from framing.scoring import score

    try:
        scores = score(docs, lexicons=_WORKER_LEXICON)
        return _tables(scores), []
    except Exception as exc:  # reported with the chunk's document ids
        if on_error != "skip":
            ids = docs["doc_id"].astype(str).tolist()
            shown = ", ".join(ids[:5]) + (f" ... ({len(ids)} documents)" if len(ids) > 5 else "")
            raise FramingError(
                f"scoring failed on the chunk with documents {shown}: {exc}. "
                "Use --on-error skip to skip failing documents and list them in skipped.csv."
            ) from exc
    parts: list[dict[str, pd.DataFrame]] = []
    skipped: list[dict] = []
    for i in range(len(docs)):
        one = docs.iloc[i : i + 1]
        try:
            parts.append(_tables(score(one, lexicons=_WORKER_LEXICON)))
        except Exception as exc:  # listed in skipped.csv
            skipped.append({"doc_id": str(one["doc_id"].iloc[0]), "reason": f"{exc}"})
    if not parts:
        empty = _tables(score(docs.iloc[:0], lexicons=_WORKER_LEXICON))
        return empty, skipped
    return {t: pd.concat([p[t] for p in parts], ignore_index=True) for t in TABLES}, skipped


def _tables(scores: Any) -> dict[str, pd.DataFrame]:
    return {t: getattr(scores, t) for t in TABLES}


# ---- driver side ------------------------------------------------------------------------------


def _check_option(name: str, value: Any, allowed: Sequence[Any]) -> None:
    if value not in allowed:
        raise FramingError(
            f"The '{name}' parameter of score_files must be one of "
            f"{', '.join(map(repr, allowed))}. Got {value!r} instead."
        )


def _write_part(table: pd.DataFrame, path: Path, fmt: str) -> None:
    if fmt == "parquet":
        table.to_parquet(path, index=False)
    elif fmt == "csv":
        table.to_csv(path, index=False)
    else:
        table.to_json(path, orient="records", lines=True, date_format="iso")


def _chunks_with_ids(
    inputs: Any, *, chunksize: int, format: str | None, columns: dict | None
) -> Iterator[pd.DataFrame]:
    from framing.corpus import iter_corpus

    sources = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    for source in sources:
        yield from iter_corpus(source, chunksize=chunksize, format=format, columns=columns)


def score_files(
    inputs: Any,
    *,
    out: str | os.PathLike,
    lexicons: Any = None,
    format: str = "parquet",
    jobs: int | None = None,
    chunksize: int = 2000,
    input_format: str | None = None,
    columns: dict[str, str] | None = None,
    on_error: str = "raise",
    overwrite: bool = False,
    progress: bool = False,
) -> ScoreSummary:
    """Score corpus files of any size into a scores directory, chunk by chunk.

    Parameters
    ----------
    inputs : path, list of paths, or DataFrame
        Anything :func:`framing.read_corpus` reads. Large Parquet files are read by row group,
        JSONL and CSV by blocks of ``chunksize`` rows.
    out : path
        The scores directory to create: ``documents/``, ``sentences/``, ``matches/`` (one part
        file per chunk), ``meta.json`` and, when documents were skipped, ``skipped.csv``.
        :meth:`framing.Scores.load` reads it back.
    lexicons : str, list or Lexicon, optional
        Lexicons to score with (default: all bundled lexicons).
    format : {"parquet", "csv", "jsonl"}, default "parquet"
        Format of the part files.
    jobs : int, optional
        Worker processes; ``None`` or ``0`` uses every core, ``1`` scores in this process.
    chunksize : int, default 2000
        Documents per chunk: the unit of work, of memory and of part files.
    input_format : str, optional
        Force the input format (see :func:`framing.read_corpus`).
    columns : dict, optional
        Explicit column mapping for the input (see :func:`framing.read_corpus`).
    on_error : {"raise", "skip"}, default "raise"
        ``"raise"`` stops at the first failing chunk and names its documents; ``"skip"``
        scores the rest and lists every failing document in ``skipped.csv``.
    overwrite : bool, default False
        Replace ``out`` when it exists.
    progress : bool, default False
        Show a progress bar with documents/s and MB/s.

    Returns
    -------
    ScoreSummary
        Counts, megabytes, wall time and the output directory.

    Raises
    ------
    FramingError
        Bad option, existing output without ``overwrite``, or a failing chunk with
        ``on_error="raise"`` (the message names the chunk's documents). Nothing is left at
        ``out`` in that case.
    """
    _check_option("format", format, FORMATS)
    _check_option("on_error", on_error, ON_ERROR)
    if not isinstance(chunksize, int) or chunksize < 1:
        raise FramingError(
            f"The 'chunksize' parameter of score_files must be a positive int. Got {chunksize!r}."
        )
    jobs = (os.cpu_count() or 1) if not jobs else int(jobs)
    if jobs < 1:
        raise FramingError(f"The 'jobs' parameter must be >= 1 (or 0 for all cores). Got {jobs}.")
    out = Path(out)
    if out.exists() and not overwrite:
        raise FramingError(
            f"output directory {out} already exists; choose another -o or pass --overwrite."
        )
    from framing.lexicon import list_lexicons, load_lexicon

    lexicon = load_lexicon(list_lexicons() if lexicons is None else lexicons)

    started = time.perf_counter()
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    for table in TABLES:
        (tmp / table).mkdir(parents=True)
    summary = ScoreSummary(out=out, jobs=jobs)
    skipped: list[dict] = []
    bar = _progress_bar(progress)
    try:
        chunks = _chunks_with_ids(
            inputs, chunksize=chunksize, format=input_format, columns=columns
        )
        seen_ids: set[str] = set()
        for i, (docs, (tables, bad)) in enumerate(_run(chunks, lexicon, jobs, on_error)):
            ids = docs["doc_id"].astype(str)
            dup = ids[ids.isin(seen_ids) | ids.duplicated()]
            if len(dup):
                raise CorpusError(
                    f"duplicate doc_id across input chunks: {', '.join(dup.unique()[:5])}. "
                    "Give every document a unique id (or drop the id column to derive one)."
                )
            seen_ids.update(ids)
            for table in TABLES:
                part = tmp / table / f"part-{i:05d}.{format}"
                _write_part(tables[table], part, format)
            summary.chunks += 1
            summary.documents_in += len(docs)
            summary.documents_out += len(tables["documents"])
            summary.sentences += len(tables["sentences"])
            summary.matches += len(tables["matches"])
            mb = float(docs["text"].str.len().sum()) / 1e6
            summary.megabytes += mb
            skipped.extend(bad)
            if bar is not None:
                bar.update(len(docs))
                elapsed = time.perf_counter() - started
                bar.set_postfix_str(f"{summary.megabytes / max(elapsed, 1e-9):.1f} MB/s")
        summary.skipped = len(skipped)
        if summary.documents_in != summary.documents_out + summary.skipped:  # pragma: no cover
            raise FramingError(
                f"internal error: {summary.documents_in} documents read but "
                f"{summary.documents_out} written and {summary.skipped} skipped"
            )
        if skipped:
            pd.DataFrame(skipped, columns=["doc_id", "reason"]).to_csv(
                tmp / "skipped.csv", index=False
            )
        summary.seconds = time.perf_counter() - started
        summary.lexicons = [f"{lexicon.name}@{lexicon.version}"]
        meta = {
            "layout": "dataset",
            "format": format,
            "lexicons": summary.lexicons,
            "lexicon_fingerprint": lexicon.fingerprint,
            "summary": summary.to_dict(),
        }
        # keep meta.json identical across runs and locations: no timings, no absolute paths
        meta["summary"].pop("seconds")
        meta["summary"].pop("out")
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
    return summary


def _progress_bar(progress: bool):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(unit=" docs", desc="scoring", dynamic_ncols=True)


def _run(
    chunks: Iterable[pd.DataFrame], lexicon: Any, jobs: int, on_error: str
) -> Iterator[tuple[pd.DataFrame, tuple[dict[str, pd.DataFrame], list[dict]]]]:
    """Yield ``(chunk, result)`` in input order, scoring in ``jobs`` processes."""
    if jobs == 1:
        _init_worker(lexicon)
        for docs in chunks:
            yield docs, _score_chunk(docs, on_error)
        return
    import multiprocessing

    # forkserver: workers start from a clean process (no inherited threads of pyarrow or BLAS)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pending: list[tuple[pd.DataFrame, Future]] = []
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=(lexicon,)
    ) as pool:
        try:
            for docs in chunks:
                pending.append((docs, pool.submit(_score_chunk, docs, on_error)))
                if len(pending) >= 2 * jobs:
                    docs0, fut = pending.pop(0)
                    yield docs0, _result(docs0, fut)
            while pending:
                docs0, fut = pending.pop(0)
                yield docs0, _result(docs0, fut)
        except BaseException:
            for _, fut in pending:
                fut.cancel()
            raise


def _result(docs: pd.DataFrame, fut: Future):
    try:
        return fut.result()
    except BrokenProcessPool as exc:
        ids = docs["doc_id"].astype(str).tolist()
        raise FramingError(
            f"a worker process died while scoring the chunk with documents "
            f"{', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''} ({len(ids)} documents): "
            f"{exc}. Nothing was written; retry with --jobs 1 to see the error."
        ) from exc
