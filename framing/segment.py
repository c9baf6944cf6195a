"""Sentence and quoted-speech segmentation of news text.

Sentences
---------
:func:`sentence_spans` follows nltk's Punkt approach with parameters we build and ship
(``framing/_data/punkt_news.json``, made by ``benchmarks/build_punkt_params.py`` from curated
lists of news abbreviations, titles, collocations and sentence starters), but it is fast: one
compiled pattern finds the *candidate* boundaries (``.``, ``?``, ``!``, ``…`` or ``...``
followed by optional closing quotes or brackets and whitespace, paragraph breaks, single
newlines) and a few rules decide only there:

* a paragraph break (a blank line, ``\\n\\s*\\n``) always ends a sentence;
* nothing ends before a lower-case word (``“Who is next?” she asked.``, ``10 a.m. on Friday``);
* ``?`` and ``!`` end a sentence before anything else; an ellipsis ends one only before a
  capitalized word (``ready to … help`` continues);
* a period after a title (``Mr. Dr. Gen. Maj. Gen. Brig. Gen. Lt. Col. Sgt. Gov. Sen. Rep.``,
  ...) never ends a sentence; ``No. Vol. Art.`` are abbreviations only before a number;
* a period after any other known abbreviation (``U.S. U.K. U.N. E.U. D.C. Inc. Corp. Co. Ltd.
  Jr. St. a.m. p.m. Jan. Feb. Aug. Sept.`` ...), after a dotted acronym (``N.Y.``, ``Ph.D.``)
  or after a single capital initial (``J. R. Smith``) ends a sentence only when the next word
  is a common sentence starter (``The``, ``He``, ``But``, ...; Punkt's ``sent_starters``):
  ``in the U.S. The move`` splits, ``the U.S. Army``, ``at 9 a.m. Friday``, ``Jan. 5`` and
  ``John F. Kennedy`` do not;
* a period after an ordinary word (or closing quote or bracket) ends a sentence before a
  capitalized word, a digit or other non-lower-case text;
* decimals and money (``3.5``, ``$1.2 billion``) and URLs are never candidates (no whitespace
  follows the period);
* a sentence glued to the next without a space (a scraping artefact: ``in the coming
  weeks.Ortega will``, ``a disaster."The vote``) ends after a lower-case letter and ``.?!`` (and
  closing quotes) before a capitalized word with a lower-case second letter (or ``I``),
  unless the word before is an abbreviation or the text is a web or e-mail address; a
  straight ``"`` there closes the sentence when an odd number of ``"`` precede it on its
  line, else it opens the next one;
* a.m./p.m., U.S. and the like: ``at 10 a.m. The lines were long`` is two sentences, ``at
  10 a.m. Friday`` one (a weekday, month or name is not a sentence starter);
* final punctuation inside closing quotes (``he said."``, ``he said.”``) ends the sentence
  *after* the closing mark; a period after a closing quote (``"...period".``) too;
* a single newline ends a sentence when the line before it has no final punctuation and does
  not end in ``, ; : - – — ( / &``, and the next line does not start in lower case (headlines,
  bylines, datelines). In a hard-wrapped document (at least two line breaks, and a quarter of
  them, fall before a lower-case word) single newlines are ordinary spaces.

Spans are trimmed (no leading or trailing whitespace) and together cover every non-whitespace
character of the text.

Quotations
----------
:func:`quote_spans` returns the spans of direct quotation, quotation marks included: straight
and curly double quotes (and ``« »``), curly single quotes used as quotation marks (``‘...’``:
an opening ``‘`` after a non-word character, closed by a ``’`` not followed by a letter, so
``Syria’s``, ``people’s``, ``’90s``, ``rock ’n’ roll`` are apostrophes) and straight single
quotes bounded by non-word characters (``'...'``); doubled single marks (``‘‘...’’``) count
as double quotes. Quotes nested inside a quote are part of the outer span. A double quote
left open ends at the end of its paragraph; a single quote left open is dropped (it was most
likely an apostrophe). A quotation that runs over several
paragraphs, each reopening with a quote mark, therefore gives one span per paragraph, and the
consecutive spans cover the quoted text.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import CorpusError

__all__ = [
    "count_words",
    "punkt_parameters",
    "quote_spans",
    "segment_text",
    "sentence_spans",
    "split_sentences",
]

log = logging.getLogger("framing")

SENTENCE_COLUMNS = ("doc_id", "sent_id", "start", "end", "text", "n_words", "quote_share")

_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")

# candidate boundaries: final punctuation (+ closing marks) before whitespace; newline runs.
# Two simple patterns are several times faster than one alternation (the regex engine can then
# skip ahead to the first character of a candidate).
# A candidate is a run of final and closing marks from its first final mark, before whitespace.
# _PUNCT reads at most 20 marks after a final one, then closing marks only (possessively), so a
# long run without whitespace after it (`.....`, `?!?!`) costs linear time; a match preceded by
# a mark of its run is moved back to the run's first final mark in _cuts. Group 1 is the
# character after the whitespace and opening marks that follow (empty at the end of the text).
# (A pattern that starts with one character class lets the regex engine skip ahead fast.)
_RUN_CHARS = frozenset(".?!…\"'”’»)]")
_PUNCT = re.compile(r"[.?!…][.?!…\"'”’»)\]]{0,20}+[\"'”’»)\]]*+(?=\s+[\"'“‘«(\[]*+(.?))", re.DOTALL)
_NEWLINES = re.compile(r"\n(?:[^\S\n]*\n\s*)?")
_STRAIGHT_QUOTE = re.compile('"')
_NEWLINE = re.compile("\n")
# a sentence glued to the next one without a space, a common scraping artefact
# (`in the coming weeks.Ortega will ...`, `a disaster."The vote ...`)
_GLUED = re.compile(r"([.?!])([\"”’)]*)(?=[\"“]?(?:[A-Z][a-z]|I\s))")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]*(\w+)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]\Z")
_NL_BEFORE_LOWER = re.compile(r"[^\n]\n[^\S\n]*[a-z]")
_SINGLE_NL = re.compile(r"(?<!\n)\n(?![^\S\n]*\n)")

_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
_NO_NL_BREAK_AFTER = ",;:-–—(/&"
_FINAL = ".?!…"


# ---------------------------------------------------------------------------- parameters
@lru_cache(maxsize=1)
def _params() -> dict[str, Any]:
    raw = resources.files("framing").joinpath("_data/punkt_news.json").read_text("utf-8")
    data = json.loads(raw)
    return {
        "abbrev": frozenset(data["abbrev_types"]),
        "titles": frozenset(data["title_abbrevs"]),
        "numeric": frozenset(data["numeric_abbrevs"]),
        "cap_only": frozenset(data["capitalized_only"]),
        "never": frozenset(data["never_end"]),
        "starters": frozenset(data["sent_starters"]),
        "colloc": frozenset(tuple(pair) for pair in data["collocations"]),
        "ortho": dict(data["ortho_context"]),
        "raw": data,
    }


def punkt_parameters() -> Any:
    """Return the shipped parameters as an nltk ``PunktParameters`` object.

    Useful to run nltk's own ``PunktSentenceTokenizer`` with our news abbreviations::

        from nltk.tokenize.punkt import PunktSentenceTokenizer
        tok = PunktSentenceTokenizer(punkt_parameters())

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters
        ``abbrev_types``, ``collocations``, ``sent_starters`` and ``ortho_context`` filled
        from ``framing/_data/punkt_news.json``.
    """
    from nltk.tokenize.punkt import PunktParameters

    data = _params()["raw"]
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(pair) for pair in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for word, flag in data["ortho_context"].items():
        params.add_ortho_context(word, int(flag))
    return params


# ----------------------------------------------------------------------------- sentences
def _is_starter(word: str, prm: dict[str, Any]) -> bool:
    """Whether a capitalized word is evidence of a sentence start (Punkt starters/ortho)."""
    low = word.lower()
    if low in prm["starters"]:
        return True
    flags = prm["ortho"].get(low, 0)
    # seen capitalized at sentence starts and lower-case mid-sentence, never upper mid-sentence
    return bool(flags & 2) and bool(flags & 32) and not flags & 4


def _period_ends(text: str, start: int, nx_pos: int, prm: dict[str, Any]) -> bool:
    """Decide a period at ``start`` followed (after space/openers) by non-lower-case text."""
    lo = max(0, start - 48)
    ws = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), text.rfind("\t", lo, start))
    if ws < 0:
        ws = lo - 1 if lo > 0 else -1
    tok = text[ws + 1 : start].lstrip(_OPENERS)
    if not tok or tok[-1] in _CLOSERS:
        return True  # `period".` or `(AP).`: the period follows a quote or bracket
    low = tok.lower()
    if low in prm["abbrev"]:
        if low in prm["cap_only"] and not tok[0].isupper():
            return True  # `fell ill.` is the word, `Springfield, Ill.` the abbreviation
        if low in prm["never"] or low in prm["titles"]:
            return False
        nx = text[nx_pos] if nx_pos < len(text) else ""
        if low in prm["numeric"]:
            return not (nx.isdigit() or nx == "#")
    elif not (_DOTTED.match(tok) or (len(tok) == 1 and tok.isupper())):
        return True  # an ordinary word
    # a possibly sentence-final abbreviation, acronym or initial: look at the next word
    m = _NEXT_WORD.match(text, nx_pos)
    if m is None:
        return False  # `Co. $5 million`, `U.S. - based`: no word to judge, keep together
    word = m.group(1)
    if not word[0].isupper():
        return False  # digits (`Jan. 5`) and the like continue the sentence
    nxt = "##number##" if word.isdigit() else word.lower()
    if (low, nxt) in prm["colloc"]:
        return False
    return _is_starter(word, prm)


def _hard_wrapped(text: str) -> bool:
    lower = len(_NL_BEFORE_LOWER.findall(text))
    return lower >= 2 and lower >= 0.25 * len(_SINGLE_NL.findall(text))


def _newline_ends(text: str, pos: int) -> bool:
    """Decide a single newline at ``pos`` (the text is not hard-wrapped)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = text[line_start:pos].rstrip()
    if not line or line[-1] in _NO_NL_BREAK_AFTER:
        return False
    if line.rstrip(_CLOSERS)[-1:] in _FINAL:
        return False  # the punctuation candidate has decided already
    rest = text[pos + 1 : pos + 81].lstrip()
    rest = rest.lstrip(_OPENERS)
    return bool(rest) and not rest[0].islower()


