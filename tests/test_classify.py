"""Tests of framing.classify on small synthetic data (PTC figures live in the benchmark)."""

from __future__ import annotations

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
from framing.lexicon import Entry

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


def test_save_load_roundtrip_and_refuses_code(tmp_path):
    X, y, _ = _corpus()
    clf = FramingClassifier(lexicons=ENTRIES).fit(X, y)  # char n-grams: custom analyzer
    path = save_model(clf, tmp_path / "m.framing-model", training_texts=X,
                      metrics={"f1": 0.9})
    meta = read_model_metadata(path)
    assert meta["labels"] == ["1"] and meta["training_data"]["n"] == len(X)
    assert meta["versions"]["scikit-learn"]
    back = load_model(path)
    np.testing.assert_allclose(back.predict_proba(X), clf.predict_proba(X))
    # a pickle that would call os.system is refused, not executed
    evil = tmp_path / "evil.framing-model"

    class Boom:
        def __reduce__(self):
            import os

            return (os.system, ("echo pwned > " + str(tmp_path / "pwned"),))

    evil.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n" + pickle.dumps(Boom()))
    with pytest.raises(ModelError, match="refusing to load"):
        load_model(evil)
    assert not (tmp_path / "pwned").exists()
    with pytest.raises(ModelError, match="not a framing model"):
        (tmp_path / "x").write_bytes(b"junk\n")
        load_model(tmp_path / "x")


def test_version_mismatch_warns(tmp_path):
    X, y, _ = _corpus()
    clf = FramingClassifier(char_ngrams=None).fit(X, y)
    path = save_model(clf, tmp_path / "m")
    head, body = path.read_bytes().split(b"\n", 1)
    path.write_bytes(head.replace(b'"framing": "', b'"framing": "0.0.0-old') + b"\n" + body)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        load_model(path)
    assert any("0.0.0-old" in str(x.message) for x in w)


def test_suggest_terms_ranks_loaded_words_and_skips_lexicon_terms():
    X, y, _ = _corpus(240)
    df = suggest_terms(X, y, lexicons=ENTRIES, top=10, min_count=3)
    terms = set(df["term"])
    assert terms & {"monstrous", "treacherous", "sinister", "barbaric"}
    assert "thuggish" not in terms and "vile" not in terms
    assert not terms & set(_NEUTRAL)
    assert "entries:" in df.attrs["yaml"]


# --- scikit-learn estimator checks ---------------------------------------------------------
# The estimators take TEXTS (a list of str), so the numeric-array checks of check_estimator do
# not apply (they feed 2-D float arrays). We run the checks that make sense for text input
# here, re-implemented on text: clone, get_params/set_params, no state change in __init__,
# fit returns self, pickling, and refusing to predict before fit.
@pytest.mark.parametrize("est", [FramingClassifier(char_ngrams=None),
                                 LexiconFeaturizer(lexicons=ENTRIES)])
def test_sklearn_conventions(est):
    from sklearn.exceptions import NotFittedError

    params = est.get_params()
    assert clone(est).get_params() == params
    assert est.set_params(**params) is est
    assert not [k for k in vars(est) if k.endswith("_")]
    X, y, _ = _corpus(60)
    with pytest.raises(NotFittedError):
        (est.predict if hasattr(est, "predict") else est.transform)(X)
    assert est.fit(X, y) is est
    again = pickle.loads(pickle.dumps(est))
    out = est.predict_proba(X) if hasattr(est, "predict_proba") else est.transform(X).toarray()
    out2 = again.predict_proba(X) if hasattr(again, "predict_proba") else \
        again.transform(X).toarray()
    np.testing.assert_allclose(out, out2)
    assert est.__sklearn_tags__().input_tags.string


# --- span corpora and CLI ------------------------------------------------------------------
def _write_span_corpus(folder):
    text = "The council met today.\nThe vile thuggish plan failed!\n\nBudget report due.\n"
    (folder / "article7.txt").write_text(text, encoding="utf-8")
    a = text.index("vile")
    (folder / "article7.task-flc-tc.labels").write_text(
        f"7\tLoaded_Language\t{a}\t{a + 4}\n7\tName_Calling,Labeling\t{a + 5}\t{a + 13}\n",
        encoding="utf-8")
    return text


