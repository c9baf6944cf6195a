"""Compiled multi-pattern matcher: every entry of every chosen lexicon in one pass per text.

How a text is matched
---------------------
1. The text is normalized with :func:`framing._text.normalize` (NFKC, one apostrophe ``'``,
   one double quote, one hyphen ``-`` for every dash, whitespace runs -> one space,
   case-folded), keeping the map back to original offsets.
2. A *word view* of the normalized text replaces every character that is neither a word
   character (``str.isalnum()`` or ``_``) nor a space by a space, and is padded with one space
   at each end. Every form of every entry is compiled the same way, padded with spaces, into
   one Aho-Corasick automaton (pyahocorasick). One scan of the word view finds every
   candidate, and only candidates that start and end at word boundaries can be found at all:
   ``regime`` is not found in ``regimented``.
3. A candidate is verified on the normalized text (punctuation inside a term must be the same;
   ``-`` and space count as the same separator), on the original text for case-sensitive
   entries, and against the entry's ``not_before`` / ``not_after`` context exclusions.
4. Overlapping candidates are resolved: **the longest match wins** (in normalized characters);
   between equally long ones the earlier-listed lexicon wins, then the earlier entry. So in
   "the Zionist regime's bullying" with the entries ``Zionist regime`` (mideast) and ``regime``
   (loaded-language) there is one match, ``Zionist regime's``, for the mideast entry.
5. Offsets are mapped back: :class:`Match` ``start``/``end`` index the text as written.

The context cues of context-gated entries (:mod:`framing.context`) are extra keys of the same
automaton: :meth:`Matcher.find_with_cues` returns them (:class:`CueHits`) with the matches of
the same pass, and they are never reported as matches themselves.

Forms generated for every term and variant (no need to list them in a lexicon)
------------------------------------------------------------------------------
* plural of the last word: ``regime -> regimes``, ``militia -> militias``, ``militancy ->
  militancies``, ``party -> parties``, ``box -> boxes``, ``crisis -> crises``, ``IDF -> IDFs``;
  none for words already ending in ``s`` (``Hamas``, ``US``, ``mercenaries``);
* possessives: ``regime's``, ``regimes'``, ``Hamas'`` (any apostrophe: ``regime’s`` too);
* separators: a space or a hyphen between two words of a term matches either, so
  ``foreign-backed`` also matches ``foreign backed`` and ``foreign–backed`` (en dash), and
  ``democratically elected`` also matches ``democratically-elected``. A hyphen never matches
  "nothing" (``foreignbacked`` is not matched).

Prefix wildcards: a term or variant whose last word ends in ``*`` (``terror*``, ``illegal
alien*``) matches any word that starts with that prefix at a word start, and the match extends
to the end of that word: ``terror*`` matches ``terror``, ``terrorists`` and the ``terrorism`` of
``anti-terrorism``, not ``counterterrorism``. No plural or possessive forms are generated for it
(the prefix covers them; ``terrorist's`` gives the match ``terrorist``). ``*`` anywhere else is
refused (:func:`wildcard_problem` says why).

Context exclusions: ``not_before: [change]`` drops a match immediately followed by the word
``change`` (after one space or hyphen); ``not_after`` looks at the words immediately before.
Both compare normalized text, case-insensitively, and require a word boundary after the
excluded word.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from framing._text import is_word_char, normalize, normalize_term, term_forms, wildcard_problem
from framing.errors import FramingError, LexiconError

__all__ = ["CueHits", "Match", "Matcher", "term_forms", "wildcard_problem"]

log = logging.getLogger("framing")

_ASCII_WORD_VIEW = bytes(
    c if (chr(c).isalnum() or c in (ord("_"), ord(" "))) else ord(" ") for c in range(128)
).ljust(256, b" ")


class Match(NamedTuple):
    """One lexicon match, in offsets of the text as written.

    Attributes
    ----------
    start, end : int
        Character offsets into the original text: ``text[start:end]`` is the matched surface.
    entry : framing.lexicon.Entry
        The lexicon entry that matched (its ``term`` is the canonical form).
    """

    start: int
    end: int
    entry: Any


_ASCII_IS_WORD = np.frombuffer(_ASCII_WORD_VIEW[:128], dtype=np.uint8) != ord(" ")


def _word_view(norm: str) -> str:
    """``norm`` with every character that is not a word character or a space -> space."""
    if norm.isascii():
        return norm.encode("ascii").translate(_ASCII_WORD_VIEW).decode("ascii")
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).copy()
    high = codes >= 128
    word = np.zeros(len(codes), dtype=bool)
    word[~high] = _ASCII_IS_WORD[codes[~high]]
    if high.any():
        uniq, inverse = np.unique(codes[high], return_inverse=True)
        is_word = np.fromiter(
            (is_word_char(chr(c)) for c in uniq.tolist()), dtype=bool, count=len(uniq)
        )
        word[high] = is_word[inverse]
    codes[~word] = 32
    return codes.tobytes().decode("utf-32-le")


def _canon(form: str) -> str:
    """Separator-insensitive form: hyphen and space are the same separator."""
    return form.replace("-", " ")


def _context_words(words: Iterable[str]) -> tuple[str, ...]:
    out = []
    for word in words:
        norm = _canon(normalize_term(str(word)))
        if norm.strip():
            out.append(norm.strip())
    return tuple(out)


def _followed_by(norm: str, pos: int, words: tuple[str, ...]) -> bool:
    """True when ``norm[pos:]`` starts (after one space/hyphen separator) with one of ``words``."""
    i = pos
    for _ in range(3):
        if i < len(norm) and norm[i] in " -":
            i += 1
        else:
            break
    longest = max(len(w) for w in words)
    ahead = _canon(norm[i : i + longest + 1])
    for word in words:
        if ahead.startswith(word):
            nxt = ahead[len(word) : len(word) + 1]
            if not nxt or not (nxt.isalnum() or nxt == "_"):
                return True
    return False


def _preceded_by(norm: str, pos: int, words: tuple[str, ...]) -> bool:
    """True when ``norm[:pos]`` ends (before one space/hyphen separator) with one of ``words``."""
    i = pos
    for _ in range(3):
        if i > 0 and norm[i - 1] in " -":
            i -= 1
        else:
            break
    longest = max(len(w) for w in words)
    behind = _canon(norm[max(0, i - longest - 1) : i])
    for word in words:
        if behind.endswith(word):
            prev = behind[-len(word) - 1 : -len(word)] if len(behind) > len(word) else ""
            if not prev or not (prev.isalnum() or prev == "_"):
                return True
    return False


class _Candidate(NamedTuple):
    priority: int
    entry: int  # entry index
    form: str  # canonical (separator-folded, case-folded) form
    verify: bool  # form has punctuation besides separators: compare the normalized surface
    cased: frozenset[str] | None  # case-sensitive entry: allowed forms as written
    not_before: tuple[str, ...]
    not_after: tuple[str, ...]
    wildcard: bool = False  # form is a prefix: the match extends to the end of the word


def _resolve_lexicon(lexicon: Any) -> tuple[Any, tuple[Any, ...]]:
    """(Lexicon or None, entries) from a Lexicon, a name/path, a list of these or of entries."""
    if hasattr(lexicon, "entries") and not isinstance(lexicon, (str, bytes)):
        return lexicon, tuple(lexicon.entries)
    if (
        isinstance(lexicon, (list, tuple))
        and lexicon
        and all(hasattr(x, "term") and not hasattr(x, "entries") for x in lexicon)
    ):
        return None, tuple(lexicon)
    if isinstance(lexicon, (str, list, tuple)) or hasattr(lexicon, "__fspath__"):
        from framing.lexicon import load_lexicon

        lex = load_lexicon(lexicon)
        return lex, tuple(lex.entries)
    raise LexiconError(
        "The 'lexicon' parameter of Matcher must be a Lexicon, a bundled lexicon name, a path "
        f"to a YAML file, or a list of these (or of Entry objects). Got {type(lexicon).__name__}"
        " instead."
    )


class Matcher:
    """Find the entries of one or more lexicons in texts, in one pass per text.

    Parameters
    ----------
    lexicon : Lexicon, str, path, or list
        A :class:`framing.Lexicon`, a bundled lexicon name (``"mideast"``), a YAML path, a list
        of these (merged in order: earlier lexicons win ties), or a list of ``Entry`` objects.
    case_sensitive : bool or None, default None
        ``None`` follows each entry's ``case_sensitive`` setting; ``True`` makes every entry
        case-sensitive (the surface must have the case of a term or variant as written) and
        ``False`` makes every entry case-insensitive.

    Notes
    -----
    The automaton is built once, in the constructor. A matcher pickles (it is rebuilt from its
    entries on unpickling), so worker processes can use it. See the module docstring for the
    forms matched and the overlap rule.

    Examples
    --------
    >>> m = Matcher("mideast")                                        # doctest: +SKIP
    >>> [(x.start, x.end, x.entry.term) for x in m("The Zionist regime’s bullying")]
    ... # doctest: +SKIP
    [(4, 21, 'Zionist regime')]
    """

    def __init__(self, lexicon: Any, *, case_sensitive: bool | None = None) -> None:
        if case_sensitive not in (None, True, False):
            raise FramingError(
                "The 'case_sensitive' parameter of Matcher must be None, True or False. "
                f"Got {case_sensitive!r} instead."
            )
        self.case_sensitive = case_sensitive
        self.lexicon, self.entries = _resolve_lexicon(lexicon)
        self._build()

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        import ahocorasick

        lex_order: dict[str, int] = {}
        n = max(len(self.entries), 1)
        keys: dict[str, dict[tuple[int, str], _Candidate]] = {}
        for index, entry in enumerate(self.entries):
            order = lex_order.setdefault(str(getattr(entry, "lexicon", "") or ""), len(lex_order))
            priority = order * n + index
            texts = [entry.term, *tuple(getattr(entry, "variants", ()) or ())]
            cased_flag = (
                bool(getattr(entry, "case_sensitive", False))
                if self.case_sensitive is None
                else self.case_sensitive
            )
            cased: frozenset[str] | None = None
            if cased_flag:
                cased = frozenset(
                    _canon(f.rstrip("*")) for t in texts for f in term_forms(str(t), casefold=False)
                )
            not_before = _context_words(getattr(entry, "not_before", ()) or ())
            not_after = _context_words(getattr(entry, "not_after", ()) or ())
            for text in texts:
                for form in term_forms(str(text)):
                    wildcard = form.endswith("*")
                    canon = _canon(form[:-1] if wildcard else form)
                    view = _word_view(canon)
                    key = f" {view}" if wildcard else f" {view} "
                    # punctuation inside the form, or a separator (the view also maps
                    # "a,b" and "a/b" to "a b"): compare the normalized surface
                    verify = view != canon or " " in canon
                    cands = keys.setdefault(key, {})
                    if (index, canon) not in cands:
                        cands[(index, canon)] = _Candidate(
                            priority,
                            index,
                            canon,
                            verify,
                            cased,
                            not_before,
                            not_after,
                            wildcard,
                        )
        # context cues of gated entries (framing.context): extra keys of the same automaton,
        # never emitted as matches; per cue set the candidates a matcher of the cues alone
        # (Entry(term=cue) in list order) would have
        cue_sets: dict[tuple[str, ...], int] = {}
        for entry in self.entries:
            cues = tuple(getattr(entry, "context", ()) or ())
            if cues:
                cue_sets.setdefault(cues, len(cue_sets))
        cue_keys: dict[str, dict[int, dict[tuple[int, str], _Candidate]]] = {}
        for cues, set_id in cue_sets.items():
            for k, cue in enumerate(cues):
                for form in term_forms(str(cue)):
                    wildcard = form.endswith("*")
                    canon = _canon(form[:-1] if wildcard else form)
                    view = _word_view(canon)
                    key = f" {view}" if wildcard else f" {view} "
                    per_set = cue_keys.setdefault(key, {}).setdefault(set_id, {})
                    if (k, canon) not in per_set:
                        per_set[(k, canon)] = _Candidate(
                            k, k, canon, view != canon or " " in canon, None, (), (), wildcard
                        )
                    keys.setdefault(key, {})
        # gated entries, and the priorities of the ungated ones in a matcher of them alone
        # (CueHits.ungated_matches finds their matches from this pass)
        gated = [bool(getattr(e, "context", ())) for e in self.entries]
        ungated = [i for i, g in enumerate(gated) if not g]
        fb_order: dict[str, int] = {}
        fb_priority = [0] * len(self.entries)
        for pos, i in enumerate(ungated):
            order = fb_order.setdefault(
                str(getattr(self.entries[i], "lexicon", "") or ""), len(fb_order)
            )
            fb_priority[i] = order * max(len(ungated), 1) + pos
        automaton = ahocorasick.Automaton()
        # per key: (length, candidates by priority, (priority, index) when the first candidate
        # needs no check at all: the common fast path; None for prefix wildcards, cue keys and
        # keys of gated entries; cue candidates per cue set or None; the ungated candidates
        # when the key also has gated ones, else None)
        table: list[_Key] = []
        forms: set[str] = set()
        for key, cands in keys.items():
            ordered = tuple(sorted(cands.values(), key=lambda c: c.priority))
            cue_cands: tuple[tuple[int, tuple[_Candidate, ...]], ...] | None = None
            if key in cue_keys:
                cue_cands = tuple(
                    (set_id, tuple(sorted(c.values(), key=lambda c: c.priority)))
                    for set_id, c in cue_keys[key].items()
                )
            alt: tuple[_Candidate, ...] | None = None
            if any(gated[c.entry] for c in ordered):
                alt = tuple(c for c in ordered if not gated[c.entry]) or None
            simple = None
            if ordered and cue_cands is None and not gated[ordered[0].entry]:
                first = ordered[0]
                if not (
                    first.verify
                    or first.cased is not None
                    or first.not_before
                    or first.not_after
                    or first.wildcard
                ):
                    simple = (first.priority, first.entry)
            automaton.add_word(key, len(table))
            table.append((len(key), ordered, simple, cue_cands, alt))
            forms.update(c.form for c in ordered)
        if table:
            automaton.make_automaton()
        self._automaton = automaton if table else None
        self._table = table
        self._forms = frozenset(forms)
        self._cue_sets = cue_sets
        self._gated = gated
        self._fb_priority = fb_priority

    def __getstate__(self) -> dict[str, Any]:
        return {
            "lexicon": self.lexicon,
            "entries": self.entries,
            "case_sensitive": self.case_sensitive,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.lexicon = state["lexicon"]
        self.entries = state["entries"]
        self.case_sensitive = state["case_sensitive"]
        self._build()

    # -- protocol -------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of entries (terms with their variants count once)."""
        return len(self.entries)

    def __contains__(self, term: object) -> bool:
        """True when the whole of ``term`` is matched (by any entry, any generated form)."""
        if not isinstance(term, str):
            return False
        stripped = term.strip()
        if not stripped:
            return False
        return any(m.start == 0 and m.end == len(stripped) for m in self(stripped))

    def __repr__(self) -> str:
        name = getattr(self.lexicon, "name", None) or "entries"
        return (
            f"Matcher({name!r}, {len(self.entries)} entries, {len(self._table)} patterns, "
            f"case_sensitive={self.case_sensitive})"
        )

    def __call__(self, text: str) -> list[Match]:
        """Find the matches in ``text``.

        Parameters
        ----------
        text : str
            One text (a bare string; for many texts call the matcher on each, or use
            :func:`framing.score`).

        Returns
        -------
        list of Match
            Non-overlapping matches sorted by ``start``, in offsets of ``text`` as written.
        """
        if not isinstance(text, str):
            raise FramingError(
                f"Matcher expects one text (str); got {type(text).__name__}. "
                "Call it once per text, or score a documents table with framing.score()."
            )
        starts, ends, indices = self._find(text)
        entries = self.entries
        return [Match(s, e, entries[i]) for s, e, i in zip(starts, ends, indices, strict=True)]

    # -- matching -------------------------------------------------------------------------
    def _find(self, text: str) -> tuple[list[int], list[int], list[int]]:
        """Matches of ``text`` as three lists: original starts, ends and entry indices."""
        return self.find_with_cues(text)[:3]

    def find_with_cues(self, text: str) -> tuple[list[int], list[int], list[int], CueHits | None]:
        """Matches of ``text`` and the context cues found in the same pass.

        Parameters
        ----------
        text : str
            One text.

        Returns
        -------
        starts, ends, indices : list of int
            The matches (original offsets, entry indices), as :meth:`__call__` gives them.
        cues : CueHits or None
            The context cues of the gated entries (see :mod:`framing.context`) found in the
            text; None when the matcher has no gated entries or the text is empty.
        """
        if self._automaton is None or not text:
            return [], [], [], None
        norm, src = normalize(text)
        view = f" {_word_view(norm)} "
        table = self._table
        found: list[tuple[int, int, int, int]] = []  # (start, end, priority, index) normalized
        cue_hits: list[tuple[int, int]] = []
        alts: list[tuple[int, int, int, int]] = []  # ungated candidates behind gated ones
        gated = self._gated
        append = found.append
        for last, key_id in self._automaton.iter(view):
            length, cands, simple, cue, alt = table[key_id]
            if simple is not None:
                ns = last - length + 1
                append((ns, last - 1, simple[0], simple[1]))
                continue
            if cue is not None:
                cue_hits.append((last, key_id))
            if cands:
                hit = _first_passing(cands, text, norm, src, view, last - length + 1, last)
                if hit is not None:
                    append(hit)
                    if alt is not None and gated[hit[3]]:
                        other = _first_passing(alt, text, norm, src, view, last - length + 1, last)
                        if other is not None:
                            alts.append(other)
        cues = None
        if self._cue_sets:
            cues = CueHits(self, text, norm, src, view, cue_hits, found, alts)
        if not found:
            return [], [], [], cues
        starts, ends, indices = _to_original(_resolve_overlaps(found), src)
        return starts, ends, indices, cues

    def find_all(self, texts: Sequence[str]) -> list[list[Match]]:
        """Matches of every text of ``texts`` (a list of str; a bare str is refused).

        Parameters
        ----------
        texts : sequence of str
            The texts.

        Returns
        -------
        list of list of Match
            One list per text, as :meth:`__call__` returns.
        """
        if isinstance(texts, str):
            raise FramingError(
                "Matcher.find_all expects a list of texts, got a single str; call the matcher "
                "on it directly: matcher(text)."
            )
        return [self(t) for t in texts]


