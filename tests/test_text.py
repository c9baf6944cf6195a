"""The normalized matching view and its map back to original offsets (framing._text)."""

from __future__ import annotations

import pytest

from framing._text import is_word_char, normalize, normalize_term, to_original

CASES = [
    # text, needle in the normalized view, expected original surface
    ("The  Zionist regime\u2019s bullying", "zionist regime's", "Zionist regime\u2019s"),
    ("Stra\u00dfe\u00a0\u00a0of Hormuz", "strasse of hormuz", "Stra\u00dfe\u00a0\u00a0of Hormuz"),
    ("a \ufb01ne\u2013tuned\n\nplan", "fine-tuned plan", "\ufb01ne\u2013tuned\n\nplan"),
    ("\u0130stanbul\u2019s \u201cregime\u201d", '"regime"', "\u201cregime\u201d"),
    (
        "FOREIGN\u2014BACKED\tmilitancy",
        "foreign-backed militancy",
        "FOREIGN\u2014BACKED\tmilitancy",
    ),
    ("full\uff0dwidth \uff21\uff22\uff23", "abc", "\uff21\uff22\uff23"),
]


@pytest.mark.parametrize(("text", "needle", "surface"), CASES)
def test_spans_in_the_view_map_back_to_the_text_as_written(text, needle, surface):
    norm, src = normalize(text)
    start = norm.index(needle)
    orig_start, orig_end = to_original(src, start, start + len(needle))
    assert text[orig_start:orig_end] == surface


def test_ascii_text_without_whitespace_runs_takes_the_identity_map():
    norm, src = normalize("Israel and Hezbollah agreed.")
    assert norm == "israel and hezbollah agreed."
    assert src is None
    assert to_original(src, 0, 6) == (0, 6)


def test_map_has_one_entry_per_view_character_plus_the_end():
    text = "Gro\u00dfe  \u201cAngst\u201d\n\nvor\u00a0dem \ufb01nale"
    norm, src = normalize(text)
    assert norm == 'grosse "angst" vor dem finale'
    assert len(src) == len(norm) + 1
    assert src[-1] == len(text)
    assert list(src) == sorted(src)  # monotone: the view never reorders text


def test_casefold_false_keeps_case_but_normalizes_marks():
    norm, _ = normalize("Daesh\u2019s \u201cCaliphate\u201d", casefold=False)
    assert norm == 'Daesh\'s "Caliphate"'


def test_normalize_term_strips_and_collapses():
    assert normalize_term("  Foreign\u2013Backed   militancy ") == "foreign-backed militancy"
    assert normalize_term("Israel", casefold=False) == "Israel"


def test_word_characters():
    assert is_word_char("a") and is_word_char("\u00e9") and is_word_char("7") and is_word_char("_")
    assert not is_word_char("'") and not is_word_char("-") and not is_word_char(" ")


def test_characters_folding_to_several_map_back_to_themselves():
    text = "Wait\u2026  the \ufb01nal “Zionist  regime”\u2014no"
    norm, src = normalize(text)
    assert norm == 'wait... the final "zionist regime"-no'
    # the three dots all come from the one ellipsis character
    assert [int(src[i]) for i in range(4, 7)] == [4, 4, 4]
    start = norm.index("final")
    assert to_original(src, start, start + 5) == (text.index("\ufb01"), text.index("nal") + 3)
    start = norm.index("zionist regime")
    a, b = to_original(src, start, start + len("zionist regime"))
    assert text[a:b] == "Zionist  regime"
    assert len(src) == len(norm) + 1 and src[-1] == len(text)
