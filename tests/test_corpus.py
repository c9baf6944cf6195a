"""Tests of framing.corpus: every source kind, column synonyms, ids, dtypes and bad input."""

from __future__ import annotations

import gzip
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import DOCUMENT_COLUMNS, iter_corpus, make_doc_id, read_corpus
from framing.errors import CorpusError, DataQualityWarning

DATA = Path(__file__).resolve().parent / "data" / "corpus"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_adfaecfff69a847c.txt"
ALLSIDES = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "allsides" / "allsides.parquet"
)
STD = [*DOCUMENT_COLUMNS, "source"]


def _records():
    return [
        {
            "id": "a1",
            "outlet": "Northwind Daily",
            "date": "2025-01-05",
            "title": "One",
            "text": "First text.",
            "topic": "ceasefire",
        },
        {
            "id": "a2",
            "outlet": "Harbor Gazette",
            "date": "2025-02-10T08:30:00",
            "title": None,
            "text": "Second “quoted” text.",
            "topic": "tax",
        },
        {
            "id": "a3",
            "outlet": "Al-Monitor",
            "date": "2025-03-15",
            "title": "Three",
            "text": "",
            "topic": "tax",
        },
    ]


def _write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _assert_documents_dtypes(docs: pd.DataFrame) -> None:
    assert list(docs.columns[:6]) == STD
    assert docs["date"].dtype == np.dtype("datetime64[ns]")
    for col in ("doc_id", "outlet", "text", "source"):
        assert pd.api.types.is_string_dtype(docs[col]), col
        assert all(isinstance(v, str) for v in docs[col]), col
    assert all(isinstance(v, str) or pd.isna(v) for v in docs["title"])
    assert docs["doc_id"].is_unique
    assert isinstance(docs.index, pd.RangeIndex) and docs.index.start == 0


# ---- seed format text files --------------------------------------------------------------------


def test_seed_article():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (shared data is not next to the checkout)")
    docs = read_corpus(SEED)
    _assert_documents_dtypes(docs)
    assert len(docs) == 1
    row = docs.iloc[0]
    assert row["outlet"] == "Islam Times"
    assert row["date"] == pd.Timestamp("2023-05-12")
    assert row["text"].startswith("Chief of Staff of the Iranian Armed Forces")
    assert "date 2023" not in row["text"] and "Islam Times -" not in row["text"]
    assert row["text"].endswith("war-ravaged country.")
    assert pd.isna(row["title"])
    assert row["source"] == str(SEED)
    assert row["doc_id"] == make_doc_id("Islam Times", "2023-05-12", row["text"])


