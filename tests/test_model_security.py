"""Crafted model files: nothing in them runs, nothing is written, every one is refused.

Each payload is offered to every way a model file gets loaded — ``load_model``,
``read_model_metadata``, ``score(model=path)``, ``report(model=path)`` and
``framing predict --model FILE`` — and each must end in one :class:`ModelError` line (exit
status 2 for the CLI) naming the file, with no output file, no decoy file and no change to any
file. Payloads that crash or exhaust a process that unpickles them (the dtype ``flags=0``
object-pointer trick, ``set(range(10**9))``) are tried in a child process with a memory cap.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.classify import FramingClassifier, load_model, read_model_metadata, save_model
from framing.errors import ModelError

# ---------------------------------------------------------------------------------------------
# payload builders
# ---------------------------------------------------------------------------------------------
_OLD_HEADER = b"FRAMING-MODEL " + json.dumps({"format": 1, "versions": {}}).encode() + b"\n"


def _op_str(x: str) -> bytes:
    b = x.encode()
    return pickle.SHORT_BINUNICODE + bytes([len(b)]) + b


def _op_int(n: int) -> bytes:
    return pickle.BININT1 + bytes([n])


def _global(module: str, name: str) -> bytes:
    return _op_str(module) + _op_str(name) + pickle.STACK_GLOBAL


def _pickle_system(decoy: Path) -> bytes:
    """A pickle whose loading runs ``touch DECOY`` through os.system."""

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {decoy}",))

    return pickle.dumps(Boom(), protocol=4)


def _pickle_dtype_flags() -> bytes:
    """``list(a)`` of an array whose dtype is object but whose saved state has ``flags=0``:
    numpy takes the raw bytes ``AAAAAAAA`` as a PyObject pointer (a segfault; with a chosen
    address, a call of any function). Only allowed globals: builtins.list, numpy reconstruct,
    numpy.ndarray, numpy.dtype."""

    class AsList:
        def __reduce__(self):
            return (list, (np.array([0x4141414141414141], dtype="u8"),))

    raw = pickle.dumps(AsList(), protocol=4)
    assert raw.count(b"\x8c\x02u8") == 1 and raw.count(b"\x8c\x01<\x94") == 1
    return raw.replace(b"\x8c\x02u8", b"\x8c\x02O8").replace(b"\x8c\x01<\x94", b"\x8c\x01|\x94")


def _pickle_set_bomb() -> bytes:
    """``set(range(10**9))``: 30 bytes that allocate tens of GB while unpickled."""
    return (
        pickle.PROTO
        + b"\x04"
        + _global("builtins", "set")
        + _global("builtins", "range")
        + pickle.BININT
        + (10**9).to_bytes(4, "little")
        + pickle.TUPLE1
        + pickle.REDUCE
        + pickle.TUPLE1
        + pickle.REDUCE
        + pickle.STOP
    )


def _pickle_memmap(victim: Path, data: bytes = b"hijacked") -> bytes:
    """``m = numpy.memmap(victim, "uint8", "r+", 0, (len,)); m[0:len] = list(data)``."""
    return (
        pickle.PROTO
        + b"\x04"
        + _global("numpy", "memmap")
        + pickle.MARK
        + _op_str(str(victim))
        + _op_str("uint8")
        + _op_str("r+")
        + _op_int(0)
        + _op_int(len(data))
        + pickle.TUPLE1
        + pickle.TUPLE
        + pickle.REDUCE
        + _global("builtins", "slice")
        + _op_int(0)
        + _op_int(len(data))
        + pickle.TUPLE2
        + pickle.REDUCE
        + pickle.MARK
        + b"".join(_op_int(c) for c in data)
        + pickle.LIST
        + pickle.SETITEM
        + pickle.STOP
    )


def _npy(array: np.ndarray, **kw) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, **kw)
    return buf.getvalue()


def _npy_header(descr: str, shape: tuple, body: bytes) -> bytes:
    """A .npy member declaring ``descr`` and ``shape`` whatever ``body`` holds."""
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + body


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write_zip(
    path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _find(spec, codec: str):
    """The state spec of the first component ``codec`` in a model description."""
    if isinstance(spec, dict):
        if spec.get("c") == codec:
            return spec["v"]["d"]
        for v in spec.values():
            found = _find(v, codec)
            if found is not None:
                return found
    elif isinstance(spec, list):
        for v in spec:
            found = _find(v, codec)
            if found is not None:
                return found
    return None


def _edited(base: Path, out: Path, edit) -> Path:
    """``base`` with its meta.json passed through ``edit(meta, members)``."""
    members = _members(base)
    meta = json.loads(members["meta.json"])
    edit(meta, members)
    members["meta.json"] = json.dumps(meta).encode()
    return _write_zip(out, members)


def _coef_member(meta: dict) -> str:
    return f"arrays/{_find(meta['model'], 'sklearn.logistic_regression')['coef']['a']}.npy"


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------
_TEXTS = [
    f"The {w} council met on {d}."
    for w in ("vile", "calm", "monstrous", "quiet", "sinister", "plain")
    for d in ("Monday", "Tuesday", "Friday", "Sunday")
]
_LABELS = np.array(
    [1 if any(x in t for x in ("vile", "monstrous", "sinister")) else 0 for t in _TEXTS]
)


@pytest.fixture(scope="module")
def base_model(tmp_path_factory) -> Path:
    clf = FramingClassifier(lexicons=False, char_ngrams=(2, 3), cv=2).fit(_TEXTS, _LABELS)
    return save_model(clf, tmp_path_factory.mktemp("base") / "good.framing-model")


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    import framing as fr

    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": ["X", "Y"],
            "text": ["The vile council met.", "The calm council met."],
        }
    )
    return docs, fr.score(docs, lexicons="loaded-language")


def _payloads(work: Path, base: Path) -> dict[str, tuple[Path, str, bool]]:
    """name -> (file, expected message fragment, refused already by read_model_metadata)."""
    decoy, victim = work / "DECOY", work / "victim.txt"
    out: dict[str, tuple[Path, str, bool]] = {}

    def old(name: str, payload: bytes) -> None:
        p = work / f"{name}.framing-model"
        p.write_bytes(_OLD_HEADER + payload)
        out[name] = (p, "old pickle-based format", True)

    old("old-reduce-os-system", _pickle_system(decoy))
    old("old-memmap-overwrite", _pickle_memmap(victim))
    old("old-numpy-object-scalar", pickle.dumps(np.array(["x"], dtype=object)[0:1]))
    raw = work / "raw-pickle.framing-model"  # a bare pickle, no header
    raw.write_bytes(_pickle_system(decoy))
    out["raw-pickle"] = (raw, "not a framing model file", True)
    npz = work / "plain.npz"  # a numpy archive with an object array: pickle inside
    np.savez(npz, a=np.array([{"x": 1}], dtype=object))
    out["npz-object-array"] = (npz, "unexpected member 'a.npy'", True)

    def zipped(name: str, edit, fragment: str, by_meta: bool) -> None:
        out[name] = (_edited(base, work / f"{name}.framing-model", edit), fragment, by_meta)

    def replace_coef(member: bytes):
        def edit(meta, members):
            members[_coef_member(meta)] = member

        return edit

    # a .npy whose data is a pickle (object dtype): np.load(allow_pickle=True) would run it
    zipped(
        "npy-object-dtype",
        replace_coef(_npy_header("|O", (1,), _pickle_system(decoy))),
        "dtype object",
        False,
    )
    zipped(
        "npy-structured-dtype",
        replace_coef(_npy(np.zeros(2, dtype=[("a", "<f8"), ("b", "<i8")]))),
        "only numeric",
        False,
    )
    zipped("npy-string-dtype", replace_coef(_npy(np.array(["ab"]))), "only numeric", False)
    # a header claiming 10**10 float64 values (80 GB) over 8 bytes of data
    zipped(
        "oversized-array",
        replace_coef(_npy_header("<f8", (10**10,), b"\0" * 8)),
        "is 80000000000 bytes, more than",
        False,
    )
    zipped(
        "array-larger-than-its-data",
        replace_coef(_npy_header("<f8", (10**7,), b"\0" * 8)),
        "does not match its stored size",
        False,
    )
    zipped(
        "truncated-array",
        replace_coef(_npy_header("<f8", (1, 1000), b"\0" * 80)),
        "does not match its stored size",
        False,
    )
    zipped(
        "nested-zip-in-array",
        replace_coef(base.read_bytes()),
        "not a .npy array (it holds a nested archive)",
        False,
    )

    def add_member(name: str, data: bytes):
        def edit(meta, members):
            members[name] = data

        return edit

    zipped(
        "nested-archive-member",
        add_member("inner.npz", base.read_bytes()),
        "unexpected member 'inner.npz'",
        True,
    )
    zipped(
        "path-traversal",
        add_member("../../escaped.txt", b"owned"),
        "unexpected member '../../escaped.txt'",
        True,
    )
    zipped("absolute-path", add_member(str(work / "abs.txt"), b"owned"), "unexpected member", True)
    zipped(
        "unknown-array-member",
        add_member("arrays/999.npy", _npy(np.zeros(3))),
        "unknown member arrays/999.npy",
        False,
    )
    zipped(
        "wrong-format-version",
        lambda m, _: m.update(format_version=3),
        "model format version 3 is not supported",
        True,
    )
    zipped(
        "format-version-1",
        lambda m, _: m.update(format_version=1),
        "model format version 1 is not supported",
        True,
    )
    zipped(
        "unknown-codec",
        lambda m, _: m.update(model={"c": "os.system", "v": {"j": {}}}),
        "unknown component 'os.system'",
        False,
    )
    zipped(
        "unknown-spec-key",
        lambda m, _: m.update(model={"j": 1, "exec": "print(1)"}),
        "unknown value spec keys",
        False,
    )

    def tfidf_param(key, value):
        def edit(meta, _):
            _find(meta["model"], "sklearn.tfidf_vectorizer")["params"]["d"][key] = {"j": value}

        return edit

    zipped(
        "unknown-param", tfidf_param("callback", "os.system"), "unknown parameter 'callback'", False
    )
    zipped("redos-token-pattern", tfidf_param("token_pattern", "(a+)+$"), "disallowed value", False)
    zipped("input-filename", tfidf_param("input", "filename"), "disallowed value", False)

    def wide_strings(meta, members):  # 10**6 strings of width 65536: a 262 GB allocation
        vocab = _find(meta["model"], "sklearn.tfidf_vectorizer")
        blob, offsets = vocab["terms"]["s"]
        members[f"arrays/{blob}.npy"] = _npy(np.zeros(0, dtype=np.uint8))
        members[f"arrays/{offsets}.npy"] = _npy(np.zeros(10**6 + 1, dtype=np.int64))
        vocab["terms"] = {"u": [blob, offsets], "w": 65536}

    zipped("string-width-bomb", wide_strings, "bad width", False)
    zipped(
        "scalar-width-bomb",
        lambda m, _: m.update(model={"n": "<U99999999", "v": "x"}),
        "unsupported dtype",
        False,
    )

    def wrong_shape(meta, members):  # consistent within the regression, not with the features
        members[_coef_member(meta)] = _npy(np.zeros((1, 7)))
        _find(meta["model"], "sklearn.logistic_regression")["n_features_in"] = {"j": 7}

    zipped("mismatched-shapes", wrong_shape, "do not fit together", False)

    def deep(meta, _):
        meta["model"] = {"l": [{"l": []}]}
        spec = meta["model"]["l"][0]
        for _ in range(200):
            spec["l"].append({"l": []})
            spec = spec["l"][-1]

    zipped("deep-nesting", deep, "nested too deeply", False)

    members = _members(base)
    members["meta.json"] = b"[" * 200_000 + b"]" * 200_000
    out["json-recursion-bomb"] = (
        _write_zip(work / "jsonbomb.framing-model", members),
        "meta.json is not valid JSON",
        True,
    )
    # 64 MB of zeros deflated to ~64 KB: a compression bomb
    members = _members(base)
    members[_coef_member(json.loads(members["meta.json"]))] = _npy_header(
        "<f8", (8 << 20,), bytes(64 << 20)
    )
    out["zip-bomb"] = (
        _write_zip(work / "zipbomb.framing-model", members, zipfile.ZIP_DEFLATED),
        "a compression bomb",
        True,
    )
    data = base.read_bytes()
    for name, cut in (("truncated-half", len(data) // 2), ("truncated-end", len(data) - 30)):
        p = work / f"{name}.framing-model"
        p.write_bytes(data[:cut])
        out[name] = (p, "truncated or corrupt", True)
    # flipped bytes inside the deflated meta.json: a zlib or CRC error, not a traceback
    members = _members(base)
    p = _write_zip(
        work / "corrupt.framing-model",
        {"meta.json": members["meta.json"] * 3},
        zipfile.ZIP_DEFLATED,
    )
    data = bytearray(p.read_bytes())
    for i in range(60, 90):
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))
    out["corrupt-deflate"] = (p, "truncated or corrupt", True)
    empty = work / "empty.framing-model"
    empty.write_bytes(b"")
    out["empty-file"] = (empty, "not a framing model file", True)
    return out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _one_line_model_error(fn) -> str:
    with pytest.raises(ModelError) as err:
        fn()
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def _try_everything(path: Path, work: Path, scored) -> dict[str, str]:
    """The message of every entry point given ``path``; the CLI's as ``exit N: stderr``."""
    from click.testing import CliRunner

    import framing as fr
    from framing.cli import cli

    docs, scores = scored
    got: dict[str, str] = {}
    for name, fn in (
        ("load_model", lambda: load_model(path)),
        ("read_model_metadata", lambda: read_model_metadata(path)),
        ("score", lambda: fr.score(docs, lexicons="loaded-language", model=path)),
        ("report", lambda: fr.report(scores, model=path, path=work / "report.html")),
    ):
        try:
            fn()
            got[name] = "ok"
        except ModelError as exc:
            got[name] = str(exc)
    data = work / "in.csv"
    if not data.exists():
        pd.DataFrame({"text": ["The vile council met."]}).to_csv(data, index=False)
    r = CliRunner().invoke(
        cli, ["predict", str(data), "--model", str(path), "-o", str(work / "pred.csv")]
    )
    got["cli"] = f"exit {r.exit_code}: {r.output}"
    return got


