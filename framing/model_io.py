"""Data-only model files: JSON metadata and numeric arrays in one zip archive, no code.

A model file (conventionally ``*.framing-model``) is a zip archive with

* ``meta.json`` — UTF-8 JSON: ``"format": "framing-model"``, ``"format_version"``, free-form
  metadata (library versions, labels, lexicons, training fingerprint, metrics ...) and
  ``"model"``: the estimator as a tree of *value specs* (below);
* ``arrays/<n>.npy`` — one array per member in NumPy's ``.npy`` format, of a numeric or bool
  dtype only. Strings are stored as UTF-8 bytes (``uint8``) plus ``int64`` offsets.

Nothing in the file names code: classes are rebuilt by *codecs* registered under a name
(:func:`register_codec`), the only way an object other than numbers, strings, lists, tuples,
dicts and arrays comes back. Reading checks every limit before allocating (members, sizes,
compression ratio, array shapes against their byte counts, dtypes, nesting) and refuses
anything unexpected — unknown members, unknown spec keys, object dtypes, nested archives,
truncated data, another format version — with a one-line :class:`~framing.errors.ModelError`
naming the file and the problem.

Value specs (JSON objects with exactly these keys):

==========================  =====================================================
``{"j": value}``            a JSON value (None, bool, int, float, str, lists and dicts of them)
``{"t": [spec, ...]}``      a tuple; ``{"l": [spec, ...]}`` a list
``{"d": {key: spec}}``      a dict with str keys
``{"a": n}``                array member ``arrays/<n>.npy`` (numeric or bool)
``{"s": [n_bytes, n_off]}`` 1-D object array of str (UTF-8 bytes + offsets members)
``{"u": [n_bytes, n_off], "w": width}``  1-D ``<U<width>`` array of str
``{"o": [value, ...]}``     1-D object array of JSON scalars
``{"n": dtype, "v": value}``  a NumPy scalar (dtype string such as ``"<f8"``)
``{"T": name}``             a NumPy scalar type (``float64`` ...), e.g. a ``dtype=`` parameter
``{"c": codec, "v": spec}``  an object rebuilt by the registered codec from the decoded spec
==========================  =====================================================

Extending the format: a component (a featurizer, an encoder head ...) registers a
:class:`ModelCodec` whose ``dump`` returns a dict of plain values (numbers, str, lists, dicts,
arrays, other registered objects) and whose ``load`` rebuilds the object from that dict,
checking its keys and values (raise :class:`ValueError` or :class:`ModelError` on anything
unexpected, e.g. a recorded encoder name or version other than the installed one). Register
it when the module defining the component is imported; when that module is imported lazily,
declare it with :func:`register_lazy_codec` (from code, never from a file) so that reading a
file naming the codec imports it first. For example::

    def _dump(enc):   # name and version recorded, small arrays stored, never weights
        return {"name": enc.name, "version": enc.version, "mean": enc.mean_}

    def _load(state):
        check_keys(state, {"name", "version", "mean"})
        ...           # refuse another name / version, check the array's dtype and shape
        return enc

    register_codec(ModelCodec("framing.sentence_encoder", SentenceEncoder, _dump, _load))

A :class:`framing.FramingClassifier` stores its parameters and every fitted attribute listed in
``framing.classify._PERSISTED_ATTRIBUTES`` (``save_model`` refuses a model with an unlisted
one, so nothing is dropped silently).
"""

from __future__ import annotations

import json
import os
import re
import uuid
import zipfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from framing.errors import ModelError

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_ARRAY_BYTES",
    "MAX_FILE_BYTES",
    "MAX_DEPTH",
    "MAX_MEMBERS",
    "MAX_META_BYTES",
    "MAX_NODES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "ModelCodec",
    "check_keys",
    "decode_value",
    "encode_value",
    "read_model_file",
    "register_codec",
    "register_lazy_codec",
    "write_model_file",
]

