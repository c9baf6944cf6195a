"""Tests of framing.features (document-feature tables) and profile(by="doc_id")."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
from framing.cli import cli
from framing.errors import FramingError


@pytest.fixture(scope="module")
def scores():
    return fr.score(fr.datasets.demo_corpus())


@pytest.mark.parametrize("level", ["category", "term", "stance", "concept", "lexicon"])
@pytest.mark.parametrize("voice", ["author", "quote", "all"])
def test_counts_equal_a_pandas_groupby_over_matches(scores, level, voice):
    feats = fr.document_features(scores, level=level, rate="count", voice=voice)
    m = scores.matches if voice == "all" else scores.matches[scores.matches["voice"] == voice]
    expected = m.groupby(["doc_id", level]).size().unstack(fill_value=0)
    expected = expected.reindex(scores.documents["doc_id"], fill_value=0)
    got = feats.set_index("doc_id")[expected.columns]
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    # every other feature column is all zero in this voice
    others = [c for c in feats.attrs["features"] if c not in expected.columns]
    assert (feats[others].to_numpy() == 0).all()
    assert feats.attrs["features"] == sorted(scores.matches[level].dropna().unique())


def test_shape_metadata_and_rates(scores):
    feats = fr.document_features(scores)
    docs = scores.documents
    assert len(feats) == len(docs) and feats["doc_id"].tolist() == docs["doc_id"].tolist()
    assert "text" not in feats.columns
    assert list(feats.columns[:4]) == ["doc_id", "outlet", "date", "title"]
    assert {"event", "fictional", "n_words"} <= set(feats.columns)
    sents = scores.sentences
    words = (sents["n_words"] * (1 - sents["quote_share"])).groupby(sents["doc_id"]).sum()
    np.testing.assert_allclose(
        feats.set_index("doc_id")["exposure"], words.reindex(docs["doc_id"]).to_numpy()
    )
    counts = fr.document_features(scores, rate="count")
    col = "delegitimizing_label"
    np.testing.assert_allclose(feats[col], 1000 * counts[col] / counts["exposure"])
    alias = fr.document_features(scores, rate="per_1000_words")
    pd.testing.assert_frame_equal(alias, feats)


def test_rates_agree_with_profile_by_doc_id(scores):
    # document_features counts every match unless told otherwise; profile counts adopted uses
    # (issue 14) of loaded terms by default: compare with modifiers="all", include_neutral
    prof = fr.profile(scores, by="doc_id", n_boot=0, include_neutral=True, modifiers="all")
    wide = prof.pivot(index="doc_id", columns="feature", values="rate")
    feats = fr.document_features(scores).set_index("doc_id")
    np.testing.assert_allclose(feats.loc[wide.index, wide.columns].to_numpy(), wide.to_numpy())
    per_100 = fr.profile(
        scores,
        by="doc_id",
        rate="per_100_sentences",
        n_boot=0,
        include_neutral=True,
        modifiers="all",
    )
    wide = per_100.pivot(index="doc_id", columns="feature", values="rate")
    feats = fr.document_features(scores, rate="per_100_sentences").set_index("doc_id")
    np.testing.assert_allclose(feats.loc[wide.index, wide.columns].to_numpy(), wide.to_numpy())
    loaded = fr.profile(scores, by="doc_id", n_boot=0).pivot(
        index="doc_id", columns="feature", values="rate"
    )
    feats = fr.document_features(
        scores, include_neutral=False, modifiers={"negated": False, "distanced": False}
    )
    feats = feats.set_index("doc_id")
    assert "neutral_reference" not in feats.columns
    np.testing.assert_allclose(
        feats.loc[loaded.index, loaded.columns].to_numpy(), loaded.to_numpy()
    )


def test_profile_by_doc_id_has_one_group_per_document(scores):
    prof = fr.profile(scores, by="doc_id", n_boot=20)
    assert prof["doc_id"].nunique() == len(scores.documents)
    assert (prof["n_docs"] == 1).all()
    two = fr.profile(scores, by=["outlet", "doc_id"], n_boot=0)
    assert two.groupby("doc_id")["outlet"].nunique().max() == 1


def test_modifier_filter_and_split(scores):
    m = scores.matches.assign(negated=np.arange(len(scores.matches)) % 3 == 0)
    marked = dataclasses.replace(scores, matches=m)
    kept = fr.document_features(marked, rate="count", voice="all", modifiers={"negated": False})
    exp = m[~m["negated"]].groupby(["doc_id", "category"]).size().unstack(fill_value=0)
    got = kept.set_index("doc_id").loc[exp.index, exp.columns]
    np.testing.assert_array_equal(got.to_numpy(), exp.to_numpy())
    split = fr.document_features(marked, rate="count", voice="all", modifiers=["negated"])
    assert "hedge|negated" in split.columns
    neg = m[m["negated"]].groupby(["doc_id", "category"]).size().unstack(fill_value=0)
    got = split.set_index("doc_id").loc[neg.index, [f"{c}|negated" for c in neg.columns]]
    np.testing.assert_array_equal(got.to_numpy(), neg.to_numpy())
    with pytest.raises(FramingError, match="'hedged_twice'"):
        fr.document_features(scores, modifiers=["hedged_twice"])
    with pytest.raises(FramingError, match="option `rate`: got 'per_word'; expected one of"):
        fr.document_features(scores, rate="per_word")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".dta"])
def test_writers(scores, tmp_path, suffix):
    feats = fr.document_features(scores, level="term")
    path = fr.write_features(feats, tmp_path / f"f{suffix}")
    back = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".dta": pd.read_stata}[suffix](path)
    assert len(back) == len(feats)
    if suffix == ".dta":
        # Stata names: letters, digits, _ (at most 32); the original name is the label
        assert "Zionist_regime" in back.columns
        labels = pd.io.stata.StataReader(path).variable_labels()
        assert labels["Zionist_regime"] == "Zionist regime"
        np.testing.assert_allclose(back["Zionist_regime"], feats["Zionist regime"])
        assert str(back["date"].dtype).startswith("datetime64")
    else:
        np.testing.assert_allclose(back["Zionist regime"], feats["Zionist regime"])
    with pytest.raises(FramingError, match=".dta"):
        fr.write_features(feats, tmp_path / "f.xlsx")


def test_cli_features_and_profile_by_doc_id(scores, tmp_path):
    scores.save(tmp_path / "scores")
    res = CliRunner().invoke(
        cli,
        ["features", str(tmp_path / "scores"), "--rate", "count", "-o", str(tmp_path / "f.csv")],
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(tmp_path / "f.csv")
    assert len(table) == len(scores.documents)
    assert (
        table["hedge"].sum()
        == (scores.matches.query("voice == 'author'")["category"] == "hedge").sum()
    )
    res = CliRunner().invoke(
        cli, ["profile", str(tmp_path / "scores"), "--by", "doc_id", "--n-boot", "0"]
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("doc_id,feature,count")


def test_stata_writer_handles_missing_dates_text_and_flags(tmp_path):
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": ["X", None],
            "date": ["2024-01-02", None],
            "flag": [True, False],
            "text": ["The regime fell.", "Nothing here."],
        }
    )
    scores = fr.score(docs, lexicons=["loaded-language"])
    feats = fr.document_features(scores, level="term")
    back = pd.read_stata(fr.write_features(feats, tmp_path / "f.dta"))
    assert back["outlet"].tolist() == ["X", ""]
    assert back["date"].iloc[0] == pd.Timestamp("2024-01-02") and pd.isna(back["date"].iloc[1])
    assert back["flag"].tolist() == [1, 0]
    assert back["regime"].round(3).tolist() == [333.333, 0.0]
