"""Tests of score() and Scores: schemas, voice, offsets, chunking, files, reprs, the seed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.errors import CorpusError, FramingError, ModelError
from framing.lexicon import Entry
from framing.scoring import Scores, score
from framing.segment import split_sentences


def E(term: str, **kw) -> Entry:
    return Entry(term=term, **kw)


SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_adfaecfff69a847c.txt"


class FakeLexicon:
    """Just what score() needs of a Lexicon: entries, name, version, fingerprint."""

    def __init__(self, entries, name="test", version="1"):
        self.entries = tuple(entries)
        self.name = name
        self.version = version
        self.fingerprint = hashlib.sha256(repr(self.entries).encode()).hexdigest()


LEX = FakeLexicon(
    [
        E(
            "Zionist regime",
            lexicon="mideast",
            category="delegitimizing_label",
            concept="israel_state",
            stance="axis",
            weight=2,
        ),
        E("Israel", lexicon="mideast", concept="israel_state", stance="neutral", weight=0),
        E("regime", lexicon="loaded", category="name_calling", weight=1),
        E("martyred", lexicon="loaded", category="glorifying", weight=2),
        E("slammed", lexicon="loaded", category="sensational_verb", weight=1.5),
    ]
)

TEXTS = [
    'Officials of the Zionist regime met on Monday. "The regime has failed," a critic said. '
    "Two men were martyred.\n\nIsrael denied it.",
    "",
    "Nothing loaded here. Just a plain sentence.",
    "The senator slammed the bill. Critics slammed\u00a0it too, calling Israel\u2019s  plan "
    "\u201ca regime of lies\u201d.",
]


def make_docs(texts=TEXTS) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(n)],
            "outlet": ["A", "B", "A", "C"][:n] + ["A"] * max(0, n - 4),
            "date": pd.to_datetime(["2024-01-01"] * n).astype("datetime64[ns]"),
            "title": [f"t{i}" for i in range(n)],
            "text": texts,
            "extra": list(range(n)),
        }
    )


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score(make_docs(), lexicons=LEX)


# ---- schema --------------------------------------------------------------------------------------


def test_table_columns_and_dtypes(scores):
    d, s, m = scores.documents, scores.sentences, scores.matches
    assert list(d.columns) == [
        "doc_id",
        "outlet",
        "date",
        "title",
        "text",
        "extra",
        "n_sentences",
        "n_words",
        "n_matches",
        "score",
    ]
    assert list(s.columns) == [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "text",
        "n_words",
        "quote_share",
        "n_matches",
        "score",
    ]
    assert list(m.columns) == [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "surface",
        "term",
        "lexicon",
        "category",
        "concept",
        "stance",
        "weight",
        "voice",
        "negated",
        "distanced",
        "speaker",
    ]
    for col in ("n_sentences", "n_words", "n_matches"):
        assert d[col].dtype == np.int64
    assert d["score"].dtype == np.float64
    for col in ("sent_id", "start", "end", "n_words", "n_matches"):
        assert s[col].dtype == np.int64
    assert s["quote_share"].dtype == np.float64 and s["score"].dtype == np.float64
    for col in ("sent_id", "start", "end"):
        assert m[col].dtype == np.int64
    assert m["weight"].dtype == np.float64
    for col in ("doc_id", "surface", "term", "lexicon", "voice"):
        assert pd.api.types.is_string_dtype(m[col])
    assert pd.api.types.is_string_dtype(s["doc_id"]) and pd.api.types.is_string_dtype(s["text"])


def test_matches_content(scores):
    m = scores.matches
    got = list(zip(m["doc_id"], m["surface"], m["term"], m["voice"], strict=True))
    assert got == [
        ("d0", "Zionist regime", "Zionist regime", "author"),
        ("d0", "regime", "regime", "quote"),
        ("d0", "martyred", "martyred", "author"),
        ("d0", "Israel", "Israel", "author"),
        ("d3", "slammed", "slammed", "author"),
        ("d3", "slammed", "slammed", "author"),
        ("d3", "Israel\u2019s", "Israel", "author"),
        ("d3", "regime", "regime", "quote"),
    ]
    assert m["weight"].tolist() == [2.0, 1.0, 2.0, 0.0, 1.5, 1.5, 0.0, 1.0]
    assert m["category"].isna().tolist() == [False, False, False, True, False, False, True, False]
    assert m.loc[0, "concept"] == "israel_state" and m.loc[0, "stance"] == "axis"


def test_surface_offsets_and_sentence_of_every_match(scores):
    texts = dict(zip(scores.documents["doc_id"], scores.documents["text"], strict=True))
    sents = scores.sentences.set_index(["doc_id", "sent_id"])
    for row in scores.matches.itertuples(index=False):
        assert texts[row.doc_id][row.start : row.end] == row.surface
        sent = sents.loc[(row.doc_id, row.sent_id)]
        assert sent["start"] <= row.start < row.end <= sent["end"]  # never outside a sentence


def test_every_document_kept_with_totals(scores):
    d = scores.documents.set_index("doc_id")
    assert d.index.tolist() == ["d0", "d1", "d2", "d3"]
    assert d.loc["d1", "n_sentences"] == 0 and d.loc["d1", "n_matches"] == 0
    assert d["n_matches"].tolist() == [4, 0, 0, 4]
    assert d["score"].tolist() == [5.0, 0.0, 0.0, 4.0]
    assert d["extra"].tolist() == [0, 1, 2, 3]
    s = scores.sentences
    assert (
        d["n_sentences"].tolist()
        == s.groupby("doc_id").size().reindex(d.index, fill_value=0).tolist()
    )
    assert (
        d["n_words"].tolist()
        == s.groupby("doc_id")["n_words"].sum().reindex(d.index, fill_value=0).tolist()
    )
    per_sent = scores.matches.groupby(["doc_id", "sent_id"]).size()
    got = s.set_index(["doc_id", "sent_id"])["n_matches"]
    assert (got[got > 0] == per_sent.reindex(got[got > 0].index)).all()
    assert got.sum() == len(scores.matches)
    assert s["score"].sum() == pytest.approx(scores.matches["weight"].sum())


def test_sentences_equal_split_sentences(scores):
    expected = split_sentences(make_docs())
    got = scores.sentences[list(expected.columns)]
    pd.testing.assert_frame_equal(got, expected)


def test_missing_text_kept():
    docs = make_docs(["Martyred.", "x"])
    docs["text"] = pd.Series(["Martyred.", None], dtype=object)
    s = score(docs, lexicons=LEX)
    assert s.documents["n_sentences"].tolist() == [1, 0]
    assert len(s.matches) == 1


def test_empty_table():
    s = score(make_docs()[:0], lexicons=LEX)
    assert len(s.documents) == len(s.sentences) == len(s.matches) == 0
    assert "score" in s.documents.columns and "voice" in s.matches.columns


def test_deterministic_and_chunk_invariant(scores):
    again = score(make_docs(), lexicons=LEX)
    pd.testing.assert_frame_equal(again.matches, scores.matches)
    docs = make_docs()
    parts = [score(docs.iloc[:2], lexicons=LEX), score(docs.iloc[2:], lexicons=LEX)]
    for name in ("documents", "sentences", "matches"):
        joined = pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(joined, getattr(scores, name))


def test_non_standard_frame_goes_through_read_corpus():
    s = score(pd.DataFrame({"body": ["The regime fell."]}), lexicons=LEX)
    assert len(s.documents) == 1 and s.documents["outlet"].tolist() == [""]
    assert s.matches["term"].tolist() == ["regime"]


def test_path_input(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "x1", "text": "They slammed the regime."}) + "\n")
    s = score(path, lexicons=LEX)  # a Path is read; a str is a text (test_user_repros)
    assert s.matches["doc_id"].tolist() == ["x1", "x1"]


def test_bad_input():
    docs = make_docs()
    docs.loc[1, "doc_id"] = "d0"
    with pytest.raises(CorpusError, match="duplicate doc_id.*d0"):
        score(docs, lexicons=LEX)
    text = score("The regime fell.\nAnd more.", lexicons=LEX)  # a str is one document
    assert len(text.documents) == 1 and text.matches["term"].tolist() == ["regime"]
    with pytest.raises(FramingError, match="at least one lexicon"):
        score(make_docs(), lexicons=[])


# ---- model -----------------------------------------------------------------------------------


class _Model:
    classes_ = np.array(["neutral", "loaded", "plain"])

    def predict_proba(self, texts):
        p = np.array([0.9 if "regime" in t else 0.2 for t in texts])
        return np.column_stack([np.zeros_like(p), p, 1 - p])


class _Binary:
    """Like a binary FramingClassifier: classes_ 0/1 and the positive label's name."""

    classes_ = np.array([0, 1])
    labels_ = ["Loaded_Language"]

    def predict_proba(self, texts):
        p = np.array([0.75 if "regime" in t else 0.25 for t in texts])
        return np.column_stack([1 - p, p])


