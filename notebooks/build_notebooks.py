"""Write the tutorial notebooks from the cell sources below, and execute them in place.

    .venv/bin/python notebooks/build_notebooks.py            # write + execute all three
    .venv/bin/python notebooks/build_notebooks.py --no-run   # only write the .ipynb files

The notebooks are committed with their outputs; ``tests/test_notebooks.py`` re-executes them on
the demo corpus (``FRAMING_NOTEBOOK_DATA=demo``), so they cannot silently rot.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

SETUP = '''\
# Parameters: set CORPUS to your own data (files, a folder, JSONL, CSV or Parquet).
# None uses real data from ../shared/data when it is present, else the bundled demo corpus.
# The test suite sets FRAMING_NOTEBOOK_DATA=demo to run every notebook on the demo corpus.
import os
from pathlib import Path

CORPUS = None
SHARED = Path("..").resolve().parent / "shared" / "data"
USE_DEMO = os.environ.get("FRAMING_NOTEBOOK_DATA") == "demo"'''

QUICKSTART = [
    ("md", """\
# framing quickstart

Read a corpus, score every sentence with curated lexicons, look at what matched and why, and
compare outlets with a framing profile. Everything here runs offline on the bundled
**fictional** demo corpus (invented outlets writing about invented events), or on your own
files by setting `CORPUS` below."""),
    ("code", SETUP),
    ("code", """\
import framing as fr

docs = fr.read_corpus(CORPUS) if CORPUS else fr.datasets.demo_corpus()
print(f"{len(docs)} documents from {docs['outlet'].nunique()} outlets, "
      f"{docs['date'].min():%Y-%m-%d} to {docs['date'].max():%Y-%m-%d}")
docs[["doc_id", "outlet", "date", "title"]].head()"""),
    ("md", """\
## Lexicons

Lexicons are YAML files of loaded terms and their neutral alternatives, grouped into
*concepts* (the same referent named differently by different sides)."""),
    ("code", """\
print(fr.list_lexicons())
mideast = fr.load_lexicon("mideast")
mideast"""),
    ("code", """\
table = mideast.to_frame()
table[table["concept"] == "israel_state"][["term", "stance", "category", "weight", "note"]]"""),
    ("md", "## Scoring\n\n`fr.score` splits articles into sentences, marks quoted speech and "
           "matches every lexicon in one pass. In a notebook the result shows the matched terms "
           "highlighted."),
    ("code", """\
scores = fr.score(docs)
scores"""),
    ("code", """\
scores.matches[["doc_id", "surface", "term", "lexicon", "category", "stance", "voice"]].head(12)"""),
    ("md", """\
## Own voice or quoted?

`voice` separates what an outlet says itself from what it quotes others saying. The same loaded
term can be adopted by one outlet and only reported by another."""),
    ("code", """\
m = scores.matches.merge(scores.documents[["doc_id", "outlet"]], on="doc_id")
m[m["weight"] > 0].pivot_table(index="outlet", columns="voice", values="term",
                               aggfunc="count", fill_value=0)"""),
    ("md", "## A framing profile\n\nRates per 1,000 words of each outlet's own voice, with "
           "bootstrap confidence intervals that resample whole articles."),
    ("code", """\
prof = fr.profile(scores, by="outlet", level="category")
prof.head(10)"""),
    ("code", """\
fig = fr.plot_profile(prof, title="Framing profile by outlet")"""),
]

COMPARE = [
    ("md", """\
# Comparing outlets: term choice, slant, keyness, timelines

On the AllSides corpus (`../shared/data/allsides/allsides.parquet`, Baly et al. 2020) when it is
present, else on the bundled fictional demo corpus."""),
    ("code", SETUP),
    ("code", """\
import pandas as pd

import framing as fr

allsides = SHARED / "allsides" / "allsides.parquet"
if CORPUS:
    docs = fr.read_corpus(CORPUS)
elif allsides.exists() and not USE_DEMO:
    docs = fr.read_corpus(allsides)
    big = docs["outlet"].value_counts()
    docs = docs[docs["outlet"].isin(big[big >= 300].index)]   # the larger outlets
else:
    docs = fr.datasets.demo_corpus()
print(len(docs), "documents,", docs["outlet"].nunique(), "outlets")"""),
    ("code", """\
scores = fr.score(docs, lexicons=["us-politics", "mideast", "loaded-language"])
print(scores.summary())"""),
    ("md", """\
