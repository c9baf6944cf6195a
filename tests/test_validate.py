"""Tests of framing.validate: kwic, coding samples, coding sheets, agreement, alpha, Wilson."""

from __future__ import annotations

import dataclasses
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
from framing.cli import cli
from framing.errors import FramingError
from framing.validate import (
    coding_sample,
    coding_sheet_html,
    format_kwic,
    kwic_html,
    read_coding_sheet,
    wilson_interval,
    write_coding_sheet,
)

nan = np.nan

# ---- Krippendorff's alpha: the worked examples of Krippendorff (2011), "Computing
# Krippendorff's Alpha-Reliability" (the reliability data matrices, typed in as our own data).

BINARY_TWO_CODERS = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
NOMINAL_TWO_CODERS = [list("aabbdcccedda"), list("babbbccceddd")]
FOUR_CODERS_MISSING = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]


def test_alpha_binary_two_coders_worked_example():
    # alpha = 1 - (n - 1) * o_01 * 2 / (2 * n_0 * n_1) = 1 - 19 * 8 / 168 = 0.095
    assert fr.krippendorff_alpha(BINARY_TWO_CODERS) == pytest.approx(16 / 168)
    assert round(fr.krippendorff_alpha(BINARY_TWO_CODERS), 3) == 0.095


def test_alpha_nominal_two_coders_worked_example():
    assert fr.krippendorff_alpha(NOMINAL_TWO_CODERS) == pytest.approx(1 - 23 * 6 / 448)
    assert round(fr.krippendorff_alpha(NOMINAL_TWO_CODERS), 3) == 0.692


@pytest.mark.parametrize(
    "level, published",
    [
        ("nominal", 0.743),
        ("ordinal", 0.815),
        ("interval", 0.849),
        ("ratio", 0.797),
    ],
)
def test_alpha_four_coders_with_missing_values(level, published):
    assert round(fr.krippendorff_alpha(FOUR_CODERS_MISSING, level=level), 3) == published


def test_alpha_missing_value_spellings_and_unpairable_units():
    as_none = [[None if v != v else v for v in row] for row in FOUR_CODERS_MISSING]
    as_blank = [["" if v != v else v for v in row] for row in FOUR_CODERS_MISSING]
    expected = fr.krippendorff_alpha(FOUR_CODERS_MISSING)
    assert fr.krippendorff_alpha(as_none) == pytest.approx(expected)
    assert fr.krippendorff_alpha(as_blank) == pytest.approx(expected)
    # unit 12 has one value only: dropping it changes nothing
    trimmed = [row[:11] for row in FOUR_CODERS_MISSING]
    assert fr.krippendorff_alpha(trimmed) == pytest.approx(expected)


def test_alpha_ordinal_with_named_order_equals_numbers():
    names = {1: "low", 2: "mid", 3: "high", 4: "top", 5: "max"}
    named = [[names.get(v) if v == v else None for v in row] for row in FOUR_CODERS_MISSING]
    got = fr.krippendorff_alpha(named, level="ordinal", values=["low", "mid", "high", "top", "max"])
    assert got == pytest.approx(fr.krippendorff_alpha(FOUR_CODERS_MISSING, level="ordinal"))