def test_model_adds_probability_columns():
    s = score(make_docs(), lexicons=LEX, model=_Model())
    assert list(s.sentences.columns[-3:]) == ["p_neutral", "p_loaded", "p_plain"]
    has = s.sentences["text"].str.contains("regime")
    assert has.any() and (~has).any()
    assert (s.sentences.loc[has, "p_loaded"] == 0.9).all()
    assert (s.sentences.loc[~has, "p_loaded"] == 0.2).all()
    with pytest.raises(ModelError, match="predict_proba"):
        score(make_docs(), lexicons=LEX, model=object())


def test_binary_model_adds_one_column_for_the_positive_label():
    s = score(make_docs(), lexicons=LEX, model=_Binary())
    probs = [c for c in s.sentences.columns if c.startswith("p_")]
    assert probs == ["p_Loaded_Language"]
    has = s.sentences["text"].str.contains("regime")
    assert (s.sentences.loc[has, "p_Loaded_Language"] == 0.75).all()
    assert (s.sentences.loc[~has, "p_Loaded_Language"] == 0.25).all()


class _Context:
    """A stand-in for FramingClassifier(context=True): records what predict_proba gets."""

    context = True
    classes_ = np.array([0, 1])

    def __init__(self):
        self.seen = None

    def predict_proba(self, X):
        self.seen = X
        n = len(X)
        # probability = position of the sentence in its document / 10, so the test can tell
        # whether the model saw the document structure
        pos = (
            X.groupby("doc_id").cumcount().to_numpy() / 10 if hasattr(X, "columns") else np.zeros(n)
        )
        return np.column_stack([1 - pos, pos])


