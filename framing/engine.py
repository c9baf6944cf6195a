"""Scoring corpora larger than memory: streaming chunks, worker processes, atomic output.

:func:`score_files` reads its inputs chunk by chunk (Parquet by record batches, JSONL and CSV in
blocks of lines; the same reader and the same document ids as :func:`framing.read_corpus`),
scores each chunk with the same pure :func:`framing.score` a notebook user calls, and writes the
three tables as a Parquet (or CSV / JSONL) *dataset*: one part file per chunk under
``documents/``, ``sentences/``, ``matches/`` and ``quotes/``. :meth:`framing.Scores.load`,
``pandas.read_parquet(OUT / "matches")`` and ``dask.dataframe.read_parquet`` read it back.

Memory stays flat: at most ``2 * jobs`` chunks are in flight, and worker processes write their
own part files and send back only counts. Each worker loads the lexicons once and compiles the
matcher once (:func:`framing.scoring.score` caches it by lexicon fingerprint).

The output is written into a hidden temporary directory beside the target and renamed into
place only when every chunk succeeded, so an interrupted run never leaves an output that looks
complete (no ``OUT/meta.json``). A document whose text is missing, not a string, or not valid
Unicode is a *bad document*: with ``on_error="raise"`` the run stops and names the chunk and
the document; with ``on_error="skip"`` it is left out and listed in ``skipped.csv`` (columns
``doc_id, chunk, reason, code``; codes: :data:`framing.store.SKIP_CODES`). Under ``"skip"``,
bytes that are not UTF-8 make bad documents of the CSV rows (or the whole text file, or the JSON
line) holding them; a chunk on which :func:`framing.score` itself fails is rescored document by
document; and when a worker process dies, the chunks in flight are rerun alone in a fresh worker,
then one document at a time if it dies again, so that only the documents that kill a worker are
skipped. The summary
reconciles ``documents in == documents out + skipped``.

Part ``i`` always holds chunk ``i``, so the output is identical row for row whatever ``jobs``
or engine (``"local"`` worker processes, or ``"dask"``: a ``distributed`` cluster).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_futures
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from framing import store
from framing._text import plural, speed
from framing.corpus import Problem, empty_documents, iter_corpus, unicode_problems
from framing.errors import FramingError, ParameterError
from framing.scoring import lexicon_labels, load_lexicons, scoring_meta
from framing.store import FORMATS, TABLES, check_target

__all__ = [
    "ScoreSummary",
    "check_target",
    "iter_chunks",
    "max_jobs",
    "score_files",
    "score_in_memory",
]

log = logging.getLogger("framing")

ON_ERROR = ("raise", "skip")
ENGINES = ("local", "dask")
#: default documents per chunk: ~6 MB of news text, ~50 MB of worker memory
DEFAULT_CHUNKSIZE = 1000
#: how long to try to reach a dask scheduler given with ``scheduler=`` / ``--scheduler``
DASK_CONNECT_TIMEOUT = "20s"


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
        Megabytes (millions of characters) of document text read.
    seconds : float
        Wall time.
    jobs : int
        Worker processes used.
    lexicons : list of str
        ``name@version`` of the lexicons scored with.
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
        docs_s = self.documents_in / self.seconds if self.seconds else float("nan")
        skipped = f", {self.skipped:,} skipped" if self.skipped else ""
        return (
            f"{plural(self.documents_out, 'document')}{skipped}, "
            f"{plural(self.sentences, 'sentence')}, {plural(self.matches, 'match', 'matches')} "
            f"in {self.seconds:.1f} s ({docs_s:,.0f} docs/s, {speed(self.megabytes, self.seconds)}"
            f", {plural(self.jobs, 'job')}) -> {self.out}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict."""
        d = dict(self.__dict__)
        d["out"] = str(self.out)
        return d


# ---- reading: chunks of documents plus the bad rows found in the raw input ---------------------


def iter_chunks(
    inputs: Any,
    *,
    chunksize: int = DEFAULT_CHUNKSIZE,
    format: str | None = None,
    columns: dict[str, str | None] | None = None,
    on_error: str = "raise",
) -> Iterator[tuple[pd.DataFrame, dict[int, Problem]]]:
    """Yield ``(documents, problems)`` chunk by chunk, as :func:`framing.corpus.iter_corpus`
    reads them (``on_error`` as there), small tables gathered into chunks.

    Parameters
    ----------
    inputs : path, list of paths, or DataFrame
        Anything :func:`framing.read_corpus` reads.
    chunksize : int, default 1000
        Maximum number of documents per chunk. A large file is cut into chunks; small
        tables that follow one another (one-article ``.txt`` files, short files) are gathered
        into one chunk of up to ``chunksize`` documents, so a folder of many small files does
        not make a part file per file.
    format, columns
        As in :func:`framing.read_corpus`.
    on_error : {"raise", "skip"}, default "raise"
        As in :func:`framing.corpus.iter_corpus`.

    Yields
    ------
    documents : pandas.DataFrame
        The documents table of the chunk (ids as :func:`framing.read_corpus` gives them).
    problems : dict of int to framing.corpus.Problem
        Row position -> problem, for rows whose text was missing or not a string in the input
        (``read_corpus`` keeps them with text ``""``; the engine reports them), or that hold
        bytes that are not UTF-8. Empty CSV cells are empty texts, not problems.
    """
    _check_option("on_error", on_error, ON_ERROR)
    warned: set[str] = set()
    # small tables (one article per .txt file) are gathered into chunks of up to chunksize
    # documents, so that a folder of many small files does not give a part file per file
    buffer: list[tuple[pd.DataFrame, dict[int, Problem]]] = []
    size = 0
    for table, problems in iter_corpus(
        inputs, chunksize=chunksize, format=format, columns=columns, on_error=on_error
    ):
        table = _stable_extras(table, warned)
        if buffer and size + len(table) > chunksize:
            yield _merge_chunks(buffer)
            buffer, size = [], 0
        buffer.append((table, problems))
        size += len(table)
        if size >= chunksize:
            yield _merge_chunks(buffer)
            buffer, size = [], 0
    if buffer:
        yield _merge_chunks(buffer)


