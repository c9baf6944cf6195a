"""Tests of framing.aggregate on small hand-built Scores whose figures are worked out by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from framing.aggregate import keyness, profile, slant, term_choice
from framing.errors import DataQualityWarning, FramingError
from framing.scoring import Scores

MATCH_COLUMNS = [
    "doc_id",
    "sent_id",
    "start",
    "end",
    "surface",
    "term",
    "lexicon",
    "category",
    "concept",
    "stance",
    "weight",
    "voice",
]


def _matches(rows: list[tuple]) -> pd.DataFrame:
    """rows: (doc_id, sent_id, term, lexicon, category, concept, stance, voice)."""
    frame = pd.DataFrame(
        rows,
        columns=["doc_id", "sent_id", "term", "lexicon", "category", "concept", "stance", "voice"],
    )
    frame = frame.assign(start=0, end=1, surface=frame["term"], weight=1.0)
    for col in ("category", "concept", "stance"):
        frame[col] = frame[col].astype(object)
    return frame[MATCH_COLUMNS]


def _sentences(rows: list[tuple]) -> pd.DataFrame:
    """rows: (doc_id, sent_id, n_words, quote_share)."""
    frame = pd.DataFrame(rows, columns=["doc_id", "sent_id", "n_words", "quote_share"])
    return frame.assign(start=0, end=1, text="s")[
        ["doc_id", "sent_id", "start", "end", "text", "n_words", "quote_share"]
    ]


@pytest.fixture
def scores() -> Scores:
    """Three outlets.

    Author words (n_words * (1 - quote_share)): d1 = 10 + 5 = 15, d2 = 20 -> A = 35;
    d3 = 30 + 0 -> B = 30; d4 = 20 -> C = 20. Quote words: A = 5, B = 10 + 10 = 20, C = 0.
    d4 has no date (NaT) and no match.
    """
    docs = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "outlet": ["A", "A", "B", "C"],
            "date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-01-20", None]),
            "title": ["t1", "t2", "t3", "t4"],
            "text": ["x", "y", "z", "w"],
        }
    )
    sents = _sentences(
        [
            ("d1", 0, 10, 0.0),
            ("d1", 1, 10, 0.5),
            ("d2", 0, 20, 0.0),
            ("d3", 0, 40, 0.25),
            ("d3", 1, 10, 1.0),
            ("d4", 0, 20, 0.0),
        ]
    )
    R = ("Zionist regime", "mideast", "delegitimizing_label", "israel_state", "axis")
    N = ("Israel", "mideast", None, "israel_state", "neutral")
    M = ("martyr", "mideast", "sacralizing", None, "axis")
    matches = _matches(
        [
            ("d1", 0, *R, "author"),
            ("d1", 0, *R, "author"),
            ("d1", 1, *N, "author"),
            ("d1", 1, *M, "quote"),
            ("d2", 0, *N, "author"),
            ("d3", 0, *R, "author"),
            ("d3", 1, *M, "quote"),
        ]
    )
    return Scores(docs, sents, matches)


def _row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = np.ones(len(frame), bool)
    for k, v in where.items():
        mask &= (frame[k] == v).to_numpy()
    assert mask.sum() == 1, f"expected one row for {where}, got {mask.sum()}"
    return frame[mask].iloc[0]


# ---- profile ----------------------------------------------------------------------------------


def test_profile_author_per_1k_words_by_hand(scores):
    prof = profile(scores, n_boot=200)
    assert list(prof.columns) == [
        "outlet",
        "feature",
        "count",
        "exposure",
        "rate",
        "ci_low",
        "ci_high",
        "n_docs",
    ]
    # every outlet x category, C (no match at all) included with zero counts
    assert list(zip(prof["outlet"], prof["feature"], strict=True)) == [
        ("A", "delegitimizing_label"),
        ("A", "sacralizing"),
        ("B", "delegitimizing_label"),
        ("B", "sacralizing"),
        ("C", "delegitimizing_label"),
        ("C", "sacralizing"),
    ]
    assert prof["count"].tolist() == [2, 0, 1, 0, 0, 0]
    assert prof["exposure"].tolist() == [35, 35, 30, 30, 20, 20]
    assert prof["rate"].to_numpy() == pytest.approx([2000 / 35, 0, 1000 / 30, 0, 0, 0])
    assert prof["n_docs"].tolist() == [2, 2, 1, 1, 1, 1]


def test_profile_quote_voice_and_zero_exposure(scores):
    prof = profile(scores, voice="quote", n_boot=50)
    sac = prof[prof["feature"] == "sacralizing"].set_index("outlet")
    assert sac["count"].tolist() == [1, 1, 0]
    assert sac["exposure"].tolist() == [5, 20, 0]
    assert sac.loc["A", "rate"] == pytest.approx(200.0)
    assert sac.loc["B", "rate"] == pytest.approx(50.0)
    assert math.isnan(sac.loc["C", "rate"])  # no quoted words: undefined, not zero
    assert math.isnan(sac.loc["C", "ci_low"])


def test_profile_all_voices(scores):
    prof = profile(scores, voice="all", n_boot=0)
    a = prof[prof["outlet"] == "A"].set_index("feature")
    assert a["exposure"].tolist() == [40, 40]
    assert a.loc["delegitimizing_label", "rate"] == pytest.approx(50.0)
    assert a.loc["sacralizing", "rate"] == pytest.approx(25.0)


def test_profile_per_100_sentences_and_sentence_share(scores):
    # author sentences are those with quote_share < 1: A has 3, B has 1 (d3 s1 is all quote)
    per100 = profile(scores, rate="per_100_sentences", n_boot=0)
    assert _row(per100, outlet="A", feature="delegitimizing_label")["rate"] == pytest.approx(
        200 / 3
    )
    assert _row(per100, outlet="B", feature="delegitimizing_label")["exposure"] == 1
    # two matches in one sentence count once for sentence_share
    share = profile(scores, rate="sentence_share", n_boot=0)
    a = _row(share, outlet="A", feature="delegitimizing_label")
    assert (a["count"], a["exposure"], a["rate"]) == (1, 3, pytest.approx(1 / 3))
    assert _row(share, outlet="B", feature="delegitimizing_label")["rate"] == 1.0
    # quote sentences are those with quote_share > 0: B has 2, one with 'martyr'
    quote = profile(scores, rate="sentence_share", voice="quote", n_boot=0)
    assert _row(quote, outlet="B", feature="sacralizing")["rate"] == pytest.approx(0.5)
    assert _row(quote, outlet="A", feature="sacralizing")["rate"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("term", {"Israel": 2, "Zionist regime": 2}),
        ("concept", {"israel_state": 4}),
        ("stance", {"axis": 2, "neutral": 2}),
        ("lexicon", {"mideast": 4}),
    ],
)
def test_profile_levels(scores, level, expected):
    prof = profile(scores, level=level, n_boot=0)
    a = prof[prof["outlet"] == "A"]
    got = dict(zip(a["feature"], a["count"], strict=True))
    # features seen in any voice are listed (martyr only occurs in quotes: count 0 here)
    assert {k: v for k, v in got.items() if v} == expected
    assert set(got) >= set(expected)


def test_profile_bootstrap_resamples_documents(scores):
    # min_docs=1 to check the resampling itself on groups of one and two documents
    prof = profile(scores, n_boot=1000, seed=0, min_docs=1)
    a = _row(prof, outlet="A", feature="delegitimizing_label")
    # resamples of A's two documents: {d1,d1} -> 2/15, {d1,d2} -> 2/35, {d2,d2} -> 0 per word;
    # each pure resample has probability 1/4 > 2.5%, so the 95% CI is [0, 133.33]
    assert a["ci_low"] == 0.0
    assert a["ci_high"] == pytest.approx(2000 / 15)
    # a single document: every resample is that document, so there is no interval at all
    b = _row(prof, outlet="B", feature="delegitimizing_label")
    assert math.isnan(b["ci_low"]) and math.isnan(b["ci_high"])
    assert b["rate"] == pytest.approx(1000 / 30)
    # by default groups under MIN_DOCS documents get no interval
    default = profile(scores, n_boot=1000, seed=0)
    assert default["ci_low"].isna().all() and default["rate"].notna().all()


def test_profile_is_seeded_and_groups_are_independent(scores):
    sims = _simulated(n_groups=6, n_docs=25, rate=4.0, seed=3)
    one = profile(sims, n_boot=300, seed=7)
    two = profile(sims, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(one, two)
    other = profile(sims, n_boot=300, seed=8)
    assert not np.allclose(one["ci_low"], other["ci_low"])
    # dropping a group leaves the other groups' intervals unchanged
    keep = sims.documents["outlet"] != "g00000"
    sub = Scores(sims.documents[keep], sims.sentences, sims.matches)
    part = profile(sub, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(
        part.reset_index(drop=True), one[one["outlet"] != "g00000"].reset_index(drop=True)
    )


def test_profile_n_boot_zero_gives_nan_intervals(scores):
    prof = profile(scores, n_boot=0)
    assert prof["ci_low"].isna().all() and prof["ci_high"].isna().all()
    assert prof["rate"].notna().all()


def _simulated(n_groups: int, n_docs: int, rate: float, seed: int) -> Scores:
    rng = np.random.default_rng(seed)
    nd = n_groups * n_docs
    ids = np.array([f"d{i}" for i in range(nd)], dtype=object)
    words = rng.integers(200, 1200, nd)
    docs = pd.DataFrame(
        {"doc_id": ids, "outlet": [f"g{g:05d}" for g in np.repeat(np.arange(n_groups), n_docs)]}
    )
    sents = _sentences([(i, 0, w, 0.0) for i, w in zip(ids, words, strict=True)])
    k = rng.poisson(rate * words / 1000 * rng.gamma(2.0, 0.5, nd))
    rows = [
        (ids[d], 0, "t", "sim", "feature", None, None, "author")
        for d in np.repeat(np.arange(nd), k)
    ]
    return Scores(docs, sents, _matches(rows))


def test_profile_ci_coverage_is_near_nominal():
    """200 simulated outlets of 60 documents: the 95% CI holds the true rate ~95% of the time."""
    sims = _simulated(n_groups=200, n_docs=60, rate=3.0, seed=11)
    prof = profile(sims, n_boot=400, seed=0)
    inside = ((prof["ci_low"] <= 3.0) & (3.0 <= prof["ci_high"])).mean()
    assert 0.88 <= inside <= 0.99, inside


def test_profile_period_excludes_nat_with_warning(scores):
    with pytest.warns(DataQualityWarning, match=r"1 of 4 documents have no usable date"):
        prof = profile(scores, period="M", level="lexicon", n_boot=0)
    assert list(prof.columns[:3]) == ["outlet", "period", "feature"]
    keys = list(zip(prof["outlet"], prof["period"], strict=True))
    assert keys == [
        ("A", pd.Timestamp("2024-01-01")),
        ("A", pd.Timestamp("2024-02-01")),
        ("B", pd.Timestamp("2024-01-01")),
    ]
    # A in January: d1 only -> 3 author matches (2 regime + Israel) / 15 words
    assert prof["rate"].iloc[0] == pytest.approx(200.0)
    with pytest.warns(DataQualityWarning):
        by_month = profile(scores, by=["outlet", "month"], level="lexicon", n_boot=0)
    assert by_month["rate"].tolist() == pytest.approx(prof["rate"].tolist())


def test_profile_without_time_view_does_not_warn(scores):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        profile(scores, n_boot=10)


def test_profile_quarter_and_week(scores):
    with pytest.warns(DataQualityWarning):
        q = profile(scores, by="outlet", period="Q", level="lexicon", n_boot=0)
    assert q["period"].unique().tolist() == [pd.Timestamp("2024-01-01")]
    with pytest.warns(DataQualityWarning):
        w = profile(scores, by="outlet", period="W", level="lexicon", n_boot=0)
    # 2024-01-05 is a Friday: its week starts on Monday 2024-01-01
    assert w["period"].iloc[0] == pd.Timestamp("2024-01-01")


def test_profile_lexicon_filter_and_documents_without_sentences(scores):
    docs = pd.concat(
        [
            scores.documents,
            pd.DataFrame(
                {
                    "doc_id": ["d5"],
                    "outlet": ["C"],
                    "date": [pd.Timestamp("2024-03-01")],
                    "title": ["t5"],
                    "text": [""],
                }
            ),
        ],
        ignore_index=True,
    )
    s = Scores(docs, scores.sentences, scores.matches)
    prof = profile(s, lexicon="mideast@1", n_boot=0)
    assert _row(prof, outlet="C", feature="sacralizing")["n_docs"] == 2
    with pytest.raises(
        FramingError,
        match="'other', which these scores were not made with; their lexicons: mideast",
    ):
        profile(s, lexicon="other", n_boot=0)


def test_profile_with_no_matches_is_empty_with_columns(scores):
    s = Scores(scores.documents, scores.sentences, scores.matches.iloc[:0])
    prof = profile(s, n_boot=10)
    assert len(prof) == 0
    assert {"outlet", "feature", "count", "rate", "ci_low", "n_docs"} <= set(prof.columns)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"level": "x"},
            "The 'level' parameter of profile must be one of 'category', 'concept', "
            "'term', 'stance', 'lexicon', 'model'. Got 'x' instead.",
        ),
        (
            {"voice": "narrator"},
            "The 'voice' parameter of profile must be one of 'author', "
            "'quote', 'all'. Got 'narrator' instead.",
        ),
        ({"rate": "per_word"}, "The 'rate' parameter of profile must be one of"),
        (
            {"period": "D"},
            "The 'period' parameter of profile must be one of 'W', 'M', 'Q', 'Y', 'auto', None.",
        ),
        ({"n_boot": -1}, "The 'n_boot' parameter of profile must be an int >= 0. Got -1 instead."),
        ({"ci": 95}, "The 'ci' parameter of profile must be a float in (0, 1)"),
        ({"by": "country"}, "names a column the documents table lacks: 'country'"),
        ({"by": 3}, "The 'by' parameter of profile must be a column name"),
    ],
)
def test_profile_parameter_errors(scores, kwargs, message):
    with pytest.raises(FramingError) as info:
        profile(scores, **kwargs)
    assert message in str(info.value)


def test_profile_rejects_tables_without_scores_columns(scores):
    with pytest.raises(FramingError, match="expects a framing.Scores"):
        profile(scores.documents)
    bad = Scores(scores.documents, scores.sentences.drop(columns="quote_share"), scores.matches)
    with pytest.raises(FramingError, match="sentences table .* lacks column\\(s\\) quote_share"):
        profile(bad)


# ---- term choice --------------------------------------------------------------------------------


def test_term_choice_shares_by_hand(scores):
    tc = term_choice(scores, n_boot=1000, seed=0, min_docs=1)
    assert list(tc.columns) == [
        "outlet",
        "lexicon",
        "concept",
        "term",
        "count",
        "exposure",
        "share",
        "ci_low",
        "ci_high",
        "n_docs",
    ]
    a_regime = _row(tc, outlet="A", term="Zionist regime")
    assert (a_regime["count"], a_regime["exposure"], a_regime["share"]) == (2, 4, 0.5)
    assert a_regime["n_docs"] == 2
    # resamples {d1,d1} -> 2/3, {d1,d2} -> 1/2, {d2,d2} -> 0
    assert a_regime["ci_low"] == 0.0 and a_regime["ci_high"] == pytest.approx(2 / 3)
    a_israel = _row(tc, outlet="A", term="Israel")
    assert a_israel["share"] == 0.5
    assert a_israel["ci_low"] == pytest.approx(1 / 3) and a_israel["ci_high"] == 1.0
    b = tc[tc["outlet"] == "B"].set_index("term")
    assert b.loc["Zionist regime", "share"] == 1.0 and b.loc["Israel", "share"] == 0.0
    c = tc[tc["outlet"] == "C"]
    assert c["count"].tolist() == [0, 0] and c["share"].isna().all()
    assert c["n_docs"].tolist() == [0, 0]
    # shares of a concept sum to 1 wherever it is mentioned
    sums = tc.dropna(subset=["share"]).groupby(["outlet", "concept"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)


def test_term_choice_concept_filter_and_errors(scores):
    assert term_choice(scores, concept="israel_state", n_boot=0)["concept"].unique().tolist() == [
        "israel_state"
    ]
    with pytest.raises(FramingError, match=r"concept\(s\) with no match: \['gaza'\]"):
        term_choice(scores, concept="gaza")
    with pytest.raises(FramingError, match="The 'voice' parameter of term_choice"):
        term_choice(scores, voice="x")


# ---- slant --------------------------------------------------------------------------------------


@pytest.fixture
def slant_scores() -> Scores:
    """X: immigration right 3 / left 1 (+0.5), tax left 2 (-1) -> slant -0.25 (a mention-
    weighted index would give (3 - 3) / 6 = 0); plus neutral and quoted mentions that do not
    count. Y: 2 right mentions only. Z: no mention."""
    docs = pd.DataFrame({"doc_id": ["x1", "x2", "y1", "z1"], "outlet": ["X", "X", "Y", "Z"]})
    sents = _sentences(
        [("x1", 0, 100, 0.0), ("x2", 0, 100, 0.0), ("y1", 0, 50, 0.0), ("z1", 0, 50, 0.0)]
    )
    ia, ud = (
        ("illegal alien", "us", "partisan_label", "immigrant", "right"),
        ("undocumented immigrant", "us", "partisan_label", "immigrant", "left"),
    )
    dt, et = (
        ("death tax", "us", "partisan_label", "estate_tax", "right"),
        ("estate tax", "us", "partisan_label", "estate_tax", "left"),
    )
    neutral = ("migrant", "us", None, "immigrant", "neutral")
    matches = _matches(
        [
            ("x1", 0, *ia, "author"),
            ("x1", 0, *ia, "author"),
            ("x1", 0, *ud, "author"),
            ("x2", 0, *ia, "author"),
            ("x2", 0, *et, "author"),
            ("x2", 0, *et, "author"),
            ("x2", 0, *neutral, "author"),
            ("x2", 0, *dt, "quote"),
            ("x2", 0, *dt, "quote"),
            ("y1", 0, *ia, "author"),
            ("y1", 0, *ia, "author"),
        ]
    )
    return Scores(docs, sents, matches)


def test_slant_equal_concept_weighting_by_hand(slant_scores):
    sl = slant(slant_scores, min_mentions=5, n_boot=500, min_docs=2)
    assert list(sl.columns) == [
        "outlet",
        "slant",
        "ci_low",
        "ci_high",
        "n_mentions",
        "n_concepts",
        "n_docs",
        "low_n",
    ]
    x = _row(sl, outlet="X")
    assert x["slant"] == pytest.approx(-0.25)
    assert (x["n_mentions"], x["n_concepts"], x["n_docs"], x["low_n"]) == (6, 2, 2, False)
    # resamples of X: {x1,x1} -> imm (4-2)/6 only -> 1/3; {x2,x2} -> mean(1, -1) = 0;
    # {x1,x2} -> -0.25: the interval spans [-0.25, 1/3]
    assert x["ci_low"] == pytest.approx(-0.25) and x["ci_high"] == pytest.approx(1 / 3)
    y = _row(sl, outlet="Y")
    assert math.isnan(y["slant"]) and y["low_n"] and y["n_mentions"] == 2
    z = _row(sl, outlet="Z")
    assert math.isnan(z["slant"]) and z["low_n"] and z["n_mentions"] == 0
    assert sl.attrs["poles"] == ("left", "right")


def test_slant_poles_voice_and_threshold(slant_scores):
    flipped = slant(slant_scores, poles=("right", "left"), min_mentions=1, n_boot=0)
    assert _row(flipped, outlet="X")["slant"] == pytest.approx(0.25)
    assert _row(flipped, outlet="Y")["slant"] == pytest.approx(-1.0)
    # quoted 'death tax' counts with voice="all": tax (2 right - 2 left) / 4 = 0, imm 0.5
    everything = slant(slant_scores, voice="all", min_mentions=1, n_boot=0)
    assert _row(everything, outlet="X")["slant"] == pytest.approx(0.25)
    with pytest.raises(FramingError, match="The 'poles' parameter of slant must be two"):
        slant(slant_scores, poles=("left",))
    with pytest.raises(FramingError, match="'other'.*their lexicons: us"):
        slant(slant_scores, lexicon="other", n_boot=0)
    with pytest.raises(FramingError, match="stance 'lefty'.*stances found: left, right"):
        slant(slant_scores, poles=("lefty", "right"), n_boot=0)


# ---- keyness ------------------------------------------------------------------------------------


def test_keyness_log_odds_by_hand():
    docs = pd.DataFrame({"doc_id": ["a1", "b1"], "outlet": ["A", "B"]})
    sents = _sentences([("a1", 0, 10, 0.0), ("b1", 0, 10, 0.0)])
    x = ("x", "lex", "cat_x", None, None, "author")
    y = ("y", "lex", "cat_y", None, None, "author")
    matches = _matches(
        [("a1", 0, *x)] * 3 + [("a1", 0, *y)] + [("b1", 0, *x)] + [("b1", 0, *y)] * 3
    )
    key = keyness(Scores(docs, sents, matches), a="A", b="B")
    # counts x: 3 vs 1, y: 1 vs 3; prior alpha = background counts (4, 4), alpha0 = 8
    # delta_x = log(7/5) - log(5/7); se = sqrt(1/7 + 1/5)
    delta = 2 * math.log(1.4)
    se = math.sqrt(1 / 7 + 1 / 5)
    assert key["feature"].tolist() == ["x", "y"]
    assert key["log_odds"].to_numpy() == pytest.approx([delta, -delta])
    assert key["se"].to_numpy() == pytest.approx([se, se])
    assert key["z"].to_numpy() == pytest.approx([delta / se, -delta / se])
    assert key[["count_a", "count_b"]].to_numpy().tolist() == [[3, 1], [1, 3]]
    assert key.attrs["a"] == "A" and key.attrs["b"] == "B"
    cats = keyness(Scores(docs, sents, matches), a="A", b="B", level="category")
    assert cats["feature"].tolist() == ["cat_x", "cat_y"]
    assert cats["z"].to_numpy() == pytest.approx(key["z"].to_numpy())
    # a third outlet C (x 8 times) shapes the prior (pi_x = 12/16) but not its mass (8):
    # alpha_x = 6, alpha_y = 2; delta_x = log(9/3) - log(7/5), se_x = sqrt(1/9 + 1/7)
    docs3 = pd.concat([docs, pd.DataFrame({"doc_id": ["c1"], "outlet": ["C"]})])
    matches3 = pd.concat([matches, _matches([("c1", 0, *x)] * 8)], ignore_index=True)
    key3 = keyness(Scores(docs3, sents, matches3), a="A", b="B").set_index("feature")
    assert key3.loc["x", "log_odds"] == pytest.approx(math.log(3) - math.log(1.4))
    assert key3.loc["x", "se"] == pytest.approx(math.sqrt(1 / 9 + 1 / 7))
    assert (
        keyness(Scores(docs3, sents, matches3), a="A", b="B", alpha0=80)["z"].abs().max()
        < key3["z"].abs().min()
    )  # a heavier prior shrinks every z


def test_keyness_vs_rest_and_documents_table(scores):
    key = keyness(scores, a="B", level="term")  # B vs A + C
    assert key.attrs["b"] == "rest"
    assert _row(key, feature="Zionist regime")["count_a"] == 1
    assert _row(key, feature="Zionist regime")["count_b"] == 2
    docs = pd.DataFrame(
        {
            "doc_id": ["1", "2", "3"],
            "outlet": ["P", "P", "Q"],
            "text": ["The regime's forces. The regime!", "Regime talk", "Peace talks"],
        }
    )
    words = keyness(docs, a="P", b="Q")
    top = words.iloc[0]
    assert top["feature"] == "regime" and top["count_a"] == 2 and top["count_b"] == 0
    assert "regime's" in set(words["feature"])  # apostrophe words stay whole
    assert words.iloc[-1]["z"] < 0
    assert keyness(docs, a="P", b="Q", min_count=2)["feature"].tolist() == ["regime", "the"]


def test_keyness_errors(scores):
    with pytest.raises(FramingError, match="The 'a' parameter of keyness must be a value of"):
        keyness(scores, a="Nope")
    with pytest.raises(FramingError, match="two different groups"):
        keyness(scores, a="A", b="A")
    with pytest.raises(FramingError, match="without a 'text' column"):
        keyness(pd.DataFrame({"outlet": ["A"]}), a="A")
    with pytest.raises(FramingError, match="The 'level' parameter of keyness"):
        keyness(scores, a="A", level="word")


# ---- classifier probabilities (level="model") -------------------------------------------------


def _with_probabilities(scores: Scores) -> Scores:
    # sentences: d1/0 (author), d1/1 (half quoted), d2/0, d3/0 (quarter quoted), d3/1 (all
    # quote), d4/0
    sents = scores.sentences.assign(p_loaded=[0.9, 0.3, 0.6, 0.2, 0.8, 0.1])
    return Scores(scores.documents, sents, scores.matches)


def test_profile_model_level_mean_probability_and_share(scores):
    s = _with_probabilities(scores)
    prof = profile(s, level="model", n_boot=200, seed=1, min_docs=1)
    assert prof["feature"].unique().tolist() == ["loaded"]
    assert prof.attrs["rate"] == "mean_probability"
    # author voice = sentences not wholly quoted: A has 0.9, 0.3, 0.6 -> mean 0.6;
    # B has only d3/0 (0.2) since d3/1 is all quote; C has 0.1
    a, b, c = (_row(prof, outlet=o) for o in "ABC")
    assert a["rate"] == pytest.approx(0.6) and a["exposure"] == 3
    assert b["rate"] == pytest.approx(0.2) and c["rate"] == pytest.approx(0.1)
    # A's two documents both average 0.6, so every resample gives 0.6: no interval
    assert math.isnan(a["ci_low"]) and math.isnan(a["ci_high"])
    share = profile(s, level="model", rate="sentence_share", threshold=0.5, voice="all", n_boot=0)
    # all sentences: A 2 of 3 at >= 0.5; B 1 of 2 (0.8); C 0 of 1
    assert _row(share, outlet="A")["rate"] == pytest.approx(2 / 3)
    assert _row(share, outlet="B")["rate"] == pytest.approx(0.5)
    assert _row(share, outlet="C")["rate"] == 0.0
    quote = profile(s, level="model", voice="quote", n_boot=0)
    # quote voice: d1/1 (0.3), d3/0 (0.2), d3/1 (0.8)
    assert _row(quote, outlet="A")["rate"] == pytest.approx(0.3)
    assert _row(quote, outlet="B")["rate"] == pytest.approx(0.5)
    assert math.isnan(_row(quote, outlet="C")["rate"])


def test_profile_model_level_errors(scores):
    with pytest.raises(FramingError, match="no p_<label> columns"):
        profile(scores, level="model")
    with pytest.raises(FramingError, match="does not go with"):
        profile(_with_probabilities(scores), level="model", rate="per_100_sentences")
    with pytest.raises(FramingError, match="does not go with"):
        profile(scores, rate="mean_probability")
    with pytest.raises(FramingError, match="threshold"):
        profile(_with_probabilities(scores), level="model", rate="sentence_share", threshold=1.5)


def test_contrasting_concepts_prefers_well_attested_contrasts():
    from framing.aggregate import contrasting_concepts

    rows = []
    # "rare": 100% vs 0% on 1 mention each side; "big": 80% vs 20% on 50 mentions each side;
    # "flat": the same 50/50 split everywhere.
    for concept, a_share, b_share, n in (
        ("rare", 1.0, 0.0, 1),
        ("big", 0.8, 0.2, 50),
        ("flat", 0.5, 0.5, 40),
    ):
        for group, sh in (("A", a_share), ("B", b_share)):
            rows.append((group, concept, "x", sh, round(sh * n)))
            rows.append((group, concept, "y", 1 - sh, n - round(sh * n)))
    tc = pd.DataFrame(rows, columns=["outlet", "concept", "term", "share", "count"])
    # contrast: big 0.6 * 100/110 = 0.545; rare 1.0 * 2/12 = 0.167; flat 0
    assert contrasting_concepts(tc, min_mentions=1) == ["big", "rare", "flat"]
    assert contrasting_concepts(tc, 1) == ["big"]
    assert contrasting_concepts(tc) == ["big", "flat"]  # "rare" has 2 < 3 mentions
    with pytest.raises(FramingError, match="lacks"):
        contrasting_concepts(tc.drop(columns="term"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"level": "term"},
        {"level": "category", "voice": "all", "rate": "sentence_share"},
        {"level": "concept", "voice": "all", "rate": "per_100_sentences", "period": "M"},
    ],
)
def test_document_counts_of_chunks_give_the_profile_of_the_whole(scores, kwargs):
    """The per-document step on chunks (as dask workers run it), combined, then the bootstrap:
    the same table as profile() to the last bit."""
    from types import SimpleNamespace

    from framing.aggregate import (
        combine_counts,
        document_columns,
        document_counts,
        document_exposure,
        feature_counts,
        profile_from_counts,
        profile_options,
    )

    opts = profile_options(n_boot=50, seed=4, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # d4 has no date
        want = profile(scores, n_boot=50, seed=4, **kwargs)
        whole = document_counts(scores, **opts)
        # sentences and matches cut mid-document (d1's rows fall in both chunks)
        s, m = scores.sentences, scores.matches
        chunks = [
            SimpleNamespace(sentences=s.iloc[:1], matches=m.iloc[:2]),
            SimpleNamespace(sentences=s.iloc[1:], matches=m.iloc[2:]),
        ]
        docs = scores.documents[
            document_columns(scores.documents, by=opts["by"], period=opts["period"])
        ]
        parts = combine_counts(
            docs,
            [document_exposure(c.sentences, **opts) for c in chunks],
            [feature_counts(c.matches, **opts) for c in chunks],
            **opts,
        )
        got = profile_from_counts(parts, **opts)
    assert len(want) and want["count"].sum() > 0
    pd.testing.assert_frame_equal(parts.documents, whole.documents)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs


def test_profile_options_are_checked_without_tables():
    from framing.aggregate import profile_options
    from framing.errors import ParameterError

    opts = profile_options(level="model")
    assert opts["rate"] == "mean_probability" and opts["n_boot"] == 1000  # defaults filled
    with pytest.raises(ParameterError, match="The 'voice' parameter of profile"):
        profile_options(voice="narrator")
    with pytest.raises(TypeError, match="unexpected keyword argument 'bins'"):
        profile_options(bins=3)