def _cuts(text: str) -> list[int]:
    prm = _params()
    cuts: list[int] = []
    append = cuts.append
    for m in _PUNCT.finditer(text):
        nx = m.group(1)
        if not nx or nx.islower() or nx in "”’»)]}":
            continue  # lower case, or a stray closing mark after a space (`end. ”`)
        start, end = m.span()
        if start and text[start - 1] in _RUN_CHARS:
            start = _run_start(text, start)
        punct = text[start:end].rstrip(_CLOSERS)
        if punct == ".":
            if _period_ends(text, start, m.start(1), prm):
                append(end)
        elif "?" in punct or "!" in punct:
            append(end)
        elif nx.isupper() or not nx.isalnum():
            append(end)  # ellipsis before a capitalized word or an opening mark
    glued = []
    quotes: list[int] | None = None  # positions of '"' and of newlines, made when needed
    newlines: list[int] = []
    for m in _GLUED.finditer(text):
        start = m.start()
        if not (start and "a" <= text[start - 1] <= "z"):
            continue
        end = m.end()
        nx_pos = end + (text[end] in '"“')
        if "@" in text[nx_pos : nx_pos + 40].split(None, 1)[0]:
            continue  # an e-mail address
        lo = max(0, start - 48)
        ws = max(text.rfind(" ", lo, end), text.rfind("\n", lo, end))
        tok = text[ws + 1 : m.start(1)]
        if "/" in tok or tok.lower().startswith("www"):
            continue  # a web address
        if m.group(1) == "." and not _period_ends(text, m.start(1), nx_pos, prm):
            continue
        quote = m.start(2)
        if m.group(2) == '"':
            if quotes is None:
                quotes = [q.start() for q in _STRAIGHT_QUOTE.finditer(text)]
                newlines = [q.start() for q in _NEWLINE.finditer(text)]
            k = bisect_left(newlines, quote)
            line_start = newlines[k - 1] + 1 if k else 0
            if not (bisect_left(quotes, quote) - bisect_left(quotes, line_start)) % 2:
                end = quote  # an even number of quotes before on its line: it opens the next
        glued.append(end)
    if glued:
        cuts = sorted(cuts + glued)
    if "\n" in text:
        breaks: list[int] = []
        wrapped: bool | None = None
        for m in _NEWLINES.finditer(text):
            if m.group().count("\n") > 1:
                breaks.append(m.start())  # a paragraph break always ends a sentence
                continue
            if wrapped is None:
                wrapped = _hard_wrapped(text)
            if not wrapped and _newline_ends(text, m.start()):
                breaks.append(m.start())
        if breaks:
            cuts = sorted(cuts + breaks)
    return cuts


