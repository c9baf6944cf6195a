"""The bad-input catalogue: malformed inputs, odd values and bad options, through the CLI.

Each case builds its input in a temporary folder and runs one `framing` command in process.
It asserts the exit code, that an error is one line naming the culprit (no traceback), that a
failed run leaves no output and no temporary directory, and, for runs that write a scores
directory, that documents in = documents out + documents listed in skipped.csv (with the
expected counts). See docs/reliability.md.
"""

from __future__ import annotations

import bz2
import errno
import gzip
import json
import lzma
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import cli

LEX = "loaded-language"
GOOD = "The brutal regime slammed its critics on Monday."


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def two_docs() -> list[dict]:
    return [{"id": "a", "outlet": "A", "text": GOOD}, {"id": "b", "outlet": "B", "text": GOOD}]


def parquet_bytes(tmp: Path) -> bytes:
    path = tmp / "_good.parquet"
    pd.DataFrame(two_docs()).to_parquet(path)
    data = path.read_bytes()
    path.unlink()
    return data


@dataclass
class Case:
    """One malformed input: ``build(tmp)`` returns the CLI arguments (``{out}`` = output dir).

    ``code``: expected exit status; ``message``: text expected in the one-line error (exit 2)
    or in the output; ``docs``: (in, out, skipped) for a run that writes ``{out}``.
    """

    id: str
    build: Callable[[Path], list[str]]
    code: int
    message: str = ""
    docs: tuple[int, int, int] | None = None


def score(path: Path | str, *extra: str) -> list[str]:
    return ["score", str(path), "-l", LEX, "-o", "{out}", "--jobs", "1", *extra]


def w(name: str, data: bytes | str, *args: str, cmd=score) -> Callable[[Path], list[str]]:
    """A builder writing ``data`` to ``name`` and scoring it."""

    def build(tmp: Path) -> list[str]:
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return cmd(path, *args)

    return build


def j(records: list[dict], *args: str, name: str = "in.jsonl") -> Callable[[Path], list[str]]:
    return w(name, "".join(json.dumps(r) + "\n" for r in records), *args)


LATIN1_JSONL = b'{"id": "a", "text": "ok text"}\n' + b'{"id": "b", "text": "caf\xe9 au lait"}\n'
LATIN1_CSV = b"id,text\na,ok text\nb,caf\xe9 au lait\n"
GZ_JSONL = gzip.compress(
    "".join(json.dumps({"id": str(i), "text": GOOD * 20}) + "\n" for i in range(200)).encode()
)
GZ_CSV = gzip.compress(("id,text\n" + "".join(f"{i},{GOOD * 20}\n" for i in range(200))).encode())
BOMB = """name: bomb
version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
entries: [{term: *h}]
"""


def with_lexicon(text: str | bytes) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        lex = tmp / "lex.yaml"
        lex.write_bytes(text if isinstance(text, bytes) else text.encode())
        corpus = jsonl(tmp / "in.jsonl", two_docs())
        return ["score", str(corpus), "-l", str(lex), "-o", "{out}", "--jobs", "1"]

    return build


def good_then(
    *args: str, before: Callable[[Path], None] | None = None, cmd: str = "score"
) -> Callable[[Path], list[str]]:
    """Two good documents with extra arguments (bad options, odd output paths)."""

    def build(tmp: Path) -> list[str]:
        corpus = jsonl(tmp / "in.jsonl", two_docs())
        if before is not None:
            before(tmp)
        if cmd == "score":
            return ["score", str(corpus), "-l", LEX, *args]
        return [cmd, str(corpus), "-l", LEX, *args]

    return build


def mkfile(rel: str, content: str = "x") -> Callable[[Path], None]:
    def make(tmp: Path) -> None:
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(content)

    return make


def one_article_files(tmp: Path) -> list[str]:
    folder = tmp / "many"
    folder.mkdir()
    for i in range(120):
        (folder / f"{i:04d}.txt").write_text(f"Article {i}. {GOOD}\n", encoding="utf-8")
    return score(folder, "--chunksize", "50")


