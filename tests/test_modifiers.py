"""framing.modifiers: quotation kinds, speakers, negation and distancing, on real sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import framing as fr
from framing.modifiers import (
    QUOTE_COLUMNS,
    classify_quotations,
    is_distanced,
    is_negated,
    match_modifiers,
    quotes_table,
)
from framing.segment import quote_spans, sentence_spans

GOLD = Path(__file__).resolve().parent / "data" / "modifiers_gold.jsonl"
HELDOUT = GOLD.with_name("modifiers_gold_heldout.jsonl")


def quotations(text):
    return classify_quotations(text, sentence_spans(text), quote_spans(text))


def one(text):
    found = [q for q in quotations(text) if q.kind == "speech"]
    assert len(found) == 1, found
    return found[0]


def negated(text, term):
    a = text.index(term)
    return is_negated(text, a, a + len(term), clause_end=len(text))


def distanced(text, term):
    return is_distanced(text, text.index(term))


# ---- speakers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        ('"We will rebuild every house," said Mayor Jane Ortiz.', "Mayor Jane Ortiz", "said"),
        ('"We will rebuild every house," Ortiz said on Tuesday.', "Ortiz", "said"),
        (
            '"The talks are over," the foreign minister told reporters.',
            "the foreign minister",
            "told",
        ),
        ('Ortiz told reporters: "We will rebuild every house."', "Ortiz", "told"),
        ('Gov. Alan Brooks: "The border stays open."', "Gov. Alan Brooks", ":"),
        (
            'According to the health ministry, "the clinics have no fuel left."',
            "the health ministry",
            "according to",
        ),
        (
            '"The clinics have no fuel left," according to the health ministry.',
            "the health ministry",
            "according to",
        ),
        ('"We will rebuild," Ortiz, the city\'s mayor, said.', "Ortiz", "said"),
        (
            'President Ahmadi said the sanctions were "economic terrorism against our people".',
            "President Ahmadi",
            "said",
        ),
        ('"It is over," officials said.', "officials", "said"),
        (
            '"Our quarterly results were poor," chief executive Laura Chen told analysts.',
            "Laura Chen",
            "told",
        ),
        (
            '"We are ready," former Speaker Newt Gingrich (R-Ga.) said Tuesday.',
            "Speaker Newt Gingrich",
            "said",
        ),
    ],
)
def test_speaker_patterns(text, speaker, cue):
    q = one(text)
    assert (q.speaker, q.cue) == (speaker, cue)
    assert text[q.speaker_start : q.speaker_end] == speaker


# attribution patterns added for issue 14's second pass (speaker share on real news)
@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        # possessives are part of the speaker, never the speaker itself
        (
            'Iran\'s foreign minister said the sanctions were "economic terrorism against us."',
            "Iran's foreign minister",
            "said",
        ),
        (
            '"We will not negotiate under threats," said Iran\'s foreign minister.',
            "Iran's foreign minister",
            "said",
        ),
        (
            '"We will not negotiate under threats," Iran\'s foreign minister said.',
            "Iran's foreign minister",
            "said",
        ),
        ('"The fees are fair," the bank\'s spokeswoman said.', "the bank's spokeswoman", "said"),
        (
            '"The deal is dead," said the company\'s chief executive.',
            "the company's chief executive",
            "said",
        ),
        # an appositive name beats the role before it; a name before a role stays
        (
            'The study\'s lead author, Professor Hannah Weiss, said: "We saw no side effects."',
            "Professor Hannah Weiss",
            "said",
        ),
        (
            'The senator\'s spokesman, Daniel Cho, said the bill was "dead on arrival."',
            "Daniel Cho",
            "said",
        ),
        ('Mayor Ortiz, the city\'s first female mayor, said: "We rebuild."', "Mayor Ortiz", "said"),
        # a cue before the colon names the speaker, not the last noun before it
        (
            'The Olympic champion posted on Instagram: "Not retiring. Not even close."',
            "The Olympic champion",
            "posted",
        ),
        (
            'The coach told reporters after the game: "We were robbed in the second half."',
            "The coach",
            "told",
        ),
        (
            'Branch contradicted the pastor, claiming: "The class is a study of world religions."',
            "Branch",
            "claiming",
        ),
        # more reporting verbs and their forms
        (
            'The elder set the record straight when he answered, "I have not troubled the town."',
            "he",
            "answered",
        ),
        (
            'The senator had written that "the tax is a burden on every family in the state."',
            "The senator",
            "written",
        ),
        (
            '"I have grown used to feeling unwelcome here," Dan Fishman whines.',
            "Dan Fishman",
            "whines",
        ),
        # role + name after the cue; lower-case name particles
        (
            "Iran's envoy welcomed the vote and called the measures \"economic terrorism by "
            'the West."',
            "Iran's envoy",
            "called",
        ),
        (
            '"The car basically blew up," said witness Kamren Hernandez.',
            "witness Kamren Hernandez",
            "said",
        ),
        (
            '"It was a mistake," said party spokesman Ali Reza on Monday.',
            "party spokesman Ali Reza",
            "said",
        ),
        (
            'The inquiry is "utter nonsense," former U.S. Attorney Joseph diGenova said.',
            "U.S. Attorney Joseph diGenova",
            "said",
        ),
        # a quotation that opens on its reporting verb
        (
            'Ms. Ford "said she does not remember how the gathering came together that night."',
            "Ms. Ford",
            "said",
        ),
        # in a statement / interview, X ...: the noun is the cue
        (
            'In a statement, Ellison thanked the lawyer for a "thorough, independent, and fair '
            'review."',
            "Ellison",
            "statement",
        ),
        (
            'He exclaimed, "Here the law says one thing, and you say another thing entirely."',
            "He",
            "exclaimed",
        ),
        (
            'To the victims, it sounds like he is saying, "Who do you think you are, asking me?"',
            "he",
            "saying",
        ),
        (
            'She resigned in 2017, citing "officials\' reluctance to cooperate with the commission."',
            "She",
            "citing",
        ),
        (
            'The senator reminded the lawyers that "the committee decides which witnesses to call."',
            "The senator",
            "reminded",
        ),
        # the possessor of a speech noun right before the quotation
        (
            'It is often forgotten that the pope\'s notorious comment "who am I to judge" was made '
            "on a plane.",
            "the pope",
            "comment",
        ),
        (
            'Mr. Lee\'s answer: "Nobody asked me about it, and nobody told me anything."',
            "Mr. Lee",
            "answer",
        ),
        # a cue word used as a noun after a possessive: the possessive is not the speaker
        (
            'Comey described Flynn\'s calls with the ambassador as "legit" in the meeting.',
            "Comey",
            "described",
        ),
        ('He said the CIA\'s reported assessment was "ridiculous" and moved on.', "He", "said"),
        # a passive with its agent
        (
            'The mayor was told by residents that "the road is a death trap for children."',
            "residents",
            "told",
        ),
        # a person of an organisation is the speaker, not the organisation
        (
            "Alex Bastian of the city prosecutor's office told reporters the verdict \"was not the "
            'one we hoped for."',
            "Alex Bastian",
            "told",
        ),
        # an epigraph's dash
        (
            '"No law can stand against the people." –William Blackstone, Commentaries',
            "William Blackstone",
            "—",
        ),
    ],
)
def test_more_speaker_patterns(text, speaker, cue):
    q = one(text)
    assert (q.speaker, q.cue) == (speaker, cue)
    assert text[q.speaker_start : q.speaker_end] == speaker


@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        (
            'She continued. "I worry about this country. I do not want them on juries."',
            "She",
            "continued",
        ),
        (
            'The minister added:\n"We will not back down from this, whatever happens."',
            "The minister",
            "added",
        ),
        (
            'The minister said the plan had failed. "It cannot pass now, not this year."',
            "The minister",
            "said",
        ),
    ],
)
def test_speaker_in_the_sentence_before(text, speaker, cue):
    q = one(text)
    assert (q.speaker, q.cue) == (speaker, cue)


@pytest.mark.parametrize(
    "text",
    [
        # hard negatives: nobody is named, or the noun before the colon is no speaker
        'The weather was bad all week. "We stayed in all day, every single day of it."',
        "Yesterday's paper recognized the mayor's triumph:\n\"Despite the fervor of her "
        'opponents, the vote was clear."',
        '"It rained all day, every day of the trip," said the.',
        # a passive: the subject is spoken to or about, not the speaker
        'It is said that "the walls have ears, and the ears have mouths."',
        'Officials were asked whether "the plan is dead, or only delayed by the rain."',
        # a cue word used as a noun after a possessive ("it's" is no possessive either)
        'It is expected to miss the Earth, but it\'s still labeled as "potentially hazardous," and '
        "watched.",
        'The prime minister was quoted as saying of the president, "Poor dear, he tries hard."',
        # a possessive phrase with a verb in it is no speaker
        'The minister\'s words were clear: "We will not back down from this, whatever happens."',
        'The plan was dead, and the vote was close. "Nobody wanted it, not even the sponsors."',
    ],
)
def test_no_speaker_hard_negatives(text):
    q = one(text)
    assert q.speaker is None, q


def test_closing_comma_is_not_speech_punctuation():
    # American style puts the sentence's comma inside the marks: still a scare quote
    text = 'The ministry praised its "security measures," and the curfew stayed.'
    assert [q.kind for q in quotations(text)] == ["scare"]
    # a whole sentence in quotation marks stays speech, and so does a cue in the sentence
    text = '"We lost the harvest," said Amina Yusuf. "The river took everything."'
    assert [q.kind for q in quotations(text)] == ["speech", "speech"]
    text = 'The demand is "utter nonsense," the former attorney said.'
    assert [q.kind for q in quotations(text)] == ["speech"]


def test_told_names_the_hearer_not_the_speaker():
    q = one('The lawyer told Reuters, "There is no missing server."')
    assert q.speaker == "The lawyer"


def test_pronoun_kept_and_resolved_to_the_nearest_named_person():
    text = 'Mayor Jane Ortiz spoke first. "The city will rebuild," she said.'
    q = one(text)
    assert (q.speaker, q.speaker_resolved) == ("she", "Mayor Jane Ortiz")
    # an organisation is not a person: "it" and "they" stay unresolved
    q = one('The Interior Ministry issued a note. "Roads are closed," it said.')
    assert (q.speaker, q.speaker_resolved) == ("it", None)


def test_adjacent_sentences_and_paragraphs_continue_a_speaker():
    text = (
        '"We lost the harvest," said Amina Yusuf. "The river took everything."\n\n'
        '"Now we wait for the aid trucks," she added.'
    )
    found = quotations(text)
    assert [q.speaker for q in found] == ["Amina Yusuf", "Amina Yusuf", "she"]
    assert found[2].speaker_resolved == "Amina Yusuf"
    # a quotation left open at a paragraph end takes the speaker of its continuation
    text = '"The first winter was the hardest.\n\n"The second was worse," Yusuf said.'
    assert [q.speaker for q in quotations(text)] == ["Yusuf", "Yusuf"]


def test_a_cue_later_in_the_sentence_and_a_new_paragraph():
    text = (
        '"Enough," Whitcombe said.\n\nDemocrats, led by Sen. Luis Arbeleda, called them '
        '"undocumented immigrants" and warned of "cruelty."'
    )
    assert [q.speaker for q in quotations(text)] == ["Whitcombe", "Democrats", "Democrats"]
    # a paragraph that does not open with the quotation starts a new context
    text = '"Enough," Whitcombe said.\n\nThe vote was close. "We will be back."'
    assert [q.speaker for q in quotations(text)] == ["Whitcombe", None]


def test_no_attribution_gives_no_speaker():
    q = one('The sign on the gate read nothing. "Keep out of the orchard at night."')
    assert q.speaker is None and q.speaker_start == -1


# ---- scare quotes and titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ('The so-called "freedom fighters" shelled the village.', "scare"),
        ('The company\'s "restructuring" meant four thousand layoffs.', "scare"),
        ('The lab\'s "breakthrough" could not be reproduced.', "scare"),
        # a reporting cue in the sentence makes a short quotation somebody's words
        ('The senator said the caravan was an "invasion" of the state.', "speech"),
        ('Critics slammed it, calling the plan "a regime of lies".', "speech"),
        # punctuation inside, or more than four words: quoted speech
        ('"Never," he said.', "speech"),
        ('They promised "a new era of peace for every family" to the voters.', "speech"),
        # titles of works
        ('The documentary "Nights of Fire" opens next week.', "title"),
        ('She wrote a book titled "The Silent Spring of Our Rivers" about the pollution.', "title"),
    ],
)
def test_quotation_kinds(text, kind):
    assert [q.kind for q in quotations(text)] == [kind]


def test_scare_quoted_match_is_author_voice_and_distanced():
    text = 'The so-called "freedom fighters" shelled the village.'
    a = text.index("freedom")
    mod = match_modifiers(
        text, [a], [a + 16], sentences=sentence_spans(text), quotations=quotations(text)
    )[0]
    assert (mod.voice, mod.negated, mod.distanced, mod.speaker) == ("author", False, True, None)


# ---- negation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term",
    [
        ("The raid was not a massacre.", "massacre"),
        ("There was no genocide in the province.", "genocide"),
        ("The battalion did not commit a massacre.", "massacre"),
        ("The plan is neither a tax cut nor a giveaway.", "tax cut"),
        ("The bank said it had no plans for a bailout.", "bailout"),
        ("The committee found no evidence of fraud.", "fraud"),
        ("The outage wasn't a cyberattack.", "cyberattack"),
        ("Residents said the massacre never happened.", "massacre"),
        # "between X and Y" is one noun phrase (gold-set fix)
        ("The study found no link between the drug and heart failure.", "heart failure"),
        ("Doctors at the clinic have not seen a single case of measles this year.", "measles"),
    ],
)
def test_negated(text, term):
    assert negated(text, term)


@pytest.mark.parametrize(
    "text, term",
    [  # the hard negatives of issue 14, and kin
        ("The army never stopped its brutal crackdown.", "crackdown"),
        ("Not only did they invade the border districts, they stayed.", "invade"),
        ("No one doubts that the occupation continues.", "occupation"),
        ("The government did not apologize for the massacre.", "massacre"),
        ("The minister did not hesitate to call it an insurrection.", "insurrection"),
        ("It was a massacre, not a battle.", "massacre"),
        ("The detective had never seen such brutality.", "brutality"),
        ("Nobody denies the genocide.", "genocide"),
        ("The bill offers nothing to the undocumented immigrants.", "undocumented immigrants"),
        # held-out fix: "never seen X like this / before" affirms X
        ('"We have never seen prices like this," said Tom Reilly.', "prices"),
        ("The nurses had never seen shortages before.", "shortages"),
        # "and" outside "between X and Y" still ends the clause
        ("No drug was tested and the outbreak spread.", "outbreak"),
    ],
)
def test_not_negated(text, term):
    assert not negated(text, term)


# ---- distancing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term",
    [
        ("The so-called freedom fighters shelled the village.", "freedom fighters"),
        ("The self-styled caliphate collapsed.", "caliphate"),
        ("The self-proclaimed republic held a referendum.", "republic"),
        ("What the ministry described as a rescue operation left 40 dead.", "rescue operation"),
        (
            "What Moscow calls a special military operation began in February.",
            "special military operation",
        ),
        ("Tehran calls the group a resistance movement.", "resistance movement"),
        ("Critics dubbed it a land grab.", "land grab"),
        ("The leader was hailed as a hero by the crowd.", "hero"),
        ("Police described the shooting as gang-related.", "gang-related"),
        # held-out fix: a reflexive object
        ("The start-up, which calls itself a disruptor of insurance, lost money.", "disruptor"),
        ("The group describes itself as a charity.", "charity"),
    ],
)
def test_distanced(text, term):
    assert distanced(text, term)


@pytest.mark.parametrize(
    "text, term",
    [
        ("The army called for an end to the occupation.", "occupation"),
        ("The report describes the massacre in detail.", "massacre"),
        ("The occupation of the valley entered its third year.", "occupation"),
    ],
)
def test_not_distanced(text, term):
    assert not distanced(text, term)


# ---- tables ----------------------------------------------------------------------------------------


def test_score_adds_modifier_columns_and_the_quotes_table():
    docs = pd.DataFrame(
        {
            "doc_id": ["a"],
            "text": [
                'The so-called "Zionist regime" said nothing. There was no Zionist regime here. '
                '"The Zionist regime will fall," said Gen. Hossein Karimi.'
            ],
        }
    )
    s = fr.score(docs, lexicons="mideast")
    m = s.matches[s.matches["term"] == "Zionist regime"]
    assert m["voice"].tolist() == ["author", "author", "quote"]
    assert m["distanced"].tolist() == [True, False, False]
    assert m["negated"].tolist() == [False, True, False]
    assert m["speaker"].isna().tolist() == [True, True, False]
    assert m["speaker"].iloc[2] == "Gen. Hossein Karimi"
    q = s.quotes
    assert list(q.columns) == list(QUOTE_COLUMNS)
    assert len(q) == 1 and q["text"].iloc[0] == '"The Zionist regime will fall,"'
    assert (q["speaker"].iloc[0], q["cue"].iloc[0]) == ("Gen. Hossein Karimi", "said")
    text = docs["text"].iloc[0]
    assert text[q["speaker_start"].iloc[0] : q["speaker_end"].iloc[0]] == "Gen. Hossein Karimi"
    # the default profile counts the one adopted use only; "all" counts both author uses
    adopted = fr.profile(s, by="outlet", level="term", n_boot=0)
    every = fr.profile(s, by="outlet", level="term", n_boot=0, modifiers="all")
    split = fr.profile(s, by="outlet", level="term", n_boot=0, modifiers="split")
    pick = lambda p: p[p["feature"] == "Zionist regime"].iloc[0]  # noqa: E731
    assert (pick(adopted)["count"], pick(every)["count"]) == (0, 2)
    assert tuple(pick(split)[["count", "negated", "distanced", "quoted"]]) == (0, 1, 1, 1)


def test_quotes_table_empty_and_numbered_per_document():
    empty = quotes_table([])
    assert list(empty.columns) == list(QUOTE_COLUMNS) and len(empty) == 0
    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ['"One," she said. "Two," she said.', '"Three," he said.']}
    )
    q = fr.score(docs, lexicons="mideast").quotes
    assert q["quote_id"].tolist() == [0, 1, 0] and q["doc_id"].tolist() == ["a", "a", "b"]


def test_profile_by_speaker_groups_quoted_speech():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": ["X", "Y"],
            "text": [
                '"The Zionist regime is finished," said Gen. Hossein Karimi. Israel rejected it.',
                '"Israel will defend itself," said Dana Levi. "The Zionist regime lies," said '
                "Gen. Hossein Karimi.",
            ],
        }
    )
    s = fr.score(docs, lexicons="mideast")
    tc = fr.term_choice(s, by="speaker", voice="quote", n_boot=0)
    got = tc[tc["term"] == "Zionist regime"].set_index("speaker")["count"].to_dict()
    assert got == {"Dana Levi": 0, "Gen. Hossein Karimi": 2}
    prof = fr.profile(s, by="speaker", voice="quote", level="term", n_boot=0)
    karimi = prof[
        (prof["speaker"] == "Gen. Hossein Karimi") & (prof["feature"] == "Zionist regime")
    ].iloc[0]
    assert karimi["count"] == 2 and karimi["exposure"] == 9  # 5 + 4 quoted words
    with pytest.raises(fr.errors.FramingError, match="voice='quote'"):
        fr.profile(s, by="speaker")


def test_gold_file_is_ours_and_large_enough():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80
    assert len({r["domain"] for r in rows}) >= 8
    for r in rows:
        assert r["term"] in r["text"] and r["voice"] in ("author", "quote")


def test_heldout_gold_file_is_ours_and_large_enough():
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 40
    assert len({r["domain"] for r in rows}) >= 8
    gold_texts = {
        json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()
    }
    for r in rows:
        assert r["term"] in r["text"] and r["voice"] in ("author", "quote")
        assert r["text"] not in gold_texts  # new sentences, not the tuning set's


def test_scores_written_before_modifiers_still_load(tmp_path):
    docs = pd.DataFrame({"doc_id": ["a"], "text": ['"The Zionist regime lies," he said.']})
    out = fr.score(docs, lexicons="mideast").save(tmp_path / "s", format="csv")
    (out / "quotes.csv").unlink()
    matches = pd.read_csv(out / "matches.csv")
    matches.drop(columns=["negated", "distanced", "speaker"]).to_csv(
        out / "matches.csv", index=False
    )
    back = fr.Scores.load(out)
    assert len(back.quotes) == 0 and list(back.quotes.columns) == list(QUOTE_COLUMNS)
    assert back.matches["negated"].tolist() == [False]
    assert back.matches["distanced"].dtype == bool
