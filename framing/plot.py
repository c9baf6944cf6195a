"""Figures of framing aggregates (matplotlib).

Every function takes the table returned by :mod:`framing.aggregate`, draws it and returns the
:class:`matplotlib.figure.Figure`. Functions that draw a single panel accept ``ax=`` to draw
into an existing axes; otherwise they create a new figure sized to the data (height grows
with the number of groups, so 40+ outlets stay legible). Figures are created with
``matplotlib.figure.Figure`` (not pyplot): nothing is shown or kept alive behind your back,
and a notebook displays the returned figure once. Save with ``fig.savefig("x.png")``.

Colours are colour-blind safe: the Okabe & Ito (2008) palette for categories and ``cividis``
for heatmaps. matplotlib is imported inside the functions, so ``import framing`` stays light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import FramingError, one_of, parameter_error

__all__ = [
    "plot_keyness",
    "plot_pr_curves",
    "plot_profile",
    "plot_slant",
    "plot_term_choice",
    "plot_timeline",
]

#: Okabe & Ito (2008) colour-blind-safe palette (black last)
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# lines: the pale yellow of Okabe-Ito is hard to see as a thin line on white, so it comes last
_LINE_COLORS = (*OKABE_ITO[:6], OKABE_ITO[7], OKABE_ITO[6])
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_VALUE_COLS = {
    "feature",
    "count",
    "exposure",
    "rate",
    "ci_low",
    "ci_high",
    "n_docs",
    "period",
    "lexicon",
    "concept",
    "term",
    "share",
    "slant",
    "n_mentions",
    "n_concepts",
    "low_n",
}
_RATE_LABEL = {
    "per_1k_words": "matches per 1,000 words",
    "per_100_sentences": "matches per 100 sentences",
    "sentence_share": "share of sentences with a match",
}


# ---- helpers ------------------------------------------------------------------------------------


def _need(func: str, frame: Any, cols: Sequence[str], made_by: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise FramingError(
            f"{func} expects the DataFrame returned by {made_by}; got {type(frame).__name__}."
        )
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise FramingError(
            f"{func} needs column(s) {', '.join(missing)} (the table returned by {made_by}); "
            f"the table has {', '.join(map(str, frame.columns))}."
        )


def _group_cols(func: str, frame: pd.DataFrame, by: Any, *, drop: Sequence[str] = ()) -> list[str]:
    if by is not None:
        keys = [by] if isinstance(by, str) else list(by)
        missing = [k for k in keys if k not in frame.columns]
        if missing:
            raise parameter_error(
                "by",
                missing[0] if len(missing) == 1 else missing,
                "column(s) of the table",
                hint=f"It has {', '.join(map(str, frame.columns))}.",
            )
    else:
        keys = [k for k in frame.attrs.get("by", []) if k in frame.columns] or [
            c for c in frame.columns if c not in _VALUE_COLS
        ]
    keys = [k for k in keys if k not in drop]
    return keys


def _labels(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    if not keys:
        return pd.Series(["all"] * len(frame), index=frame.index, dtype=object)
    parts = [frame[k].map(_fmt_key) for k in keys]
    out = parts[0]
    for p in parts[1:]:
        out = out + " \u00b7 " + p
    return out.astype(object)


def _fmt_key(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(none)"
    return _plain(value) if str(value) != "" else "(unknown)"


def _plain(value: Any) -> str:
    """``value`` as literal label text: every ``$`` escaped, so that matplotlib never reads
    data (an outlet named ``Cash $\\notacommand$ News``) as mathtext. Every label drawn from
    data goes through here."""
    return str(value).replace("$", r"\$")


def _label_size(n: int) -> float:
    """Tick-label font size for ``n`` labels on an axis."""
    return 9.0 if n <= 25 else max(5.5, 9.0 - (n - 25) * 0.08)


#: Largest figure side in inches: with many groups a figure grows, up to this (at the CLI's
#: largest --dpi of 600 that is 30,000 pixels, within what matplotlib can render)
MAX_FIGURE_INCHES = 50.0


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(
        figsize=(min(width, MAX_FIGURE_INCHES), min(height, MAX_FIGURE_INCHES)),
        layout="constrained",
    )


def _finish(fig, title: str | None, user_ax=None) -> None:
    """Title the figure, or the caller's axes when drawing into one."""
    if title:
        if user_ax is not None:
            user_ax.set_title(_plain(title))
        else:
            fig.suptitle(_plain(title), fontsize=12, fontweight="bold")


def _cmap(name: str):
    from matplotlib import colormaps

    return colormaps[name].with_extremes(bad="#e6e6e6")


