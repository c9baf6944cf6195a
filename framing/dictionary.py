"""Dictionary import and export: LIWC, Lexicoder, WordStat and quanteda-style YAML -> Lexicon.

:func:`read_dictionary` reads the dictionary formats content analysts already have (as
quanteda's ``dictionary(file=)`` does) into one internal form, a :class:`~framing.Lexicon`:

========================  =========  ==========================================================
format                    suffix     layout
========================  =========  ==========================================================
``"liwc"``                ``.dic``   LIWC 2007 / 2015 / 22: a ``%``-delimited header of
                                     ``ID  name`` lines, then ``term  ID ID ...`` lines
``"liwc22"``              ``.dicx``  LIWC-22 spreadsheet layout: a CSV whose first column holds
                                     the terms and every other column is a category, a
                                     non-empty cell (``X``) marking membership
``"lexicoder"``           ``.lc3``   Lexicoder: ``+category`` lines, each followed by its terms
``"wordstat"``            ``.cat``   WordStat: categories and terms as an indented tree; a term
                                     may end in a weight ``(1)``, which is ignored
``"yaml"``                ``.yml``   quanteda-style nested YAML (``category: [terms]``, nested
                          ``.yaml``  mappings for subcategories), or a framing lexicon file
``"table"``               ``.csv``   a :meth:`Lexicon.to_frame` table (see
                          ``.parquet``  :func:`lexicon_from_frame`)
========================  =========  ==========================================================

Categories become the entries' ``category``; nested categories are joined with ``/``
(``economy/taxes``). Terms keep their ``*`` wildcards (``terror*``), which the matcher expands.
A framing entry has one category, while a LIWC-style word may belong to several: such a word
becomes one entry with its *first* category, the others named in its ``note``, and a
:class:`~framing.errors.DataQualityWarning` counts them (select categories with
``categories=[...]`` to decide which one counts). Duplicate terms (same words, ignoring case
and hyphen vs space) are merged the same way. LIWC's conditional assignments
(``like  02 134 (02 134)53``) cannot be expressed and are dropped with a warning; the word
keeps its plain categories.

Export: :func:`lexicon_to_yaml` / :func:`write_lexicon` write a framing lexicon file that
:func:`framing.load_lexicon` reads back into an equal lexicon; ``Lexicon.to_frame()`` and
:func:`lexicon_from_frame` round-trip through a table (CSV or Parquet).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from framing._text import normalize_term
from framing.errors import DataQualityWarning, LexiconError, one_of, parameter_error
from framing.lexicon import ID_RE, Entry, Lexicon, load_lexicon
from framing.matcher import wildcard_problem

__all__ = ["FORMATS", "lexicon_from_frame", "lexicon_to_yaml", "read_dictionary", "write_lexicon"]

#: format name -> file suffixes
FORMATS: dict[str, tuple[str, ...]] = {
    "liwc": (".dic",),
    "liwc22": (".dicx",),
    "lexicoder": (".lc3",),
    "wordstat": (".cat",),
    "yaml": (".yaml", ".yml"),
    "table": (".csv", ".parquet"),
}
_LIST_FIELDS = ("variants", "not_before", "not_after", "sources", "context")
_TEXT_FIELDS = ("category", "concept", "stance", "note", "context_scope")
_WEIGHT = re.compile(r"\s*\(\s*-?\d+(?:\.\d+)?\s*\)\s*$")
_NAME_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


# ---- helpers --------------------------------------------------------------------------------


def _lexicon_name(stem: str) -> str:
    name = _NAME_BAD.sub("-", stem).strip("-_.")
    return name or "dictionary"


def _category_id(name: str) -> str:
    """A category id the YAML lexicon format accepts; ``/`` separates nesting levels."""
    parts = [_ID_BAD.sub("_", p.strip()).strip("_.-") for p in str(name).split("/")]
    parts = [p for p in parts if p]
    out = "/".join(parts)
    if not out or not ID_RE.match(out):
        out = "c_" + out if out else "category"
    return out


def _fold(term: str) -> str:
    return normalize_term(term).replace("-", " ")


class _Builder:
    """Collects (term, categories) pairs in file order and builds the Lexicon."""

    def __init__(self, file: str, fmt: str) -> None:
        self.file = file
        self.fmt = fmt
        self.categories: dict[str, str] = {}  # id -> description (the original name)
        self.terms: dict[str, list[Any]] = {}  # folded -> [term, [category ids], line]
        self.problems: list[str] = []
        self.conditional = 0

    def category(self, name: str) -> str:
        cid = _category_id(name)
        if cid not in self.categories:
            self.categories[cid] = name.strip() if name.strip() != cid else ""
        return cid

    def add(self, term: str, categories: Sequence[str], line: int | None) -> None:
        term = " ".join(str(term).split())
        if not term:
            return
        problem = wildcard_problem(term)
        if problem is not None:
            self.error(line, f"term {term!r}: {problem}")
            return
        key = _fold(term)
        if key not in self.terms:
            self.terms[key] = [term, [], line]
        cats = self.terms[key][1]
        cats.extend(c for c in categories if c not in cats)

    def error(self, line: int | None, message: str) -> None:
        where = f"{self.file}:{line}" if line else self.file
        self.problems.append(f"{where}: {message}")

    def build(self, name: str, keep: Sequence[str] | None) -> Lexicon:
        if self.problems:
            raise LexiconError(
                f"Dictionary {self.file} ({self.fmt}) has {len(self.problems)} problem(s):\n  "
                + "\n  ".join(self.problems),
                problems=self.problems,
            )
        wanted = None
        if keep is not None:
            wanted = [_category_id(c) for c in keep]
            unknown = [c for c, w in zip(keep, wanted, strict=True) if w not in self.categories]
            if unknown:
                raise LexiconError(
                    f"Dictionary {self.file} has no category {unknown[0]!r}; its categories: "
                    f"{', '.join(self.categories) or 'none'}."
                )
        entries: list[Entry] = []
        several = 0
        for term, cats, line in self.terms.values():
            if wanted is not None:
                cats = [c for c in wanted if c in cats]
                if not cats:
                    continue
            note = None
            if len(cats) > 1:
                several += 1
                note = "also in: " + ", ".join(cats[1:])
            entries.append(
                Entry(
                    term=term,
                    category=cats[0] if cats else None,
                    note=note,
                    source_file=self.file,
                    line=line,
                )
            )
        if several:
            warnings.warn(
                f"{self.file}: {several} term(s) belong to several categories; framing counts a "
                "match once, for the first category (the others are in the entry's note). "
                "Import with categories=[...] to choose the categories that count.",
                DataQualityWarning,
                stacklevel=3,
            )
        if self.conditional:
            warnings.warn(
                f"{self.file}: {self.conditional} word(s) with conditional categories (such as "
                "'(02 134)53'): the conditions were dropped; the words keep their plain "
                "categories.",
                DataQualityWarning,
                stacklevel=3,
            )
        used = {e.category for e in entries}
        categories = {c: d for c, d in self.categories.items() if c in used}
        return Lexicon(
            name,
            version="1",
            description=f"Imported from {Path(self.file).name} ({self.fmt} format).",
            categories=categories,
            entries=entries,
        )


# ---- parsers ----------------------------------------------------------------------------------


def _parse_liwc(text: str, b: _Builder) -> None:
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        b.error(
            1, "a LIWC .dic file starts with a category header between two '%' lines; none found"
        )
        return
    ids: dict[str, str] = {}
    for i in range(marks[0] + 1, marks[1]):
        raw = lines[i].strip()
        if not raw:
            continue
        parts = raw.split(None, 2)
        if len(parts) < 2:
            b.error(i + 1, f"category line {raw!r} needs an id and a name ('1<TAB>posemo')")
            continue
        name = parts[1]
        cid = b.category(name)
        desc = parts[2].strip().strip("()").strip() if len(parts) > 2 else ""
        if desc and not b.categories[cid]:
            b.categories[cid] = desc
        ids[parts[0]] = b.category(name)
    names = {cid: cid for cid in ids.values()}
    for i in range(marks[1] + 1, len(lines)):
        raw = lines[i].rstrip()
        if not raw.strip():
            continue
        if "\t" in raw:
            head, *rest = raw.split("\t")
            term, tokens = head.strip(), " ".join(rest).split()
        else:
            tokens = raw.split()
            cut = len(tokens)
            while cut > 1 and (
                tokens[cut - 1] in ids
                or tokens[cut - 1] in names
                or re.search(r"[()<>/]", tokens[cut - 1])
            ):
                cut -= 1
            term, tokens = " ".join(tokens[:cut]), tokens[cut:]
        cats = []
        if any(re.search(r"[()<>/]", token) for token in tokens):
            b.conditional += 1
        for token in tokens:
            if re.search(r"[()<>/]", token):
                continue
            found = ids.get(token) or names.get(token)
            if found is None:
                b.error(
                    i + 1,
                    f"term {term!r}: unknown category id {token!r} (declared: "
                    f"{', '.join(ids) or 'none'})",
                )
                continue
            cats.append(found)
        if not cats and not tokens:
            b.error(i + 1, f"term {term!r} has no category id")
            continue
        if cats:
            b.add(term, cats, i + 1)


def _parse_liwc22(text: str, b: _Builder) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or len(rows[0]) < 2:
        b.error(
            1,
            "a LIWC-22 .dicx file is a CSV whose first row names the term column and "
            "the categories (DicTerm,cat1,cat2,...)",
        )
        return
    cats = [b.category(c) if c.strip() else "" for c in rows[0][1:]]
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        members = [
            c for c, cell in zip(cats, row[1:], strict=False) if c and cell.strip() not in ("", "0")
        ]
        if not members:
            b.error(n, f"term {row[0].strip()!r} is marked in no category column")
            continue
        b.add(row[0], members, n)


def _parse_lexicoder(text: str, b: _Builder) -> None:
    current = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("+"):
            name = line[1:].strip()
            if not name:
                b.error(n, "a '+' line must name a category ('+negative')")
                continue
            current = b.category(name)
            continue
        if current is None:
            b.error(n, f"term {line!r} comes before the first '+category' line")
            continue
        b.add(line, [current], n)


def _indent(raw: str) -> int:
    width = 0
    for ch in raw:
        if ch == "\t":
            width += 4
        elif ch == " ":
            width += 1
        else:
            break
    return width


def _parse_wordstat(text: str, b: _Builder) -> None:
    lines = [
        (n, _indent(raw), raw.strip())
        for n, raw in enumerate(text.splitlines(), start=1)
        if raw.strip()
    ]
    stack: list[tuple[int, str]] = []
    for i, (n, depth, item) in enumerate(lines):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        deeper = i + 1 < len(lines) and lines[i + 1][1] > depth
        if deeper:
            stack.append((depth, _WEIGHT.sub("", item).strip()))
            continue
        if not stack:
            b.error(
                n, f"term {item!r} is not inside a category (indent terms below their category)"
            )
            continue
        b.add(_WEIGHT.sub("", item), [b.category("/".join(name for _, name in stack))], n)


def _walk_yaml(node: Any, path: list[str], b: _Builder) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            _walk_yaml(value, [*path, str(key)], b)
    elif isinstance(node, (list, tuple)):
        if not path:
            b.error(None, "a nested YAML dictionary maps category names to lists of terms")
            return
        for item in node:
            if isinstance(item, (Mapping, list, tuple)):
                _walk_yaml(item, path, b)
            elif isinstance(item, str) and item.strip():
                b.add(item, [b.category("/".join(path))], None)
            elif item is not None:
                b.error(None, f"category {'/'.join(path)!r}: {item!r} is not a term (quote it)")
    elif isinstance(node, str) and path:
        b.add(node, [b.category("/".join(path))], None)
    elif node is not None:
        b.error(None, f"category {'/'.join(path) or '(top)'!r}: unexpected {node!r}")


# ---- public API -----------------------------------------------------------------------------


def _detect(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS:
            raise LexiconError(  # a LexiconError (tested API): the one message shape
                str(parameter_error("format", format, one_of([*FORMATS, None])))
            )
        return format
    suffix = path.suffix.lower()
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    known = ", ".join(s for sx in FORMATS.values() for s in sx)
    raise LexiconError(
        f"Cannot tell the dictionary format of {str(path)!r} from its suffix ({known}); "
        "pass format=... (one of " + ", ".join(FORMATS) + ")."
    )


def read_dictionary(
    path: str | Path,
    format: str | None = None,
    *,
    name: str | None = None,
    categories: Sequence[str] | None = None,
) -> Lexicon:
    """Read a LIWC, Lexicoder, WordStat or YAML dictionary into a :class:`~framing.Lexicon`.

    Parameters
    ----------
    path : str or path
        The dictionary file.
    format : {"liwc", "liwc22", "lexicoder", "wordstat", "yaml", "table"}, optional
        Default: from the suffix (module docstring). ``"yaml"`` reads a framing lexicon file
        (one with ``entries`` or ``concepts``) with :func:`framing.load_lexicon`, anything
        else as a quanteda-style nested dictionary.
    name : str, optional
        Lexicon name (default: the file stem).
    categories : list of str, optional
        Import only these categories (their order decides the category of a word listed in
        several).

    Returns
    -------
    Lexicon
        One entry per distinct term (weight 1, no stance), ``category`` from the dictionary
        (nested levels joined with ``/``), declared categories described by their original
        names when those had to be changed into ids.

    Raises
    ------
    LexiconError
        A missing or unreadable file, an unknown format, or problems in the file (all listed,
        each with ``file:line``).

    Examples
    --------
    >>> lex = read_dictionary("tests/data/dictionaries/civic.dic")     # doctest: +SKIP
    >>> scores = fr.score(docs, lexicons=[lex])                         # doctest: +SKIP
    """
    path = Path(path)
    fmt = _detect(path, format)
    if not path.is_file():
        raise LexiconError(f"Dictionary file {str(path)!r} does not exist.")
    if fmt == "table":
        frame = (
            pd.read_parquet(path)
            if path.suffix.lower() == ".parquet"
            else pd.read_csv(path, dtype=object, keep_default_na=False)
        )
        return lexicon_from_frame(frame, name=name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")  # older LIWC files are Windows-1252/Latin-1
    lex_name = name or _lexicon_name(path.stem)
    b = _Builder(str(path), fmt)
    if fmt == "yaml":
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise LexiconError(f"Dictionary {path}: YAML syntax error: {exc}") from exc
        if isinstance(data, Mapping) and (
            {"entries", "concepts"} & set(data) or {"name", "version"} <= set(data)
        ):
            lex = load_lexicon(path)
            if categories is not None or name is not None:
                frame = lex.to_frame()
                if categories is not None:
                    frame = frame[frame["category"].isin(list(categories))]
                return lexicon_from_frame(
                    frame,
                    name=name or lex.name,
                    categories=dict(lex.categories),
                    stances=dict(lex.stances),
                    concepts=dict(lex.concepts),
                )
            return lex
        if not isinstance(data, Mapping):
            raise LexiconError(
                f"Dictionary {path}: a YAML dictionary must be a mapping of category names to "
                "lists of terms (or to nested mappings)."
            )
        _walk_yaml(data, [], b)
    else:
        {
            "liwc": _parse_liwc,
            "liwc22": _parse_liwc22,
            "lexicoder": _parse_lexicoder,
            "wordstat": _parse_wordstat,
        }[fmt](text, b)
    return b.build(lex_name, categories)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(str(v) for v in value if v is not None and str(v).strip())
    if isinstance(value, float) and np.isnan(value):
        return ()
    text = str(value).strip()
    if not text:
        return ()
    if text[0] in "([":
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            parsed = None
        if isinstance(parsed, (list, tuple)):
            return tuple(str(v) for v in parsed)
    return tuple(p.strip() for p in text.split("|") if p.strip())


def _as_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _as_bool(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return str(value).strip().lower() in ("true", "1", "yes")


def lexicon_from_frame(
    frame: pd.DataFrame,
    *,
    name: str | None = None,
    version: str | int = "1",
    description: str = "",
    categories: Mapping[str, str] | None = None,
    stances: Mapping[str, str] | None = None,
    concepts: Mapping[str, str] | None = None,
) -> Lexicon:
    """Build a lexicon from a table: the inverse of :meth:`Lexicon.to_frame`.

    Parameters
    ----------
    frame : DataFrame
        One row per entry; ``term`` is required, the other :data:`framing.lexicon.
        FRAME_COLUMNS` are optional. List columns (``variants``, ``not_before``,
        ``not_after``, ``sources``) may hold lists/tuples, their ``str`` (as a CSV written from
        ``to_frame()`` has them) or ``a|b`` strings. Several values in the ``lexicon`` column
        give a merged lexicon, one part per value, in order of appearance.
    name : str, optional
        Name of the lexicon when the table has no ``lexicon`` column (default ``"table"``),
        or to rename a single-lexicon table.
    version, description : optional
        Lexicon metadata (a table does not hold it).
    categories, stances, concepts : mapping of id to description, optional
        Descriptions of the vocabulary; ids used in the table but not given here are declared
        with an empty description.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        No ``term`` column, empty terms (every row listed), or a weight that is not a number.
    """
    if not isinstance(frame, pd.DataFrame):
        raise LexiconError(
            f"lexicon_from_frame takes a pandas DataFrame. Got {type(frame).__name__} instead."
        )
    if "term" not in frame.columns:
        raise LexiconError(
            "The table passed to lexicon_from_frame has no 'term' column; it has "
            f"{', '.join(map(str, frame.columns)) or 'no columns'}."
        )
    problems: list[str] = []
    parts: dict[str, list[Entry]] = {}
    for i, rec in enumerate(frame.to_dict("records")):
        term = _as_text(rec.get("term"))
        if term is None:
            problems.append(f"row {i + 1}: empty term")
            continue
        weight = rec.get("weight", 1.0)
        try:
            weight = 1.0 if _as_text(weight) is None else float(weight)
        except (TypeError, ValueError):
            problems.append(f"row {i + 1} ({term!r}): weight {weight!r} is not a number")
            continue
        lex = _as_text(rec.get("lexicon")) or name or "table"
        fields: dict[str, Any] = {  # Entry's list and text fields, as keywords
            f: _as_tuple(rec.get(f)) for f in _LIST_FIELDS
        }
        fields.update({f: _as_text(rec.get(f)) for f in _TEXT_FIELDS})
        line = _as_text(rec.get("line"))
        entry = Entry(
            term=term,
            weight=weight,
            case_sensitive=_as_bool(rec.get("case_sensitive", False)),
            source_file=_as_text(rec.get("source_file")),
            line=None if line is None else int(float(line)),
            **fields,
        )
        parts.setdefault(lex, []).append(entry)
    if problems:
        raise LexiconError(
            f"The table has {len(problems)} problem(s):\n  " + "\n  ".join(problems),
            problems=problems,
        )
    if name is not None and len(parts) == 1:
        parts = {name: next(iter(parts.values()))}
    if not parts:
        parts = {name or "table": []}

    def vocab(entries: list[Entry], field: str, given: Mapping[str, str] | None) -> dict:
        used = dict.fromkeys(getattr(e, field) for e in entries if getattr(e, field))
        given = dict(given or {})
        return {k: given.get(k, "") for k in used} | {k: v for k, v in given.items() if k in used}

    built = []
    for lex_name, entries in parts.items():
        entries = [e if e.lexicon == lex_name else _relabel(e, lex_name) for e in entries]
        built.append(
            Lexicon(
                lex_name,
                version=version,
                description=description,
                categories=vocab(entries, "category", categories),
                stances=vocab(entries, "stance", stances),
                concepts=vocab(entries, "concept", concepts),
                entries=entries,
            )
        )
    return built[0] if len(built) == 1 else Lexicon.merge(*built)


def _relabel(entry: Entry, lexicon: str) -> Entry:
    import dataclasses

    return dataclasses.replace(entry, lexicon=lexicon)


def _entry_dict(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {"term": entry.term}
    if entry.variants:
        out["variants"] = list(entry.variants)
    for field in ("category", "concept", "stance"):
        value = getattr(entry, field)
        if value:
            out[field] = value
    out["weight"] = float(entry.weight)
    if entry.case_sensitive:
        out["case_sensitive"] = True
    for field in ("not_before", "not_after"):
        if getattr(entry, field):
            out[field] = list(getattr(entry, field))
    if entry.note:
        out["note"] = entry.note
    if entry.sources:
        out["sources"] = list(entry.sources)
    if entry.context:  # the resolved cues of a context-gated entry (framing.context)
        out["context"] = list(entry.context)
        out["context_scope"] = entry.context_scope
    return out


def lexicon_to_yaml(lexicon: Lexicon) -> str:
    """The lexicon as a framing YAML lexicon file (what :func:`framing.load_lexicon` reads).

    Parameters
    ----------
    lexicon : Lexicon
        A single (not merged) lexicon.

    Returns
    -------
    str
        YAML text: metadata, declared vocabulary, then every entry under ``entries`` in order
        (an entry of a concept carries ``concept:``), so the file loads into an equal lexicon.

    Raises
    ------
    LexiconError
        A merged lexicon (write each of ``lexicon.parts``).
    """
    if not isinstance(lexicon, Lexicon):
        raise LexiconError(f"lexicon_to_yaml takes a Lexicon. Got {type(lexicon).__name__}.")
    if len(lexicon.parts) > 1:
        raise LexiconError(
            f"Lexicon {lexicon.name!r} is merged from {len(lexicon.parts)} lexicons; write each "
            "of lexicon.parts to its own file."
        )
    data: dict[str, Any] = {
        "name": lexicon.name,
        "version": lexicon.version,
        "language": lexicon.language,
        "description": lexicon.description,
    }
    for key in ("stances", "categories"):
        values = dict(getattr(lexicon, key))
        if values:
            data[key] = values
    if lexicon.concepts:
        data["concepts"] = {cid: {"description": desc} for cid, desc in lexicon.concepts.items()}
    if lexicon.poles and lexicon.poles != ("left", "right"):
        data["poles"] = list(lexicon.poles)
    data["entries"] = [_entry_dict(e) for e in lexicon.entries]
    header = "# framing lexicon written by framing.dictionary.lexicon_to_yaml\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_lexicon(lexicon: Lexicon, path: str | Path) -> Path:
    """Write :func:`lexicon_to_yaml` to ``path`` (``.yaml``) or the table to ``.csv``/
    ``.parquet``.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        path.write_text(lexicon_to_yaml(lexicon), encoding="utf-8")
    elif suffix in (".csv", ".parquet"):
        frame = lexicon.to_frame()
        for col in _LIST_FIELDS:
            frame[col] = frame[col].map(lambda v: "|".join(v))
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
    else:
        raise LexiconError(
            f"Cannot write a lexicon to {str(path)!r}: use a .yaml, .csv or .parquet file name."
        )
    return path
