"""The act model's second stage: exported trees score as scikit-learn's model does, reading
refuses damaged arrays naming them, parents are found as the engine finds them, and the
thread state keeps the first-stage scores that replies read."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from service.config import DEFAULT_MODELS_DIR
from service.nlp.features import CommentInput
from service.scoring.context_model import ContextModel, TreeEnsemble, base_item
from service.scoring.engine import Engine, ThreadState
from service.scoring.linear import FormatError
from training.context_fit import context_inputs, export_trees, fit_context, parent_rows

KEYS = ("question", "short")


def data(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs shaped like the second stage's, with many values equal to one another (ties
    at split thresholds) and labels that depend on interactions."""
    rng = np.random.default_rng(seed)
    base = rng.dirichlet([1, 1, 1], size=n)
    parent = rng.dirichlet([1, 1, 1], size=n) * rng.integers(0, 2, size=(n, 1))
    has = parent.sum(axis=1) > 0
    values = rng.integers(0, 3, size=(n, len(KEYS))).astype(float)
    x = np.hstack([base, parent, has[:, None].astype(float), values])
    y = np.where(values[:, 0] > 1, 1, np.where(has & (base[:, 2] > 0.3), 2, base.argmax(axis=1)))
    return x, y


def fitted() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    x, y = data()
    return HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=7, early_stopping=False,
                                          random_state=0).fit(x, y), x


def test_exported_trees_give_scikit_learns_probabilities():
    model, x = fitted()
    trees = export_trees(model)
    for rows in (x, x[:1], data(50, seed=1)[0]):
        ours, theirs = trees.proba(rows), model.predict_proba(rows)
        assert np.allclose(ours, theirs, rtol=0, atol=1e-12)
        assert np.array_equal(ours.argmax(axis=1), theirs.argmax(axis=1))


def plain_context() -> tuple[ContextModel, dict, dict]:
    context = ContextModel(KEYS, export_trees(fitted()[0]))
    spec, arrays = context.plain("act_context")
    return context, spec, arrays


def test_a_round_trip_through_the_plain_form_changes_nothing():
    context, spec, arrays = plain_context()
    again = ContextModel.from_plain(spec, arrays, "act_context", 3, "model.json.act_context")
    x = data(60, seed=2)[0]
    assert again.keys == KEYS
    assert np.array_equal(again.trees.proba(x), context.trees.proba(x))


def _set(arrays: dict, key: str, value) -> None:
    arrays[key] = value


@pytest.mark.parametrize(("change", "message"), [
    (lambda s, a: a.pop("act_context.left"), "no array 'act_context.left'"),
    (lambda s, a: _set(a, "act_context.left", a["act_context.left"] + 10**6), "out of range"),
    (lambda s, a: _set(a, "act_context.feature", a["act_context.feature"] + 50), "out of range"),
    (lambda s, a: _set(a, "act_context.value", a["act_context.value"] * np.nan),
     "not every value is finite"),
    (lambda s, a: _set(a, "act_context.threshold", a["act_context.threshold"][:-1]),
     "different lengths"),
    (lambda s, a: _set(a, "act_context.roots", a["act_context.roots"].astype(float)),
     "act_context.roots: expected a 1-D array of kind 'i'"),
    (lambda s, a: _set(a, "act_context.baseline", a["act_context.baseline"][:2]),
     "expected 3 classes"),
    (lambda s, a: s.update(kind="forest"), "act_context.kind: expected 'gradient_boosted_trees'"),
    (lambda s, a: s.update(keys="question"), "act_context.keys: expected a list"),
    (lambda s, a: s.update(depth=0), "act_context.depth: expected 1 to 64"),
    (lambda s, a: s.pop("depth"), "act_context.depth: missing"),
])
def test_damaged_parts_are_refused_naming_them(change, message):
    _, spec, arrays = plain_context()
    change(spec, arrays)
    with pytest.raises(FormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ContextModel.from_plain(spec, arrays, "act_context", 3, "model.json.act_context")


def test_parents_are_earlier_comments_of_the_same_thread():
    threads = [{"comments": [{"id": "a"}, {"id": "b", "reply_to": "a"},
                             {"id": "c", "reply_to": "d"}, {"id": "d", "reply_to": "b"}]},
               {"comments": [{"id": "a"}, {"id": "x", "reply_to": "a"}]}]
    # "c" replies to a later comment: no parent, as the engine's feature fold finds none.
    assert parent_rows(threads) == [None, 0, None, 1, None, 4]


def test_a_reply_reads_its_parents_rounded_scores():
    base = np.array([[0.1234567, 0.5, 0.3765433], [0.2, 0.2, 0.6]])
    x = context_inputs(KEYS, base, [None, 0], [{"question": 1.0}, {"short": 1.0}])
    assert x[0].tolist() == [*base[0], 0, 0, 0, 0, 1.0, 0.0]
    assert x[1].tolist() == [*base[1], 0.123457, 0.5, 0.376543, 1, 0.0, 1.0]


def test_fit_gives_out_of_fold_scores_and_an_exported_model():
    x, y = data(300)
    threads = [{"comments": [{"id": str(i)} for i in range(100 * k, 100 * (k + 1))]}
               for k in range(3)]
    numeric = [dict(zip(KEYS, row[7:], strict=True)) | {"is_first": 1.0} for row in x]
    splits = [(np.r_[100:300], np.r_[0:100]), (np.r_[0:100, 200:300], np.r_[100:200]),
              (np.r_[0:200], np.r_[200:300])]
    section = {"trees": 20, "learning_rate": 0.1, "leaves": 7, "l2": 1.0}
    context, oof = fit_context(threads, numeric, y, x[:, :3], splits, section, ("is_first",), 0)
    assert context.keys == KEYS  # the dropped value is not read
    assert oof.shape == (300, 3) and np.allclose(oof.sum(axis=1), 1)
    # out of fold: each third is scored by a model fitted on the other two
    refit = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=7, l2_regularization=1.0,
                                           early_stopping=False, random_state=0)
    inputs = context_inputs(KEYS, x[:, :3], [None] * 300, numeric)
    assert np.allclose(oof[:100], refit.fit(inputs[100:], y[100:]).predict_proba(inputs[:100]))


def test_the_thread_state_keeps_first_stage_scores_for_replies():
    engine = Engine.load(models_dir=DEFAULT_MODELS_DIR)
    assert engine.act_context is not None  # the promoted bundle has a second stage
    state = ThreadState()
    comments = [CommentInput("c1", "ana", "Does anyone know when the pool reopens?"),
                CommentInput("c2", "ben", "Monday at nine, the sign says.", reply_to="c1")]
    engine.extend(state, comments, None)
    for comment in comments:
        stored = state.items[base_item(comment.id)]
        assert len(stored) == 3 and abs(sum(stored) - 1) < 1e-5
    alone = engine.extend(ThreadState(), [comments[1]], None)[0]["act"]["scores"]
    replying = engine.extend(ThreadState(), comments, None)[1]["act"]["scores"]
    assert alone != replying  # the parent's scores are read


def test_trees_walk_every_level():
    trees = export_trees(fitted()[0])
    assert isinstance(trees, TreeEnsemble) and trees.depth >= 2
    leaves = trees.left == np.arange(len(trees.left))
    assert np.array_equal(leaves, trees.right == np.arange(len(trees.right)))