## Term choice

Of all the times an outlet refers to a concept, which word does it use?"""),
    ("code", """\
share = fr.term_choice(scores, by="outlet")
counts = share.groupby("concept")["count"].sum().sort_values(ascending=False)
top = list(counts.index[:4])
share[share["concept"].isin(top)].head(12)"""),
    ("code", """\
fig = fr.plot_term_choice(share[share["concept"].isin(top)], title="Term choice")"""),
    ("md", """\
## Slant

A term-choice slant index in [-1, 1] in the spirit of Gentzkow & Shapiro (2010): over the
concepts with left- and right-coded alternatives, (right - left) / all stance-coded mentions,
each concept weighted equally. Outlets with too few mentions get no number."""),
    ("code", """\
sl = fr.slant(scores, by="outlet", lexicon="us-politics")
sl.sort_values("slant").head(15)"""),
    ("code", """\
fig = fr.plot_slant(sl, title="Slant (us-politics lexicon)")"""),
    ("md", "## Keyness\n\nWhich terms distinguish two outlets? Log-odds ratios with an "
           "informative Dirichlet prior (Monroe, Colaresi & Quinn 2008)."),
    ("code", """\
ranked = sl.dropna(subset=["slant"]).sort_values("slant")
a, b = ranked["outlet"].iloc[0], ranked["outlet"].iloc[-1]
key = fr.keyness(scores, by="outlet", a=a, b=b, level="term")
fig = fr.plot_keyness(key, title=f"{a} vs {b}")"""),
    ("md", "## Over time"),
    ("code", """\
tl = fr.profile(scores, by="outlet", period="M", level="lexicon", n_boot=200)
fig = fr.plot_timeline(tl[tl["feature"] == "loaded-language"], title="Loaded language by month")"""),
]

CLASSIFIER = [
    ("md", """\
# Training a classifier

Lexicons are transparent but incomplete. A `FramingClassifier` learns from labelled sentences:
word and character n-grams plus lexicon features into a calibrated linear model. With the
Propaganda Techniques Corpus (`../shared/data/ptc`, Da San Martino et al. 2019) present it is
trained on sentences labelled with propaganda techniques; else on a toy task built from the
demo corpus (which outlet style a sentence comes from)."""),
    ("code", SETUP),
    ("code", """\
import framing as fr

ptc = SHARED / "ptc"
if ptc.exists() and not USE_DEMO:
    sents = fr.datasets.read_span_corpus(ptc)
    texts = sents["text"].tolist()
    labels = sents["any_technique"].astype(int).tolist()
    groups = sents["doc_id"].tolist()
else:
    docs = fr.datasets.demo_corpus()
    sents = fr.split_sentences(docs).merge(docs[["doc_id", "outlet"]], on="doc_id")
    state_style = sorted(docs["outlet"].unique())[0]
    texts = sents["text"].tolist()
    labels = (sents["outlet"] == state_style).astype(int).tolist()
    groups = sents["doc_id"].tolist()
print(len(texts), "sentences;", sum(labels), "positive")"""),
    ("md", "## Grouped cross-validation\n\nFolds are grouped by article, so no article is in "
           "both the training and the test folds."),
    ("code", """\
result = fr.evaluate(texts, labels, groups=groups, cv=3)
result"""),
    ("md", "## Fit, explain, apply"),
    ("code", """\
clf = fr.FramingClassifier().fit(texts, labels)
example = max(texts, key=lambda t: clf.predict_proba([t])[0, 1] if len(t) < 300 else 0)
print(example)
clf.explain(example).head(10)"""),
    ("code", """\
docs = fr.datasets.demo_corpus()
scores = fr.score(docs, model=clf)
scores.sentences.filter(like="p_").describe()"""),
]

NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_compare_outlets.ipynb": COMPARE,
    "03_train_a_classifier.ipynb": CLASSIFIER,
}


def build(name: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook object from (kind, source) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for kind, source in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def execute(nb: nbformat.NotebookNode, *, timeout: int = 900) -> nbformat.NotebookNode:
    """Run every cell with the notebook folder as working directory."""
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="write without executing")
    parser.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    args = parser.parse_args()
    for name, cells in NOTEBOOKS.items():
        if args.names and name not in args.names:
            continue
        nb = build(name, cells)
        if not args.no_run:
            nb = execute(nb)
        nbformat.write(nb, HERE / name)
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
