"""Scoring: documents -> :class:`Scores` (documents, sentences and matches tables).

(skeleton: the ``Scores`` container is final; ``score()`` is being implemented.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Scores"]  # score() is added with the scoring issue


@dataclass(frozen=True)
class Scores:
    """The result of :func:`score`: three linked tables (see DESIGN.md for the schemas).

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per input document: ``doc_id, outlet, date, title, text``, other input columns,
        then ``n_sentences, n_words, n_matches, score``.
    sentences : pandas.DataFrame
        One row per sentence: ``doc_id, sent_id, start, end, text, n_words, quote_share,
        n_matches, score`` and ``p_<label>`` columns when a classifier was applied.
    matches : pandas.DataFrame
        One row per lexicon match: ``doc_id, sent_id, start, end, surface, term, lexicon,
        category, concept, stance, weight, voice``.
    lexicons : tuple of str
        Names (with versions) of the lexicons used, e.g. ``("mideast@1",)``.
    meta : dict
        Free-form provenance (framing version, options).
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    matches: pd.DataFrame
    lexicons: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