def _palette(n: int) -> list:
    if n <= len(OKABE_ITO):
        return list(OKABE_ITO[:n])
    from matplotlib import colormaps

    cmap = colormaps["cividis"]
    return [cmap(x) for x in np.linspace(0.05, 0.95, n)]


def _small_groups(frame: pd.DataFrame, groups: list, feats: list) -> np.ndarray:
    """groups x feats: True where the group has fewer than ``MIN_DOCS`` documents."""
    from framing.aggregate import MIN_DOCS

    if "n_docs" not in frame.columns:
        return np.zeros((len(groups), len(feats)), bool)
    n = frame.groupby("_group", sort=False)["n_docs"].max().reindex(groups).fillna(0)
    return np.repeat((n.to_numpy() < MIN_DOCS)[:, None], len(feats), axis=1)


def _fmt_value(v: float) -> str:
    if pd.isna(v):
        return "\u2013"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


# ---- profile ------------------------------------------------------------------------------------


def plot_profile(
    prof: pd.DataFrame,
    *,
    kind: str = "heatmap",
    by: str | Sequence[str] | None = None,
    value: str = "rate",
    features: Sequence[str] | None = None,
    annotate: bool | None = None,
    cmap: str | None = None,
    orient: str = "auto",
    ax: Any = None,
    title: str | None = None,
):
    """Plot a framing profile: group x feature heatmap, or bars with CI whiskers.

    Parameters
    ----------
    prof : pandas.DataFrame
        The table returned by :func:`framing.profile`.
    kind : {"heatmap", "bars"}, default "heatmap"
        ``"heatmap"``: one cell per group x feature with its value written in it.
        ``"bars"``: one panel per feature, a horizontal bar per group with its 95% CI.
    by : str or list of str, optional
        Group columns (default: those recorded by :func:`profile`, else every column that is
        not a value column). Several keys are joined in the labels.
    value : str, default "rate"
        Column to draw.
    features : list of str, optional
        Features to show, in this order (default: all, sorted).
    annotate : bool, optional
        Write the values: in the heatmap cells (default: when there are at most 1,500 cells),
        or at the end of each bar's whisker (default for bars: no).
    cmap : str, optional
        Colour map of the heatmap (default ``"cividis"``: perceptually uniform, colour-blind
        safe). Bars have one colour: giving ``cmap`` with ``kind="bars"`` is an error.
    orient : {"auto", "rows", "columns"}, default "auto"
        Heatmap layout: groups as ``"rows"`` (features as columns) or as ``"columns"``
        (features as rows). ``"auto"`` puts the groups in columns when there are more than
        twice as many features as groups and at most 12 groups, so that a profile of a few
        outlets over many categories stays legible instead of becoming a thin wide strip.
        Bars always have one row per group: ``"columns"`` with ``kind="bars"`` is an error.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (heatmap, or bars of a single feature).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        An unknown ``kind`` or ``orient``, or an option bars cannot honour (``cmap``,
        ``orient="columns"``).
    FramingError
        Not a profile table, unknown ``features``, or an empty profile.
    """
    func = "plot_profile"
    _need(func, prof, ["feature", value], "framing.profile")
    if kind not in ("heatmap", "bars"):
        raise parameter_error("kind", kind, one_of(("heatmap", "bars")))
    if orient not in ("auto", "rows", "columns"):
        raise parameter_error("orient", orient, one_of(("auto", "rows", "columns")))
    if kind == "bars" and cmap is not None:
        raise parameter_error(
            "cmap",
            cmap,
            "None with kind='bars'",
            hint="Bars have one colour; cmap colours the heatmap.",
        )
    if kind == "bars" and orient == "columns":
        raise parameter_error(
            "orient",
            orient,
            "'auto' or 'rows' with kind='bars'",
            hint="Bars draw one row per group; use kind='heatmap' to put the groups in columns.",
        )
    keys = _group_cols(func, prof, by)
    frame = prof.assign(_group=_labels(prof, keys))
    available = sorted(frame["feature"].astype(str).unique())
    if features is not None:
        unknown = [f for f in features if str(f) not in available]
        if unknown:
            raise FramingError(
                f"plot_profile: feature(s) {unknown} are not in the profile; it "
                f"has {', '.join(available) or 'none'}."
            )
    feats = list(features) if features is not None else available
    frame = frame[frame["feature"].astype(str).isin(feats)]
    groups = list(dict.fromkeys(frame["_group"]))
    if not groups or not feats:
        raise FramingError(
            "plot_profile: the profile is empty (no group or no feature); nothing to draw."
        )
    unit = _RATE_LABEL.get(prof.attrs.get("rate", ""), value) if value == "rate" else value
    if kind == "heatmap":
        fig = _profile_heatmap(
            frame,
            groups,
            feats,
            value=value,
            unit=unit,
            keys=keys,
            level=prof.attrs.get("level", "feature"),
            annotate=annotate,
            cmap=cmap or "cividis",
            orient=orient,
            ax=ax,
        )
    else:
        fig = _profile_bars(
            frame, groups, feats, value=value, unit=unit, annotate=bool(annotate), ax=ax
        )
    _finish(fig, title, ax)
    return fig