def _check(got: dict[str, str], path: Path, fragment: str, by_meta: bool) -> None:
    for name in ("load_model", "score", "report") + (("read_model_metadata",) if by_meta else ()):
        assert fragment in got[name] and str(path) in got[name], (name, got[name])
        assert "\n" not in got[name]
    if not by_meta:  # array-level problems: the metadata alone is fine to read
        assert got["read_model_metadata"] == "ok" or fragment in got["read_model_metadata"]
    exit_line = got["cli"]
    assert exit_line.startswith("exit 2: framing: error: "), exit_line
    assert exit_line.count("\n") == 1 and fragment in exit_line


# ---------------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------------
def test_every_crafted_file_is_refused_everywhere_and_nothing_runs_or_is_written(
    tmp_path, base_model, scored
):
    work = tmp_path / "work"
    work.mkdir()
    (work / "victim.txt").write_bytes(b"original")
    payloads = _payloads(work, base_model)
    assert len(payloads) >= 30
    before = _snapshot(tmp_path)
    cwd_before = sorted(os.listdir())
    failures = []
    for name, (path, fragment, by_meta) in payloads.items():
        try:
            _check(_try_everything(path, work, scored), path, fragment, by_meta)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
        assert not (work / "DECOY").exists(), name
        assert not (work / "pred.csv").exists() and not (work / "report.html").exists(), name
    assert not failures, "\n".join(failures)
    after = _snapshot(tmp_path)
    after.pop("work/in.csv", None)
    assert after == before  # no file created or changed (victim.txt keeps "original")
    assert sorted(os.listdir()) == cwd_before
    assert not (tmp_path.parent / "escaped.txt").exists()


