"""The comparative report: content, escaping, determinism, Markdown, and a real browser render."""

from __future__ import annotations

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
    for anchor in ("summary", "lexicons", "profile", "term-choice", "keyness", "timeline",
                   "voice", "examples", "methods"):
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


def test_corpus_text_and_names_are_escaped(tmp_path):
    docs = pd.DataFrame({
        "id": ["a1", "a2", "b1", "b2"],
        "outlet": ["<b>Bold</b> News", "<b>Bold</b> News", "Plain & Simple", "Plain & Simple"],
        "date": ["2024-01-05", "2024-02-05", "2024-01-07", "2024-02-09"],
        "title": ["<script>alert(1)</script>", "t", "t", "t"],
        "text": [
            "The Zionist regime <script>alert('x')</script> was slammed by the mob.",
            "Officials said the \"Zionist regime\" is brutal.",
            "Israel said the strike killed three people.",
            "Israel and Hezbollah agreed to a ceasefire.",
        ],
    })
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
    with pytest.raises(FramingError, match="'format' parameter of report"):
        fr.report(demo_scores, path=tmp_path / "x.html", format="pdf")
    with pytest.raises(FramingError, match="'by' parameter of report.*'publisher'"):
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
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
    ]
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    ).stdout
    n_images = int(re.search(r'data-images="(\d+)"', dom).group(1))
    decoded = int(re.search(r'data-decoded="(\d+)"', dom).group(1))
    assert n_images >= 5 and decoded == n_images
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,2400",
         demo_report.as_uri()],
        capture_output=True, timeout=120, check=False,
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