def _pivot(frame: pd.DataFrame, value: str, groups: list, feats: list) -> pd.DataFrame:
    """groups x feats table of ``value`` (NaN where a group has no row for a feature)."""
    return frame.pivot_table(
        index="_group", columns="feature", values=value, aggfunc="first", dropna=False
    ).reindex(index=groups, columns=feats)


def _profile_heatmap(
    frame: pd.DataFrame,
    groups: list,
    feats: list,
    *,
    value: str,
    unit: str,
    keys: list[str],
    level: str,
    annotate: bool | None,
    cmap: str,
    orient: str,
    ax: Any,
):
    """The heatmap of :func:`plot_profile` (its figure)."""
    ng, nf = len(groups), len(feats)
    if orient == "auto":
        orient = "columns" if nf > 2 * ng and ng <= 12 else "rows"
    data = _pivot(frame, value, groups, feats).to_numpy(dtype=float)
    small = _small_groups(frame, groups, feats)
    n_docs = (
        frame.groupby("_group", sort=False)["n_docs"].max().reindex(groups)
        if "n_docs" in frame.columns
        else None
    )
    row_labels = [
        f"{g} ({int(n_docs[g])} docs)" if n_docs is not None and small[i].any() else g
        for i, g in enumerate(groups)
    ]
    col_labels = [_plain(f).replace("_", " ") for f in feats]
    if orient == "columns":
        data, small = data.T, small.T
        row_labels, col_labels = col_labels, row_labels
    nr, nc = data.shape
    ysize = _label_size(nr)
    if ax is None:
        width = min(24.0, max(6.0, 0.75 * nc + 4.0))
        fig = _new_figure(width, max(2.8, 0.3 * nr + 2.0))
        ax = fig.add_subplot()
    else:
        fig = ax.get_figure()
    # groups with fewer than MIN_DOCS documents are grey: their value is written but they
    # neither get a colour nor set the colour scale
    masked = np.ma.masked_where(~np.isfinite(data) | small, data)
    scaled = data[np.isfinite(data) & ~small]
    clim = (float(scaled.min()), float(scaled.max())) if scaled.size else (None, None)
    if clim[0] is not None and clim[0] == clim[1]:
        clim = (clim[0], clim[0] + 1.0)
    im = ax.imshow(
        masked, aspect="auto", cmap=_cmap(cmap), interpolation="nearest", vmin=clim[0], vmax=clim[1]
    )
    ax.set_xticks(
        range(nc),
        col_labels,
        rotation=35,
        ha="right",
        rotation_mode="anchor",
        fontsize=_label_size(nc),
    )
    ax.set_yticks(range(nr), row_labels, fontsize=ysize)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate is None:
        annotate = ng * nf <= 1500
    if annotate:
        vmin, vmax = clim if clim[0] is not None else (0, 1)
        mid = (vmin + vmax) / 2
        size = min(8.5, ysize)
        for i in range(nr):
            for j in range(nc):
                v = data[i, j]
                color = "#222222" if (np.isnan(v) or v > mid or small[i, j]) else "white"
                ax.text(
                    j,
                    i,
                    _fmt_value(v),
                    ha="center",
                    va="center",
                    fontsize=size,
                    color=color,
                    style="italic" if small[i, j] else "normal",
                )
    note = ""
    if small.any():
        from framing.aggregate import MIN_DOCS

        note = f"\n(grey: fewer than {MIN_DOCS} documents)"
    cbar = fig.colorbar(im, ax=ax, shrink=min(1.0, max(0.3, 8 / max(nr, 1))), pad=0.01)
    cbar.set_label(unit + note)
    if orient == "columns":
        ax.set_ylabel(_plain(level))
    else:
        ax.set_ylabel(" \u00b7 ".join(map(_plain, keys)))
    return fig


