"""Weight-0 matches (neutral references, plain reporting verbs) are not framing: they stay in
the matches table and in term-choice denominators, but not in loaded-language rates, keyness,
contrasting concepts or the report's headline table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import framing as fr
from framing.aggregate import contrasting_concepts, keyness, profile, term_choice
from framing.lexicon import load_lexicon

LEX = """\
name: honest
version: 1
stances: {left: l, right: r, neutral: n}
categories: {loaded: "loaded", neutral_reference: "plain", report: "report verbs"}
concepts:
  country: {description: "the country"}
  migrants: {description: "people"}
entries:
  - {term: US, case_sensitive: true, concept: country, stance: neutral, weight: 0, category: neutral_reference}
  - {term: U.S., concept: country, stance: neutral, weight: 0, category: neutral_reference}
  - {term: immigrants, concept: migrants, stance: neutral, weight: 0, category: neutral_reference}
  - {term: illegals, concept: migrants, stance: right, weight: 3, category: loaded}
  - {term: noted, weight: 0, category: report}
  - {term: brutal, weight: 2, category: loaded}
"""


@pytest.fixture(scope="module")
def scores():
    docs = pd.DataFrame(
        {
            "doc_id": ["w1", "w2", "p1", "p2"],
            "outlet": ["Wire", "Wire", "Partisan", "Partisan"],
            "text": [
                "The U.S. said immigrants arrived. The U.S. noted the U.S. numbers, officials noted.",
                "The U.S. and immigrants: the U.S. noted it. Immigrants waited in the U.S. today.",
                "The US let illegals in. A brutal policy, the US noted, with illegals everywhere.",
                "Brutal! The US and immigrants and illegals: the US noted a brutal year.",
            ],
        }
    )
    return fr.score(docs, lexicons=load_lexicon(LEX))


def test_weight_zero_matches_stay_in_the_matches_table(scores):
    assert (scores.matches["weight"] == 0).sum() == 19
    assert set(scores.matches.loc[scores.matches["weight"] == 0, "term"]) == {
        "US",
        "U.S.",
        "immigrants",
        "noted",
    }


def test_profile_counts_loaded_matches_only(scores):
    prof = profile(scores, by="outlet", level="category", n_boot=0)
    assert set(prof["feature"]) == {"loaded"}  # no neutral_reference, no report
    wire = prof[prof["outlet"] == "Wire"].iloc[0]
    assert wire["count"] == 0 and wire["rate"] == 0
    assert prof.loc[prof["outlet"] == "Partisan", "count"].item() == 6
    full = profile(scores, by="outlet", level="category", n_boot=0, include_neutral=True)
    assert set(full["feature"]) == {"loaded", "neutral_reference", "report"}
    assert full.loc[(full["outlet"] == "Wire") & (full["feature"] == "report"), "count"].item() == 3


def test_keyness_ignores_neutral_house_style(scores):
    key = keyness(scores, by="outlet", a="Wire", b="Partisan")
    assert set(key["feature"]) == {"illegals", "brutal"}  # not "U.S." vs "US"
    assert key["count_a"].sum() == 0
    full = keyness(scores, by="outlet", a="Wire", b="Partisan", include_neutral=True)
    assert full.iloc[0]["feature"] == "U.S." and full.iloc[0]["z"] > 1.5


def test_term_choice_keeps_neutral_denominators_and_contrast_ignores_them(scores):
    tc = term_choice(scores, by="outlet", n_boot=0)
    row = tc[(tc["outlet"] == "Partisan") & (tc["term"] == "illegals")].iloc[0]
    assert (row["count"], row["exposure"]) == (3, 4)  # 3 illegals of 4 mentions of migrants
    assert ("honest", "country", "US") in tc.attrs["neutral_terms"]
    assert ("honest", "migrants", "illegals") not in tc.attrs["neutral_terms"]
    # "country": the outlets differ only in house style (US vs U.S.): not a contrast
    assert contrasting_concepts(tc) == ["migrants"]
    plain = tc.copy()
    plain.attrs = {}
    assert set(contrasting_concepts(plain)) == {"country", "migrants"}


def test_report_table_rates_loaded_matches(scores, tmp_path):
    html = fr.report(scores, path=tmp_path / "r.html", n_boot=0).read_text("utf-8")
    assert "<th>loaded per 1k words</th>" in html
    wire = re.search(r"<td>Wire</td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", wire)
    assert cells[-2:] == ["0", "0.00"]  # loaded matches, loaded per 1k words
