"""Fuzz framing: every property of tests/test_properties.py with 10,000 examples.

Usage::

    .venv/bin/python benchmarks/fuzz.py [--examples 10000] [--only matcher] [--max-chars 300]

Loads the hypothesis profile "fuzz" (derandomized: the same examples on every run) and runs
each property of ``tests/test_properties.py``: sentence spans, quote spans, matcher offsets,
scoring on arbitrary Unicode, and ``--jobs 1`` vs ``--jobs 2`` byte-identical output. The
last one draws corpora of 100 documents (each pair of runs starts a worker pool), so 10,000
examples there are 10,000 documents in 100 corpora. Prints, per property, the number of
examples checked, the time, and PASS or the falsifying example; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROPERTIES = {
    "sentence spans": "test_sentence_spans_are_sorted_trimmed_and_cover_the_text",
    "quote spans": "test_quote_spans_are_sorted_and_start_with_a_quote_mark",
    "matcher offsets": "test_matcher_offsets_give_the_surface_as_normalized",
    "scoring on arbitrary Unicode": "test_scoring_never_raises_on_arbitrary_unicode",
    "--jobs 1 vs --jobs 2 (documents)": "test_jobs_1_and_jobs_2_write_identical_files",
}


class _TmpFactory:
    """Stands in for pytest's ``tmp_path_factory``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.n = 0

    def mktemp(self, name: str) -> Path:
        self.n += 1
        path = self.root / f"{name}{self.n}"
        path.mkdir()
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=10_000, help="examples per property (default 10000)"
    )
    parser.add_argument(
        "--only", default=None, help="run only the properties whose name contains this text"
    )
    parser.add_argument(
        "--max-chars", type=int, default=300, help="longest generated text (default 300, as in CI)"
    )
    args = parser.parse_args(argv)

    os.environ["FRAMING_HYPOTHESIS_PROFILE"] = "fuzz"
    os.environ["FRAMING_FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["FRAMING_FUZZ_MAX_CHARS"] = str(args.max_chars)
    sys.path.insert(0, str(REPO))
    from hypothesis import settings

    import tests.test_properties as props

    failed = 0
    print(
        f"framing fuzz: {args.examples:,} examples per property, texts up to "
        f"{args.max_chars} characters, hypothesis profile 'fuzz' (derandomized)"
    )
    with tempfile.TemporaryDirectory(prefix="framing-fuzz-") as tmp:
        for label, name in PROPERTIES.items():
            if args.only and args.only not in label:
                continue
            test = getattr(props, name)
            if "jobs" in name:  # corpora of CORPUS_DOCS documents: examples / CORPUS_DOCS
                inner = test.hypothesis.inner_test
                n = max(1, args.examples // props.CORPUS_DOCS)
                test = settings(max_examples=n)(
                    props.given(
                        props.st.lists(
                            props.texts, min_size=props.CORPUS_DOCS, max_size=props.CORPUS_DOCS
                        )
                    )(inner)
                )
            kwargs = {"tmp_path_factory": _TmpFactory(Path(tmp))} if "jobs" in name else {}
            started = time.perf_counter()
            try:
                test(**kwargs)
                status = "PASS"
            except Exception as exc:  # the falsifying example is in the message
                failed += 1
                status = "FAIL: " + "".join(traceback.format_exception_only(exc)).strip()
            seconds = time.perf_counter() - started
            print(
                f"{label:34s} {props.COUNTS[label]:>7,} examples  {seconds:7.1f} s  {status}",
                flush=True,
            )
    print("all properties hold" if not failed else f"{failed} propert(y/ies) FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