def _profile_bars(
    frame: pd.DataFrame,
    groups: list,
    feats: list,
    *,
    value: str,
    unit: str,
    annotate: bool,
    ax: Any,
):
    """The bars of :func:`plot_profile`: one panel per feature, a bar per group (its figure)."""
    ng, nf = len(groups), len(feats)
    ysize = _label_size(ng)
    wide = _pivot(frame, value, groups, feats)
    low = _pivot(frame, "ci_low", groups, feats)
    high = _pivot(frame, "ci_high", groups, feats)
    if ax is not None and nf > 1:
        raise FramingError(
            f"plot_profile(kind='bars', ax=...) draws one feature per axes but the profile "
            f"has {nf}; pass features=[...] with one feature, or leave ax out."
        )
    if ax is None:
        ncols = min(4, nf)
        nrows = math.ceil(nf / ncols)
        fig = _new_figure(min(20.0, 2.2 + 3.2 * ncols), max(2.6, (0.24 * ng + 1.1) * nrows))
        axes = np.atleast_1d(fig.subplots(nrows, ncols, sharey=True, squeeze=False)).ravel()
    else:
        fig = ax.get_figure()
        axes = np.array([ax])
    y = np.arange(ng)
    for j, feat in enumerate(feats):
        a = axes[j]
        v = wide[feat].to_numpy(dtype=float)
        lo = np.clip(v - low[feat].to_numpy(dtype=float), 0, None)
        hi = np.clip(high[feat].to_numpy(dtype=float) - v, 0, None)
        a.barh(y, np.nan_to_num(v), color=OKABE_ITO[4], height=0.7)
        a.errorbar(
            v, y, xerr=np.vstack([lo, hi]), fmt="none", ecolor="#333333", elinewidth=0.9, capsize=2
        )
        if annotate:  # the value just beyond the whisker (or the bar, without an interval)
            ends = v + np.nan_to_num(hi)
            for yi, vi, end in zip(y, v, ends, strict=True):
                if np.isfinite(vi):
                    a.annotate(
                        _fmt_value(vi),
                        (end, yi),
                        xytext=(3, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=min(8.0, ysize),
                    )
        a.set_title(_plain(feat).replace("_", " "), fontsize=10)
        a.set_yticks(y, groups, fontsize=ysize)
        a.set_ylim(ng - 0.5, -0.5)
        a.grid(axis="x", color="#dddddd", linewidth=0.6)
        a.set_axisbelow(True)
        a.set_xlim(left=0)
        a.set_xlabel(unit, fontsize=8)
        for spine in ("top", "right"):
            a.spines[spine].set_visible(False)
    for a in axes[nf:]:
        a.set_visible(False)
    return fig


# ---- term choice --------------------------------------------------------------------------------


def plot_term_choice(
    tc: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    concept: str | Sequence[str] | None = None,
    top: int | None = 8,
    ax: Any = None,
    title: str | None = None,
):
    """Stacked bars: share of each alternative among mentions of a concept, per group.

    Parameters
    ----------
    tc : pandas.DataFrame
        The table returned by :func:`framing.term_choice`.
    by : str or list of str, optional
        Group columns (default: inferred).
    concept : str or list of str, optional
        Concepts to draw, one panel each (default: the ``top`` most contrasting ones).
    top : int or None, default 8
        Without ``concept``: draw the ``top`` concepts whose shares differ most between groups
        (:func:`framing.aggregate.contrasting_concepts`); ``None`` draws every concept.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (only when one concept is drawn).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Groups that never mention a concept keep their row, marked "no mentions".
    """
    from framing.aggregate import MIN_DOCS

    func = "plot_term_choice"
    user_ax = ax
    share = "share" if "share" in tc.columns else "rate"
    _need(func, tc, ["concept", "term", share, "exposure"], "framing.term_choice")
    keys = _group_cols(func, tc, by)
    frame = tc.assign(_group=_labels(tc, keys))
    concepts = list(dict.fromkeys(frame["concept"].astype(str)))
    if concept is not None:
        wanted = [concept] if isinstance(concept, str) else list(concept)
        missing = [c for c in wanted if c not in concepts]
        if missing:
            raise FramingError(
                f"plot_term_choice: concept(s) {missing} are not in the table; "
                f"it has {', '.join(concepts)}."
            )
        concepts = wanted
    elif top is not None and len(concepts) > top:
        from framing.aggregate import contrasting_concepts

        ranked = contrasting_concepts(tc, min_mentions=1)
        concepts = (ranked + [c for c in concepts if c not in ranked])[:top]
    if not concepts:
        raise FramingError("plot_term_choice: the table has no concept; nothing to draw.")
    if ax is not None and len(concepts) > 1:
        raise FramingError(
            f"plot_term_choice(ax=...) draws one concept but the table has {len(concepts)}; "
            "pass concept='...' or leave ax out."
        )
    groups = list(dict.fromkeys(frame["_group"]))
    ng = len(groups)
    ysize = _label_size(ng)
    if ax is None:
        heights = [0.26 * ng + 1.3 for _ in concepts]
        fig = _new_figure(9.0, max(2.8, sum(heights)))
        axes = list(
            np.atleast_1d(
                fig.subplots(len(concepts), 1, squeeze=False, height_ratios=heights)
            ).ravel()
        )
    else:
        fig = ax.get_figure()
        axes = [ax]
    y = np.arange(ng)
    for a, cid in zip(axes, concepts, strict=True):
        sub = frame[frame["concept"].astype(str) == cid]
        terms = list(dict.fromkeys(sub["term"].astype(str)))
        wide = sub.pivot_table(
            index="_group", columns="term", values=share, aggfunc="first", dropna=False
        ).reindex(index=groups, columns=terms)
        mentions = sub.groupby("_group", sort=False)["exposure"].max().reindex(groups)
        docs_with = (
            (
                sub.groupby("_group", sort=False)["n_docs"].max().reindex(groups)
                if "n_docs" in sub.columns
                else mentions
            )
            .fillna(0)
            .to_numpy()
        )
        few = docs_with < MIN_DOCS  # faded: a share of 1 or 2 articles is not a finding
        left = np.zeros(ng)
        colors = _palette(len(terms))
        for term, color in zip(terms, colors, strict=True):
            v = np.nan_to_num(wide[term].to_numpy(dtype=float))
            bars = a.barh(
                y,
                v,
                left=left,
                color=color,
                height=0.72,
                label=_plain(term),
                edgecolor="white",
                linewidth=0.5,
            )
            for bar, faint in zip(bars, few, strict=True):
                if faint:
                    bar.set_alpha(0.3)
            for yi, (l0, w) in enumerate(zip(left, v, strict=True)):
                if few[yi]:
                    continue
                if w >= 0.12 and ng <= 60:
                    a.text(
                        l0 + w / 2,
                        yi,
                        f"{100 * w:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=min(8, ysize),
                        color="white"
                        if color in ("#0072B2", "#D55E00", "#009E73", "#000000", "#CC79A7")
                        else "#222",
                    )
            left = left + v
        for yi, n in enumerate(mentions.fillna(0).to_numpy()):
            label = f"n={int(n)}" if n > 0 else "no mentions"
            if n > 0 and few[yi]:
                label += f" (< {MIN_DOCS} docs)"
            a.text(
                1.01,
                yi,
                label,
                va="center",
                fontsize=min(8, ysize),
                color="#555555" if n > 0 else "#999999",
                transform=a.get_yaxis_transform(),
            )
        a.set_yticks(y, groups, fontsize=ysize)
        a.set_ylim(ng - 0.5, -0.5)
        a.set_xlim(0, 1)
        a.xaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f}%")
        a.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=min(4, len(terms)),
            fontsize=8,
            frameon=False,
            borderaxespad=0.3,
            title=_plain(cid).replace("_", " "),
            title_fontproperties={"size": 10, "weight": "bold"},
            alignment="left",
        )
        for spine in ("top", "right"):
            a.spines[spine].set_visible(False)
    axes[-1].set_xlabel(
        "share of mentions of the concept (n: mentions; faded: fewer than "
        f"{MIN_DOCS} documents mention it)"
    )
    _finish(fig, title, user_ax)
    return fig