def test_multi_article_file_and_hyphenated_outlets():
    docs = read_corpus(DATA / "multi_article.txt")
    assert docs["outlet"].tolist() == ["Al-Monitor", "Northwind Daily", "Tri-County Bee"]
    assert docs["date"].tolist() == [pd.Timestamp(f"2025-02-0{d}") for d in (3, 4, 5)]
    first, second, third = docs["text"].tolist()
    assert first.startswith("Officials in the fictional port of Vell")
    assert first.endswith("the date 2025 was mentioned.")  # mid-line "date" is not a header
    assert second == (
        "The second article starts here. It mentions Al-Monitor - a rival.\nIt spans two lines."
    )
    assert third == "Third article, short."
    assert docs["doc_id"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_plain_text_without_header_is_one_document():
    docs = read_corpus(DATA / "plain.txt")
    assert len(docs) == 1
    assert docs.loc[0, "outlet"] == ""
    assert pd.isna(docs.loc[0, "date"])
    assert docs.loc[0, "text"] == "A plain note without any header.\n\nIt has two paragraphs."


def test_text_before_first_header_is_kept_as_its_own_document(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Stray preface.\ndate 2025-01-01 Vell Times - Body.\n", "utf-8")
    docs = read_corpus(path)
    assert docs["outlet"].tolist() == ["", "Vell Times"]
    assert docs["text"].tolist() == ["Stray preface.", "Body."]


def test_crlf_and_leading_space_header(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b" date 2025-01-01 Vell Times - Line one.\r\nLine two.\r\n")
    docs = read_corpus(path)
    assert docs.loc[0, "outlet"] == "Vell Times"
    assert docs.loc[0, "text"] == "Line one.\nLine two."


def test_invalid_header_date_becomes_nat_with_warning(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("date 2025-13-45 Vell Times - Body.\n", "utf-8")
    with pytest.warns(DataQualityWarning, match=r"1 date value\(s\).*column 'date'"):
        docs = read_corpus(path)
    assert pd.isna(docs.loc[0, "date"]) and docs.loc[0, "outlet"] == "Vell Times"


# ---- tables ----------------------------------------------------------------------------------


def test_jsonl(tmp_path):
    path = _write_jsonl(tmp_path / "d.jsonl", _records())
    docs = read_corpus(path)
    _assert_documents_dtypes(docs)
    assert docs["doc_id"].tolist() == ["a1", "a2", "a3"]
    assert docs["date"].tolist() == [
        pd.Timestamp("2025-01-05"),
        pd.Timestamp("2025-02-10 08:30"),
        pd.Timestamp("2025-03-15"),
    ]
    assert docs.loc[1, "text"] == "Second “quoted” text."
    assert pd.isna(docs.loc[1, "title"]) and docs.loc[0, "title"] == "One"
    assert docs.loc[2, "text"] == ""  # empty texts are kept
    assert list(docs.columns) == [*STD, "topic"]
    assert docs["source"].tolist() == [str(path)] * 3


def test_json_array_and_gzip(tmp_path):
    arr = tmp_path / "d.json"
    arr.write_text(json.dumps(_records()), "utf-8")
    gz = tmp_path / "d.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in _records()))
    a, b = read_corpus(arr), read_corpus(gz)
    assert a["doc_id"].tolist() == b["doc_id"].tolist() == ["a1", "a2", "a3"]
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))


def test_csv_keeps_ids_as_text_and_na_strings(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "ID,Publisher,PubDate,Headline,Body,words\n"
        "007,NA,2025-01-02,None,Text one.,2\n"
        "008,Vell Times,2025-01-03,T2,Text two.,2\n",
        "utf-8",
    )
    docs = read_corpus(path)
    _assert_documents_dtypes(docs)
    assert docs["doc_id"].tolist() == ["007", "008"]
    assert docs["outlet"].tolist() == ["NA", "Vell Times"]  # "NA" is a name, not a missing value
    assert docs["title"].tolist() == ["None", "T2"]
    assert docs["words"].tolist() == [2, 2]
    assert list(docs.columns) == [*STD, "words"]


def test_tsv(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("text\toutlet\nHello, world.\tVell Times\n", "utf-8")
    docs = read_corpus(path)
    assert docs["text"].tolist() == ["Hello, world."]
    assert docs["outlet"].tolist() == ["Vell Times"]


def test_parquet_and_tz_aware_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "doc_id": [1, 2],
            "media": ["A", "B"],
            "published_at": pd.to_datetime(["2025-01-01 01:30", "2025-06-01 12:00"]).tz_localize(
                "Europe/Berlin"
            ),
            "article": ["x", "y"],
        }
    )
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    docs = read_corpus(path)
    _assert_documents_dtypes(docs)
    assert docs["doc_id"].tolist() == ["1", "2"]
    assert docs["outlet"].tolist() == ["A", "B"]
    # converted to UTC, then naive
    assert docs["date"].tolist() == [
        pd.Timestamp("2025-01-01 00:30"),
        pd.Timestamp("2025-06-01 10:00"),
    ]


def test_mixed_offsets_and_free_form_dates():
    frame = pd.DataFrame(
        {
            "text": ["a", "b", "c", "d", "e"],
            "date": [
                "2025-01-01T10:00:00+02:00",
                "2025-01-01T10:00:00Z",
                "March 3, 2025",
                "3 Feb 2025 14:05",
                None,
            ],
        }
    )
    docs = read_corpus(frame)
    assert docs["date"].tolist()[:4] == [
        pd.Timestamp("2025-01-01 08:00"),
        pd.Timestamp("2025-01-01 10:00"),
        pd.Timestamp("2025-03-03"),
        pd.Timestamp("2025-02-03 14:05"),
    ]
    assert pd.isna(docs["date"].iloc[4])  # missing is not "unparseable": no warning