def _merge_chunks(
    buffer: list[tuple[pd.DataFrame, dict[int, Problem]]],
) -> tuple[pd.DataFrame, dict[int, Problem]]:
    """One chunk of several small documents tables (problems re-indexed)."""
    if len(buffer) == 1:
        return buffer[0]
    problems: dict[int, Problem] = {}
    offset = 0
    for table, probs in buffer:
        problems.update({offset + i: r for i, r in probs.items()})
        offset += len(table)
    return pd.concat([t for t, _ in buffer], ignore_index=True), problems


#: the documents columns whose types the reader fixes; other (input) columns are checked
_FIXED_COLUMNS = ("doc_id", "outlet", "date", "title", "text", "source")


def _stable_extras(table: pd.DataFrame, warned: set[str]) -> pd.DataFrame:
    """Input columns of mixed or nested types (a list here, a string there) as text.

    Such a column cannot be written to one Parquet column; as JSON text (lists, dicts) or
    ``str`` (other values) every record is kept. One warning per column and run.
    """
    fixed = None
    for col in table.columns:
        if col in _FIXED_COLUMNS or table[col].dtype != object:
            continue
        values = table[col].tolist()
        kinds = {_kind(v) for v in values if v is not None and not _is_missing(v)}
        if len(kinds) <= 1 and not kinds & {"nested", "bytes"}:
            continue
        if fixed is None:
            fixed = table.copy()
        fixed[col] = pd.Series([_as_text(v) for v in values], index=table.index, dtype=object)
        if col not in warned:
            warned.add(col)
            log.warning(
                "input column %r holds values of mixed or nested types (%s); they are "
                "written as text (lists and dicts as JSON) so that every chunk has the "
                "same schema",
                col,
                ", ".join(sorted(kinds)),
            )
    return table if fixed is None else fixed


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _kind(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | float | np.integer | np.floating):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if isinstance(value, list | tuple | dict | set | np.ndarray):
        return "nested"
    return type(value).__name__


def _as_text(value: Any) -> str | None:
    if value is None or (
        not isinstance(value, list | tuple | dict | set | np.ndarray) and _is_missing(value)
    ):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, list | tuple | dict | set | np.ndarray):
        obj = sorted(value, key=str) if isinstance(value, set) else value
        if isinstance(obj, np.ndarray):
            obj = obj.tolist()
        return json.dumps(obj, ensure_ascii=False, default=str)
    return str(value)


# ---- worker side ------------------------------------------------------------------------------

_WORKER_LEXICON: Any = None


def _init_worker(lexicon: Any) -> None:
    """Keep the lexicon in the worker (the compiled matcher is cached by fingerprint)."""
    global _WORKER_LEXICON
    _die_with_parent()
    _WORKER_LEXICON = lexicon


