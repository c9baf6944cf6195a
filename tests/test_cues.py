"""Context cues found in the matching pass (issue 18) decide exactly as matching them again.

``Matcher.find_with_cues`` finds the context cues of the gated entries with the lexicon terms
(extra keys of the same automaton), and ``CueHits.ungated_matches`` gives the matches of the
ungated entries alone from the candidates of that pass. Both must give what a separate matcher
of the cues, or of the ungated entries on the text around a dropped match, gives.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from framing.context import context_gate
from framing.lexicon import Entry, list_lexicons, load_lexicon
from framing.matcher import Matcher

ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "data" / "allsides" / "allsides.parquet"

GATED = """\
name: g
version: 1
context: {cues: [Gaza, West Bank, Hamas'], scope: sentence}
entries:
  - {term: looting, requires_context: true}
  - {term: looting spree}
  - {term: spree}
  - {term: martyr, requires_context: true, context_scope: document}
  - {term: martyrdom}
  - {term: regime, context: [Iran, Tehran], context_scope: paragraph}
  - {term: brutal}
"""

TEXTS = [
    "The looting spree in Gaza went on. Looting elsewhere, a spree.",
    "Looting in the West  Bank; the regime in Tehran.\n\nThe regime fell. A martyr's death.",
    "Hamas’ fighters: looting, martyrdom, the Gaza Strip. “Looting” was brutal.",
    "No cue here: looting spree, regime, martyr.",
    "Iran\n\nregime regime. looting — gaza.",
    "",
]


@cache
def _cue_matcher(cues: tuple[str, ...]) -> Matcher:
    return Matcher([Entry(term=c, lexicon="context") for c in cues])


def _cues_alone(cues: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in _cue_matcher(cues)(text)]


def _check(matcher: Matcher, texts: list[str]) -> int:
    """Compare every text; return how many gated matches were dropped (so the test is not
    vacuous)."""
    gate = context_gate(matcher.entries)
    dropped = 0
    for text in texts:
        starts, ends, idx, cues = matcher.find_with_cues(text)
        assert (starts, ends, idx) == matcher._find(text)
        if cues is not None:
            for cue_list in {e.context for e in matcher.entries if e.context}:
                got = list(zip(*(a.tolist() for a in cues.spans(cue_list)), strict=True))
                assert got == _cues_alone(cue_list, text)
        with_cues = gate.filter(text, starts, ends, idx, None, cues)
        again = gate.filter(text, starts, ends, idx, None)  # cues and refill matched again
        assert with_cues == again
        assert gate.check(text, starts, idx, None, cues) == gate.check(text, starts, idx)
        dropped += len(starts) - sum(k for k, _ in gate.check(text, starts, idx))
    return dropped


def test_cues_and_refill_from_the_matching_pass_equal_matching_again():
    matcher = Matcher(load_lexicon(GATED))
    assert _check(matcher, TEXTS) >= 4
    starts, ends, idx, _ = matcher.find_with_cues(TEXTS[0])
    kept = context_gate(matcher.entries).filter(TEXTS[0], starts, ends, idx)
    # "looting spree" kept (cue in its sentence); the second "Looting" dropped, "spree" refilled
    assert [TEXTS[0][s:e] for s, e in zip(kept[0], kept[1], strict=True)] == [
        "looting spree",
        "spree",
    ]


def test_a_matcher_without_gated_entries_has_no_cues():
    matcher = Matcher(load_lexicon("name: x\nversion: 1\nentries: [{term: a}]\n"))
    assert matcher.find_with_cues("a b a")[3] is None


@pytest.mark.skipif(not ALLSIDES.is_file(), reason="needs ../shared/data/allsides (shared data)")
def test_cues_and_refill_on_150_allsides_articles():
    import pandas as pd

    texts = [
        t
        for t in pd.read_parquet(ALLSIDES, columns=["text"])["text"].iloc[:150]
        if isinstance(t, str)
    ]
    matcher = Matcher(load_lexicon(list_lexicons(domain_first=True)))
    assert _check(matcher, texts) > 25
