"""Context gating: keep a match of an ambiguous entry only where its domain is in view.

A lexicon may declare ``context`` cues, words or phrases that show a text is about the
lexicon's domain (for ``mideast``: Israel, Gaza, Hezbollah, ...), and an entry may require
them (``requires_context: true``, or its own ``context`` cue list). Such a *gated* entry keeps
a match only when a cue occurs in the same scope:

* ``sentence``: the sentence holding the match (sentences of :func:`framing.segment_text`);
* ``paragraph`` (the default): the stretch between two blank lines (``\\n\\s*\\n``, the
  paragraph break of :mod:`framing.segment`); a text without blank lines is one paragraph;
* ``document``: anywhere in the text.

The gate is a post-filter over the matches of :class:`framing.matcher.Matcher` (after the
matcher's overlap resolution): :func:`framing.score` applies it to every document, and so do
the streaming engine and Dask, which score through :func:`framing.score`. The stretch of a
dropped match is matched again with the ungated entries only, so a general lexicon's entry
that lost the overlap to the gated one still counts ("martyred" in US news is no
``mideast`` match, but still a ``loaded-language`` one).

Cost: the cues of every gated entry are keys of the matcher's own automaton
(:meth:`framing.matcher.Matcher.find_with_cues`), so they are found in the matching pass, on
the same normalized text; the decisions for all the matches of a text are then a few numpy
``searchsorted`` calls per cue list, and the ungated matches of a dropped stretch come from the
candidates of that same pass (:meth:`framing.matcher.CueHits.ungated_matches`). Called without
those cues (:meth:`ContextGate.check` on its own), the gate finds them with a matcher of the
gated entries.

Cues are matched like lexicon terms (case-insensitive, plurals, possessives, hyphen = space).

Examples
--------
>>> from framing.lexicon import load_lexicon                         # doctest: +SKIP
>>> gate = context_gate(load_lexicon("mideast"))                     # doctest: +SKIP
>>> gate.explain("The looting of Gaza's stores ...", matches)        # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from framing.matcher import CueHits, Matcher

from framing.lexicon import CONTEXT_SCOPES, DEFAULT_SCOPE  # the lexicon schema owns them

__all__ = ["CONTEXT_SCOPES", "DEFAULT_SCOPE", "ContextGate", "context_gate", "paragraph_spans"]


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the paragraphs of ``text`` (split at blank lines), covering it all.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        Consecutive spans; the break between two paragraphs belongs to the earlier one.

    Examples
    --------
    >>> paragraph_spans("a b\\n\\nc")
    [(0, 5), (5, 6)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return out


@dataclass(frozen=True)
class _Rule:
    cues: tuple[str, ...]
    scope: str


class ContextGate:
    """The context rules of a list of entries, compiled once; see the module docstring.

    Parameters
    ----------
    entries : sequence of framing.lexicon.Entry
        The entries in matcher order (``Matcher.entries``); an entry is gated when its
        ``context`` (the resolved cue list) is not empty.

    Attributes
    ----------
    active : bool
        True when at least one entry is gated (otherwise :meth:`filter` returns its input).
    """

    def __init__(self, entries: Sequence[Any]) -> None:
        rules: dict[tuple[tuple[str, ...], str], int] = {}
        self._rule_of: list[int] = []
        for entry in entries:
            cues = tuple(getattr(entry, "context", ()) or ())
            if not cues:
                self._rule_of.append(-1)
                continue
            scope = getattr(entry, "context_scope", None) or DEFAULT_SCOPE
            self._rule_of.append(rules.setdefault((cues, scope), len(rules)))
        self._rules = [_Rule(cues, scope) for (cues, scope) in rules]
        self._rule_arr = np.asarray(self._rule_of, dtype=np.int64)
        self._cue_source: Matcher | None = None
        self._entries = tuple(entries)
        self._fallback: Any = None
        self.active = bool(self._rules)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cue_source"] = None  # rebuilt lazily
        state["_fallback"] = None
        return state

    def _refill(
        self,
        text: str,
        dropped: list[tuple[int, int]],
        kept: list[tuple[int, int]],
        cues: CueHits | None = None,
    ) -> list[tuple[int, int, int]]:
        """Matches of the ungated entries inside the dropped stretches, not overlapping a kept
        match: ``(start, end, entry index)``. With ``cues`` (of the matching pass) they come
        from the candidates of that pass, else from matching the stretches again."""
        if cues is not None:
            out = []
            for a, b in dropped:
                # room for the not_before / not_after context of an entry
                found = cues.ungated_matches(max(0, a - 80), b + 80)
                for s, e, i in zip(*found, strict=True):
                    if a <= s and e <= b and not any(s < ke and ks < e for ks, ke in kept):
                        out.append((s, e, i))
            return out
        if self._fallback is None:
            from framing.matcher import Matcher

            ungated = [i for i, r in enumerate(self._rule_of) if r < 0]
            self._fallback = (
                Matcher([self._entries[i] for i in ungated]) if ungated else None,
                ungated,
            )
        matcher, ungated = self._fallback
        if matcher is None:
            return []
        out = []
        for a, b in dropped:
            lo = max(0, a - 80)  # room for the not_before / not_after context of an entry
            found = matcher._find(text[lo : b + 80])
            for s, e, i in zip(*found, strict=True):
                s, e = s + lo, e + lo
                if a <= s and e <= b and not any(s < ke and ks < e for ks, ke in kept):
                    out.append((s, e, ungated[i]))
        return out

    def _own_cues(self, text: str) -> CueHits | None:
        """The cues of ``text`` found by a matcher of the gated entries (when the caller has
        no :class:`framing.matcher.CueHits` of its own)."""
        if self._cue_source is None:
            from framing.matcher import Matcher

            self._cue_source = Matcher(
                [e for e, r in zip(self._entries, self._rule_of, strict=True) if r >= 0]
            )
        return self._cue_source.find_with_cues(text)[3]

    def _decide(
        self,
        text: str,
        starts: Sequence[int],
        idx: Sequence[int],
        sentences: Sequence[tuple[int, int]] | None,
        cues: CueHits | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per match: rule id (-1 = ungated), keep, and the start and end of the first cue
        found in its scope (-1 when none)."""
        n = len(starts)
        index = np.asarray(idx, dtype=np.int64).reshape(n)
        valid = (index >= 0) & (index < len(self._rule_of))
        rule = np.full(n, -1, dtype=np.int64)
        rule[valid] = self._rule_arr[index[valid]]
        keep = np.ones(n, dtype=bool)
        cue_start = np.full(n, -1, dtype=np.int64)
        cue_end = np.full(n, -1, dtype=np.int64)
        gated = rule >= 0
        if not gated.any():
            return rule, keep, cue_start, cue_end
        rules = np.unique(rule[gated]).tolist()
        if cues is None or not all(cues.knows(self._rules[r].cues) for r in rules):
            cues = self._own_cues(text)
        pos = np.asarray(starts, dtype=np.int64).reshape(n)
        units: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for r in rules:
            spec = self._rules[r]
            sel = np.flatnonzero(rule == r)
            if cues is None:
                keep[sel] = False
                continue
            cs, ce = cues.spans(spec.cues)
            if spec.scope == "document":
                lo = np.zeros(len(sel), dtype=np.int64)
                hi = np.full(len(sel), len(text), dtype=np.int64)
            else:
                if spec.scope not in units:
                    if spec.scope == "sentence":
                        if sentences is None:
                            from framing.segment import segment_text

                            sentences = segment_text(text)[0]
                        spans = list(sentences) or [(0, len(text))]
                    else:
                        spans = paragraph_spans(text)
                    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
                    units[spec.scope] = (arr[:, 0], arr[:, 1])
                firsts, lasts = units[spec.scope]
                unit = np.maximum(np.searchsorted(firsts, pos[sel], side="right") - 1, 0)
                lo, hi = firsts[unit], lasts[unit]
            # cues are sorted and do not overlap: the first one starting in the scope is the
            # one ending first, so it is in the scope if any is
            j = np.searchsorted(cs, lo, side="left")
            ok = j < len(cs)
            ok[ok] = ce[j[ok]] <= hi[ok]
            keep[sel] = ok
            cue_start[sel[ok]] = cs[j[ok]]
            cue_end[sel[ok]] = ce[j[ok]]
        return rule, keep, cue_start, cue_end

    def check(
        self,
        text: str,
        starts: Sequence[int],
        idx: Sequence[int],
        sentences: Sequence[tuple[int, int]] | None = None,
        cues: CueHits | None = None,
    ) -> list[tuple[bool, str | None]]:
        """Per match: (keep, reason). ``reason`` is None for an ungated entry, else says
        which cue was found in which scope, or that none was.

        Parameters
        ----------
        text : str
            The document.
        starts, idx : sequences of int
            Match start offsets and entry indexes (as :meth:`Matcher._find` or
            :class:`framing.matcher.Match` give them).
        sentences : sequence of (int, int), optional
            Sentence spans of ``text``; computed with :func:`framing.segment_text` when a
            sentence-scoped entry needs them and they are not given.
        cues : framing.matcher.CueHits, optional
            The cues of ``text`` found by :meth:`framing.matcher.Matcher.find_with_cues`
            in the matching pass; found again here when not given.
        """
        rule, keep, cue_start, cue_end = self._decide(text, starts, idx, sentences, cues)
        out: list[tuple[bool, str | None]] = []
        for r, k, a, b in zip(
            rule.tolist(), keep.tolist(), cue_start.tolist(), cue_end.tolist(), strict=True
        ):
            if r < 0:
                out.append((True, None))
            elif k:
                out.append((True, f"kept: cue {text[a:b]!r} in its {self._rules[r].scope}"))
            else:
                out.append((False, f"dropped: no context cue in its {self._rules[r].scope}"))
        return out

    def filter(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        idx: list[int],
        sentences: Sequence[tuple[int, int]] | None = None,
        cues: CueHits | None = None,
    ) -> tuple[list[int], list[int], list[int]]:
        """The matches ``(starts, ends, idx)`` without gated ones whose context is absent.

        ``cues`` (optional) are the cues found in the matching pass
        (:meth:`framing.matcher.Matcher.find_with_cues`); see :meth:`check`.
        """
        if not self.active or not starts:
            return starts, ends, idx
        if cues is not None and not (
            cues.entries is self._entries or cues.entries == self._entries
        ):
            cues = None  # found by a matcher of other entries: find the cues again
        keep = self._decide(text, starts, idx, sentences, cues)[1]
        if keep.all():
            return starts, ends, idx
        flags = keep.tolist()
        rows = [(s, e, i) for s, e, i, k in zip(starts, ends, idx, flags, strict=True) if k]
        dropped = [(s, e) for s, e, k in zip(starts, ends, flags, strict=True) if not k]
        rows += self._refill(text, dropped, [(s, e) for s, e, _ in rows], cues)
        rows.sort()
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


_GATE_CACHE: dict[Any, ContextGate] = {}


def context_gate(lexicon_or_entries: Any) -> ContextGate:
    """The :class:`ContextGate` of a lexicon (or a matcher's entry list), cached.

    Parameters
    ----------
    lexicon_or_entries : Lexicon, Matcher, or sequence of Entry
        Anything with ``entries`` in matcher order, or the entries themselves.

    Returns
    -------
    ContextGate
    """
    entries = getattr(lexicon_or_entries, "entries", lexicon_or_entries)
    entries = tuple(entries)
    key = tuple(
        (tuple(getattr(e, "context", ()) or ()), getattr(e, "context_scope", None)) for e in entries
    )
    gate = _GATE_CACHE.get(key)
    if gate is None or len(_GATE_CACHE) > 64:
        if len(_GATE_CACHE) > 64:
            _GATE_CACHE.clear()
        gate = ContextGate(entries)
        _GATE_CACHE[key] = gate
    return gate