def _die_with_parent() -> None:
    """Make this worker process die when its parent does (Linux ``PR_SET_PDEATHSIG``).

    A worker's parent is the forkserver, which exits when the main process dies (even by
    SIGKILL); without this, workers would outlive both, holding memory and the caller's stdout.
    """
    import multiprocessing

    if multiprocessing.parent_process() is None:  # not a worker
        return
    # A forkserver child inherits the forkserver's "alive" pipe, which keeps the forkserver
    # running while any holder lives: close it, so that the forkserver exits with the main
    # process (and, through the death signal below, takes this worker with it).
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        try:
            os.close(alive)
        except OSError:  # pragma: no cover - already closed
            pass
        server._forkserver_alive_fd = None
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _ids_text(ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(map(str, ids[:limit]))
    return shown + (f" ... ({len(ids)} documents)" if len(ids) > limit else "")


@dataclass
class _Task:
    index: int
    docs: pd.DataFrame
    problems: dict[int, Problem]
    on_error: str
    part_dir: str | None  # write the parts here (None: send the tables back)
    fmt: str


def _write_parts(
    tables: dict[str, pd.DataFrame], directory: str | Path, index: int, fmt: str
) -> None:
    """Write part ``index`` of each of the tables under ``directory``."""
    for name in TABLES:
        _write_part(tables[name], store.part_path(directory, name, index, fmt), fmt)


def _write_part(table: pd.DataFrame, path: Path, fmt: str) -> None:
    """One part file (no Parquet dictionary for the long unique text columns)."""
    store.write_table(table, path, fmt, dictionary=False)


def _process_chunk(task: _Task, lexicon: Any = None) -> dict[str, Any]:
    """Check, score and (when ``task.part_dir`` is set) write one chunk; return its counts."""
    from framing import scoring

    lexicon = lexicon if lexicon is not None else _WORKER_LEXICON
    docs = task.docs
    ids = _doc_ids(docs)
    texts = docs["text"].tolist()
    problems = dict(task.problems)
    problems.update(unicode_problems(texts))
    megabytes = sum(len(t) for t in texts if isinstance(t, str)) / 1e6
    if problems and task.on_error == "raise":
        _raise_bad(task.index, ids, problems)
    skipped = [_skip(ids[i], task.index, problems[i]) for i in sorted(problems)]
    if problems:
        keep = np.ones(len(docs), dtype=bool)
        keep[sorted(problems)] = False
        docs = docs[keep].reset_index(drop=True)
    try:
        tables = _tables(scoring.score(docs, lexicons=lexicon))
    except Exception as exc:  # reported with the chunk's document ids
        if task.on_error != "skip":
            raise FramingError(
                f"scoring failed on the chunk with documents "
                f"{_ids_text(_doc_ids(docs))} (chunk {task.index}): {exc}. "
                "Use --on-error skip "
                "(on_error='skip') to skip failing documents and list them in skipped.csv."
            ) from exc
        tables, more = _score_one_by_one(docs, lexicon, task.index)
        skipped.extend(more)
    return _chunk_result(task, len(ids), tables, megabytes, skipped)


def _skip(doc_id: str, chunk: int, problem: Problem) -> dict[str, Any]:
    """A row of ``skipped.csv`` (:data:`framing.store.SKIPPED_COLUMNS`)."""
    return {"doc_id": doc_id, "chunk": chunk, "reason": problem.reason, "code": problem.code}


def _raise_bad(index: int, ids: Sequence[str], problems: dict[int, Problem]) -> NoReturn:
    """Fail on the bad documents of chunk ``index`` (``on_error="raise"``), naming them."""
    bad = sorted(problems)
    detail = "; ".join(f"document {ids[i]}: {problems[i].reason}" for i in bad[:5])
    more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
    raise FramingError(
        f"bad document(s) in chunk {index}: {detail}{more}. Fix the input, or use "
        "--on-error skip (on_error='skip') to leave them out and list them in skipped.csv."
    )


def _doc_ids(docs: pd.DataFrame) -> list[str]:
    return docs["doc_id"].astype(str).tolist()


def _chunk_result(
    task: _Task,
    documents_in: int,
    tables: dict[str, pd.DataFrame],
    megabytes: float,
    skipped: list[dict],
) -> dict[str, Any]:
    """What a scored chunk reports to the engine; its tables are written as part files when
    the task has a part directory (workers write their own parts), else returned."""
    result: dict[str, Any] = {
        "index": task.index,
        "documents_in": documents_in,
        "documents_out": len(tables["documents"]),
        "sentences": len(tables["sentences"]),
        "matches": len(tables["matches"]),
        "quotes": len(tables["quotes"]),
        "megabytes": megabytes,
        "skipped": skipped,
        "tables": None,
    }
    if task.part_dir is None:
        result["tables"] = tables
    else:
        _write_parts(tables, task.part_dir, task.index, task.fmt)
    return result


def _score_one_by_one(
    docs: pd.DataFrame, lexicon: Any, index: int
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    from framing import scoring

    parts: list[dict[str, pd.DataFrame]] = []
    skipped: list[dict] = []
    for i in range(len(docs)):
        one = docs.iloc[i : i + 1]
        try:
            parts.append(_tables(scoring.score(one, lexicons=lexicon)))
        except Exception as exc:  # listed in skipped.csv
            problem = Problem("scoring_failed", f"{type(exc).__name__}: {exc}")
            skipped.append(_skip(str(one["doc_id"].iloc[0]), index, problem))
    return _concat_tables(parts, docs, lexicon), skipped


def _concat_tables(
    parts: list[dict[str, pd.DataFrame]], docs: pd.DataFrame, lexicon: Any
) -> dict[str, pd.DataFrame]:
    """Each table of ``parts`` concatenated, or ``_empty_tables(docs, lexicon)`` when none."""
    if not parts:
        return _empty_tables(docs, lexicon)
    if len(parts) == 1:
        return dict(parts[0])
    return {t: pd.concat([p[t] for p in parts], ignore_index=True) for t in TABLES}


def _empty_tables(docs: pd.DataFrame, lexicon: Any) -> dict[str, pd.DataFrame]:
    from framing import scoring
    from framing.modifiers import quotes_table

    try:
        return _tables(scoring.score(docs.iloc[:0], lexicons=lexicon))
    except Exception:  # the scorer itself is broken: keep the documents' columns at least
        return {
            "documents": docs.iloc[:0],
            "sentences": pd.DataFrame(columns=list(scoring.SENTENCE_COLUMNS)),
            "matches": pd.DataFrame(columns=list(scoring.MATCH_COLUMNS)),
            "quotes": quotes_table([]),
        }


def _tables(scores: Any) -> dict[str, pd.DataFrame]:
    return {t: getattr(scores, t) for t in TABLES}


# ---- executors: in process, worker processes, dask ---------------------------------------------


class _InProcess:
    """Runs each task at submit time (jobs=1): same code path, no pickling."""

    def __init__(self, lexicon: Any) -> None:
        self.lexicon = lexicon

    def submit(self, task: _Task) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(_process_chunk(task, self.lexicon))
        except Exception as exc:  # delivered by result(), like a pool would
            fut.set_exception(exc)
        return fut

    def wait_one(self, futures: list) -> list:
        return list(futures)

    def close(self) -> None:
        pass


def _mp_context() -> Any:
    """forkserver (clean processes that fork with framing imported) where available, or spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":  # workers fork with these already imported
        ctx.set_forkserver_preload(
            [
                "framing.engine",
                "framing.scoring",
                "framing.segment",
                "framing.matcher",
                "pyarrow.parquet",
            ]
        )
    return ctx


class _Pool:
    """A process pool whose workers receive the lexicon once (forkserver: clean processes)."""

    def __init__(self, lexicon: Any, jobs: int) -> None:
        self.lexicon = lexicon
        self.jobs = jobs
        self.pool = self._new_pool()

    def _new_pool(self) -> Any:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_mp_context(),
            initializer=_init_worker,
            initargs=(self.lexicon,),
        )

    def submit(self, task: _Task) -> Future:
        return self.pool.submit(_process_chunk, task)

    def wait_one(self, futures: list) -> list:
        done, _ = wait_futures(futures, return_when=FIRST_COMPLETED)
        return list(done)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Kill the workers now (a failure or a signal: their chunks are not wanted)."""
        for proc in list((getattr(self.pool, "_processes", None) or {}).values()):
            try:
                proc.kill()
            except (OSError, ValueError):  # pragma: no cover - already gone
                pass
        self.pool.shutdown(wait=True, cancel_futures=True)

    def restart(self) -> None:
        """Replace a broken pool (a worker died) by a fresh one."""
        self.close()
        self.pool = self._new_pool()


def _isolated_main(conn: Any, lexicon: Any) -> None:
    """The loop of an :class:`_Isolated` worker: receive a task, send back its result."""
    _init_worker(lexicon)  # also: die with the parent
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            reply: tuple[bool, Any] = (True, _process_chunk(task))
        except Exception as exc:  # sent back as text: the exception may not pickle
            reply = (False, f"{type(exc).__name__}: {exc}")
        conn.send(reply)


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        import signal

        try:
            return f"exit code {code}, {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


class _Isolated:
    """One worker process of our own that runs one task at a time (``on_error="skip"``).

    Used for the chunks that were in flight when a pool worker died: with one task in the
    process at a time, a death is attributable to that task, and its exit code is known.
    """

    def __init__(self, lexicon: Any) -> None:
        self.lexicon = lexicon
        self.proc: Any = None
        self.conn: Any = None

    def run(self, task: _Task) -> tuple[dict[str, Any] | None, int | None]:
        """``(result, None)``, or ``(None, exit code)`` when the worker died on ``task``."""
        if self.proc is None:
            ctx = _mp_context()
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=_isolated_main, args=(child, self.lexicon), daemon=True)
            self.proc.start()
            child.close()
        try:
            self.conn.send(task)
            ok, payload = self.conn.recv()
        except (EOFError, OSError):  # the worker died (BrokenPipeError is an OSError)
            self.conn.close()
            self.proc.join()
            code = self.proc.exitcode
            self.proc = self.conn = None
            return None, code
        if not ok:
            raise FramingError(f"scoring chunk {task.index} failed: {payload}")
        return payload, None

    def rescue(self, task: _Task) -> dict[str, Any]:
        """Run ``task`` alone; if the worker dies, again one document at a time.

        A document that kills the worker again is skipped, with the exit code as the reason.
        """
        result, code = self.run(task)
        if code is None:
            assert result is not None
            return result
        log.warning(
            "a worker died again on chunk %d (%s): scoring it one document at a time",
            task.index,
            _exit_text(code),
        )
        docs = task.docs
        ids = _doc_ids(docs)
        texts = docs["text"].tolist()
        parts: list[dict[str, pd.DataFrame]] = []
        skipped: list[dict] = []
        megabytes = 0.0
        for i in range(len(docs)):
            problem = task.problems.get(i)  # known bad: no need to try it
            if problem is None:
                one = _Task(
                    task.index,
                    docs.iloc[i : i + 1].reset_index(drop=True),
                    {},
                    "skip",
                    None,
                    task.fmt,
                )
                result, code = self.run(one)
                if code is None:
                    assert result is not None
                    parts.append(result["tables"])
                    skipped.extend(result["skipped"])
                    megabytes += result["megabytes"]
                    continue
                problem = Problem(
                    "worker_died", f"worker died while scoring this document ({_exit_text(code)})"
                )
            skipped.append(_skip(ids[i], task.index, problem))
            megabytes += len(texts[i]) / 1e6 if isinstance(texts[i], str) else 0.0
        tables = _concat_tables(parts, docs, self.lexicon)
        return _chunk_result(task, len(docs), tables, megabytes, skipped)

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.conn.send(None)
            except OSError:  # pragma: no cover - already gone
                pass
            self.proc.join(timeout=10)
            if self.proc.is_alive():  # pragma: no cover - stuck: end it
                self.proc.kill()
                self.proc.join()
            self.conn.close()
            self.proc = self.conn = None


class _Dask:
    """A ``distributed`` client: on ``scheduler`` or on a LocalCluster of ``jobs`` workers."""

    def __init__(self, lexicon: Any, jobs: int, scheduler: str | None) -> None:
        try:
            import distributed
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise FramingError(
                "the dask engine needs the optional extra: pip install 'framing[dask]'"
            ) from exc
        self.distributed = distributed
        self.cluster = None
        if scheduler:
            try:
                self.client = distributed.Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
            except OSError as exc:
                raise FramingError(
                    f"cannot connect to the dask scheduler at {scheduler!r}: {exc}. Check the "
                    "address (e.g. tcp://host:8786) and that the scheduler is running."
                ) from exc
        else:
            self.cluster = distributed.LocalCluster(
                n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
            self.client = distributed.Client(self.cluster)
        self.lexicon = self.client.scatter(lexicon, broadcast=True)

    @property
    def local(self) -> bool:
        return self.cluster is not None

    def workers(self) -> int:
        return max(len(self.client.scheduler_info().get("workers", {})), 1)

    def submit(self, task: _Task) -> Any:
        return self.client.submit(_process_chunk, task, self.lexicon, pure=False)

    def wait_one(self, futures: list) -> list:
        done, _ = self.distributed.wait(futures, return_when="FIRST_COMPLETED")
        return list(done)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# ---- driver side ------------------------------------------------------------------------------


def _check_option(name: str, value: Any, allowed: Sequence[Any]) -> None:
    if value not in allowed:
        raise ParameterError(
            f"The '{name}' parameter of score_files must be one of "
            f"{', '.join(map(repr, allowed))}. Got {value!r} instead."
        )


def score_files(
    inputs: Any,
    *,
    out: str | os.PathLike,
    lexicons: Any = None,
    format: str = "parquet",
    jobs: int | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    input_format: str | None = None,
    columns: dict[str, str | None] | None = None,
    on_error: str = "raise",
    overwrite: bool = False,
    progress: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> ScoreSummary:
    """Score corpus files of any size into a scores directory, chunk by chunk.

    Parameters
    ----------
    inputs : path, list of paths, or DataFrame
        Anything :func:`framing.read_corpus` reads. Parquet is read in record batches, JSONL
        and CSV in blocks of ``chunksize`` lines.
    out : path
        The scores directory to create: ``documents/``, ``sentences/``, ``matches/`` (one part
        file per chunk, ``part-00000.<format>``, ...), ``meta.json`` and, when documents were
        skipped, ``skipped.csv``. :meth:`framing.Scores.load` reads it back.
    lexicons : str, list or Lexicon, optional
        Lexicons to score with (default: all bundled lexicons).
    format : {"parquet", "csv", "jsonl"}, default "parquet"
        Format of the part files.
    jobs : int, optional
        Worker processes (dask: workers of the local cluster); ``None`` or ``0`` uses every
        core, ``1`` scores in this process.
    chunksize : int, default 1000
        Documents per chunk: the unit of work, of memory (about ``2 * jobs`` chunks are held
        at a time) and of part files.
    input_format : str, optional
        Force the input format (see :func:`framing.read_corpus`).
    columns : dict, optional
        Explicit column mapping for the input (see :func:`framing.read_corpus`).
    on_error : {"raise", "skip"}, default "raise"
        ``"raise"`` stops at the first bad document, failing chunk or dead worker process and
        names the chunk(s) and documents; bytes that are not UTF-8 in a CSV or text file fail
        that file. ``"skip"`` scores the rest and lists every skipped document in
        ``skipped.csv`` (``doc_id, chunk, reason, code``): documents without valid text (including
        CSV rows with undecodable bytes, reason naming the file and byte offset; a text file
        with such bytes is one skipped document), documents on which scoring fails, and
        documents that kill a worker process (``jobs >= 2``): the chunks in flight when a
        worker dies are rerun alone in a fresh worker, then one document at a time.
    overwrite : bool, default False
        Replace ``out`` when it is an existing scores directory.
    progress : bool, default False
        Show a progress bar (stderr) with documents/s and MB/s.
    engine : {"local", "dask"}, default "local"
        ``"local"``: this process (``jobs=1``) or a pool of worker processes. ``"dask"``:
        a ``distributed`` cluster (extra ``framing[dask]``).
    scheduler : str, optional
        Address of a running dask scheduler (``tcp://host:8786``) for ``engine="dask"``;
        default: a LocalCluster of ``jobs`` single-threaded worker processes. The workers of a
        remote cluster send the tables back and this process writes them.

    Returns
    -------
    ScoreSummary
        Counts, megabytes, wall time and the output directory.

    Raises
    ------
    FramingError
        Bad option, existing output (checked before anything is scored), a bad document, a
        failing chunk or a worker that died with ``on_error="raise"`` (the message names the
        chunk(s) and documents), or a worker that died under the dask engine. Nothing is left
        at ``out`` then (and no temporary directory).
    CorpusError
        Unreadable input (see :func:`framing.read_corpus`).
    """
    _check_options(
        format=format,
        on_error=on_error,
        engine=engine,
        chunksize=chunksize,
        jobs=jobs,
        scheduler=scheduler,
    )
    out = Path(out)
    replace = check_target(out, overwrite=overwrite)
    lexicon = load_lexicons(lexicons)
    run = _Run(
        out,
        lexicon,
        jobs=int(jobs) if jobs else (os.cpu_count() or 1),
        fmt=format,
        on_error=on_error,
    )
    restore = _terminate_on_sigterm()
    bar = run.bar = _progress_bar(progress, _count_rows(inputs) if progress else None)
    try:
        chunks = iter_chunks(
            inputs,
            chunksize=int(chunksize),
            format=input_format,
            columns=columns,
            on_error=on_error,
        )
        run.score(run.start(chunks, engine, scheduler))
        run.finish(replace)
    except BaseException as exc:
        run.abort(exc)
        raise
    finally:
        restore()
        if bar is not None:
            bar.close()
    log.info("%s", run.summary)
    return run.summary


def _check_options(
    *, format: str, on_error: str, engine: str, chunksize: Any, jobs: Any, scheduler: str | None
) -> None:
    """The option checks of :func:`score_files`, before anything is read or written."""
    _check_option("format", format, FORMATS)
    _check_option("on_error", on_error, ON_ERROR)
    _check_option("engine", engine, ENGINES)
    if (
        isinstance(chunksize, bool)
        or not isinstance(chunksize, (int, np.integer))
        or (chunksize < 1)
    ):
        raise ParameterError(
            f"The 'chunksize' parameter of score_files must be a positive int. Got {chunksize!r}."
        )
    if jobs is not None and (
        isinstance(jobs, bool) or not isinstance(jobs, (int, np.integer)) or jobs < 0
    ):
        raise ParameterError(
            f"The 'jobs' parameter of score_files must be an int >= 0 (0 = all cores). "
            f"Got {jobs!r} instead."
        )
    if jobs is not None and jobs > max_jobs():
        raise ParameterError(
            f"The 'jobs' parameter of score_files must be at most {max_jobs()} (4 per core on "
            f"this machine, at least 8). Got {jobs!r} instead."
        )
    if scheduler is not None and engine != "dask":
        raise ParameterError("a dask scheduler address needs engine='dask' (--engine dask).")


class _Run:
    """One :func:`score_files` run, step by step: :meth:`start` (the executor),
    :meth:`score` (chunks submitted, at most ``2 * jobs`` in flight, results recorded),
    :meth:`finish` (skipped.csv, meta.json, the atomic move) or :meth:`abort`."""

    def __init__(self, out: Path, lexicon: Any, *, jobs: int, fmt: str, on_error: str) -> None:
        self.out, self.lexicon, self.fmt, self.on_error = out, lexicon, fmt, on_error
        self.started = time.perf_counter()
        self.summary = ScoreSummary(out=out, jobs=jobs)
        self.skipped: list[dict[str, Any]] = []
        self.quotes = 0  # rows of the quotes table written
        self.bar: Any = None
        self.executor: Any = None
        self.part_dir: str | None = None
        # future -> its task (kept to name its documents, or rerun it if a worker dies)
        self.pending: dict[Any, _Task] = {}
        self.survive = False  # on_error="skip" with a pool: a dead worker is survived
        store.remove_stale_temps(out)
        self.tmp = store.temp_dir(out)
        for table in TABLES:
            (self.tmp / table).mkdir()

    def start(
        self,
        chunks: Iterator[tuple[pd.DataFrame, dict[int, Problem]]],
        engine: str,
        scheduler: str | None,
    ) -> Iterator[tuple[pd.DataFrame, dict[int, Problem]]]:
        """Choose and start the executor; return the chunks (the first two may be read to
        see whether worker processes are worth starting)."""
        jobs = self.summary.jobs
        if engine == "local" and jobs > 1:  # one chunk only: not worth starting workers
            head = list(itertools.islice(chunks, 2))
            if len(head) < 2:
                jobs = self.summary.jobs = 1
            chunks = itertools.chain(head, chunks)
        if engine == "dask":
            self.executor = _Dask(self.lexicon, jobs, scheduler)
            self.summary.jobs = self.executor.workers()
            self.part_dir = str(self.tmp) if self.executor.local else None
        elif jobs == 1:
            self.executor, self.part_dir = _InProcess(self.lexicon), str(self.tmp)
        else:
            self.executor, self.part_dir = _Pool(self.lexicon, jobs), str(self.tmp)
        self.survive = self.on_error == "skip" and isinstance(self.executor, _Pool)
        return chunks

    def score(self, chunks: Iterator[tuple[pd.DataFrame, dict[int, Problem]]]) -> None:
        """Submit every chunk, keeping at most ``2 * jobs`` in flight, and record the results."""
        limit = 2 * self.summary.jobs
        for index, (docs, problems) in enumerate(chunks):
            if problems and self.on_error == "raise":  # fail fast, before sending the chunk
                problems = {**problems, **unicode_problems(docs["text"].tolist())}
                _raise_bad(index, _doc_ids(docs), problems)
            task = _Task(index, docs, problems, self.on_error, self.part_dir, self.fmt)
            try:
                fut = self.executor.submit(task)
            except BrokenProcessPool:  # a worker died earlier
                if not self.survive:  # report the chunks in flight
                    self.collect(list(self.pending))
                    raise
                self.recover()  # rerun the chunks in flight, then submit to the new pool
                fut = self.executor.submit(task)
            self.pending[fut] = task
            while len(self.pending) >= limit:
                self.collect(self.executor.wait_one(list(self.pending)))
        while self.pending:
            self.collect(self.executor.wait_one(list(self.pending)))
        self.executor.close()
        self.executor = None

    def record(self, result: dict[str, Any]) -> None:
        """Count a finished chunk (and write its parts when the worker sent its tables)."""
        if result["tables"] is not None:
            _write_parts(result["tables"], self.tmp, result["index"], self.fmt)
        summary = self.summary
        summary.chunks += 1
        summary.documents_in += result["documents_in"]
        summary.documents_out += result["documents_out"]
        summary.sentences += result["sentences"]
        summary.matches += result["matches"]
        self.quotes += result["quotes"]
        summary.megabytes += result["megabytes"]
        self.skipped.extend(result["skipped"])
        if self.bar is not None:
            self.bar.update(result["documents_in"])
            elapsed = max(time.perf_counter() - self.started, 1e-9)
            self.bar.set_postfix_str(f"{summary.megabytes / elapsed:.1f} MB/s")

    def collect(self, futures: list) -> None:
        """Record the settled ``futures`` (a dead pool worker is survived under "skip")."""
        for fut in futures:
            if fut not in self.pending:  # settled by recover()
                continue
            if self.survive and _died(fut):
                self.recover()
                continue
            result = _task_result(fut, self.pending[fut], in_flight=list(self.pending.values()))
            del self.pending[fut]
            self.record(result)

    def recover(self) -> None:
        """A pool worker died: rerun the chunks in flight alone, then in a new pool."""
        self.executor.close()  # joins the broken pool: every future is settled now
        suspects = []
        for fut, task in sorted(self.pending.items(), key=lambda kv: kv[1].index):
            if _died(fut) or fut.cancelled():
                suspects.append(task)
            else:  # finished before the death (or failed on its own)
                self.record(_task_result(fut, task))
        self.pending.clear()
        log.warning(
            "a worker process died; rerunning chunk(s) %s one at a time in a fresh worker",
            ", ".join(str(t.index) for t in suspects),
        )
        isolated = _Isolated(self.lexicon)
        try:
            for task in suspects:
                self.record(isolated.rescue(task))
        finally:
            isolated.close()
        self.executor.restart()

    def finish(self, replace: bool) -> None:
        """Reconcile the counts, write skipped.csv and meta.json, move the output into place."""
        summary, tmp = self.summary, self.tmp
        if summary.chunks == 0:  # no documents: empty tables, so that every reader works
            _write_parts(_empty_tables(empty_documents(), self.lexicon), tmp, 0, self.fmt)
        if self.fmt == "parquet":
            for table in TABLES:
                store.unify_parts(tmp / table)
        summary.skipped = len(self.skipped)
        if summary.documents_in != summary.documents_out + summary.skipped:  # pragma: no cover
            raise FramingError(
                f"internal error: {summary.documents_in} documents read but "
                f"{summary.documents_out} written and {summary.skipped} skipped"
            )
        self.skipped.sort(key=lambda r: r["chunk"])
        store.write_skipped(store.skipped_frame(self.skipped), tmp)
        summary.lexicons = list(lexicon_labels(self.lexicon))
        # keep meta.json identical across runs and locations: no timings, no absolute paths
        done = summary.to_dict()
        done.pop("seconds")
        done.pop("out")
        done["megabytes"] = round(done["megabytes"], 6)
        counts = {
            "documents": summary.documents_out,
            "sentences": summary.sentences,
            "matches": summary.matches,
            "quotes": self.quotes,
        }
        store.write_meta(
            tmp,
            store.scores_meta(
                layout="dataset",
                format=self.fmt,
                lexicons=summary.lexicons,
                counts=counts,
                meta=scoring_meta(self.lexicon),
                summary=done,
            ),
        )
        store.move_into_place(tmp, self.out, replace=replace)
        summary.seconds = time.perf_counter() - self.started

    def abort(self, exc: BaseException) -> None:
        """Stop the workers and remove the temporary directory: nothing is left at ``out``."""
        if isinstance(exc, SystemExit) and exc.code == 128 + signal.SIGTERM:
            log.warning(
                "terminated (SIGTERM): stopping the workers; nothing was written to %s", self.out
            )
        if self.executor is not None:
            try:
                getattr(self.executor, "terminate", self.executor.close)()
            except Exception:  # pragma: no cover - best effort while failing
                log.debug("closing the executor failed", exc_info=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def max_jobs() -> int:
    """The largest ``jobs`` accepted: 4 per core, at least 8 (more only costs memory)."""
    return max(8, 4 * (os.cpu_count() or 1))


def _terminate_on_sigterm() -> Any:
    """While scoring, SIGTERM raises ``SystemExit(143)`` so that the cleanup runs (workers
    killed, temporary directory removed). Returns the function that restores the handler.

    Only from the main thread and when SIGTERM has its default action (a handler the caller
    installed is left alone).
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, AttributeError):  # pragma: no cover - no SIGTERM here
        return lambda: None
    if previous not in (signal.SIG_DFL, None):
        return lambda: None

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _progress_bar(progress: bool, total: int | None = None):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=" docs", desc="scoring", dynamic_ncols=True)


def _count_rows(inputs: Any) -> int | None:
    """Number of documents when it is cheap to know (DataFrames, Parquet footers), else None."""
    items = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    total = 0
    try:
        import pyarrow.parquet as pq

        for item in items:
            if isinstance(item, pd.DataFrame):
                total += len(item)
            elif (
                isinstance(item, (str, os.PathLike))
                and str(item).endswith(".parquet")
                and (Path(item).is_file())
            ):
                total += pq.ParquetFile(item).metadata.num_rows
            else:
                return None
    except Exception:  # only a progress bar total: never fail because of it
        return None
    return total


def _died(fut: Any) -> bool:
    """Whether a pool future failed because its worker process (or another one) died."""
    return fut.done() and not fut.cancelled() and isinstance(fut.exception(), BrokenProcessPool)


def _task_result(fut: Any, task: _Task, *, in_flight: list[_Task] | None = None) -> Any:
    """:func:`_result` of ``task``'s future; document ids are only listed when it failed."""
    try:
        return fut.result()
    except Exception:  # raised again by _result, with the chunk(s) and documents named
        pass
    chunks = None if in_flight is None else [(t.index, _doc_ids(t.docs)) for t in in_flight]
    return _result(fut, task.index, _doc_ids(task.docs), in_flight=chunks)


def _result(
    fut: Any, index: int, ids: list[str], *, in_flight: list[tuple[int, list[str]]] | None = None
) -> dict[str, Any]:
    """The result of a chunk's future; failures become a FramingError naming the chunk(s)."""
    try:
        return fut.result()
    except FramingError:
        raise
    except BrokenProcessPool as exc:
        # every chunk in flight fails with the pool; the one that killed the worker is among them
        chunks = sorted(in_flight or [(index, ids)])
        shown = "; ".join(f"chunk {i} (documents {_ids_text(d, 3)})" for i, d in chunks)
        raise FramingError(
            f"a worker process died while scoring {shown}: {exc}. Nothing was written. A "
            "worker killed by the system often means out of memory (try a smaller --chunksize); "
            "rerun with --jobs 1 to see a Python error."
        ) from exc
    except Exception as exc:  # dask: KilledWorker, lost connection, ...
        raise FramingError(
            f"scoring chunk {index} (documents {_ids_text(ids)}) failed: "
            f"{type(exc).__name__}: {exc}. Nothing was written."
        ) from exc


def score_in_memory(
    inputs: Any,
    *,
    lexicons: Any = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    input_format: str | None = None,
    columns: dict[str, str | None] | None = None,
    on_error: str = "raise",
) -> tuple[Any, pd.DataFrame]:
    """Score ``inputs`` in this process, with the engine's checks, into one :class:`Scores`.

    The counterpart of :func:`score_files` when no output directory is wanted (``framing
    score`` without ``-o``): same reader, same bad-document rules, tables kept in memory.

    Parameters
    ----------
    inputs, lexicons, chunksize, input_format, columns, on_error
        As in :func:`score_files`.

    Returns
    -------
    scores : framing.Scores
        The three tables of the documents that were scored.
    skipped : pandas.DataFrame
        ``doc_id, chunk, reason, code`` of the skipped documents (empty unless
        ``on_error="skip"``; codes: :data:`framing.store.SKIP_CODES`).
    """
    from framing.scoring import Scores

    _check_option("on_error", on_error, ON_ERROR)
    lexicon = load_lexicons(lexicons)
    parts: list[dict[str, pd.DataFrame]] = []
    skipped: list[dict] = []
    for index, (docs, problems) in enumerate(
        iter_chunks(
            inputs, chunksize=chunksize, format=input_format, columns=columns, on_error=on_error
        )
    ):
        result = _process_chunk(_Task(index, docs, problems, on_error, None, "parquet"), lexicon)
        parts.append(result["tables"])
        skipped.extend(result["skipped"])
    tables = _concat_tables(parts, empty_documents(), lexicon)
    scores = Scores(
        tables["documents"],
        tables["sentences"],
        tables["matches"],
        quotes=tables["quotes"],
        lexicons=lexicon_labels(lexicon),
        meta=scoring_meta(lexicon),
    )
    return scores, store.skipped_frame(skipped)