def test_context_model_gets_the_sentences_with_their_documents():
    model = _Context()
    s = score(make_docs(), lexicons=LEX, model=model)
    assert list(model.seen.columns) == ["text", "doc_id"]
    assert model.seen["doc_id"].tolist() == s.sentences["doc_id"].tolist()
    want = s.sentences.groupby("doc_id").cumcount().to_numpy() / 10
    assert want.max() > 0
    np.testing.assert_allclose(s.sentences["p_1"].to_numpy(), want)
    model.context = False  # any other model gets plain texts
    score(make_docs(), lexicons=LEX, model=model)
    assert isinstance(model.seen, list) and model.seen == s.sentences["text"].tolist()


def test_model_path_is_loaded(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        score(make_docs(), lexicons=LEX, model=tmp_path / "none.model")


# ---- files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_save_load_roundtrip(scores, tmp_path, fmt):
    out = scores.save(tmp_path / "s", format=fmt)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"documents.{fmt}", f"sentences.{fmt}", f"matches.{fmt}", f"quotes.{fmt}", "meta.json"]
    )
    back = Scores.load(out)
    assert back.lexicons == scores.lexicons
    cols = [c for c in scores.documents.columns if c != "extra"]
    pd.testing.assert_frame_equal(
        back.documents[cols], scores.documents[cols], check_dtype=fmt == "parquet"
    )
    for name in ("sentences", "matches", "quotes"):
        pd.testing.assert_frame_equal(
            getattr(back, name), getattr(scores, name), check_dtype=fmt == "parquet"
        )
    assert len(back.quotes) == 2 and back.quotes["speaker"].tolist() == ["a critic", "Critics"]
    assert back.documents["date"].dtype == "datetime64[ns]"
    assert back.matches["start"].dtype == np.int64
    assert back.matches["category"].isna().sum() == 2
    assert back.documents["text"].tolist()[1] == ""


