"""Tests of framing.classify on small synthetic data (PTC figures live in the benchmark)."""

from __future__ import annotations

import json
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from framing.classify import (
    EvaluationResult,
    FramingClassifier,
    LexiconFeaturizer,
    evaluate,
    load_model,
    read_model_metadata,
    save_model,
    suggest_terms,
)
from framing.errors import ModelError
from framing.lexicon import Entry, Lexicon, load_lexicon

# --- tiny synthetic corpus: "loaded" sentences use vivid invented words ----------------------
_LOADED = ["vile", "thuggish", "monstrous", "treacherous", "sinister", "barbaric"]
_NEUTRAL = ["committee", "meeting", "budget", "report", "council", "schedule"]


def _corpus(n: int = 120, seed: int = 0) -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    texts, y, groups = [], [], []
    for i in range(n):
        pos = i % 3 == 0
        words = list(rng.choice(_NEUTRAL, size=5))
        if pos:
            words.insert(2, str(rng.choice(_LOADED)))
            words.append("!")
        texts.append("The " + " ".join(words) + ".")
        y.append(int(pos))
        groups.append(f"a{i // 6}")
    return texts, np.array(y), np.array(groups)


ENTRIES = [
    Entry(term="thuggish", lexicon="toy", category="name_calling", stance="x", weight=2.0),
    Entry(term="vile", lexicon="toy", category="emotive_intensifier", stance="x", weight=1.0),
]


def test_classifier_learns_and_thresholds_come_from_internal_cv():
    X, y, g = _corpus()
    clf = FramingClassifier(char_ngrams=None).fit(X, y, groups=g)
    assert clf.classes_.tolist() == [0, 1]
    assert 0 < clf.thresholds_[0] < 1
    assert clf.cv_scores_["1"]["f1"] > 0.95
    Xt, yt, _ = _corpus(60, seed=1)
    assert (clf.predict(Xt) == yt).mean() > 0.95
    P = clf.predict_proba(Xt)
    assert P.shape == (60, 2)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    # calibrated: positives get high, negatives low probabilities
    assert P[yt == 1, 1].mean() > 0.8 and P[yt == 0, 1].mean() < 0.2
    assert clf.decision_function(Xt).shape == (60,)


def test_fixed_threshold_is_used_by_predict():
    X, y, _ = _corpus()
    clf = FramingClassifier(char_ngrams=None, threshold=0.999).fit(X, y)
    assert clf.thresholds_.tolist() == [0.999]
    p = clf.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(clf.predict(X), (p >= 0.999).astype(int))


def test_string_labels_and_multilabel():
    X, y, _ = _corpus()
    ys = np.where(y == 1, "loaded", "plain")
    clf = FramingClassifier(char_ngrams=None).fit(X, ys)
    assert set(clf.predict(X[:6])) <= {"loaded", "plain"}
    assert clf.labels_ == ["plain"]  # positive class is the larger value: "plain" > "loaded"
    excl = np.array(["!" in t for t in X], dtype=int)
    Y = pd.DataFrame({"loaded": y, "excl": excl})
    m = FramingClassifier(word_ngrams=None, char_ngrams=(1, 2)).fit(X, Y)
    assert m.labels_ == ["loaded", "excl"]
    assert m.predict_proba(X).shape == (len(X), 2)
    assert m.predict(X).shape == (len(X), 2)
    assert (m.predict(X)[:, 1] == excl).mean() > 0.95


@pytest.mark.parametrize("bad", ["just one text", b"bytes"])
def test_bare_string_refused(bad):
    X, y, _ = _corpus()
    with pytest.raises(ModelError, match="single string"):
        FramingClassifier().fit(bad, [1])
    clf = FramingClassifier(char_ngrams=None).fit(X, y)
    with pytest.raises(ModelError, match="single string"):
        clf.predict(bad)


def test_parameter_errors_name_the_parameter():
    X, y, _ = _corpus()
    with pytest.raises(ModelError, match="'C' parameter of FramingClassifier"):
        FramingClassifier(C=-1).fit(X, y)
    with pytest.raises(ModelError, match="'threshold'"):
        FramingClassifier(threshold=1.5).fit(X, y)
    with pytest.raises(ModelError, match="two classes"):
        FramingClassifier().fit(X, np.zeros(len(X)))
    with pytest.raises(ModelError, match="item 1 is int"):
        FramingClassifier().fit(["a", 3], [0, 1])
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="call fit"):
        FramingClassifier().predict(["x"])


def test_tuned_C_comes_from_grid():
    X, y, g = _corpus()
    clf = FramingClassifier(C=None, C_grid=(0.1, 10.0), char_ngrams=None).fit(X, y, groups=g)
    assert clf.C_[0] in (0.1, 10.0)


def test_lexicon_featurizer_counts_voice_and_terms():
    f = LexiconFeaturizer(lexicons=ENTRIES)
    text = 'A vile plan, said the mayor: "thuggish and vile people".'
    M = f.fit_transform([text, "nothing here"])
    names = list(f.get_feature_names_out())
    row = dict(zip(names, M.toarray()[0], strict=True))
    # author voice: one "vile"; quote voice: "thuggish" + "vile"
    assert row["count:all|author"] == pytest.approx(np.log1p(1))
    assert row["count:all|quote"] == pytest.approx(np.log1p(2))
    assert row["weight:category=name_calling|quote"] == pytest.approx(np.log1p(2.0))
    assert row["count:category=name_calling|author"] == 0
    assert row["term:toy:thuggish"] == 1 and row["term:toy:vile"] == 1
    assert M[1].nnz == 0
    # clone / pickle round trip gives the same output
    g = pickle.loads(pickle.dumps(f))
    assert (g.transform([text]) != f.transform([text])).nnz == 0
    assert clone(f).get_params() == f.get_params()


