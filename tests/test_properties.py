"""Property-based tests (hypothesis): invariants that must hold for any text.

The CI profile ("ci", the default here) runs a few hundred examples per property with short
texts (segmentation of very long punctuation runs is the subject of another issue);
``benchmarks/fuzz.py`` loads the "fuzz" profile and runs 10,000 per property. Every property
counts the examples it checked in ``COUNTS`` so that the fuzz script can print them.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter

import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the dev extra")
from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import framing as fr  # noqa: E402
from framing._text import normalize_term  # noqa: E402
from framing.lexicon import Entry, Lexicon  # noqa: E402
from framing.matcher import Matcher, term_forms  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FRAMING_FUZZ_EXAMPLES", "10000")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("FRAMING_HYPOTHESIS_PROFILE", "ci"))

#: examples checked per property (printed by benchmarks/fuzz.py)
COUNTS: Counter = Counter()
#: longest generated text in the CI profile (see the module docstring)
MAX_CHARS = int(os.environ.get("FRAMING_FUZZ_MAX_CHARS", "300"))

# characters that exercise normalization, boundaries, segmentation and quoting
TRICKY = list(
    "İıΐǰßẞﬁﬀ½²ⅷ\u0301\u0307\u0308\u200b\u200d\u00a0\u2028\u3000\t\r\n"
    "\"'“”‘’«»„‹›`´—–-‐.?!…;:,()[]/\\#*_$%&@"
) + ["Mr.", "U.S.", "a.m.", "No.", "Dr.", "etc.", "\r\n", "\n\n", '."', '?"', '."The']
TERMS = [
    "regime",
    "Zionist regime",
    "foreign-backed militancy",
    "IDF",
    "so-called",
    "café",
    "straße",
    "martyr",
    "bully",
]
LEXICON = Lexicon(
    "props",
    entries=[
        Entry("regime", variants=("régime",)),
        Entry("Zionist regime"),
        Entry("foreign-backed militancy"),
        Entry("IDF", case_sensitive=True),
        Entry("café"),
        Entry("straße"),
        Entry("martyr", variants=("shahid",)),
        Entry("bully"),
    ],
)
MATCHER = Matcher(LEXICON)

GLUE = ["İ", "\u0301", "\u0307", "ǰ", "ΐ", "½", "ﬁ", "ß", "2", "_", "é"]
glued = st.tuples(st.sampled_from(GLUE), st.sampled_from(TERMS), st.booleans()).map(
    lambda g: g[0] + g[1] if g[2] else g[1] + g[0]
)  # a term glued to a letter-like character
piece = st.one_of(
    glued,
    st.sampled_from(TRICKY),
    st.sampled_from(TERMS).map(lambda t: t),
    st.sampled_from(TERMS).map(str.upper),
    st.sampled_from([" ", " ", ". ", ", ", "\n"]),
    st.text(max_size=8),
)
texts = st.lists(piece, max_size=40).map("".join).map(lambda s: s[:MAX_CHARS])
any_unicode = st.text(alphabet=st.characters(exclude_categories=[]), max_size=MAX_CHARS)


def _words(s: str) -> list[str]:
    """The words of ``s`` as the matcher sees them (letters, digits, _ and combining marks)."""
    return "".join(
        c if (c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")) else " "
        for c in s
    ).split()


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_" or unicodedata.category(c).startswith("M")


FORM_WORDS = {
    id(e): [_words(f) for t in (e.term, *e.variants) for f in term_forms(t)]
    for e in LEXICON.entries
}


@given(texts)
def test_sentence_spans_are_sorted_trimmed_and_cover_the_text(text):
    COUNTS["sentence spans"] += 1
    spans = fr.sentence_spans(text)
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text)
        piece = text[a:b]
        assert piece == piece.strip()
        assert text[pos:a].strip() == ""  # nothing but whitespace between sentences
        pos = b
    assert text[pos:].strip() == ""


@given(texts)
def test_quote_spans_are_sorted_and_start_with_a_quote_mark(text):
    COUNTS["quote spans"] += 1
    spans = fr.quote_spans(text)
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text)
        assert text[a] in "\"'“”‘’«»„`´"
        assert not text[b - 1].isspace()
        pos = b


@given(texts)
@example("İregime now")  # case folding: İ -> i + U+0307 (a combining mark)
@example("the regime\u0301 and ΐregime, ǰregime")
def test_matcher_offsets_give_the_surface_as_normalized(text):
    COUNTS["matcher offsets"] += 1
    prev = 0
    for m in MATCHER(text):
        s, e = m.start, m.end
        assert prev <= s < e <= len(text)
        prev = e
        # a match starts and ends at word boundaries of the text as written
        assert s == 0 or not _is_word(text[s - 1]), (text, s, e)
        assert e == len(text) or not _is_word(text[e]), (text, s, e)
        # text[start:end], normalized, has the words of one form of the entry
        assert _words(normalize_term(text[s:e])) in FORM_WORDS[id(m.entry)], (text[s:e], m)


@given(st.lists(any_unicode, min_size=1, max_size=5))
@example(["\ud800", "regime\udfff", "\x00\r\u2028"])  # lone surrogates, NUL, separators
def test_scoring_never_raises_on_arbitrary_unicode(values):
    COUNTS["scoring on arbitrary Unicode"] += 1
    docs = pd.DataFrame({"text": pd.Series(values, dtype=object)})  # may hold surrogates
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = fr.score(docs, lexicons=LEXICON)
    assert len(scores.documents) == len(values)
    text_of = dict(zip(scores.documents["doc_id"], scores.documents["text"], strict=True))
    for m in scores.matches.itertuples(index=False):
        assert text_of[m.doc_id][m.start : m.end] == m.surface
    for s in scores.sentences.itertuples(index=False):
        assert 0 <= s.start < s.end <= len(text_of[s.doc_id])
    assert scores.documents["n_matches"].sum() == len(scores.matches)


#: documents per corpus in the jobs property (a worker pool per example is costly)
CORPUS_DOCS = 100


@settings(max_examples=max(2, settings().max_examples // CORPUS_DOCS))
@given(st.lists(texts, min_size=CORPUS_DOCS, max_size=CORPUS_DOCS))
def test_jobs_1_and_jobs_2_write_identical_files(tmp_path_factory, corpus):
    from framing.engine import score_files

    COUNTS["--jobs 1 vs --jobs 2 (documents)"] += len(corpus)
    tmp = tmp_path_factory.mktemp("jobs")
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(corpus))], "text": corpus})
    score_files(docs, out=tmp / "one", lexicons=LEXICON, jobs=1, chunksize=25)
    score_files(docs, out=tmp / "two", lexicons=LEXICON, jobs=2, chunksize=25)
    one = sorted(p.relative_to(tmp / "one") for p in (tmp / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp / "two") for p in (tmp / "two").rglob("*") if p.is_file())
    assert one == two
    for rel in one:
        if rel.name == "meta.json":
            continue  # holds the number of jobs
        assert (tmp / "one" / rel).read_bytes() == (tmp / "two" / rel).read_bytes(), rel