def test_save_is_atomic_and_careful(scores, tmp_path):
    out = tmp_path / "s"
    scores.save(out)
    with pytest.raises(FramingError, match="already exists"):
        scores.save(out)
    scores.save(out, overwrite=True, format="csv")
    assert (out / "matches.csv").is_file() and not (out / "matches.parquet").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["s"]  # no temporary left behind
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(FramingError, match="not a scores directory"):
        scores.save(other, overwrite=True)
    assert (other / "notes.txt").read_text() == "keep me"
    with pytest.raises(FramingError, match="format"):
        scores.save(tmp_path / "x", format="xlsx")
    with pytest.raises(FramingError, match="not a scores directory"):
        Scores.load(other)


def test_load_engine_dataset_layout(scores, tmp_path):
    out = tmp_path / "ds"
    for name in ("documents", "sentences", "matches"):
        (out / name).mkdir(parents=True)
        table = getattr(scores, name)
        table.iloc[:3].to_parquet(out / name / "part-00000.parquet", index=False)
        table.iloc[3:].to_parquet(out / name / "part-00001.parquet", index=False)
    (out / "meta.json").write_text(
        json.dumps({"layout": "dataset", "format": "parquet", "lexicons": ["test@1"]})
    )
    back = Scores.load(out)
    pd.testing.assert_frame_equal(back.matches, scores.matches)
    assert back.lexicons == ("test@1",) and back.meta["layout"] == "dataset"


# ---- reprs ---------------------------------------------------------------------------------------


def test_repr_summary_and_html_escaping():
    # quoted speech (`the "regime"` alone would be a scare quote: the author's voice)
    docs = make_docs(['<script>alert(1)</script> "The regime," he said & <b>martyred</b> men.'])
    s = score(docs, lexicons=LEX)
    assert repr(s) == "Scores(1 document, 1 sentence, 2 matches, lexicons=['mideast', 'loaded'])"
    assert s.summary() == (
        "1 document, 1 sentence, 2 matches (1 author, 1 quote); lexicons: mideast, loaded"
    )
    html = s._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark class="fr-match fr-quote"' in html and ">martyred</mark>" in html
    assert s.top_terms(1)["term"].tolist() == ["martyred"]


# ---- the seed (issue 3 item 6) --------------------------------------------------------------


def _real_lexicons():
    try:
        from framing.lexicon import list_lexicons
    except ImportError:
        pytest.skip("framing.lexicon is not there yet")
    if "mideast" not in list_lexicons():
        pytest.skip("the mideast lexicon is not bundled yet")