def test_lexicon_featurizer_with_bundled_lexicon():
    f = LexiconFeaturizer(lexicons="loaded-language", voice=False).fit(["x"])
    assert f.lexicon_fingerprints_["loaded-language"]
    assert f.lexicon_versions_ == {"loaded-language": load_lexicon("loaded-language").version}
    assert f.lexicon_versions_["loaded-language"] not in ("", None)
    assert all(n.endswith("|all") for n in f.get_feature_names_out() if "|" in n)


def test_explain_lists_lexicon_terms_with_matches():
    X, y, _ = _corpus()
    clf = FramingClassifier(char_ngrams=None, lexicons=ENTRIES).fit(X, y)
    ex = clf.explain("The budget council thuggish report meeting schedule !.", top=5)
    assert list(ex.columns) == ["feature", "kind", "value", "weight", "contribution", "matched"]
    assert len(ex) == 5
    assert ex["contribution"].abs().is_monotonic_decreasing
    assert 0.5 < ex.attrs["probability"] <= 1
    lex = ex[ex["kind"] == "lexicon"]
    assert len(lex) >= 1
    assert (lex["matched"] == "thuggish").all()
    assert (ex.loc[ex["kind"] != "lexicon", "matched"] == "").all()
    full = clf.explain("The budget council thuggish report meeting schedule !.", top=1000)
    assert "word:thuggish" in set(full["feature"])
    assert full.loc[full["feature"] == "term:toy:thuggish", "matched"].tolist() == ["thuggish"]


def test_evaluate_grouped_cv():
    X, y, g = _corpus()
    res = evaluate(X, y, groups=g, cv=3, model=FramingClassifier(char_ngrams=None))
    assert isinstance(res, EvaluationResult)
    s = res.summary["1"]
    assert s["f1"] > 0.9 and s["pr_auc"] > 0.9
    folds = res.metrics[res.metrics["fold"] >= 0]
    assert len(folds) == 3
    assert (folds[["tp", "fp", "fn", "tn"]].sum(axis=1) == folds["n"]).all()
    assert folds["n"].sum() == len(X)
    assert res.summary["grouped"] is True
    assert '"macro_f1"' in res.to_json()
    assert len(res.curves["1"]["precision"]) == len(res.curves["1"]["recall"])
    # no article in two test folds
    per_group = pd.Series(res.oof["fold"].to_numpy()).groupby(g).nunique()
    assert per_group.max() == 1


def test_save_load_roundtrip_and_refuses_old_pickle_files(tmp_path):
    X, y, _ = _corpus()
    clf = FramingClassifier(lexicons=ENTRIES).fit(X, y)  # char n-grams: custom analyzer
    path = save_model(clf, tmp_path / "m.framing-model", training_texts=X, metrics={"f1": 0.9})
    meta = read_model_metadata(path)
    assert meta["labels"] == ["1"] and meta["training_data"]["n"] == len(X)
    assert meta["versions"]["scikit-learn"]
    assert meta["format"] == "framing-model" and meta["format_version"] == 2
    assert meta["params"]["char_ngrams"] == [2, 5] and meta["metrics"] == {"f1": 0.9}
    back = load_model(path)
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.metadata_ == meta
    # the file is data only: a zip of meta.json and .npy arrays, no pickle anywhere
    import zipfile

    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == "meta.json" and all(n.startswith("arrays/") for n in names[1:])
        assert not any(b"pickle" in zf.read(n)[:200] for n in names[1:])
    # a file of the old pickle-based format is refused with the way to retrain
    old = tmp_path / "old.framing-model"
    old.write_bytes(
        b"FRAMING-MODEL "
        + json.dumps({"format": 1, "data": "train.csv", "label_specs": ["loaded"]}).encode()
        + b"\n"
        + pickle.dumps({"a": 1})
    )
    with pytest.raises(ModelError, match="old pickle-based format") as err:
        load_model(old)
    assert "framing train train.csv --label loaded -o " in str(err.value)
    with pytest.raises(ModelError, match="not a framing model"):
        (tmp_path / "x").write_bytes(b"junk\n")
        load_model(tmp_path / "x")
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "missing.framing-model")


def _kind_model(kind: str):
    X, y, g = _corpus()
    if kind == "binary-bundled-lexicon":
        return FramingClassifier(lexicons="loaded-language").fit(X, y), X
    if kind == "multilabel":
        Y = pd.DataFrame({"loaded": y, "excl": np.array(["!" in t for t in X], dtype=int)})
        return FramingClassifier(lexicons=ENTRIES, char_ngrams=(1, 2)).fit(X, Y), X
    if kind == "string-labels-tuned-C":
        return FramingClassifier(char_ngrams=None, lexicons=False, C=None, C_grid=(0.1, 10.0)).fit(
            X, np.where(y == 1, "loaded", "plain"), groups=g
        ), X
    df = _context_docs(80, seed=3)
    return FramingClassifier(lexicons=ENTRIES, context=True).fit(
        df, df["y"], groups=df["doc_id"]
    ), _context_docs(10, seed=5)


