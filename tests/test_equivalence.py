"""Sentence spans, quote spans and matches on 2,000 AllSides articles are unchanged, byte for byte.

The digests in ``tests/data/golden/allsides_2000.json`` were computed with the character-loop
implementation that preceded the compiled one (issue 18); the entries matched are frozen in
``tests/data/golden/entries.json.gz`` (term, variants, lexicon, case and context fields of every
bundled lexicon at that time), so edits to the bundled lexicons do not move the reference.
Regenerate (only when a change of behaviour is intended) with::

    .venv/bin/python tests/test_equivalence.py --write
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "data" / "golden" / "allsides_2000.json"
ENTRIES = HERE / "data" / "golden" / "entries.json.gz"
ALLSIDES = HERE.parent.parent / "shared" / "data" / "allsides" / "allsides.parquet"
N_ARTICLES = 2000
_FIELDS = ("term", "variants", "lexicon", "case_sensitive", "not_before", "not_after")


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode("utf-8")).hexdigest()[:16]


def _articles() -> tuple[list[str], list[str]]:
    import pandas as pd

    table = pd.read_parquet(ALLSIDES, columns=["id", "text"])
    table = table[table["text"].map(lambda t: isinstance(t, str) and bool(t))].iloc[:N_ARTICLES]
    return table["id"].astype(str).tolist(), table["text"].tolist()


def _frozen_entries() -> list:
    from framing.lexicon import Entry

    rows = json.loads(gzip.decompress(ENTRIES.read_bytes()))
    return [Entry(**row) for row in rows]


def _digests(texts: list[str], entries: list) -> dict[str, list[str]]:
    from framing.matcher import Matcher
    from framing.segment import quote_spans, sentence_spans

    matcher = Matcher(entries)
    out: dict[str, list[str]] = {"sentences": [], "quotes": [], "matches": []}
    for text in texts:
        out["sentences"].append(_digest(sentence_spans(text)))
        out["quotes"].append(_digest(quote_spans(text)))
        found = [(m.start, m.end, m.entry.lexicon, m.entry.term) for m in matcher(text)]
        out["matches"].append(_digest(found))
    return out


@pytest.mark.skipif(not ALLSIDES.is_file(), reason=f"shared AllSides data absent ({ALLSIDES})")
def test_spans_and_matches_identical_to_the_reference_on_2000_articles():
    golden = json.loads(GOLDEN.read_text("utf-8"))
    ids, texts = _articles()
    if _digest(ids) != golden["ids"]:
        pytest.skip("the shared AllSides file differs from the one the reference was made on")
    got = _digests(texts, _frozen_entries())
    assert len(texts) == N_ARTICLES
    for kind in ("sentences", "quotes", "matches"):
        differ = [
            ids[i] for i, (a, b) in enumerate(zip(got[kind], golden[kind], strict=True)) if a != b
        ]
        assert not differ, (
            f"{kind} differ from the reference in {len(differ)} articles: {differ[:5]}"
        )


def _write() -> None:  # pragma: no cover - run by hand with the reference implementation
    from framing.lexicon import list_lexicons, load_lexicon

    lexicon = load_lexicon(list_lexicons())
    rows = [{f: getattr(e, f) for f in _FIELDS} for e in lexicon.entries]
    ENTRIES.parent.mkdir(parents=True, exist_ok=True)
    ENTRIES.write_bytes(gzip.compress(json.dumps(rows).encode("utf-8"), mtime=0))
    ids, texts = _articles()
    golden = {"ids": _digest(ids), **_digests(texts, _frozen_entries())}
    GOLDEN.write_text(json.dumps(golden) + "\n", "utf-8")
    print(f"wrote {GOLDEN} and {ENTRIES}")


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] == ["--write"]:
        _write()