def test_alpha_edge_cases_and_errors():
    assert fr.krippendorff_alpha([[1, 0, 1], [1, 0, 1]]) == 1.0
    assert np.isnan(fr.krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation
    assert np.isnan(fr.krippendorff_alpha([[1, nan], [nan, 0]]))  # nothing pairable
    with pytest.raises(FramingError, match="two dimensions"):
        fr.krippendorff_alpha([1, 0, 1])
    with pytest.raises(FramingError, match="option `level`: got 'cardinal'"):
        fr.krippendorff_alpha(BINARY_TWO_CODERS, level="cardinal")
    with pytest.raises(FramingError, match="numeric codes"):
        fr.krippendorff_alpha(NOMINAL_TWO_CODERS, level="ordinal")
    with pytest.raises(FramingError, match="not in values"):
        fr.krippendorff_alpha(NOMINAL_TWO_CODERS, values=["a", "b"])


def test_wilson_interval_known_values():
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and round(low, 4) == 0.7225
    assert all(np.isnan(wilson_interval(0, 0)))


# ---- kwic ---------------------------------------------------------------------------------

LEXICON = """\
name: tiny
version: 1
categories: {label: a loaded label, action: a violent action}
entries:
  - {term: regime, category: label}
  - {term: shell*, category: action}
"""

DOCS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3"],
        "outlet": ["Alpha", "Beta", "Beta"],
        "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
        "text": [
            "Regime forces shelled the town. Residents fled the regime at dawn.",
            'The minister said: "the regime must answer." Budget talks stalled',
            "Markets <script>alert(1)</script> rose while the regime",
        ],
    }
)


@pytest.fixture(scope="module")
def scores():
    return fr.score(DOCS, lexicons=[fr.load_lexicon(LEXICON)])


def test_kwic_columns_and_document_order(scores):
    kw = fr.kwic(scores, window=3)
    assert list(kw.columns[:16]) == [
        "doc_id",
        "outlet",
        "date",
        "left",
        "match",
        "right",
        "term",
        "lexicon",
        "category",
        "concept",
        "stance",
        "weight",
        "voice",
        "sent_id",
        "start",
        "end",
    ]
    assert kw["doc_id"].tolist() == ["d1", "d1", "d1", "d2", "d3"]
    assert kw["match"].tolist() == ["Regime", "shelled", "regime", "regime", "regime"]
    assert kw["outlet"].tolist() == ["Alpha", "Alpha", "Alpha", "Beta", "Beta"]


def test_kwic_windows_at_document_edges_and_across_sentences(scores):
    kw = fr.kwic(scores, window=3)
    first, second, third, quoted, last = kw.to_dict("records")
    assert first["left"] == "" and first["right"] == "forces shelled the"  # document start
    # the window runs back across the sentence boundary into the first sentence
    assert third["left"] == "Residents fled the"
    assert fr.kwic(scores, window=5).iloc[2]["left"] == "the town. Residents fled the"
    assert third["right"] == "at dawn."
    assert last["right"] == "" and last["left"] == "rose while the"  # document end
    # a match inside a token: the rest of the token belongs to the context
    assert quoted["left"] == 'minister said: "the' and quoted["right"] == 'must answer." Budget'


def test_kwic_window_zero_and_filters(scores):
    kw = fr.kwic(scores, window=0)
    assert set(kw["left"]) == {""}
    assert kw["right"].tolist() == ["", "", "", "", ""]
    assert fr.kwic(scores, category="action")["match"].tolist() == ["shelled"]
    assert fr.kwic(scores, voice="quote")["doc_id"].tolist() == ["d2"]
    assert len(fr.kwic(scores, voice="author")) == 4
    assert len(fr.kwic(scores, lexicon="tiny@1")) == 5
    assert fr.kwic(scores, "SHELLED")["term"].tolist() == ["shell*"]  # by surface
    assert len(fr.kwic(scores, "Regime")) == 4  # by canonical term, any case


def test_kwic_searches_text_for_terms_outside_the_lexicon(scores):
    kw = fr.kwic(scores, ["budget", "town"], window=2)
    assert kw["match"].tolist() == ["town", "Budget"]
    assert kw["right"].tolist() == [". Residents fled", "talks stalled"]
    assert kw["lexicon"].tolist() == ["", ""]
    assert kw["category"].isna().all()
    assert kw["sent_id"].tolist() == [0, 1]
    quote = fr.kwic(scores, "minister")
    assert quote["voice"].tolist() == ["author"]
    inside = fr.kwic(scores, "answer")
    assert inside["voice"].tolist() == ["quote"]
    wild = fr.kwic(scores, ["resid*", "stall*"], window=1)  # prefix wildcards, as in quanteda
    assert wild["match"].tolist() == ["Residents", "stalled"]
    assert wild["term"].tolist() == ["resid*", "stall*"]