@pytest.mark.parametrize(
    "kind",
    ["binary-bundled-lexicon", "multilabel", "string-labels-tuned-C", "context", "no-lexicons"],
)
def test_model_file_predicts_bit_identically_for_every_model_kind(tmp_path, kind):
    if kind == "no-lexicons":
        X, y, _ = _corpus()
        clf = FramingClassifier(lexicons=False).fit(X, y)
    else:
        clf, X = _kind_model(kind)
    back = load_model(save_model(clf, tmp_path / "m.framing-model"))
    # exactly the same numbers, not merely close ones
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(back.decision_function(X), clf.decision_function(X))
    np.testing.assert_array_equal(back.predict(X), clf.predict(X))
    assert back.predict(X).dtype == clf.predict(X).dtype
    assert back.get_params() == clf.get_params()
    text = X["text"].iloc[0] if isinstance(X, pd.DataFrame) else X[0]
    pd.testing.assert_frame_equal(back.explain(text), clf.explain(text))
    # a loaded model saves again to the same model description and the same arrays
    import zipfile

    first, again = (
        zipfile.ZipFile(save_model(m, tmp_path / f"{i}.framing-model"))
        for i, m in enumerate((clf, back))
    )
    assert first.namelist() == again.namelist()
    for name in first.namelist():
        a, b = first.read(name), again.read(name)
        if name == "meta.json":
            a, b = ({k: v for k, v in json.loads(x).items() if k != "created"} for x in (a, b))
        assert a == b, name


def test_version_mismatch_warns(tmp_path):
    X, y, _ = _corpus()
    clf = FramingClassifier(char_ngrams=None).fit(X, y)
    path = save_model(clf, tmp_path / "m")
    _edit_header(path, lambda m: m["versions"].update(framing="0.0.0-old"))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        load_model(path)
    assert any("0.0.0-old" in str(x.message) for x in w)


