"""The ``framing`` command: a thin layer over the public API.

Every subcommand parses its options, calls the same functions a Python user would, and reports
errors from :mod:`framing.errors` as one line on stderr with exit status 2 (``--debug`` shows
the full traceback).
"""

from __future__ import annotations

import logging
import sys

import click

from framing import __version__
from framing.errors import FramingError

log = logging.getLogger("framing")


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
        except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"framing: error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="framing")
@click.option("--debug", is_flag=True, help="Show full tracebacks and debug logging.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress information to stderr.")
def cli(debug: bool, verbose: bool) -> None:
    """Measure media framing in news text with lexicons and classifiers."""
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="framing: %(levelname)s: %(message)s")
    logging.captureWarnings(True)


@cli.group()
def lexicon() -> None:
    """List, show, validate and try out lexicons."""


# ---- section: score (framing score) ---------------------------------------------------------

# ---- section: lexicon subcommands (framing lexicon list|show|validate|test) ------------------

# ---- section: profile and plot (framing profile, framing plot) -------------------------------

# ---- section: classifier (framing train|evaluate|predict|suggest-terms) ----------------------

# ---- section: report and demo (framing report, framing demo) ---------------------------------


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``framing`` console script."""
    cli.main(args=argv, prog_name="framing")


if __name__ == "__main__":  # pragma: no cover
    main()