_Key = tuple[
    int,
    tuple[_Candidate, ...],
    "tuple[int, int] | None",
    "tuple[tuple[int, tuple[_Candidate, ...]], ...] | None",
    "tuple[_Candidate, ...] | None",
]


def _first_passing(
    cands: tuple[_Candidate, ...],
    text: str,
    norm: str,
    src: np.ndarray | None,
    view: str,
    ns: int,
    last: int,
) -> tuple[int, int, int, int] | None:
    """The first candidate of one automaton hit (key ending at ``last`` of the padded view,
    starting at ``ns`` of ``norm``) that passes its checks: ``(start, end, priority, index)``
    in normalized offsets, or None."""
    ne = pe = last - 1  # pe: end of the part compared with the form
    if cands[0].wildcard:
        pe = last
        ne = view.find(" ", last + 1) - 1  # extend to the end of the word
    surface_canon: str | None = None
    cased_surface: str | None = None
    for cand in cands:
        if cand.verify:
            if surface_canon is None:
                surface_canon = _canon(norm[ns:pe])
            if surface_canon != cand.form:
                continue
        if cand.cased is not None:
            if cased_surface is None:
                if src is None:
                    a, b = ns, pe
                else:
                    a, b = int(src[ns]), int(src[pe - 1]) + 1
                cased_surface = _canon(normalize_term(text[a:b], casefold=False))
            if cased_surface not in cand.cased:
                continue
        if cand.not_before and _followed_by(norm, ne, cand.not_before):
            continue
        if cand.not_after and _preceded_by(norm, ns, cand.not_after):
            continue
        return (ns, ne, cand.priority, cand.entry)
    return None