def _edit_header(path, edit) -> None:
    """Rewrite the model file's meta.json through ``edit(meta)``."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    meta = json.loads(members["meta.json"])
    edit(meta)
    members["meta.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)


def _lexicon_warnings(path) -> list[str]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        load_model(path)
    return [str(x.message) for x in w if "lexicon" in str(x.message)]


def test_model_metadata_records_lexicon_version_and_warns_on_drift(tmp_path):
    from framing.lexicon import load_lexicon

    X, y, _ = _corpus(60)
    lex = load_lexicon("loaded-language")
    clf = FramingClassifier(lexicons="loaded-language", char_ngrams=None).fit(X, y)
    path = save_model(clf, tmp_path / "m.framing-model")
    assert read_model_metadata(path)["lexicons"] == {
        "loaded-language": {"version": lex.version, "fingerprint": lex.fingerprint}
    }
    assert _lexicon_warnings(path) == []  # same installed lexicon: silent
    # the installed lexicon of that name changed since training: warn, naming it
    _edit_header(
        path, lambda m: m["lexicons"]["loaded-language"].update(fingerprint="0" * 64, version="0.9")
    )
    (msg,) = _lexicon_warnings(path)
    assert (
        "lexicon 'loaded-language' (v0.9, fingerprint 000000000000; installed "
        f"v{lex.version}, fingerprint {lex.fingerprint[:12]})" in msg
    )
    assert "retrain the model" in msg and str(path) in msg
    # older metadata ({name: fingerprint}) still loads, and is compared the same way
    _edit_header(path, lambda m: m.update(lexicons={"loaded-language": lex.fingerprint}))
    assert _lexicon_warnings(path) == []
    _edit_header(path, lambda m: m.update(lexicons={"loaded-language": "f" * 64}))
    (msg,) = _lexicon_warnings(path)
    assert "lexicon 'loaded-language' (fingerprint ffffffffffff; installed" in msg
    # a lexicon that is not installed (a user YAML file) has nothing to compare with
    _edit_header(
        path, lambda m: m.update(lexicons={"my-own": {"version": "3", "fingerprint": "ab"}})
    )
    assert _lexicon_warnings(path) == []
    np.testing.assert_allclose(load_model(path).predict_proba(X), clf.predict_proba(X))


def test_model_metadata_of_entry_list_and_old_featurizer(tmp_path):
    X, y, _ = _corpus(60)
    clf = FramingClassifier(lexicons=ENTRIES, char_ngrams=None).fit(X, y)
    assert read_model_metadata(save_model(clf, tmp_path / "a"))["lexicons"] == {}
    # a featurizer pickled before lexicon versions were recorded has no lexicon_versions_
    clf = FramingClassifier(lexicons="epistemic", char_ngrams=None).fit(X, y)
    lexf = next(v for k, v in clf.vectorizers_ if k == "lex")
    del lexf.lexicon_versions_
    meta = read_model_metadata(save_model(clf, tmp_path / "b"))
    assert meta["lexicons"]["epistemic"]["version"] is None
    assert len(meta["lexicons"]["epistemic"]["fingerprint"]) == 64


def test_suggest_terms_ranks_loaded_words_and_skips_lexicon_terms():
    X, y, _ = _corpus(240)
    df = suggest_terms(X, y, lexicons=ENTRIES, top=10, min_count=3)
    terms = set(df["term"])
    assert terms & {"monstrous", "treacherous", "sinister", "barbaric"}
    assert "thuggish" not in terms and "vile" not in terms
    assert not terms & set(_NEUTRAL)
    assert "entries:" in df.attrs["yaml"]


# --- scikit-learn estimator checks ---------------------------------------------------------
# The estimators take TEXTS (a list of str): their tags say input_tags.string=True and
# two_d_array=False, so scikit-learn 1.9's check_estimator runs only check_estimator_cloneable
# (test_sklearn_estimator_checks, below) and skips every other check, since they feed 2-D
# float arrays. Each skipped check and the test here that replaces it on text input:
#   check_estimator_tags_renamed, check_valid_tag_types  -> test_sklearn_conventions (tags)
#   check_estimator_repr                                   -> test_sklearn_conventions (repr)
#   check_parameters_default_constructible                 -> test_sklearn_conventions
#   check_no_attributes_set_in_init                        -> test_sklearn_conventions
#   check_get_params_invariance, check_set_params          -> test_sklearn_conventions
#   check_do_not_raise_errors_in_init_or_set_params        -> test_sklearn_conventions
#       (set_params accepts anything) + test_parameter_errors_name_the_parameter (fit checks)
#   check_fit_score_takes_y, check_estimators_fit_returns_self -> test_sklearn_conventions
#   check_estimators_overwrite_params, check_dont_overwrite_parameters
#                                                          -> test_sklearn_conventions
#   check_estimators_unfitted, check_fit_check_is_fitted, check_transformers_unfitted
#                                                          -> test_sklearn_conventions
#   check_n_features_in, check_n_features_in_after_fitting -> test_sklearn_conventions
#       (n_features_in_ == 1: one text per row)
#   check_mixin_order                                      -> test_sklearn_conventions (MRO)
#   check_estimators_pickle                                -> test_sklearn_conventions,
#       test_save_load_roundtrip_and_refuses_code, test_restricted_loader_loads_every_model_kind
#   check_fit_idempotent, check_dict_unchanged             -> test_sklearn_conventions
#       (__dict__ compared after a first call: the matcher is built lazily)
#   check_methods_sample_order_invariance, check_methods_subset_invariance
#                                                          -> test_sklearn_conventions
#   check_decision_proba_consistency                       -> test_sklearn_conventions
#   check_classifiers_train                -> test_classifier_learns_and_thresholds_come_from_...
#   check_classifiers_classes, check_supervised_y_2d       -> test_string_labels_and_multilabel
#   check_classifiers_one_label, check_classifiers_regression_target, check_requires_y_none
#                                                          -> test_parameter_errors_name_the_...
#   check_transformer_general, check_transformer_data_not_an_array
#       -> test_lexicon_featurizer_counts_voice_and_terms + test_sklearn_conventions
#          (fit_transform equals fit then transform)
# Not replaced, because they only make sense for numeric feature matrices or for options
# these estimators do not have: check_estimators_dtypes, check_dtype_object,
# check_complex_data, check_estimators_nan_inf, check_estimators_empty_data_messages,
# check_fit1d, check_fit2d_1sample, check_fit2d_1feature, check_fit2d_predict1d,
# check_readonly_memmap_input, check_f_contiguous_array_estimator, check_estimator_sparse_tag,
# check_estimator_sparse_array, check_estimator_sparse_matrix, check_positive_only_tag_during_fit,
# check_array_api_input, check_array_api_mixed_inputs, check_array_api_same_namespace,
# check_classifier_data_not_an_array, check_pipeline_consistency, check_supervised_y_no_nan,
# check_sample_weights_* / check_sample_weight_equivalence_* / check_all_zero_sample_weights_error
# (no sample_weight), check_class_weight_classifiers, check_class_weight_balanced_linear_classifier,
# check_sparsify_coefficients, check_estimators_partial_fit_n_features (no partial_fit),
# check_non_transformer_estimators_n_iter, check_transformer_n_iter,
# check_transformer_preserve_dtypes.
@pytest.mark.parametrize(
    "est", [FramingClassifier(char_ngrams=None), LexiconFeaturizer(lexicons=ENTRIES)]
)
def test_sklearn_conventions(est):
    import inspect

    from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
    from sklearn.exceptions import NotFittedError

    est = clone(est)  # the parametrised instance is shared between runs
    params = est.get_params()
    assert type(est)().get_params().keys() == params.keys()  # default-constructible
    assert repr(est).startswith(type(est).__name__ + "(")
    assert clone(est).get_params() == params
    shallow = est.get_params(deep=False)
    assert all(params[k] is v for k, v in shallow.items())
    assert est.set_params(**params) is est and est.get_params() == params
    assert not [k for k in vars(est) if k.endswith("_")]
    mixin = ClassifierMixin if hasattr(est, "predict") else TransformerMixin
    mro = type(est).__mro__
    assert mro.index(mixin) < mro.index(BaseEstimator)
    assert "y" in inspect.signature(est.fit).parameters
    tags = est.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    X, y, _ = _corpus(60)
    out_fn = (
        (lambda e, X: e.predict_proba(X))
        if hasattr(est, "predict_proba")
        else (lambda e, X: e.transform(X).toarray())
    )
    with pytest.raises(NotFittedError):
        (est.predict if hasattr(est, "predict") else est.transform)(X)
    assert est.fit(X, y) is est
    assert est.get_params() == params  # fit does not change the parameters
    assert est.n_features_in_ == 1
    out = out_fn(est, X)
    state = {k: v for k, v in vars(est).items()}
    out_fn(est, X[:7])
    assert vars(est).keys() == state.keys() and all(vars(est)[k] is v for k, v in state.items())
    # per-text outputs: independent of the order and of the other texts in the batch
    perm = np.random.default_rng(0).permutation(len(X))
    np.testing.assert_allclose(out_fn(est, [X[i] for i in perm]), out[perm])
    np.testing.assert_allclose(out_fn(est, X[10:20]), out[10:20])
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_allclose(out_fn(again, X), out)
    # idempotent fit, with check_fit_idempotent's tolerance (lbfgs ends within ~1e-9)
    np.testing.assert_allclose(out_fn(clone(est).fit(X, y), X), out, rtol=1e-9, atol=1e-7)
    if hasattr(est, "decision_function"):  # ranking of decision_function == of probabilities
        d, p = est.decision_function(X), out[:, 1]
        order = np.argsort(d, kind="stable")
        assert (np.diff(p[order]) >= -1e-12).all()
    else:
        np.testing.assert_allclose(clone(est).fit_transform(X, y).toarray(), out)


# --- span corpora and CLI ------------------------------------------------------------------
def _write_span_corpus(folder):
    text = "The council met today.\nThe vile thuggish plan failed!\n\nBudget report due.\n"
    (folder / "article7.txt").write_text(text, encoding="utf-8")
    a = text.index("vile")
    (folder / "article7.task-flc-tc.labels").write_text(
        f"7\tLoaded_Language\t{a}\t{a + 4}\n7\tName_Calling,Labeling\t{a + 5}\t{a + 13}\n",
        encoding="utf-8",
    )
    return text


def test_read_span_corpus_ptc_txt_layout(tmp_path):
    from framing.datasets import read_span_corpus

    text = _write_span_corpus(tmp_path)
    s = read_span_corpus(tmp_path)
    assert s["text"].tolist() == [
        "The council met today.",
        "The vile thuggish plan failed!",
        "Budget report due.",
    ]
    assert s["techniques"].tolist() == ["", "Loaded_Language|Name_Calling,Labeling", ""]
    assert s["Loaded_Language"].tolist() == [0, 1, 0]
    assert s["n_techniques"].tolist() == [0, 2, 0]
    r = s.iloc[1]
    assert text[r["start"] : r["end"]] == r["text"] and r["doc_id"] == "7"


def test_read_span_corpus_parquet_layout(tmp_path):
    from framing.datasets import read_span_corpus

    pd.DataFrame({"article_id": ["a"], "text": ["One.\nTwo bad.\n"]}).to_parquet(
        tmp_path / "articles.parquet"
    )
    pd.DataFrame(
        {"article_id": ["a"], "technique": ["Doubt"], "start": [5], "end": [8], "span": ["Two"]}
    ).to_parquet(tmp_path / "spans.parquet")
    s = read_span_corpus(tmp_path)
    assert s["Doubt"].tolist() == [0, 1]
    from framing.errors import CorpusError

    with pytest.raises(CorpusError, match="neither articles.parquet"):
        read_span_corpus(_empty(tmp_path))


def _empty(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    return d


def test_cli_train_evaluate_predict_suggest(tmp_path):
    from click.testing import CliRunner

    from framing.cli import cli

    X, y, g = _corpus()
    data = tmp_path / "train.csv"
    pd.DataFrame({"text": X, "loaded": y, "article": g}).to_csv(data, index=False)
    run = CliRunner()
    model = tmp_path / "m.framing-model"
    r = run.invoke(
        cli,
        [
            "train",
            str(data),
            "--label",
            "loaded",
            "--group-column",
            "article",
            "--no-lexicons",
            "-o",
            str(model),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "internal-CV F1" in r.output and model.is_file()
    out = tmp_path / "pred.csv"
    r = run.invoke(cli, ["predict", str(data), "--model", str(model), "-o", str(out)])
    assert r.exit_code == 0, r.output
    pred = pd.read_csv(out)
    assert (pred["pred_loaded"] == pred["loaded"]).mean() > 0.95
    js = tmp_path / "ev.json"
    r = run.invoke(
        cli,
        [
            "evaluate",
            str(data),
            "--label",
            "loaded",
            "--group-column",
            "article",
            "--cv",
            "3",
            "--no-lexicons",
            "--json",
            str(js),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "macro-F1" in r.output and "grouped" in r.output
    assert js.is_file()
    r = run.invoke(cli, ["suggest-terms", str(data), "--label", "loaded", "--top", "5"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# candidates ranked by score: ") and "\nentries:\n" in r.output
    r = run.invoke(cli, ["train", str(data), "--label", "nope", "-o", str(model)])
    assert r.exit_code == 2 and "unknown label 'nope'" in r.output


def _write_table(df: pd.DataFrame, path) -> None:
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    elif path.suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True)
    else:
        df.to_csv(path, index=False)


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_cli_train_and_predict_read_every_table_format(tmp_path, ext):
    from click.testing import CliRunner

    from framing.cli import cli

    X, y, g = _corpus(60)
    data = tmp_path / f"train{ext}"
    _write_table(pd.DataFrame({"text": X, "loaded": y, "article": g}), data)
    run = CliRunner()
    model = tmp_path / "m.framing-model"
    r = run.invoke(
        cli,
        [
            "train",
            str(data),
            "--label",
            "loaded",
            "--group-column",
            "article",
            "--no-lexicons",
            "-o",
            str(model),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "wrote" in r.output and "(60 texts" in r.output
    meta = read_model_metadata(model)
    assert meta["data"] == str(data) and meta["training_data"]["n"] == 60
    out = tmp_path / f"pred{ext}"
    r = run.invoke(cli, ["predict", str(data), "--model", str(model), "-o", str(out)])
    assert r.exit_code == 0, r.output
    from framing.classify import read_labelled

    pred = read_labelled(out)
    assert len(pred) == 60
    assert (pred["pred_loaded"].to_numpy() == y).mean() > 0.95


def test_cli_evaluate_writes_pr_curve_png(tmp_path):
    from click.testing import CliRunner

    from framing.cli import cli

    X, y, g = _corpus(60)
    data = tmp_path / "train.csv"
    pd.DataFrame({"text": X, "loaded": y, "article": g}).to_csv(data, index=False)
    png = tmp_path / "pr.png"
    r = CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(data),
            "--label",
            "loaded",
            "--group-column",
            "article",
            "--cv",
            "3",
            "--no-lexicons",
            "--pr-curve",
            str(png),
        ],
    )
    assert r.exit_code == 0, r.output
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 100 and height > 100


def test_default_classifier_on_plain_list_of_strings():
    """Every parameter at its default (bundled lexicons, word and character n-grams, internal
    CV thresholds) on a plain list of str."""
    X, y, _ = _corpus(60)
    assert isinstance(X, list) and all(isinstance(t, str) for t in X)
    clf = FramingClassifier().fit(X, list(y))
    assert clf.labels_ == ["1"] and clf.classes_.tolist() == [0, 1]
    assert [k for k, _ in clf.vectorizers_] == ["word", "char", "lex"]
    lex = dict(clf.vectorizers_)["lex"]
    from framing.lexicon import list_lexicons

    assert set(lex.lexicon_fingerprints_) == set(list_lexicons())  # None = every bundled one
    Xt, yt, _ = _corpus(30, seed=7)
    assert (clf.predict(Xt) == yt).mean() > 0.9
    P = clf.predict_proba(Xt)
    assert P.shape == (30, 2) and ((P >= 0) & (P <= 1)).all()


def test_fit_does_not_depend_on_the_global_random_state():
    X, y, _ = _corpus(60)
    probs = []
    for seed in (1, 2):
        np.random.seed(seed)  # noqa: NPY002 - liblinear seeds from the legacy global state
        clf = FramingClassifier(char_ngrams=None, C=None).fit(X, list(y))
        probs.append(clf.predict_proba(X))
    assert np.array_equal(probs[0], probs[1])


# With input_tags.string=True and two_d_array=False, scikit-learn itself skips its numeric
# checks: only check_estimator_cloneable remains and runs here; the list of the skipped checks
# and their text-input replacements is above test_sklearn_conventions.
with warnings.catch_warnings():  # the SkipTestWarning naming the string input tag, above
    warnings.simplefilter("ignore")
    _checks = parametrize_with_checks(
        [FramingClassifier(char_ngrams=None, lexicons=False), LexiconFeaturizer(lexicons=[])]
    )


@_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _context_docs(n_docs: int, seed: int) -> pd.DataFrame:
    """Two-sentence documents whose SECOND sentence is positive when the FIRST has a loaded
    word: only features of the neighbouring sentence can learn the label."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        cue = d % 2 == 0
        first = "The " + str(rng.choice(_LOADED if cue else _NEUTRAL)) + " came first."
        rows += [(f"s{seed}d{d}", first, 0), (f"s{seed}d{d}", "Then the committee met.", int(cue))]
    return pd.DataFrame(rows, columns=["doc_id", "text", "y"])


