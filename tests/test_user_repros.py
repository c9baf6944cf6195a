"""Repros of a new user's silent failures and over-confident numbers (one test per repro).

Each test was written against the code before the fix and failed there: an option naming
something that does not exist, an interval drawn where there is nothing to resample, a time
axis that is not proportional to time, boilerplate leading keyness, and cosmetics.
"""

from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
import framing.aggregate as agg
from framing.aggregate import keyness, profile, slant, term_choice
from framing.cli import cli
from framing.errors import DataQualityWarning, FramingError
from framing.scoring import Scores


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_scores():
    return fr.score(fr.datasets.demo_corpus())


@pytest.fixture(scope="module")
def mideast_scores():
    return fr.score(fr.datasets.demo_corpus(), lexicons=["mideast", "loaded-language"])


@pytest.fixture(scope="module")
def scores_dir(demo_scores, tmp_path_factory):
    out = tmp_path_factory.mktemp("scores") / "scores"
    demo_scores.save(out)
    return out


# ---- options naming something that does not exist -------------------------------------------


def test_cli_slant_with_unknown_pole_is_an_error(scores_dir, tmp_path):
    res = run(
        "plot", scores_dir, "--kind", "slant", "--poles", "lefty", "right", "-o", tmp_path / "s.png"
    )
    assert res.exit_code == 2, res.output
    assert "lefty" in res.output and "left" in res.output and "right" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "s.png").exists()


def test_slant_on_a_lexicon_the_scores_lack_is_an_error(mideast_scores):
    with pytest.raises(FramingError, match=r"us-politics.*mideast"):
        fr.slant(mideast_scores, lexicon="us-politics")


def test_profile_with_misspelt_lexicon_is_an_error(demo_scores):
    with pytest.raises(FramingError, match=r"'mideest'.*mideast"):
        fr.profile(demo_scores, lexicon="mideest")
    with pytest.raises(FramingError, match="mideest"):
        fr.term_choice(demo_scores, lexicon="mideest")
    with pytest.raises(FramingError, match="mideest"):
        fr.keyness(demo_scores, a="The Daily Ledger", lexicon="mideest")
    # a versioned name as in Scores.lexicons still selects the lexicon
    assert len(fr.profile(demo_scores, lexicon="mideast@1", n_boot=0))


def test_report_with_unknown_suffix_is_an_error(scores_dir, tmp_path, demo_scores):
    res = run("report", scores_dir, "-o", tmp_path / "report.docx")
    assert res.exit_code == 2, res.output
    assert ".docx" in res.output and ".html" in res.output and ".md" in res.output
    assert not (tmp_path / "report.docx").exists()
    with pytest.raises(FramingError, match=r"\.docx"):
        fr.report(demo_scores, path=tmp_path / "r.docx", n_boot=0)


def test_cli_profile_output_suffix_and_plot_feature_checked(scores_dir, tmp_path):
    res = run("profile", scores_dir, "-o", tmp_path / "p.xlsx", "--n-boot", "0")
    assert res.exit_code == 2 and ".csv" in res.output
    res = run("plot", scores_dir, "--kind", "profile", "-l", "mideest", "-o", tmp_path / "p.png")
    assert res.exit_code == 2 and "mideest" in res.output and "mideast" in res.output


def test_plot_profile_features_are_checked(demo_scores):
    prof = fr.profile(demo_scores, n_boot=0)
    with pytest.raises(FramingError, match="no_such_category"):
        fr.plot_profile(prof, features=["no_such_category"])


# ---- column mapping and missing outlet ----------------------------------------------------


