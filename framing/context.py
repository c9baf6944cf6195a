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

Cues are matched like lexicon terms (case-insensitive, plurals, possessives, hyphen = space).

Examples
--------
>>> from framing.lexicon import load_lexicon                         # doctest: +SKIP
>>> gate = context_gate(load_lexicon("mideast"))                     # doctest: +SKIP
>>> gate.explain("The looting of Gaza's stores ...", matches)        # doctest: +SKIP
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
        self._matchers: list[Any] = [None] * len(self._rules)
        self._entries = tuple(entries)
        self._fallback: Any = None
        self.active = bool(self._rules)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_matchers"] = [None] * len(self._rules)  # rebuilt lazily
        state["_fallback"] = None
        return state

    def _refill(self, text: str, dropped: list[tuple[int, int]],
                kept: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        """Matches of the ungated entries inside the dropped stretches, not overlapping a kept
        match: ``(start, end, entry index)``."""
        if self._fallback is None:
            from framing.matcher import Matcher

            ungated = [i for i, r in enumerate(self._rule_of) if r < 0]
            self._fallback = (Matcher([self._entries[i] for i in ungated]) if ungated else None,
                              ungated)
        matcher, ungated = self._fallback
        if matcher is None:
            return []
        out = []
        for a, b in dropped:
            lo = max(0, a - 80)  # room for the not_before / not_after context of an entry
            found = matcher._find(text[lo:b + 80])
            for s, e, i in zip(*found, strict=True):
                s, e = s + lo, e + lo
                if a <= s and e <= b and not any(s < ke and ks < e for ks, ke in kept):
                    out.append((s, e, ungated[i]))
        return out

    def _cue_matcher(self, rule: int) -> Any:
        matcher = self._matchers[rule]
        if matcher is None:
            from framing.lexicon import Entry
            from framing.matcher import Matcher

            matcher = Matcher([Entry(term=cue, lexicon="context") for cue in
                               self._rules[rule].cues])
            self._matchers[rule] = matcher
        return matcher

    def check(
        self,
        text: str,
        starts: Sequence[int],
        idx: Sequence[int],
        sentences: Sequence[tuple[int, int]] | None = None,
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
        """
        out: list[tuple[bool, str | None]] = []
        cue_found: dict[int, list[tuple[int, int, str]]] = {}
        units: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        for start, i in zip(starts, idx, strict=True):
            rule_id = self._rule_of[i] if 0 <= i < len(self._rule_of) else -1
            if rule_id < 0:
                out.append((True, None))
                continue
            rule = self._rules[rule_id]
            if rule_id not in cue_found:
                cue_found[rule_id] = [(m.start, m.end, m.entry.term)
                                      for m in self._cue_matcher(rule_id)(text)]
            cues = cue_found[rule_id]
            if rule.scope == "document":
                lo, hi = 0, len(text)
            else:
                if rule.scope not in units:
                    if rule.scope == "sentence":
                        if sentences is None:
                            from framing.segment import segment_text

                            sentences = segment_text(text)[0]
                        spans = list(sentences) or [(0, len(text))]
                    else:
                        spans = paragraph_spans(text)
                    units[rule.scope] = ([a for a, _ in spans], spans)
                firsts, spans = units[rule.scope]
                lo, hi = spans[max(bisect_right(firsts, start) - 1, 0)]
            hit = next((c for c in cues if c[0] >= lo and c[1] <= hi), None)
            if hit is None:
                out.append((False, f"dropped: no context cue in its {rule.scope}"))
            else:
                out.append((True, f"kept: cue {text[hit[0]:hit[1]]!r} in its {rule.scope}"))
        return out

    def filter(
        self,
        text: str,
        starts: list[int],
        ends: list[int],
        idx: list[int],
        sentences: Sequence[tuple[int, int]] | None = None,
    ) -> tuple[list[int], list[int], list[int]]:
        """The matches ``(starts, ends, idx)`` without gated ones whose context is absent."""
        if not self.active or not starts or all(self._rule_of[i] < 0 for i in idx):
            return starts, ends, idx
        keep = [k for k, _ in self.check(text, starts, idx, sentences)]
        if all(keep):
            return starts, ends, idx
        rows = [(s, e, i) for s, e, i, k in zip(starts, ends, idx, keep, strict=True) if k]
        dropped = [(s, e) for s, e, k in zip(starts, ends, keep, strict=True) if not k]
        rows += self._refill(text, dropped, [(s, e) for s, e, _ in rows])
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
    key = tuple((tuple(getattr(e, "context", ()) or ()), getattr(e, "context_scope", None))
                for e in entries)
    gate = _GATE_CACHE.get(key)
    if gate is None or len(_GATE_CACHE) > 64:
        if len(_GATE_CACHE) > 64:
            _GATE_CACHE.clear()
        gate = ContextGate(entries)
        _GATE_CACHE[key] = gate
    return gate