_CHILD = textwrap.dedent("""
    import json, resource, sys
    sys.path.insert(0, {tests!r})
    import test_model_security as t
    import framing as fr
    from pathlib import Path
    import pandas as pd
    docs = pd.DataFrame({{"doc_id": ["a"], "outlet": ["X"], "text": ["The vile council met."]}})
    scored = (docs, fr.score(docs, lexicons="loaded-language"))
    import framing.cli, click.testing, sklearn.linear_model  # everything imported before the cap
    with open("/proc/self/status") as fh:
        vm = next(int(x.split()[1]) for x in fh if x.startswith("VmSize:")) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + (1 << 30), vm + (1 << 30)))
    print(json.dumps(t._try_everything(Path({path!r}), Path({work!r}), scored)))
""")


@pytest.mark.parametrize("kind", ["dtype-flags-object-pointer", "set-range-bomb"])
def test_process_killing_pickles_are_refused_without_unpickling(tmp_path, kind):
    """On the old loader these segfault (exit -11) or allocate tens of GB; run in a child."""
    payload = _pickle_dtype_flags() if kind.startswith("dtype") else _pickle_set_bomb()
    path = tmp_path / f"{kind}.framing-model"
    path.write_bytes(_OLD_HEADER + payload)
    before = _snapshot(tmp_path)
    code = _CHILD.format(tests=str(Path(__file__).parent), path=str(path), work=str(tmp_path))
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert r.returncode == 0, (r.returncode, r.stderr[-2000:])
    got = json.loads(r.stdout.strip().splitlines()[-1])
    _check(got, path, "old pickle-based format", True)
    after = _snapshot(tmp_path)
    after.pop("in.csv", None)
    assert after == before