FORMAT_NAME = "framing-model"
FORMAT_VERSION = 2  # 1 was the pickle-based format, no longer read

# A model trained on all 11,180 PTC sentences with every bundled lexicon is 1.2 MB on disk,
# 3.7 MB uncompressed, its members compressed at most 13 times: the limits leave ample room.
#: Largest model file accepted (bytes on disk).
MAX_FILE_BYTES = 1 << 30
#: Largest uncompressed ``meta.json``.
MAX_META_BYTES = 64 << 20
#: Largest uncompressed array member.
MAX_ARRAY_BYTES = 512 << 20
#: Largest total uncompressed size of all members.
MAX_TOTAL_BYTES = 1 << 30
#: Most members in one archive.
MAX_MEMBERS = 100_000
#: Largest compression ratio accepted for a member over 1 MiB (zip-bomb guard).
MAX_RATIO = 100
#: Deepest nesting of value specs, and most spec nodes in one file.
MAX_DEPTH = 64
MAX_NODES = 2_000_000

_OLD_MAGIC = b"FRAMING-MODEL "
_ZIP_MAGIC = b"PK\x03\x04"
_META = "meta.json"
_ARRAY_NAME = re.compile(r"arrays/(0|[1-9][0-9]{0,6})\.npy\Z")
_ALLOWED_KINDS = frozenset("biuf")
_SCALAR_KINDS = frozenset("biufU")
_NUMPY_TYPES = {t.__name__: t for t in (np.float64, np.float32, np.int64, np.int32, np.bool_)}


@dataclass(frozen=True)
class ModelCodec:
    """How one class is written to and rebuilt from a model file.

    Parameters
    ----------
    name : str
        Stable name recorded in the file (never a module path).
    cls : type
        The class handled (exact type; subclasses need their own codec).
    dump : callable
        ``dump(obj) -> dict`` of plain values (see the module docstring).
    load : callable
        ``load(state: dict) -> obj``; must check the keys and values it is given.
    """

    name: str
    cls: type
    dump: Callable[[Any], dict[str, Any]]
    load: Callable[[dict[str, Any]], Any]


_CODECS: dict[str, ModelCodec] = {}
_BY_TYPE: dict[type, ModelCodec] = {}


def register_codec(codec: ModelCodec) -> ModelCodec:
    """Register ``codec`` (by name and class); registering the same name again replaces it."""
    if not re.fullmatch(r"[a-z][a-z0-9_.-]{0,63}", codec.name):
        raise ValueError(f"codec name {codec.name!r}: use lower-case letters, digits, _ . -")
    old = _CODECS.get(codec.name)
    if old is not None:
        _BY_TYPE.pop(old.cls, None)
    _CODECS[codec.name] = codec
    _BY_TYPE[codec.cls] = codec
    return codec


_LAZY: dict[str, str] = {}


def register_lazy_codec(name: str, module: str) -> None:
    """Declare that importing framing module ``module`` registers the codec ``name``.

    Reading a file that names ``name`` before it is registered imports ``module`` first.
    Only ``framing.`` modules can be declared.
    """
    if not module.startswith("framing.") or not re.fullmatch(r"[a-z_.]+", module):
        raise ValueError(f"register_lazy_codec: {module!r} is not a framing module")
    _LAZY[name] = module


def _codec(name: Any) -> ModelCodec | None:
    if not isinstance(name, str):
        return None
    if name not in _CODECS and name in _LAZY:
        import importlib

        importlib.import_module(_LAZY[name])
    return _CODECS.get(name)


class _Bad(Exception):
    """A problem found while reading; turned into a ModelError naming the file."""


