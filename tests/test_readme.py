"""The documentation runs as written: README snippets, the CLI quickstart, lexicon counts."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import framing as fr
from framing.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _blocks(path: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def _section(path: Path, heading: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end > 0 else None]


def test_every_readme_python_snippet_runs(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    blocks = _blocks(README, "python")
    assert len(blocks) >= 2
    namespace: dict = {"__name__": "readme"}
    for block in blocks:  # in order, in one namespace, as a reader would paste them
        exec(compile(block, str(README), "exec"), namespace)
    assert (tmp_path / "report.html").is_file()
    sl = namespace["sl"]
    assert sl["slant"].notna().any()  # the snippet's slant has numbers, not blanks
    assert any(str(c).startswith("p_") for c in namespace["scores"].sentences.columns)


def test_cli_quickstart_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    section = _section(README, "## Quickstart: command line")
    (block,) = _blocks_in(section, "bash")
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) >= 6
    for line in lines:
        args = shlex.split(line, comments=True)
        assert args[0] == "framing", line
        res = CliRunner().invoke(cli, args[1:])
        assert res.exit_code == 0, f"{line}\n{res.output}"
    for made in (
        "scores/meta.json",
        "profile.csv",
        "slant.png",
        "report.html",
        "framing-demo/report.html",
    ):
        assert (tmp_path / made).is_file(), made


def _blocks_in(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_lexicon_readme_counts_are_current():
    path = ROOT / "lexicons" / "README.md"
    text = path.read_text(encoding="utf-8")
    shown = re.findall(r'fr\.load_lexicon\("([\w-]+)"\)\s+# (<Lexicon [^>]+>)', text)
    assert shown
    for name, expected in shown:
        assert repr(fr.load_lexicon(name)) == expected
    listed = re.search(r"fr\.list_lexicons\(\)\s+# (\[.*\])", text)
    assert listed and ast.literal_eval(listed.group(1)) == fr.list_lexicons()


def test_notebooks_extra_installs_jupyter_and_nbconvert():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["notebooks"]
    names = {re.split(r"[<>=\[ ]", e)[0] for e in extras}
    assert {"jupyter", "nbconvert", "nbclient", "ipykernel"} <= names


def test_docstrings_do_not_point_at_unshipped_files():
    package = ROOT / "framing"
    offenders = [
        str(p.relative_to(ROOT))
        for p in package.rglob("*.py")
        if "DESIGN.md" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