MINI_MIDEAST = """\
name: mini-mideast
version: 1
language: en
description: A few seed-domain terms, to test voice and offsets on the seed article.
stances: {axis: Iran-led axis framing, neutral: neutral reference}
categories: {delegitimizing_label: x, conspiratorial_agency: y, glorifying: z}
concepts:
  israel_state:
    description: The State of Israel
    alternatives:
      - {term: Israel, stance: neutral, weight: 0}
      - {term: Zionist regime, variants: [Zionist entity, Israeli regime], stance: axis,
         category: delegitimizing_label, weight: 2}
entries:
  - {term: foreign-backed militancy, variants: [foreign-sponsored militancy],
     category: conspiratorial_agency, stance: axis, weight: 2}
  - {term: global arrogance, category: conspiratorial_agency, stance: axis, weight: 2}
  - {term: martyred, category: glorifying, stance: axis, weight: 2}
  - {term: Daesh, category: delegitimizing_label, stance: axis, weight: 1}
  - {term: resistance axis, variants: [axis of resistance], category: glorifying, stance: axis,
     weight: 2}
  - {term: democratically elected, category: glorifying, stance: axis, weight: 1}
  - {term: mercenary, category: delegitimizing_label, stance: axis, weight: 2}
  - {term: plundering, category: conspiratorial_agency, stance: axis, weight: 2}
  - {term: Lebanese resistance movement, category: glorifying, stance: axis, weight: 2}
"""


@pytest.mark.parametrize("lexicon", ["mini", "bundled"])
def test_seed_article(lexicon, tmp_path):
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED} (needs ../shared next to the checkout)")
    from framing.corpus import read_corpus

    if lexicon == "bundled":
        _real_lexicons()
        s = score(read_corpus(SEED))
    else:
        path = tmp_path / "mini.yaml"
        path.write_text(MINI_MIDEAST, encoding="utf-8")
        s = score(read_corpus(SEED), lexicons=str(path))
    m = s.matches
    text = s.documents["text"].iloc[0]
    assert (m["surface"] == [text[a:b] for a, b in zip(m["start"], m["end"], strict=True)]).all()

    def voices(pattern: str) -> list[str]:
        hit = m[m["surface"].str.contains(pattern, case=False, regex=True)]
        return hit["voice"].tolist()

    zionist = m[m["surface"].str.lower().str.startswith("zionist regime")]
    assert "author" in zionist["voice"].tolist()
    quoted = zionist[zionist["voice"] == "quote"]
    assert any(
        text[a : a + 30].lower().startswith("zionist regime\u2019s bullying")
        or text[a : a + 30].lower().startswith("zionist regime's bullying")
        for a in quoted["start"]
    )
    assert len(voices(r"^foreign[-\u2013 ]backed militanc")) >= 2
    assert len(voices(r"^foreign[-\u2013 ]sponsored militanc")) >= 1
    assert "quote" in voices(r"^resistance axis")
    for pattern in (
        r"^global arrogance",
        r"^martyred",
        r"^daesh",
        r"^democratically[- ]elected",
        r"^mercenar",
        r"^plunder",
        r"^israeli regime",
        r"^lebanese resistance",
    ):
        assert voices(pattern), f"no match for {pattern}"


def test_sentence_word_counts_equal_count_words():
    from framing.segment import count_words

    texts = [
        "-so it's well-known. 'Tis Syria\u2019s \u00e9l\u00e8ve-na\u00efve day. x--y a'-b _under_score",
        "\u2019quoted\u2019 words - apart. Caf\u00e9\u0301s 3.5 per-cent! ok",
        "\u4e00\u4e8c \u0645\u0631\u062d\u0628\u0627 test. End-",
    ]
    s = score(make_docs(texts), lexicons=LEX)
    assert s.sentences["n_words"].tolist() == [count_words(t) for t in s.sentences["text"]]
    assert s.sentences["n_words"].sum() == sum(count_words(t) for t in texts)


