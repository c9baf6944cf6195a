"""Tests of the compiled matcher: forms, boundaries, overlaps, case, context, offsets."""

from __future__ import annotations

import pickle

import pytest

from framing.errors import FramingError
from framing.lexicon import Entry
from framing.matcher import Match, Matcher, term_forms


def E(term: str, **kw) -> Entry:
    kw.setdefault("lexicon", "test")
    for key in ("variants", "not_before", "not_after"):
        if key in kw:
            kw[key] = tuple(kw[key])
    return Entry(term=term, **kw)


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """(surface, canonical term) of every match; checks the offsets on the way."""
    out = []
    for m in matcher(text):
        assert isinstance(m, Match)
        assert 0 <= m.start < m.end <= len(text)
        out.append((text[m.start : m.end], m.entry.term))
    return out


MIDEAST = [
    E("Zionist regime", variants=["Zionist entity"], lexicon="mideast", weight=2),
    E("foreign-backed militancy", lexicon="mideast", weight=2),
    E("democratically elected government", lexicon="mideast", weight=1),
    E("Israel", lexicon="mideast", weight=0),
    E("US", lexicon="mideast", case_sensitive=True, weight=0),
]
LOADED = [
    E("regime", lexicon="loaded", weight=1),
    E("militancy", lexicon="loaded", weight=1),
    E("militia", lexicon="loaded", weight=1),
    E("party", lexicon="loaded", weight=1),
    E("martyred", lexicon="loaded", weight=2),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(MIDEAST + LOADED)


# ---- forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "plural"),
    [
        ("regime", "regimes"),
        ("militia", "militias"),
        ("militancy", "militancies"),
        ("party", "parties"),
        ("day", "days"),
        ("box", "boxes"),
        ("crisis", "crises"),
        ("Zionist regime", "zionist regimes"),
    ],
)
def test_plural_forms(term, plural):
    assert plural in term_forms(term)


def test_no_plural_for_words_ending_in_s_and_acronyms_keep_case():
    assert term_forms("Hamas") == ["hamas", "hamas's", "hamas'"]
    assert term_forms("US", casefold=False) == ["US", "US's", "US'"]
    assert term_forms("IDF", casefold=False)[:2] == ["IDF", "IDFs"]
    assert term_forms("   ") == []


def test_plurals_and_possessives_match(matcher):
    text = "Regimes fell; the regime's army, the regimes' allies, militias and parties."
    assert found(matcher, text) == [
        ("Regimes", "regime"),
        ("regime's", "regime"),
        ("regimes'", "regime"),
        ("militias", "militia"),
        ("parties", "party"),
    ]


def test_curly_apostrophe_possessive(matcher):
    text = "The Zionist regime\u2019s bullying and the regime\u02bcs lies"
    assert found(matcher, text) == [
        ("Zionist regime\u2019s", "Zionist regime"),
        ("regime\u02bcs", "regime"),
    ]


def test_militancies_plural_of_multiword_term(matcher):
    assert found(matcher, "foreign-backed militancies") == [
        ("foreign-backed militancies", "foreign-backed militancy")
    ]


# ---- boundaries and overlaps --------------------------------------------------------------------


def test_longest_match_wins(matcher):
    # one match for "Zionist regime", not also "regime"
    assert found(matcher, "the Zionist regime and the regime") == [
        ("Zionist regime", "Zionist regime"),
        ("regime", "regime"),
    ]


def test_word_boundaries(matcher):
    assert found(matcher, "regimented partying Israelis martyrdom unmartyred") == []
    assert found(matcher, "(regime)") == [("regime", "regime")]
    assert found(matcher, "_regime") == []  # underscore is a word character
    assert found(matcher, "regime2") == []
    assert found(matcher, "regime-backed") == [("regime", "regime")]  # hyphen is a boundary


@pytest.mark.parametrize(
    "text",
    [
        "foreign-backed militancy",
        "foreign backed militancy",
        "foreign\u2013backed militancy",  # en dash
        "foreign\u2014backed militancy",  # em dash
        "foreign\u2011backed\u00a0militancy",  # non-breaking hyphen and space
        "Foreign-Backed   Militancy",
        "foreign-backed\nmilitancy",
    ],
)
def test_hyphen_dash_space_variants(matcher, text):
    assert found(matcher, text) == [(text, "foreign-backed militancy")]