def test_context_features_use_neighbouring_sentences():
    df = _context_docs(80, seed=3)  # the two stages need enough documents for inner CV
    new = _context_docs(20, seed=4)  # unseen documents
    flat = FramingClassifier(lexicons=False, char_ngrams=None).fit(df, df["y"])
    ctx = FramingClassifier(lexicons=False, char_ngrams=None, context=True).fit(
        df, df["y"], groups=df["doc_id"]
    )
    second = new.iloc[1::2]
    assert (ctx.predict(new)[1::2] == second["y"]).mean() > 0.95
    assert (flat.predict(new)[1::2] == second["y"]).mean() <= 0.6
    assert any(n.startswith("context:") for n in ctx._feature_names())
    # the second stage is fitted per label and gives calibrated probabilities directly
    assert ctx.stackers_[0] is not None and flat.stackers_[0] is None
    assert ctx.calibration_.tolist() == [[1.0, 0.0]]
    P = ctx.predict_proba(new)[:, 1]
    assert P[1::2][second["y"].to_numpy() == 1].mean() > 0.7
    assert P[1::2][second["y"].to_numpy() == 0].mean() < 0.3


def test_stacked_second_stage_uses_document_scores():
    from framing.classify import _STACK_NAMES, _repetition, _stack_matrix

    texts = [
        "Alpha beta gamma delta.",
        "Alpha beta gamma delta again.",
        "Other words here.",
        "Single sentence document.",
    ]
    docs = np.array(["a", "a", "a", "b"])
    clf = FramingClassifier(context=True)
    c = clf._stack_inputs(texts, docs)
    s = np.array([1.0, 2.0, 3.0, 5.0])
    M = _stack_matrix(s, c)
    assert M.shape == (4, len(_STACK_NAMES))
    col = {n: M[:, i] for i, n in enumerate(_STACK_NAMES)}
    np.testing.assert_allclose(col["stack:doc_mean_others"], [2.5, 2.0, 1.5, 0.0])
    np.testing.assert_allclose(col["stack:doc_max"], [3, 3, 3, 5])
    # neighbours within the document; a missing neighbour takes the document mean
    np.testing.assert_allclose(col["stack:prev"], [2.0, 1.0, 2.0, 5.0])
    np.testing.assert_allclose(col["stack:next"], [2.0, 3.0, 2.0, 5.0])
    np.testing.assert_allclose(col["stack:prev2"], [2.0, 2.0, 1.0, 5.0])
    np.testing.assert_allclose(col["stack:relative_position"], [0, 0.5, 1, 0])
    # repetition: all 4 long words of sentence 0 recur in sentence 1; 4 of 5 the other way
    np.testing.assert_allclose(_repetition(texts, c["inv"]), [1.0, 0.8, 0.0, 0.0])


