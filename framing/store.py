"""The scores directory on disk: its two layouts, ``meta.json``, ``skipped.csv``, the atomic move.

A scores directory holds the four tables of :class:`framing.Scores` in one of two layouts:

``"tables"``
    one file per table: ``documents.<ext>``, ``sentences.<ext>``, ``matches.<ext>``,
    ``quotes.<ext>`` (written by :meth:`framing.Scores.save`);
``"dataset"``
    one folder of part files per table: ``documents/part-00000.<ext>``, ... (written by
    :func:`framing.engine.score_files`; part ``i`` holds chunk ``i``).

Both layouts carry ``meta.json`` with one schema (:data:`META_KEYS`, built by
:func:`scores_meta`) and, when documents were left out, ``skipped.csv`` with the columns
:data:`SKIPPED_COLUMNS`: a stable reason ``code`` (one of :data:`SKIP_CODES`) beside the
human-readable ``reason``. Everything is written into a hidden temporary directory beside the
target (:func:`temp_dir`) and renamed into place when complete (:func:`move_into_place`), so an
interrupted write never leaves a directory that looks complete.

This module knows files, not table schemas: the dtypes of a table read back are restored by
:mod:`framing.scoring`.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.corpus import PROBLEM_CODES, str_dtype
from framing.errors import FramingError, ParameterError, parameter_error

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "META_FILE",
    "META_KEYS",
    "SKIPPED_COLUMNS",
    "SKIPPED_FILE",
    "SKIP_CODES",
    "TABLES",
    "check_format",
    "check_target",
    "move_into_place",
    "part_path",
    "read_meta",
    "read_skipped",
    "read_table_file",
    "remove_stale_temps",
    "scores_meta",
    "select_columns",
    "skipped_frame",
    "table_files",
    "temp_dir",
    "unify_parts",
    "write_meta",
    "write_skipped",
    "write_table",
]

log = logging.getLogger("framing")

#: The tables of a scores directory, in order.
TABLES = ("documents", "sentences", "matches", "quotes")
#: Table file formats (also the file extensions).
FORMATS = ("parquet", "csv", "jsonl")
#: ``"tables"``: one file per table; ``"dataset"``: one folder of part files per table.
LAYOUTS = ("tables", "dataset")
META_FILE = "meta.json"
SKIPPED_FILE = "skipped.csv"
#: The columns of ``skipped.csv`` (and of :attr:`framing.Scores.skipped`).
SKIPPED_COLUMNS = ("doc_id", "chunk", "reason", "code")
#: Why a document was left out under ``on_error="skip"``: code -> meaning. The ``reason``
#: column adds the particulars (file, line, byte offset, exception); programs read ``code``.
SKIP_CODES: dict[str, str] = {
    **PROBLEM_CODES,
    "scoring_failed": "framing.score raised an exception on this document alone",
    "worker_died": "the worker process died while scoring this document alone",
    "unknown": "written before reason codes existed (see the reason)",
}
#: The keys of ``meta.json``, the same for both layouts and both writers.
META_KEYS = (
    "counts",
    "format",
    "framing_version",
    "layout",
    "lexicon_fingerprint",
    "lexicons",
    "meta",
    "summary",
)

#: long, unique texts: Parquet dictionary encoding only costs time on them
_NO_DICTIONARY = ("text", "title")


def check_format(format: str, who: str) -> str:
    """``format`` when it is one of :data:`FORMATS`, else a :class:`~framing.errors.ParameterError`
    naming ``who`` (the function or method given it)."""
    if format not in FORMATS:
        raise ParameterError(
            f"The 'format' parameter of {who} must be one of "
            f"{', '.join(FORMATS)}. Got {format!r} instead."
        )
    return format


# ---- writing ---------------------------------------------------------------------------------


def check_target(out: str | os.PathLike, *, overwrite: bool) -> bool:
    """Check that scores can be written to ``out``; return whether it will be replaced.

    Parameters
    ----------
    out : path
        The scores directory to write.
    overwrite : bool
        Whether an existing scores directory may be replaced.

    Returns
    -------
    bool
        True when ``out`` is an existing scores directory to replace.

    Raises
    ------
    FramingError
        ``out`` is a file; a non-empty directory that is not a scores directory (never
        replaced: it may hold the user's files); or a scores directory and ``overwrite`` is
        false. The message names the directory and the ``--overwrite`` flag.
    """
    out = Path(out)
    for parent in out.absolute().parents:  # a file where a parent directory should be
        if parent.exists():
            if not parent.is_dir():
                raise FramingError(
                    f"cannot write scores to {out}: {parent} is a file, not a directory. "
                    "Choose an output path under a directory."
                )
            break
    if not out.exists():
        return False
    if not out.is_dir():
        raise FramingError(f"cannot write scores to {out}: it exists and is not a directory.")
    if not any(out.iterdir()):
        return False
    if not (out / META_FILE).is_file():
        raise FramingError(
            f"refusing to write scores into {out}: it is a non-empty directory that is not a "
            "scores directory (no meta.json). Choose a new or empty directory (--overwrite "
            "only replaces a scores directory)."
        )
    if not overwrite:
        raise FramingError(
            f"output directory {out} already exists and is not empty; pass --overwrite "
            "(overwrite=True) to replace it, or choose another -o."
        )
    return True


def temp_dir(out: Path) -> Path:
    """Create and return the hidden temporary directory ``.OUT.tmp-<pid>-<hex>`` beside
    ``out`` (the pid lets :func:`remove_stale_temps` clean up after a killed run)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    return tmp


def remove_stale_temps(out: Path) -> None:
    """Remove temporary directories of earlier runs towards ``out`` whose process is gone
    (killed with SIGKILL, or the machine went down): ``.OUT.tmp-<pid>-<hex>``."""
    for old in out.parent.glob(f".{out.name}.tmp-*"):
        pid = old.name[len(f".{out.name}.tmp-") :].split("-")[0]
        if not pid.isdigit() or not old.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            log.info("removing %s, left by an interrupted run (process %s)", old, pid)
            shutil.rmtree(old, ignore_errors=True)
        except OSError:  # alive, or not ours to signal
            continue


def move_into_place(tmp: Path, path: Path, *, replace: bool) -> None:
    """Rename the finished directory ``tmp`` to ``path``: atomically replacing an existing
    ``path`` when ``replace`` (old tree removed after the swap), else over an empty
    directory or nothing."""
    if replace:
        old = path.parent / f".{path.name}.old-{uuid.uuid4().hex[:8]}"
        path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)
        return
    if path.exists():  # an empty directory
        path.rmdir()
    tmp.rename(path)