def test_space_in_term_also_matches_hyphen(matcher):
    text = "a democratically-elected government"
    assert found(matcher, text) == [
        ("democratically-elected government", "democratically elected government")
    ]


def test_other_punctuation_is_not_a_separator(matcher):
    assert found(matcher, "Zionist,regime Zionist/regime zionist.regime") == [
        ("regime", "regime"),
        ("regime", "regime"),
        ("regime", "regime"),
    ]


def test_hyphen_does_not_match_nothing(matcher):
    assert found(matcher, "foreignbacked militancy") == [("militancy", "militancy")]


def test_overlap_tie_goes_to_earlier_lexicon():
    first = E("regime", lexicon="a", category="first")
    second = E("regime", lexicon="b", category="second")
    assert Matcher([first, second])("the regime")[0].entry.category == "first"
    assert Matcher([second, first])("the regime")[0].entry.category == "second"


def test_chain_of_overlaps_longest_in_the_middle():
    m = Matcher([E("a b"), E("b c d"), E("d e")])
    assert found(m, "a b c d e") == [("b c d", "b c d")]


def test_shorter_match_survives_when_longer_key_fails_its_boundary():
    m = Matcher([E("great satan"), E("great")])
    assert found(m, "a great satanic plot") == [("great", "great")]
    assert found(m, "the Great Satan") == [("Great Satan", "great satan")]


# ---- case and context -----------------------------------------------------------------------------


def test_case_sensitive_entry(matcher):
    assert found(matcher, "the US said, let us go; U.S. no; Us no") == [("US", "US")]


def test_case_sensitive_override():
    entries = [E("Israel"), E("US", case_sensitive=True)]
    assert found(Matcher(entries, case_sensitive=False), "us and israel") == [
        ("us", "US"),
        ("israel", "Israel"),
    ]
    assert found(Matcher(entries, case_sensitive=True), "us and israel and Israel") == [
        ("Israel", "Israel")
    ]
    with pytest.raises(FramingError, match="case_sensitive"):
        Matcher(entries, case_sensitive="yes")


def test_case_sensitive_variant_as_written():
    m = Matcher([E("Daesh", variants=["ISIS"], case_sensitive=True)])
    assert found(m, "DAESH, Daesh, isis, ISIS") == [("Daesh", "Daesh"), ("ISIS", "Daesh")]


def test_not_before_and_not_after():
    m = Matcher(
        [
            E("regime", not_before=["change"], not_after=["ancien", "old"]),
            E("martyred"),
        ]
    )
    assert found(m, "regime change") == []
    assert found(m, "regime-change") == []
    assert found(m, "regime changes") == [("regime", "regime")]  # boundary after the word
    assert found(m, "the ancien regime") == []
    assert found(m, "the Old Regime") == []
    assert found(m, "the bold regime") == [("regime", "regime")]
    assert found(m, "regime, change") == [("regime", "regime")]


def test_excluded_longer_candidate_lets_shorter_one_win():
    m = Matcher([E("Zionist regime", not_before=["apologists"]), E("regime")])
    assert found(m, "Zionist regime apologists") == [("regime", "regime")]


# ---- offsets through normalization ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("\ufb01ne Zionist regime here", "Zionist regime"),  # ligature expands under NFKC
        ("Stra\u00dfe: Zionist regime!", "Zionist regime"),  # ß -> ss changes length
        ("x\u00a0\u00a0 Zionist \u00a0 regime", "Zionist \u00a0 regime"),
        ("a\n\n\nZionist\n\t regime.", "Zionist\n\t regime"),
        ("\u00c9l\u00e8ve \u2026 ZIONIST REGIME\u2019S", "ZIONIST REGIME\u2019S"),
        ("\uff3aionist regime", "\uff3aionist regime"),  # full-width Z
    ],
)
def test_offsets_map_back_through_normalization(matcher, text, surface):
    (m,) = matcher(text)
    assert text[m.start : m.end] == surface
    assert m.entry.term == "Zionist regime"


