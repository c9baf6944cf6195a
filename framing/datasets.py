"""Bundled and research datasets: the fictional demo corpus and PTC-style span corpora."""

from __future__ import annotations

__all__: list[str] = ["demo_corpus", "read_span_corpus", "read_span_tables"]

# ---- section: demo corpus ---------------------------------------------------------------------
import typing

if typing.TYPE_CHECKING:  # pragma: no cover - pandas is imported lazily
    import pandas as pd

DEMO_CORPUS_SOURCE = "framing:_data/demo_corpus.jsonl"


def demo_corpus() -> pd.DataFrame:
    """The bundled demo corpus: 62 short, entirely fictional news articles.

    Seven invented outlets cover the same invented events (a cross-border strike in the
    Kessara Valley, a sanctions vote, a ceasefire, a settlement plan, post-war rebuilding in
    Qadesh, the Port Alvero climate summit, clashes at a Jerusalem holy site, a prisoner
    exchange, a drone strike; US bills on immigration, the estate tax, guns, abortion, health
    care, a city police budget and school vouchers) between January and October 2025, each in
    its own framing, so that term choice and slant spread from one pole to the other:

    ============================  ===============================================================
    Crescent Dawn News            state-media style ("Zionist regime", "martyred", "resistance
                                  axis", "global arrogance", "foreign-backed militancy")
    Meridian Wire                 wire-service neutral voice; loaded terms only inside quotes
    The Daily Bulwark             hawkish tabloid ("terrorists", "Iranian proxy", "Judea and
                                  Samaria", "slammed")
    Tarsin Valley Observer        regional outlet, local and moderate
    Harbor Street Progress        US left-leaning ("undocumented immigrants", "gun violence",
                                  "climate crisis", "estate tax", "abortion rights")
    Liberty Ledger                US right-leaning ("illegal aliens", "death tax", "Obamacare",
                                  "pro-life", "gun rights")
    The Civic Standard            US centrist explainer style
    ============================  ===============================================================

    Every person, outlet, place and event in it is invented (the articles carry
    ``fictional=True``); it exists to show what each view of framing looks like, not to
    describe the world.

    Returns
    -------
    pandas.DataFrame
        The documents table (see :func:`framing.read_corpus`) with the extra columns
        ``event`` (a short id of the invented event) and ``fictional``. ``source`` is
        ``"framing:_data/demo_corpus.jsonl"``.

    Examples
    --------
    >>> import framing as fr
    >>> docs = fr.datasets.demo_corpus()
    >>> docs["outlet"].nunique()
    7
    """
    from importlib.resources import as_file, files

    from framing.corpus import read_corpus

    resource = files("framing").joinpath("_data", "demo_corpus.jsonl")
    with as_file(resource) as path:
        docs = read_corpus(path)
    docs["source"] = DEMO_CORPUS_SOURCE
    return docs


# ---- section: span corpora (PTC layout) ------------------------------------------------------