def write_table(table: pd.DataFrame, path: Path, fmt: str, *, dictionary: bool = True) -> None:
    """Write one table (or one part of a table) as Parquet, CSV or JSON Lines.

    ``dictionary=False`` leaves the long unique text columns (``text``, ``title``) out of
    Parquet dictionary encoding (the engine's parts: it only costs time on them).
    """
    if fmt == "parquet":
        if dictionary:
            table.to_parquet(path, index=False)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(table, preserve_index=False)
        encoded = [c for c in arrow.column_names if c not in _NO_DICTIONARY]
        pq.write_table(arrow, path, use_dictionary=encoded)
    elif fmt == "csv":
        # every field quoted: a bare carriage return inside a text must not end the row
        table.to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    else:
        table.to_json(path, orient="records", lines=True, date_format="iso", force_ascii=False)


def part_path(directory: str | Path, table: str, index: int, fmt: str) -> Path:
    """Where part ``index`` of ``table`` lives in the ``"dataset"`` layout."""
    return Path(directory) / table / f"part-{index:05d}.{fmt}"


def unify_parts(folder: Path) -> None:
    """Give every Parquet part of one table the same schema, so that ``pd.read_parquet`` and
    dask read the folder: a column missing from a part is added as nulls, an all-null column
    takes the type of the other parts, integers and floats become floats, and a column whose
    types otherwise differ between parts becomes text (with a warning). Parts already on the
    common schema are not rewritten (the common case: only footers are read)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted(folder.glob("*.parquet"))
    if len(parts) < 2:
        return
    schemas = [pq.read_schema(p) for p in parts]
    names: list[str] = []
    seen: dict[str, list[Any]] = {}
    for schema in schemas:
        for f in schema:
            if f.name not in seen:
                names.append(f.name)
                seen[f.name] = []
            seen[f.name].append(f.type)
    target: dict[str, Any] = {}
    for name in names:
        types = list(dict.fromkeys(t for t in seen[name] if not pa.types.is_null(t)))
        if not types:
            target[name] = pa.null()
        elif len(types) == 1:
            target[name] = types[0]
        elif all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in types):
            target[name] = pa.float64()
        elif all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in types):
            target[name] = pa.large_string()
        else:
            target[name] = pa.large_string()
            log.warning(
                "column %r of %s has different types in different chunks (%s); it is "
                "written as text in every part",
                name,
                folder.name,
                ", ".join(map(str, types)),
            )
    if all(s.names == names and all(s.field(n).type == target[n] for n in names) for s in schemas):
        return
    for path, schema in zip(parts, schemas, strict=True):
        if schema.names == names and all(schema.field(n).type == target[n] for n in names):
            continue
        table = pq.read_table(path)
        columns = []
        for name in names:
            if name not in table.column_names:
                columns.append(pa.nulls(len(table), target[name]))
                continue
            col = table[name]
            if col.type != target[name]:
                if pa.types.is_large_string(target[name]) and not (
                    pa.types.is_string(col.type) or pa.types.is_null(col.type)
                ):
                    col = pa.array(
                        [None if v is None else str(v) for v in col.to_pylist()], type=target[name]
                    )
                else:
                    col = col.cast(target[name])
            columns.append(col)
        fields = [pa.field(n, target[n]) for n in names]
        pq.write_table(pa.Table.from_arrays(columns, schema=pa.schema(fields)), path)


# ---- meta.json -------------------------------------------------------------------------------


def scores_meta(
    *,
    layout: str,
    format: str,
    lexicons: Sequence[str],
    counts: Mapping[str, int],
    meta: Mapping[str, Any] | None,
    summary: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of ``meta.json``: the one schema both writers use (keys :data:`META_KEYS`).

    Parameters
    ----------
    layout : {"tables", "dataset"}
        How the tables are stored (see the module docstring).
    format : {"parquet", "csv", "jsonl"}
        The table file format.
    lexicons : list of str
        ``name@version`` of the lexicons scored with.
    counts : mapping
        Rows per table.
    meta : mapping or None
        :attr:`framing.Scores.meta` (``framing_version`` of the scoring run,
        ``lexicon_fingerprint``, ``model``); read back by :meth:`framing.Scores.load`.
    summary : mapping, optional
        What the engine did (:meth:`framing.engine.ScoreSummary.to_dict` without timings or
        paths); None for :meth:`framing.Scores.save`.

    Returns
    -------
    dict
        ``framing_version`` is the version that scored (from ``meta``, else this one).
    """
    from framing import __version__

    if layout not in LAYOUTS:
        raise parameter_error("layout", layout, f"one of {', '.join(map(repr, LAYOUTS))}")
    inner = dict(meta or {})
    return {
        "counts": {name: int(counts.get(name, 0)) for name in TABLES},
        "format": format,
        "framing_version": inner.get("framing_version") or __version__,
        "layout": layout,
        "lexicon_fingerprint": inner.get("lexicon_fingerprint"),
        "lexicons": list(lexicons),
        "meta": inner,
        "summary": dict(summary) if summary is not None else None,
    }


