"""A small HTML helper shared by notebook reprs and the report: escaping and highlighting.

Everything that comes from data (document text, terms, outlet names) goes through
:func:`escape`; :func:`highlight` marks character spans of a text with ``<mark>`` elements,
escaping the text around and inside them. No other module builds HTML from raw strings.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["MARK_STYLE", "escape", "highlight", "table"]

#: CSS for the ``<mark>`` elements produced by :func:`highlight` (include once per page).
MARK_STYLE = (
    "mark.fr-match{background:#ffe08a;padding:0 1px;border-radius:2px}"
    "mark.fr-match.fr-quote{background:#b9e3ff}"
)


def escape(value: Any, *, quote: bool = True) -> str:
    """HTML-escape ``value`` (converted with ``str``; ``None`` and NA become ``""``).

    Parameters
    ----------
    value : object
        Any value.
    quote : bool, default True
        Escape quotes too, so that the result is safe inside attributes (``False``: only
        ``&``, ``<`` and ``>``, for text such as Markdown where quotes stay readable).

    Returns
    -------
    str
        The escaped text.
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN / NA
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value), quote=quote)


def highlight(
    text: str,
    spans: Iterable[Sequence[Any]],
    *,
    css_class: str = "fr-match",
) -> str:
    """Escape ``text`` and wrap the given character spans in ``<mark>`` elements.

    Parameters
    ----------
    text : str
        The text as written.
    spans : iterable of (start, end) or (start, end, title) or (start, end, title, extra_class)
        Character offsets into ``text``. Spans are sorted here; a span overlapping an earlier
        one, empty, or outside the text is skipped. ``title`` (shown on hover) is escaped.
    css_class : str, default "fr-match"
        Class of every ``<mark>`` (see :data:`MARK_STYLE`); with ``""`` a mark has only its
        span's ``extra_class`` (no ``class`` attribute when it has none).

    Returns
    -------
    str
        HTML (no surrounding element).

    Examples
    --------
    >>> highlight("a <b> c", [(2, 5, "tag")])
    'a <mark class="fr-match" title="tag">&lt;b&gt;</mark> c'
    """
    out: list[str] = []
    pos = 0
    n = len(text)
    for span in sorted(spans, key=lambda s: (int(s[0]), int(s[1]))):
        start, end = int(span[0]), int(span[1])
        if start < pos or end <= start or end > n:
            continue
        title = span[2] if len(span) > 2 else None
        extra = span[3] if len(span) > 3 else None
        cls = " ".join(c for c in (css_class, escape(extra) if extra else "") if c)
        attr = f' class="{cls}"' if cls else ""
        attr += f' title="{escape(title)}"' if title not in (None, "") else ""
        out.append(escape(text[pos:start]))
        out.append(f"<mark{attr}>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def table(rows: Iterable[Sequence[Any]], header: Sequence[str], *, raw: Sequence[int] = ()) -> str:
    """A plain HTML table; every cell escaped except the columns listed in ``raw``.

    Parameters
    ----------
    rows : iterable of sequences
        Cell values, one sequence per row.
    header : sequence of str
        Column headings.
    raw : sequence of int, optional
        Indices of columns whose cells already are HTML (for example from :func:`highlight`).

    Returns
    -------
    str
        ``<table>...</table>``.
    """
    raw_set = set(raw)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(
            f"<td>{cell if i in raw_set else escape(cell)}</td>" for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