# ---------------------------------------------------------------------------------------------
# strings <-> arrays
# ---------------------------------------------------------------------------------------------
def _pack_strings(values: Any) -> tuple[np.ndarray, np.ndarray]:
    encoded = [str(v).encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return blob, offsets


def _unpack_strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    if (
        blob.dtype != np.uint8
        or blob.ndim != 1
        or offsets.dtype != np.int64
        or offsets.ndim != 1
        or len(offsets) < 1
    ):
        raise _Bad("a string table is not (uint8 bytes, int64 offsets)")
    if offsets[0] != 0 or offsets[-1] != len(blob) or (np.diff(offsets) < 0).any():
        raise _Bad("a string table has offsets out of order or out of range")
    raw = blob.tobytes()
    try:
        return [
            raw[a:b].decode("utf-8", "surrogatepass")
            for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
        ]
    except UnicodeDecodeError as exc:
        raise _Bad(f"a string table is not UTF-8 ({exc.reason})") from None


# ---------------------------------------------------------------------------------------------
# encoding
# ---------------------------------------------------------------------------------------------
def _is_json(v: Any, depth: int = 0) -> bool:
    if v is None or isinstance(v, (bool, int, float, str)) and not isinstance(v, np.generic):
        return type(v) in (bool, int, float, str) or v is None
    if depth > MAX_DEPTH:
        return False
    if type(v) is list:
        return all(_is_json(x, depth + 1) for x in v)
    if type(v) is dict:
        return all(type(k) is str and _is_json(x, depth + 1) for k, x in v.items())
    return False


def encode_value(value: Any, arrays: list[np.ndarray], *, where: str = "model") -> Any:
    """The value spec of ``value``; arrays are appended to ``arrays`` (index = member name).

    Raises
    ------
    ModelError
        ``value`` holds something a model file cannot store (``where`` names it).
    """

    def add(a: np.ndarray) -> int:
        arrays.append(a)
        return len(arrays) - 1

    v = value
    if _is_json(v):
        return {"j": v}
    if isinstance(v, tuple):
        return {"t": [encode_value(x, arrays, where=f"{where}[{i}]") for i, x in enumerate(v)]}
    if isinstance(v, list):
        return {"l": [encode_value(x, arrays, where=f"{where}[{i}]") for i, x in enumerate(v)]}
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            raise ModelError(f"cannot save {where}: a dict with non-string keys.")
        return {"d": {k: encode_value(x, arrays, where=f"{where}.{k}") for k, x in v.items()}}
    if isinstance(v, Path):
        return {"j": str(v)}
    if type(v) is np.ndarray:
        if v.dtype.kind in _ALLOWED_KINDS and v.dtype.fields is None and v.dtype.itemsize <= 8:
            return {"a": add(v)}
        if v.dtype.kind == "U" and v.ndim == 1:
            return {"u": list(map(add, _pack_strings(v.tolist()))), "w": v.dtype.itemsize // 4}
        if v.dtype.kind == "O" and v.ndim == 1:
            if all(type(x) is str for x in v):
                return {"s": list(map(add, _pack_strings(v.tolist())))}
            items = [x.item() if isinstance(x, np.generic) else x for x in v]
            if all(_is_json(x) and not isinstance(x, (list, dict)) for x in items):
                return {"o": items}
        raise ModelError(
            f"cannot save {where}: arrays of dtype {v.dtype} (shape {v.shape}) are not storable."
        )
    if isinstance(v, np.generic) and v.dtype.kind in _SCALAR_KINDS:
        return {"n": v.dtype.str, "v": v.item()}
    if isinstance(v, type) and v in _NUMPY_TYPES.values():
        return {"T": v.__name__}
    codec = _BY_TYPE.get(type(v))
    if codec is not None:
        try:
            state = codec.dump(v)
        except (ValueError, TypeError) as exc:
            raise ModelError(f"cannot save {where}: {exc}") from None
        return {"c": codec.name, "v": encode_value(state, arrays, where=f"{where}<{codec.name}>")}
    raise ModelError(
        f"cannot save {where}: {type(v).__module__}.{type(v).__qualname__} has no "
        "model-file codec (framing.model_io.register_codec)."
    )


def decode_value(spec: Any, arrays: dict[int, np.ndarray]) -> Any:
    """Rebuild a value from its spec (see the module docstring); raises ``ValueError``."""
    count = [0]

    def dec(s: Any, depth: int) -> Any:
        count[0] += 1
        if depth > MAX_DEPTH or count[0] > MAX_NODES:
            raise _Bad("the model description is nested too deeply or too large")
        if not isinstance(s, dict) or not s:
            raise _Bad(f"a value spec is not an object: {str(s)[:60]!r}")
        keys = set(s)
        if keys == {"j"}:
            return s["j"]
        if keys in ({"t"}, {"l"}):
            items = s.get("t", s.get("l"))
            if not isinstance(items, list):
                raise _Bad("a list spec does not hold a list")
            out = [dec(x, depth + 1) for x in items]
            return tuple(out) if "t" in keys else out
        if keys == {"d"}:
            if not isinstance(s["d"], dict):
                raise _Bad("a dict spec does not hold an object")
            return {k: dec(x, depth + 1) for k, x in s["d"].items()}
        if keys == {"a"}:
            return arr(s["a"])
        if keys == {"s"} or keys == {"u", "w"}:
            ref = s.get("s", s.get("u"))
            if not (isinstance(ref, list) and len(ref) == 2):
                raise _Bad("a string-array spec does not name two members")
            strings = _unpack_strings(arr(ref[0]), arr(ref[1]))
            if "s" in keys:
                objs = np.empty(len(strings), dtype=object)
                objs[:] = strings
                return objs
            w = s["w"]
            if (
                type(w) is not int
                or not 0 <= w <= 1 << 16
                or len(strings) * max(w, 1) * 4 > MAX_ARRAY_BYTES
                or any(len(x) > w for x in strings)
            ):
                raise _Bad(f"a string array has a bad width {str(w)[:20]!r}")
            return np.array(strings, dtype=f"<U{max(w, 1)}")
        if keys == {"o"}:
            items = s["o"]
            if not isinstance(items, list) or any(isinstance(x, (list, dict)) for x in items):
                raise _Bad("an object-array spec does not hold a list of scalars")
            objs = np.empty(len(items), dtype=object)
            objs[:] = items
            return objs
        if keys == {"n", "v"}:
            try:
                dt = np.dtype(s["n"]) if isinstance(s["n"], str) and len(s["n"]) < 12 else None
            except TypeError:
                dt = None
            if (
                dt is None
                or dt.kind not in _SCALAR_KINDS
                or dt.itemsize > 1024
                or isinstance(s["v"], (list, dict))
            ):
                raise _Bad(f"a scalar has an unsupported dtype {str(s['n'])[:20]!r}")
            return np.array(s["v"], dtype=dt)[()]
        if keys == {"T"}:
            t = _NUMPY_TYPES.get(s["T"]) if isinstance(s["T"], str) else None
            if t is None:
                raise _Bad(f"unknown numpy type {str(s['T'])[:20]!r}")
            return t
        if keys == {"c", "v"}:
            codec = _codec(s["c"])
            if codec is None:
                raise _Bad(f"unknown component {str(s['c'])[:40]!r} (not a known codec)")
            state = dec(s["v"], depth + 1)
            if not isinstance(state, dict):
                raise _Bad(f"component {codec.name!r} is not described by a dict")
            try:
                return codec.load(state)
            except _Bad:
                raise
            except Exception as exc:  # any failure of a codec: a bad file
                msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise _Bad(f"component {codec.name!r}: {msg}") from None
        raise _Bad(f"unknown value spec keys {sorted(keys)[:5]}")

    used: set[int] = set()

    def arr(ref: Any) -> np.ndarray:
        if type(ref) is not int or ref not in arrays:
            raise _Bad(f"reference to a missing array member {str(ref)[:20]!r}")
        if ref in used:
            raise _Bad(f"array member arrays/{ref}.npy is referenced twice")
        used.add(ref)
        return arrays[ref]

    out = dec(spec, 0)
    unused = sorted(set(arrays) - used)
    if unused:
        raise _Bad(f"unknown member arrays/{unused[0]}.npy (not part of the model)")
    return out


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------
def write_model_file(path: str | Path, meta: dict[str, Any], model: Any) -> Path:
    """Write ``model`` (encoded with :func:`encode_value`) and ``meta`` to ``path`` atomically.

    ``meta`` must be JSON-serialisable; ``format``, ``format_version`` and ``model`` are set
    here. The file is written next to ``path`` under a temporary name and renamed.
    """
    path = Path(path)
    arrays: list[np.ndarray] = []
    spec = encode_value(model, arrays)
    doc = {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, **meta, "model": spec}
    try:
        meta_bytes = json.dumps(doc, ensure_ascii=False, allow_nan=True).encode(
            "utf-8", "surrogatepass"
        )
    except (TypeError, ValueError) as exc:
        raise ModelError(
            f"cannot save {path}: metadata is not JSON-serialisable ({exc})."
        ) from None
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            zf.writestr(_META, meta_bytes)
            for i, a in enumerate(arrays):
                with zf.open(f"arrays/{i}.npy", "w", force_zip64=True) as fh:
                    np.lib.format.write_array(fh, np.asarray(a), allow_pickle=False)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def _fail(path: Any, msg: str) -> ModelError:
    return ModelError(f"{path}: {' '.join(msg.split())}.")


def _old_format_message(path: Any, head: bytes) -> str:
    cmd = "framing train DATA --label LABEL -o MODEL"
    try:  # the old JSON header may say how the model was trained
        meta = json.loads(head.split(b"\n", 1)[0][len(_OLD_MAGIC) :].decode("utf-8"))
        labels = [str(x) for x in meta.get("label_specs") or []][:10]
        if isinstance(meta.get("data"), str) and labels:
            cmd = (
                "framing train "
                + meta["data"][:200]
                + "".join(f" --label {x}" for x in labels)
                + f" -o {path}"
            )
    except (ValueError, AttributeError, TypeError, RecursionError):
        pass
    return (
        f"{path} is a model file in the old pickle-based format, which is no longer "
        "loaded because a pickle can run code; retrain the model with the current "
        f"framing, e.g. `{cmd}`"
    )


def _read_npy(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    fmt = np.lib.format
    with zf.open(info) as fh:
        magic = fh.read(fmt.MAGIC_LEN)
        if len(magic) != fmt.MAGIC_LEN or not magic.startswith(fmt.MAGIC_PREFIX):
            raise _Bad(
                f"member {info.filename} is not a .npy array"
                + (" (it holds a nested archive)" if magic[:2] in (b"PK", b"\x1f\x8b") else "")
            )
        major = magic[-2]
        try:
            if major == 1:
                shape, fortran, dtype = fmt.read_array_header_1_0(fh, max_header_size=10000)
            elif major in (2, 3):
                shape, fortran, dtype = fmt.read_array_header_2_0(fh, max_header_size=10000)
            else:
                raise _Bad(f"member {info.filename} has an unknown .npy version {major}")
        except (ValueError, SyntaxError, TypeError) as exc:
            raise _Bad(f"member {info.filename} has a bad .npy header ({exc})") from None
        if (
            dtype.hasobject
            or dtype.kind not in _ALLOWED_KINDS
            or dtype.fields is not None
            or dtype.subdtype is not None
            or dtype.itemsize > 8
        ):
            raise _Bad(
                f"member {info.filename} has dtype {str(dtype)[:40]}: only numeric and "
                "bool arrays are allowed"
            )
        if len(shape) > 8 or any(type(d) is not int or d < 0 for d in shape):
            raise _Bad(f"member {info.filename} has a bad shape {str(shape)[:60]}")
        count = 1
        for d in shape:
            count *= d
        nbytes = count * dtype.itemsize
        header = fh.tell()
        if nbytes > MAX_ARRAY_BYTES:
            raise _Bad(
                f"member {info.filename}: shape {str(shape)[:60]} is {nbytes} bytes, "
                f"more than {MAX_ARRAY_BYTES} an array may have"
            )
        if header + nbytes != info.file_size:
            raise _Bad(
                f"member {info.filename}: shape {str(shape)[:60]} ({nbytes} bytes) does "
                f"not match its stored size ({info.file_size - header} bytes)"
            )
        data = fh.read(nbytes)
        if len(data) != nbytes or fh.read(1):
            raise _Bad(f"member {info.filename} is truncated")
    flat = np.frombuffer(data, dtype=dtype)
    out = flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)
    native = dtype.newbyteorder("=")
    return np.array(out, dtype=native, order="F" if fortran else "C", copy=True)


def _open_archive(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist; train one with `framing train`.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(
            path, f"the file is {size} bytes, more than the {MAX_FILE_BYTES} a model file may have"
        )
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(_OLD_MAGIC):
        raise ModelError(_old_format_message(path, head))
    if not head.startswith(_ZIP_MAGIC):
        raise ModelError(
            f"{path} is not a framing model file (no model archive); create one "
            "with `framing train` or framing.classify.save_model()."
        )
    try:
        return zipfile.ZipFile(path)
    except Exception as exc:  # zipfile raises many types on malformed input: all mean corrupt
        raise _fail(path, f"the model archive is truncated or corrupt ({exc})") from None


def _check_members(path: Path, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _Bad(f"the archive has {len(infos)} members (at most {MAX_MEMBERS})")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if name != _META and not _ARRAY_NAME.match(name):
            raise _Bad(
                f"unexpected member {name[:80]!r} (a model file holds meta.json and "
                "arrays/<n>.npy only)"
            )
        if name in members:
            raise _Bad(f"member {name} appears twice")
        if info.flag_bits & 0x1:
            raise _Bad(f"member {name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Bad(f"member {name} uses an unsupported compression method {info.compress_type}")
        limit = MAX_META_BYTES if name == _META else MAX_ARRAY_BYTES + 10000
        if info.file_size > limit:
            raise _Bad(f"member {name} is {info.file_size} bytes uncompressed (at most {limit})")
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _Bad(
                f"member {name} expands {info.file_size} / {info.compress_size} times "
                f"(more than {MAX_RATIO}: a compression bomb)"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _Bad(f"the members add up to more than {MAX_TOTAL_BYTES} bytes uncompressed")
        members[name] = info
    if _META not in members:
        raise _Bad("no meta.json member")
    return members


def _read_meta(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    with zf.open(info) as fh:
        raw = fh.read(MAX_META_BYTES + 1)
    try:
        meta = json.loads(raw.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError) as exc:
        raise _Bad(f"meta.json is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(meta, dict):
        raise _Bad("meta.json is not a JSON object")
    if meta.get("format") != FORMAT_NAME:
        raise _Bad(f"meta.json does not declare format {FORMAT_NAME!r}")
    version = meta.get("format_version")
    if version != FORMAT_VERSION or type(version) is not int:
        hint = (
            "upgrade framing or retrain"
            if isinstance(version, int) and version > FORMAT_VERSION
            else "retrain the model with `framing train`"
        )
        raise _Bad(
            f"model format version {str(version)[:20]} is not supported (this framing "
            f"reads version {FORMAT_VERSION}); {hint}"
        )
    if "model" not in meta:
        raise _Bad("meta.json has no 'model' description")
    return meta


def read_model_file(path: str | Path, *, load_model: bool = True) -> tuple[dict[str, Any], Any]:
    """Read a model file: ``(metadata, model)``; ``model`` is None with ``load_model=False``.

    The metadata is ``meta.json`` without the ``model`` description. With
    ``load_model=False`` only ``meta.json`` is read (the arrays are checked for size only).

    Raises
    ------
    ModelError
        The file is missing, of the old pickle-based format, or not a valid model file; the
        message names the file and the problem.
    """
    path = Path(path)
    zf = _open_archive(path)
    try:
        with zf:
            members = _check_members(path, zf)
            meta = _read_meta(zf, members[_META])
            spec = meta.pop("model")
            if not load_model:
                return meta, None
            arrays: dict[int, np.ndarray] = {}
            for name, info in members.items():
                if name != _META:
                    arrays[int(name[len("arrays/") : -len(".npy")])] = _read_npy(zf, info)
            model = decode_value(spec, arrays)
    except _Bad as exc:
        raise _fail(path, str(exc)) from None
    except ModelError:
        raise
    except Exception as exc:  # zipfile / zlib / numpy on malformed input: the file is corrupt
        raise _fail(path, f"the model archive is truncated or corrupt ({exc})") from None
    return meta, model


# ---------------------------------------------------------------------------------------------
# codecs of the scikit-learn estimators framing models are made of
# ---------------------------------------------------------------------------------------------
def check_keys(
    state: dict[str, Any], required: AbstractSet[str], optional: AbstractSet[str] = frozenset()
) -> None:
    """Raise ``ValueError`` when ``state`` lacks a ``required`` key or has one that is neither
    required nor ``optional`` (for codecs' ``load``)."""
    unknown = set(state) - required - optional
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)[:5]}")
    missing = required - set(state)
    if missing:
        raise ValueError(f"missing keys {sorted(missing)[:5]}")


def _float_array(a: Any, ndim: int, what: str) -> np.ndarray:
    if type(a) is not np.ndarray or a.dtype != np.float64 or a.ndim != ndim:
        raise ValueError(f"{what} must be a {ndim}-D float64 array")
    return a


def _is_scalar(v: Any) -> bool:
    return v is None or type(v) in (bool, int, float, str)


def _params(
    cls: type, params: Any, checks: dict[str, Callable[[Any], bool]] | None = None
) -> dict[str, Any]:
    """``params`` checked against the parameters of ``cls`` (and ``checks`` per name)."""
    if not isinstance(params, dict):
        raise ValueError("params must be a dict")
    known = cls().get_params(deep=False)
    for k, v in params.items():
        if k not in known:
            raise ValueError(
                f"unknown parameter {k!r} of {cls.__name__} (saved with another "
                "scikit-learn? retrain the model)"
            )
        ok = checks[k](v) if checks and k in checks else _is_scalar(v)
        if not ok:
            raise ValueError(
                f"parameter {k!r} of {cls.__name__} has a disallowed value {str(v)[:40]!r}"
            )
    return params


def _lr_dump(m: Any) -> dict[str, Any]:
    return {
        "params": m.get_params(deep=False),
        "coef": m.coef_,
        "intercept": m.intercept_,
        "classes": m.classes_,
        "n_iter": getattr(m, "n_iter_", None),
        "n_features_in": int(m.n_features_in_),
    }


def _lr_load(state: dict[str, Any]) -> Any:
    from sklearn.linear_model import LogisticRegression

    check_keys(state, {"params", "coef", "intercept", "classes", "n_iter", "n_features_in"})
    m = LogisticRegression(**_params(LogisticRegression, state["params"]))
    coef = _float_array(state["coef"], 2, "coef")
    intercept = _float_array(state["intercept"], 1, "intercept")
    classes = state["classes"]
    n_in = state["n_features_in"]
    n_classes = len(classes) if type(classes) is np.ndarray and classes.ndim == 1 else -1
    if (
        intercept.shape[0] != coef.shape[0]
        or type(n_in) is not int
        or n_in != coef.shape[1]
        or n_classes != (2 if coef.shape[0] == 1 else max(coef.shape[0], 3))
    ):
        raise ValueError("coef, intercept, classes and n_features_in do not agree")
    m.coef_, m.intercept_, m.classes_, m.n_features_in_ = coef, intercept, classes, n_in
    if state["n_iter"] is not None:
        m.n_iter_ = state["n_iter"]
    return m


_TOKEN_PATTERNS = (r"(?u)\b\w\w+\b", r"(?u).+")


def _tfidf_checks() -> dict[str, Callable[[Any], bool]]:
    def one_of(*vals: Any) -> Callable[[Any], bool]:
        return lambda v: any(v is x or (type(v) is str and v == x) for x in vals)

    def num(v: Any) -> bool:
        return type(v) in (int, float)

    def is_bool(v: Any) -> bool:
        return type(v) is bool

    return {
        "analyzer": lambda v: (
            one_of("word", "char", "char_wb")(v)
            or (callable(v) and type(v) in {c.cls for c in _CODECS.values()})
        ),
        "binary": is_bool,
        "lowercase": is_bool,
        "smooth_idf": is_bool,
        "sublinear_tf": is_bool,
        "use_idf": is_bool,
        "decode_error": one_of("strict", "ignore", "replace"),
        "dtype": lambda v: v in (np.float64, np.float32),
        "encoding": lambda v: type(v) is str and len(v) < 40,
        "input": one_of("content"),
        "max_df": num,
        "min_df": num,
        "max_features": lambda v: v is None or type(v) is int,
        "ngram_range": lambda v: (
            isinstance(v, tuple) and len(v) == 2 and all(type(x) is int and 1 <= x <= 50 for x in v)
        ),
        "norm": one_of("l1", "l2", None),
        "preprocessor": one_of(None),
        "tokenizer": one_of(None),
        "vocabulary": one_of(None),
        "stop_words": lambda v: (
            v is None or v == "english" or (isinstance(v, list) and all(type(x) is str for x in v))
        ),
        "strip_accents": one_of(None, "ascii", "unicode"),
        "token_pattern": lambda v: v is None or v in _TOKEN_PATTERNS,
    }


def _tfidf_dump(v: Any) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    params = v.get_params(deep=False)
    _params(TfidfVectorizer, params, _tfidf_checks())
    terms = np.empty(len(v.vocabulary_), dtype=object)
    for term, i in v.vocabulary_.items():
        terms[i] = term
    return {
        "params": params,
        "terms": terms,
        "idf": v.idf_ if getattr(v, "use_idf", True) else None,
    }


def _tfidf_load(state: dict[str, Any]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    check_keys(state, {"params", "terms", "idf"})
    v = TfidfVectorizer(**_params(TfidfVectorizer, state["params"], _tfidf_checks()))
    terms = state["terms"]
    if type(terms) is not np.ndarray or terms.dtype != object or terms.ndim != 1:
        raise ValueError("terms must be an array of str")
    vocab = {t: i for i, t in enumerate(terms.tolist())}
    if len(vocab) != len(terms) or not all(type(t) is str for t in vocab):
        raise ValueError("terms must be distinct strings")
    v.vocabulary_ = vocab
    v.fixed_vocabulary_ = False
    if v.use_idf:
        idf = _float_array(state["idf"], 1, "idf")
        if len(idf) != len(terms):
            raise ValueError(f"idf has {len(idf)} values for {len(terms)} terms")
        v.idf_ = idf
    elif state["idf"] is not None:
        raise ValueError("idf given although use_idf is False")
    return v


def _register_sklearn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    register_codec(
        ModelCodec("sklearn.logistic_regression", LogisticRegression, _lr_dump, _lr_load)
    )
    register_codec(
        ModelCodec("sklearn.tfidf_vectorizer", TfidfVectorizer, _tfidf_dump, _tfidf_load)
    )


_register_sklearn()