CASES = [
    # ---- encodings ---------------------------------------------------------------------------
    Case("jsonl-latin1", w("in.jsonl", LATIN1_JSONL), 2, "not UTF-8"),
    Case("jsonl-latin1-skip", w("in.jsonl", LATIN1_JSONL, "--on-error", "skip"), 0, docs=(2, 1, 1)),
    Case("csv-latin1", w("in.csv", LATIN1_CSV), 2, "as UTF-8"),
    Case("csv-latin1-skip", w("in.csv", LATIN1_CSV, "--on-error", "skip"), 0, docs=(2, 1, 1)),
    Case("csv-utf16", w("in.csv", "id,text\na,hello\n".encode("utf-16")), 2, "UTF-16"),
    Case(
        "csv-utf8-bom", w("in.csv", b"\xef\xbb\xbfid,text\na,hello\nb,world\n"), 0, docs=(2, 2, 0)
    ),
    Case("txt-latin1", w("in.txt", b"caf\xe9 au lait and the regime"), 2, "as UTF-8"),
    Case(
        "txt-latin1-skip", w("in.txt", b"caf\xe9 au lait", "--on-error", "skip"), 0, docs=(1, 0, 1)
    ),
    Case("jsonl-nul-char", j([{"id": "a", "text": "a\u0000b regime"}]), 0, docs=(1, 1, 0)),
    Case("csv-nul-byte", w("in.csv", b"id,text\na,a\x00b regime\n"), 0, docs=(1, 1, 0)),
    Case(
        "jsonl-surrogate",
        w("in.jsonl", '{"id": "a", "text": "x \\ud800 y"}\n'),
        2,
        "not valid Unicode",
    ),
    Case(
        "jsonl-surrogate-skip",
        w(
            "in.jsonl",
            '{"id": "a", "text": "x \\ud800 y"}\n{"id": "b", "text": "fine"}\n',
            "--on-error",
            "skip",
        ),
        0,
        docs=(2, 1, 1),
    ),
    Case("csv-crlf", w("in.csv", b"id,text\r\na,hello\r\nb,world\r\n"), 0, docs=(2, 2, 0)),
    Case("csv-bare-cr-quoted", w("in.csv", b'id,text\na,"one\rtwo"\nb,three\n'), 0, docs=(2, 2, 0)),
    Case("json-bom", w("in.jsonl", b'\xef\xbb\xbf{"id": "a", "text": "hi"}\n'), 0, docs=(1, 1, 0)),
    # ---- empty, NULL and whitespace texts ----------------------------------------------------
    Case("text-null", j([{"id": "a", "text": None}, {"id": "b", "text": GOOD}]), 2, "no text"),
    Case(
        "text-null-skip",
        j([{"id": "a", "text": None}, {"id": "b", "text": GOOD}], "--on-error", "skip"),
        0,
        docs=(2, 1, 1),
    ),
    Case("text-empty", j([{"id": "a", "text": ""}, {"id": "b", "text": GOOD}]), 0, docs=(2, 2, 0)),
    Case("text-whitespace", j([{"id": "a", "text": " \n\t\u00a0 "}]), 0, docs=(1, 1, 0)),
    Case("text-list", j([{"id": "a", "text": ["x", "y"]}]), 2, "not a string"),
    Case(
        "text-list-skip",
        j([{"id": "a", "text": ["x"]}, {"id": "b", "text": GOOD}], "--on-error", "skip"),
        0,
        docs=(2, 1, 1),
    ),
    Case(
        "text-number-skip",
        j([{"id": "a", "text": 5}, {"id": "b", "text": GOOD}], "--on-error", "skip"),
        0,
        docs=(2, 1, 1),
    ),
    Case("no-text-column", j([{"id": "a", "body_html": "x"}]), 2, "no text column"),
    Case("jsonl-empty-file", w("in.jsonl", b""), 0, docs=(0, 0, 0)),
    Case("jsonl-blank-lines", w("in.jsonl", b"\n\n  \n"), 0, docs=(0, 0, 0)),
    Case("csv-empty-file", w("in.csv", b""), 0, docs=(0, 0, 0)),
    Case("csv-header-only", w("in.csv", b"id,text\n"), 0, docs=(0, 0, 0)),
    Case("csv-empty-cell", w("in.csv", b"id,text\na,\nb,hello\n"), 0, docs=(2, 2, 0)),
    # ---- truncated and corrupt files ---------------------------------------------------------
    Case(
        "parquet-truncated",
        lambda t: w("in.parquet", parquet_bytes(t)[:300])(t),
        2,
        "cannot read as Parquet",
    ),
    Case("parquet-garbage", w("in.parquet", os.urandom(2000)), 2, "cannot read as Parquet"),
    Case("parquet-is-csv", w("in.parquet", "id,text\na,b\n"), 2, "cannot read as Parquet"),
    Case(
        "jsonl-gz-truncated",
        w("in.jsonl.gz", GZ_JSONL[: len(GZ_JSONL) // 2]),
        2,
        "truncated or corrupt",
    ),
    Case("jsonl-gz-not-gzip", w("in.jsonl.gz", b"plain text, not gzip"), 2, "Not a gzipped file"),
    Case("csv-gz-truncated", w("in.csv.gz", GZ_CSV[: len(GZ_CSV) // 2]), 2, "truncated or corrupt"),
    Case("txt-gz-not-gzip", w("in.txt.gz", b"plain"), 2, "Not a gzipped file"),
    Case(
        "jsonl-bz2-corrupt",
        w("in.jsonl.bz2", bz2.compress(b'{"text": "x"}\n')[:-8]),
        2,
        "truncated or corrupt",
    ),
    Case(
        "jsonl-xz-corrupt",
        w("in.jsonl.xz", lzma.compress(b'{"text": "x"}\n')[:-8]),
        2,
        "truncated or corrupt",
    ),
    Case(
        "csv-extra-field-first-row",
        w("in.csv", "id,outlet,text\n1,A,hello,EXTRA\n2,B,x\n"),
        2,
        "in.csv:2: 4 fields where the header has 3",
    ),
    Case(
        "csv-extra-field-later-row",
        w("in.csv", "id,outlet,text\n1,A,x\n2,B,y\n3,C,z,W\n"),
        2,
        "in.csv:4: 4 fields",
    ),
    Case(
        "csv-unclosed-quote-at-end",
        w("in.csv", 'id,text\n1,"hello\n2,world\n'),
        2,
        "in.csv:2: a quoted field starting on line 2 is never closed",
    ),
    Case(
        "csv-quote-swallows-row",
        w("in.csv", 'id,text\n1,"hello\n2,"second"\n3,third\n'),
        2,
        "malformed CSV quoting",
    ),
    Case("tsv-extra-field", w("in.tsv", "id\ttext\n1\thello\tmore\n"), 2, "in.tsv:2: 3 fields"),
    Case(
        "jsonl-malformed-line",
        w("in.jsonl", '{"text": "a"}\n{"text": \n'),
        2,
        "in.jsonl:2: malformed JSON Lines record",
    ),
    Case(
        "jsonl-array-line",
        w("in.jsonl", '{"text": "a"}\n["text"]\n'),
        2,
        "expected a JSON object per line",
    ),
    Case(
        "jsonl-truncated-last-line",
        w("in.jsonl", '{"text": "a"}\n{"text": "b'),
        2,
        "in.jsonl:2: malformed",
    ),
    Case("json-array-broken", w("in.json", '[{"text": "a"}, {"text": '), 2, "malformed JSON"),
    Case("json-array-of-strings", w("in.json", '["a", "b"]'), 2, "expected an array of objects"),
    # ---- ids ---------------------------------------------------------------------------------
    Case(
        "duplicate-ids",
        j([{"id": "x", "text": "a"}, {"id": "x", "text": "b"}]),
        2,
        "duplicate doc_id",
    ),
    Case(
        "duplicate-ids-int-and-str",
        j([{"id": 1, "text": "a"}, {"id": "1", "text": "b"}]),
        2,
        "duplicate doc_id",
    ),
    Case("int-ids", j([{"id": 1, "text": "a"}, {"id": 2, "text": "b"}]), 0, docs=(2, 2, 0)),
    Case("float-ids", j([{"id": 1.0, "text": "a"}, {"id": 2.5, "text": "b"}]), 0, docs=(2, 2, 0)),
    Case("null-ids", j([{"id": None, "text": "a"}, {"id": None, "text": "b"}]), 0, docs=(2, 2, 0)),
    Case("identical-docs-no-ids", j([{"text": "same"}, {"text": "same"}]), 0, docs=(2, 2, 0)),
    Case("nested-id", j([{"id": {"k": 1}, "text": "a"}]), 0, docs=(1, 1, 0)),
    # ---- dates -------------------------------------------------------------------------------
    Case("date-unparseable", j([{"text": "a", "date": "yesterday-ish"}]), 0, docs=(1, 1, 0)),
    Case("date-out-of-range", j([{"text": "a", "date": "9999-01-01"}]), 0, docs=(1, 1, 0)),
    Case(
        "date-mixed-zones",
        j(
            [
                {"text": "a", "date": "2024-01-01T00:00:00+05:00"},
                {"text": "b", "date": "2024-01-01"},
            ]
        ),
        0,
        docs=(2, 2, 0),
    ),
    Case(
        "date-number",
        j([{"text": "a", "date": 20240101}, {"text": "b", "date": 1e30}]),
        0,
        docs=(2, 2, 0),
    ),
    Case(
        "date-mixed-types",
        j([{"text": "a", "date": [2024]}, {"text": "b", "date": True}]),
        0,
        docs=(2, 2, 0),
    ),
    # ---- metadata of mixed types: one schema for every part -----------------------------------
    Case(
        "meta-mixed-types",
        j(
            [
                {
                    "id": str(i),
                    "text": GOOD,
                    "tags": ["x"] if i % 2 else "y",
                    "n": i if i < 3 else "many",
                }
                for i in range(6)
            ],
            "--chunksize",
            "2",
        ),
        0,
        docs=(6, 6, 0),
    ),
    Case(
        "meta-column-named-score",
        j([{"id": "a", "text": GOOD, "score": "high", "n_words": "many"}]),
        0,
        docs=(1, 1, 0),
    ),
    Case("many-one-article-files", one_article_files, 0, docs=(120, 120, 0)),
    # ---- lexicons ----------------------------------------------------------------------------
    Case("lexicon-billion-laughs", with_lexicon(BOMB), 2, "billion laughs"),
    Case(
        "lexicon-deep-nesting",
        with_lexicon("name: x\nversion: 1\nentries: " + "[" * 200 + "]" * 200 + "\n"),
        2,
        "nest",
    ),
    Case("lexicon-syntax-error", with_lexicon("name: x\n  version: [1\n"), 2, "YAML syntax error"),
    Case(
        "lexicon-python-tag",
        with_lexicon("name: !!python/object/apply:os.system [echo hi]\n"),
        2,
        "lex.yaml",
    ),
    Case("lexicon-not-a-mapping", with_lexicon("- a\n- b\n"), 2, "lex.yaml"),
    Case("lexicon-empty", with_lexicon(""), 2, "lex.yaml"),
    Case("lexicon-binary", with_lexicon(b"\xff\xfe\x00garbage"), 2, "lex.yaml"),
    Case(
        "lexicon-missing",
        good_then("-l", "no/such/lexicon.yaml", "-o", "{out}"),
        2,
        "no/such/lexicon.yaml",
    ),
    # ---- output paths ------------------------------------------------------------------------
    Case(
        "out-under-a-file",
        good_then("-o", "{tmp}/afile/sub", before=mkfile("afile")),
        2,
        "is a file, not a directory",
    ),
    Case("out-is-a-file", good_then("-o", "{tmp}/afile", before=mkfile("afile")), 2, "is a file"),
    Case(
        "out-non-scores-dir",
        good_then("-o", "{tmp}/mine", before=mkfile("mine/keep.txt")),
        2,
        "refusing to write scores",
    ),
    Case("out-under-dev-null", good_then("-o", "/dev/null/scores"), 2, "/dev/null is a file"),
    Case(
        "report-under-a-file",
        good_then("-o", "{tmp}/afile/r.html", before=mkfile("afile"), cmd="report"),
        2,
        "afile",
    ),
    # ---- bad option values -------------------------------------------------------------------
    Case("jobs-too-many", good_then("-o", "{out}", "--jobs", "999"), 2, "at most"),
    Case("jobs-negative", good_then("-o", "{out}", "--jobs", "-1"), 2, "--jobs"),
    Case("chunksize-zero", good_then("-o", "{out}", "--chunksize", "0"), 2, "--chunksize"),
    Case("format-unknown", good_then("-o", "{out}", "--format", "xml"), 2, "--format"),
    Case("on-error-unknown", good_then("-o", "{out}", "--on-error", "maybe"), 2, "--on-error"),
    Case("text-column-missing", good_then("-o", "{out}", "--text-column", "story"), 2, "'story'"),
    Case(
        "n-boot-huge",
        good_then("-o", "{tmp}/r.html", "--n-boot", "100000000", cmd="report"),
        2,
        "--n-boot",
    ),
    Case(
        "input-missing",
        lambda t: ["score", str(t / "nope.jsonl"), "-o", "{out}"],
        2,
        "corpus path not found",
    ),
    Case("input-bad-extension", w("in.docx", "hello"), 2, "cannot tell the format"),
    Case(
        "input-empty-folder",
        lambda t: (t / "empty").mkdir() or score(t / "empty"),
        2,
        "holds no corpus files",
    ),
    Case("input-glob-no-match", lambda t: score(str(t / "*.jsonl")), 2, "no file matches"),
]


def _run(case: Case, tmp: Path) -> tuple[object, Path]:
    out = tmp / "out"
    args = [a.replace("{out}", str(out)).replace("{tmp}", str(tmp)) for a in case.build(tmp)]
    result = CliRunner().invoke(cli, args)
    return result, out


def _error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("framing: error:", "Error:"))]
    assert len(errors) == 1, result.stderr
    return errors[0]


def test_catalogue_has_at_least_60_cases():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    result, out = _run(case, tmp_path)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.output
    assert result.exit_code == case.code, result.output
    if case.code == 2:
        line = _error_line(result)
        # one line; a lexicon error lists its problems (one per line) after it
        assert case.message in (line if "Lexicon " not in line else result.stderr), line
        assert not out.exists()
    if case.docs is not None:
        n_in, n_out, n_skipped = case.docs
        summary = json.loads((out / "meta.json").read_text())["summary"]
        assert (summary["documents_in"], summary["documents_out"], summary["skipped"]) == (
            n_in,
            n_out,
            n_skipped,
        )
        docs = pd.read_parquet(out / "documents")  # one schema over every part
        assert len(docs) == n_out
        skipped = pd.read_csv(out / "skipped.csv") if n_skipped else pd.DataFrame()
        assert len(skipped) == n_skipped
        assert set(docs["doc_id"]).isdisjoint(set(skipped.get("doc_id", [])))
    # never a temporary directory left beside the output
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_many_small_files_are_batched_into_chunks(tmp_path):
    result, out = _run(CASES[[c.id for c in CASES].index("many-one-article-files")], tmp_path)
    assert result.exit_code == 0, result.output
    # 120 one-article files, chunks of 50: 3 parts per table, not 120
    assert len(list((out / "documents").glob("*.parquet"))) == 3


def test_output_named_input_columns_are_renamed_not_overwritten(tmp_path):
    from framing.errors import DataQualityWarning

    with pytest.warns(DataQualityWarning, match="'score' -> 'input_score'"):
        result, out = _run(CASES[[c.id for c in CASES].index("meta-column-named-score")], tmp_path)
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "documents")
    assert docs.loc[0, "input_score"] == "high" and docs.loc[0, "input_n_words"] == "many"
    assert docs.loc[0, "n_words"] == 8 and docs.loc[0, "score"] > 0


def test_mixed_type_metadata_becomes_text_in_every_part(tmp_path, caplog):
    result, out = _run(CASES[[c.id for c in CASES].index("meta-mixed-types")], tmp_path)
    assert result.exit_code == 0, result.output
    docs = pd.read_parquet(out / "documents")
    assert docs["tags"].tolist() == ["y", '["x"]', "y", '["x"]', "y", '["x"]']
    assert docs["n"].tolist() == ["0", "1", "2", "many", "many", "many"]
    assert "input column 'tags' holds values of mixed or nested types" in caplog.text


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_scoring_leaves_nothing(tmp_path, monkeypatch):
    import framing.engine as engine

    corpus = jsonl(tmp_path / "in.jsonl", two_docs())
    monkeypatch.setattr(engine, "_write_part", _enospc)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["score", str(corpus), "-l", LEX, "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 2
    assert "No space left on device" in _error_line(result)
    assert not out.exists() and not list(tmp_path.glob(".out.tmp-*"))


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_disk_full_while_writing_a_report_leaves_no_tmp_file(tmp_path, monkeypatch, fmt):
    corpus = jsonl(tmp_path / "in.jsonl", two_docs())
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name.endswith(".tmp"):
            real(self, "partial", encoding="utf-8")
            _enospc()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    out = tmp_path / f"r.{fmt}"
    result = CliRunner().invoke(
        cli, ["report", str(corpus), "-l", LEX, "-o", str(out), "--n-boot", "10"]
    )
    assert result.exit_code == 2, result.output
    assert "No space left on device" in _error_line(result)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_disk_full_during_demo_is_one_line(tmp_path, monkeypatch):
    import framing.reporting as reporting

    monkeypatch.setattr(reporting, "_render_html", _enospc)
    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path / "demo"), "--n-boot", "10"])
    assert result.exit_code == 2, result.output
    assert "No space left on device" in _error_line(result)
    assert not list((tmp_path / "demo").glob("*.tmp"))