def test_cli_predict_exits_2_with_one_line_in_a_real_process(tmp_path):
    decoy = tmp_path / "DECOY"
    path = tmp_path / "evil.framing-model"
    path.write_bytes(_OLD_HEADER + _pickle_system(decoy))
    data = tmp_path / "in.csv"
    pd.DataFrame({"text": ["The vile council met."]}).to_csv(data, index=False)
    out = tmp_path / "pred.csv"
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "from framing.cli import main; main()",
            "predict",
            str(data),
            "--model",
            str(path),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2
    assert r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert (
        line.startswith(f"framing: error: {path} is a model file in the old pickle-based format")
        and "retrain" in line
        and "framing train" in line
    )
    assert not out.exists() and not decoy.exists()


def test_limits_are_checked_before_reading(tmp_path, base_model, monkeypatch):
    """Members over the size limits are refused from the archive directory alone."""
    from framing import model_io

    monkeypatch.setattr(model_io, "MAX_ARRAY_BYTES", 100)
    with pytest.raises(
        ModelError,
        match=r"arrays/\d+\.npy: shape \(\d+,\) is \d+ bytes, "
        "more than 100 an array may have",
    ):
        load_model(base_model)
    monkeypatch.setattr(model_io, "MAX_ARRAY_BYTES", -10000)
    with pytest.raises(ModelError, match=r"arrays/\d+\.npy is \d+ bytes uncompressed"):
        load_model(base_model)
    monkeypatch.undo()
    monkeypatch.setattr(model_io, "MAX_TOTAL_BYTES", 1000)
    msg = _one_line_model_error(lambda: read_model_metadata(base_model))
    assert "more than 1000 bytes uncompressed" in msg
    monkeypatch.undo()
    monkeypatch.setattr(model_io, "MAX_FILE_BYTES", 10)
    msg = _one_line_model_error(lambda: load_model(base_model))
    assert str(base_model) in msg and "more than the 10 a model file may have" in msg


