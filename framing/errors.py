"""Exceptions raised by framing.

Every error a user can cause is a :class:`FramingError` subclass whose message names what is
wrong, where (file, line, column or option) and what to do about it. The CLI prints the message
on one line and exits with status 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CorpusError",
    "DataQualityWarning",
    "FramingError",
    "LexiconError",
    "ModelError",
    "ParameterError",
    "one_of",
    "parameter_error",
]


class FramingError(Exception):
    """Base class of all errors raised by framing for bad input or usage."""


class ParameterError(FramingError, ValueError, TypeError):
    """A function or CLI option was given a value it does not accept.

    Raise it with :func:`parameter_error`, so that every message has one shape::

        option `level`: got 'x'; expected one of 'sentence', 'document'.

    It subclasses both :class:`ValueError` and :class:`TypeError`, so code that catches the
    built-in exception for a bad value or a bad type keeps working, and the CLI reports it on one
    line like every :class:`FramingError`.
    """


def parameter_error(option: str, got: object, expected: str, *, hint: str = "") -> ParameterError:
    """Build the :class:`ParameterError` for option ``option`` with the one message shape.

    Parameters
    ----------
    option : str
        Name of the parameter or CLI option at fault (``"level"``, ``"--jobs"``).
    got : object
        The value received; shown with :func:`repr`, shortened to 80 characters.
    expected : str
        What would have been accepted, in words (``"one of 'sentence', 'document'"``).
    hint : str, optional
        A further sentence on how to fix it.

    Returns
    -------
    ParameterError
        The exception, for the caller to ``raise``.

    Examples
    --------
    >>> raise parameter_error("jobs", 0, "an integer >= 1")
    Traceback (most recent call last):
    ...
    framing.errors.ParameterError: option `jobs`: got 0; expected an integer >= 1.
    """
    shown = repr(got)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    message = f"option `{option}`: got {shown}; expected {expected}."
    if hint:
        message += " " + hint.strip()
    return ParameterError(message)


def one_of(allowed: Iterable[object]) -> str:
    """The ``expected`` text of :func:`parameter_error` for a choice: ``"one of 'a', 'b'"``.

    Parameters
    ----------
    allowed : iterable
        The accepted values, in the order to list them (each shown with :func:`repr`).

    Returns
    -------
    str

    Examples
    --------
    >>> one_of(["author", "quote", None])
    "one of 'author', 'quote', None"
    """
    return "one of " + ", ".join(map(repr, allowed))


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