def test_stacked_model_clone_pickle_and_save_load(tmp_path):
    df = _context_docs(80, seed=3)
    clf = FramingClassifier(lexicons=ENTRIES, context=True)
    assert clone(clf).get_params() == clf.get_params()
    clf.fit(df, df["y"], groups=df["doc_id"])
    new = _context_docs(10, seed=5)
    P = clf.predict_proba(new)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(clf)).predict_proba(new), P)
    path = save_model(clf, tmp_path / "ctx.framing-model")
    back = load_model(path)
    np.testing.assert_array_equal(back.predict_proba(new), P)
    np.testing.assert_array_equal(back.predict(new), clf.predict(new))
    assert read_model_metadata(path)["params"]["context"] is True
    # the decision function is the second stage's logit: predict_proba is its sigmoid
    np.testing.assert_allclose(1 / (1 + np.exp(-clf.decision_function(new))), P[:, 1])


# --- the unit a model was trained on: sentences or documents ---------------------------------
def test_training_unit_is_inferred_and_recorded(tmp_path):
    from framing.classify import training_unit

    X, y, g = _corpus(60)
    articles = [" ".join(X[i : i + 6]) for i in range(0, 60, 6)]
    assert training_unit(X) == "sentence"
    assert training_unit(articles) == "document"
    assert training_unit(pd.DataFrame({"text": articles, "sent_id": 0})) == "sentence"
    assert training_unit(articles, context=True) == "sentence"
    clf = FramingClassifier(char_ngrams=None, lexicons=False).fit(X, y)
    assert clf.unit_ == "sentence"
    arts = _articles(40, seed=2)
    doc = FramingClassifier(char_ngrams=None, lexicons=False).fit(
        arts, [int(any(w in a for w in _LOADED)) for a in arts]
    )
    assert doc.unit_ == "document"
    forced = clone(clf).fit(X, y, unit="document")
    assert forced.unit_ == "document"
    with pytest.raises(ModelError, match="must be 'sentence' or 'document'. Got 'word'"):
        clone(clf).fit(X, y, unit="word")
    path = save_model(doc, tmp_path / "doc.framing-model")
    assert read_model_metadata(path)["unit"] == "document"
    assert load_model(path).unit_ == "document"