def test_kwic_keeps_modifier_columns(scores):
    m = scores.matches.assign(
        negated=[False, True, False, False, False], speaker=[None, None, None, "the minister", None]
    )
    kw = fr.kwic(dataclasses.replace(scores, matches=m))
    assert kw["negated"].tolist() == [False, True, False, False, False]
    assert kw["speaker"].tolist()[3] == "the minister"


def test_kwic_sample_is_seeded_and_grouped(scores):
    a = fr.kwic(scores, n=2, seed=3)
    b = fr.kwic(scores, n=2, seed=3)
    assert len(a) == 2 and a["start"].tolist() == b["start"].tolist()
    per = fr.kwic(scores, n=1, by="outlet")
    assert sorted(per["outlet"]) == ["Alpha", "Beta"]
    with pytest.raises(FramingError, match="option `by`: got 'nope'"):
        fr.kwic(scores, n=1, by="nope")
    with pytest.raises(FramingError, match="option `window`: got -1"):
        fr.kwic(scores, window=-1)


def test_kwic_text_and_html_views(scores):
    kw = fr.kwic(scores, window=3)
    lines = format_kwic(kw, width=80).splitlines()
    assert len(lines) == 5
    assert len({line.index("[") for line in lines}) == 1  # matches aligned in one column
    html = kw._repr_html_()
    assert "<mark class='fr-match'>Regime</mark>" in html
    assert "fr-quote" in html  # the quoted match is marked as quote
    assert "<script>" not in kwic_html(fr.kwic(scores, "Markets", window=3), page=True)
    assert "&lt;script&gt;" in kwic_html(fr.kwic(scores, "Markets", window=3))


# ---- coding sample, sheets, agreement -------------------------------------------------------


@pytest.fixture(scope="module")
def demo_scores():
    return fr.score(fr.datasets.demo_corpus())


def test_coding_sample_strata_allocation(demo_scores):
    sheet = coding_sample(demo_scores, 30, by="category", seed=1)
    sizes = demo_scores.matches.groupby("category").size()
    got = sheet.groupby("stratum").size()
    assert got.sum() == 30
    # equal shares, capped by small strata: no stratum gets more than ceil(30/k) + slack
    assert (got <= sizes.reindex(got.index)).all()
    assert got.max() - got[got < sizes.reindex(got.index)].min() <= 1
    assert (sheet["stratum_size"] == sheet["stratum"].map(sizes)).all()
    assert sheet["unit_id"].is_unique and sheet["code"].eq("").all()
    again = coding_sample(demo_scores, 30, by="category", seed=1)
    pd.testing.assert_frame_equal(sheet, again)
    per = coding_sample(demo_scores, by="lexicon", per_group=3)
    assert per.groupby("stratum").size().tolist() == [3, 3, 3, 3]


def test_coding_sample_unmatched_sentences_have_no_match(demo_scores):
    sheet = coding_sample(demo_scores, 10, by=None, unmatched=7, seed=2)
    sents = sheet[sheet["kind"] == "sentence"]
    assert len(sents) == 7 and (sheet["kind"] == "match").sum() == 10
    matched = set(zip(demo_scores.matches["doc_id"], demo_scores.matches["sent_id"], strict=True))
    assert not set(zip(sents["doc_id"], sents["sent_id"], strict=True)) & matched
    n_free = len(demo_scores.sentences) - len(matched)
    assert (sents["stratum_size"] == n_free).all()
    assert sents["sentence"].str.len().gt(0).all() and sents["match"].eq("").all()