def test_huge_dpi_is_refused(tmp_path):
    corpus = jsonl(tmp_path / "in.jsonl", two_docs())
    out = tmp_path / "s"
    assert (
        CliRunner()
        .invoke(cli, ["score", str(corpus), "-l", LEX, "-o", str(out), "--jobs", "1"])
        .exit_code
        == 0
    )
    result = CliRunner().invoke(
        cli, ["plot", str(out), "-o", str(tmp_path / "f.png"), "--dpi", "100000"]
    )
    assert result.exit_code == 2
    assert "--dpi" in _error_line(result) and "600" in _error_line(result)
    assert not (tmp_path / "f.png").exists()


# ---- the same cases through the Python API ------------------------------------------------------


def _slant_scores(lexicon_name: str, outlets: list[str]):
    import framing as fr
    from framing.lexicon import Entry, Lexicon

    lex = Lexicon(
        lexicon_name,
        entries=[
            Entry("regime", stance="left", concept="gov", category="c1", weight=1),
            Entry("government", stance="right", concept="gov", category="c1", weight=1),
        ],
    )
    rows = []
    for i in range(90):
        word = "regime" if i % 3 == 0 or i % 7 == 0 else "government"
        rows.append(
            {
                "doc_id": f"d{i}",
                "outlet": outlets[i % len(outlets)],
                "text": f"The {word} said <b>*hi*</b> [x](javascript:alert(1)). The {word} left.",
            }
        )
    return fr.score(pd.DataFrame(rows), lexicons=lex)


