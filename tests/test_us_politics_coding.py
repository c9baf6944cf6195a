"""Codings of the us-politics concepts added in lexicon v3 (issue 15, slant coverage).

Sentences are our own writing. Each new concept's neutral reference and its left- and
right-coded labels must be matched in the author's voice with the right concept, stance and
weight; gated words must not fire off topic.
"""

from __future__ import annotations

import pandas as pd
import pytest

import framing
from framing.lexicon import load_lexicon

LEX = load_lexicon("us-politics")


def _matches(text: str) -> pd.DataFrame:
    return framing.score(pd.DataFrame({"text": [text]}), lexicons=LEX).matches


def _coded(text: str) -> set[tuple[str, str, str]]:
    m = _matches(text)
    return {(str(r.term), str(r.concept), str(r.stance)) for r in m.itertuples()}


# (sentence, term, concept, stance): one neutral, one left and one right label per new concept
CASES = [
    (
        "The income gap widened again last year, the Senate report found.",
        "income gap",
        "economic_inequality",
        "neutral",
    ),
    (
        "Democrats in Congress said income inequality had reached a record.",
        "income inequality",
        "economic_inequality",
        "left",
    ),
    (
        "Republicans in Congress called the plan wealth redistribution.",
        "wealth redistribution",
        "economic_inequality",
        "right",
    ),
    ("Market economy rules apply, Senate aides said.", "capitalism", "economic_system", "neutral"),
    (
        "The senator praised free enterprise at the dinner.",
        "free enterprise",
        "economic_system",
        "right",
    ),
    (
        "The candidate attacked vulture capitalism at a rally in Iowa.",
        "unfettered capitalism",
        "economic_system",
        "left",
    ),
    ("Drugmakers raised list prices in January.", "drugmakers", "drug_industry", "neutral"),
    (
        "The senator blamed price-gouging drug companies.",
        "price-gouging drug companies",
        "drug_industry",
        "left",
    ),
    (
        "The trade group called Medicare drug negotiation price controls.",
        "price controls",
        "drug_industry",
        "right",
    ),
    (
        "Islamist militants attacked a checkpoint.",
        "Islamist militants",
        "islamist_terrorism",
        "neutral",
    ),
    (
        "The candidate vowed to defeat radical Islamic terrorism.",
        "radical Islamic terrorism",
        "islamist_terrorism",
        "right",
    ),
    (
        "The program aimed at countering violent extremism among ISIS recruits.",
        "violent extremism",
        "islamist_terrorism",
        "left",
    ),
    (
        "The nominee declined to describe her judicial philosophy.",
        "judicial philosophy",
        "constitutional_interpretation",
        "neutral",
    ),
    (
        "He is an originalist on the Second Amendment.",
        "originalism",
        "constitutional_interpretation",
        "right",
    ),
    (
        "She called the Constitution a living document.",
        "living Constitution",
        "constitutional_interpretation",
        "left",
    ),
    (
        "The Washington establishment backed the incumbent.",
        "political establishment",
        "washington_establishment",
        "neutral",
    ),
    ("He promised again to drain the swamp.", "the swamp", "washington_establishment", "right"),
    (
        "The challenger ran against the donor class.",
        "the donor class",
        "washington_establishment",
        "left",
    ),
]


@pytest.mark.parametrize(("text", "term", "concept", "stance"), CASES)
def test_new_concept_labels_are_matched_and_coded(text, term, concept, stance):
    assert (term, concept, stance) in _coded(text)


def test_every_v3_concept_has_neutral_left_and_right_labels():
    df = LEX.to_frame()
    for concept in (
        "economic_inequality",
        "economic_system",
        "drug_industry",
        "islamist_terrorism",
        "constitutional_interpretation",
        "washington_establishment",
    ):
        rows = df[df["concept"] == concept]
        assert {"neutral", "left", "right"} <= set(rows["stance"]), concept
        assert (rows.loc[rows["stance"] == "neutral", "weight"] == 0).all(), concept
        assert rows["note"].astype(str).str.len().gt(10).all(), concept


def test_new_labels_in_existing_concepts():
    coded = _coded(
        "Republicans in Congress said taxpayer dollars paid for it. Democrats spoke of "
        "voting rights and of people of color. A pro-gun group said the left fought over "
        "free speech. Democrat lawmakers met; the collusion narrative returned."
    )
    assert ("taxpayer dollars", "government_size", "right") in coded
    assert ("voting rights", "voting_rules", "left") in coded
    assert ("people of color", "race_discourse", "left") in coded
    assert ("pro-gun", "gun_policy", "right") in coded
    assert ("the left", "left_wing", "right") in coded
    assert ("free speech", "content_moderation", "right") in coded
    assert ("Democrat Party", "democratic_party", "right") in coded
    assert ("collusion narrative", "russia_probe", "right") in coded


def test_free_partisan_entries_joined_their_concepts():
    coded = _coded("In Congress, the woke crowd met the deep state and identity politics.")
    assert ("woke", "left_wing", "right") in coded
    assert ("deep state", "washington_establishment", "right") in coded
    assert ("identity politics", "race_discourse", "right") in coded


def test_voting_rights_act_is_a_name_not_a_label():
    m = _matches("The Supreme Court weakened the Voting Rights Act in 2013, Democrats said.")
    assert "voting rights" not in set(m["term"])


@pytest.mark.parametrize(
    "text",
    [
        "Turn on the left side of the road, the Senate guide says, and keep to the left lane.",
        "From the left of the stage, Biden waved to the crowd.",
    ],
)
def test_the_left_positional_uses_do_not_fire(text):
    assert "the left" not in set(_matches(text)["term"])


def test_gated_words_do_not_fire_off_topic():
    # price controls need a drug word in the sentence; censorship a platform, campus or speech
    # word in the paragraph
    off = _matches(
        "Nixon imposed price controls on wages in 1971, Congress recalled.\n\n"
        "Federal officials said military censorship of letters ended in 1945."
    )
    assert not {"price controls", "censorship"} & set(off["term"])
    on = _matches(
        "Drugmakers said the Medicare plan amounted to price controls on drugs.\n\n"
        "Conservatives said Twitter practised censorship of their posts."
    )
    assert {"price controls", "censorship"} <= set(on["term"])


def test_more_v3_labels_in_existing_concepts():
    coded = _coded(
        "Critics in Congress attacked the hard-line immigration policies of the White "
        "House. Republicans called the protesters an angry mob. Hard-line Republicans "
        "in the Senate objected."
    )
    assert ("hard-line immigration policies", "immigration_restrictionists", "left") in coded
    assert ("angry mob", "protests_2020", "right") in coded
    assert ("hardline conservatives", "right_wing", "left") in coded


def test_the_left_needs_a_us_politics_cue_in_the_document():
    text = "In the Bundestag debate the left wants higher pensions, the chancellor said."
    assert "the left" not in set(_matches(text)["term"])
    assert "the left" in set(_matches(text + " Senate Republicans watched.")["term"])
