"""The comparative report: content, escaping, determinism, Markdown, and a real browser render."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import framing as fr
from framing.errors import FramingError


@pytest.fixture(scope="module")
def demo_scores():
    return fr.score(fr.datasets.demo_corpus())


@pytest.fixture(scope="module")
def demo_report(demo_scores, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    fr.report(demo_scores, by="outlet", path=path, n_boot=200)
    return path


def test_report_is_self_contained_and_has_every_section(demo_report):
    html = demo_report.read_text(encoding="utf-8")
    for anchor in (
        "summary",
        "lexicons",
        "profile",
        "term-choice",
        "keyness",
        "timeline",
        "voice",
        "examples",
        "methods",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert re.search(r'id="slant-[\w-]+"', html)
    # nothing loaded from elsewhere: no external scripts, stylesheets, fonts or images
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html
    images = re.findall(r'<img [^>]*src="data:image/png;base64,', html)
    assert len(images) >= 5
    # highlighted example sentences, both voices present in the demo
    assert "<mark" in html and '<mark class="quote"' in html
    n_outlets = fr.datasets.demo_corpus()["outlet"].nunique()
    assert f"{n_outlets}</b>" in html


def test_slant_poles_come_from_the_scores_not_from_reloading_lexicons(
    demo_scores, tmp_path, monkeypatch
):
    saved = tmp_path / "scores"
    demo_scores.save(saved)
    loaded = fr.Scores.load(saved)
    assert loaded.meta["lexicon_poles"]["mideast"] == ["axis", "israel_right"]

    reloaded = []

    def no_reload(name, *args, **kwargs):
        reloaded.append(name)
        raise FramingError(f"not reloading {name}")

    monkeypatch.setattr("framing.lexicon.load_lexicon", no_reload)
    html = fr.report(loaded, path=tmp_path / "r.html", n_boot=20).read_text("utf-8")
    assert reloaded == []
    # the mideast axis is oriented by its declared poles, not by which stance is more frequent
    assert "slant from -1 (axis) to +1 (israel_right)" in html


def test_corpus_text_and_names_are_escaped(tmp_path):
    docs = pd.DataFrame(
        {
            "id": ["a1", "a2", "b1", "b2"],
            "outlet": ["<b>Bold</b> News", "<b>Bold</b> News", "Plain & Simple", "Plain & Simple"],
            "date": ["2024-01-05", "2024-02-05", "2024-01-07", "2024-02-09"],
            "title": ["<script>alert(1)</script>", "t", "t", "t"],
            "text": [
                "The Zionist regime <script>alert('x')</script> was slammed by the mob.",
                'Officials said the "Zionist regime" is brutal.',
                "Israel said the strike killed three people.",
                "Israel and Hezbollah agreed to a ceasefire.",
            ],
        }
    )
    scores = fr.score(fr.read_corpus(docs))
    path = fr.report(scores, path=tmp_path / "r.html", n_boot=50)
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; News" in html
    assert "Plain &amp; Simple" in html


def test_same_inputs_give_the_same_bytes(demo_scores, tmp_path):
    a = fr.report(demo_scores, path=tmp_path / "a.html", n_boot=100, seed=3)
    b = fr.report(demo_scores, path=tmp_path / "b.html", n_boot=100, seed=3)
    assert a.read_bytes() == b.read_bytes()


def test_markdown_report_writes_figures_beside_it(demo_scores, tmp_path):
    path = fr.report(demo_scores, path=tmp_path / "report.md", n_boot=50)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ")
    figures = sorted((tmp_path / "report_figures").glob("*.png"))
    assert len(figures) >= 5
    for fig in figures:
        assert f"report_figures/{fig.name}" in text
        assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| outlet |" in text


def test_bad_options_name_the_parameter(demo_scores, tmp_path):
    with pytest.raises(FramingError, match="option `format`: got 'pdf'; expected one of"):
        fr.report(demo_scores, path=tmp_path / "x.html", format="pdf")
    with pytest.raises(FramingError, match="option `by`: got 'publisher'; expected a column"):
        fr.report(demo_scores, path=tmp_path / "x.html", by="publisher")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_report_renders_in_a_real_browser(demo_report, tmp_path):
    """Headless Chromium loads the report, decodes every image, and draws a non-blank page.

    ``.ci/run`` installs Debian's chromium when it is missing; elsewhere the test skips.
    """
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium for CI)")
    # a copy with a probe script that records whether every image decoded
    probe = tmp_path / "probe.html"
    html = demo_report.read_text(encoding="utf-8")
    script = (
        "<script>window.addEventListener('load',()=>{const i=[...document.images];"
        "document.body.setAttribute('data-images',i.length);"
        "document.body.setAttribute('data-decoded',i.filter(x=>x.complete&&x.naturalWidth>0)"
        ".length);});</script>"
    )
    probe.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    n_images = int(re.search(r'data-images="(\d+)"', dom).group(1))
    decoded = int(re.search(r'data-decoded="(\d+)"', dom).group(1))
    assert n_images >= 5 and decoded == n_images
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,2400", demo_report.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1100
    # non-blank: a real page has text and figures, i.e. many distinct grey levels
    grey = pixels[..., :3].mean(axis=2)
    assert grey.std() > 0.05
    assert (grey < 0.5).mean() > 0.005  # some dark ink (text)
    keep = Path(__file__).resolve().parents[1] / "benchmarks" / "out"
    if keep.is_dir():
        shutil.copy(shot, keep / "report_screenshot.png")


# ---- classifier probabilities applied at report time ------------------------------------------


@pytest.fixture(scope="module")
def tiny_model():
    """A small FramingClassifier: sentences of the demo corpus with a lexicon match vs none."""
    from framing.classify import FramingClassifier

    sents = fr.score(fr.datasets.demo_corpus().head(12)).sentences
    texts = sents["text"].tolist()
    labels = (sents["n_matches"] > 0).astype(int).to_numpy()
    assert 0 < labels.sum() < len(labels)
    return FramingClassifier(char_ngrams=None, lexicons=False, cv=2).fit(texts, labels)


def _classifier_section(html: str) -> str:
    match = re.search(r'<section id="classifier">(.*?)</section>', html, re.S)
    assert match, "no classifier section"
    return match.group(1)


def test_model_adds_a_classifier_section(demo_scores, tiny_model, tmp_path):
    assert not any(c.startswith("p_") for c in demo_scores.sentences.columns)
    plain = fr.report(demo_scores, path=tmp_path / "plain.html", n_boot=20).read_text("utf-8")
    assert 'id="classifier"' not in plain
    path = fr.report(demo_scores, path=tmp_path / "m.html", n_boot=20, model=tiny_model)
    section = _classifier_section(path.read_text(encoding="utf-8"))
    assert "FramingClassifier" in section
    # the table holds the mean probability per outlet, as computed by score(docs, model=)
    expected = fr.score(fr.datasets.demo_corpus(), model=tiny_model)
    pcol = [c for c in expected.sentences.columns if c.startswith("p_")]
    assert len(pcol) == 1 and f"<th>{pcol[0]}</th>" in section
    means = (
        expected.sentences.merge(expected.documents[["doc_id", "outlet"]], on="doc_id")
        .groupby("outlet")[pcol[0]]
        .mean()
        .round(3)
    )
    assert means.nunique() > 1
    for outlet, value in means.items():
        cell = re.search(rf"<td>{re.escape(outlet)}</td>\s*<td>([0-9.]+)</td>", section)
        assert cell and float(cell.group(1)) == value, outlet  # "0.480" and 0.48 are equal
    # the caller's scores are not changed
    assert not any(c.startswith("p_") for c in demo_scores.sentences.columns)


def test_model_path_and_cli_model_option(demo_scores, tiny_model, tmp_path):
    from click.testing import CliRunner

    from framing.classify import save_model
    from framing.cli import cli

    model_path = save_model(tiny_model, tmp_path / "m.model")
    scores_dir = demo_scores.save(tmp_path / "scores")
    out = tmp_path / "cli.html"
    result = CliRunner().invoke(
        cli,
        ["report", str(scores_dir), "-o", str(out), "--n-boot", "20", "--model", str(model_path)],
    )
    assert result.exit_code == 0, result.output
    section = _classifier_section(out.read_text(encoding="utf-8"))
    assert "m.model" in section and "<th>p_" in section
    api = fr.report(demo_scores, path=tmp_path / "api.html", n_boot=20, model=model_path)
    assert _classifier_section(api.read_text(encoding="utf-8")) == section
    missing = CliRunner().invoke(
        cli, ["report", str(scores_dir), "-o", str(out), "--model", str(tmp_path / "none.model")]
    )
    assert missing.exit_code == 2 and "none.model" in missing.output


def test_model_that_is_not_a_classifier_is_refused(demo_scores, tmp_path):
    from framing.errors import ModelError

    with pytest.raises(ModelError, match="predict_proba"):
        fr.report(demo_scores, path=tmp_path / "x.html", n_boot=20, model=object())
    assert not (tmp_path / "x.html").exists()


# ---- documents skipped at scoring time ---------------------------------------------------------


def test_summary_counts_documents_skipped_at_scoring(tmp_path):
    from framing.engine import score_files

    rows = [
        {"id": "a1", "outlet": "A <i>Daily</i>", "text": "The Zionist regime said the mob rioted."},
        {"id": "a2", "outlet": "A <i>Daily</i>", "text": None},
        {"id": "b1", "outlet": "B Post", "text": 123},
        {"id": "b2", "outlet": "B Post", "text": "Israel said the strike killed three people."},
        {"id": "b3", "outlet": "B Post"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    score_files(src, out=tmp_path / "scores", on_error="skip", jobs=1, lexicons="mideast")
    scores = fr.Scores.load(tmp_path / "scores")
    assert sorted(scores.skipped["doc_id"]) == ["a2", "b1", "b3"]
    html = fr.report(scores, path=tmp_path / "r.html", n_boot=20).read_text(encoding="utf-8")
    expected = "3 documents skipped at scoring: 2 missing text, 1 text not a string"
    assert expected in html
    md = fr.report(scores, path=tmp_path / "r.md", n_boot=20).read_text(encoding="utf-8")
    assert expected in md
    assert "<i>" not in html and "A &lt;i&gt;Daily&lt;/i&gt;" in html


def test_skipped_reasons_are_grouped_and_escaped(demo_scores, tmp_path):
    scores_dir = demo_scores.save(tmp_path / "scores", format="csv")
    pd.DataFrame(
        {
            "doc_id": ["x1", "x2", "x3", "x4"],
            "chunk": [0, 0, 3, 3],
            "reason": [
                "in.jsonl:4: byte(s) ff at byte offset 90 are not UTF-8",
                "text is not valid Unicode (unpaired surrogate '\\ud800' at character 3)",
                "ValueError: <b>odd</b> & broken",
                "<script>x</script> happened",
            ],
        }
    ).to_csv(scores_dir / "skipped.csv", index=False)
    html = fr.report(fr.Scores.load(scores_dir), path=tmp_path / "r.html", n_boot=20).read_text(
        encoding="utf-8"
    )
    assert (
        "4 documents skipped at scoring: 2 invalid Unicode, "
        "1 &lt;script&gt;x&lt;/script&gt; happened, 1 scoring failed (ValueError)"
    ) in html
    assert "<script" not in html
    plain = fr.report(demo_scores, path=tmp_path / "p.html", n_boot=20).read_text("utf-8")
    assert "skipped at scoring" not in plain


# ---- framing demo ------------------------------------------------------------------------------


def test_demo_command_writes_what_it_prints(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from framing.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "-o", "out", "--n-boot", "10"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    for name in ("report.html", "profile.csv", "term_choice.csv", "slant.csv"):
        assert (out / name).is_file(), name
    assert len(list((out / "figures").glob("*.png"))) >= 2
    assert (out / "scores" / "meta.json").is_file()
    lines = result.output.splitlines()[1:]
    assert [line.split(":")[0].strip() for line in lines] == ["scores", "tables", "figures", "open"]
    printed = [
        p
        for line in lines
        for p in re.split(r"[ ,]+", line.split(":", 1)[1].strip())
        if p.startswith("out")
    ]
    assert len(printed) == 6
    for p in printed:
        assert (tmp_path / p).exists(), p
    assert fr.Scores.load(out / "scores").documents["doc_id"].nunique() == len(
        fr.datasets.demo_corpus()
    )


# ---- a report straight from a scores directory (issue 18) -----------------------------------


def _report_text(path) -> str:
    import re

    text = path.read_text(encoding="utf-8")
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "PNG", text)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_report_from_a_scores_directory_equals_the_report_in_memory(demo_scores, tmp_path, fmt):
    saved = tmp_path / f"scores-{fmt}"
    demo_scores.save(saved, format=fmt)
    a = fr.report(demo_scores, path=tmp_path / "mem.md", n_boot=100, seed=1)
    b = fr.report(saved, path=tmp_path / "dir.md", n_boot=100, seed=1)
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8").replace(
        "dir_figures", "mem_figures"
    )
    c = fr.report(str(saved), path=tmp_path / "dir.html", n_boot=100, seed=1)
    d = fr.report(demo_scores, path=tmp_path / "mem.html", n_boot=100, seed=1)
    assert _report_text(c) == _report_text(d)
    n_sent = len(demo_scores.sentences)
    assert f"{n_sent:,} sentences" in _report_text(c)


def test_report_from_a_directory_reads_only_what_it_shows(demo_scores, tmp_path, monkeypatch):
    from framing import reporting
    from framing.scoring import Scores

    saved = tmp_path / "scores"
    demo_scores.save(saved)
    read: list[tuple[str, tuple]] = []
    real = Scores.iter_parts

    def spy(path, table, columns=None):
        read.append((table, tuple(columns or ())))
        return real(path, table, columns)

    monkeypatch.setattr(Scores, "iter_parts", staticmethod(spy))
    loaded = reporting._load_for_report(saved, by="outlet", model=None)
    assert "text" not in loaded.documents.columns and "text" not in loaded.sentences.columns
    assert loaded.documents["has_text"].sum() == (demo_scores.documents["text"] != "").sum()
    # two exposure rows per document with sentences plus a few example candidates
    assert len(loaded.sentences) < len(demo_scores.sentences)
    own = loaded.sentences.query("sent_id == -1 and quote_share == 0")["n_words"].sum()
    full = demo_scores.sentences
    assert own == pytest.approx((full["n_words"] * (1 - full["quote_share"])).sum())
    assert ("sentences", ("doc_id", "sent_id", "text")) not in read
    top = reporting._top_sentences(loaded.documents, loaded.sentences, "outlet", 3, saved)
    assert ("sentences", ("doc_id", "sent_id", "text")) in read
    texts = full.set_index(["doc_id", "sent_id"])["text"]
    keys = zip(top["doc_id"], top["sent_id"], strict=True)
    assert top["text"].tolist() == [texts[key] for key in keys]