def _to_original(
    found: list[tuple[int, int, int, int]], src: np.ndarray | None
) -> tuple[list[int], list[int], list[int]]:
    """Resolved normalized matches -> original starts, ends and entry indices."""
    starts = [f[0] for f in found]
    ends = [f[1] for f in found]
    indices = [f[3] for f in found]
    if src is not None and starts:
        # a match must not start or end inside the expansion of one original character
        # (the "1" of "½" -> "1⁄2"): it would be reported glued to that character
        inside = [
            (s > 0 and src[s - 1] == src[s]) or src[e] == src[e - 1]
            for s, e in zip(starts, ends, strict=True)
        ]
        if any(inside):
            keep = [i for i, bad in enumerate(inside) if not bad]
            starts = [starts[i] for i in keep]
            ends = [ends[i] for i in keep]
            indices = [indices[i] for i in keep]
        starts = src[starts].tolist()
        ends = (src[[e - 1 for e in ends]] + 1).tolist()
    return starts, ends, indices


class CueHits:
    """The context cues found in one text by :meth:`Matcher.find_with_cues`.

    The cues of every gated entry are keys of the matcher's automaton, so they are found in
    the same pass as the lexicon terms, on the same normalized text. :meth:`spans` resolves
    them per cue list on demand. The pass also keeps the candidates of the ungated entries
    before overlap resolution, so :meth:`ungated_matches` can say what the ungated entries
    alone match where a gated match was dropped, without matching the text again.
    """

    def __init__(
        self,
        matcher: Matcher,
        text: str,
        norm: str,
        src: np.ndarray | None,
        view: str,
        hits: list[tuple[int, int]],
        found: list[tuple[int, int, int, int]],
        alts: list[tuple[int, int, int, int]],
    ) -> None:
        self._matcher = matcher
        self._text, self._norm, self._src, self._view = text, norm, src, view
        self._hits = hits
        self._found, self._alts = found, alts  # every candidate, ungated ones behind gated
        self._ungated: list[tuple[int, int, int, int]] = []
        self._ungated_spans: tuple[np.ndarray, np.ndarray] | None = None
        self._spans: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}

    def ungated_matches(self, lo: int, hi: int) -> tuple[list[int], list[int], list[int]]:
        """The matches of the ungated entries alone in ``text[lo:hi]``, in original offsets,
        as a matcher of those entries finds them in that stretch (overlaps resolved among
        them only).

        Parameters
        ----------
        lo, hi : int
            The stretch, in offsets of the text as written.

        Returns
        -------
        starts, ends, indices : list of int
            Entry indices are those of the full matcher.
        """
        if self._ungated_spans is None:
            gated = self._matcher._gated
            self._ungated = [f for f in self._found if not gated[f[3]]] + self._alts
            raw = np.asarray([f[:2] for f in self._ungated], dtype=np.int64).reshape(-1, 2)
            if self._src is not None and len(raw):
                raw = np.stack([self._src[raw[:, 0]], self._src[raw[:, 1] - 1] + 1], axis=1)
            self._ungated_spans = (raw[:, 0], raw[:, 1])
        a, b = self._ungated_spans
        inside = np.flatnonzero((a >= lo) & (b <= hi)).tolist()
        if not inside:
            return [], [], []
        priority = self._matcher._fb_priority
        found = []
        for k in inside:
            s, e, _p, i = self._ungated[k]
            found.append((s, e, priority[i], i))
        return _to_original(_resolve_overlaps(found), self._src)

    @property
    def entries(self) -> tuple[Any, ...]:
        """The entries of the matcher that found these cues (entry indices refer to them)."""
        return self._matcher.entries

    def knows(self, cues: tuple[str, ...]) -> bool:
        """True when ``cues`` is the cue list of one of the matcher's gated entries."""
        return cues in self._matcher._cue_sets

    def spans(self, cues: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets (original text, sorted, not overlapping) of the cues of the
        cue list ``cues``, as a matcher of those cues alone would find them.

        Parameters
        ----------
        cues : tuple of str
            The cue list of a gated entry (``Entry.context``).

        Returns
        -------
        starts, ends : numpy.ndarray of int64
        """
        out = self._spans.get(cues)
        if out is None:
            if not self.knows(cues):
                raise FramingError(
                    f"CueHits.spans: the cue list {cues[:3]!r}... is not one of the matcher's "
                    "(call find_with_cues on a matcher built with the gated entries)."
                )
            set_id = self._matcher._cue_sets[cues]
            table = self._matcher._table
            found: list[tuple[int, int, int, int]] = []
            for last, key_id in self._hits:
                length, _cands, _simple, cue, _alt = table[key_id]
                for sid, cands in cue or ():
                    if sid == set_id:
                        first = cands[0]
                        if not (first.verify or first.wildcard):  # cues: no case, no context
                            found.append((last - length + 1, last - 1, first.priority, first.entry))
                            continue
                        hit = _first_passing(
                            cands,
                            self._text,
                            self._norm,
                            self._src,
                            self._view,
                            last - length + 1,
                            last,
                        )
                        if hit is not None:
                            found.append(hit)
            starts, ends, _ = _to_original(_resolve_overlaps(found) if found else [], self._src)
            out = (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
            self._spans[cues] = out
        return out


def _resolve_overlaps(found: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Non-overlapping subset: longest first, then priority, then start; sorted by start."""
    found.sort()
    prev_end = -1
    overlapping = False
    for s, e, _p, _i in found:
        if s < prev_end:
            overlapping = True
            break
        prev_end = e
    if not overlapping:
        return found
    found.sort(key=lambda f: (f[0] - f[1], f[2], f[0]))
    starts: list[int] = []
    kept: list[tuple[int, int, int, int]] = []
    for cand in found:
        s, e = cand[0], cand[1]
        pos = bisect_right(starts, s)
        if pos > 0 and kept[pos - 1][1] > s:
            continue
        if pos < len(starts) and starts[pos] < e:
            continue
        starts.insert(pos, s)
        kept.insert(pos, cand)
    return kept
