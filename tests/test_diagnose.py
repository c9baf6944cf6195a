"""Lexicon diagnostics: framing.diagnose and `framing lexicon diagnose`."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from framing.cli import cli
from framing.diagnose import diagnose, span_overlap
from framing.errors import FramingError

LEX = """\
name: diag
version: 1
categories: {loaded: "loaded", neutral_reference: "plain"}
entries:
  - {term: brutal, category: loaded, weight: 2}
  - {term: heinous, category: loaded, weight: 2}
  - {term: awful, category: loaded, weight: 1}
  - {term: unused, category: loaded, weight: 1}
  - {term: city, category: neutral_reference, weight: 0}
"""


@pytest.fixture()
def docs() -> pd.DataFrame:
    # 40 words in all; brutal x4 (3 in outlet A), heinous x1, awful x1, city x2, unused x0
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "outlet": ["A", "A", "B"],
            "topic": ["crime", "crime", "weather"],
            "text": [
                "A brutal and heinous attack shook the city today, with brutal force used.",
                "The brutal response was awful, officials said in the city on Monday.",
                "Brutal cold hit the region as temperatures fell sharply overnight again.",
            ],
        }
    )


def test_per_entry_rates_shares_dead_and_dominant(docs):
    d = diagnose(LEX, docs)
    e = d.entries.set_index("term")
    assert d.by == ["outlet", "topic"] and d.n_docs == 3
    assert e.loc["brutal", "matches"] == 4
    assert e.loc["brutal", "per_1k_words"] == pytest.approx(1000 * 4 / d.n_words)
    assert e.loc["brutal", "top_outlet"] == "A" and e.loc["brutal", "top_outlet_share"] == 0.75
    assert e.loc["brutal", "top_topic"] == "crime"
    assert e.loc["brutal", "category_share"] == pytest.approx(4 / 6)
    assert e["dead"].tolist() == [False, False, False, True, False]
    # dominance is only checked for categories with enough matches
    assert not e["dominant"].any()
    d2 = diagnose(LEX, docs, min_category_matches=5)
    assert d2.entries.set_index("term")["dominant"].to_dict() == {
        "brutal": True,
        "heinous": False,
        "awful": False,
        "unused": False,
        "city": False,
    }
    shares = d.shares[(d.shares["term"] == "brutal") & (d.shares["by"] == "outlet")]
    assert dict(zip(shares["group"], shares["share"], strict=True)) == {"A": 0.75, "B": 0.25}
    text = d.summary(k=3)
    assert "dead entries (no match): 1 of 5" in text and "unused" in text
    assert "precision" not in text


def test_precision_from_a_span_corpus_folder(tmp_path, docs):
    arts = pd.DataFrame({"article_id": docs["doc_id"], "text": docs["text"]})
    first = docs["text"][0]
    spans = pd.DataFrame(
        {
            "article_id": ["d1", "d1", "d2"],
            "technique": ["Loaded_Language", "Doubt", "Name_Calling,Labeling"],
            "start": [first.index("brutal and"), first.index("city"), 4],
            "end": [
                first.index("brutal and") + len("brutal and heinous"),
                first.index("city") + 4,
                10,
            ],
        }
    )
    arts.to_parquet(tmp_path / "articles.parquet")
    spans.to_parquet(tmp_path / "spans.parquet")
    d = diagnose(LEX, tmp_path)
    e = d.entries.set_index("term")
    # brutal: 2 of its 4 matches lie in a target span (d1 "brutal and heinous", d2 4-10);
    # "city" overlaps only a Doubt span, which is not a target technique
    assert e.loc["brutal", "in_spans"] == 2
    assert e.loc["brutal", "precision"] == 0.5
    assert e.loc["heinous", "precision"] == 1.0
    assert e.loc["city", "in_spans"] == 0
    assert pd.isna(e.loc["unused", "precision"])
    assert "precision (weight > 0 matches inside" in d.summary()


def test_span_overlap_by_hand():
    matches = pd.DataFrame({"doc_id": ["a", "a", "b"], "start": [0, 10, 0], "end": [4, 12, 3]})
    spans = pd.DataFrame({"doc_id": ["a"], "start": [3], "end": [10]})
    assert span_overlap(matches, spans).tolist() == [True, False, False]


def test_unknown_by_column(docs):
    with pytest.raises(FramingError, match="no column"):
        diagnose(LEX, docs, by="country")


def test_cli_diagnose(tmp_path, docs):
    corpus = tmp_path / "docs.csv"
    docs.to_csv(corpus, index=False)
    lex = tmp_path / "diag.yaml"
    lex.write_text(LEX, encoding="utf-8")
    out = tmp_path / "entries.csv"
    result = CliRunner().invoke(
        cli, ["lexicon", "diagnose", str(lex), str(corpus), "--by", "outlet", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "most frequent entries" in result.output
    assert "most concentrated in one outlet" not in result.output  # no entry has 10 matches
    assert "dead entries (no match): 1 of 5" in result.output
    table = pd.read_csv(out)
    assert table.loc[table["term"] == "brutal", "matches"].item() == 4
    bad = CliRunner().invoke(cli, ["lexicon", "diagnose", str(lex), str(corpus), "--by", "x"])
    assert bad.exit_code == 2 and "no column" in bad.output