# ---- slant --------------------------------------------------------------------------------------


def plot_slant(
    sl: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    poles: tuple[str, str] | None = None,
    sort: bool = True,
    ax: Any = None,
    title: str | None = None,
):
    """Dot plot of slant per group with its CI, sorted; groups with too few mentions marked.

    Parameters
    ----------
    sl : pandas.DataFrame
        The table returned by :func:`framing.slant`.
    by : str or list of str, optional
        Group columns (default: inferred).
    poles : (str, str), optional
        Names of the -1 and +1 ends (default: ``sl.attrs["poles"]``).
    sort : bool, default True
        Sort groups by slant (groups without a value last).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    func = "plot_slant"
    user_ax = ax
    _need(func, sl, ["slant", "ci_low", "ci_high"], "framing.slant")
    keys = _group_cols(func, sl, by)
    frame = sl.assign(_group=_labels(sl, keys))
    if "n_mentions" in frame.columns:
        frame["_group"] = [
            f"{g} (n={int(n)})" for g, n in zip(frame["_group"], frame["n_mentions"], strict=True)
        ]
    if sort:
        frame = frame.assign(_nan=frame["slant"].isna()).sort_values(
            ["_nan", "slant", "_group"], ascending=[True, False, True], kind="stable"
        )
    poles = tuple(poles or sl.attrs.get("poles") or ("pole 1", "pole 2"))
    n = len(frame)
    if n == 0:
        raise FramingError("plot_slant: the slant table is empty; nothing to draw.")
    if ax is None:
        fig = _new_figure(7.5, max(2.6, 0.27 * n + 1.5))
        ax = fig.add_subplot()
    else:
        fig = ax.get_figure()
    y = np.arange(n)
    v = frame["slant"].to_numpy(dtype=float)
    lo = frame["ci_low"].to_numpy(dtype=float)
    hi = frame["ci_high"].to_numpy(dtype=float)
    colors = np.where(v < 0, OKABE_ITO[0], OKABE_ITO[3])
    ok = np.isfinite(v)
    ax.axvline(0, color="#888888", linewidth=0.8, zorder=0)
    ax.hlines(y[ok], lo[ok], hi[ok], color=colors[ok], linewidth=1.6, alpha=0.8)
    ax.scatter(v[ok], y[ok], c=list(colors[ok]), s=30, zorder=3, edgecolors="white", linewidths=0.6)
    for yi in y[~ok]:
        ax.text(
            0,
            yi,
            "too few mentions",
            ha="center",
            va="center",
            fontsize=7.5,
            color="#888888",
            style="italic",
        )
    ax.set_yticks(y, frame["_group"].tolist(), fontsize=_label_size(n))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(f"\u2190 {_plain(poles[0])}          slant          {_plain(poles[1])} \u2192")
    ax.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    _finish(fig, title, user_ax)
    return fig


# ---- timeline -----------------------------------------------------------------------------------


def plot_timeline(
    tl: pd.DataFrame,
    *,
    feature: str | Sequence[str] | None = None,
    by: str | Sequence[str] | None = None,
    value: str = "rate",
    kind: str = "auto",
    ci: bool = True,
    ax: Any = None,
    title: str | None = None,
):
    """Rate over time per group: lines (few groups) or a group x period heatmap (many).

    The x axis is a time axis: periods sit at their dates, so five empty years take the width
    of five years. Every period of the span is drawn; a period in which a group has fewer than
    ``MIN_DOCS`` documents (or none) is a gap, never a zero.

    Parameters
    ----------
    tl : pandas.DataFrame
        A profile with a ``period`` column: ``framing.profile(scores, by="outlet",
        period="M")``.
    feature : str or list of str, optional
        Features to draw (default: all, one panel each).
    by : str or list of str, optional
        Group columns (default: inferred, without ``period``).
    value : str, default "rate"
        Column to draw.
    kind : {"auto", "lines", "heatmap"}, default "auto"
        ``"auto"`` draws lines for up to 8 groups and a heatmap beyond.
    ci : bool, default True
        Shade the confidence band of each line.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (one feature only).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    func = "plot_timeline"
    user_ax = ax
    _need(func, tl, ["period", "feature", value], "framing.profile(..., period='M')")
    if kind not in ("auto", "lines", "heatmap"):
        raise parameter_error("kind", kind, one_of(("auto", "lines", "heatmap")))
    keys = _group_cols(func, tl, by, drop=("period",))
    frame = tl.assign(_group=_labels(tl, keys), _period=pd.to_datetime(tl["period"]))
    feats = sorted(frame["feature"].astype(str).unique())
    if feature is not None:
        wanted = [feature] if isinstance(feature, str) else list(feature)
        missing = [f for f in wanted if f not in feats]
        if missing:
            raise FramingError(
                f"plot_timeline: feature(s) {missing} are not in the table; it "
                f"has {', '.join(feats)}."
            )
        feats = wanted
    if not feats:
        raise FramingError("plot_timeline: the table is empty; nothing to draw.")
    if ax is not None and len(feats) > 1:
        raise FramingError(
            f"plot_timeline(ax=...) draws one feature but the table has {len(feats)}; pass "
            "feature='...' or leave ax out."
        )
    groups = list(dict.fromkeys(frame.sort_values("_group", kind="stable")["_group"]))
    ng = len(groups)
    if kind == "auto":
        kind = "lines" if ng <= len(OKABE_ITO) else "heatmap"
    if "n_docs" in frame.columns:  # too few documents: a gap, not a value
        from framing.aggregate import MIN_DOCS

        thin = frame["n_docs"].fillna(0).to_numpy() < MIN_DOCS
        frame[value] = frame[value].astype(float).where(~thin)
        for col in ("ci_low", "ci_high"):
            if col in frame.columns:
                frame[col] = frame[col].astype(float).where(~thin)
    # the axis spans the periods that have something to draw (a few stray early articles do
    # not stretch it over empty years); gaps inside that span stay on the axis
    drawn = frame.loc[frame[value].notna(), "_period"]
    periods, edges = _period_axis(drawn if len(drawn) else frame["_period"], tl.attrs.get("period"))
    unit = _RATE_LABEL.get(tl.attrs.get("rate", ""), value) if value == "rate" else value
    if ax is None:
        each = 3.2 if kind == "lines" else max(2.4, 0.3 * ng + 1.4)
        fig = _new_figure(10.0, max(3.0, each * len(feats)))
        axes = list(
            np.atleast_1d(
                fig.subplots(len(feats), 1, squeeze=False, sharex=kind == "lines")
            ).ravel()
        )
    else:
        fig = ax.get_figure()
        axes = [ax]
    for a, feat in zip(axes, feats, strict=True):
        sub = frame[frame["feature"].astype(str) == feat]
        if kind == "lines":
            for i, g in enumerate(groups):
                rows = (
                    sub[sub["_group"] == g]
                    .drop_duplicates("_period")
                    .set_index("_period")
                    .reindex(periods)
                )
                color = _LINE_COLORS[i % len(_LINE_COLORS)]
                a.plot(
                    periods.to_numpy(),
                    rows[value].to_numpy(dtype=float),
                    marker=_MARKERS[i % len(_MARKERS)],
                    markersize=4,
                    color=color,
                    label=g,
                    linewidth=1.5,
                )
                if ci and {"ci_low", "ci_high"} <= set(rows.columns):
                    a.fill_between(
                        periods.to_numpy(),
                        rows["ci_low"].to_numpy(dtype=float),
                        rows["ci_high"].to_numpy(dtype=float),
                        color=color,
                        alpha=0.12,
                        linewidth=0,
                    )
            _date_axis(a)
            a.set_ylabel(unit, fontsize=9)
            a.set_ylim(bottom=0)
            a.grid(color="#e6e6e6", linewidth=0.6)
            a.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
            for spine in ("top", "right"):
                a.spines[spine].set_visible(False)
        else:
            wide = sub.pivot_table(
                index="_group", columns="_period", values=value, aggfunc="first", dropna=False
            ).reindex(index=groups, columns=periods)
            data = np.ma.masked_invalid(wide.to_numpy(dtype=float))
            from matplotlib import colormaps

            im = a.pcolormesh(
                edges.to_numpy(),
                np.arange(ng + 1) - 0.5,
                data,
                shading="flat",
                cmap=colormaps["cividis"].with_extremes(bad=(1, 1, 1, 0)),
            )
            a.set_facecolor("white")  # gaps (too few documents): white, hatched
            a.fill_between(
                [edges[0], edges[-1]],
                -0.5,
                ng - 0.5,
                facecolor="none",
                edgecolor="#cccccc",
                hatch="///",
                linewidth=0,
                zorder=0,
            )
            a.set_ylim(ng - 0.5, -0.5)
            _date_axis(a)
            a.set_yticks(range(ng), groups, fontsize=_label_size(ng))
            a.tick_params(axis="y", length=0)
            cbar = fig.colorbar(im, ax=a, pad=0.01, shrink=min(1.0, max(0.3, 8 / ng)))
            cbar.set_label(unit, fontsize=9)
            from framing.aggregate import MIN_DOCS

            a.set_xlabel(
                f"hatched: fewer than {MIN_DOCS} documents (a gap, not a zero)",
                fontsize=8,
                color="#555555",
            )
        a.set_title(_plain(feat).replace("_", " "), fontsize=10, loc="left")
    _finish(fig, title, user_ax)
    return fig