def test_oversized_array_header_allocates_nothing(tmp_path, base_model):
    import tracemalloc

    bad = _edited(
        base_model,
        tmp_path / "big.framing-model",
        lambda meta, members: members.update(
            {_coef_member(meta): _npy_header("<f8", (10**10,), b"\0" * 8)}
        ),
    )
    tracemalloc.start()
    try:
        with pytest.raises(ModelError, match="80000000000 bytes, more than"):
            load_model(bad)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 << 20


def test_save_refuses_what_it_could_not_load_back(tmp_path):
    clf = FramingClassifier(lexicons=False, char_ngrams=None, cv=2).fit(_TEXTS, _LABELS)
    clf.extra_state_ = object()
    with pytest.raises(ModelError, match="fitted attribute 'extra_state_' is not listed"):
        save_model(clf, tmp_path / "m.framing-model")
    del clf.extra_state_
    clf.vectorizers_[0][1].set_params(token_pattern=r"(\w+)+x")
    with pytest.raises(ModelError):
        save_model(clf, tmp_path / "m.framing-model")
    assert list(tmp_path.iterdir()) == []  # nothing left behind, not even a temporary file


def test_a_component_registers_its_own_arrays_and_json(tmp_path, monkeypatch):
    """The extension point another component (e.g. a sentence encoder) uses: its codec
    records a name and version and small arrays, and refuses another version on load."""
    from framing import model_io

    class Head:
        def __init__(self, version, mean):
            self.version, self.mean_ = version, mean

    def load(state):
        model_io.check_keys(state, {"name", "version", "mean"})
        if state["version"] != "2":
            raise ValueError(f"saved with encoder version {state['version']}, installed 2")
        return Head(state["version"], state["mean"])

    codec = model_io.ModelCodec(
        "test.head", Head, lambda h: {"name": "toy", "version": h.version, "mean": h.mean_}, load
    )
    monkeypatch.setitem(model_io._CODECS, "test.head", codec)
    monkeypatch.setitem(model_io._BY_TYPE, Head, codec)
    for version, ok in (("2", True), ("1", False)):
        path = model_io.write_model_file(
            tmp_path / f"{version}.framing-model", {"x": 1}, {"head": Head(version, np.arange(3.0))}
        )
        if ok:
            meta, back = model_io.read_model_file(path)
            assert meta["x"] == 1 and back["head"].version == "2"
            np.testing.assert_array_equal(back["head"].mean_, [0.0, 1.0, 2.0])
        else:
            with pytest.raises(
                ModelError, match="component 'test.head': saved with encoder version 1, installed 2"
            ):
                model_io.read_model_file(path)
    monkeypatch.delitem(model_io._CODECS, "test.head")
    with pytest.raises(ModelError, match="unknown component 'test.head'"):
        model_io.read_model_file(tmp_path / "2.framing-model")