def _articles(n_docs: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_docs):
        sents = []
        for k in range(int(rng.integers(3, 8))):
            words = list(rng.choice(_NEUTRAL, size=5))
            if k == 0 and rng.random() < 0.6:
                words.insert(2, str(rng.choice(_LOADED)))
            sents.append("The " + " ".join(words) + ".")
        out.append(" ".join(sents))
    return out


def test_cli_predict_applies_a_sentence_model_per_sentence_and_aggregates(tmp_path):
    from click.testing import CliRunner

    from framing.cli import cli
    from framing.segment import sentence_spans

    X, y, g = _corpus(120)
    train = tmp_path / "train.csv"
    pd.DataFrame({"text": X, "loaded": y, "article": g}).to_csv(train, index=False)
    model = tmp_path / "m.framing-model"
    run = CliRunner()
    r = run.invoke(
        cli,
        [
            "train",
            str(train),
            "--label",
            "loaded",
            "--group-column",
            "article",
            "--no-lexicons",
            "-o",
            str(model),
        ],
    )
    assert r.exit_code == 0, r.output
    assert read_model_metadata(model)["unit"] == "sentence"
    articles = _articles(12, seed=4) + [""]
    data = tmp_path / "articles.csv"
    pd.DataFrame({"id": range(len(articles)), "text": articles}).to_csv(data, index=False)
    out = tmp_path / "pred.csv"
    r = run.invoke(cli, ["predict", str(data), "--model", str(model), "-o", str(out)])
    assert r.exit_code == 0, r.output
    pred = pd.read_csv(out)
    assert len(pred) == len(articles)
    clf = load_model(model)
    thr = clf.thresholds_[0]
    for i, text in enumerate(articles[:-1]):
        sents = [text[a:b] for a, b in sentence_spans(text)]
        p = clf.predict_proba(sents)[:, 1]
        row = pred.iloc[i]
        assert row["n_sentences"] == len(sents) >= 3
        assert row["p_loaded"] == pytest.approx(p.mean(), abs=1e-12)
        assert row["max_p_loaded"] == pytest.approx(p.max(), abs=1e-12)
        assert row["share_loaded"] == pytest.approx((p >= thr).mean(), abs=1e-12)
        assert row["pred_loaded"] == int((p >= thr).any())
    # an article with one loaded sentence in five: a share, not a whole-document "yes"
    raw = clf.predict_proba(articles[:-1])[:, 1]
    assert not np.allclose(pred["p_loaded"].iloc[:-1], raw)
    assert pred["share_loaded"].iloc[:-1].max() <= 0.5
    empty = pred.iloc[-1]
    assert empty["n_sentences"] == 0 and empty["pred_loaded"] == 0
    assert np.isnan(empty["p_loaded"]) and np.isnan(empty["max_p_loaded"])
    # the other unit is refused unless forced
    out2 = tmp_path / "pred2.csv"
    r = run.invoke(
        cli, ["predict", str(data), "--model", str(model), "-o", str(out2), "--level", "document"]
    )
    assert r.exit_code == 2 and not out2.exists()
    assert r.output.count("\n") == 1 and "trained on sentences; level 'document'" in r.output
    r = run.invoke(
        cli,
        [
            "predict",
            str(data),
            "--model",
            str(model),
            "-o",
            str(out2),
            "--level",
            "document",
            "--force-level",
        ],
    )
    assert r.exit_code == 0, r.output
    forced = pd.read_csv(out2)
    np.testing.assert_allclose(forced["p_loaded"].iloc[:-1], raw, rtol=0, atol=1e-12)
    assert "n_sentences" not in forced.columns


