"""The normalized view of text that lexicons are matched on, with a map back to the original.

Text is matched on a normalized view (Unicode NFKC, one kind of apostrophe, quote and
hyphen, case-folded) and users always see the original text. :func:`normalize` returns that
view together with ``src``, an array mapping every normalized index to an original index, so a
match found in the view can be reported with the offsets of the text as written.

What the view does, character by character:

* NFKC compatibility folding (``ﬁ`` -> ``fi``, full-width letters -> ASCII, ``\u00a0`` -> space);
* every apostrophe-like mark (``’ ‘ ʼ ′ ‛ ` ´``) -> ``'``; every double quote (``“ ” „ ‟ ″ « »``)
  -> ``"``; every hyphen or dash (``‐ ‑ ‒ – — ― − ﹣ －``) -> ``-``;
* every whitespace character -> one space, and runs of whitespace collapse to one space;
* case folding (``str.casefold``: ``Straße`` -> ``strasse``), unless ``casefold=False``.

Pure-ASCII text without whitespace runs (most news text) takes a fast path with no offset map.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from framing.errors import LexiconError

__all__ = [
    "is_word_char",
    "normalize",
    "normalize_term",
    "plural",
    "speed",
    "term_forms",
    "to_original",
    "wildcard_prefix",
    "wildcard_problem",
]

_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u201b`\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"

_WS_RUN = re.compile(r"\s{2,}|[^\S ]")  # a run of whitespace, or any single non-space whitespace


@lru_cache(maxsize=65536)
def _fold_char(char: str, casefold: bool) -> str:
    """The normalized form of one non-ASCII character (may be empty or longer than one)."""
    if char in _APOSTROPHES:
        return "'"
    if char in _DOUBLE_QUOTES:
        return '"'
    if char in _DASHES:
        return "-"
    if char.isspace():
        return " "
    out = unicodedata.normalize("NFKC", char)
    if any(c.isspace() for c in out):
        out = " "
    return out.casefold() if casefold else out


def normalize(text: str, *, casefold: bool = True) -> tuple[str, np.ndarray | None]:
    """Return the normalized view of ``text`` and the map back to original offsets.

    Parameters
    ----------
    text : str
        Text as written.
    casefold : bool, default True
        Case-fold the view (``False`` keeps case, for case-sensitive lexicon entries).

    Returns
    -------
    norm : str
        The normalized view (see the module docstring).
    src : numpy.ndarray of int64, or None
        ``src[i]`` is the index in ``text`` of the character that produced ``norm[i]``, and
        ``src[len(norm)] == len(text)``. ``None`` means the identity map (same length, same
        positions). Use :func:`to_original` to map a span.

    Examples
    --------
    >>> norm, src = normalize("The  Zionist regime\u2019s")
    >>> norm
    "the zionist regime's"
    >>> to_original(src, 4, 18)
    (5, 19)
    """
    if text.isascii():
        # ASCII: only case and whitespace can change.
        view = text.lower() if casefold else text
        if _WS_RUN.search(view) is None:
            return view, None
        raw = np.frombuffer(view.encode("ascii"), dtype=np.uint8)
        is_ws = _ASCII_IS_WS[raw]
        raw = np.where(is_ws, np.uint8(32), raw)  # every whitespace character -> space
        return _collapse_whitespace(raw, is_ws, None, len(text), "ascii")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    high = codes >= 128
    low = ~high
    codes[low] = (_ASCII_FOLD if casefold else _ASCII_KEEP)[codes[low]]
    hi_codes = codes[high]
    uniq, inverse = np.unique(hi_codes, return_inverse=True)
    folded = [_fold_char(chr(c), casefold) for c in uniq.tolist()]
    if all(len(f) == 1 for f in folded):
        # one character in, one out (almost all text): map code points in place, vectorized
        codes[high] = np.fromiter(map(ord, folded), dtype=np.uint32, count=len(folded))[inverse]
        return _collapse_whitespace(codes, codes == 32, None, len(text), "utf-32-le")
    # some characters fold to several (the ellipsis to "...") or none: place them by offsets
    lengths_u = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    hi_lengths = lengths_u[inverse]
    lengths = np.ones(len(codes), dtype=np.int64)
    lengths[high] = hi_lengths
    ends = np.cumsum(lengths)
    out = np.zeros(int(ends[-1]), dtype=np.uint32)
    starts = ends - lengths
    single = lengths == 1
    firsts = np.fromiter(
        (ord(f[0]) if f else 0 for f in folded), dtype=np.uint32, count=len(folded)
    )
    codes[high] = firsts[inverse]
    out[starts[single]] = codes[single]
    multi = hi_lengths > 1  # the non-ASCII characters that fold to several
    for i, k in zip(np.flatnonzero(high)[multi].tolist(), inverse[multi].tolist(), strict=True):
        out[starts[i] : ends[i]] = [ord(c) for c in folded[k]]
    char_src = np.repeat(np.arange(len(codes), dtype=np.int64), lengths)
    return _collapse_whitespace(out, out == 32, char_src, len(text), "utf-32-le")


def _collapse_whitespace(
    codes: np.ndarray, is_ws: np.ndarray, char_src: np.ndarray | None, n_text: int, encoding: str
) -> tuple[str, np.ndarray | None]:
    """Drop the later whitespace characters of each run (``codes`` has them as spaces)."""
    drop = np.zeros(len(codes), dtype=bool)
    np.logical_and(is_ws[1:], is_ws[:-1], out=drop[1:])
    if not drop.any():
        view = codes.tobytes().decode(encoding)
        if char_src is None:
            return view, None
        return view, np.append(char_src, n_text)
    keep = ~drop
    view = codes[keep].tobytes().decode(encoding)
    src = np.flatnonzero(keep) if char_src is None else char_src[keep]
    return view, np.append(src, n_text)


_ASCII_IS_WS = np.array([chr(i).isspace() for i in range(256)], dtype=bool)
# code -> normalized code for ASCII (every whitespace -> space; upper -> lower when folding)
_ASCII_KEEP = np.array([32 if chr(i).isspace() else i for i in range(128)], dtype=np.uint32)
_ASCII_FOLD = np.array(
    [32 if chr(i).isspace() else ord(chr(i).lower()) for i in range(128)], dtype=np.uint32
)


def to_original(src: np.ndarray | None, start: int, end: int) -> tuple[int, int]:
    """Map the normalized span ``[start, end)`` back to offsets of the original text.

    Parameters
    ----------
    src : numpy.ndarray or None
        The map returned by :func:`normalize` (``None`` = identity).
    start, end : int
        A span of the normalized view, ``start < end``.

    Returns
    -------
    tuple of int
        ``(orig_start, orig_end)``: the smallest original span that produced the
        normalized characters ``start .. end - 1``.
    """
    if src is None:
        return start, end
    return int(src[start]), int(src[end - 1]) + 1


def normalize_term(term: str, *, casefold: bool = True) -> str:
    """Normalize a lexicon term the way :func:`normalize` normalizes text, and strip it.

    >>> normalize_term("  Foreign\u2013Backed   militancy ")
    'foreign-backed militancy'
    """
    return normalize(term, casefold=casefold)[0].strip()


def is_word_char(char: str) -> bool:
    """True for characters that belong to a word (letters, digits, ``_``).

    Apostrophes and hyphens are not word characters: ``regime's`` ends a match on ``regime``.
    Combining marks are (``e`` + U+0301 is one letter; case folding turns ``İ`` into ``i`` +
    U+0307), so a match never ends or starts next to one.
    """
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun in the right number: ``"1 document"``, ``"2,000 documents"``.

    Parameters
    ----------
    n : int
        The count (printed with thousands separators).
    one : str
        The singular noun.
    many : str, optional
        The plural noun (default: ``one + "s"``).

    Returns
    -------
    str
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def speed(megabytes: float, seconds: float) -> str:
    """Throughput for people: ``"8.2 MB/s"``, ``"31.0 kB/s"`` below 0.1 MB/s, ``"28 B/s"``
    below 0.1 kB/s (never a misleading ``0.0``).

    Parameters
    ----------
    megabytes : float
        Text processed, in MB (10^6 characters).
    seconds : float
        Time taken.

    Returns
    -------
    str
    """
    if not seconds or seconds <= 0:
        return "- MB/s"
    rate = megabytes / seconds
    if rate >= 0.1:
        return f"{rate:.1f} MB/s"
    if rate >= 1e-4:
        return f"{1000 * rate:.1f} kB/s"
    return f"{1e6 * rate:.0f} B/s"


# Term forms: the lexicon's term syntax (prefix wildcards, generated plurals and possessives),
# shared by the lexicon validator and the matcher.

_LAST_WORD = re.compile(r"[^\W_]+$")
_VOWELS = frozenset("aeiou")


def _plural(form: str) -> str | None:
    """Plural of the last word of ``form`` (as written; case decides acronyms), or None."""
    match = _LAST_WORD.search(form)
    if match is None or not form[-1].isalpha():
        return None
    word = match.group()
    low = word.lower()
    acronym = len(word) > 1 and word.isupper()
    if low.endswith("s"):
        if acronym:
            return None  # US, ISIS
        if len(low) > 3 and low.endswith(("ss", "us")):
            return form + "es"  # mass -> masses, virus -> viruses
        if len(low) > 4 and low.endswith("is"):
            return form[:-2] + "es"  # crisis -> crises
        return None  # Hamas, mercenaries, news
    if acronym:
        return form + "s"  # IDF -> IDFs
    if low.endswith(("x", "z", "ch", "sh")):
        return form + "es"
    if low.endswith("y") and len(low) > 1 and low[-2] not in _VOWELS:
        return form[:-1] + "ies"  # militancy -> militancies
    return form + "s"


def wildcard_problem(text: str) -> str | None:
    """Why ``text`` (a term or variant) is not a valid prefix wildcard, or None when it is fine.

    A ``*`` is allowed once, at the very end, right after a letter, digit or ``_``
    (``terror*``, ``illegal alien*``). Text without ``*`` is always fine.

    Parameters
    ----------
    text : str
        A lexicon term or variant as written.

    Returns
    -------
    str or None
        A one-sentence explanation with the fix, or None.

    Examples
    --------
    >>> wildcard_problem("terror*") is None
    True
    >>> wildcard_problem("*ism")
    "'*' is allowed only at the end of the last word (a prefix wildcard such as 'terror*'); \
'*ism' has it elsewhere: remove it or move it to the end"
    """
    stripped = str(text).strip()
    if "*" not in stripped:
        return None
    if stripped.count("*") > 1 or not stripped.endswith("*"):
        return (
            "'*' is allowed only at the end of the last word (a prefix wildcard such as "
            f"'terror*'); {stripped!r} has it elsewhere: remove it or move it to the end"
        )
    before = stripped[-2:-1]
    if not before or not (before.isalnum() or before == "_"):
        return (
            f"'*' must follow a letter or digit (a word prefix such as 'terror*'); "
            f"{stripped!r} has none before it"
        )
    return None


def wildcard_prefix(text: str) -> str | None:
    """The prefix of a valid wildcard term (``"terror*"`` -> ``"terror"``), else None.

    Raises LexiconError for a ``*`` in the wrong place.
    """
    problem = wildcard_problem(text)
    if problem is not None:
        raise LexiconError(f"Lexicon term or variant {text!r}: {problem}.")
    stripped = text.strip()
    return stripped[:-1] if stripped.endswith("*") else None


def term_forms(term: str, *, casefold: bool = True) -> list[str]:
    """Every form under which ``term`` is matched (before separator folding).

    Parameters
    ----------
    term : str
        A lexicon term or variant as written.
    casefold : bool, default True
        Case-fold the forms (as the matcher does for case-insensitive entries).

    Returns
    -------
    list of str
        The normalized term, its plural, and the possessives of both; empty for an empty term.
        For a prefix wildcard (``terror*``) only the normalized term, ``*`` included.

    Examples
    --------
    >>> term_forms("Zionist regime")
    ['zionist regime', 'zionist regimes', "zionist regime's", "zionist regimes'"]
    """
    base = normalize_term(term, casefold=False)
    if not base:
        return []
    if wildcard_prefix(base) is not None:
        return [normalize_term(base) if casefold else base]
    forms = [base]
    plural = _plural(base)
    if plural is not None:
        forms.append(plural)
    if base[-1].isalnum():
        forms.append(base + "'s")
        if base[-1] in "sS":
            forms.append(base + "'")
    if plural is not None:
        forms.append(plural + "'")
    if casefold:
        forms = [normalize_term(f) for f in forms]
    return list(dict.fromkeys(forms))