def _period_axis(periods: pd.Series, freq: str | None) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex]:
    """Every period start of the span (``freq`` or inferred) and the period edges."""
    seen = pd.DatetimeIndex(sorted(pd.to_datetime(periods.dropna().unique())))
    if not len(seen):
        return seen, seen
    if freq not in ("W", "M", "Q", "Y"):
        gap = np.diff(seen.to_numpy()).min() / np.timedelta64(1, "D") if len(seen) > 1 else 31
        freq = "Y" if gap >= 365 else "Q" if gap >= 89 else "M" if gap >= 28 else "W"
    span = pd.period_range(seen.min().to_period(freq), seen.max().to_period(freq), freq=freq)
    starts = span.start_time
    edges = pd.DatetimeIndex(starts.append(pd.DatetimeIndex([(span[-1] + 1).start_time])))
    return starts, edges


def _date_axis(ax) -> None:
    """Readable dates on the x axis: concise labels at sensible intervals."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=9)


# ---- keyness ------------------------------------------------------------------------------------


def plot_keyness(
    key: pd.DataFrame,
    *,
    k: int = 15,
    a: str | None = None,
    b: str | None = None,
    ax: Any = None,
    title: str | None = None,
):
    """Horizontal bars of z-scores: the ``k`` most distinctive features on each side.

    Parameters
    ----------
    key : pandas.DataFrame
        The table returned by :func:`framing.keyness`.
    k : int, default 15
        Features per side (positive z: typical of ``a``; negative: of ``b``).
    a, b : str, optional
        Names of the two sides (default: from ``key.attrs``).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    func = "plot_keyness"
    user_ax = ax
    _need(func, key, ["feature", "z"], "framing.keyness")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise parameter_error("k", k, "an integer >= 1")
    a = a or key.attrs.get("a", "a")
    b = b or key.attrs.get("b", "b")
    ordered = key.sort_values("z", ascending=False, kind="stable")
    pos = ordered[ordered["z"] > 0].head(k)
    neg = ordered[ordered["z"] < 0].tail(k)
    rows = pd.concat([pos, neg])
    n = len(rows)
    if ax is None:
        fig = _new_figure(7.5, max(2.6, 0.24 * n + 1.6))
        ax = fig.add_subplot()
    else:
        fig = ax.get_figure()
    if n == 0:
        ax.text(
            0.5,
            0.5,
            "no feature differs",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#777777",
        )
        ax.set_axis_off()
        _finish(fig, title, user_ax)
        return fig
    y = np.arange(n)
    z = rows["z"].to_numpy(dtype=float)
    colors = np.where(z > 0, OKABE_ITO[1], OKABE_ITO[0])
    ax.barh(y, z, color=list(colors), height=0.7)
    ax.set_yticks(y, rows["feature"].map(_plain).tolist(), fontsize=_label_size(n))
    ax.set_ylim(n - 0.5, -0.5)
    for x in (-1.96, 1.96):
        ax.axvline(x, color="#999999", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel("z-score of the log-odds ratio (informative Dirichlet prior)")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=OKABE_ITO[1], label=f"more typical of {_plain(a)}"),
            Patch(color=OKABE_ITO[0], label=f"more typical of {_plain(b)}"),
        ],
        fontsize=8,
        frameon=False,
        loc="lower right",
    )
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    _finish(fig, title, user_ax)
    return fig