def test_document_model_is_refused_by_score_unless_told(tmp_path):
    import framing as fr
    from framing.classify import predict_table

    articles = _articles(40, seed=2)
    labels = [int(any(w in a for w in _LOADED)) for a in articles]
    doc = FramingClassifier(char_ngrams=None, lexicons=False).fit(articles, labels)
    assert doc.unit_ == "document"
    path = save_model(doc, tmp_path / "doc.framing-model")
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": articles[:2]})
    with pytest.raises(ModelError, match="trained on whole documents") as err:
        fr.score(docs, lexicons="loaded-language", model=path)
    assert str(path) in str(err.value)
    with pytest.raises(ModelError, match="trained on whole documents"):
        fr.score(docs, lexicons="loaded-language", model=doc)
    # predict_table applies it to whole documents by default, and to sentences when forced
    table = predict_table(doc, docs)
    np.testing.assert_array_equal(table["p_1"], doc.predict_proba(articles[:2])[:, 1])
    with pytest.raises(ModelError, match="trained on documents; level 'sentence'"):
        predict_table(doc, docs, level="sentence")
    assert "max_p_1" in predict_table(doc, docs, level="sentence", force_level=True)
    doc.unit_ = "sentence"  # told: apply it to sentences anyway
    scores = fr.score(docs, lexicons="loaded-language", model=doc)
    assert "p_1" in scores.sentences.columns


# a gated entry (kept only with a cue of its domain in the same sentence) overlapping an
# ungated, more general one: the stretch of a dropped gated match is matched again ungated
GATED = [
    Entry(
        term="harsh crackdown",
        lexicon="toydomain",
        category="name_calling",
        stance="x",
        weight=2.0,
        context=("harbour", "port authority"),
        context_scope="sentence",
    ),
    Entry(
        term="crackdown",
        lexicon="toygeneral",
        category="emotive_intensifier",
        stance="y",
        weight=1.0,
    ),
]


def test_lexicon_featurizer_applies_the_context_gate_like_score():
    from framing.scoring import score

    texts = [
        "The harbour saw a harsh crackdown on Monday.",  # cue: gated entry kept
        "The city saw a harsh crackdown on Monday.",  # no cue: general entry instead
        "Nothing to see here.",
    ]
    f = LexiconFeaturizer(lexicons=GATED, voice=False).fit(texts)
    got = [[t for _, t in f.matched_terms(x)] for x in texts]
    assert got == [["harsh crackdown"], ["crackdown"], []]
    # the same matches as score() keeps
    lex = Lexicon("toy", entries=GATED)
    m = score(pd.DataFrame({"doc_id": ["a", "b", "c"], "text": texts}), lexicons=lex).matches
    assert [m[m["doc_id"] == d]["term"].tolist() for d in "abc"] == got
    M = f.transform(texts).toarray()
    col = {n: i for i, n in enumerate(f.get_feature_names_out())}
    assert M[0, col["term:toydomain:harsh crackdown"]] == 1
    assert M[1, col["term:toydomain:harsh crackdown"]] == 0
    assert M[1, col["term:toygeneral:crackdown"]] == 1
    assert M[1, col["weight:category=name_calling|all"]] == 0
    assert M[1, col["weight:category=emotive_intensifier|all"]] == pytest.approx(np.log1p(1.0))
    # the gate survives a pickle round trip and a saved model file
    g = pickle.loads(pickle.dumps(f))
    assert (g.transform(texts) != f.transform(texts)).nnz == 0
