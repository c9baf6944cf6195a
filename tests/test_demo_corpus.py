"""The bundled fictional demo corpus: size, spread, quotes and the framing contrasts it is
designed to show (plain substring checks; scoring tests live with the scorer)."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

import framing
from framing.corpus import DOCUMENT_COLUMNS

CRESCENT = "Crescent Dawn News"
WIRE = "Meridian Wire"
BULWARK = "The Daily Bulwark"
TARSIN = "Tarsin Valley Observer"
PROGRESS = "Harbor Street Progress"
LEDGER = "Liberty Ledger"
CIVIC = "The Civic Standard"

# Terms each outlet is written to use in its own (author) voice.
AUTHOR_TERMS = {
    CRESCENT: [
        "Zionist regime",
        "martyred",
        "resistance axis",
        "global arrogance",
        "foreign-backed militancy",
    ],
    WIRE: ["Israel", "killed", "civil war"],
    BULWARK: ["terrorists", "Iranian proxy", "Judea and Samaria", "slammed"],
    PROGRESS: [
        "undocumented immigrants",
        "gun violence",
        "climate crisis",
        "estate tax",
        "abortion rights",
    ],
    LEDGER: ["illegal aliens", "death tax", "Obamacare", "pro-life", "gun rights"],
    CIVIC: ["estate tax", "Affordable Care Act", "firearm", "immigrants"],
    TARSIN: ["Israeli forces", "occupied West Bank", "militants", "killed"],
}
# Loaded terms an outlet uses only when quoting someone else.
QUOTE_ONLY = {
    WIRE: [
        "Zionist regime",
        "martyrs",
        "terrorists",
        "illegal aliens",
        "death tax",
        "resistance axis",
        "foreign-backed militancy",
    ],
    TARSIN: ["martyrs"],
    BULWARK: ["martyrs", "obstacle to peace"],
    PROGRESS: ["death tax", "Obamacare", "gun rights"],
    LEDGER: ["undocumented immigrants", "estate tax"],
}
# Terms an outlet never uses at all.
NEVER = {
    CRESCENT: ["Israel"],
    CIVIC: [
        "illegal alien",
        "death tax",
        "Obamacare",
        "undocumented",
        "pro-life",
        "Zionist",
        "terrorist",
        "martyr",
        "climate crisis",
    ],
}

_QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’]*’(?!\w)")


@pytest.fixture(scope="module")
def docs() -> pd.DataFrame:
    return framing.datasets.demo_corpus()


def _by_outlet(docs: pd.DataFrame, outlet: str) -> list[str]:
    return docs.loc[docs["outlet"] == outlet, "text"].tolist()


def _outside_quotes(text: str) -> str:
    return _QUOTE.sub(" ", text)


def test_size_spread_and_schema(docs):
    assert len(docs) >= 36
    assert list(docs.columns[:6]) == [*DOCUMENT_COLUMNS, "source"]
    assert docs["date"].dtype == np.dtype("datetime64[ns]")
    assert docs["doc_id"].is_unique and docs["doc_id"].str.startswith("demo-").all()
    counts = docs["outlet"].value_counts()
    assert len(counts) >= 6 and counts.min() >= 6, counts
    assert set(counts.index) == set(AUTHOR_TERMS)
    assert docs["date"].notna().all()
    assert docs["date"].max() - docs["date"].min() >= pd.Timedelta(days=90)
    assert docs["title"].notna().all() and (docs["title"].str.len() > 10).all()
    assert docs["fictional"].map(lambda v: v is True or v == np.True_).all()
    assert docs["event"].nunique() >= 6
    # several outlets cover the same events: that is what makes comparisons meaningful
    per_event = docs.groupby("event")["outlet"].nunique()
    assert (per_event >= 3).sum() >= 5, per_event


def test_articles_are_short_multi_paragraph_texts(docs):
    for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
        paragraphs = text.split("\n\n")
        assert 3 <= len(paragraphs) <= 6, doc_id
        assert all(p == p.strip() and p for p in paragraphs), doc_id
        n_words = len(re.findall(r"\w+(?:[-'’]\w+)*", text))
        assert 100 <= n_words <= 320, (doc_id, n_words)


def test_quotes_straight_curly_and_multi_paragraph(docs):
    texts = "\n\n".join(docs["text"])
    assert texts.count("“") >= 14 and texts.count("”") >= 14
    assert texts.count('"') >= 40
    assert texts.count("‘") >= 3  # single curly quotes used as quotation marks
    # a quote that runs over two paragraphs: the first paragraph opens it without closing it,
    # the next paragraph reopens it
    multi = [t for t in docs["text"] if re.search(r"(?m)^“[^”\n]*\n\n“[^\n]*”", t)]
    assert multi, "no multi-paragraph quotation"
    # every outlet quotes somebody
    for outlet in AUTHOR_TERMS:
        quoting = [bool(_QUOTE.search(t)) for t in _by_outlet(docs, outlet)]
        assert sum(quoting) >= len(quoting) // 2, outlet


@pytest.mark.parametrize("outlet", sorted(AUTHOR_TERMS))
def test_author_voice_terms(docs, outlet):
    author = " ".join(_outside_quotes(t) for t in _by_outlet(docs, outlet)).casefold()
    missing = [term for term in AUTHOR_TERMS[outlet] if term.casefold() not in author]
    assert not missing, f"{outlet} never uses {missing} in its own voice"


@pytest.mark.parametrize("outlet", sorted(QUOTE_ONLY))
def test_loaded_terms_only_inside_quotes(docs, outlet):
    texts = _by_outlet(docs, outlet)
    whole = " ".join(texts).casefold()
    author = " ".join(_outside_quotes(t) for t in texts).casefold()
    for term in QUOTE_ONLY[outlet]:
        assert term.casefold() in whole, f"{outlet} should quote someone saying {term!r}"
        assert term.casefold() not in author, f"{outlet} uses {term!r} in its own voice"


@pytest.mark.parametrize("outlet", sorted(NEVER))
def test_terms_an_outlet_never_uses(docs, outlet):
    whole = " ".join(_by_outlet(docs, outlet)).casefold()
    used = [term for term in NEVER[outlet] if term.casefold() in whole]
    assert not used, f"{outlet} uses {used}"


def test_same_event_different_words(docs):
    strike = docs[docs["event"] == "kessara-strike"].set_index("outlet")["text"]
    assert "martyred" in strike[CRESCENT] and "martyred" not in strike[WIRE]
    assert "killed" in strike[WIRE]
    assert "Iranian proxy" in strike[BULWARK]
    tax = docs[docs["event"] == "tax-bill"].set_index("outlet")["text"]
    assert "death tax" in _outside_quotes(tax[LEDGER])
    assert "death tax" not in _outside_quotes(tax[PROGRESS])
    assert "estate tax" in _outside_quotes(tax[PROGRESS])


def test_no_real_outlet_names(docs):
    real = [
        "Reuters",
        "Associated Press",
        "Fox News",
        "CNN",
        "Al Jazeera",
        "Islam Times",
        "Breitbart",
        "New York Times",
        "Washington Post",
        "Press TV",
        "Jerusalem Post",
    ]
    blob = " ".join([*docs["text"], *docs["title"], *docs["outlet"]])
    assert not [name for name in real if name in blob]


def test_file_is_valid_jsonl_with_fictional_flag():
    lines = files("framing").joinpath("_data", "demo_corpus.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) >= 36
    for rec in records:
        assert set(rec) == {"id", "outlet", "date", "title", "text", "event", "fictional"}
        assert rec["fictional"] is True
        assert re.fullmatch(r"2025-\d\d-\d\d", rec["date"])


def test_demo_corpus_is_deterministic_and_fresh(docs):
    again = framing.datasets.demo_corpus()
    pd.testing.assert_frame_equal(again, docs)
    again.loc[0, "text"] = "changed"
    assert framing.datasets.demo_corpus().loc[0, "text"] != "changed"
    assert (docs["source"] == "framing:_data/demo_corpus.jsonl").all()


@pytest.fixture(scope="module")
def scores(docs):
    return framing.score(docs)


def _slant(scores, lexicon, poles, modifiers="all"):
    # The headline slant tests count every author-voice mention (modifiers="all"): the demo
    # outlets were written to differ in wording, and the wire and the centrist paper also
    # *report* each side's wording ("Supporters call it school choice; critics call it
    # privatizing public education", "the Israeli military ... described the strike as a
    # targeted killing"). The default ("adopted") leaves those attributed mentions out; see
    # test_adopted_slant_leaves_out_attributed_wording.
    table = framing.slant(scores, by="outlet", lexicon=lexicon, poles=poles, modifiers=modifiers)
    return table.set_index("outlet")


def test_adopted_slant_leaves_out_attributed_wording(scores):
    us_all = _slant(scores, "us-politics", ("left", "right"))
    us = _slant(scores, "us-politics", ("left", "right"), modifiers="adopted")
    # "Supporters call it school choice; critics call it privatizing public education."
    assert us_all.loc[CIVIC, "n_mentions"] - us.loc[CIVIC, "n_mentions"] == 2
    assert us.loc[CIVIC, "low_n"] and not us_all.loc[CIVIC, "low_n"]
    for outlet in (PROGRESS, LEDGER, BULWARK):  # the partisan outlets use their own words
        assert us.loc[outlet, "n_mentions"] == us_all.loc[outlet, "n_mentions"]
        assert us.loc[outlet, "slant"] == us_all.loc[outlet, "slant"]
    me_all = _slant(scores, "mideast", ("axis", "israel_right"))
    me = _slant(scores, "mideast", ("axis", "israel_right"), modifiers="adopted")
    # "... call them resistance fighters", "described the strike as a targeted killing"
    assert me_all.loc[WIRE, "n_mentions"] - me.loc[WIRE, "n_mentions"] == 2
    assert me_all.loc[TARSIN, "n_mentions"] - me.loc[TARSIN, "n_mentions"] == 1
    assert me.loc[CRESCENT, "slant"] == -1.0 and me.loc[BULWARK, "slant"] == 1.0
    split = framing.slant(
        scores, by="outlet", lexicon="mideast", poles=("axis", "israel_right"), modifiers="split"
    ).set_index("outlet")
    assert split.loc[WIRE, "distanced"] == 2 and split.loc[WIRE, "negated"] == 0


def test_us_politics_slant_spreads_across_outlets(scores):
    table = _slant(scores, "us-politics", ("left", "right"))
    valued = table.dropna(subset=["slant"])
    assert set(valued.index) == {PROGRESS, WIRE, CIVIC, BULWARK, LEDGER}
    assert (valued["n_mentions"] >= 10).all()
    assert table.loc[PROGRESS, "n_mentions"] >= 15 and table.loc[LEDGER, "n_mentions"] >= 15
    assert table.loc[PROGRESS, "slant"] <= -0.7
    assert abs(table.loc[WIRE, "slant"]) <= 0.2
    assert 0.0 < table.loc[CIVIC, "slant"] < 0.5
    assert table.loc[LEDGER, "slant"] >= 0.9
    order = valued["slant"].sort_values().index.tolist()
    assert order[0] == PROGRESS and order[-1] == LEDGER
    # the partisan outlets are told apart from the wire with confidence
    assert table.loc[PROGRESS, "ci_high"] < table.loc[WIRE, "ci_high"]
    assert table.loc[PROGRESS, "ci_high"] < table.loc[LEDGER, "ci_low"]


def test_mideast_slant_spreads_across_outlets(scores):
    table = _slant(scores, "mideast", ("axis", "israel_right"))
    valued = table.dropna(subset=["slant"])
    assert set(valued.index) == {CRESCENT, TARSIN, WIRE, BULWARK}
    assert table.loc[CRESCENT, "slant"] == -1.0 and table.loc[CRESCENT, "n_mentions"] >= 20
    assert table.loc[BULWARK, "slant"] == 1.0 and table.loc[BULWARK, "n_mentions"] >= 15
    assert -0.6 < table.loc[TARSIN, "slant"] < 0 < table.loc[WIRE, "slant"] < 0.5
    # every resample of Crescent gives -1: no interval (nothing varies), the value stands
    assert pd.isna(table.loc[CRESCENT, "ci_high"])
    assert table.loc[CRESCENT, "slant"] < table.loc[WIRE, "ci_low"]


def test_stance_coded_wording_keeps_its_concept_under_default_lexicons(scores):
    # "martyred" and "crime wave" are also general loaded-language entries; with the default
    # lexicons the domain entry wins the tie, so the match carries a concept and a stance
    matches = scores.matches
    for term, lexicon, concept in [
        ("martyred", "mideast", "killing_deaths"),
        ("crime wave", "us-politics", "crime_policy"),
    ]:
        rows = matches[matches["term"] == term]
        assert len(rows) >= 2, term
        assert (rows["lexicon"] == lexicon).all() and (rows["concept"] == concept).all()