def test_unparseable_dates_warn_once_with_count_and_column():
    frame = pd.DataFrame(
        {"text": list("abcde"), "Published": ["2025-01-01", "soon", "May 5", "", "0001-01-01"]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = read_corpus(frame)
    quality = [w for w in caught if issubclass(w.category, DataQualityWarning)]
    assert len(quality) == 1
    msg = str(quality[0].message)
    # "soon", "May 5" (no year: would depend on today's date) and year 1 (out of range)
    assert "3 date value(s)" in msg and "column 'Published'" in msg and "<DataFrame>" in msg
    assert docs["date"].notna().tolist() == [True, False, False, False, False]


# ---- DataFrames, lists, folders ----------------------------------------------------------------


def test_dataframe_input_is_not_modified():
    frame = pd.DataFrame(_records()).set_index("topic")
    before = frame.copy()
    docs = read_corpus(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert docs["source"].tolist() == ["<DataFrame>"] * 3
    assert docs["doc_id"].tolist() == ["a1", "a2", "a3"]
    docs.loc[0, "text"] = "changed"
    assert frame["text"].iloc[0] == "First text."


def test_reading_a_documents_table_again_is_stable(tmp_path):
    docs = read_corpus(_write_jsonl(tmp_path / "d.jsonl", _records()))
    again = read_corpus(docs)
    pd.testing.assert_frame_equal(again, docs)


def test_list_of_sources_is_concatenated_in_order(tmp_path):
    path = _write_jsonl(tmp_path / "d.jsonl", _records()[:2])
    frame = pd.DataFrame({"body": ["From a frame."], "site": ["Vell Times"]})
    docs = read_corpus([DATA / "plain.txt", path, frame])
    assert docs["source"].tolist() == [str(DATA / "plain.txt"), str(path), str(path), "<DataFrame>"]
    assert docs["outlet"].tolist() == ["", "Northwind Daily", "Harbor Gazette", "Vell Times"]
    assert list(docs.columns) == [*STD, "topic"]
    assert pd.isna(docs.loc[3, "topic"])


def test_folder_recursive_sorted_skipping_hidden_and_unknown(caplog):
    with caplog.at_level("WARNING", logger="framing"):
        docs = read_corpus(DATA / "folder")
    assert docs["text"].tolist() == [
        "First folder article.",
        "Folder JSONL article.",
        "Folder CSV article, with a comma.",
    ]
    assert docs["outlet"].tolist() == ["Harbor Gazette", "Lakeside Post", "Ridge Courier"]
    assert docs["title"].tolist()[1:] == ["Second", "Third"]
    assert [Path(s).name for s in docs["source"]] == ["a.txt", "b.jsonl", "c.csv"]
    assert "README.md" in caplog.text  # skipped, but not silently


def test_glob_pattern(tmp_path):
    for i in (2, 1):
        (tmp_path / f"{i}.txt").write_text(f"date 2025-01-0{i} Vell Times - Doc {i}.", "utf-8")
    docs = read_corpus(str(tmp_path / "*.txt"))
    assert docs["text"].tolist() == ["Doc 1.", "Doc 2."]


def test_format_override(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("date 2025-01-01 Vell Times - Markdown body.", "utf-8")
    docs = read_corpus(path, format="text")
    assert docs.loc[0, "text"] == "Markdown body."
    path2 = tmp_path / "data.txt"
    path2.write_text('{"text": "really JSONL"}\n', "utf-8")
    assert read_corpus(path2, format="jsonl").loc[0, "text"] == "really JSONL"


# ---- columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("id", "source", "date", "title", "text"), None),
        (("DOC_ID", "Publisher", "PUBDATE", "Headline", "Content"), None),
        (("Id", "Media", "publish_date", "TITLE", "Body"), None),
        (("doc_id", "site", "published_at", "headline", "Article"), None),
    ],
)
def test_column_synonyms_case_insensitive(names, expected):
    frame = pd.DataFrame([["d1", "Vell Times", "2025-04-01", "T", "Body text."]], columns=names)
    docs = read_corpus(frame)
    row = docs.iloc[0]
    assert (row["doc_id"], row["outlet"], row["date"], row["title"], row["text"]) == (
        "d1",
        "Vell Times",
        pd.Timestamp("2025-04-01"),
        "T",
        "Body text.",
    )
    assert list(docs.columns) == STD


def test_explicit_columns_and_clashing_names():
    frame = pd.DataFrame(
        {"story": ["Real body."], "text": ["teaser"], "paper": ["Vell Times"], "id": ["x"]}
    )
    docs = read_corpus(frame, columns={"text": "story", "outlet": "paper", "doc_id": None})
    assert docs.loc[0, "text"] == "Real body."
    assert docs.loc[0, "outlet"] == "Vell Times"
    assert docs.loc[0, "input_text"] == "teaser"  # the unused "text" column is kept, renamed
    assert docs.loc[0, "id"] == "x"  # kept as a plain column: ids are generated
    assert docs.loc[0, "doc_id"] == make_doc_id("Vell Times", None, "Real body.")


def test_existing_source_column_is_kept():
    frame = pd.DataFrame({"outlet": ["A"], "source": ["wire feed"], "text": ["t"]})
    docs = read_corpus(frame)
    assert docs.loc[0, "source"] == "wire feed"
    assert list(docs.columns) == STD


# ---- ids ---------------------------------------------------------------------------------------


def test_make_doc_id_is_stable_and_depends_on_every_field():
    a = make_doc_id("Vell Times", "2025-01-01", "Text.")
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert a == "a5e7acb79e2f8210"  # frozen: ids must not change between versions
    assert a == make_doc_id("Vell Times", pd.Timestamp("2025-01-01"), "Text.")
    assert a != make_doc_id("Vell Time", "2025-01-01", "Text.")
    assert a != make_doc_id("Vell Times", "2025-01-02", "Text.")
    assert a != make_doc_id("Vell Times", "2025-01-01", "Text!")
    assert make_doc_id(None, None, None) == make_doc_id("", pd.NaT, "")


def test_generated_ids_are_deterministic_across_formats(tmp_path):
    recs = [{k: v for k, v in r.items() if k != "id"} for r in _records()]
    a = read_corpus(_write_jsonl(tmp_path / "d.jsonl", recs))
    pd.DataFrame(recs).to_csv(tmp_path / "d.csv", index=False)
    b = read_corpus(tmp_path / "d.csv")
    assert a["doc_id"].tolist() == b["doc_id"].tolist()
    assert a["doc_id"].tolist() == [make_doc_id(r["outlet"], r["date"], r["text"]) for r in recs]


def test_identical_documents_get_suffixes_and_a_warning():
    frame = pd.DataFrame({"outlet": ["A", "A", "A", "B"], "text": ["same", "same", "same", "x"]})
    with pytest.warns(DataQualityWarning, match="2 document\\(s\\) are identical"):
        docs = read_corpus(frame)
    base = make_doc_id("A", None, "same")
    assert docs["doc_id"].tolist()[:3] == [base, f"{base}-1", f"{base}-2"]


def test_duplicate_given_ids_are_refused_and_named(tmp_path):
    frame = pd.DataFrame({"id": ["k1", "k2", "k1", "k3", "k3", "k3"], "text": list("abcdef")})
    with pytest.raises(CorpusError) as err:
        read_corpus(frame)
    msg = str(err.value)
    assert "2 id(s)" in msg and "'k1' (2 times" in msg and "'k3' (3 times" in msg
    assert "'k2'" not in msg and "columns={'doc_id': None}" in msg


def test_duplicate_ids_across_files_name_both_files(tmp_path):
    a = _write_jsonl(tmp_path / "a.jsonl", [{"id": "z", "text": "one"}])
    b = _write_jsonl(tmp_path / "b.jsonl", [{"id": "z", "text": "two"}])
    with pytest.raises(CorpusError, match=r"'z' \(2 times, in .*a\.jsonl, .*b\.jsonl\)"):
        read_corpus([a, b])


def test_many_duplicate_ids_are_summarized():
    frame = pd.DataFrame({"id": [f"i{k}" for k in range(8)] * 2, "text": ["t"] * 16})
    with pytest.raises(CorpusError, match="8 id\\(s\\).* and 3 more"):
        read_corpus(frame)


def test_missing_text_values_are_kept_with_a_warning(tmp_path):
    path = tmp_path / "d.jsonl"
    _write_jsonl(path, [{"text": None}, {"text": "ok"}, {"outlet": "X"}])
    with pytest.warns(DataQualityWarning, match=r"2 document\(s\) have no text"):
        docs = read_corpus(path)
    assert docs["text"].tolist() == ["", "ok", ""]


# ---- bad input ---------------------------------------------------------------------------------


def test_missing_path_is_named():
    with pytest.raises(CorpusError, match=r"corpus path not found: 'no/such/file\.jsonl'"):
        read_corpus("no/such/file.jsonl")
    with pytest.raises(CorpusError, match="no file matches the pattern"):
        read_corpus("no/such/*.jsonl")


def test_unsupported_extension_lists_formats_and_fix(tmp_path):
    path = tmp_path / "article.docx"
    path.write_bytes(b"PK")
    with pytest.raises(CorpusError) as err:
        read_corpus(path)
    msg = str(err.value)
    assert "'.docx'" in msg and ".jsonl" in msg and ".parquet" in msg
    assert "format='text'" in msg


def test_bad_format_and_columns_options():
    frame = pd.DataFrame({"text": ["t"]})
    with pytest.raises(CorpusError, match="format='xml' is not supported; use one of"):
        read_corpus(frame, format="xml")
    with pytest.raises(CorpusError, match=r"did you mean columns=\{'text': 'body'\}"):
        read_corpus(frame, columns={"body": "text"})
    with pytest.raises(CorpusError, match="columns found: \\['text'\\]"):
        read_corpus(frame, columns={"text": "story"})
    with pytest.raises(CorpusError, match="cannot read a corpus from a int"):
        read_corpus(42)
    with pytest.raises(CorpusError, match="empty list"):
        read_corpus([])


def test_no_text_column_lists_columns_and_fix(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,outlet,story\n1,A,A long enough story text.\n", "utf-8")
    with pytest.raises(CorpusError) as err:
        read_corpus(path)
    msg = str(err.value)
    assert str(path) in msg and "['id', 'outlet', 'story']" in msg
    assert "columns={'text': 'story'}" in msg


def test_undecodable_bytes_give_file_and_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"date 2025-01-01 Vell Times - Caf\xe9 au lait.")
    with pytest.raises(CorpusError) as err:
        read_corpus(path)
    msg = str(err.value)
    assert str(path) in msg and "byte offset 32" in msg and "e9" in msg
    assert "re-encode" in msg and "iconv" in msg


def test_undecodable_bytes_in_jsonl_and_csv(tmp_path):
    jl = tmp_path / "d.jsonl"
    jl.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(CorpusError, match=r"byte offset 28"):
        read_corpus(jl)
    csv = tmp_path / "d.csv"
    csv.write_bytes(b"text\n" + b"x" * (1 << 20) + b"\n\xff\n")
    with pytest.raises(CorpusError, match=rf"byte offset {5 + (1 << 20) + 1}"):
        read_corpus(csv)


def _lenient_rows(path: Path, chunksize: int | None = None) -> list[tuple[str, str]]:
    """(id, reason) of each row the lenient CSV reader flags, over all chunks."""
    from framing.corpus import _read_csv, _Unit

    fmt = "tsv" if path.name.endswith(".tsv") else "csv"
    flagged = []
    for raw, problems in _read_csv(_Unit(path, fmt), chunksize, strict=False):
        flagged += [(str(raw["id"].iloc[i]), reason) for i, reason in sorted(problems.items())]
    return flagged


def test_lenient_csv_reader_blames_the_rows_holding_undecodable_bytes(tmp_path):
    # a legitimate U+FDD0 (the first stand-in) in the file must not be mistaken for bad bytes
    rows = [
        b"id,title,text",
        "r1,\ufdd0 ok,Fine.".encode(),
        b'r2,T\xe9,"two \xff runs,\nacross lines"',
        b"r3,T,Fine again.",
        b"r4,T," + b"x" * (1 << 20) + b"\x80",
    ]
    data = b"\n".join(rows) + b"\n"
    path = tmp_path / "d.csv"
    path.write_bytes(data)
    first, second = data.index(b"\xe9"), data.index(b"\xff")
    last = data.index(b"\x80")  # beyond the first 1 MB block
    expected = [
        (
            "r2",
            f"{path}: undecodable byte(s) e9 at byte offset {first} are not UTF-8 (and 1 "
            "more), in column(s) 'title', 'text'",
        ),
        (
            "r4",
            f"{path}: undecodable byte(s) 80 at byte offset {last} are not UTF-8, in "
            "column(s) 'text'",
        ),
    ]
    assert second > first
    assert _lenient_rows(path) == expected
    assert _lenient_rows(path, chunksize=1) == expected
    # read_corpus keeps failing for the whole file, naming the first offset
    with pytest.raises(CorpusError, match=rf"byte\(s\) e9 at byte offset {first} as UTF-8"):
        read_corpus(path)


def test_lenient_csv_reader_reads_clean_files_as_the_strict_one(tmp_path):
    from framing.corpus import _read_csv, _Unit

    path = tmp_path / "d.tsv"
    path.write_text("id\ttext\n007\tCaf\u00e9 \u00e0 Paris.\n008\tB.\n", "utf-8")
    ((raw, problems),) = list(_read_csv(_Unit(path, "tsv"), None, strict=False))
    assert problems == {}
    assert raw["id"].tolist() == ["007", "008"] and raw["text"].iloc[0] == "Caf\u00e9 \u00e0 Paris."


def test_lenient_csv_reader_still_fails_on_an_undecodable_header(tmp_path):
    from framing.corpus import _read_csv, _Unit

    path = tmp_path / "d.csv"
    path.write_bytes(b"id,t\xe9xt\nr1,Fine.\n")
    with pytest.raises(CorpusError, match=r"cannot decode byte\(s\) e9 at byte offset 4"):
        list(_read_csv(_Unit(path, "csv"), None, strict=False))


def test_lenient_text_reader_makes_an_undecodable_file_one_bad_document(tmp_path):
    from framing.corpus import _read_text, _Unit

    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfdate 2025-01-01 Vell Times - Caf\xe9.\ndate 2025-01-02 X - Y.")
    ((raw, problems),) = list(_read_text(_Unit(path, "text"), None, strict=False))
    assert len(raw) == 1 and raw["text"].iloc[0].startswith("date 2025-01-01 Vell Times - Caf")
    assert problems[0].startswith(f"{path}: undecodable byte(s) e9 at byte offset 35 are not UTF-8")
    path.write_bytes(b"date 2025-01-01 Vell Times - Fine.\ndate 2025-01-02 X - Y.")
    tables = list(_read_text(_Unit(path, "text"), None, strict=False))
    assert [len(t) for t, _ in tables] == [2] and tables[0][1] == {}


def test_utf16_gets_a_specific_hint(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("hello".encode("utf-16"))
    with pytest.raises(CorpusError, match="UTF-16"):
        read_corpus(path)


@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl"])
def test_utf8_bom_is_accepted(tmp_path, suffix):
    path = tmp_path / f"bom{suffix}"
    body = {
        ".txt": "date 2025-01-01 Vell Times - Body.",
        ".csv": "text,outlet\nBody.,Vell Times\n",
        ".jsonl": '{"text": "Body.", "outlet": "Vell Times"}\n',
    }[suffix]
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    docs = read_corpus(path)
    assert docs.loc[0, "text"] == "Body." and docs.loc[0, "outlet"] == "Vell Times"
    assert "\ufeff" not in "".join(docs.columns)


def test_malformed_jsonl_line_gives_file_and_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "ok"}\n\n{"text": "broken"\n', "utf-8")
    with pytest.raises(CorpusError, match=rf"{re.escape(str(path))}:3: malformed JSON Lines"):
        read_corpus(path)
    path.write_text('{"text": "ok"}\n["a list"]\n', "utf-8")
    with pytest.raises(CorpusError, match=r":2: expected a JSON object per line, got list"):
        read_corpus(path)


def test_malformed_csv_and_parquet(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text('text,outlet\n"unterminated,A\n', "utf-8")
    with pytest.raises(
        CorpusError, match="d.csv:2: a quoted field starting on line 2 is never closed"
    ):
        read_corpus(csv)
    pq = tmp_path / "d.parquet"
    pq.write_bytes(b"not parquet at all")
    with pytest.raises(CorpusError, match="cannot read as Parquet"):
        read_corpus(pq)


def test_empty_folder_and_empty_files(tmp_path):
    with pytest.raises(CorpusError, match="holds no corpus files"):
        read_corpus(tmp_path)
    (tmp_path / "e.jsonl").write_text("", "utf-8")
    (tmp_path / "e.csv").write_text("", "utf-8")
    docs = read_corpus(tmp_path)
    assert len(docs) == 0 and list(docs.columns) == STD
    assert docs["date"].dtype == np.dtype("datetime64[ns]")


def test_errors_carry_no_internal_traceback(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("{oops\n", "utf-8")
    with pytest.raises(CorpusError) as err:
        read_corpus(path)
    assert err.value.__cause__ is None and err.value.__suppress_context__


# ---- streaming ---------------------------------------------------------------------------------


def test_iter_corpus_gives_the_rows_of_read_corpus(tmp_path):
    recs = [
        {"outlet": f"O{i % 3}", "date": f"2025-0{1 + i % 6}-1{i % 9}", "text": f"doc {i % 7}"}
        for i in range(50)
    ]
    jl = _write_jsonl(tmp_path / "d.jsonl", recs)
    pd.DataFrame(recs).to_csv(tmp_path / "d.csv", index=False)
    pd.DataFrame(recs).to_parquet(tmp_path / "d.parquet", row_group_size=16)
    for path in (jl, tmp_path / "d.csv", tmp_path / "d.parquet", DATA / "multi_article.txt"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)  # identical docs by design
            whole = read_corpus(path)
            chunks = list(iter_corpus(path, chunksize=7))
        assert max(len(c) for c in chunks) <= 7
        joined = pd.concat(chunks, ignore_index=True)
        pd.testing.assert_frame_equal(joined, whole)
        assert joined["doc_id"].is_unique


def test_iter_corpus_over_folder_and_frame():
    whole = read_corpus(DATA / "folder")
    parts = list(iter_corpus(DATA / "folder", chunksize=1))
    assert len(parts) == 3
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True)[whole.columns], whole)
    frame = pd.DataFrame({"text": [f"t{i}" for i in range(5)]})
    assert [len(c) for c in iter_corpus(frame, chunksize=2)] == [2, 2, 1]
    with pytest.raises(CorpusError, match="chunksize must be a positive int"):
        next(iter_corpus(frame, chunksize=0))


def test_allsides_reads_whole_with_extra_columns():
    if not ALLSIDES.exists():
        pytest.skip(f"AllSides corpus not found at {ALLSIDES} (../shared/data is absent)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        docs = read_corpus(ALLSIDES)
    _assert_documents_dtypes(docs)
    assert len(docs) == 37_554
    assert list(docs.columns) == [*STD, "source_url", "url", "topic", "authors"]


def test_duplicate_column_names_are_refused():
    frame = pd.DataFrame([["a", "b", "c"]], columns=["text", "x", "x"])
    with pytest.raises(CorpusError, match=r"column name\(s\) \['x'\] occur more than once"):
        read_corpus(frame)


def test_extra_columns_keep_their_dtype():
    frame = pd.DataFrame(
        {"text": ["a", "b"], "n": pd.array([1, None], dtype="Int64"), "c": ["x", "y"]}
    )
    frame["c"] = frame["c"].astype("category")
    docs = read_corpus(frame)
    assert docs["n"].dtype == "Int64" and docs["c"].dtype == "category"


def test_explicit_column_is_not_taken_by_a_synonym():
    frame = pd.DataFrame({"source": ["The body text."], "paper": ["Vell Times"]})
    docs = read_corpus(frame, columns={"text": "source", "outlet": "paper"})
    assert docs.loc[0, "text"] == "The body text." and docs.loc[0, "outlet"] == "Vell Times"
    docs = read_corpus(frame, columns={"text": "SOURCE"})  # names match case-insensitively
    assert docs.loc[0, "text"] == "The body text." and docs.loc[0, "outlet"] == ""


def test_jsonl_unpaired_surrogate_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"text": "fine", "outlet": "A"}\n{"text": "broken \\ud800 escape", "outlet": "B"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: field 'text' is not valid Unicode"):
        read_corpus(path)
    array = tmp_path / "bad.json"
    array.write_text('[{"text": "ok"}, {"text": "x", "title": "\\udfff"}]', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"item 1 of the JSON array: field 'title'"):
        read_corpus(array)


def test_streaming_parquet_does_not_keep_the_row_groups_it_has_read(tmp_path):
    """Streaming memory must not grow with the file: the Parquet reader used to pre-buffer and
    keep every row group it had read (the whole corpus by the end of a run)."""
    import pyarrow as pa

    rng = np.random.default_rng(0)
    texts = [" ".join(map(str, rng.integers(100_000, 999_999, 100))) for _ in range(4000)]
    path = tmp_path / "big.parquet"
    pd.DataFrame({"id": [f"d{i}" for i in range(4000)], "outlet": "O", "text": texts}).to_parquet(
        path, row_group_size=100
    )  # 40 row groups, ~2.5 MB on disk
    base = pa.total_allocated_bytes()
    peak = n = 0
    for chunk in iter_corpus(path, chunksize=100):
        n += len(chunk)
        peak = max(peak, pa.total_allocated_bytes() - base)
        del chunk
    assert n == 4000
    # a few row groups in flight at most, not the file
    assert peak < path.stat().st_size / 4, (peak, path.stat().st_size)


def test_iter_corpus_with_on_error_yields_documents_and_coded_problems(tmp_path):
    from framing.corpus import PROBLEM_CODES, CorpusChunk, Problem

    path = tmp_path / "d.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "Fine."}\n{"id": "b", "text": null}\n'
        b'{"id": "c", "text": 7}\n{"id": "d", "text": "caf\xe9"}\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)  # problems, not warnings
        chunks = list(iter_corpus(path, chunksize=3, on_error="skip"))
    assert [type(c) for c in chunks] == [CorpusChunk, CorpusChunk]
    assert [c.documents["doc_id"].tolist() for c in chunks] == [["a", "b", "c"], ["d"]]
    assert chunks[0].problems == {
        1: Problem("missing_text", "no text (missing value)"),
        2: Problem("not_a_string", "text is not a string (got int)"),
    }
    (bad,) = chunks[1].problems.values()
    assert bad.code == "invalid_unicode" and f"{path}:4: byte(s) e9" in bad.reason
    assert {p.code for c in chunks for p in c.problems.values()} <= set(PROBLEM_CODES)
    # "raise": a CSV with bad bytes fails whole (as read_corpus); "skip" blames the row
    csv_path = tmp_path / "d.csv"
    csv_path.write_bytes(b"id,text\nr1,Fine.\nr2,caf\xe9\n")
    with pytest.raises(CorpusError, match="byte offset 23"):
        list(iter_corpus(csv_path, on_error="raise"))
    (chunk,) = iter_corpus(csv_path, on_error="skip")
    assert list(chunk.problems) == [1] and chunk.problems[1].code == "invalid_unicode"
    with pytest.raises(ValueError, match="'on_error' parameter of iter_corpus"):
        next(iter_corpus(csv_path, on_error="ignore"))


def test_read_table_reads_one_file_without_the_documents_schema(tmp_path):
    from framing.corpus import read_table

    path = tmp_path / "labels.csv"
    path.write_text("id,text,loaded\n007,One.,1\n008,,0\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns.tolist() == ["id", "text", "loaded"]  # no doc_id, outlet, date ...
    assert table["id"].tolist() == ["007", "008"] and table["loaded"].tolist() == [1, 0]
    assert table["text"].isna().tolist() == [False, True]
    with pytest.raises(CorpusError, match="reads one file"):
        read_table(tmp_path)
