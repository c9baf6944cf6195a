"""The tutorial notebooks: committed with outputs, in sync with their build script, and runnable.

Each committed notebook is re-executed with nbclient on the fictional demo corpus
(``FRAMING_NOTEBOOK_DATA=demo``) in a temporary copy, and a few of its real outputs are
checked against the public API.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import shutil
from pathlib import Path

import pytest

import framing as fr

nbformat = pytest.importorskip("nbformat", reason="nbformat not installed (extra: notebooks)")
nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (extra: notebooks)")
pytest.importorskip("ipykernel", reason="ipykernel not installed (extra: notebooks)")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = [
    "01_quickstart.ipynb",
    "02_compare_outlets.ipynb",
    "03_train_a_classifier.ipynb",
    "04_validate_a_dictionary.ipynb",
]
PNG = b"\x89PNG\r\n\x1a\n"


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return True


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_notebooks", NOTEBOOKS / "build_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(nb) -> list[tuple[int, dict]]:
    return [
        (i, out)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
    ]


def _text(nb) -> str:
    """All stream and text/plain output of a notebook."""
    parts = []
    for _, out in _outputs(nb):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def _pngs(nb) -> list[bytes]:
    return [
        base64.b64decode(out.data["image/png"])
        for _, out in _outputs(nb)
        if "data" in out and "image/png" in out.data
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every committed notebook, re-executed on the demo corpus in a temporary folder."""
    if not _kernel_available():
        pytest.skip("no 'python3' Jupyter kernel (install ipykernel in the environment)")
    work = tmp_path_factory.mktemp("notebooks")
    mp = pytest.MonkeyPatch()
    mp.setenv("FRAMING_NOTEBOOK_DATA", "demo")  # inherited by the kernel
    try:
        out = {}
        for name in NAMES:
            shutil.copy(NOTEBOOKS / name, work / name)
            nb = nbformat.read(work / name, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            nbclient.NotebookClient(
                nb,
                timeout=300,
                kernel_name="python3",
                record_timing=False,
                resources={"metadata": {"path": str(work)}},
            ).execute()
            out[name] = nb
        return out
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def demo_scores():
    return fr.score(fr.datasets.demo_corpus())


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_matches_its_build_script_and_has_outputs(name):
    """The .ipynb is what build_notebooks.py writes, executed, small, with demo data only."""
    build = _build_module()
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    expected = build.build(build.NOTEBOOKS[name])
    assert [(c.cell_type, c.source) for c in nb.cells] == [
        (c.cell_type, c.source) for c in expected.cells
    ], f"{name} is out of date: run .venv/bin/python notebooks/build_notebooks.py {name}"
    assert nb.cells[0].cell_type == "markdown" and len(nb.cells[0].source) > 300
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{name} was committed without running it"
    assert not [o for _, o in _outputs(nb) if o.output_type == "error"]
    assert (NOTEBOOKS / name).stat().st_size < 1_000_000
    # committed outputs come from the fictional demo corpus only (never ../shared/data)
    text = _text(nb)
    assert "Meridian Wire" in text or "demo-" in text
    for outside in ("allsides", "CNN", "Breitbart", "Fox News"):
        assert outside not in text, outside


def test_quickstart_runs_and_shows_the_api_numbers(executed, demo_scores):
    nb = executed["01_quickstart.ipynb"]
    text = _text(nb)
    docs = fr.datasets.demo_corpus()
    assert (
        f"{len(docs)} documents from {docs['outlet'].nunique()} outlets, "
        f"{docs['date'].min():%Y-%m-%d} to {docs['date'].max():%Y-%m-%d}"
    ) in text
    assert demo_scores.summary() in text
    # the Scores notebook view: highlighted sentences, escaped, both voices
    html = [
        o.data["text/html"]
        for _, o in _outputs(nb)
        if "data" in o and "framing.Scores" in o.data.get("text/html", "")
    ]
    assert len(html) == 1
    assert html[0].count('<mark class="fr-match') >= 5
    # one heatmap, drawn inline as PNG, one row per loaded category
    pngs = _pngs(nb)
    assert len(pngs) == 1 and pngs[0].startswith(PNG) and len(pngs[0]) > 20_000


def test_compare_outlets_runs_every_view(executed):
    nb = executed["02_compare_outlets.ipynb"]
    text = _text(nb)
    docs = fr.datasets.demo_corpus()
    scores = fr.score(docs, lexicons=["us-politics", "mideast", "loaded-language"])
    assert scores.summary() in text
    # term choice, two slants, keyness and a timeline: five figures
    pngs = _pngs(nb)
    assert len(pngs) == 5 and all(p.startswith(PNG) for p in pngs)
    # the keyness pair is the two ends of the us-politics slant of the demo corpus
    assert "Liberty Ledger" in text and "Harbor Street Progress" in text
    assert "death tax" in text


def test_train_a_classifier_evaluates_explains_and_applies(executed):
    nb = executed["03_train_a_classifier.ipynb"]
    text = _text(nb)
    docs = fr.datasets.demo_corpus()
    n_sents = len(fr.split_sentences(docs))
    assert f"{n_sents} sentences from {docs['doc_id'].nunique()} articles" in text
    # grouped CV table: three folds and the pooled row (-1), F1 well above chance
    f1 = re.findall(r"^\d+\s+1\s+(-?\d)\s+[\d.]+\s+[\d.]+\s+([\d.]+)", text, flags=re.M)
    assert sorted(int(fold) for fold, _ in f1) == [-1, 0, 1, 2]
    assert all(0.5 < float(v) <= 1.0 for _, v in f1)
    assert "probability" in text and "contribution" in text
    assert "p_1" in text  # score(model=clf) added the probability column


def test_validate_notebook_reads_samples_codes_and_measures(executed, demo_scores):
    nb = executed["04_validate_a_dictionary.ipynb"]
    text = _text(nb)
    assert demo_scores.summary() in text
    # the concordance view highlights every match of the term
    kw = fr.kwic(demo_scores, "Zionist regime", window=6)
    html = [
        o.data["text/html"]
        for _, o in _outputs(nb)
        if "data" in o and "framing-kwic" in o.data.get("text/html", "")
    ]
    assert len(html) == 1 and html[0].count("<mark class='fr-match") == len(kw) > 0
    assert "[eliminated]" in text  # a word outside the lexicons, read in context
    sheet = fr.coding_sample(demo_scores, 20, by="category", unmatched=6, seed=0)
    coded = re.search(rf"coded by A: (\d+) of {len(sheet)} units", text)
    assert coded and int(coded.group(1)) > len(sheet) // 2  # the codes fit this sample
    agreement = [
        o.data["text/plain"]
        for _, o in _outputs(nb)
        if "data" in o and "alpha_dictionary_A" in o.data.get("text/plain", "")
    ]
    assert len(agreement) == 1 and "precision" in agreement[0]
    assert "alpha = 0.095 (published: 0.095)" in text
    assert f"{len(demo_scores.documents)} documents x " in text