XSS = 'x"><img src=x onerror=alert(1)>'
OUTLETS = ["Cash $\\notacommand$ News", "<script>alert(1)</script>", "Plain | Table"]


def test_report_html_escapes_every_anchor_attribute_and_data(tmp_path):
    from html.parser import HTMLParser

    import framing as fr

    scores = _slant_scores(XSS, OUTLETS)
    path = fr.report(scores, path=tmp_path / "r.html", n_boot=10)

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    assert "script" not in [t for t, _ in parser.tags]
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]
    ids = [attrs["id"] for _, attrs in parser.tags if "id" in attrs]
    slant = [i for i in ids if i.startswith("slant-")]
    assert slant == ["slant-x_22_3e_3cimg_20src_3dx_20onerror_3dalert_281_29_3e"]
    hrefs = [attrs["href"] for t, attrs in parser.tags if t == "a"]
    assert f"#{slant[0]}" in hrefs
    imgs = [attrs["src"] for t, attrs in parser.tags if t == "img"]
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)


def test_report_markdown_escapes_data(tmp_path):
    import framing as fr

    scores = _slant_scores(XSS, OUTLETS)
    path = fr.report(scores, path=tmp_path / "r.md", n_boot=10)
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Plain \\| Table" in text  # a | in data does not split a table cell
    figures = sorted(p.name for p in (tmp_path / "r_figures").iterdir())
    assert "slant_x_22_3e_3cimg_20src_3dx_20onerror_3dalert_281_29_3e.png" in figures
    assert all((tmp_path / "r_figures" / f).parent == tmp_path / "r_figures" for f in figures)