def test_random_corruptions_raise_model_error_or_load_the_same_model(tmp_path, base_model):
    """600 seeded mutations (flipped bytes, truncations, insertions) of a valid file: each
    either raises one-line ModelError or (a change the archive does not read, such as a
    timestamp) loads a model predicting exactly what the original predicts."""
    good = base_model.read_bytes()
    ref = load_model(base_model).predict_proba(_TEXTS)
    rng = np.random.default_rng(0)
    outcomes = {"refused": 0, "same": 0}
    path = tmp_path / "m.framing-model"
    for i in range(600):
        b = bytearray(good)
        if i % 3 == 0:
            for _ in range(int(rng.integers(1, 4))):
                b[int(rng.integers(len(b)))] = int(rng.integers(256))
        elif i % 3 == 1:
            b = b[: int(rng.integers(len(b)))]
        else:
            j = int(rng.integers(len(b)))
            b[j:j] = rng.integers(0, 256, int(rng.integers(1, 20))).astype(np.uint8).tobytes()
        path.write_bytes(bytes(b))
        try:
            model = load_model(path)
        except ModelError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path))
            outcomes["refused"] += 1
        else:
            np.testing.assert_array_equal(model.predict_proba(_TEXTS), ref)
            outcomes["same"] += 1
    assert outcomes["refused"] > 500
