"""framing: measure how news outlets frame events through word choice.

The public API is re-exported here and loaded lazily, so ``import framing`` stays fast and
heavy dependencies (scikit-learn, matplotlib) are imported only when first used::

    import framing as fr
    docs = fr.read_corpus("articles/")
    scores = fr.score(docs, lexicons=["mideast"])
    prof = fr.profile(scores, by="outlet")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "read_corpus": "framing.corpus",
    "iter_corpus": "framing.corpus",
    "sentence_spans": "framing.segment",
    "quote_spans": "framing.segment",
    "split_sentences": "framing.segment",
    "Lexicon": "framing.lexicon",
    "load_lexicon": "framing.lexicon",
    "list_lexicons": "framing.lexicon",
    "Matcher": "framing.matcher",
    "Scores": "framing.scoring",
    "score": "framing.scoring",
    "score_files": "framing.engine",
    "profile": "framing.aggregate",
    "term_choice": "framing.aggregate",
    "slant": "framing.aggregate",
    "keyness": "framing.aggregate",
    "plot_profile": "framing.plot",
    "plot_term_choice": "framing.plot",
    "plot_slant": "framing.plot",
    "plot_timeline": "framing.plot",
    "plot_pr_curves": "framing.plot",
    "plot_keyness": "framing.plot",
    "LexiconFeaturizer": "framing.classify",
    "FramingClassifier": "framing.classify",
    "evaluate": "framing.classify",
    "report": "framing.reporting",
    "FramingError": "framing.errors",
    "CorpusError": "framing.errors",
    "LexiconError": "framing.errors",
    "ModelError": "framing.errors",
    "ParameterError": "framing.errors",
    "DataQualityWarning": "framing.errors",
    "kwic": "framing.validate",
    "coding_sample": "framing.validate",
    "write_coding_sheet": "framing.validate",
    "read_coding_sheet": "framing.validate",
    "agreement": "framing.validate",
    "krippendorff_alpha": "framing.validate",
    "read_dictionary": "framing.dictionary",
    "lexicon_from_frame": "framing.dictionary",
    "write_lexicon": "framing.dictionary",
    "document_features": "framing.features",
    "write_features": "framing.features",
}
_SUBMODULES = {"datasets", "errors", "dask"}

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"framing.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from framing import dask, datasets, errors
    from framing.aggregate import keyness, profile, slant, term_choice
    from framing.classify import FramingClassifier, LexiconFeaturizer, evaluate
    from framing.corpus import iter_corpus, read_corpus
    from framing.dictionary import lexicon_from_frame, read_dictionary, write_lexicon
    from framing.engine import score_files
    from framing.errors import (
        CorpusError,
        DataQualityWarning,
        FramingError,
        LexiconError,
        ModelError,
        ParameterError,
    )
    from framing.features import document_features, write_features
    from framing.lexicon import Lexicon, list_lexicons, load_lexicon
    from framing.matcher import Matcher
    from framing.plot import (
        plot_keyness,
        plot_pr_curves,
        plot_profile,
        plot_slant,
        plot_term_choice,
        plot_timeline,
    )
    from framing.reporting import report
    from framing.scoring import Scores, score
    from framing.segment import quote_spans, sentence_spans, split_sentences
    from framing.validate import (
        agreement,
        coding_sample,
        krippendorff_alpha,
        kwic,
        read_coding_sheet,
        write_coding_sheet,
    )
