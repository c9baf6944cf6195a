"""The ``framing`` command: a thin layer over the public API.

Every subcommand parses its options, calls the same functions a Python user would, and reports
errors from :mod:`framing.errors` as one line on stderr with exit status 2 (``--debug`` shows
the full traceback).
"""

from __future__ import annotations

import errno
import logging
import sys
import warnings

import click

from framing import __version__
from framing._text import plural, speed
from framing.errors import FramingError, parameter_error

log = logging.getLogger("framing")

#: Limits of resource options (docs/reliability.md): bootstrap resamples and figure resolution
MAX_N_BOOT = 100_000
MAX_DPI = 600


class _Group(click.Group):
    """Click group that turns framing errors into one line and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FramingError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"framing: error: {exc}", err=True)
            sys.exit(2)
        except OSError as exc:  # missing, unwritable, a file where a folder should be, disk full
            if ctx.find_root().params.get("debug"):
                raise
            hint = ""
            if exc.errno == errno.ENOSPC:
                hint = " Free some space, or write elsewhere."
            click.echo(f"framing: error: {exc}.{hint}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="framing")
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress information to stderr.")
def cli(debug: bool, verbose: bool) -> None:
    """Measure media framing in news text with lexicons and classifiers."""
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="framing: %(levelname)s: %(message)s")
    if not debug:  # one line per warning, without the file and line of the warnings.warn call
        warnings.formatwarning = _format_warning


def _format_warning(message, category, filename, lineno, line=None) -> str:
    """A warning as one ``framing: warning: ...`` line (warnings.formatwarning signature)."""
    return f"framing: warning: {message}\n"


def _column_options(func):
    """--text-column, --outlet-column, --date-column, --title-column, --id-column."""
    for name, what in (
        ("id", "the document id"),
        ("title", "the title"),
        ("date", "the publication date"),
        ("outlet", "the outlet name"),
        ("text", "the article text"),
    ):
        func = click.option(
            f"--{name}-column",
            f"{name}_column",
            default=None,
            help=f"Input column holding {what} (default: recognised by common names).",
        )(func)
    return func


def _columns(
    text: str | None, outlet: str | None, date: str | None, title: str | None, id_: str | None
) -> dict[str, str | None] | None:
    """The ``columns=`` mapping of read_corpus from the column options (None: none given)."""
    given = {"text": text, "outlet": outlet, "date": date, "title": title, "doc_id": id_}
    return {k: v for k, v in given.items() if v} or None


@cli.group()
def lexicon() -> None:
    """List, show, validate and try out lexicons."""


# ---- section: score (framing score) ---------------------------------------------------------


_OPT_LEXICON_SCORE = click.option(
    "-l",
    "--lexicon",
    "lexicons",
    multiple=True,
    help="Lexicon name or YAML file (repeatable; default: all bundled lexicons).",
)


@cli.command("score")
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@_OPT_LEXICON_SCORE
@click.option(
    "-o",
    "--output",
    "output",
    default=None,
    type=click.Path(file_okay=False),
    help="Scores directory to write, streaming chunk by chunk (flat memory). "
    "Without it, score in memory and print a summary and the most frequent "
    "terms.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv", "jsonl"]),
    default="parquet",
    show_default=True,
    help="Format of the table part files.",
)
@click.option("--demo", is_flag=True, help="Score the bundled fictional demo corpus.")
@_column_options
@click.option(
    "--jobs",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Worker processes for -o: 0 = all cores, 1 = in this process. With "
    "--engine dask: workers of the local cluster. Without -o, scoring runs in "
    "this process (an explicit --jobs other than 1 then is an error).",
)
@click.option(
    "--chunksize",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents per chunk: the unit of work and of part files. Memory grows "
    "with chunksize x 2 x jobs, not with the corpus.",
)
@click.option(
    "--on-error",
    "on_error",
    type=click.Choice(["raise", "skip"]),
    default="raise",
    show_default=True,
    help="A bad document (missing, non-string or invalid-Unicode text) or a failing "
    "chunk: 'raise' stops and names it (nothing is written); 'skip' leaves it "
    "out and lists it in OUTDIR/skipped.csv (doc_id, chunk, reason, code).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace OUTDIR when it is an existing scores directory (without it a "
    "non-empty OUTDIR is an error).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="'local': worker processes on this machine; 'dask': a dask.distributed "
    "cluster (needs `pip install framing[dask]` and -o).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler address (e.g. tcp://host:8786) for --engine dask; default: "
    "a LocalCluster of --jobs workers.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="Most frequent terms to print when there is no -o.",
)
@click.pass_context
def score_cmd(
    ctx,
    inputs,
    lexicons,
    output,
    fmt,
    demo,
    text_column,
    outlet_column,
    date_column,
    title_column,
    id_column,
    jobs,
    chunksize,
    on_error,
    overwrite,
    engine,
    scheduler,
    top,
) -> None:
    """Score INPUT with lexicons: documents, sentences and matches tables.

    INPUT is anything `read_corpus` reads: text files in the seed format, folders, JSONL, CSV
    or Parquet files (several allowed). With -o, reads the input in chunks, scores them on
    --jobs cores and writes OUTDIR/documents/, sentences/, matches/ (one part file per chunk),
    meta.json and, with --on-error skip, skipped.csv; OUTDIR appears only when complete. Ends
    with a one-line summary (documents in = out + skipped). Progress (documents/s, MB/s) is
    shown on stderr when it is a terminal.
    """
    import time

    from click.core import ParameterSource

    if demo and inputs:
        raise FramingError("give INPUT files or --demo, not both.")
    if not demo and not inputs:
        raise FramingError("give at least one INPUT (file, folder or glob), or --demo.")
    if scheduler is not None and engine != "dask":
        raise FramingError("--scheduler needs --engine dask.")
    if output is None:
        if engine == "dask":
            raise FramingError("--engine dask writes a scores directory: add -o OUTDIR.")
        if jobs != 1 and ctx.get_parameter_source("jobs") is ParameterSource.COMMANDLINE:
            raise FramingError("--jobs other than 1 writes a scores directory: add -o OUTDIR.")
    columns = _columns(text_column, outlet_column, date_column, title_column, id_column)
    progress = sys.stderr.isatty()
    lex = list(lexicons) or None
    source: object  # the demo corpus, one input or a list of them (as score_files takes)
    if demo:
        from framing.datasets import demo_corpus

        source = demo_corpus()
    else:
        source = list(inputs) if len(inputs) > 1 else inputs[0]
    if output is not None:
        from framing.engine import score_files
        from framing.scoring import SKIPPED_FILE

        summary = score_files(
            source,
            out=output,
            lexicons=lex,
            format=fmt,
            jobs=jobs,
            chunksize=chunksize,
            columns=columns,
            on_error=on_error,
            overwrite=overwrite,
            progress=progress,
            engine=engine,
            scheduler=scheduler,
        )
        click.echo(str(summary))
        if summary.skipped:
            click.echo(
                f"{summary.documents_in:,} documents in = {summary.documents_out:,} "
                f"scored + {summary.skipped:,} skipped (listed in "
                f"{summary.out / SKIPPED_FILE})"
            )
        return
    from framing.engine import score_in_memory

    started = time.perf_counter()
    scores, skipped = score_in_memory(
        source, lexicons=lex, chunksize=chunksize, columns=columns, on_error=on_error
    )
    seconds = time.perf_counter() - started
    texts = scores.documents["text"]
    mb = float(texts.str.len().sum()) / 1e6 if len(texts) else 0.0
    skip = f", {len(skipped):,} skipped" if len(skipped) else ""
    line = (
        f"{plural(len(scores.documents), 'document')}{skip}, "
        f"{plural(len(scores.sentences), 'sentence')}, "
        f"{plural(len(scores.matches), 'match', 'matches')} in {seconds:.1f} s "
        f"({speed(mb, seconds)})"
    )
    click.echo(line)
    click.echo(_modifiers_line(scores))
    for row in skipped.head(20).itertuples(index=False):
        click.echo(f"skipped {row.doc_id} (chunk {row.chunk}): {row.reason}", err=True)
    if len(skipped) > 20:
        click.echo(
            f"... and {len(skipped) - 20} more skipped documents (use -o to get skipped.csv)",
            err=True,
        )
    if top:
        terms = scores.top_terms(top)
        if len(terms):
            click.echo(terms.astype(object).fillna("").to_string(index=False))


def _modifiers_line(scores) -> str:
    """One line: matches by modifier, quotations and the share with a speaker."""
    m = scores.matches
    author = m["voice"] == "author"
    neg, dist = m["negated"].astype(bool), m["distanced"].astype(bool)
    quotes = scores.quotes
    share = f", {quotes['speaker'].notna().mean():.0%} with a speaker" if len(quotes) else ""
    return (
        f"matches: {int((author & ~neg & ~dist).sum()):,} adopted, "
        f"{int((author & neg).sum()):,} negated, {int((author & dist).sum()):,} distanced, "
        f"{int((~author).sum()):,} quoted; {len(quotes):,} quotations{share}"
    )


# ---- section: lexicon subcommands (framing lexicon list|show|validate|test) ------------------


def _text_table(rows: list[tuple], header: tuple[str, ...], *, max_width: int = 60) -> str:
    """A compact fixed-width text table (cells longer than ``max_width`` are cut with ...)."""

    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, tuple):
            value = ", ".join(value)
        elif isinstance(value, float):
            value = f"{value:g}"
        text = " ".join(str(value).split())
        return text if len(text) <= max_width else text[: max_width - 3] + "..."

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


@lexicon.command("list")
def lexicon_list_cmd() -> None:
    """List the bundled lexicons: name, version, entries, concepts, description."""
    from framing.errors import LexiconError
    from framing.lexicon import list_lexicons, load_lexicon

    rows: list[tuple[object, ...]] = []
    for name in list_lexicons():
        try:
            lex = load_lexicon(name)
        except LexiconError as exc:  # list the others; say how to see the problems
            rows.append(
                (
                    name,
                    "?",
                    "?",
                    "?",
                    f"INVALID: {len(exc.problems)} error(s); run `framing lexicon validate {name}`",
                )
            )
            continue
        rows.append((lex.name, lex.version, len(lex), len(lex.concepts), lex.description))
    if not rows:
        click.echo("no bundled lexicons found")
        return
    click.echo(
        _text_table(rows, ("name", "version", "entries", "concepts", "description"), max_width=72)
    )


@lexicon.command("show")
@click.argument("name")
@click.option(
    "--concept", "concepts", multiple=True, help="Only entries of this concept (repeatable)."
)
@click.option(
    "--category", "categories", multiple=True, help="Only entries of this category (repeatable)."
)
@click.option(
    "--stance", "stances", multiple=True, help="Only entries of this stance (repeatable)."
)
def lexicon_show_cmd(name, concepts, categories, stances) -> None:
    """Show the entries of lexicon NAME (a bundled name or a YAML file)."""
    from framing.lexicon import load_lexicon

    lex = load_lexicon(name)
    for given, declared, what in (
        (concepts, lex.concepts, "concept"),
        (categories, lex.categories, "category"),
        (stances, lex.stances, "stance"),
    ):
        unknown = [g for g in given if g not in declared]
        if unknown:
            raise FramingError(
                f"Lexicon {lex.name} has no {what} {unknown[0]!r}; its {what} ids are: "
                f"{', '.join(declared) or 'none'}."
            )
    entries = [
        e
        for e in lex
        if (not concepts or e.concept in concepts)
        and (not categories or e.category in categories)
        and (not stances or e.stance in stances)
    ]
    click.echo(repr(lex))
    if not entries:
        click.echo("no entries match")
        return
    rows = [
        (e.term, e.variants, e.category, e.concept, e.stance, e.weight, e.note) for e in entries
    ]
    click.echo(
        _text_table(
            rows,
            ("term", "variants", "category", "concept", "stance", "weight", "note"),
            max_width=50,
        )
    )


@lexicon.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
def lexicon_validate_cmd(files, strict) -> None:
    """Check lexicon FILEs and print every problem as `file:line: entry: problem`.

    Exits 1 when any file has an error (with --strict: also a warning), 0 otherwise.
    FILE may also be a bundled lexicon name.
    """
    from framing.lexicon import format_problems, load_lexicon, validate_lexicon

    failed = False
    for file in files:
        problems = validate_lexicon(file)
        for line in format_problems(problems.to_dict("records")):
            click.echo(line)
        errors = int((problems["severity"] == "error").sum())
        warnings = len(problems) - errors
        if errors or (strict and warnings):
            failed = True
            click.echo(f"{file}: {errors} error(s), {warnings} warning(s)", err=True)
        else:
            n = len(load_lexicon(file))
            extra = f", {warnings} warning(s)" if warnings else ""
            click.echo(f"ok: {n} entries in {file}{extra}")
    if failed:
        sys.exit(1)


@lexicon.command("test")
@click.argument("lexicon_name", metavar="FILE_OR_NAME")
@click.argument("text")
def lexicon_test_cmd(lexicon_name, text) -> None:
    """Print the matches of lexicon FILE_OR_NAME in TEXT ('-' reads TEXT from stdin).

    One line per match: offsets, the text as written, then the entry it matched. A
    context-gated entry also shows whether a context cue was found in its scope (a match
    without one is listed as dropped and not counted). Then its modifiers: voice (author or
    quote), negated, distanced and the speaker of its quote.
    """
    from framing.context import context_gate
    from framing.lexicon import load_lexicon
    from framing.matcher import Matcher
    from framing.modifiers import classify_quotations, match_modifiers
    from framing.segment import segment_text

    if text == "-":
        text = sys.stdin.read()
    lex = load_lexicon(lexicon_name)
    matcher = Matcher(lex)
    matches = matcher(text)
    if not matches:
        click.echo(f"no matches ({len(lex)} entries of {lex.name})")
        return
    index = {id(e): i for i, e in enumerate(matcher.entries)}
    checked = context_gate(matcher.entries).check(
        text, [m.start for m in matches], [index.get(id(m.entry), -1) for m in matches]
    )
    gated = any(reason for _, reason in checked)
    sentences, quotes = segment_text(text)
    mods = match_modifiers(
        text,
        [m.start for m in matches],
        [m.end for m in matches],
        sentences=sentences,
        quotations=classify_quotations(text, sentences, quotes),
    )
    rows = [
        (
            f"{m.start}-{m.end}",
            text[m.start : m.end],
            m.entry.term,
            m.entry.lexicon,
            m.entry.category,
            m.entry.concept,
            m.entry.stance,
            m.entry.weight,
        )
        + ((reason or "not gated",) if gated else ())
        + (
            mod.voice,
            "yes" if mod.negated else "no",
            "yes" if mod.distanced else "no",
            mod.speaker or "",
        )
        for m, (_, reason), mod in zip(matches, checked, mods, strict=True)
    ]
    click.echo(
        _text_table(
            rows,
            ("span", "surface", "term", "lexicon", "category", "concept", "stance", "weight")
            + (("context",) if gated else ())
            + ("voice", "negated", "distanced", "speaker"),
        )
    )
    kept = sum(keep for keep, _ in checked)
    dropped = f" ({len(matches) - kept} dropped by context gating)" if kept < len(matches) else ""
    click.echo(f"{kept} match(es){dropped}")


@lexicon.command("diagnose")
@click.argument("lexicon_name", metavar="LEXICON")
@click.argument("corpus", metavar="CORPUS")
@click.option(
    "--by",
    "by",
    multiple=True,
    help="Documents column to report shares for "
    "(repeatable; default: outlet and topic when the corpus has them).",
)
@click.option(
    "--spans",
    "spans",
    default=None,
    type=click.Path(exists=True),
    help="A span corpus folder (PTC layout) annotating CORPUS: adds per-entry "
    "precision. Not needed when CORPUS itself is such a folder.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per list in the summary.",
)
@click.option(
    "-o",
    "--output",
    "output",
    default=None,
    type=click.Path(dir_okay=False),
    help="Also write the per-entry table as CSV.",
)
def lexicon_diagnose_cmd(lexicon_name, corpus, by, spans, top, output) -> None:
    """Diagnose LEXICON on CORPUS: per-entry rates, outlet/topic shares, dead and dominant
    entries, and (with spans) per-entry precision.

    LEXICON is a bundled name or a YAML file; CORPUS anything `framing score` reads, or a span
    corpus folder (PTC layout: articles.parquet + spans.parquet).
    """
    from framing.diagnose import diagnose

    result = diagnose(lexicon_name, corpus, by=list(by) or None, spans=spans)
    click.echo(result.summary(k=top))
    if output:
        result.entries.to_csv(output, index=False)
        click.echo(f"per-entry table written to {output} ({len(result.entries)} rows)", err=True)


# ---- section: profile and plot (framing profile, framing plot) -------------------------------

_LEVELS = ["category", "concept", "term", "stance", "lexicon", "model"]
_VOICES = ["author", "quote", "all"]
_MODIFIERS = ["adopted", "all", "split"]
_MODIFIERS_HELP = (
    "Count only adopted uses (neither negated nor distanced), every match, or "
    "adopted plus count columns negated/distanced/quoted."
)
_RATES = ["per_1k_words", "per_100_sentences", "sentence_share", "mean_probability"]
_PLOT_KINDS = ["profile", "term-choice", "slant", "timeline", "keyness"]
_FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def _load_scores_dir(path: str):
    """Load a SCORES_DIR written by ``framing score`` (``Scores.save``)."""
    from pathlib import Path

    from framing.scoring import Scores

    if not (Path(path) / "meta.json").is_file():
        raise FramingError(
            f"{path} is not a scores directory (it has no meta.json); create one with "
            f"`framing score CORPUS -o {path}`."
        )
    return Scores.load(path)


def _split_by(by: str) -> str | list[str]:
    keys = [k.strip() for k in by.split(",") if k.strip()]
    return keys[0] if len(keys) == 1 else keys


@cli.command("profile")
@click.argument("scores_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--by",
    default="outlet",
    show_default=True,
    help="Documents column(s) to compare, comma-separated (e.g. outlet,month).",
)
@click.option(
    "--level",
    type=click.Choice(_LEVELS),
    default="category",
    show_default=True,
    help="Matches column whose values are the features; 'model' profiles the "
    "classifier probabilities (the p_<label> columns of score(docs, model=...)).",
)
@click.option(
    "--voice",
    type=click.Choice(_VOICES),
    default="author",
    show_default=True,
    help="Count the outlet's own words, quoted speech, or both.",
)
@click.option(
    "--modifiers",
    type=click.Choice(_MODIFIERS),
    default="adopted",
    show_default=True,
    help=_MODIFIERS_HELP,
)
@click.option(
    "--rate",
    type=click.Choice(_RATES),
    default="per_1k_words",
    show_default=True,
    help="Denominator of the rate ('mean_probability' goes with --level model, "
    "and is its default).",
)
@click.option(
    "--period",
    type=click.Choice(["W", "M", "Q", "Y", "auto"]),
    default=None,
    help="Add a week/month/quarter/year key from the date ('auto': month, quarter "
    "or year from the span and density of the dates; undated documents left "
    "out).",
)
@click.option(
    "-l",
    "--lexicon",
    "lexicons",
    multiple=True,
    help="Only matches of this lexicon (repeatable; default: all).",
)
@click.option(
    "--n-boot",
    default=1000,
    show_default=True,
    type=click.IntRange(min=0, max=MAX_N_BOOT),
    help="Bootstrap resamples (documents within each group).",
)
@click.option(
    "--seed", default=0, show_default=True, type=click.IntRange(min=0), help="Bootstrap seed."
)
@click.option(
    "-o",
    "--output",
    "output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="CSV file to write ('-' for standard output).",
)
def profile_cmd(
    scores_dir, by, level, voice, modifiers, rate, period, lexicons, n_boot, seed, output
) -> None:
    """Write the framing profile of SCORES_DIR (rates per group x feature, 95% CIs) as CSV.

    SCORES_DIR is a directory written by `framing score`.
    """
    from pathlib import Path

    from framing.aggregate import profile

    if output != "-" and Path(output).suffix.lower() != ".csv":
        raise parameter_error(
            "-o",
            output,
            "a .csv file name or '-' for standard output",
            hint="The profile is written as CSV.",
        )
    scores = _load_scores_dir(scores_dir)
    prof = profile(
        scores,
        by=_split_by(by),
        level=level,
        voice=voice,
        rate=rate,
        period=period,
        lexicon=list(lexicons) or None,
        n_boot=n_boot,
        seed=seed,
        modifiers=modifiers,
    )
    if output == "-":
        click.echo(prof.to_csv(index=False), nl=False)
    else:
        prof.to_csv(output, index=False)
        click.echo(f"profile written to {output} ({len(prof)} rows)", err=True)


_OPT_VOICE_AUTHOR = click.option(
    "--voice", type=click.Choice(_VOICES), default="author", show_default=True
)


_OPT_LEXICON_FILTER = click.option(
    "-l", "--lexicon", "lexicons", multiple=True, help="Only matches of this lexicon (repeatable)."
)


_OPT_SEED = click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0))


@cli.command("plot")
@click.argument("scores_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--kind", type=click.Choice(_PLOT_KINDS), required=True, help="Figure to draw.")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Figure file: .png, .svg or .pdf.",
)
@click.option(
    "--by",
    default="outlet",
    show_default=True,
    help="Documents column(s) to compare, comma-separated.",
)
@click.option(
    "--level",
    type=click.Choice(_LEVELS),
    default=None,
    help="Feature level (profile: category, timeline: lexicon, keyness: term).",
)
@_OPT_VOICE_AUTHOR
@click.option(
    "--modifiers",
    type=click.Choice(_MODIFIERS[:2]),
    default="adopted",
    show_default=True,
    help="Count only adopted uses, or every match.",
)
@click.option(
    "--rate",
    type=click.Choice(_RATES),
    default="per_1k_words",
    show_default=True,
    help="Rate of profile and timeline figures.",
)
@click.option(
    "--period",
    type=click.Choice(["W", "M", "Q", "Y", "auto"]),
    default="auto",
    show_default=True,
    help="Time step of the timeline ('auto': month, quarter or "
    "year from the span and density of the dates).",
)
@click.option(
    "--style",
    type=click.Choice(["heatmap", "bars"]),
    default="heatmap",
    show_default=True,
    help="Profile figure: heatmap, or bars with CI whiskers.",
)
@_OPT_LEXICON_FILTER
@click.option(
    "--concept", "concepts", multiple=True, help="term-choice: only this concept (repeatable)."
)
@click.option(
    "--poles",
    nargs=2,
    default=("left", "right"),
    show_default=True,
    help="slant: the stances at -1 and +1.",
)
@click.option(
    "--min-mentions",
    default=10,
    show_default=True,
    type=click.IntRange(min=0),
    help="slant: fewer stance-coded mentions give no value.",
)
@click.option("--a", "a_", default=None, help="keyness: the group of interest.")
@click.option(
    "--b", "b_", default=None, help="keyness: the group to compare with (default: all others)."
)
@click.option(
    "--top",
    default=None,
    type=click.IntRange(min=1),
    help="keyness: features shown on each side (default 15); term-choice: the most "
    "contrasting concepts drawn when no --concept is given (default 8).",
)
@click.option(
    "--n-boot", default=1000, show_default=True, type=click.IntRange(min=0, max=MAX_N_BOOT)
)
@_OPT_SEED
@click.option("--title", default=None, help="Figure title.")
@click.option(
    "--dpi",
    default=150,
    show_default=True,
    type=click.IntRange(min=30, max=MAX_DPI),
    help=f"Resolution of PNG output (at most {MAX_DPI}).",
)
def plot_cmd(
    scores_dir,
    kind,
    output,
    by,
    level,
    voice,
    modifiers,
    rate,
    period,
    style,
    lexicons,
    concepts,
    poles,
    min_mentions,
    a_,
    b_,
    top,
    n_boot,
    seed,
    title,
    dpi,
) -> None:
    """Draw a figure of SCORES_DIR (a directory written by `framing score`).

    \b
    Kinds: profile (group x feature heatmap or bars), term-choice (shares of the
    alternatives of each concept), slant (dot plot with CIs), timeline (rate per
    period), keyness (distinctive terms of --a vs --b).
    """
    from pathlib import Path

    import framing.aggregate as agg
    import framing.plot as fplot

    suffix = Path(output).suffix.lower()
    if suffix not in _FIGURE_SUFFIXES:
        raise parameter_error("-o", output, "a file name that must end in .png, .svg or .pdf")
    if kind == "keyness" and a_ is None:
        raise click.UsageError("--kind keyness needs --a GROUP (and optionally --b GROUP).")
    scores = _load_scores_dir(scores_dir)
    keys = _split_by(by)
    lex = list(lexicons) or None
    if title is None:
        what = {
            "profile": f"Framing profile ({level or 'category'}, {voice} voice)",
            "term-choice": "Term choice",
            "slant": f"Slant ({poles[0]} \u2194 {poles[1]})",
            "timeline": "Over time",
            "keyness": f"Keyness: {a_} vs {b_ or 'the rest'}",
        }
        title = f"{what[kind]} by {by}" if kind != "keyness" else what[kind]
    if kind == "profile":
        prof = agg.profile(
            scores,
            by=keys,
            level=level or "category",
            voice=voice,
            rate=rate,
            lexicon=lex,
            n_boot=n_boot,
            seed=seed,
            modifiers=modifiers,
        )
        fig = fplot.plot_profile(prof, kind=style, title=title)
    elif kind == "term-choice":
        tc = agg.term_choice(
            scores,
            by=keys,
            concept=list(concepts) or None,
            voice=voice,
            lexicon=lex,
            n_boot=n_boot,
            seed=seed,
            modifiers=modifiers,
        )
        fig = fplot.plot_term_choice(tc, top=top or 8, title=title)
    elif kind == "slant":
        sl = agg.slant(
            scores,
            by=keys,
            lexicon=lex,
            poles=tuple(poles),
            voice=voice,
            min_mentions=min_mentions,
            n_boot=n_boot,
            seed=seed,
            modifiers=modifiers,
        )
        fig = fplot.plot_slant(sl, title=title)
    elif kind == "timeline":
        tl = agg.profile(
            scores,
            by=keys,
            period=period,
            level=level or "lexicon",
            voice=voice,
            rate=rate,
            lexicon=lex,
            n_boot=n_boot,
            seed=seed,
            modifiers=modifiers,
        )
        fig = fplot.plot_timeline(tl, title=title)
    else:
        if not isinstance(keys, str):
            raise click.UsageError("--kind keyness compares groups of one column: give one --by.")
        key = agg.keyness(
            scores,
            by=keys,
            a=a_,
            b=b_,
            level=level or "term",
            voice=voice,
            lexicon=lex,
            modifiers=modifiers,
        )
        fig = fplot.plot_keyness(key, k=top or 15, title=title)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=dpi, bbox_inches="tight")
    click.echo(f"figure written to {output}", err=True)


# ---- section: classifier (framing train|evaluate|predict|suggest-terms) ----------------------


def _labelled(data: str, labels: tuple[str, ...], group_column: str | None):
    """(texts, label frame, groups or None, table) for the classifier commands."""
    from framing.classify import label_matrix, read_labelled

    table = read_labelled(data)
    if not labels:
        raise FramingError("give at least one --label (a column name, 'a|b', or 'any').")
    Y = label_matrix(table, labels)
    groups = None
    if group_column is None and "doc_id" in table.columns and "sent_id" in table.columns:
        group_column = "doc_id"  # span corpora: sentences of one article stay together
    if group_column is not None:
        if group_column not in table.columns:
            raise parameter_error(
                "--group-column",
                group_column,
                f"a column of {data}",
                hint=f"Columns: {list(table.columns)[:30]}.",
            )
        groups = table[group_column].astype(str).to_numpy()
    return table["text"].fillna("").astype(str).tolist(), Y, groups, table


def _classifier(
    lexicons: tuple[str, ...], no_lexicons: bool, C: float | None, encoder: str | None = None
):
    from framing.classify import FramingClassifier

    lex = False if no_lexicons else (list(lexicons) if lexicons else None)
    return FramingClassifier(lexicons=lex, C=C, encoder=encoder)


_ENCODER_HELP = (
    "Stack a pretrained sentence encoder with the n-gram model: 'minilm' "
    "(all-MiniLM-L6-v2) or a sentence-transformers model folder. Needs "
    "pip install 'framing[embeddings]'; embeddings are cached on disk "
    "($FRAMING_CACHE_DIR)."
)


_LABEL_HELP = (
    "Label: a 0/1 or two-class column, 'a|b' (any of the columns), or 'any' (span corpora)."
)


_OPT_LABEL = click.option("--label", "--label-column", "labels", multiple=True, help=_LABEL_HELP)


_OPT_GROUP_COLUMN = click.option(
    "--group-column", default=None, help="Column grouping texts (article, outlet)."
)


_OPT_LEXICON_FEATURES = click.option(
    "-l",
    "--lexicon",
    "lexicons",
    multiple=True,
    help="Lexicon for the lexicon features (default: all bundled).",
)


_OPT_C = click.option(
    "-C",
    "C",
    type=float,
    default=0.5,
    show_default=True,
    help="Regularisation (0 = tune by internal CV).",
)


_OPT_ENCODER = click.option("--encoder", default=None, metavar="NAME", help=_ENCODER_HELP)


@cli.command("train")
@click.argument("data", metavar="DATA")
@_OPT_LABEL
@_OPT_GROUP_COLUMN
@_OPT_LEXICON_FEATURES
@click.option("--no-lexicons", is_flag=True, help="Train without lexicon features.")
@_OPT_C
@click.option("-o", "--output", required=True, help="Model file to write.")
@_OPT_ENCODER
@click.option(
    "--unit",
    type=click.Choice(["sentence", "document"]),
    default=None,
    help="What one training text is (recorded in the model; default: inferred, "
    "sentence when the texts are mostly single sentences).",
)
def train_cmd(data, labels, group_column, lexicons, no_lexicons, C, output, encoder, unit) -> None:
    """Train a classifier on DATA (CSV/JSONL/Parquet with a text column, or a span-corpus folder)."""
    from framing.classify import save_model

    texts, Y, groups, _ = _labelled(data, labels, group_column)
    clf = _classifier(lexicons, no_lexicons, None if C == 0 else C, encoder)
    y = Y if Y.shape[1] > 1 else Y.iloc[:, 0].to_numpy()
    clf.fit(texts, y, groups=groups, unit=unit)
    save_model(
        clf,
        output,
        training_texts=texts,
        metrics={"internal_cv": clf.cv_scores_},
        extra={"label_specs": list(labels), "data": str(data)},
    )
    for name, sc in clf.cv_scores_.items():
        spec = labels[0] if len(labels) == 1 else name
        click.echo(f"{spec}: internal-CV F1 {sc['f1']:.3f}, PR-AUC {sc['pr_auc']:.3f}")
    click.echo(f"wrote {output} ({len(texts)} texts, {clf.fit_seconds_:.1f}s)")


@cli.command("evaluate")
@click.argument("data", metavar="DATA")
@_OPT_LABEL
@_OPT_GROUP_COLUMN
@click.option("--cv", default=5, show_default=True, help="Number of grouped folds.")
@_OPT_LEXICON_FEATURES
@click.option("--no-lexicons", is_flag=True, help="Evaluate without lexicon features.")
@_OPT_C
@click.option("--json", "json_out", default=None, help="Write all figures as JSON here.")
@click.option("--pr-curve", default=None, help="Write a precision-recall plot (PNG/SVG/PDF) here.")
@_OPT_ENCODER
def evaluate_cmd(
    data, labels, group_column, cv, lexicons, no_lexicons, C, json_out, pr_curve, encoder
) -> None:
    """Grouped cross-validation of the classifier on DATA."""
    from pathlib import Path

    from framing.classify import evaluate

    if json_out and Path(json_out).suffix.lower() != ".json":
        raise parameter_error("--json", json_out, "a .json file name")
    if pr_curve and Path(pr_curve).suffix.lower() not in _FIGURE_SUFFIXES:
        raise parameter_error("--pr-curve", pr_curve, "a .png, .svg or .pdf file name")
    texts, Y, groups, _ = _labelled(data, labels, group_column)
    y = Y if Y.shape[1] > 1 else Y.iloc[:, 0].to_numpy()
    res = evaluate(
        texts,
        y,
        groups=groups,
        cv=cv,
        model=_classifier(lexicons, no_lexicons, None if C == 0 else C, encoder),
    )
    names = list(Y.columns)
    for i, key in enumerate(k for k in res.summary if isinstance(res.summary[k], dict)):
        s = res.summary[key]
        click.echo(
            f"{names[i]}: P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f} "
            f"(sd {s['f1_std']:.3f})  PR-AUC {s['pr_auc']:.3f}"
        )
    click.echo(
        f"macro-F1 {res.summary['macro_f1']:.3f} ({cv}-fold, "
        f"{'grouped' if groups is not None else 'NOT grouped'})"
    )
    if json_out:
        res.to_json(json_out)
    if pr_curve:
        from framing.plot import plot_pr_curves

        plot_pr_curves(res, labels=names).savefig(pr_curve)


@cli.command("predict")
@click.argument("data", metavar="DATA")
@click.option("--model", "model_path", required=True, help="Model file from `framing train`.")
@click.option("-o", "--output", required=True, help="Output table (.csv, .jsonl or .parquet).")
@click.option(
    "--level",
    type=click.Choice(["sentence", "document"]),
    default=None,
    help="sentence: apply the model to every sentence and aggregate per row "
    "(p_ = mean sentence probability, max_p_, share_ of positive sentences, "
    "pred_ = any positive, n_sentences); document: apply it to each whole text. "
    "Default: the unit the model was trained on.",
)
@click.option(
    "--force-level",
    is_flag=True,
    help="Apply the model at --level although it was trained on the other unit.",
)
def predict_cmd(data, model_path, output, level, force_level) -> None:
    """Add p_<label> and pred_<label> columns to DATA with a trained model."""
    from pathlib import Path

    from framing.classify import load_model, predict_table, read_labelled

    ext = Path(output).suffix.lower()
    if ext not in (".parquet", ".jsonl", ".ndjson", ".csv"):
        raise parameter_error("-o", output, "a .csv, .jsonl or .parquet file name")
    model = load_model(model_path)
    table = read_labelled(data)
    specs = model.metadata_.get("label_specs") or list(model.labels_)
    try:
        out = predict_table(model, table, level=level, force_level=force_level, names=specs)
    except FramingError as exc:
        raise FramingError(f"--model {model_path}: {exc}") from None
    if ext == ".parquet":
        out.to_parquet(output, index=False)
    elif ext in (".jsonl", ".ndjson"):
        out.to_json(output, orient="records", lines=True, force_ascii=False)
    else:
        out.to_csv(output, index=False)
    click.echo(f"wrote {output} ({len(out)} rows)")


@cli.command("suggest-terms")
@click.argument("data", metavar="DATA")
@click.option("--label", "--label-column", "labels", multiple=True, required=True, help=_LABEL_HELP)
@click.option(
    "-l",
    "--lexicon",
    "lexicons",
    multiple=True,
    help="Lexicons whose terms are skipped (default: all bundled).",
)
@click.option("--top", default=30, show_default=True, help="Number of terms.")
@click.option("--min-count", default=3, show_default=True, help="Minimum positive texts per term.")
@click.option(
    "-o", "--output", default=None, help="Write the YAML fragment here (default: stdout)."
)
@click.option(
    "--group-column",
    default=None,
    help="Column grouping texts by article: "
    "positives are compared with the other sentences of their own articles, so "
    "topic words drop out (default: doc_id for span corpora).",
)
@click.option(
    "--reference",
    default=None,
    metavar="CORPUS",
    help="Reference corpus on other subjects (any format `framing score` reads): "
    "candidates as frequent in the negative texts as in the positive ones, "
    "relative to it, are topic words and are dropped.",
)
def suggest_terms_cmd(
    data, labels, lexicons, top, min_count, output, group_column, reference
) -> None:
    """Rank candidate loaded terms the lexicons lack, as a YAML fragment to review.

    Candidates are ranked by their score, the z-score of the log-odds ratio of occurring in
    positive vs negative texts (the YAML's first line says which texts were compared).
    """
    from pathlib import Path

    from framing.classify import suggest_terms

    if output and Path(output).suffix.lower() not in (".yaml", ".yml"):
        raise parameter_error(
            "-o", output, "a .yaml or .yml file name", hint="The candidates are a YAML fragment."
        )
    texts, Y, groups, _ = _labelled(data, labels[:1], group_column)
    ref = None
    if reference is not None:
        from framing.corpus import read_corpus

        ref = read_corpus(reference)["text"].tolist()
    df = suggest_terms(
        texts,
        Y.iloc[:, 0].to_numpy(),
        lexicons=list(lexicons) or None,
        top=top,
        min_count=min_count,
        groups=groups,
        reference=ref,
    )
    if output:
        Path(output).write_text(df.attrs["yaml"], encoding="utf-8")
        click.echo(f"wrote {output} ({len(df)} terms)")
    else:
        click.echo(df.attrs["yaml"], nl=False)


# ---- section: report and demo (framing report, framing demo) ---------------------------------


def _scores_from_inputs(
    inputs: tuple[str, ...],
    lexicons: tuple[str, ...],
    progress: bool,
    columns: dict[str, str | None] | None = None,
):
    """A SCORES_DIR (written by ``framing score``) is loaded; anything else is read and scored."""
    from pathlib import Path

    from framing.scoring import Scores, score

    if len(inputs) == 1 and (Path(inputs[0]) / "meta.json").is_file():
        if columns:
            raise FramingError(
                "--*-column options apply to corpus files; "
                f"{inputs[0]} is a scores directory (its columns are set)."
            )
        return Scores.load(inputs[0])
    from framing.corpus import read_corpus

    docs = read_corpus(list(inputs) if len(inputs) > 1 else inputs[0], columns=columns)
    return score(docs, lexicons=list(lexicons) or None, progress=progress)


_OPT_N_BOOT = click.option(
    "--n-boot",
    default=1000,
    show_default=True,
    type=click.IntRange(min=0, max=MAX_N_BOOT),
    help="Bootstrap resamples for confidence intervals.",
)


@cli.command("report")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    "output",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="File to write (.html, or .md for Markdown).",
)
@click.option("--by", default="outlet", show_default=True, help="Documents column to compare.")
@_OPT_LEXICON_SCORE
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default=None,
    help="Output format (default: from the file suffix).",
)
@click.option("--title", default=None, help="Report title.")
@_OPT_N_BOOT
@click.option("--seed", default=0, show_default=True, type=int, help="Bootstrap seed.")
@click.option(
    "--model",
    "model",
    default=None,
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False),
    help="Saved classifier (framing train -o PATH): its p_<label> probabilities for "
    "every sentence are summarised in a Classifier section (unless the scores "
    "already have them).",
)
@click.option(
    "--modifiers",
    type=click.Choice(_MODIFIERS[:2]),
    default="adopted",
    show_default=True,
    help="What the profile, term choice, slant and keyness "
    "sections count: adopted uses only, or every match.",
)
@_column_options
def report_cmd(
    inputs,
    output,
    by,
    lexicons,
    fmt,
    title,
    n_boot,
    seed,
    model,
    modifiers,
    text_column,
    outlet_column,
    date_column,
    title_column,
    id_column,
) -> None:
    """Write a comparative framing report of INPUT.

    INPUT is a scores directory written by `framing score`, or corpus files/folders (any
    format `framing score` reads), which are scored first. Documents that `framing score
    --on-error skip` left out (OUTDIR/skipped.csv) are counted in the report's summary.
    """
    from pathlib import Path

    from framing.reporting import report, report_format

    report_format(output, fmt)  # a bad suffix fails before any scoring
    columns = _columns(text_column, outlet_column, date_column, title_column, id_column)
    if len(inputs) == 1 and (Path(inputs[0]) / "meta.json").is_file():
        if columns:
            raise FramingError(
                "--*-column options apply to corpus files; "
                f"{inputs[0]} is a scores directory (its columns are set)."
            )
        scores = Path(inputs[0])  # a scores directory: the report reads only what it needs
    else:
        scores = _scores_from_inputs(
            inputs, lexicons, progress=sys.stderr.isatty(), columns=columns
        )
    path = report(
        scores,
        by=by,
        path=output,
        format=fmt,
        title=title,
        n_boot=n_boot,
        seed=seed,
        model=model,
        modifiers=modifiers,
    )
    click.echo(f"report written to {path}")


@cli.command("demo")
@click.option(
    "-o",
    "--output",
    "output",
    default="framing-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the demo results into.",
)
@_OPT_N_BOOT
def demo_cmd(output, n_boot) -> None:
    """Score the bundled fictional demo corpus and write tables, figures and a report.

    Writes OUTPUT/scores/ (the three tables), OUTPUT/profile.csv, OUTPUT/term_choice.csv,
    OUTPUT/slant.csv, OUTPUT/figures/*.png and OUTPUT/report.html.
    """
    import time
    from pathlib import Path

    import framing as fr

    started = time.perf_counter()
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    docs = fr.datasets.demo_corpus()
    scores = fr.score(docs)
    scores.save(out / "scores", overwrite=True)
    prof = fr.profile(scores, by="outlet", n_boot=n_boot)
    prof.to_csv(out / "profile.csv", index=False)
    share = fr.term_choice(scores, by="outlet", n_boot=n_boot)
    share.to_csv(out / "term_choice.csv", index=False)
    sl = fr.slant(scores, by="outlet", lexicon="us-politics", n_boot=n_boot)
    sl.to_csv(out / "slant.csv", index=False)
    figures = out / "figures"
    figures.mkdir(exist_ok=True)
    from framing.aggregate import neutral_categories

    loaded = prof[~prof["feature"].isin(neutral_categories(scores.matches))]  # not neutral refs
    for name, fig in (
        ("profile", fr.plot_profile(loaded, title="Demo corpus: framing profile")),
        ("slant", fr.plot_slant(sl, title="Demo corpus: slant (us-politics)")),
    ):
        fig.savefig(figures / f"{name}.png", dpi=120, bbox_inches="tight")
    from framing.reporting import report

    path = report(
        scores,
        by="outlet",
        path=out / "report.html",
        n_boot=n_boot,
        title="framing demo: fictional outlets",
    )
    click.echo(
        f"{scores.summary()} in {time.perf_counter() - started:.1f} s\n"
        f"  scores:  {out / 'scores'}/\n"
        f"  tables:  {out / 'profile.csv'}, {out / 'term_choice.csv'}, {out / 'slant.csv'}\n"
        f"  figures: {figures}/\n"
        f"  open:    {path}   (self-contained HTML report)"
    )


# ---- section: validation (framing kwic, framing code, framing lexicon import, features) -----


def _suffix_of(path: str, allowed: tuple[str, ...], option: str) -> str:
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise parameter_error(option, path, f"a file name ending in {', '.join(allowed)}")
    return suffix


_OPT_VOICE_ALL = click.option(
    "--voice", type=click.Choice(_VOICES), default="all", show_default=True
)


@cli.command("kwic")
@click.argument("scores_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("terms", nargs=-1, metavar="[TERM]...")
@click.option("--concept", "concepts", multiple=True, help="Only this concept (repeatable).")
@click.option("--category", "categories", multiple=True, help="Only this category (repeatable).")
@_OPT_LEXICON_FILTER
@_OPT_VOICE_ALL
@click.option(
    "--window",
    default=8,
    show_default=True,
    type=click.IntRange(min=0),
    help="Words of context on each side.",
)
@click.option(
    "--by",
    default=None,
    help="With -n: sample per group of this column (term, category, outlet, ...).",
)
@click.option(
    "-n",
    "n",
    default=None,
    type=click.IntRange(min=1),
    help="Show a random sample of N rows (per --by group).",
)
@_OPT_SEED
@click.option(
    "--width",
    default=None,
    type=click.IntRange(min=40),
    help="Line width of the concordance (default: the terminal's).",
)
@click.option(
    "-o", "--output", "output", default=None, help="Also write the table to FILE.csv or FILE.html."
)
def kwic_cmd(
    scores_dir, terms, concepts, categories, lexicons, voice, window, by, n, seed, width, output
) -> None:
    """Keyword in context: print every match of SCORES_DIR with its context, aligned.

    TERMs select terms (as canonical term or as written, case-insensitive); a TERM no lexicon
    matched is searched in the text. Without TERM, every match (narrow with --concept,
    --category, --lexicon, or sample with -n).
    """
    import shutil

    from framing.validate import kwic, kwic_html

    if output is not None:
        suffix = _suffix_of(output, (".csv", ".html", ".htm"), "-o")
    scores = _load_scores_dir(scores_dir)
    kw = kwic(
        scores,
        list(terms) or None,
        concept=list(concepts) or None,
        category=list(categories) or None,
        lexicon=list(lexicons) or None,
        voice=voice,
        window=window,
        by=by,
        n=n,
        seed=seed,
    )
    width = width or shutil.get_terminal_size((120, 24)).columns
    click.echo(kw.to_text(width=width))
    click.echo(f"{len(kw)} match(es)", err=True)
    if output is not None:
        if suffix == ".csv":
            kw.to_csv(output, index=False)
        else:
            from pathlib import Path

            title = "framing kwic: " + (", ".join(terms) or scores_dir)
            Path(output).write_text(kwic_html(kw, title=title, page=True), encoding="utf-8")
        click.echo(f"written to {output}", err=True)


@cli.group("code")
def code_group() -> None:
    """Human coding: draw a coding sample, then measure agreement and precision."""


@code_group.command("sample")
@click.argument("scores_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "-n",
    "n",
    default=200,
    show_default=True,
    type=click.IntRange(min=0),
    help="Matches to draw, spread equally over the strata.",
)
@click.option(
    "--by",
    type=click.Choice(["term", "category", "concept", "lexicon", "stance", "outlet", "none"]),
    default="term",
    show_default=True,
    help="Strata of the sample.",
)
@click.option(
    "--per-group",
    default=None,
    type=click.IntRange(min=1),
    help="Draw this many per stratum instead of -n in all.",
)
@click.option(
    "--unmatched",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also draw this many sentences without a match (to estimate recall).",
)
@_OPT_LEXICON_FILTER
@_OPT_VOICE_ALL
@click.option(
    "--window",
    default=12,
    show_default=True,
    type=click.IntRange(min=0),
    help="Words of context on each side.",
)
@_OPT_SEED
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    help="Coding sheet to write: FILE.csv and/or FILE.html (repeatable).",
)
def code_sample_cmd(
    scores_dir, n, by, per_group, unmatched, lexicons, voice, window, seed, outputs
) -> None:
    """Draw a stratified random sample of the matches of SCORES_DIR as a coding sheet.

    The HTML sheet is one self-contained page: coders open it in a browser (offline), choose
    a code per row and download their CSV; the CSV sheet can be filled in a spreadsheet.
    Read the coded sheets back with `framing code agreement`.
    """
    from framing.validate import coding_sample, write_coding_sheet

    for output in outputs:
        _suffix_of(output, (".csv", ".html", ".htm"), "-o")
    scores = _load_scores_dir(scores_dir)
    sheet = coding_sample(
        scores,
        n,
        by=None if by == "none" else by,
        per_group=per_group,
        unmatched=unmatched,
        lexicon=list(lexicons) or None,
        voice=voice,
        window=window,
        seed=seed,
    )
    for output in outputs:
        write_coding_sheet(sheet, output)
    kinds = sheet["kind"].value_counts()
    click.echo(
        f"{len(sheet)} units ({int(kinds.get('match', 0))} matches, "
        f"{int(kinds.get('sentence', 0))} sentences without a match) from "
        f"{sheet['stratum'].nunique()} strata written to {', '.join(outputs)}; when coded: "
        "framing code agreement CODER1.csv CODER2.csv ...",
        err=True,
    )


@code_group.command("agreement")
@click.argument("sheets", nargs=-1, required=True, metavar="SHEET.csv...")
@click.option(
    "--level",
    type=click.Choice(["nominal", "ordinal", "interval", "ratio"]),
    default="nominal",
    show_default=True,
    help="Level of measurement of the codes.",
)
@click.option(
    "--positive",
    "positives",
    multiple=True,
    help="Code meaning 'an instance' (repeatable; default 1).",
)
@click.option("-o", "--output", "output", default=None, help="Also write the table as CSV.")
def code_agreement_cmd(sheets, level, positives, output) -> None:
    """Precision (Wilson CI), recall and Krippendorff's alpha from coded SHEETs.

    One SHEET per coder (the file stem, or the sheet's coder column, names the coder).
    """
    from framing.validate import agreement

    table = agreement(list(sheets), level=level, positive=list(positives) or 1)
    shown = table.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda v: "" if v != v else f"{v:.3f}")
    click.echo(f"coders: {', '.join(table.attrs['coders'])}; units: {table.attrs['n_units']}")
    click.echo(shown.to_string(index=False))
    if output is not None:
        table.to_csv(output, index=False)
        click.echo(f"written to {output}", err=True)


@lexicon.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["liwc", "liwc22", "lexicoder", "wordstat", "yaml", "table"]),
    default=None,
    help="Dictionary format (default: from the suffix).",
)
@click.option("--name", default=None, help="Lexicon name (default: the file stem).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Import only this category (repeatable; the order decides the category of "
    "a word listed in several).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    help="Lexicon to write: FILE.yaml (or .csv / .parquet).",
)
def lexicon_import_cmd(file, fmt, name, categories, output) -> None:
    """Convert a LIWC (.dic/.dicx), Lexicoder (.lc3), WordStat (.cat) or YAML dictionary FILE
    into a framing lexicon.
    """
    import warnings

    from framing.dictionary import read_dictionary, write_lexicon

    _suffix_of(output, (".yaml", ".yml", ".csv", ".parquet"), "-o")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lex = read_dictionary(file, fmt, name=name, categories=list(categories) or None)
    for w in caught:
        click.echo(f"framing: warning: {w.message}", err=True)
    write_lexicon(lex, output)
    click.echo(f"{lex!r} written to {output}")


@cli.command("features")
@click.argument("scores_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--level",
    type=click.Choice(["category", "concept", "term", "stance", "lexicon"]),
    default="category",
    show_default=True,
)
@click.option(
    "--rate",
    type=click.Choice(["per_1k_words", "per_100_sentences", "count"]),
    default="per_1k_words",
    show_default=True,
)
@_OPT_VOICE_AUTHOR
@_OPT_LEXICON_FILTER
@click.option(
    "-o", "--output", "output", required=True, help="FILE.csv, FILE.parquet or FILE.dta (Stata)."
)
def features_cmd(scores_dir, level, rate, voice, lexicons, output) -> None:
    """Write one row per document of SCORES_DIR, one column per feature (for regressions)."""
    from framing.features import document_features, write_features

    _suffix_of(output, (".csv", ".parquet", ".dta"), "-o")
    feats = document_features(
        _load_scores_dir(scores_dir),
        level=level,
        rate=rate,
        voice=voice,
        lexicon=list(lexicons) or None,
    )
    write_features(feats, output)
    click.echo(
        f"{len(feats)} documents x {len(feats.attrs['features'])} features written to {output}",
        err=True,
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``framing`` console script."""
    cli.main(args=argv, prog_name="framing")


if __name__ == "__main__":  # pragma: no cover
    main()