def test_matches_sorted_and_disjoint(matcher):
    text = "Israel, the Zionist regime, Zionist entity; martyred. " * 50
    ms = matcher(text)
    assert len(ms) == 200
    for a, b in zip(ms, ms[1:], strict=False):
        assert a.end <= b.start


# ---- protocol ------------------------------------------------------------------------------------


def test_len_contains_repr(matcher):
    assert len(matcher) == len(MIDEAST) + len(LOADED)
    assert "Zionist regime" in matcher
    assert "zionist  regimes" in matcher
    assert "Zionist entity" in matcher
    assert "regimented" not in matcher
    assert "the regime" not in matcher  # only the whole text counts
    assert 3 not in matcher
    assert "entries" in repr(matcher) and "\n" not in repr(matcher)


def test_empty_text_and_empty_matcher():
    assert Matcher([E("regime")])("") == []
    assert Matcher([E("   ")])("some regime") == []


def test_refuses_non_text(matcher):
    with pytest.raises(FramingError, match="one text"):
        matcher(["a", "b"])
    with pytest.raises(FramingError, match="list of texts"):
        matcher.find_all("a text")
    assert [len(x) for x in matcher.find_all(["regime", "none", "Israel regime"])] == [1, 0, 2]


def test_bad_lexicon_argument():
    with pytest.raises(FramingError, match="lexicon"):
        Matcher(42)


def test_pickle_roundtrip(matcher):
    clone = pickle.loads(pickle.dumps(matcher))
    text = "The Zionist regime\u2019s foreign backed militancy, the US"
    assert clone(text) == matcher(text)
    assert len(clone) == len(matcher)


# ---- prefix wildcards -----------------------------------------------------------------------


def surfaces(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.term) for m in matcher(text)]


def test_prefix_wildcard_matches_words_starting_with_the_prefix_to_their_end():
    m = Matcher([E("terror*")])
    text = "Terrorists, terror and anti-terrorism; not counterterrorism. A terrorist's plan"
    assert surfaces(m, text) == [
        ("Terrorists", "terror*"),
        ("terror", "terror*"),
        ("terrorism", "terror*"),
        ("terrorist", "terror*"),
    ]
    assert [(x.start, x.end) for x in m(text)] == [(0, 10), (12, 18), (28, 37), (63, 72)]
    assert surfaces(m, "terro terr") == []
    assert term_forms("terror*") == ["terror*"]


def test_multiword_prefix_wildcard_with_separators_and_offsets_after_normalization():
    m = Matcher([E("illegal alien*")])
    text = "The illegal\u2013Aliens and  illegal   alien, illegal alienation, not illegal aliment"
    found = [(text[x.start : x.end], x.start, x.end) for x in m(text)]
    assert found == [
        ("illegal\u2013Aliens", 4, 18),
        ("illegal   alien", 24, 39),
        ("illegal alienation", 41, 59),
    ]


def test_wildcard_longest_match_and_priority_with_exact_terms():
    m = Matcher([E("terrorism"), E("terror*"), E("war on terror")])
    text = "the war on terrorism and terrorism and the war on terror"
    assert surfaces(m, text) == [
        ("terrorism", "terrorism"),
        ("terrorism", "terrorism"),
        ("war on terror", "war on terror"),
    ]


def test_case_sensitive_wildcard_and_context_exclusions():
    m = Matcher([E("Hama*", case_sensitive=True), E("regim*", not_before=["change"])])
    text = "Hamas, hamas, Hamastan; regimes, regime change, regimented"
    assert surfaces(m, text) == [
        ("Hamas", "Hama*"),
        ("Hamastan", "Hama*"),
        ("regimes", "regim*"),
        ("regimented", "regim*"),
    ]


@pytest.mark.parametrize("term", ["*ism", "terr*r", "ex-*", "*", "terror**", "war *"])
def test_misplaced_wildcards_are_refused_with_the_fix(term):
    from framing.errors import LexiconError
    from framing.matcher import wildcard_problem

    problem = wildcard_problem(term)
    assert problem is not None and "'*'" in problem and repr(term) in problem
    with pytest.raises(LexiconError, match="prefix wildcard|must follow a letter"):
        Matcher([E(term)])
    assert wildcard_problem("terror*") is None and wildcard_problem("plain") is None