def test_report_when_every_outlet_has_the_same_profile(tmp_path):
    import framing as fr

    text = "The brutal regime slammed its critics. The thugs left."
    docs = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(12)], "outlet": ["A", "B", "C"] * 4, "text": [text] * 12}
    )
    scores = fr.score(docs, lexicons=LEX)
    path = fr.report(scores, path=tmp_path / "r.html", n_boot=10)
    html = path.read_text(encoding="utf-8")
    assert "every outlet has the same framing profile" in html
    assert '<section id="keyness">' in html


def test_mathtext_in_data_is_drawn_literally():
    import io

    import framing as fr

    scores = _slant_scores("plain", OUTLETS)
    prof = fr.profile(scores, by="outlet", n_boot=10)
    fig = fr.plot_profile(prof, title="Cash $\\notacommand$ News")
    fig.savefig(io.BytesIO(), format="png")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Cash \\$\\notacommand\\$ News" in labels  # rendered as written, not as mathtext
    sl = fr.slant(scores, by="outlet", lexicon="plain", n_boot=10)
    fr.plot_slant(sl).savefig(io.BytesIO(), format="png")


def test_figures_are_capped_in_size():
    import framing as fr
    from framing.plot import MAX_FIGURE_INCHES

    prof = pd.DataFrame(
        {
            "outlet": [f"o{i}" for i in range(3000)],
            "feature": "f",
            "rate": 1.0,
            "ci_low": 0.5,
            "ci_high": 1.5,
            "n_docs": 3,
        }
    )
    fig = fr.plot_profile(prof, by="outlet")
    assert max(fig.get_size_inches()) <= MAX_FIGURE_INCHES