def write_meta(folder: Path, meta: Mapping[str, Any]) -> None:
    """Write ``meta.json`` (sorted keys, so identical runs give identical bytes)."""
    (folder / META_FILE).write_text(
        json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )


def read_meta(folder: Path) -> dict[str, Any]:
    """``meta.json`` of a scores directory, with its ``format`` checked.

    Raises
    ------
    FramingError
        No ``meta.json`` (not a scores directory), unreadable JSON, or an unknown format.
    """
    path = folder / META_FILE
    if not path.is_file():
        raise FramingError(
            f"{folder} is not a scores directory (no meta.json). Write one with "
            "`framing score INPUT -o DIR` or Scores.save(DIR)."
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FramingError(f"{path}: cannot read scores metadata: {exc}") from exc
    if info.get("format", "parquet") not in FORMATS:
        raise FramingError(f"{path}: unknown table format {info.get('format')!r}.")
    return dict(info)


# ---- reading tables --------------------------------------------------------------------------


def select_columns(names: Sequence[Any], columns: Sequence[str] | None) -> list[Any]:
    """The names of ``names`` that ``columns`` selects (all of them for None; ``p_*`` =
    prefix), in the order of ``names``."""
    if columns is None:
        return list(names)
    exact = {c for c in columns if not c.endswith("*")}
    prefixes = tuple(c[:-1] for c in columns if c.endswith("*"))
    return [n for n in names if n in exact or (prefixes and str(n).startswith(prefixes))]


def read_table_file(path: Path, fmt: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """One table file (or part file) as written, dtypes not yet restored; only ``columns``
    (see :func:`select_columns`) when given, read selectively from Parquet."""
    if fmt == "parquet":
        if columns is None:
            return pd.read_parquet(path)
        import pyarrow.parquet as pq

        names = select_columns(pq.read_schema(path).names, columns)
        return pd.read_parquet(path, columns=names)
    if fmt == "csv":
        usecols: Callable[[Any], bool] | None = None
        if columns is not None:

            def usecols(c: Any) -> bool:
                return bool(select_columns([c], columns))

        return pd.read_csv(
            path,
            keep_default_na=False,
            na_values=[""],
            dtype={"doc_id": str},
            low_memory=False,
            usecols=usecols,
        )
    if path.stat().st_size == 0:
        return pd.DataFrame()
    table = pd.read_json(path, orient="records", lines=True, dtype=False)
    return table if columns is None else table[select_columns(list(table.columns), columns)]


def table_files(folder: Path, name: str, fmt: str) -> list[Path]:
    """The file of a table (``"tables"`` layout), or its part files in order (``"dataset"``)."""
    single = folder / f"{name}.{fmt}"
    parts_dir = folder / name
    if single.is_file():
        return [single]
    if parts_dir.is_dir():
        return sorted(parts_dir.glob(f"*.{fmt}"))
    if name == "quotes":  # written before quotations were tabled: no quotes known
        return []
    raise FramingError(
        f"scores directory {folder} has no {name} table ({single.name} or {name}/); "
        "it may be incomplete. Score the corpus again."
    )


# ---- skipped.csv -----------------------------------------------------------------------------


def _text_column(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").map(str).astype(str_dtype())


def skipped_frame(rows: Any) -> pd.DataFrame:
    """The skipped-documents table (:data:`SKIPPED_COLUMNS`) with its dtypes, from records or
    a table; a row without a code gets ``"unknown"``."""
    frame = pd.DataFrame(rows)
    if frame.empty and not len(frame.columns):
        frame = pd.DataFrame(columns=list(SKIPPED_COLUMNS))
    if "code" not in frame.columns:
        frame["code"] = "unknown"
    frame = frame[list(SKIPPED_COLUMNS)]
    chunk = pd.to_numeric(frame["chunk"].replace("", None), errors="coerce")
    code = frame["code"].where(frame["code"].notna() & (frame["code"] != ""), "unknown")
    return pd.DataFrame(
        {
            "doc_id": _text_column(frame["doc_id"]),
            "chunk": chunk.fillna(-1).astype(np.int64).to_numpy(),
            "reason": _text_column(frame["reason"]),
            "code": _text_column(code),
        }
    )


def write_skipped(skipped: pd.DataFrame, folder: Path) -> None:
    """Write ``skipped.csv`` (columns :data:`SKIPPED_COLUMNS`) when there is anything to list."""
    if len(skipped):
        skipped_frame(skipped).to_csv(folder / SKIPPED_FILE, index=False, quoting=csv.QUOTE_ALL)


def read_skipped(path: Path) -> pd.DataFrame:
    """``skipped.csv`` of a scores directory; an empty table when there is none. A file
    written before reason codes existed (no ``code`` column) reads with code ``"unknown"``."""
    if not path.is_file():
        return skipped_frame([])
    try:
        table = pd.read_csv(path, dtype=object, keep_default_na=False)
    except pd.errors.EmptyDataError:
        return skipped_frame([])
    except (OSError, ValueError) as exc:
        raise FramingError(f"{path}: cannot read the list of skipped documents: {exc}") from exc
    required = [c for c in SKIPPED_COLUMNS if c != "code"]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise FramingError(
            f"{path}: the list of skipped documents lacks column(s) {', '.join(missing)}; "
            f"expected {', '.join(SKIPPED_COLUMNS)} (as written by framing score --on-error skip)."
        )
    return skipped_frame(table[[c for c in SKIPPED_COLUMNS if c in table.columns]])
