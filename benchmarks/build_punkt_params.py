"""Build ``framing/_data/punkt_news.json``: the Punkt parameters the sentence segmenter ships.

Usage::

    .venv/bin/python benchmarks/build_punkt_params.py            # writes framing/_data/punkt_news.json
    .venv/bin/python benchmarks/build_punkt_params.py --check    # exit 1 if the shipped file differs

Every list below is our own curated material (no text from any corpus is used): news
abbreviations and titles, the collocations that must not be split, and the capitalized words
that commonly open a sentence. The file holds the four fields of nltk's ``PunktParameters``
(``abbrev_types``, ``collocations``, ``sent_starters``, ``ortho_context``; types are lower-case
and carry no final period, as in nltk) plus the classes our decision rules use:

``title_abbrevs``
    titles that always precede a name and never end a sentence (``Brig. Gen. Ashtiani``);
``numeric_abbrevs``
    abbreviations only when a number follows (``No. 10``, ``Vol. 3``); ``no.`` before a word
    is the word *no*;
``capitalized_only``
    abbreviations that are ordinary words in lower case (``Ill.``/``ill.``, ``Mass.``/``mass.``,
    months such as ``Mar.``): they count only when written with a capital.

Every other abbreviation (``U.S.``, ``Inc.``, ``a.m.``, ``Jan.``) ends a sentence only when the
next word is a sentence starter (``... in the U.S. The move ...``), never before a name or a
number (``U.S. Army``, ``10 a.m. Friday``, ``Jan. 5``).

The ``ortho_context`` is derived from the starter list: each starter is recorded as seen
capitalized at a sentence beginning and lower-case in mid-sentence (nltk flags
``_ORTHO_BEG_UC | _ORTHO_MID_LC``), which is the evidence Punkt's orthographic heuristic uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "framing" / "_data" / "punkt_news.json"

# nltk.tokenize.punkt flag values (kept literal so the builder documents the format)
ORTHO_BEG_UC = 1 << 1
ORTHO_MID_LC = 1 << 5

TITLES = """
mr mrs ms messrs mmes dr prof gen maj brig lt col capt cmdr cmdt adm sgt cpl pvt spc
gov sen rep rev hon pres supt insp det atty amb sec lieut msgr fr
""".split()

NUMERIC = "no nos vol vols art fig figs pp ch".split()

OTHER = """
inc corp co cos ltd llc plc bros jr sr st ste mt ft ave blvd rd dept univ assn est approx
etc vs v e.g i.e cf al
a.m p.m u.s u.k u.n e.u d.c u.s.a u.a.e u.s.s.r l.a n.y n.j n.c n.h n.m n.d s.c s.d w.va
ph.d m.d b.a m.a j.d
jan feb mar apr jun jul aug sep sept oct nov dec
mon tue tues wed thu thur thurs fri sat sun
ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont
neb nev okla ore pa tenn tex va vt wash wis wyo
""".split()

CAPITALIZED_ONLY = """
mar jun jul sat sun wed del ga ill ind la mass miss mo ore pa wash mont co st mt ft
""".split()

# never end a sentence whatever follows
NEVER_END = ["vs", "v", "e.g", "i.e", "cf"]

STARTERS = """
the a an he she it they we i you his her its their our my your this that these those there
here but and or so yet nor in on at for from with by to of after before during when while if
as since although though because however meanwhile still also then now today tomorrow
yesterday some many most all both each every few several one two three what why how where
who which whether according under over despite instead other another such last earlier later
no not nothing none neither either only even just more much both until unless once asked
officials critics supporters analysts experts residents witnesses police
about among across through without within against around along between beyond nearly almost
roughly thousands hundreds dozens half less
""".split()

COLLOCATIONS = [
    ("no", "##number##"),
    ("nos", "##number##"),
    ("vol", "##number##"),
    ("art", "##number##"),
    ("fig", "##number##"),
    ("pp", "##number##"),
]


def build() -> dict:
    """Return the parameter dictionary written to ``punkt_news.json``."""
    abbrevs = sorted(set(TITLES) | set(NUMERIC) | set(OTHER))
    starters = sorted(set(STARTERS))
    return {
        "format": "framing-punkt/1",
        "description": (
            "Punkt parameters for English news, built by benchmarks/build_punkt_params.py "
            "from curated lists (no corpus text)."
        ),
        "abbrev_types": abbrevs,
        "collocations": [list(pair) for pair in sorted(set(COLLOCATIONS))],
        "sent_starters": starters,
        "ortho_context": {w: ORTHO_BEG_UC | ORTHO_MID_LC for w in starters},
        "title_abbrevs": sorted(set(TITLES)),
        "numeric_abbrevs": sorted(set(NUMERIC)),
        "capitalized_only": sorted(set(CAPITALIZED_ONLY)),
        "never_end": sorted(set(NEVER_END)),
    }


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the shipped parameter file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    content = json.dumps(build(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == content
        sys.stdout.write(("up to date: " if same else "OUT OF DATE: ") + str(args.out) + "\n")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(content, encoding="utf-8")
    sys.stdout.write(f"wrote {args.out} ({len(build()['abbrev_types'])} abbreviations)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