@pytest.mark.parametrize("how", ["save", "engine"])
def test_csv_output_with_a_bare_carriage_return_round_trips(tmp_path, how):
    import framing as fr
    from framing.engine import score_files

    texts = [f"line one\rline two {i}\r\nthe regime\r" for i in range(50)]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(50)], "text": texts})
    out = tmp_path / "s"
    if how == "save":
        fr.score(docs, lexicons=LEX).save(out, format="csv")
    else:
        score_files(docs, out=out, lexicons=LEX, format="csv", jobs=1, chunksize=20)
    back = fr.Scores.load(out)
    assert len(back.documents) == 50
    assert back.documents["text"].tolist() == texts
    assert len(back.matches) == 50


def test_non_string_texts_in_the_api_become_empty_with_a_warning():
    import framing as fr
    from framing.errors import DataQualityWarning

    docs = pd.DataFrame({"text": [["a", "regime"], b"the regime", 5, "the regime"]})
    with pytest.warns(DataQualityWarning, match="3 text value"):
        scores = fr.score(docs, lexicons=LEX)
    assert scores.documents["text"].tolist() == ["", "", "", "the regime"]
    assert scores.documents["n_matches"].tolist() == [0, 0, 0, 1]


def test_lone_surrogates_in_a_dataframe_are_replaced_with_a_warning():
    import framing as fr
    from framing.errors import DataQualityWarning

    # object columns (pandas' str dtype cannot even hold such text)
    docs = pd.DataFrame(
        {
            "text": pd.Series(["the regime \ud800 left", "fine"], dtype=object),
            "outlet": pd.Series(["A\udfff", "B"], dtype=object),
        }
    )
    with pytest.warns(DataQualityWarning, match="not valid Unicode"):
        scores = fr.score(docs, lexicons=LEX)
    assert scores.documents["text"].tolist() == ["the regime \ufffd left", "fine"]
    assert scores.documents["outlet"].tolist() == ["A\ufffd", "B"]
    assert scores.matches["surface"].tolist() == ["regime"]


