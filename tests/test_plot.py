"""Tests of framing.plot (Agg backend) and of the `framing profile` / `framing plot` commands."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

from framing.aggregate import keyness, profile, slant, term_choice
from framing.classify import EvaluationResult
from framing.errors import FramingError, ParameterError
from framing.plot import (
    OKABE_ITO,
    plot_keyness,
    plot_pr_curves,
    plot_profile,
    plot_slant,
    plot_term_choice,
    plot_timeline,
)
from framing.scoring import Scores


def _synthetic(n_outlets: int = 5, docs_per_outlet: int = 6, seed: int = 0) -> Scores:
    """Small corpus: outlets O00..; 3 categories; a concept with left/right/neutral terms."""
    rng = np.random.default_rng(seed)
    outlets = [f"Outlet {i:02d}" for i in range(n_outlets)]
    rows_d, rows_s, rows_m = [], [], []
    for o, outlet in enumerate(outlets):
        for d in range(docs_per_outlet):
            doc = f"{o}-{d}"
            month = 1 + (d % 3)
            rows_d.append((doc, outlet, pd.Timestamp(2024, month, 10), "t", "x"))
            for s in range(3):
                rows_s.append((doc, s, 0, 1, "s", 20, 0.0 if s else 0.5))
                for _ in range(rng.poisson(1 + o % 3)):
                    cat = f"cat_{rng.integers(0, 3)}"
                    rows_m.append(
                        (doc, s, 0, 1, "w", f"term {cat}", "lex", cat, None, None, 1.0, "author")
                    )
                if rng.random() < 0.8:
                    right = rng.random() < (o + 0.5) / n_outlets
                    term, stance = ("death tax", "right") if right else ("estate tax", "left")
                    rows_m.append(
                        (
                            doc,
                            s,
                            0,
                            1,
                            term,
                            term,
                            "us",
                            "partisan_label",
                            "estate_tax",
                            stance,
                            1.0,
                            "author",
                        )
                    )
    docs = pd.DataFrame(rows_d, columns=["doc_id", "outlet", "date", "title", "text"])
    sents = pd.DataFrame(
        rows_s, columns=["doc_id", "sent_id", "start", "end", "text", "n_words", "quote_share"]
    )
    matches = pd.DataFrame(
        rows_m,
        columns=[
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
        ],
    )
    for col in ("category", "concept", "stance"):
        matches[col] = matches[col].astype(object)
    return Scores(docs, sents, matches)


@pytest.fixture(scope="module")
def scores() -> Scores:
    return _synthetic()


def _ytick_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_plot_profile_heatmap_writes_every_value(scores, tmp_path):
    prof = profile(scores, n_boot=50)
    fig = plot_profile(prof, title="Profile")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert _ytick_labels(ax) == [f"Outlet {i:02d}" for i in range(5)]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "cat 0",
        "cat 1",
        "cat 2",
        "partisan label",
    ]
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 5 * 4
    first = prof.iloc[0]["rate"]
    assert f"{first:.1f}" in texts or f"{first:.2f}" in texts
    assert fig._suptitle.get_text() == "Profile"
    out = tmp_path / "profile.png"
    fig.savefig(out)
    assert out.stat().st_size > 5000


def test_plot_profile_bars_with_ci_whiskers_and_ax(scores):
    prof = profile(scores, n_boot=50)
    fig = plot_profile(prof, kind="bars")
    assert len([a for a in fig.axes if a.get_visible()]) == 4
    one = prof[prof["feature"] == "cat_0"]
    target = Figure()
    ax = target.add_subplot()
    got = plot_profile(one, kind="bars", ax=ax, title="cat 0")
    assert got is target
    bars = [p.get_width() for p in ax.patches]
    assert bars == pytest.approx(one["rate"].tolist())
    with pytest.raises(FramingError, match="draws one feature per axes but the profile has 4"):
        plot_profile(prof, kind="bars", ax=Figure().add_subplot())
    with pytest.raises(FramingError, match="option `kind`: got 'pie'"):
        plot_profile(prof, kind="pie")


def test_plot_profile_height_grows_with_outlets():
    small = plot_profile(profile(_synthetic(n_outlets=5, docs_per_outlet=2), n_boot=0))
    big = plot_profile(profile(_synthetic(n_outlets=45, docs_per_outlet=2), n_boot=0))
    assert big.get_figheight() > 2.5 * small.get_figheight()
    labels = big.axes[0].get_yticklabels()
    assert len(labels) == 45 and labels[0].get_fontsize() >= 5.5


def test_plot_profile_orientation(scores):
    prof = profile(scores, n_boot=0)  # 5 outlets x 4 categories
    outlets = [f"Outlet {i:02d}" for i in range(5)]
    cats = ["cat 0", "cat 1", "cat 2", "partisan label"]
    auto = plot_profile(prof).axes[0]  # 4 features <= 2 x 5 groups: groups stay in rows
    assert _ytick_labels(auto) == outlets
    cols = plot_profile(prof, orient="columns").axes[0]
    assert _ytick_labels(cols) == cats
    assert [t.get_text() for t in cols.get_xticklabels()] == outlets
    assert cols.get_ylabel() == "category"
    # a few groups and many features: "auto" turns the groups into columns
    two = prof[prof["outlet"].isin(outlets[:1])]
    assert _ytick_labels(plot_profile(two).axes[0]) == cats
    with pytest.raises(FramingError, match="option `orient`: got 'diagonal'"):
        plot_profile(prof, orient="diagonal")


def test_plot_term_choice_stacks_shares_to_one(scores):
    tc = term_choice(scores, n_boot=50)
    fig = plot_term_choice(tc, title="Term choice")
    ax = fig.axes[0]
    widths = np.array([p.get_width() for p in ax.patches]).reshape(2, 5)
    assert widths.sum(axis=0) == pytest.approx(1.0)  # every outlet mentions the concept
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["death tax", "estate tax"]
    assert any(t.get_text().startswith("n=") for t in ax.texts)
    with pytest.raises(FramingError, match=r"concept\(s\) \['x'\] are not in the table"):
        plot_term_choice(tc, concept="x")


def test_plot_slant_sorted_with_low_n_marked(scores):
    sl = slant(scores, min_mentions=5, n_boot=100)
    sl.loc[0, ["slant", "ci_low", "ci_high", "low_n"]] = [np.nan, np.nan, np.nan, True]
    fig = plot_slant(sl, title="Slant")
    ax = fig.axes[0]
    labels = _ytick_labels(ax)
    ranked = sl.dropna(subset=["slant"]).sort_values("slant", ascending=False)
    assert [lab.split(" (n=")[0] for lab in labels[:-1]] == ranked["outlet"].tolist()
    assert labels[-1].startswith("Outlet 00")
    assert "too few mentions" in [t.get_text() for t in ax.texts]
    assert "left" in ax.get_xlabel() and "right" in ax.get_xlabel()
    assert ax.get_xlim() == pytest.approx((-1.05, 1.05))


def test_plot_timeline_lines_and_heatmap(scores):
    tl = profile(scores, period="M", level="lexicon", n_boot=50)
    fig = plot_timeline(tl, feature="lex", title="Timeline")
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 5
    assert ax.get_lines()[0].get_color() == OKABE_ITO[0]
    assert len(ax.get_lines()[0].get_xdata()) == 3  # January, February, March
    both = plot_timeline(tl)
    assert len(both.axes) == 2  # one panel per lexicon
    many = profile(
        _synthetic(n_outlets=12, docs_per_outlet=3), period="M", level="lexicon", n_boot=0
    )
    heat = plot_timeline(many, feature="lex")
    from matplotlib.collections import QuadMesh

    meshes = [c for c in heat.axes[0].collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 1  # >8 groups: heatmap on a time axis
    with pytest.raises(FramingError, match="plot_timeline needs column"):
        plot_timeline(profile(scores, n_boot=0))


def test_plot_keyness_top_each_side(scores):
    key = keyness(scores, a="Outlet 04", b="Outlet 00")
    fig = plot_keyness(key, k=2, title="Keyness")
    ax = fig.axes[0]
    z = [p.get_width() for p in ax.patches]
    assert len(z) == 4 and z[0] > 0 and z[-1] < 0
    assert _ytick_labels(ax)[0] == key.iloc[0]["feature"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["more typical of Outlet 04", "more typical of Outlet 00"]


def test_every_plot_draws_into_the_given_axes(scores):
    tables = {
        "term_choice": (plot_term_choice, term_choice(scores, n_boot=0), {}),
        "slant": (plot_slant, slant(scores, min_mentions=1, n_boot=0), {}),
        "timeline": (
            plot_timeline,
            profile(scores, period="M", level="lexicon", n_boot=0),
            {"feature": "lex"},
        ),
        "keyness": (plot_keyness, keyness(scores, a="Outlet 04", b="Outlet 00"), {"k": 2}),
        "profile": (plot_profile, profile(scores, n_boot=0), {}),
    }
    for name, (func, table, extra) in tables.items():
        fig = Figure(figsize=(8, 4))
        left, right = fig.subplots(1, 2)
        got = func(table, ax=right, title=name, **extra)
        assert got is fig, name
        assert right.get_title() == name and left.get_title() == "", name
        assert right.has_data() and not left.has_data(), name


def test_plots_do_not_register_pyplot_figures(scores):
    import matplotlib.pyplot as plt

    plt.close("all")
    plot_slant(slant(scores, min_mentions=1, n_boot=0))
    assert plt.get_fignums() == []


def test_plot_refuses_wrong_table(scores):
    with pytest.raises(FramingError, match="plot_slant needs column"):
        plot_slant(profile(scores, n_boot=0))
    with pytest.raises(FramingError, match="expects the DataFrame returned by framing.keyness"):
        plot_keyness([1, 2])


# ---- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def scores_dir(scores, tmp_path):
    """A SCORES_DIR as written by ``framing score`` (Scores.save)."""
    return scores.save(tmp_path / "scores")


def test_cli_profile_writes_csv(scores, scores_dir, tmp_path):
    from framing.cli import cli

    out = tmp_path / "profile.csv"
    res = CliRunner().invoke(
        cli, ["profile", str(scores_dir), "--by", "outlet", "--n-boot", "100", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out)
    expected = profile(scores, n_boot=100)
    assert got["rate"].to_numpy() == pytest.approx(expected["rate"].to_numpy())
    assert got["ci_high"].to_numpy() == pytest.approx(expected["ci_high"].to_numpy())
    res = CliRunner().invoke(
        cli, ["profile", str(scores_dir), "--level", "lexicon", "--period", "M", "--n-boot", "0"]
    )
    assert res.exit_code == 0, res.output
    assert (
        res.output.splitlines()[0]
        == "outlet,period,feature,count,exposure,rate,ci_low,ci_high,n_docs"
    )
    assert len(res.output.splitlines()) == 1 + 5 * 3 * 2


def test_cli_profile_errors(scores_dir, tmp_path):
    from framing.cli import cli

    res = CliRunner().invoke(cli, ["profile", str(scores_dir), "--by", "country"])
    assert res.exit_code == 2
    assert "framing: error: The 'by' parameter of profile names a column" in res.output
    res = CliRunner().invoke(cli, ["profile", str(tmp_path)])
    assert res.exit_code == 2 and "is not a scores directory" in res.output


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("profile", []),
        ("profile", ["--style", "bars"]),
        ("term-choice", []),
        ("slant", ["--min-mentions", "3"]),
        ("timeline", []),
        ("keyness", ["--a", "Outlet 04", "--b", "Outlet 00"]),
    ],
)
def test_cli_plot_kinds(scores_dir, tmp_path, kind, extra):
    from framing.cli import cli

    out = tmp_path / f"{kind}.png"
    res = CliRunner().invoke(
        cli, ["plot", str(scores_dir), "--kind", kind, "--n-boot", "20", "-o", str(out), *extra]
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_plot_svg_and_errors(scores_dir, tmp_path):
    from framing.cli import cli

    out = tmp_path / "slant.svg"
    res = CliRunner().invoke(
        cli,
        [
            "plot",
            str(scores_dir),
            "--kind",
            "slant",
            "-o",
            str(out),
            "--n-boot",
            "10",
            "--title",
            "Slant",
        ],
    )
    assert res.exit_code == 0 and out.read_text().lstrip().startswith("<?xml")
    pdf = tmp_path / "slant.pdf"
    res = CliRunner().invoke(
        cli, ["plot", str(scores_dir), "--kind", "slant", "-o", str(pdf), "--n-boot", "10"]
    )
    assert res.exit_code == 0 and pdf.read_bytes()[:5] == b"%PDF-"
    res = CliRunner().invoke(
        cli, ["plot", str(scores_dir), "--kind", "slant", "-o", str(tmp_path / "x.gif")]
    )
    assert res.exit_code == 2 and "must end in .png, .svg or .pdf" in res.output
    res = CliRunner().invoke(
        cli, ["plot", str(scores_dir), "--kind", "keyness", "-o", str(tmp_path / "k.png")]
    )
    assert res.exit_code == 2 and "needs --a GROUP" in res.output


def test_plot_profile_bars_honour_annotate_and_refuse_heatmap_options(scores):
    prof = profile(scores, n_boot=50)
    one = prof[prof["feature"] == "cat_0"]
    plain = plot_profile(one, kind="bars").axes[0]
    assert [t.get_text() for t in plain.texts] == []  # bars are not annotated by default
    ax = plot_profile(one, kind="bars", annotate=True).axes[0]
    assert len(ax.texts) == len(one) == 5
    assert [float(t.get_text()) for t in ax.texts] == pytest.approx(one["rate"].tolist(), rel=0.005)
    # each value sits at the end of its whisker (or its bar without an interval)
    ends = (one["ci_high"].fillna(one["rate"])).clip(lower=one["rate"]).tolist()
    assert [t.xy[0] for t in ax.texts] == pytest.approx(ends)
    with pytest.raises(
        ParameterError, match="option `cmap`: got 'magma'; expected None with kind='bars'"
    ):
        plot_profile(prof, kind="bars", cmap="magma")
    with pytest.raises(ParameterError, match="option `orient`: got 'columns'"):
        plot_profile(prof, kind="bars", orient="columns")
    # the heatmap takes the colour map it is given
    heat = plot_profile(prof, cmap="magma").axes[0]
    assert heat.images[0].get_cmap().name.startswith("magma")


def test_plot_pr_curves_draws_one_line_per_label_with_its_ap():
    result = EvaluationResult(
        metrics=pd.DataFrame(),
        summary={
            "loaded": {"pooled_pr_auc": 0.8125},
            "quote": {"pooled_pr_auc": 0.5},
            "macro_f1": 0.6,
        },
        curves={
            "loaded": {"precision": [0.5, 0.75, 1.0], "recall": [1.0, 0.5, 0.0]},
            "quote": {"precision": [0.4, 1.0], "recall": [1.0, 0.0]},
        },
    )
    fig = plot_pr_curves(result, title="PR")
    ax = fig.axes[0]
    assert [line.get_xdata().tolist() for line in ax.lines] == [[1.0, 0.5, 0.0], [1.0, 0.0]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "loaded (AP 0.81)",
        "quote (AP 0.50)",
    ]
    named = plot_pr_curves(result, labels=["a", "b"]).axes[0]
    assert [t.get_text() for t in named.get_legend().get_texts()] == ["a (AP 0.81)", "b (AP 0.50)"]
    with pytest.raises(ParameterError, match="option `labels`"):
        plot_pr_curves(result, labels=["a"])
    with pytest.raises(FramingError, match="expects the result of framing.classify.evaluate"):
        plot_pr_curves(pd.DataFrame())
