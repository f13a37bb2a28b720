"""The plain form of a classifier scores exactly as the scikit-learn model it was exported
from; export refuses what it cannot reproduce; reading refuses a description or arrays
that are missing a part or wrong, naming the field."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from service.scoring.bundles import CLASSIFIERS, model_from_plain, model_to_plain
from service.scoring.classifier import build_classifier, calibrated
from service.scoring.linear import NOT_CUES, CueExplainer, FormatError
from service.vocab import ACTS, PROMOTION
from tests.bundles import fitted, plain_model
from training.export import ExportError, export_classifier

CLASSES = {"act": ACTS, "promotion": PROMOTION}


def assert_same(ours, theirs) -> None:
    theirs = theirs.tocsr()
    theirs.sort_indices()
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)  # bit for bit, not approximately


def union_of(sk_model):
    return sk_model.calibrated_classifiers_[0].estimator.named_steps["features"]


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_every_block_equals_its_fitted_steps(name):
    sk = fitted()[0 if name == "act" else 1]
    rows = fitted()[2]
    model = plain_model()[name]
    steps = union_of(sk).transformer_list
    assert [b.name for b in model.blocks] == [n for n, _ in steps] == ["words", "chars", "cues"]
    for block, (_, step) in zip(model.blocks, steps, strict=True):
        for part in (rows, rows[:1], rows[5:9]):
            assert_same(block.transform(part), step.transform(part))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_probabilities_equal_predict_proba(name):
    sk = fitted()[0 if name == "act" else 1]
    rows = fitted()[2]
    model = plain_model()[name]
    assert_same(model.features(rows), union_of(sk).transform(rows))
    assert np.array_equal(model.proba(model.features(rows)), sk.predict_proba(rows))


def naive_explain(sk_model, matrix, target, top):
    """The explanation computed row by row from the fitted pipeline."""
    pipeline = sk_model.calibrated_classifiers_[0].estimator
    union = pipeline.named_steps["features"]
    names = list(union.transformer_list[-1][1][-2].get_feature_names_out())
    width = sum(len(step[-1].get_feature_names_out()) for _, step in union.transformer_list[:-1])
    coef = pipeline.named_steps["clf"].coef_[:, width:width + len(names)]
    coef = np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef - coef.mean(axis=0)
    values = matrix[:, width:width + len(names)].toarray()
    out = []
    for row, cls in zip(values, target, strict=True):
        contrib = [(v * c if not n.startswith(NOT_CUES) else 0.0, -j, n)
                   for j, (v, c, n) in enumerate(zip(row, coef[cls], names, strict=True))]
        out.append(tuple(n for value, _, n in sorted(contrib, reverse=True)[:top] if value > 0))
    return out


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_explainer_equals_the_definition(name):
    sk = fitted()[0 if name == "act" else 1]
    rows = fitted()[2][:12]
    model = plain_model()[name]
    x = model.features(rows)
    classes = len(CLASSES[name])
    for target in ([k % classes for k in range(12)], [classes - 1] * 12):
        assert CueExplainer.of(model).explain(x, target, top=3) == naive_explain(sk, x, target, 3)


def test_a_round_trip_through_the_plain_form_changes_nothing():
    model = plain_model()
    spec, arrays = model_to_plain(model)
    assert spec["classifiers"]["promotion"]["features"] == "act"  # shared blocks once
    again = model_from_plain(spec, arrays, CLASSES)
    rows = fitted()[2]
    for name in CLASSIFIERS:
        x = again[name].features(rows)
        assert np.array_equal(again[name].proba(x), model[name].proba(model[name].features(rows)))
    # the loaded blocks keep their vocabularies as dicts only: written out again, every
    # array comes back equal, dtype included (a converted or re-reported bundle's bytes)
    _, rewritten = model_to_plain(again)
    assert rewritten.keys() == arrays.keys()
    for key, array in arrays.items():
        assert rewritten[key].dtype == array.dtype and np.array_equal(rewritten[key], array), key


def _sk(**tfidf):
    """A calibrated word/char/cue classifier with one of its vectorizers changed."""
    model = copy.deepcopy(fitted()[0])
    words = union_of(model).transformer_list[0][1].steps[1][1]
    words.set_params(**tfidf)
    return model


@pytest.mark.parametrize(("change", "message"), [
    ({"binary": True}, "settings the plain form does not reproduce"),
    ({"stop_words": ["le"]}, "settings the plain form does not reproduce"),
    ({"strip_accents": "unicode"}, "settings the plain form does not reproduce"),
    ({"token_pattern": r"(a+)+b"}, "token_pattern"),
])
def test_export_refuses_what_it_cannot_reproduce(change, message):
    with pytest.raises(ExportError, match=message):
        export_classifier(_sk(**change), ACTS)


def test_export_refuses_other_estimators():
    with pytest.raises(ExportError, match="CalibratedClassifierCV"):
        export_classifier(LogisticRegression(), ACTS)
    rows = fitted()[2]
    y = np.array([(i // 2) % 2 for i in range(len(rows))])
    even, odd = np.arange(0, len(rows), 2), np.arange(1, len(rows), 2)
    iso = calibrated(build_classifier(), [(even, odd), (odd, even)])
    iso.set_params(method="isotonic").fit(rows, y)
    with pytest.raises(ExportError, match="sigmoid"):
        export_classifier(iso, PROMOTION)
    with pytest.raises(ExportError, match="expected a fitted"):
        export_classifier(_sk(analyzer="char"), ACTS)


def _set(spec: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = spec
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is KeyError:
        del node[int(last) if last.isdigit() else last]
    else:
        node[int(last) if last.isdigit() else last] = value


ACT = "classifiers.act"
WORDS = f"{ACT}.features.0"


@pytest.mark.parametrize(("path", "value", "message"), [
    ("classifiers.act", KeyError, r"model\.json\.classifiers\.act: missing"),
    ("classifiers.promotion", KeyError, r"classifiers\.promotion: missing"),
    ("format_version", 2, "expected format"),
    (f"{ACT}.classes", ["a", "b", "c"], r"classifiers\.act\.classes: expected"),
    (f"{ACT}.features", [], "at least one feature block"),
    (f"{WORDS}.kind", "pickle", r"features\[0\]\.kind: expected"),
    (f"{WORDS}.ngram_range", [0, 2], r"features\[0\]\.ngram_range"),
    (f"{WORDS}.ngram_range", [1, 99], r"features\[0\]\.ngram_range"),
    (f"{WORDS}.ngram_range", [True, 2], r"features\[0\]\.ngram_range"),
    (f"{WORDS}.token_pattern", "(a+)+$", r"features\[0\]\.token_pattern: expected one of"),
    (f"{WORDS}.source", "text", r"features\[0\]\.source"),
    (f"{WORDS}.norm", "l3", r"features\[0\]\.norm"),
    (f"{WORDS}.lowercase", "yes", r"features\[0\]\.lowercase: expected true/false"),
    (f"{ACT}.calibration", [], r"calibration: expected 3"),
    (f"{ACT}.calibration.0.method", "isotonic", r"calibration\[0\]\.method"),
    (f"{ACT}.calibration.0.a", "1", r"calibration\[0\]\.a: expected"),
    ("classifiers.promotion.features", "nothing", "names no classifier"),
    ("promotion_threshold", "0.5", r"promotion_threshold: expected an integer or a number"),
    ("promotion_threshold", float("inf"), r"promotion_threshold: expected a finite number"),
    ("act_prior", [1, 1], "act_prior"),
    ("health.weights", {"balance": 1}, r"health\.weights"),
    ("health.healthy_at", 6.5, r"health\.healthy_at: expected an integer"),
])
def test_a_wrong_description_is_refused_naming_the_field(path, value, message):
    spec, arrays = model_to_plain(plain_model())
    spec = copy.deepcopy(spec)
    _set(spec, path, value)
    with pytest.raises(FormatError, match=message):
        model_from_plain(spec, arrays, CLASSES)


@pytest.mark.parametrize(("key", "change", "message"), [
    ("act.coef", "drop", "no array 'act.coef'"),
    ("act.coef", lambda a: a[:, :-1], r"act\.coef/intercept: expected shapes"),
    ("act.coef", lambda a: np.where(a == a.flat[0], np.nan, a), "not every value is finite"),
    ("act.coef", lambda a: a.astype(np.int64), "kind 'f'"),
    ("act.words.idf", lambda a: a[:-1], "weights for"),
    ("act.words.terms", lambda a: np.concatenate([a[:-1], a[:1]]), "a term appears twice"),
    ("act.cues.scale", lambda a: np.zeros_like(a), "non-zero scale"),
    ("act.intercept", lambda a: a.reshape(1, -1), "1-D array"),
])
def test_wrong_arrays_are_refused_naming_the_array(key, change, message):
    spec, arrays = model_to_plain(plain_model())
    arrays = dict(arrays)
    if change == "drop":
        del arrays[key]
    else:
        arrays[key] = change(arrays[key])
    with pytest.raises(FormatError, match=message):
        model_from_plain(spec, arrays, CLASSES)
