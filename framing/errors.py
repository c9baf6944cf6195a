"""Exceptions raised by framing.

Every error a user can cause is a :class:`FramingError` subclass whose message names what is
wrong, where (file, line, column or option) and what to do about it. The CLI prints the message
on one line and exits with status 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

__all__ = ["CorpusError", "DataQualityWarning", "FramingError", "LexiconError", "ModelError"]


class FramingError(Exception):
    """Base class of all errors raised by framing for bad input or usage."""


class CorpusError(FramingError, ValueError):
    """A corpus could not be read: missing file, bad encoding, missing column, duplicate ids."""


class LexiconError(FramingError, ValueError):
    """A lexicon file or entry is invalid. ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ModelError(FramingError, ValueError):
    """A classifier could not be trained, loaded or applied."""


class DataQualityWarning(UserWarning):
    """Input was usable but imperfect (unparseable dates, empty texts, NaT in a time view).

    Issued with :func:`warnings.warn`; the message counts the affected rows and names the
    file or column, so that nothing is dropped or altered silently.
    """