def test_html_helpers_escape_everything():
    from framing import _html

    assert _html.escape('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert _html.escape(None) == "" and _html.escape(float("nan")) == ""
    out = _html.highlight("x <y> z & w", [(8, 9, 'a"b', "fr-quote"), (2, 5), (3, 4), (9, 99)])
    assert out == (
        'x <mark class="fr-match">&lt;y&gt;</mark> z <mark class="fr-match fr-quote" '
        'title="a&quot;b">&amp;</mark> w'
    )
    table = _html.table([("<b>", "<i>ok</i>")], ["h<1>", "h2"], raw=(1,))
    assert "<td>&lt;b&gt;</td><td><i>ok</i></td>" in table and "<th>h&lt;1&gt;</th>" in table


def test_skipped_documents_load_save(scores, tmp_path):
    assert list(scores.skipped.columns) == ["doc_id", "chunk", "reason", "code"]
    assert scores.skipped.empty  # score() skips nothing; old-style construction still works
    assert Scores(scores.documents, scores.sentences, scores.matches).skipped.empty
    out = scores.save(tmp_path / "s", format="csv")
    assert not (out / "skipped.csv").exists() and Scores.load(out).skipped.empty
    (out / "skipped.csv").write_text(
        "doc_id,chunk,reason\n007,2,no text (missing value)\n"
        "x,5,\"in.jsonl:9: 'text' not valid Unicode (a, b)\"\n",
        encoding="utf-8",
    )
    back = Scores.load(out)
    assert back.skipped["doc_id"].tolist() == ["007", "x"]  # ids stay strings
    assert back.skipped["chunk"].tolist() == [2, 5] and back.skipped["chunk"].dtype == np.int64
    assert back.skipped["reason"].tolist()[1] == "in.jsonl:9: 'text' not valid Unicode (a, b)"
    assert back.skipped["code"].tolist() == ["unknown", "unknown"]  # written before codes
    again = back.save(tmp_path / "again")  # carried over by save
    pd.testing.assert_frame_equal(Scores.load(again).skipped, back.skipped)
    (out / "skipped.csv").write_text("id,why\n1,x\n", encoding="utf-8")
    with pytest.raises(FramingError, match="skipped.csv.*lacks column.*doc_id"):
        Scores.load(out)


def test_engine_skipped_csv_is_loaded(tmp_path):
    from framing.engine import score_files

    docs = make_docs()
    docs.loc[1, "text"] = None
    src = tmp_path / "in.jsonl"
    docs.assign(date=docs["date"].astype(str)).to_json(src, orient="records", lines=True)
    score_files(src, out=tmp_path / "out", on_error="skip", jobs=1, lexicons=LEX)
    back = Scores.load(tmp_path / "out")
    assert back.skipped["doc_id"].tolist() == [str(docs.loc[1, "doc_id"])]
    assert back.skipped["reason"].tolist() == ["no text (missing value)"]
    assert str(docs.loc[1, "doc_id"]) not in set(back.documents["doc_id"])


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_load_reads_only_the_selected_columns_and_parts_one_by_one(scores, tmp_path, fmt):
    from dataclasses import replace

    from framing.errors import FramingError

    with_p = replace(scores, sentences=scores.sentences.assign(p_a=0.25, p_b=0.75))
    saved = with_p.save(tmp_path / "s", format=fmt)
    slim = Scores.load(
        saved,
        columns={
            "sentences": ["doc_id", "n_words", "p_*", "absent"],
            "matches": ["doc_id", "term"],
        },
    )
    assert list(slim.sentences.columns) == ["doc_id", "n_words", "p_a", "p_b"]
    assert slim.sentences["p_b"].tolist() == [0.75] * len(scores.sentences)
    slim = Scores.load(
        saved, columns={"sentences": ["doc_id", "n_words"], "matches": ["doc_id", "term"]}
    )
    assert list(slim.sentences.columns) == ["doc_id", "n_words"]
    assert list(slim.matches.columns) == ["doc_id", "term"]
    pd.testing.assert_frame_equal(slim.sentences, scores.sentences[["doc_id", "n_words"]])
    pd.testing.assert_frame_equal(slim.matches, scores.matches[["doc_id", "term"]])
    assert list(slim.documents.columns) == list(scores.documents.columns)  # not named: whole
    parts = list(Scores.iter_parts(saved, "matches", ["term"]))
    assert len(parts) == 1 and parts[0]["term"].tolist() == scores.matches["term"].tolist()
    with pytest.raises(FramingError, match="unknown table"):
        Scores.load(saved, columns={"sentence": ["doc_id"]})