def test_coding_round_trip_reproduces_published_alpha(demo_scores, tmp_path):
    sheet = coding_sample(demo_scores, 10, by="term", seed=5)
    write_coding_sheet(sheet, tmp_path / "sheet.csv")
    for coder, codes in zip(("ann", "ben"), BINARY_TWO_CODERS, strict=True):
        filled = read_coding_sheet(tmp_path / "sheet.csv")
        filled["code"] = [str(c) for c in codes]
        filled.to_csv(tmp_path / f"{coder}.csv", index=False)
    table = fr.agreement([tmp_path / "ann.csv", tmp_path / "ben.csv"])
    top = table.iloc[0]
    assert (top["by"], top["feature"], top["n_units"], top["n_coded"]) == ("all", "all", 10, 10)
    assert top["alpha"] == pytest.approx(16 / 168)
    # per unit, the share of coders saying "instance": 0.5 + 1 + 0.5 + 0.5 + 0.5 = 3 of 10
    assert top["precision"] == pytest.approx(0.3)
    assert (top["ci_low"], top["ci_high"]) == pytest.approx(wilson_interval(3, 10))
    assert np.isnan(top["recall"])  # no sentences without a match were coded
    assert table.attrs["coders"] == ["ann", "ben"]
    terms = table[table["by"] == "term"]
    assert terms["n_units"].sum() == 10


def test_agreement_recall_and_alpha_with_the_dictionary():
    sheet = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(8)],
            "kind": ["match"] * 4 + ["sentence"] * 4,
            "stratum": ["t"] * 4 + ["(no match)"] * 4,
            "stratum_size": [40] * 4 + [400] * 4,
            "term": ["t"] * 4 + [None] * 4,
            "code": ["1", "1", "1", "0", "0", "0", "0", "1"],
        }
    )
    table = fr.agreement({"solo": sheet})
    top = table.iloc[0]
    assert top["precision"] == pytest.approx(3 / 4)
    # tp = 3/4 * 40 = 30 matches, misses = 1/4 * 400 = 100 sentences -> recall 30 / 130
    assert top["recall"] == pytest.approx(30 / 130)
    # coder vs dictionary: 1 1 1 0 | 0 0 0 1 against 1 1 1 1 | 0 0 0 0
    expected = fr.krippendorff_alpha([[1, 1, 1, 0, 0, 0, 0, 1], [1, 1, 1, 1, 0, 0, 0, 0]])
    assert top["alpha_dictionary_solo"] == pytest.approx(expected)
    assert np.isnan(top["alpha"])  # one coder
    assert table.loc[table["by"] == "term", "precision"].tolist() == [0.75]


def test_agreement_codes_yes_no_and_coder_column():
    base = pd.DataFrame({"unit_id": ["u1", "u2", "u3"], "term": ["a", "a", "b"]})
    both = pd.concat(
        [
            base.assign(code=["yes", "no", "yes"], coder="x"),
            base.assign(code=["1", "0", ""], coder="y"),
        ]
    )
    table = fr.agreement(both)
    assert table.attrs["coders"] == ["x", "y"]
    assert table.iloc[0]["alpha"] == pytest.approx(fr.krippendorff_alpha([[1, 0, 1], [1, 0, nan]]))
    with pytest.raises(FramingError, match="has a code"):
        fr.agreement(base.assign(code=""))
    one = base.assign(code="1", doc_id=["d1", "d1", "d2"], start=["0", "9", "4"])
    other = one.assign(start=["0", "9", "5"])
    with pytest.raises(FramingError, match="disagree on unit 'u3'"):
        fr.agreement({"x": one, "y": other})
    with pytest.raises(FramingError, match="unit_id"):
        fr.agreement(pd.DataFrame({"code": ["1"]}))