@pytest.fixture()
def oddly_named(tmp_path):
    rows = [
        {
            "uid": f"u{i}",
            "site_name": "Alpha" if i % 2 else "Beta",
            "pub_day": f"2024-0{1 + i % 3}-1{i}",
            "headline_text": f"Title {i}",
            "article_body": "The brutal regime slammed critics on Tuesday.",
        }
        for i in range(6)
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_no_outlet_column_warns(oddly_named):
    with pytest.warns(DataQualityWarning, match="outlet"):
        docs = fr.read_corpus(oddly_named, columns={"text": "article_body"})
    assert (docs["outlet"] == "").all()


def test_cli_maps_every_column(oddly_named, tmp_path):
    out = tmp_path / "scores"
    res = run(
        "score",
        oddly_named,
        "--text-column",
        "article_body",
        "--outlet-column",
        "site_name",
        "--date-column",
        "pub_day",
        "--title-column",
        "headline_text",
        "--id-column",
        "uid",
        "-l",
        "loaded-language",
        "-o",
        out,
        "--jobs",
        "1",
    )
    assert res.exit_code == 0, res.output
    docs = Scores.load(out).documents
    assert sorted(docs["outlet"].unique()) == ["Alpha", "Beta"]
    assert docs["doc_id"].tolist()[:2] == ["u0", "u1"]
    assert docs["title"].tolist()[0] == "Title 0"
    assert docs["date"].notna().all()
    report = tmp_path / "r.html"
    res = run(
        "report",
        oddly_named,
        "--text-column",
        "article_body",
        "--outlet-column",
        "site_name",
        "--date-column",
        "pub_day",
        "-l",
        "loaded-language",
        "--n-boot",
        "0",
        "-o",
        report,
    )
    assert res.exit_code == 0, res.output
    assert "Alpha" in report.read_text(encoding="utf-8")
    res = run("score", oddly_named, "--text-column", "article_body", "--outlet-column", "nope")
    assert res.exit_code == 2 and "nope" in res.output


# ---- fr.score input ------------------------------------------------------------------------


def test_score_accepts_a_string_a_list_of_strings_and_a_series(tmp_path):
    one = fr.score("The brutal regime slammed critics.", lexicons="loaded-language")
    assert len(one.documents) == 1 and len(one.matches) >= 2
    many = fr.score(["some text", "The brutal regime slammed critics."], lexicons="loaded-language")
    assert len(many.documents) == 2
    assert many.documents["text"].tolist()[0] == "some text"
    series = pd.Series(["The mob slammed it.", "Calm words."], index=["x", "y"])
    s = fr.score(series, lexicons="loaded-language")
    assert s.documents["doc_id"].tolist() == ["x", "y"]
    # a path only as a Path (or through read_corpus); a str naming a file is refused loudly
    f = tmp_path / "a.txt"
    f.write_text("The brutal regime slammed critics.", encoding="utf-8")
    assert len(fr.score(f, lexicons="loaded-language").matches) >= 2
    with pytest.raises(FramingError, match="Path"):
        fr.score(str(f), lexicons="loaded-language")


# ---- intervals -----------------------------------------------------------------------------


def _tiny(n_docs_a: int, n_docs_b: int) -> Scores:
    """Outlet A with ``n_docs_a`` documents (one 'brutal' each), B with ``n_docs_b`` (varied)."""
    ids_a = [f"a{i}" for i in range(n_docs_a)]
    ids_b = [f"b{i}" for i in range(n_docs_b)]
    docs = pd.DataFrame(
        {
            "doc_id": ids_a + ids_b,
            "outlet": ["A"] * n_docs_a + ["B"] * n_docs_b,
            "date": pd.Timestamp("2024-01-01"),
            "title": "t",
            "text": "x",
        }
    )
    sents = pd.DataFrame(
        {
            "doc_id": ids_a + ids_b,
            "sent_id": 0,
            "start": 0,
            "end": 1,
            "text": "s",
            "n_words": 100,
            "quote_share": 0.0,
        }
    )
    rows = []
    for d in ids_a:
        rows.append((d, "brutal", "loaded", "sensational", None, None))
    for i, d in enumerate(ids_b):
        for _ in range(i % 3):
            rows.append((d, "brutal", "loaded", "sensational", None, None))
        if i % 2:
            rows.append((d, "regime", "loaded", "delegitimizing", None, None))
    m = pd.DataFrame(rows, columns=["doc_id", "term", "lexicon", "category", "concept", "stance"])
    m = m.assign(sent_id=0, start=0, end=1, surface=m["term"], weight=1.0, voice="author")
    return Scores(docs, sents, m)


def test_no_interval_for_a_single_document_or_zero_counts():
    prof = profile(_tiny(1, 20), n_boot=200)
    a = prof[prof["outlet"] == "A"].set_index("feature")
    assert a.loc["sensational", "rate"] == pytest.approx(10.0)
    assert a.loc["sensational", "n_docs"] == 1
    assert math.isnan(a.loc["sensational", "ci_low"]) and math.isnan(
        a.loc["sensational", "ci_high"]
    )
    # zero count: the rate is 0 (not NaN), the interval is not a fake [0, 0]
    assert a.loc["delegitimizing", "rate"] == 0.0
    assert math.isnan(a.loc["delegitimizing", "ci_low"])
    # a group with enough varied documents keeps a real interval
    b = prof[prof["outlet"] == "B"].set_index("feature")
    assert (
        b.loc["sensational", "ci_low"]
        < b.loc["sensational", "rate"]
        < b.loc["sensational", "ci_high"]
    )


def test_minimum_documents_is_documented_and_applies_to_every_interval():
    assert agg.MIN_DOCS == 5
    assert f"fewer than ``MIN_DOCS`` ({agg.MIN_DOCS})" in " ".join(profile.__doc__.split())
    small = _tiny(agg.MIN_DOCS - 1, 20)
    # A's documents are identical (degenerate), so also check a group just below the minimum
    # whose documents differ
    prof = profile(small, n_boot=200)
    assert prof.loc[prof["outlet"] == "A", "ci_low"].isna().all()
    tc = term_choice(_concept_scores(), n_boot=200)
    one = tc[tc["outlet"] == "One"]
    assert (one["n_docs"] == 1).all() and one["ci_low"].isna().all()
    assert one["share"].notna().all()  # the share itself is still reported
    sl = slant(_concept_scores(), n_boot=200, min_mentions=1)
    assert math.isnan(sl.set_index("outlet").loc["One", "ci_low"])


def _concept_scores() -> Scores:
    ids = ["o1"] + [f"m{i}" for i in range(12)]
    docs = pd.DataFrame({"doc_id": ids, "outlet": ["One"] + ["Many"] * 12})
    sents = pd.DataFrame(
        {
            "doc_id": ids,
            "sent_id": 0,
            "start": 0,
            "end": 1,
            "text": "s",
            "n_words": 50,
            "quote_share": 0.0,
        }
    )
    rows = [("o1", "illegal alien", "right"), ("o1", "illegal alien", "right")]
    for i in range(12):
        rows.append(
            (
                f"m{i}",
                "illegal alien" if i % 3 else "undocumented immigrant",
                "right" if i % 3 else "left",
            )
        )
    m = pd.DataFrame(rows, columns=["doc_id", "term", "stance"])
    m = m.assign(
        sent_id=0,
        start=0,
        end=1,
        surface=m["term"],
        lexicon="us",
        category="partisan",
        concept="immigrant",
        weight=1.0,
        voice="author",
    )
    return Scores(docs, sents, m)


def test_term_choice_bars_show_n_and_fade_small_groups():
    tc = term_choice(_concept_scores(), n_boot=0)
    fig = fr.plot_term_choice(tc)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "n=1" in " ".join(texts) and "n=12" in " ".join(texts)
    alphas = {round(p.get_y() + p.get_height() / 2): p.get_alpha() for p in ax.patches}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    one, many = labels.index("One"), labels.index("Many")
    assert alphas[one] is not None and alphas[one] < 0.5
    assert alphas[many] in (None, 1.0)


def test_heatmap_colour_scale_is_not_set_by_a_tiny_group():
    prof = profile(_tiny(1, 20), n_boot=0)
    # A (one document) has the highest sensational rate: 10 per 1k vs B's ~10 average
    prof.loc[(prof["outlet"] == "A") & (prof["feature"] == "sensational"), "rate"] = 500.0
    fig = fr.plot_profile(prof)
    image = fig.axes[0].images[0]
    assert image.get_clim()[1] < 100


# ---- timeline --------------------------------------------------------------------------------


def _dated(dates: list[str], outlets: list[str]) -> Scores:
    ids = [f"d{i}" for i in range(len(dates))]
    docs = pd.DataFrame(
        {"doc_id": ids, "outlet": outlets, "date": pd.to_datetime(dates), "title": "t", "text": "x"}
    )
    sents = pd.DataFrame(
        {
            "doc_id": ids,
            "sent_id": 0,
            "start": 0,
            "end": 1,
            "text": "s",
            "n_words": 100,
            "quote_share": 0.0,
        }
    )
    m = pd.DataFrame(
        {
            "doc_id": ids,
            "term": "brutal",
            "lexicon": "loaded",
            "category": "sensational",
            "concept": None,
            "stance": None,
        }
    )
    m = m.assign(sent_id=0, start=0, end=1, surface="brutal", weight=1.0, voice="author")
    return Scores(docs, sents, m)


def test_automatic_period_follows_span_and_density():
    from framing.aggregate import auto_period

    month = pd.date_range("2024-01-01", periods=600, freq="12h")  # 10 months, ~60 per month
    assert auto_period(pd.Series(month)) == "M"
    sparse = pd.Series(pd.date_range("2007-01-01", "2020-01-01", periods=300))  # 13 years
    assert auto_period(sparse) == "Y"
    mid = pd.Series(pd.date_range("2019-01-01", "2022-12-31", periods=400))  # 4 years
    assert auto_period(mid) == "Q"
    prof = profile(_dated(list(month.strftime("%Y-%m-%d")), ["A"] * 600), period="auto", n_boot=0)
    assert prof.attrs["period"] == "M" and prof["period"].nunique() == 10


def test_timeline_has_a_true_time_axis_and_gaps():
    dates = ["2007-05-03"] * 6 + ["2007-06-10"] * 6 + ["2012-09-01"] * 6 + ["2012-10-01"]
    s = _dated(dates, ["A"] * len(dates))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        tl = profile(s, period="M", n_boot=0)
    fig = fr.plot_timeline(tl, kind="lines")
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    x = np.asarray(line.get_xdata(), dtype="datetime64[ns]")
    y = np.asarray(line.get_ydata(), dtype=float)
    # every month from the first to the last drawable one is on the axis; months without
    # documents or with fewer than MIN_DOCS are gaps (NaN), never zeros
    assert len(x) == (2012 - 2007) * 12 + (9 - 5) + 1
    assert np.isnan(y).sum() == len(x) - 3
    assert (y[~np.isnan(y)] > 0).all()
    # the x axis is proportional to time: 2007-06 sits 1 month after 2007-05, 2012-09 64 later
    xs = ax.convert_xunits(x[~np.isnan(y)].astype("datetime64[D]"))
    assert (xs[2] - xs[1]) / (xs[1] - xs[0]) == pytest.approx(2284 / 38, rel=0.05)
    heat = fr.plot_timeline(tl, kind="heatmap")
    hx = heat.axes[0]
    lo, hi = hx.get_xlim()
    span = hi - lo
    assert span > 5 * 365  # a date axis in days, not 4 categorical columns


# ---- keyness -------------------------------------------------------------------------------


def test_keyness_over_words_drops_boilerplate_lines():
    rows = []
    for i in range(12):
        rows.append(
            {
                "doc_id": f"c{i}",
                "outlet": "CNN",
                "text": f"Photos\nThe senator spoke about taxes {i}.\nHide Caption",
            }
        )
        rows.append(
            {
                "doc_id": f"f{i}",
                "outlet": "Fox",
                "text": f"The senator spoke about immigration {i}.",
            }
        )
    docs = pd.DataFrame(rows)
    key = keyness(docs, a="CNN", b="Fox")
    assert key["feature"].tolist()[0] == "taxes"
    assert not {"photos", "hide", "caption"} & set(key["feature"])
    assert key.attrs["boilerplate_lines"] == 2
    kept = keyness(docs, a="CNN", b="Fox", keep_boilerplate=True)
    assert {"photos", "hide", "caption"} <= set(kept["feature"])


# ---- cosmetics -----------------------------------------------------------------------------


def test_one_document_is_singular_and_speed_is_not_zero(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("The brutal regime slammed critics.", encoding="utf-8")
    res = run("score", path, "-l", "loaded-language")
    assert res.exit_code == 0, res.output
    first = res.output.splitlines()[0]
    assert first.startswith("1 document,") and not re.search(r"\(0\.0 [kM]?B/s\)", first)
    s = fr.score(path, lexicons="loaded-language")
    assert s.summary().startswith("1 document,")


def test_report_title_counts_the_groups_shown(tmp_path):
    docs = pd.DataFrame(
        {
            "outlet": [f"O{i}" for i in range(6)] * 2,
            "text": ["The brutal regime slammed critics."] * 12,
            "date": "2024-01-01",
        }
    )
    docs["text"] = docs["text"] + docs.index.astype(str)
    s = fr.score(docs, lexicons="loaded-language")
    path = fr.report(s, path=tmp_path / "r.html", n_boot=0, max_groups=4)
    html = path.read_text(encoding="utf-8")
    assert "<h1>Framing report: 4 of 6 outlets</h1>" in html


def test_report_methods_name_the_interval_and_keyness_unit(demo_scores, tmp_path):
    path = fr.report(demo_scores, path=tmp_path / "r.html", n_boot=50)
    html = path.read_text(encoding="utf-8")
    assert "expanded percentile bootstrap" in html
    assert f"fewer than {agg.MIN_DOCS} documents" in html
    assert "per 1,000 matches" in html or "per 1,000 words" in html
    assert "freq_a</th>" not in html


def test_cli_figures_have_a_title(scores_dir, tmp_path, monkeypatch):
    import matplotlib.figure

    titles = []
    orig = matplotlib.figure.Figure.savefig

    def spy(self, *args, **kwargs):
        titles.append(self._suptitle.get_text() if self._suptitle else "")
        return orig(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", spy)
    res = run("plot", scores_dir, "--kind", "profile", "-o", tmp_path / "p.png", "--n-boot", "0")
    assert res.exit_code == 0, res.output
    assert titles and titles[0]


def test_lexicon_html_display_is_short():
    lex = fr.load_lexicon("loaded-language")
    html = lex._repr_html_()
    assert html.count("<tr") <= 40
    assert f"{len(lex)}" in html


def test_cli_warning_printed_once_without_source_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "d.csv"
    path.write_text("text,outlet,date\nThe brutal regime.,A,not-a-date\n", encoding="utf-8")
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "from framing.cli import main; main()",
            "score",
            str(path),
            "-l",
            "loaded-language",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if "could not be parsed" in ln]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("framing: warning: ")
    assert ".py:" not in res.stderr and "warnings.warn" not in res.stderr


# ---- suggest-terms -------------------------------------------------------------------------


def _suggest_data():
    """Articles about a festival and a search company: in each article one sentence calls
    someone a bully-boy / a traitor (positive), the others are neutral. The topic words
    (festival, search) fill positive and negative sentences of the same articles alike."""
    texts, labels, groups = [], [], []
    topics = ["the festival crowd", "the search company"]
    loaded = ["a bully-boy", "a vile traitor", "a bully-boy thug", "a vile traitor"]
    for i in range(60):
        topic = topics[i % 2]
        art = f"art{i}"
        texts.append(f"Critics called the organiser of {topic} {loaded[(i // 2) % 4]} on day {i}.")
        labels.append(1)
        groups.append(art)
        for k in range(3):
            texts.append(f"Officials of {topic} met on day {i} to discuss plan {k}.")
            labels.append(0)
            groups.append(art)
    # a few articles without any positive sentence so that topic words also lean positive
    for i in range(40):
        texts.append(f"Officials met on day {i} to discuss the budget.")
        labels.append(0)
        groups.append(f"other{i}")
    return texts, labels, groups


def test_suggest_terms_sorted_by_stated_score_whole_hyphenated_and_no_topic_words():
    from framing.classify import suggest_terms

    texts, labels, groups = _suggest_data()
    df = suggest_terms(texts, labels, lexicons=False, top=15, min_count=3, groups=groups)
    assert "score" in df.columns
    assert df["score"].is_monotonic_decreasing
    terms = df["term"].tolist()
    assert "bully-boy" in terms and "boy" not in terms  # hyphenated kept whole
    assert "vile traitor" in terms or "traitor" in terms
    # topic words of the articles are not loaded language
    assert not {"festival", "search", "company", "crowd"} & set(terms)
    assert "score" in df.attrs["yaml"].split("entries:")[0]  # the YAML states the score
    # an external reference corpus also filters topic words
    ref = [f"Officials met on day {i} to discuss the budget and the plan." for i in range(50)]
    df2 = suggest_terms(texts, labels, lexicons=False, top=15, min_count=3, reference=ref)
    assert not {"festival", "search"} & set(df2["term"])


def test_keyness_drops_page_labels_inside_lines():
    from framing.aggregate import boilerplate_phrases

    topics = ["budget", "storm", "election", "court", "strike", "vote"]
    rows = []
    for i in range(30):
        t = topics[i % 6]
        rows.append(
            {
                "doc_id": f"c{i}",
                "outlet": "CNN",
                "text": f"JUST WATCHED The {t} story {i} Replay More Videos ... the {t} "
                f"vote was close, the Islamic State said. Hide Caption {i} of 9",
            }
        )
        rows.append(
            {
                "doc_id": f"f{i}",
                "outlet": "Fox",
                "text": f"The {t} vote was close {i}, officials said of the Islamic State.",
            }
        )
    docs = pd.DataFrame(rows)
    found = boilerplate_phrases(docs)
    assert {"JUST WATCHED", "Replay More", "More Videos", "Hide Caption"} <= found
    assert "Islamic State" not in found  # both outlets write it: content, not furniture
    key = keyness(docs, a="CNN", b="Fox")
    assert not {"watched", "replay", "videos", "hide", "caption"} & set(key["feature"])
    assert "islamic" in set(key["feature"])