def test_input_columns_named_like_output_columns_are_kept_renamed():
    import framing as fr
    from framing.errors import DataQualityWarning

    docs = pd.DataFrame({"text": ["the regime"], "score": ["A+"], "n_matches": [99]})
    with pytest.warns(DataQualityWarning, match="'n_matches' -> 'input_n_matches'"):
        scores = fr.score(docs, lexicons=LEX)
    row = scores.documents.iloc[0]
    assert (row["input_score"], row["input_n_matches"]) == ("A+", 99)
    assert (row["score"] > 0, row["n_matches"]) == (True, 1)


@pytest.mark.parametrize(
    "values",
    [
        [None] * 5 + ["late"] * 5,  # all-null in the first part
        list(range(5)) + ["text"] * 5,  # number, then string
        list(range(5)) + [0.5] * 5,  # int, then float
        [None] * 5 + [1.5] * 5,
    ],
)
def test_dataset_parts_share_one_schema(tmp_path, values):
    from framing.engine import score_files

    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(10)],
            "text": ["the regime"] * 10,
            "extra": pd.Series(values, dtype=object),
        }
    )
    score_files(docs, out=tmp_path / "s", lexicons=LEX, jobs=1, chunksize=5)
    back = pd.read_parquet(tmp_path / "s" / "documents")
    assert len(back) == 10
    got = [None if pd.isna(v) else v for v in back["extra"].tolist()]
    want = [None if v is None else v for v in values]
    if any(isinstance(v, str) for v in values):
        want = [None if v is None else str(v) for v in values]
    assert got == want