def test_html_sheet_is_self_contained_and_escaped(demo_scores, tmp_path):
    sheet = coding_sample(demo_scores, 5, seed=0)
    sheet.loc[0, "left"] = '</script><img src=x onerror=alert(1)> "quoted" & more'
    html = coding_sheet_html(sheet, name="round one")
    assert html.count("<script") == 2  # the data block and the inline exporter
    assert "onerror=alert(1)>" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)  # nothing fetched
    assert "Download CSV" in html and "Blob" in html and "localStorage" in html
    for unit in sheet["unit_id"]:
        assert f"data-unit='{unit}' data-field='code'" in html
    flagged = sheet.assign(
        negated=[True, False, False, False, False], speaker=["a spokesman", None, None, None, None]
    )
    marked = coding_sheet_html(flagged[flagged["kind"] == "match"])
    assert marked.count(" · negated") == 1 and marked.count("speaker: a spokesman") == 1
    path = write_coding_sheet(sheet, tmp_path / "sheet.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FramingError, match=".csv or .html"):
        write_coding_sheet(sheet, tmp_path / "sheet.xlsx")


# ---- CLI ----------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def scores_dir(tmp_path_factory, scores):
    path = tmp_path_factory.mktemp("kwic") / "scores"
    scores.save(path)
    return path


def test_cli_kwic_prints_and_writes(scores_dir, tmp_path):
    res = run(
        "kwic", scores_dir, "regime", "--window", "3", "--width", "80", "-o", tmp_path / "k.csv"
    )
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stdout.splitlines() if "[" in line]
    assert len(lines) == 4 and len({line.index("[") for line in lines}) == 1
    assert pd.read_csv(tmp_path / "k.csv")["match"].str.lower().eq("regime").all()
    res = run("kwic", scores_dir, "-o", tmp_path / "k.html")
    assert "<mark" in (tmp_path / "k.html").read_text(encoding="utf-8")
    res = CliRunner().invoke(cli, ["kwic", str(scores_dir), "-o", str(tmp_path / "k.txt")])
    assert res.exit_code == 2 and "k.txt" in res.output


def test_cli_code_sample_and_agreement(scores_dir, tmp_path):
    res = run(
        "code",
        "sample",
        scores_dir,
        "-n",
        "4",
        "--by",
        "category",
        "--unmatched",
        "1",
        "-o",
        tmp_path / "s.csv",
        "-o",
        tmp_path / "s.html",
    )
    assert res.exit_code == 0, res.output
    sheet = pd.read_csv(tmp_path / "s.csv", dtype=str, keep_default_na=False)
    assert len(sheet) == 5 and (tmp_path / "s.html").is_file()
    sheet.assign(code="1").to_csv(tmp_path / "a.csv", index=False)
    sheet.assign(code=["1", "1", "0", "1", "1"]).to_csv(tmp_path / "b.csv", index=False)
    res = run(
        "code", "agreement", tmp_path / "a.csv", tmp_path / "b.csv", "-o", tmp_path / "agr.csv"
    )
    assert res.exit_code == 0, res.output
    assert "coders: a, b; units: 5" in res.stdout
    table = pd.read_csv(tmp_path / "agr.csv")
    assert table.loc[0, "n_coded"] == 5
    res = CliRunner().invoke(cli, ["code", "agreement", str(tmp_path / "s.csv")])
    assert res.exit_code == 2 and "has a code" in res.output


def test_context_reads_a_bounded_stretch_but_equals_the_whole_text_reading():
    rng = np.random.default_rng(7)
    words = ["a", "bb", "regime", "x" * 300, "said:", '"regime', "end.", "\n\n", "shelled,"]
    text = " ".join(rng.choice(words, size=600))
    scores = fr.score(
        pd.DataFrame({"doc_id": ["long"], "text": [text]}), lexicons=[fr.load_lexicon(LEXICON)]
    )
    assert len(scores.matches) > 100
    for window in (0, 1, 3, 8):
        kw = fr.kwic(scores, window=window)
        for start, end, left, right in zip(
            kw["start"], kw["end"], kw["left"], kw["right"], strict=True
        ):
            before, after = text[:start], text[end:]
            part_l = 1 if before and not before[-1].isspace() else 0
            part_r = 1 if after and not after[0].isspace() else 0
            naive_l = before.split()[-(window + part_l) :] if window + part_l else []
            assert left == " ".join(naive_l)
            assert right == " ".join(after.split()[: window + part_r])


_BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)