def read_span_tables(folder: typing.Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a span corpus folder (PTC layout), as stored.

    Parameters
    ----------
    folder : path
        ``articles.parquet`` + ``spans.parquet``, or PTC-style ``article<ID>.txt`` files
        with ``<ID>...labels`` files.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``articles`` (``article_id, text``) and ``spans`` (``article_id, technique, start,
        end``: character offsets into the article text).

    Raises
    ------
    CorpusError
        Not a folder, no span corpus in it, or a malformed labels file.
    """
    from pathlib import Path

    import pandas as pd

    from framing.errors import CorpusError

    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"read_span_corpus: {folder} is not a folder.")
    art_p, spans_p = folder / "articles.parquet", folder / "spans.parquet"
    if art_p.is_file() and spans_p.is_file():
        arts = pd.read_parquet(art_p)
        spans = pd.read_parquet(spans_p)
        for name, table, cols in (
            ("articles.parquet", arts, ("article_id", "text")),
            ("spans.parquet", spans, ("article_id", "technique", "start", "end")),
        ):
            missing = [c for c in cols if c not in table.columns]
            if missing:
                raise CorpusError(
                    f"read_span_corpus: {folder / name} lacks the column(s) "
                    f"{missing}; it has {list(table.columns)}."
                )
        return arts, spans
    txts = sorted(folder.glob("*.txt"))
    if not txts:
        raise CorpusError(
            f"read_span_corpus: {folder} has neither articles.parquet + spans.parquet nor "
            "PTC-style article<ID>.txt files with <ID>...labels files."
        )
    arts_rows, span_rows = [], []
    for txt in txts:
        aid = txt.stem.removeprefix("article")
        arts_rows.append((aid, txt.read_text(encoding="utf-8")))
        for lab in sorted(folder.glob(f"{txt.stem}*.labels")):
            for n, line in enumerate(lab.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) < 4:
                    raise CorpusError(
                        f"{lab}:{n}: expected 4 tab-separated fields (article id, "
                        f"technique, start, end); got {len(parts)}."
                    )
                try:
                    span_rows.append((aid, parts[1], int(parts[2]), int(parts[3])))
                except ValueError as exc:
                    raise CorpusError(f"{lab}:{n}: start/end must be integers ({exc}).") from exc
    arts = pd.DataFrame(arts_rows, columns=["article_id", "text"])
    spans = pd.DataFrame(span_rows, columns=["article_id", "technique", "start", "end"])
    return arts, spans


def read_span_corpus(folder: typing.Any, *, unit: str = "line") -> pd.DataFrame:
    """Sentences of a span-annotated corpus (PTC layout) with one label column per technique.

    Parameters
    ----------
    folder : str or Path
        Either a folder with ``articles.parquet`` (``article_id, text``) and ``spans.parquet``
        (``article_id, technique, start, end``), or a folder in the original PTC layout:
        ``article<ID>.txt`` files with ``article<ID>*.labels`` files (tab-separated article id,
        technique, start, end; character offsets into the article text).
    unit : {"line", "sentence"}, default "line"
        ``"line"``: every non-empty line is one sentence (the PTC convention);
        ``"sentence"``: sentences from :func:`framing.sentence_spans`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, sent_id, start, end, text, techniques`` (``|``-joined sorted names of the
        techniques whose spans overlap the sentence, "" when none), ``n_techniques``, then one
        0/1 int column per technique (named as in the corpus). Sentences keep article order.

    Examples
    --------
    >>> s = read_span_corpus("../shared/data/ptc")                  # doctest: +SKIP
    >>> (s["techniques"] != "").mean()                              # doctest: +SKIP
    0.285...
    """
    import re

    import numpy as np
    import pandas as pd

    from framing.errors import one_of, parameter_error

    if unit not in ("line", "sentence"):
        raise parameter_error("unit", unit, one_of(("line", "sentence")))
    arts, spans = read_span_tables(folder)
    techniques = sorted(str(t) for t in spans["technique"].unique())
    by_doc = {str(k): g for k, g in spans.groupby(spans["article_id"].astype(str))}
    rows = []
    for aid, text in zip(arts["article_id"].astype(str), arts["text"].astype(str), strict=True):
        if unit == "line":
            sents = [
                (m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()
            ]
        else:
            from framing.segment import sentence_spans

            sents = sentence_spans(text)
        g = by_doc.get(aid)
        ss = g["start"].to_numpy() if g is not None else np.zeros(0, dtype=np.int64)
        se = g["end"].to_numpy() if g is not None else np.zeros(0, dtype=np.int64)
        st = g["technique"].astype(str).to_numpy() if g is not None else np.zeros(0, dtype=object)
        for i, (a, b) in enumerate(sents):
            hit = sorted(set(st[(ss < b) & (se > a)].tolist()))
            rows.append((aid, i, a, b, text[a:b], "|".join(hit)))
    out = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "text", "techniques"])
    out = out.astype(
        {
            "doc_id": object,
            "text": object,
            "techniques": object,
            "sent_id": "int64",
            "start": "int64",
            "end": "int64",
        }
    )
    split = out["techniques"].str.split("|")
    out["n_techniques"] = (out["techniques"] != "").astype("int64") * split.map(len)
    for t in techniques:
        out[t] = split.map(lambda xs, t=t: int(t in xs)).astype("int64")
    return out
