"""Bundled and research datasets: the fictional demo corpus and PTC-style span corpora."""

from __future__ import annotations

__all__: list[str] = ["demo_corpus"]

# ---- section: demo corpus ---------------------------------------------------------------------
import typing

if typing.TYPE_CHECKING:  # pragma: no cover - pandas is imported lazily
    import pandas as pd

DEMO_CORPUS_SOURCE = "framing:_data/demo_corpus.jsonl"


def demo_corpus() -> pd.DataFrame:
    """The bundled demo corpus: 43 short, entirely fictional news articles.

    Seven invented outlets cover the same invented events (a cross-border strike in the
    Kessara Valley, a sanctions vote, a ceasefire, a settlement plan, post-war rebuilding in
    Qadesh, the Port Alvero climate summit, and US bills on immigration, the estate tax, guns,
    abortion and health care) between January and July 2025, each in its own framing:

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