def test_score_files_refuses_absurd_jobs(tmp_path):
    from framing.engine import max_jobs, score_files
    from framing.errors import FramingError

    with pytest.raises(FramingError, match=f"at most {max_jobs()}"):
        score_files(pd.DataFrame({"text": ["x"]}), out=tmp_path / "s", jobs=10_000)
    assert not (tmp_path / "s").exists()


def test_yaml_bomb_and_deep_nesting_are_refused_fast():
    import time

    from framing.errors import LexiconError
    from framing.lexicon import load_lexicon

    started = time.perf_counter()
    with pytest.raises(LexiconError, match="billion laughs"):
        load_lexicon(BOMB)
    deep = (
        "name: x\nversion: 1\nentries:\n"
        + "".join("  " * i + "- \n" for i in range(1, 80))
        + "  " * 80
        + "- {term: a}\n"
    )
    with pytest.raises(LexiconError, match="nested deeper than 50"):
        load_lexicon(deep)
    assert time.perf_counter() - started < 5


def test_case_folding_that_changes_length_never_glues_a_match_to_a_letter():
    from framing.lexicon import Entry, Lexicon
    from framing.matcher import Matcher

    m = Matcher(Lexicon("t", entries=[Entry("regime")]))
    for glued in ["İregime", "regime\u0301", "ǰregime", "ΐregime", "regime\u0308s", "½regime"]:
        assert m(f"the {glued} now") == [], glued
    text = "İİ the ΐ regime ǰ, İstanbul regime"
    assert [text[x.start : x.end] for x in m(text)] == ["regime", "regime"]


def test_report_with_hostile_names_runs_no_script_in_a_real_browser(tmp_path):
    """The lexicon-name injection of the audit, in headless Chromium (skips without it)."""
    import re
    import shutil
    import subprocess

    import framing as fr

    browser = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if browser is None:
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium for CI)")
    payload = "x\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
    scores = _slant_scores(
        payload, [payload, "<script>document.body.setAttribute('data-pwned','2')</script>", "Plain"]
    )
    path = fr.report(scores, path=tmp_path / "r.html", n_boot=10)
    assert 'id="slant-x_22_3e_3cimg' in path.read_text(encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None, dom[:500]
    assert "data-pwned" not in body.group(0)
    assert 'Slant: x"&gt;&lt;img' in dom  # the name is shown as text