def test_read_span_corpus_ptc_txt_layout(tmp_path):
    from framing.datasets import read_span_corpus

    text = _write_span_corpus(tmp_path)
    s = read_span_corpus(tmp_path)
    assert s["text"].tolist() == ["The council met today.", "The vile thuggish plan failed!",
                                  "Budget report due."]
    assert s["techniques"].tolist() == ["", "Loaded_Language|Name_Calling,Labeling", ""]
    assert s["Loaded_Language"].tolist() == [0, 1, 0]
    assert s["n_techniques"].tolist() == [0, 2, 0]
    r = s.iloc[1]
    assert text[r["start"]:r["end"]] == r["text"] and r["doc_id"] == "7"


def test_read_span_corpus_parquet_layout(tmp_path):
    from framing.datasets import read_span_corpus

    pd.DataFrame({"article_id": ["a"], "text": ["One.\nTwo bad.\n"]}).to_parquet(
        tmp_path / "articles.parquet")
    pd.DataFrame({"article_id": ["a"], "technique": ["Doubt"], "start": [5], "end": [8],
                  "span": ["Two"]}).to_parquet(tmp_path / "spans.parquet")
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
    r = run.invoke(cli, ["train", str(data), "--label", "loaded", "--group-column", "article",
                         "--no-lexicons", "-o", str(model)])
    assert r.exit_code == 0, r.output
    assert "internal-CV F1" in r.output and model.is_file()
    out = tmp_path / "pred.csv"
    r = run.invoke(cli, ["predict", str(data), "--model", str(model), "-o", str(out)])
    assert r.exit_code == 0, r.output
    pred = pd.read_csv(out)
    assert (pred["pred_loaded"] == pred["loaded"]).mean() > 0.95
    js = tmp_path / "ev.json"
    r = run.invoke(cli, ["evaluate", str(data), "--label", "loaded", "--group-column",
                         "article", "--cv", "3", "--no-lexicons", "--json", str(js)])
    assert r.exit_code == 0, r.output
    assert "macro-F1" in r.output and "grouped" in r.output
    assert js.is_file()
    r = run.invoke(cli, ["suggest-terms", str(data), "--label", "loaded", "--top", "5"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("entries:")
    r = run.invoke(cli, ["train", str(data), "--label", "nope", "-o", str(model)])
    assert r.exit_code == 2 and "unknown label 'nope'" in r.output


# With input_tags.string=True and two_d_array=False, scikit-learn itself skips its numeric
# checks (they feed 2-D float arrays, which these text estimators do not accept); what remains
# runs here, and test_sklearn_conventions covers the text-input equivalents.
with warnings.catch_warnings():  # the SkipTestWarning naming the string input tag, above
    warnings.simplefilter("ignore")
    _checks = parametrize_with_checks([FramingClassifier(char_ngrams=None, lexicons=False),
                                       LexiconFeaturizer(lexicons=[])])


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
        rows += [(f"s{seed}d{d}", first, 0), (f"s{seed}d{d}", "Then the committee met.",
                                              int(cue))]
    return pd.DataFrame(rows, columns=["doc_id", "text", "y"])


def test_context_features_use_neighbouring_sentences():
    df = _context_docs(80, seed=3)  # the two stages need enough documents for inner CV
    new = _context_docs(20, seed=4)  # unseen documents
    flat = FramingClassifier(lexicons=False, char_ngrams=None).fit(df, df["y"])
    ctx = FramingClassifier(lexicons=False, char_ngrams=None, context=True).fit(
        df, df["y"], groups=df["doc_id"])
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

    texts = ["Alpha beta gamma delta.", "Alpha beta gamma delta again.", "Other words here.",
             "Single sentence document."]
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
    np.testing.assert_allclose(back.predict_proba(new), P)
    np.testing.assert_array_equal(back.predict(new), clf.predict(new))
    assert read_model_metadata(path)["params"]["context"] is True
    # the decision function is the second stage's logit: predict_proba is its sigmoid
    np.testing.assert_allclose(1 / (1 + np.exp(-clf.decision_function(new))), P[:, 1])
