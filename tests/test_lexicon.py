"""Tests of the lexicon model: loading, cleaning, validation, merging, bundled lexicons, CLI."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import framing
from framing.cli import cli
from framing.errors import FramingError, LexiconError
from framing.lexicon import (
    FRAME_COLUMNS,
    PROBLEM_COLUMNS,
    Entry,
    Lexicon,
    format_problems,
    list_lexicons,
    load_lexicon,
    merge_lexicons,
    validate_lexicon,
)

DATA = Path(__file__).resolve().parent / "data" / "lexicons"
VALID = DATA / "valid.yaml"
BROKEN = DATA / "broken.yaml"
OTHER = DATA / "other.yaml"
EXPECTED_BUNDLED = {"mideast", "us-politics", "loaded-language", "epistemic"}


def yaml_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# ---- Entry ----------------------------------------------------------------------------------


def test_entry_is_frozen_and_lists_become_tuples():
    e = Entry("regime", variants=["regimes"], not_before=["change"], sources=["x"])
    assert e.variants == ("regimes",) and e.not_before == ("change",) and e.sources == ("x",)
    assert e.weight == 1.0 and e.case_sensitive is False and e.lexicon == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.term = "other"  # type: ignore[misc]
    hash(e)  # hashable: usable as a dict key by the matcher


def test_entry_refuses_a_bare_string_for_a_list_field():
    with pytest.raises(LexiconError, match=r"'variants' of entry 'goon' must be a list"):
        Entry("goon", variants="goon squad")  # type: ignore[arg-type]


# ---- loading a file -------------------------------------------------------------------------


def test_load_valid_file_builds_cleaned_entries_with_lines():
    lex = load_lexicon(VALID)
    assert (lex.name, lex.version, lex.language) == ("tiny", "2", "en")
    assert len(lex) == 8
    assert list(lex.concepts) == ["river_dam", "council"]
    assert lex.concepts["river_dam"] == "The dam on the Glass river"
    assert list(lex.stances) == ["north", "south", "neutral"]
    assert lex.poles == ("north", "south")
    assert lex.description.startswith("A tiny test lexicon") and "\n" not in lex.description
    by_term = {e.term: e for e in lex}
    # "  river   pirates " is stripped and collapsed; the variant equal to the term is dropped
    pirates = by_term["river pirates"]
    assert pirates.variants == ("river-pirate gang",)
    assert (pirates.weight, pirates.stance, pirates.line) == (3.0, "north", 35)
    assert pirates.lexicon == "tiny" and pirates.source_file.endswith("valid.yaml")
    grab = by_term["water grab"]
    assert grab.variants == ("water-grab scheme", "water theft")
    assert (grab.concept, grab.category, grab.weight, grab.line) == (
        "river_dam",
        "delegitimizing_label",
        2.0,
        22,
    )
    # concept alternatives get the concept id; entries may join a declared concept
    assert [e.term for e in lex if e.concept == "council"] == [
        "Northvale council",
        "NVC",
        "council junta",
    ]
    assert by_term["council junta"].not_before == ("meeting",)
    assert by_term["council junta"].not_after == ("the",)
    assert by_term["NVC"].case_sensitive is True
    # default weight is 1 (also for entries without a stance)
    assert by_term["heroic diggers"].weight == 1.0
    assert by_term["heroic diggers"].sources == ("Our own test data",)


def test_load_from_yaml_text_and_defaults():
    lex = load_lexicon(yaml_text("name: t", "version: 1", "entries:", "  - {term: slammed}"))
    assert repr(lex) == "<Lexicon t v1: 1 entries, 0 concepts, 0 categories>"
    assert lex.language == "en" and lex.description == "" and lex.poles is None
    assert lex.entries[0] == Entry("slammed", lexicon="t", source_file="<string>", line=4)


def test_repr_is_one_line():
    lex = load_lexicon(VALID)
    assert repr(lex) == "<Lexicon tiny v2: 8 entries, 2 concepts, 3 categories>"


def test_contains_uses_the_normalized_term_and_variants():
    lex = load_lexicon(VALID)
    assert "river pirates" in lex
    assert "River  Pirates" in lex  # case and whitespace
    assert "river-pirates" in lex  # hyphen = space
    assert "Water\u2013Grab Scheme" in lex  # en dash, variant
    assert "water" not in lex
    assert 3 not in lex


def test_iter_and_len_agree_with_entries():
    lex = load_lexicon(VALID)
    assert list(lex) == list(lex.entries)
    assert len(lex) == len(lex.entries) == 8


def test_lexicon_is_immutable():
    lex = load_lexicon(VALID)
    with pytest.raises(AttributeError, match="immutable"):
        lex.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        lex.concepts["x"] = "y"  # type: ignore[index]
    assert isinstance(lex.entries, tuple)


def test_to_frame_has_one_row_per_entry_and_contract_columns():
    lex = load_lexicon(VALID)
    frame = lex.to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert list(frame.columns[:12]) == [
        "term",
        "variants",
        "lexicon",
        "category",
        "concept",
        "stance",
        "weight",
        "case_sensitive",
        "not_before",
        "not_after",
        "note",
        "sources",
    ]
    assert len(frame) == 8
    assert frame["weight"].dtype == "float64" and frame["case_sensitive"].dtype == bool
    assert frame["weight"].tolist() == [0.0, 2.0, 1.5, 0.0, 0.0, 3.0, 2.0, 1.0]
    assert frame.loc[1, "variants"] == ("water-grab scheme", "water theft")
    assert frame["line"].tolist() == [21, 22, 28, 32, 33, 35, 36, 37]
    assert frame["category"].isna().sum() == 2  # the two council alternatives


def test_to_frame_of_an_empty_lexicon():
    frame = Lexicon("empty").to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS) and len(frame) == 0


def test_fingerprint_depends_on_content_not_location(tmp_path):
    lex = load_lexicon(VALID)
    copy = tmp_path / "copy.yaml"
    copy.write_text("# moved\n\n" + VALID.read_text(encoding="utf-8"), encoding="utf-8")
    moved = load_lexicon(copy)
    assert moved.entries[0].line == lex.entries[0].line + 2
    assert moved.fingerprint == lex.fingerprint and len(lex.fingerprint) == 64
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        VALID.read_text(encoding="utf-8").replace("weight: 1.5", "weight: 2"), encoding="utf-8"
    )
    assert load_lexicon(changed).fingerprint != lex.fingerprint


def test_pickle_round_trip_keeps_content():
    lex = load_lexicon([VALID, OTHER])
    back = pickle.loads(pickle.dumps(lex))
    assert back == lex and back.fingerprint == lex.fingerprint
    assert [p.name for p in back.parts] == ["tiny", "other"]


def test_repr_html_escapes_everything():
    lex = Lexicon(
        "x<y", description="<script>alert(1)</script>", entries=[Entry("a & b", note="<b>bold</b>")]
    )
    html = lex._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &amp; b" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;Lexicon x&lt;y v1: 1 entries" in html


def test_direct_construction_fills_the_lexicon_field_and_cleans():
    lex = Lexicon("mine", entries=[Entry("  a   b ", variants=("a b", "A-B", "c"))])
    assert lex.entries[0].term == "a b"
    assert lex.entries[0].variants == ("c",)  # "a b" and "A-B" are the term as matched
    assert lex.entries[0].lexicon == "mine"


# ---- bundled lexicons -----------------------------------------------------------------------


def test_list_lexicons_returns_sorted_bundled_names():
    names = list_lexicons()
    assert names == ["epistemic", "loaded-language", "mideast", "us-politics"]
    assert set(names) == EXPECTED_BUNDLED
    # domain lexicons (entries with concepts) first: they win matcher ties by default
    assert list_lexicons(domain_first=True) == [
        "mideast",
        "us-politics",
        "epistemic",
        "loaded-language",
    ]


def test_default_lexicons_keep_the_concept_of_wording_shared_with_loaded_language():
    text = "Three men were martyred in Gaza. Critics warned of a crime wave."
    default = framing.score(pd.DataFrame({"text": [text]})).matches.set_index("term")
    assert default.loc["martyred", ["lexicon", "concept", "stance"]].tolist() == [
        "mideast",
        "killing_deaths",
        "axis",
    ]
    assert default.loc["crime wave", "lexicon"] == "us-politics"
    # without a Middle East cue the gated mideast entry is dropped, and the stretch goes to
    # the general lexicon's entry that lost the overlap
    plain = framing.score(pd.DataFrame({"text": ["Three men were martyred."]})).matches
    assert plain[["surface", "lexicon"]].values.tolist() == [["martyred", "loaded-language"]]
    assert plain["stance"].isna().all()
    # an explicit order is honoured: the earlier lexicon wins the tie
    general = framing.score(
        pd.DataFrame({"text": [text]}), lexicons=["loaded-language", "us-politics"]
    ).matches
    assert general.set_index("surface").loc["crime wave", "lexicon"] == "loaded-language"


@pytest.mark.parametrize("name", list_lexicons())
def test_every_bundled_lexicon_validates(name):
    problems = validate_lexicon(name)
    errors = problems[problems["severity"] == "error"]
    assert errors.empty, "\n".join(format_problems(errors.to_dict("records")))
    lex = load_lexicon(name)
    assert lex.name == name, "a bundled lexicon's name must equal its file stem"
    assert len(lex) > 0 and all(e.lexicon == name for e in lex)
    assert all(e.note for e in lex), "every bundled entry needs a one-line note"


def test_unknown_name_lists_the_bundled_names():
    with pytest.raises(LexiconError) as info:
        load_lexicon("no-such-lexicon")
    message = str(info.value)
    assert "'no-such-lexicon'" in message
    for name in list_lexicons():
        assert name in message


def test_load_lexicon_rejects_bad_arguments():
    with pytest.raises(LexiconError, match="empty list"):
        load_lexicon([])
    with pytest.raises(LexiconError, match="option `name_or_path`: got 3; expected a lexicon"):
        load_lexicon(3)  # type: ignore[arg-type]
    with pytest.raises(LexiconError, match="not a file"):
        load_lexicon(DATA)


def test_a_lexicon_passes_through_load_lexicon():
    lex = load_lexicon(VALID)
    assert load_lexicon(lex) is lex


# ---- merging --------------------------------------------------------------------------------


def test_merge_keeps_order_lexicon_fields_and_unions_vocabulary():
    merged = load_lexicon([VALID, OTHER])
    assert merged.name == "tiny+other" and merged.version == "2+1"
    assert len(merged) == 8 + 2
    assert [e.lexicon for e in merged] == ["tiny"] * 8 + ["other"] * 2
    assert "sensational_verb" in merged.categories
    # the first description of a shared category wins
    assert merged.categories["delegitimizing_label"] == "Denies an actor its legitimacy."
    assert set(merged.concepts) == {"river_dam", "council"}
    # the same term in two lexicons is allowed: both entries are kept
    assert [e.lexicon for e in merged if e.term == "river pirates"] == ["tiny", "other"]
    assert merged.versions == {"tiny": "2", "other": "1"}
    assert merged.poles == ("north", "south")
    assert merge_lexicons(load_lexicon(VALID), load_lexicon(OTHER)) == merged
    assert Lexicon.merge(load_lexicon(VALID), load_lexicon(OTHER)) == merged


def test_merge_of_one_is_the_lexicon_itself_and_nested_merges_flatten():
    a, b = load_lexicon(VALID), load_lexicon(OTHER)
    assert load_lexicon([VALID]) == a
    ab = merge_lexicons(a, b)
    ba = merge_lexicons(b, a)
    assert ab != ba  # order matters (ties go to the earlier lexicon)
    assert [p.name for p in merge_lexicons(ab).parts] == ["tiny", "other"]
    with pytest.raises(LexiconError, match="listed twice"):
        merge_lexicons(ab, a)
    with pytest.raises(LexiconError, match="Lexicon objects"):
        merge_lexicons(a, "other")  # type: ignore[arg-type]


# ---- validation -----------------------------------------------------------------------------


def test_valid_file_has_no_problems():
    problems = validate_lexicon(VALID)
    assert list(problems.columns) == list(PROBLEM_COLUMNS)
    assert problems.empty


def problems_of(source) -> list[tuple[int | None, str, str, str]]:
    frame = validate_lexicon(source)
    return [
        (None if pd.isna(r.line) else int(r.line), r.entry, r.problem, r.severity)
        for r in frame.itertuples()
    ]


def test_broken_file_reports_every_problem_with_its_line():
    found = problems_of(BROKEN)
    errors = [(line, entry) for line, entry, _, sev in found if sev == "error"]
    warnings = [(line, entry) for line, entry, _, sev in found if sev == "warning"]
    assert len(errors) == 17
    assert warnings == [(8, "concept tax"), (12, "concept lonely")]
    text = {(line, entry): problem for line, entry, problem, _ in found}
    assert "missing 'version'" in text[(2, "")]
    assert "unknown key 'versoin': did you mean 'version'?" in text[(3, "")]
    assert "unknown stance 'neutral'" in text[(10, "estate tax")]
    assert "unknown key 'wieght': did you mean 'weight'?" in text[(16, "death tax")]
    assert "empty or whitespace" in text[(17, "'   '")]
    assert "unknown category 'insults'" in text[(18, "thug")]
    mob = [p for line, e, p, _ in found if (line, e) == (19, "mob")]
    assert any("unknown stance 'centre'" in p for p in mob)
    assert any("'weight' 5 is out of range" in p for p in mob)
    assert "duplicate: term 'Thug' equals the term 'thug'" in text[(20, "Thug")]
    goon = [p for line, e, p, _ in found if (line, e) == (21, "goon")]
    assert any("'variants' must be a list" in p for p in goon)
    assert any("'weight' must be a number" in p for p in goon)
    assert "unknown concept 'taxes': did you mean 'tax'?" in text[(22, "crook")]
    assert "variant 'Death-tax' equals the term 'death tax'" in text[(23, "liar")]
    booleans = [p for line, e, p, _ in found if line == 24]
    assert any("'term' must be a string (YAML reads yes/no" in p for p in booleans)
    assert any("'case_sensitive' must be true or false" in p for p in booleans)
    assert "must be a mapping" in text[(25, "")]
    assert "equals the term 'estate tax'" in text[(26, "estate tax")]


def test_load_lexicon_raises_one_error_listing_every_problem():
    with pytest.raises(LexiconError) as info:
        load_lexicon(BROKEN)
    exc = info.value
    assert len(exc.problems) == 17
    assert all(p["severity"] == "error" for p in exc.problems)
    message = str(exc)
    assert "has 17 error(s)" in message
    assert "broken.yaml:19: mob: 'weight' 5 is out of range" in message
    assert "broken.yaml:26: estate tax" in message
    assert isinstance(exc, FramingError) and isinstance(exc, ValueError)


def test_yaml_syntax_error_is_a_problem_with_a_line():
    found = problems_of(DATA / "syntax_error.yaml")
    assert len(found) == 1
    line, _, problem, severity = found[0]
    assert severity == "error" and line == 6
    assert problem.startswith("YAML syntax error") and "line 4" in problem


def test_warnings_do_not_stop_loading():
    found = problems_of(DATA / "warnings_only.yaml")
    assert [(line, sev) for line, _, _, sev in found] == [(6, "warning"), (10, "warning")]
    assert "1 alternative" in found[0][2] and "weight 0" in found[1][2]
    assert len(load_lexicon(DATA / "warnings_only.yaml")) == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (["version: 1", "entries: []"], "missing 'name'"),
        (["- just", "- a list"], "must be a YAML mapping"),
        ([""], "this file is empty"),
        (["name: t", "version: 1", "entries:", "  - {term: a, weight: -1}"], "out of range"),
        (["name: t", "version: 1", "entries:", "  - {term: a, weight: 3.5}"], "out of range"),
        (["name: t", "version: 1", "entries:", "  - {term: a, weight: true}"], "must be a number"),
        (["name: t", "version: 1", "entries:", "  - {term: 1948}"], "quote it"),
        (["name: t", "version: 1", "entries:", "  - {variants: [a]}"], "no 'term'"),
        (
            ["name: t", "version: 1", "entries:", "  - {term: a, not_before: [1]}"],
            "'not_before' contains 1",
        ),
        (
            ["name: t", "version: 1", "entries:", "  - {term: a, note: ''}"],
            "'note' must be a non-empty string",
        ),
        (["name: t", "version: 1", "entries:", "  - {term: a, term: b}"], "given twice"),
        (["name: t", "version: 1", "entries: {term: a}"], "'entries' must be a list"),
        (["name: t", "version: 1", "stances: [a, b]"], "'stances' must be a mapping"),
        (
            ["name: t", "version: 1", "stances: {a: A}", "poles: [a, b]"],
            "pole 'b' is not a declared stance",
        ),
        (
            [
                "name: t",
                "version: 1",
                "concepts:",
                "  c:",
                "    alternatives:",
                "      - {term: a, concept: d}",
                "      - {term: b}",
            ],
            "contradicts the concept",
        ),
        (["name: two words", "version: 1"], "'name' must be a word"),
    ],
)
def test_each_kind_of_problem_is_reported(body, expected):
    found = problems_of(yaml_text(*body) if body != [""] else "\n")
    assert any(expected in p and sev == "error" for _, _, p, sev in found), found


def test_duplicates_respect_case_sensitivity_and_separators():
    text = yaml_text(
        "name: t",
        "version: 1",
        "entries:",
        "  - {term: US, case_sensitive: true}",
        "  - {term: Us, case_sensitive: true}",  # different case, both case-sensitive: fine
        "  - {term: us}",  # case-insensitive: collides with both
        "  - {term: foreign backed}",
        "  - {term: x, variants: [Foreign\u2013Backed]}",  # en dash = hyphen = space
    )
    found = problems_of(text)
    assert [(line, entry) for line, entry, _, _ in found] == [(6, "us"), (8, "x")]


def test_a_variant_repeated_inside_one_entry_is_cleaned_not_reported():
    text = yaml_text(
        "name: t",
        "version: 1",
        "entries:",
        "  - {term: slammed, variants: [Slammed, slams, ' slams ']}",
    )
    assert problems_of(text) == []
    assert load_lexicon(text).entries[0].variants == ("slams",)


def test_missing_file_is_an_error_not_a_problem_row():
    with pytest.raises(LexiconError, match="neither a bundled lexicon name"):
        validate_lexicon("tests/does-not-exist.yaml")


def test_format_problems():
    rows = [
        {"file": "f.yaml", "line": 3, "entry": "mob", "problem": "bad", "severity": "error"},
        {"file": "f.yaml", "line": pd.NA, "entry": "", "problem": "meh", "severity": "warning"},
    ]
    assert format_problems(rows) == ["f.yaml:3: mob: bad", "f.yaml: warning: meh"]


# ---- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def runner():
    return CliRunner()


def test_cli_list_shows_every_bundled_lexicon(runner):
    result = runner.invoke(cli, ["lexicon", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "version", "entries", "concepts", "description"]
    assert [line.split()[0] for line in lines[1:]] == list_lexicons()
    row = next(line for line in lines if line.startswith("epistemic"))
    assert row.split()[2] == str(len(load_lexicon("epistemic")))


def test_cli_show_filters_by_concept_and_category(runner):
    result = runner.invoke(cli, ["lexicon", "show", str(VALID), "--concept", "river_dam"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "<Lexicon tiny v2: 8 entries, 2 concepts, 3 categories>"
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "Glass river dam",
        "water grab",
        "lifeline dam",
    ]
    result = runner.invoke(cli, ["lexicon", "show", str(VALID), "--category", "glorifying"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 2 + 2  # repr, header, two entries


def test_cli_show_unknown_concept_or_lexicon_exits_2(runner):
    result = runner.invoke(cli, ["lexicon", "show", str(VALID), "--concept", "nope"])
    assert result.exit_code == 2
    assert "has no concept 'nope'; its concept ids are: river_dam, council" in result.output
    result = runner.invoke(cli, ["lexicon", "show", "no-such-lexicon"])
    assert result.exit_code == 2 and "framing: error: No lexicon 'no-such-lexicon'" in (
        result.output
    )


def test_cli_validate_ok(runner):
    result = runner.invoke(cli, ["lexicon", "validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"ok: 8 entries in {VALID}"


def test_cli_validate_prints_every_problem_and_exits_1(runner):
    result = runner.invoke(cli, ["lexicon", "validate", str(VALID), str(BROKEN)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"ok: 8 entries in {VALID}" in lines
    problem_lines = [line for line in lines if line.startswith(f"{BROKEN}:")]
    assert len(problem_lines) == 19 + 1  # 17 errors, 2 warnings, summary
    assert (
        f"{BROKEN}:19: mob: 'weight' 5 is out of range: use 0 (neutral reference) to 3 "
        "(strongest)" in lines
    )
    assert (
        f"{BROKEN}:8: concept tax: warning: concept has 1 alternative(s); a concept "
        "compares at least 2 ways of naming one referent" in lines
    )
    assert f"{BROKEN}: 17 error(s), 2 warning(s)" in lines


def test_cli_validate_warnings_pass_unless_strict(runner):
    path = str(DATA / "warnings_only.yaml")
    result = runner.invoke(cli, ["lexicon", "validate", path])
    assert result.exit_code == 0 and f"ok: 2 entries in {path}, 2 warning(s)" in result.output
    result = runner.invoke(cli, ["lexicon", "validate", "--strict", path])
    assert result.exit_code == 1


def test_cli_test_prints_the_matches(runner):
    text = "The river-pirates' water grab; NVC and nvc; the council junta meeting."
    result = runner.invoke(cli, ["lexicon", "test", str(VALID), text])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "span",
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
    assert lines[1].startswith("4-18   river-pirates'  river pirates")
    assert lines[2].startswith("19-29  water grab      water grab")
    assert lines[3].startswith("31-34  NVC") and "council" in lines[3]
    assert lines[-1] == "3 match(es)"  # not "nvc" (case-sensitive), not "council junta"


def test_cli_test_prints_the_modifiers_of_each_match(runner):
    text = (
        '"The NVC must go," said Mayor Ana Ruiz. There was no water grab. '
        "The so-called river pirates left."
    )
    result = runner.invoke(cli, ["lexicon", "test", str(VALID), text])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    voice = lines[0].index("voice")
    mods = [" ".join(line[voice:].split()) for line in lines[1:-1]]
    assert mods == [
        "quote no no Mayor Ana Ruiz",  # quoted speech, with its speaker
        "author yes no",  # "there was no water grab"
        "author no yes",
    ]  # "the so-called river pirates"
    assert lines[-1] == "3 match(es)"


def test_cli_test_no_match_and_stdin(runner):
    result = runner.invoke(cli, ["lexicon", "test", str(VALID), "-"], input="nothing here")
    assert result.exit_code == 0
    assert result.output.strip() == "no matches (8 entries of tiny)"


def test_cli_test_broken_lexicon_exits_2(runner):
    result = runner.invoke(cli, ["lexicon", "test", str(BROKEN), "some text"])
    assert result.exit_code == 2
    assert "framing: error: Lexicon" in result.output and "17 error(s)" in result.output


def test_cli_list_marks_an_invalid_bundled_lexicon(runner, monkeypatch):
    import framing.lexicon as lexmod

    fake = {"broken": BROKEN, "tiny": VALID}
    monkeypatch.setattr(lexmod, "_bundled_files", lambda: fake)
    result = runner.invoke(cli, ["lexicon", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[:4] == ["broken", "?", "?", "?"]
    assert "INVALID: 17 error(s); run `framing lexicon validate broken`" in lines[1]
    assert lines[2].split()[:4] == ["tiny", "2", "8", "2"]


def test_cli_validate_accepts_a_bundled_name(runner):
    result = runner.invoke(cli, ["lexicon", "validate", "epistemic"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {len(load_lexicon('epistemic'))} entries in epistemic")


def test_reloading_a_changed_file_is_not_served_from_the_cache(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        yaml_text("name: t", "version: 1", "entries:", "  - {term: a}"), encoding="utf-8"
    )
    first = load_lexicon(path)
    assert load_lexicon(path) is first  # unchanged: cached, the same immutable object
    path.write_text(
        yaml_text("name: t", "version: 2", "entries:", "  - {term: a}", "  - {term: b}"),
        encoding="utf-8",
    )
    second = load_lexicon(path)
    assert (len(second), second.version) == (2, "2")


def test_a_term_that_is_a_generated_form_of_another_entry_is_a_warning():
    text = yaml_text(
        "name: t",
        "version: 1",
        "entries:",
        "  - {term: regime}",
        "  - {term: militants}",
        "  - {term: regimes, variants: [militant]}",
        "  - {term: box, variants: [boxes]}",
    )  # within one entry: just redundant
    found = problems_of(text)
    assert [(line, entry, sev) for line, entry, _, sev in found] == [
        (5, "militants", "warning"),
        (6, "regimes", "warning"),
    ]
    assert "generated form (plural or possessive) of 'regime'" in found[1][2]
    assert len(load_lexicon(text)) == 4


def test_repr_html_shows_at_most_20_entries():
    lex = Lexicon("big", entries=[Entry(f"term{i:03d}") for i in range(250)])
    html = lex._repr_html_()
    assert html.count("<tr>") == 1 + 20  # header row + 20 entries
    assert "230 more entries" in html and "term019" in html and "term020" not in html


def test_cli_show_filters_by_stance(runner):
    result = runner.invoke(cli, ["lexicon", "show", str(VALID), "--stance", "south"])
    assert result.exit_code == 0, result.output
    assert [line.split("  ")[0] for line in result.output.splitlines()[2:]] == [
        "water grab",
        "council junta",
    ]


def test_yaml_merge_keys_work_and_are_not_duplicate_keys():
    text = yaml_text(
        "name: t",
        "version: 1",
        "categories: {c: C}",
        "entries:",
        "  - &base {term: a, category: c, weight: 2, sources: [s]}",
        "  - {<<: *base, term: b, weight: 3}",
    )
    assert problems_of(text) == []
    a, b = load_lexicon(text).entries
    assert (b.term, b.category, b.weight, b.sources, b.line) == ("b", "c", 3.0, ("s",), 6)


def test_cli_validate_missing_file_exits_2(runner):
    result = runner.invoke(cli, ["lexicon", "validate", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert "framing: error: No lexicon 'no/such/file.yaml'" in result.output


def test_validate_accepts_prefix_wildcards_and_refuses_misplaced_stars(tmp_path):
    path = tmp_path / "wild.yaml"
    path.write_text(
        'name: wild\nversion: "1"\nentries:\n'
        "  - term: terror*\n"
        "  - term: illegal alien*\n"
        '    variants: ["undocumented immigr*"]\n'
        '  - term: "*ism"\n'
        '  - term: "ex-*"\n'
        "  - term: migrant\n"
        '    variants: ["mi*grant"]\n'
        '    not_before: ["crisi*"]\n',
        encoding="utf-8",
    )
    found = problems_of(path)
    assert [(line, entry) for line, entry, _, _ in found] == [
        (7, "*ism"),
        (8, "ex-*"),
        (9, "migrant"),
        (9, "migrant"),
    ]
    assert "bad wildcard in term: '*' is allowed only at the end" in found[0][2]
    assert "'*' must follow a letter or digit" in found[1][2]
    assert "bad wildcard in variant" in found[2][2] and "'mi*grant'" in found[2][2]
    assert "'not_before' word 'crisi*'" in found[3][2]
    good = tmp_path / "good.yaml"
    good.write_text(
        'name: good\nversion: "1"\nentries:\n  - term: terror*\n  - term: illegal alien*\n',
        encoding="utf-8",
    )
    assert validate_lexicon(good).empty
    lex = load_lexicon(good)
    assert [e.term for e in lex.entries] == ["terror*", "illegal alien*"]