# ---- classifier evaluation ----------------------------------------------------------------------


def plot_pr_curves(
    result: Any,
    *,
    labels: Sequence[str] | None = None,
    ax: Any = None,
    title: str | None = None,
):
    """Precision-recall curves of a classifier evaluation, one line per label.

    Parameters
    ----------
    result : framing.classify.EvaluationResult
        The result of :func:`framing.classify.evaluate`: its ``curves`` (label ->
        ``{"precision": [...], "recall": [...]}``, pooled out-of-fold) and ``summary`` (the
        ``pooled_pr_auc`` of each label, shown as AP in the legend).
    labels : list of str, optional
        Legend names of the curves, in the order of ``result.curves`` (default: the labels).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    FramingError
        ``result`` has no curves (not an evaluation result).
    ParameterError
        ``labels`` does not give one name per curve.
    """
    curves = getattr(result, "curves", None)
    summary = getattr(result, "summary", None)
    if not isinstance(curves, dict) or not curves or not isinstance(summary, dict):
        raise FramingError(
            "plot_pr_curves expects the result of framing.classify.evaluate "
            f"(with PR curves); got {type(result).__name__}."
        )
    names = list(labels) if labels is not None else [str(k) for k in curves]
    if len(names) != len(curves):
        raise parameter_error("labels", labels, f"{len(curves)} name(s), one per curve")
    if ax is None:
        fig = _new_figure(5.0, 4.0)
        ax_ = fig.add_subplot()
    else:
        fig, ax_ = ax.get_figure(), ax
    for i, (key, c) in enumerate(curves.items()):
        ap = (summary.get(key) or {}).get("pooled_pr_auc", float("nan"))
        ax_.plot(
            c["recall"],
            c["precision"],
            color=_LINE_COLORS[i % len(_LINE_COLORS)],
            label=f"{_plain(names[i])} (AP {ap:.2f})",
        )
    ax_.set_xlabel("recall")
    ax_.set_ylabel("precision")
    ax_.set_xlim(0, 1)
    ax_.set_ylim(0, 1)
    ax_.legend()
    _finish(fig, title, ax)
    return fig
