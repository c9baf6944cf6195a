"""Tests of framing.dictionary: LIWC, Lexicoder, WordStat and YAML import; export; tables.

The test dictionaries under tests/data/dictionaries/ are our own: one flat "civic" dictionary
written in every format, one nested dictionary in the nested formats, and each written once
more in framing's own YAML format as the reference the imports must match exactly.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import framing as fr
from framing.cli import cli
from framing.dictionary import lexicon_to_yaml, read_dictionary, write_lexicon
from framing.errors import DataQualityWarning, LexiconError
from framing.lexicon import list_lexicons, load_lexicon, validate_lexicon

DATA = Path(__file__).parent / "data" / "dictionaries"

TEXT = (
    "Terrorists attacked the depot before dawn, and the terror alert stayed high. A clash "
    "between armed groups closed the hospital; nurses and volunteers moved patients. The "
    "budget crisis deepened: taxation rose, a new levy arrived, inflation and a price rise "
    "hit shops. Job losses followed and hiring froze, while counterterrorism units and "
    "taxis waited."
)
DOCS = pd.DataFrame({"doc_id": ["t1"], "outlet": ["Test"], "text": [TEXT]})
COLUMNS = ["doc_id", "sent_id", "start", "end", "surface", "term", "category", "weight", "voice"]


def _matches(lexicon) -> pd.DataFrame:
    scores = fr.score(DOCS, lexicons=[lexicon])
    return scores.matches[COLUMNS].reset_index(drop=True)


def _read(name: str, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return read_dictionary(DATA / name, **kwargs)


@pytest.mark.parametrize("name", ["civic.dic", "civic-2007.dic", "civic.dicx", "civic.lc3"])
def test_flat_formats_match_like_the_yaml_lexicon(name):
    reference = load_lexicon(DATA / "civic-flat.yaml")
    imported = _read(name)
    expected = _matches(reference)
    pd.testing.assert_frame_equal(_matches(imported), expected)
    assert expected["surface"].tolist() == [
        "Terrorists",
        "terror",
        "clash",
        "armed groups",
        "hospital",
        "nurses",
        "volunteers",
        "budget",
        "crisis",
        "taxation",
        "inflation",
        "price rise",
        "taxis",
    ]


@pytest.mark.parametrize("name", ["civic-nested.yml", "civic-nested.cat"])
def test_nested_formats_match_like_the_yaml_lexicon(name):
    reference = load_lexicon(DATA / "civic-nested-reference.yaml")
    imported = _read(name)
    assert dict(imported.categories) == {"ECONOMY/TAXES": "", "ECONOMY/JOBS": "", "SECURITY": ""}
    expected = _matches(reference)
    pd.testing.assert_frame_equal(_matches(imported), expected)
    assert set(expected["category"]) == {"ECONOMY/TAXES", "ECONOMY/JOBS", "SECURITY"}


def test_imported_wildcards_match_word_prefixes():
    m = _matches(_read("civic.dic"))
    by_term = m.groupby("term")["surface"].apply(list).to_dict()
    assert by_term["terror*"] == ["Terrorists", "terror"]  # not counterterrorism
    assert by_term["tax*"] == ["taxation", "taxis"]  # prefix semantics, as in LIWC
    assert by_term["volunteer*"] == ["volunteers"]
    assert by_term["hospital*"] == ["hospital"]


@pytest.mark.filterwarnings("ignore:.*several categories:framing.errors.DataQualityWarning")
def test_liwc_header_descriptions_multi_category_and_conditionals():
    with pytest.warns(DataQualityWarning, match="1 term\\(s\\) belong to several"):
        lex = read_dictionary(DATA / "civic.dic")
    assert lex.name == "civic" and len(lex) == 12
    assert dict(lex.categories) == {"conflict": "Conflict and violence", "economy": "", "care": ""}
    crisis = next(e for e in lex if e.term == "crisis")
    assert (crisis.category, crisis.note) == ("conflict", "also in: economy")
    chosen = _read("civic.dic", categories=["economy", "conflict"])
    assert next(e for e in chosen if e.term == "crisis").category == "economy"
    assert len(chosen) == 9  # the care terms are left out
    with pytest.warns(DataQualityWarning, match="1 word\\(s\\) with conditional"):
        old = read_dictionary(DATA / "civic-2007.dic")
    assert next(e for e in old if e.term == "like").category == "care"


def test_import_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tposemo\n%\nhappy\t1\nsad\t7\n*ism\t1\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        read_dictionary(bad)
    message = str(err.value)
    assert "bad.dic:5: term 'sad': unknown category id '7'" in message
    assert "bad.dic:6: term '*ism'" in message
    no_header = tmp_path / "plain.dic"
    no_header.write_text("happy\t1\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="'%' lines"):
        read_dictionary(no_header)
    orphan = tmp_path / "orphan.lc3"
    orphan.write_text("happy\n+positive\nglad\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="orphan.lc3:1: term 'happy' comes before"):
        read_dictionary(orphan)
    with pytest.raises(LexiconError, match="pass format="):
        read_dictionary(tmp_path / "x.txt")
    with pytest.raises(LexiconError, match="option `format`: got 'excel'"):
        read_dictionary(bad, format="excel")
    with pytest.raises(LexiconError, match="does not exist"):
        read_dictionary(tmp_path / "missing.dic")
    with pytest.raises(LexiconError, match="no category 'nope'"):
        read_dictionary(DATA / "civic.lc3", categories=["nope"])


def test_framing_yaml_is_read_as_a_lexicon():
    assert read_dictionary(DATA / "civic-flat.yaml") == load_lexicon(DATA / "civic-flat.yaml")


@pytest.mark.parametrize("name", list_lexicons())
def test_yaml_export_round_trips_bundled_lexicons(name, tmp_path):
    lex = load_lexicon(name)
    path = write_lexicon(lex, tmp_path / f"{name}.yaml")
    again = load_lexicon(path)
    assert again == lex  # same fingerprint: metadata, vocabulary and every entry
    assert validate_lexicon(path)["severity"].eq("error").sum() == 0


def test_imported_dictionary_exports_to_valid_yaml(tmp_path):
    lex = _read("civic-nested.cat")
    text = lexicon_to_yaml(lex)
    assert "ECONOMY/TAXES" in text
    assert load_lexicon(text) == lex


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_table_round_trip(suffix, tmp_path):
    lex = load_lexicon(["mideast", "epistemic"])
    frame = lex.to_frame()
    path = tmp_path / f"lex{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
        back = pd.read_csv(path, dtype=object, keep_default_na=False)
    else:
        frame.to_parquet(path, index=False)
        back = pd.read_parquet(path)
    rebuilt = fr.lexicon_from_frame(back)
    assert [p.name for p in rebuilt.parts] == ["mideast", "epistemic"]
    assert [e.key() for e in rebuilt] == [e.key() for e in lex]
    # with the metadata a table does not hold, the lexicon is equal
    part = lex.parts[0]
    one = fr.lexicon_from_frame(
        back[back["lexicon"] == "mideast"],
        version=part.version,
        description=part.description,
        categories=part.categories,
        stances=part.stances,
        concepts=part.concepts,
    )
    assert [e.key() for e in one] == [e.key() for e in part]
    assert dict(one.categories) == dict(part.categories)


def test_lexicon_from_frame_simple_table_and_errors():
    table = pd.DataFrame(
        {
            "term": ["regime", "junta"],
            "category": ["label", "label"],
            "variants": ["regimes|régime", ""],
        }
    )
    lex = fr.lexicon_from_frame(table, name="mini")
    assert lex.name == "mini" and dict(lex.categories) == {"label": ""}
    assert lex.entries[0].variants == ("regimes", "régime")
    assert lex.entries[1].variants == ()
    with pytest.raises(LexiconError, match="no 'term' column"):
        fr.lexicon_from_frame(pd.DataFrame({"word": ["x"]}))
    with pytest.raises(LexiconError, match="row 2: empty term"):
        fr.lexicon_from_frame(pd.DataFrame({"term": ["x", " "]}))


def test_cli_lexicon_import(tmp_path):
    out = tmp_path / "civic.yaml"
    res = CliRunner().invoke(cli, ["lexicon", "import", str(DATA / "civic.lc3"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "written to" in res.stdout and "several categories" in res.stderr
    assert _matches(load_lexicon(out)).equals(_matches(load_lexicon(DATA / "civic-flat.yaml")))
    res = CliRunner().invoke(
        cli, ["lexicon", "import", str(DATA / "civic.lc3"), "-o", str(tmp_path / "civic.txt")]
    )
    assert res.exit_code == 2 and "civic.txt" in res.output