def _run_start(text: str, pos: int) -> int:
    """The first final mark (``.?!…``) of the run of final and closing marks ending at or
    containing ``pos - 1`` (``pos`` when the run has none before ``pos``)."""
    i = pos
    first = pos
    while i > 0 and text[i - 1] in _RUN_CHARS:
        i -= 1
        if text[i] in _FINAL:
            first = i
    return first


def _spans_from_cuts(text: str, cuts: Iterable[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in [*cuts, len(text)]:
        if cut <= prev:
            continue
        seg = text[prev:cut]
        left = seg.lstrip()
        if left:
            a = prev + len(seg) - len(left)
            spans.append((a, a + len(left.rstrip())))
        prev = cut
    return spans


def _check_text(text: Any, func: str) -> str:
    if isinstance(text, str):
        return text
    raise TypeError(
        f"{func}() expects one text as a str. Got {type(text).__name__} instead; for a "
        "documents table use framing.split_sentences(docs)."
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the character offsets of the sentences of ``text``.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets of trimmed sentences, sorted and non-overlapping:
        ``text[start:end]`` is the sentence without surrounding whitespace. Empty or
        whitespace-only text gives ``[]``. The rules are in the module documentation.

    Examples
    --------
    >>> text = "Brig. Gen. Ali spoke at 9 a.m. Friday. He left."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Brig. Gen. Ali spoke at 9 a.m. Friday.', 'He left.']
    """
    text = _check_text(text, "sentence_spans")
    return _spans_from_cuts(text, _cuts(text))


# -------------------------------------------------------------------------------- quotes
# a quote mark (``‘‘`` and ``’’`` as one event) or a paragraph break; written to start with one
# character class, which lets the regex engine skip ahead fast (twice as fast as alternatives)
_QUOTE_EVENT = re.compile("[\n\"“”«»„‘’'](?:(?<=‘)‘|(?<=’)’|(?<=\n)[^\\S\n]*\n|(?<!\n))")
_DOUBLED = {"‘‘": "“", "’’": "”"}  # two single marks typed for a double one
_DOUBLE_OPEN = "“«„"
_DOUBLE_CLOSE = '”»"'


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _rtrim(text: str, start: int, end: int) -> int:
    """``end`` moved left over whitespace, not before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of direct quotation in ``text``, quotation marks included.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    list of (int, int)
        Sorted, non-overlapping ``(start, end)`` offsets; ``text[start:end]`` starts with the
        opening mark and ends with the closing mark (or, for a double quote left open, with the
        last non-space character of its paragraph). The rules are in the module documentation.

    Examples
    --------
    >>> text = "Syria’s envoy called it ‘a turning point’ and said: “We are ready.”"
    >>> [text[a:b] for a, b in quote_spans(text)]
    ['‘a turning point’', '“We are ready.”']
    """
    text = _check_text(text, "quote_spans")
    spans: list[tuple[int, int]] = []
    n = len(text)
    kind = ""  # "" closed, "d" double, "s" curly single, "a" straight single
    opened = 0
    for m in _QUOTE_EVENT.finditer(text):
        i = m.start()
        q = m.group()
        if q in _DOUBLED:
            q = _DOUBLED[q]
        elif q[0] == "\n":  # paragraph break
            if kind == "d":
                end = _rtrim(text, opened, i)
                if end > opened + 1:
                    spans.append((opened, end))
            kind = ""
            continue
        prev = text[i - 1] if i else " "
        nxt = text[m.end()] if m.end() < n else " "
        if kind == "":
            if q in _DOUBLE_OPEN:
                kind, opened = "d", i
            elif q in '"”':
                # straight (or mis-typed) quote opens after space/opening punctuation
                if (prev.isspace() or prev in "([{—–-/:‘'“") and not nxt.isspace():
                    kind, opened = "d", i
            elif q == "‘":
                if not _is_word(prev) and not nxt.isspace():
                    kind, opened = "s", i
            elif q == "'":
                if (prev.isspace() or prev in '([{—–-/:“"') and _is_word(nxt):
                    kind, opened = "a", i
        elif kind == "d":
            if q in _DOUBLE_CLOSE:
                spans.append((opened, m.end()))
                kind = ""
            elif q in _DOUBLE_OPEN:  # the previous quote was never closed
                end = _rtrim(text, opened, i)
                if end > opened + 1:
                    spans.append((opened, end))
                opened = i
        elif kind == "s":
            if q == "’" and not _is_word(nxt) and not prev.isspace():
                spans.append((opened, i + 1))
                kind = ""
            elif q == "‘" and not _is_word(prev):
                opened = i
        elif q == "'" and not _is_word(nxt) and not prev.isspace():  # kind == "a"
            spans.append((opened, i + 1))
            kind = ""
    if kind == "d":
        end = _rtrim(text, opened, n)
        if end > opened + 1:
            spans.append((opened, end))
    return spans


def segment_text(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return ``(sentence_spans(text), quote_spans(text))`` in one call.

    Parameters
    ----------
    text : str
        One document.

    Returns
    -------
    tuple of (list of (int, int), list of (int, int))
        Sentence spans and quote spans, both in character offsets of ``text``.
    """
    text = _check_text(text, "segment_text")
    return _spans_from_cuts(text, _cuts(text)), quote_spans(text)


def count_words(text: str) -> int:
    """Count the words of ``text`` (``\\w+`` runs joined by inner hyphens or apostrophes).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    int
        Number of matches of ``\\w+(?:[-'’]\\w+)*``: ``"Syria’s well-known envoy"`` has 3.
    """
    text = _check_text(text, "count_words")
    return len(_WORDS.findall(text))


# ------------------------------------------------------------------------------ tables
def _quoted_chars(q_starts: np.ndarray, q_ends: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Number of quoted characters before each position (spans sorted, non-overlapping)."""
    if len(q_starts) == 0:
        return np.zeros(len(pos), dtype=np.int64)
    lengths = q_ends - q_starts
    cum = np.concatenate([[0], np.cumsum(lengths)])
    idx = np.searchsorted(q_starts, pos, side="right") - 1  # last span starting at or before
    j = np.maximum(idx, 0)
    return np.where(idx >= 0, cum[j] + np.minimum(pos - q_starts[j], lengths[j]), 0)


def split_sentences(docs: pd.DataFrame, *, progress: bool = False) -> pd.DataFrame:
    """Split every document into sentences: the sentences table of :func:`framing.score` (no scores).

    Parameters
    ----------
    docs : pandas.DataFrame
        A documents table; needs the columns ``doc_id`` and ``text`` (see
        :func:`framing.read_corpus`). Missing or empty texts give no sentences.
    progress : bool, default False
        Show a tqdm progress bar over the documents.

    Returns
    -------
    pandas.DataFrame
        One row per sentence with columns ``doc_id`` (str), ``sent_id`` (int64, 0-based within
        the document), ``start``, ``end`` (int64 offsets into the document text), ``text``
        (str), ``n_words`` (int64, :func:`count_words`) and ``quote_share`` (float64, the
        fraction of the sentence's characters inside :func:`quote_spans`).

    Raises
    ------
    CorpusError
        When ``docs`` is not a DataFrame (a bare string is refused) or lacks ``doc_id`` or
        ``text``.
    """
    if isinstance(docs, str):
        raise CorpusError(
            "split_sentences() expects a documents DataFrame with columns 'doc_id' and 'text', "
            "got a str. For one text use framing.sentence_spans(text); to build a table use "
            "framing.read_corpus(path_or_dataframe)."
        )
    if not isinstance(docs, pd.DataFrame):
        raise CorpusError(
            "split_sentences() expects a documents DataFrame with columns 'doc_id' and 'text'. "
            f"Got {type(docs).__name__} instead; build one with framing.read_corpus(...)."
        )
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise CorpusError(
            f"split_sentences(): the documents table lacks column(s) {missing}; found "
            f"{list(map(str, docs.columns))}. Read the corpus with framing.read_corpus(...) or "
            "rename the columns."
        )
    doc_ids = docs["doc_id"].astype(object).tolist()
    texts = docs["text"].astype(object).tolist()
    iterator: Iterable[Any] = zip(doc_ids, texts, strict=True)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(texts), desc="sentences", unit="doc")

    out_doc: list[str] = []
    out_sid: list[int] = []
    out_start: list[int] = []
    out_end: list[int] = []
    out_text: list[str] = []
    q_start: list[int] = []
    q_end: list[int] = []
    g_start: list[int] = []
    g_end: list[int] = []
    base = 0
    for doc_id, text in iterator:
        if not isinstance(text, str) or not text:
            continue
        spans = _spans_from_cuts(text, _cuts(text))
        if not spans:
            continue
        doc = str(doc_id)
        for k, (a, b) in enumerate(spans):
            out_doc.append(doc)
            out_sid.append(k)
            out_start.append(a)
            out_end.append(b)
            out_text.append(text[a:b])
            g_start.append(base + a)
            g_end.append(base + b)
        for a, b in quote_spans(text):
            q_start.append(base + a)
            q_end.append(base + b)
        base += len(text) + 1

    starts = np.asarray(g_start, dtype=np.int64)
    ends = np.asarray(g_end, dtype=np.int64)
    qs = np.asarray(q_start, dtype=np.int64)
    qe = np.asarray(q_end, dtype=np.int64)
    quoted = _quoted_chars(qs, qe, ends) - _quoted_chars(qs, qe, starts)
    length = ends - starts
    share = np.divide(quoted, length, out=np.zeros(len(length), dtype=np.float64), where=length > 0)
    n_words = np.fromiter(
        (len(_WORDS.findall(s)) for s in out_text), dtype=np.int64, count=len(out_text)
    )
    table = pd.DataFrame(
        {
            "doc_id": pd.Series(out_doc, dtype=str),
            "sent_id": np.asarray(out_sid, dtype=np.int64),
            "start": np.asarray(out_start, dtype=np.int64),
            "end": np.asarray(out_end, dtype=np.int64),
            "text": pd.Series(out_text, dtype=str),
            "n_words": n_words,
            "quote_share": share,
        }
    )
    log.debug("split %d documents into %d sentences", len(texts), len(table))
    return table