@pytest.mark.skipif(_BROWSER is None, reason="no headless Chromium to run the sheet's script")
def test_html_sheet_exports_the_coded_csv_in_a_browser(demo_scores, tmp_path):
    import html as html_lib
    import io
    import subprocess

    sheet = coding_sample(demo_scores, 6, unmatched=2, seed=4)
    sheet.loc[0, "right"] = 'a "quoted", comma\nline'
    page = coding_sheet_html(sheet, name="round")
    unit = sheet.loc[1, "unit_id"]
    # play the coder: choose a code, write a note, name the coder, press Download CSV
    probe = f"""<script>
    var sel = document.querySelector("select[data-unit='{unit}']");
    sel.value = "1"; sel.dispatchEvent(new Event("change"));
    var note = document.querySelector("input[data-unit='{unit}'][data-field='note']");
    note.value = 'odd, "case"'; note.dispatchEvent(new Event("change"));
    document.getElementById("fr-coder").value = "ann";
    URL.createObjectURL = function (b) {{ b.text().then(function (t) {{
      var p = document.createElement("pre"); p.id = "out"; p.textContent = t;
      document.body.appendChild(p); }}); return "blob:x"; }};
    HTMLAnchorElement.prototype.click = function () {{
      var d = document.createElement("div"); d.id = "dl"; d.textContent = this.download;
      document.body.appendChild(d); }};
    document.getElementById("fr-export").click();
    </script></body>"""
    path = tmp_path / "probe.html"
    path.write_text(page.replace("</body>", probe), encoding="utf-8")
    dom = subprocess.run(
        [
            _BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=3000",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert re.search(r'<div id="dl">round-ann\.csv</div>', dom)
    assert re.search(r'id="fr-done">1<', dom)
    csv_text = html_lib.unescape(re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1))
    exported = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False)
    expected = sheet.drop(columns=["code", "note"]).astype(object)
    expected["date"] = expected["date"].map(lambda d: "" if pd.isna(d) else str(d.date()))
    for col in expected.columns:
        assert exported[col].tolist() == [
            "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            for v in expected[col]
        ], col
    assert exported["code"].tolist() == ["", "1", "", "", "", "", "", ""]
    assert exported.loc[1, "note"] == 'odd, "case"' and set(exported["coder"]) == {"ann"}
    table = fr.agreement(exported)  # the downloaded CSV goes straight into agreement
    assert table.attrs["coders"] == ["ann"] and table.iloc[0]["n_coded"] == 1


def test_empty_scores_give_empty_tables_not_errors():
    empty = fr.score(
        pd.DataFrame({"doc_id": ["a"], "text": ["Nothing to see here today."]}),
        lexicons=[fr.load_lexicon(LEXICON)],
    )
    kw = fr.kwic(empty)
    assert len(kw) == 0 and format_kwic(kw) == "no matches"
    sheet = coding_sample(empty, 10)
    assert len(sheet) == 0 and list(sheet.columns[-2:]) == ["code", "note"]
    only = coding_sample(empty, 10, unmatched=3)
    assert only["kind"].tolist() == ["sentence"]
    assert only["sentence"].tolist() == ["Nothing to see here today."]


def test_read_coding_sheet_from_a_spreadsheet_program(tmp_path):
    sheet = pd.DataFrame({"unit_id": ["u0001", "u0002"], "term": ["a", "b"], "code": ["1", "0"]})
    bom = tmp_path / "excel.csv"
    bom.write_bytes(sheet.to_csv(index=False).encode("utf-8-sig"))
    semi = tmp_path / "semicolon.csv"
    semi.write_text(sheet.to_csv(index=False, sep=";"), encoding="utf-8-sig")
    for path in (bom, semi):
        back = read_coding_sheet(path)
        assert back["unit_id"].tolist() == ["u0001", "u0002"]
        assert back["code"].tolist() == ["1", "0"]
    with pytest.raises(FramingError, match="lacks the column"):
        (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        read_coding_sheet(tmp_path / "other.csv")
