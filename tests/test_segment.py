"""Tests for framing.segment: sentence spans, quote spans, the sentences table."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.errors import CorpusError
from framing.segment import (
    count_words,
    punkt_parameters,
    quote_spans,
    segment_text,
    sentence_spans,
    split_sentences,
)

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "segment_gold.jsonl"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_adfaecfff69a847c.txt"


def sents(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def quotes(text: str) -> list[str]:
    return [text[a:b] for a, b in quote_spans(text)]


def gold_records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def gold_boundaries(record: dict) -> set[int]:
    text, pos, ends = record["text"], 0, []
    for sent in record["sentences"]:
        i = text.index(sent, pos)
        pos = i + len(sent)
        ends.append(pos)
    return set(ends[:-1])


@pytest.fixture(scope="module")
def seed_body() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (shared data not next to the checkout)")
    raw = SEED.read_text(encoding="utf-8")
    header, sep, body = raw.partition(" - ")
    assert sep and "Islam Times" in header
    return body


# ------------------------------------------------------------------------------ gold set
def test_gold_set_is_large_and_consistent():
    records = gold_records()
    assert len(records) >= 60
    assert len({r["id"] for r in records}) == len(records)
    for rec in records:
        boundaries = gold_boundaries(rec)  # raises if a sentence is not in the text in order
        assert all(s == s.strip() and s for s in rec["sentences"])
        assert len(boundaries) == len(rec["sentences"]) - 1


def test_gold_set_boundary_f1():
    tp = fp = fn = 0
    misses = []
    for rec in gold_records():
        gold = gold_boundaries(rec)
        pred = {end for _, end in sentence_spans(rec["text"])[:-1]}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if gold != pred:
            misses.append(rec["id"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.98, f"boundary F1 {f1:.4f} (P={precision:.4f}, R={recall:.4f}); misses {misses}"


def test_gold_sentences_match_exactly_where_boundaries_match():
    rec = next(r for r in gold_records() if r["case"] == "titles")
    assert sents(rec["text"]) == rec["sentences"]


# ------------------------------------------------------------------------ abbreviations
@pytest.mark.parametrize(
    "text",
    [
        "Maj. Gen. Lena Ortiz arrived.",
        "Brig. Gen. Farid Rahimi arrived.",
        "Lt. Col. Sam Okafor arrived.",
        "Sgt. Maria Delgado arrived.",
        "Gov. Dana Whitfield arrived.",
        "Sen. Paul Amsel arrived.",
        "Rep. Joan Tierney arrived.",
        "Dr. Amira Haddad arrived.",
        "Prof. Kenji Mori arrived.",
        "Mr. Patel arrived.",
        "Mrs. Patel arrived.",
        "Ms. Patel arrived.",
        "The march reached St. Louis Street.",
        "The plan passed as No. 2417 yesterday.",
        "Halvorsen Shipping Inc. Chairman Ole Berg arrived.",
        "Brightwater Corp. Chief Executive Ana Lutz arrived.",
        "Meridian Co. Director Sam Ortiz arrived.",
        "Kestrel Ltd. Chairman Bo Li arrived.",
        "The Thomas Greer Jr. Memorial Park opened.",
        "The U.S. Army held drills.",
        "The U.K. Foreign Office objected.",
        "A U.N. Security Council vote failed.",
        "An E.U. Commission report followed.",
        "Officials in Washington, D.C. Mayor Lee spoke.",
        "The polls open at 7 a.m. Tuesday across the state.",
        "Results come after 11 p.m. Eastern time.",
        "The truce began Jan. 5 and ended Feb. 9.",
        "It began Aug. 1 and ended Sept. 14 last year.",
        "It lasted from Oct. 3 to Dec. 20 in all.",
        "The book by J. R. Hollis sold well.",
        "Former President John F. Kennedy visited.",
        "The economy grew 3.5 percent.",
        "The government approved $1.2 billion in aid.",
        "Some regions, e.g. The North, saw rain.",
        "The case Harmon vs. Ellis reached the court.",
        "She holds a Ph.D. Degree from Cairo.",
        "Springfield, Ill. Mayor Bo Reed spoke.",
        "“We are ready to … help,” he said.",
        "Turnout was 61 percent (up from 54 percent). yes",
    ],
)
def test_abbreviation_does_not_split(text):
    assert sents(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Most jets are built in the U.S. The rest come from Italy.",
            ["Most jets are built in the U.S.", "The rest come from Italy."],
        ),
        (
            "Turnout was strong by 10 a.m. The lines were long.",
            ["Turnout was strong by 10 a.m.", "The lines were long."],
        ),
        (
            "The vote was set for 5 p.m. It was postponed.",
            ["The vote was set for 5 p.m.", "It was postponed."],
        ),
        (
            "The deal went to Halvorsen Shipping Inc. The firm will hire.",
            ["The deal went to Halvorsen Shipping Inc.", "The firm will hire."],
        ),
        (
            "The award went to Marcus Ellison Jr. He thanked his coach.",
            ["The award went to Marcus Ellison Jr.", "He thanked his coach."],
        ),
        ("They fell back on Plan B. It failed.", ["They fell back on Plan B.", "It failed."]),
        (
            "Two hostages fell ill. Doctors treated them.",
            ["Two hostages fell ill.", "Doctors treated them."],
        ),
        ("Asked again, he said no. He left.", ["Asked again, he said no.", "He left."]),
        (
            "He said he had nothing to add… Then he left.",
            ["He said he had nothing to add…", "Then he left."],
        ),
        (
            "The list went on... By midnight nobody listened.",
            ["The list went on...", "By midnight nobody listened."],
        ),
        (
            "Can it survive? Few think so! Nobody knows.",
            ["Can it survive?", "Few think so!", "Nobody knows."],
        ),
        (
            "Growth was 2.9 percent. 23 others agreed.",
            ["Growth was 2.9 percent.", "23 others agreed."],
        ),
    ],
)
def test_boundaries_after_abbreviations_and_punctuation(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("close", ['"', "”"])
def test_final_punctuation_inside_closing_quote(close):
    open_ = '"' if close == '"' else "“"
    text = f"The mayor called it {open_}a betrayal.{close} The council voted."
    assert sents(text) == [f"The mayor called it {open_}a betrayal.{close}", "The council voted."]
    text = f"{open_}Who pays?{close} asked a resident. Nobody answered."
    assert sents(text) == [f"{open_}Who pays?{close} asked a resident.", "Nobody answered."]


def test_period_after_closing_quote_and_parentheses():
    text = 'He called it "a step". Others disagreed. (The claim was not verified.) Police left.'
    assert sents(text) == [
        'He called it "a step".',
        "Others disagreed.",
        "(The claim was not verified.)",
        "Police left.",
    ]


def test_glued_sentences_are_split():
    assert sents("Stops are planned in the coming weeks.Ortega will travel.") == [
        "Stops are planned in the coming weeks.",
        "Ortega will travel.",
    ]
    # an even number of straight quotes before: the quote opens the next sentence
    assert sents('He said so."Shame on you," she wrote.') == [
        "He said so.",
        '"Shame on you," she wrote.',
    ]
    # an odd number: it closes this one
    assert sents('He called it "a disaster."The vote is Monday.') == [
        'He called it "a disaster."',
        "The vote is Monday.",
    ]
    assert sents("It was close.“I hope it holds,” he said.") == [
        "It was close.",
        "“I hope it holds,” he said.",
    ]
    for text in [
        "Write to Desk.Reports@example.org now.",
        "See www.Example.org today.",
        "The U.S.Army moved.",
        "He met Gen.Smith there.",
    ]:
        assert sents(text) == [text]


def test_paragraph_break_always_ends_a_sentence():
    text = (
        "Rebels seize border town\n\n  Gunmen took the town, residents said\n \nThe army regrouped"
    )
    assert sents(text) == [
        "Rebels seize border town",
        "Gunmen took the town, residents said",
        "The army regrouped",
    ]
    # even after an abbreviation that otherwise never ends a sentence
    assert sents("They met Gen.\n\nIbrahim later.") == ["They met Gen.", "Ibrahim later."]


def test_single_newline_after_headline_like_line():
    text = "Storm cuts power\nMore than 40,000 homes were dark.\nBy Hana Kowalski\nCrews worked."
    assert sents(text) == [
        "Storm cuts power",
        "More than 40,000 homes were dark.",
        "By Hana Kowalski",
        "Crews worked.",
    ]
    assert sents("The minister said that the talks,\nwhich began Monday, failed.") == [
        "The minister said that the talks,\nwhich began Monday, failed."
    ]


def test_hard_wrapped_text_treats_single_newlines_as_spaces():
    text = (
        "The minister met the envoy of\nthe United Nations in the capital on\n"
        "Tuesday and discussed the\nPresident Assad question and\nother matters.\nThey parted."
    )
    assert sents(text) == [
        "The minister met the envoy of\nthe United Nations in the capital on\n"
        "Tuesday and discussed the\nPresident Assad question and\nother matters.",
        "They parted.",
    ]


def test_empty_and_whitespace_texts():
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n\t ") == []
    assert sentence_spans("  One.  ") == [(2, 6)]
    assert quote_spans("") == []


def test_non_string_is_refused():
    with pytest.raises(TypeError, match="split_sentences"):
        sentence_spans(["a list"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties
def _check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    prev_end = 0
    for a, b in spans:
        assert 0 <= prev_end <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        assert text[prev_end:a].strip() == ""  # everything between spans is whitespace
        prev_end = b
    assert text[prev_end:].strip() == ""


def test_spans_properties_on_gold_and_random_text():
    for rec in gold_records():
        _check_spans(rec["text"], sentence_spans(rec["text"]))
    rng = random.Random(7)
    alphabet = list("abc XYZ.?!…\"“”‘’'()\n\t  19$,") + ["Mr.", "U.S.", "\n\n", "a.m.", "Gen."]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        _check_spans(text, sentence_spans(text))
        q = quote_spans(text)
        assert q == sorted(q)
        assert all(a < b <= c for (a, b), (c, _) in zip(q, q[1:], strict=False))
        assert all(0 <= a < b <= len(text) for a, b in q)


# --------------------------------------------------------------------------------- seed
def test_seed_sentences_stay_whole(seed_body):
    out = sents(seed_body)
    first = next(s for s in out if s.startswith("Brig. Gen. Ashtiani said"))
    assert first.endswith("in the post-conflict era.")
    assert "Gen. Ibrahim on Wednesday that Tehran is ready" in first
    second = next(s for s in out if s.startswith("General Ibrahim also met Maj. Gen. Baqeri"))
    assert second.endswith("alongside the Arab country.")
    assert len(out) == 27
    _check_spans(seed_body, sentence_spans(seed_body))


def test_seed_quotes(seed_body):
    found = quotes(seed_body)
    assert any(
        q.startswith("“I assure you") and q.endswith("the fight against terrorism,”") for q in found
    )
    assert '"the important anti-Zionist resistance axis"' in found
    assert not any("Tehran is ready to assist Syria" in q for q in found)
    # opened with a curly mark and closed with a straight one
    assert any(q.startswith("“The regional countries’") and q.endswith('regime."') for q in found)
    assert len(found) == 7


# ------------------------------------------------------------------------------- quotes
def test_quote_kinds():
    text = 'He said "we agree," then “we will sign.” It was ‘a first step’, she said.'
    assert quotes(text) == ['"we agree,"', "“we will sign.”", "‘a first step’"]


def test_apostrophes_are_not_quotes():
    text = "Syria’s envoy met the people’s council in the ’90s-style hall with rock ’n’ roll."
    assert quote_spans(text) == []
    assert quote_spans("The ‘90s were hard for Syria’s farmers.") == []
    assert quote_spans("Don't worry, it's the Joneses' car.") == []


def test_straight_single_quotes_when_clearly_quotation():
    text = "The headline read 'Peace at last' on Monday, but it's early."
    assert quotes(text) == ["'Peace at last'"]


def test_doubled_single_marks_are_double_quotes():
    text = "It is over,’’ Ruiz said. ‘‘We won,’’ she said."
    assert quotes(text) == ["‘‘We won,’’"]


def test_nested_quote_is_part_of_the_outer_span():
    text = "“He told me ‘never again’ and left,” she said."
    assert quotes(text) == ["“He told me ‘never again’ and left,”"]


def test_unclosed_and_multi_paragraph_quotes():
    text = "“We will fight.\n\n“We will win,” he said.\n\nNobody doubted him."
    assert quotes(text) == ["“We will fight.", "“We will win,”"]
    text = "“We will fight.\n\n“We will win.  \n\nNobody doubted him."
    assert quotes(text) == ["“We will fight.", "“We will win."]
    text = '"Stop the war," he said, "before it is too late.\n\nThe end.'
    assert quotes(text) == ['"Stop the war,"', '"before it is too late.']


def test_segment_text_and_count_words():
    text = "“We won,” he said. Syria’s well-known envoy agreed."
    s, q = segment_text(text)
    assert s == sentence_spans(text) and q == quote_spans(text)
    assert [text[a:b] for a, b in q] == ["“We won,”"]
    assert count_words("Syria’s well-known envoy") == 3
    assert count_words("U.S.-backed rock ’n’ roll") == 6
    assert count_words("") == 0


def test_punkt_parameters_object():
    params = punkt_parameters()
    for abbrev in ("gen", "brig", "maj", "lt", "col", "u.s", "a.m", "sept", "inc", "jr"):
        assert abbrev in params.abbrev_types
    assert "the" in params.sent_starters
    assert params.ortho_context["the"] & 2


# ------------------------------------------------------------------------- split_sentences
def test_split_sentences_table():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "outlet": ["X", "Y", "Z", "W"],
            "text": [
                "Mr. Li spoke. “We are ready,” he said.",
                "",
                None,
                'Plain text. "All quoted."',
            ],
        }
    )
    out = split_sentences(docs)
    assert list(out.columns) == [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "text",
        "n_words",
        "quote_share",
    ]
    assert out["doc_id"].tolist() == ["a", "a", "d", "d"]
    assert out["sent_id"].tolist() == [0, 1, 0, 1]
    for col in ("sent_id", "start", "end", "n_words"):
        assert out[col].dtype == np.int64
    assert out["quote_share"].dtype == np.float64
    assert out["text"].tolist() == [
        "Mr. Li spoke.",
        "“We are ready,” he said.",
        "Plain text.",
        '"All quoted."',
    ]
    assert out["n_words"].tolist() == [3, 5, 2, 2]
    # "“We are ready,”" is 15 of the 24 characters of the second sentence
    assert out["quote_share"].tolist() == pytest.approx([0.0, 15 / 24, 0.0, 1.0])
    text = docs["text"][0]
    for row in out[out.doc_id == "a"].itertuples():
        assert text[row.start : row.end] == row.text


def test_split_sentences_matches_per_text_functions_on_seed(seed_body):
    docs = pd.DataFrame({"doc_id": ["seed", "again"], "text": [seed_body, seed_body[:500]]})
    out = split_sentences(docs, progress=False)
    seed_rows = out[out.doc_id == "seed"]
    assert list(zip(seed_rows.start, seed_rows.end, strict=True)) == sentence_spans(seed_body)
    q = quote_spans(seed_body)
    for row in seed_rows.itertuples():
        inside = sum(max(0, min(row.end, b) - max(row.start, a)) for a, b in q)
        assert row.quote_share == pytest.approx(inside / (row.end - row.start))
    assert (seed_rows.quote_share > 0).sum() >= 6


def test_split_sentences_empty_and_bad_input():
    empty = split_sentences(pd.DataFrame({"doc_id": ["x"], "text": [""]}))
    assert len(empty) == 0
    assert list(empty.columns)[:2] == ["doc_id", "sent_id"]
    with pytest.raises(CorpusError, match="sentence_spans"):
        split_sentences("Some text.")  # type: ignore[arg-type]
    with pytest.raises(CorpusError, match=r"\['text'\]"):
        split_sentences(pd.DataFrame({"doc_id": ["x"], "body": ["Hi."]}))
    with pytest.raises(CorpusError, match=r"\['doc_id', 'text'\]"):
        split_sentences(pd.DataFrame({"content": ["Hi."]}))
    with pytest.raises(CorpusError, match="DataFrame"):
        split_sentences(["Some text."])  # type: ignore[arg-type]


# ---- linear time on punctuation runs and glued quotes (issue 20) ---------------------------


@pytest.fixture
def deadline():
    """Fail (instead of hanging) when a call takes more than 30 s: the quadratic code took
    114 s on 100k dots and 87 s on 3 MB of glued quotes; the linear one takes well under 1 s."""
    import signal

    def expired(signum, frame):
        raise AssertionError("segmentation took more than 30 s: quadratic time again?")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_long_runs_of_final_punctuation_without_a_space_are_one_candidate(deadline):
    dots = "x" + "." * 100_000
    assert sentence_spans(dots) == [(0, 100_001)]
    shouts = "Why" + "?!" * 50_000 + " Next one."
    assert sentence_spans(shouts) == [(0, 100_003), (100_004, 100_013)]
    mixed = ("." * 30_000 + '"' + "?" * 30_000 + ")") * 2 + " And then."
    assert sentence_spans(mixed) == [(0, 120_004), (120_005, 120_014)]
    assert quote_spans(dots) == [] and quote_spans(shouts) == []
    assert sentence_spans("x" + '."' * 50_000) == [(0, 100_001)]
    assert sentence_spans("x." + '"' * 100_000 + "y") == [(0, 100_003)]
    runs = "x" + ("." * 25 + '"' * 25) * 2000 + " Next."
    assert sentence_spans(runs) == [(0, 100_001), (100_002, 100_007)]
    closers = "It ended." + '"' * 30 + " Then more."  # a final mark 30 closing marks back
    assert sentence_spans(closers) == [(0, 39), (40, 50)]


def test_a_megabyte_of_sentences_glued_to_quotes_on_one_line(deadline):
    unit = 'Officials said."The vote was held." '
    k = 1_000_000 // len(unit) + 1
    text = unit * k
    spans = sentence_spans(text)
    assert len(text) > 1_000_000 and len(spans) == 2 * k
    n = len(unit)
    expected = []
    for i in range(k):
        expected += [(i * n, i * n + 15), (i * n + 15, i * n + 35)]
    assert spans == expected
    assert text[spans[-1][0] : spans[-1][1]] == '"The vote was held."'
    opened = 'He said: "It passed."Next week they vote.' * 30_000
    spans = sentence_spans(opened)
    assert len(spans) == 60_000
    assert opened[spans[2][0] : spans[2][1]] == 'He said: "It passed."'
    quotes = quote_spans(opened)
    assert len(quotes) == 30_000 and opened[quotes[1][0] : quotes[1][1]] == '"It passed."'
