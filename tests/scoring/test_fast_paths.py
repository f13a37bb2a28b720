"""The engine's precomputed paths equal scikit-learn's own results on the bundled model."""

from __future__ import annotations

import numpy as np
import pytest

from service.config import DEFAULT_MODELS_DIR
from service.nlp.features import CommentInput, prepare_thread
from service.scoring.classifier import NOT_CUES, CueExplainer, explain, transform_features
from service.scoring.engine import Engine, calibrated_proba

COMMENTS = [
    CommentInput("c1", "claire", "Comment avez-vous recruté vos premiers membres ?"),
    CommentInput("c2", "marc", "@claire On a fait du parrainage, on est passés de 12 à 30.",
                 reply_to="c1"),
    CommentInput("c3", "promo", "Check out my channel!! https://youtube.example/promo"),
    CommentInput("c4", "claire", "Merci Marc, super idée", reply_to="c2"),
]


@pytest.fixture(scope="module")
def engine():
    return Engine.load(models_dir=DEFAULT_MODELS_DIR)


@pytest.fixture(scope="module")
def prepared(engine):
    return prepare_thread(COMMENTS, ["fr", "fr", "en", "fr"], engine.pipelines)


def test_transform_features_is_the_union_transform(engine, prepared):
    for features in (engine.act_features, engine.promo_features):
        ours, theirs = transform_features(features, prepared), features.transform(prepared)
        assert ours.shape == theirs.shape and (ours != theirs).nnz == 0


def test_shared_features_only_when_identical(engine, prepared):
    promo = engine.promo_model.calibrated_classifiers_[0].estimator.named_steps["features"]
    shared = transform_features(engine.promo_features, prepared)
    assert (shared != promo.transform(prepared)).nnz == 0


def test_linear_scorers_equal_calibrated_proba(engine, prepared):
    x = transform_features(engine.act_features, prepared)
    assert np.array_equal(engine.act_scorer.proba(x), calibrated_proba(engine.act_model, x))
    assert np.array_equal(engine.promo_scorer.proba(x), calibrated_proba(engine.promo_model, x))


def naive_explain(model, matrix, target, top):
    """The explanation computed row by row from the fitted pipeline."""
    pipeline = model.calibrated_classifiers_[0].estimator
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


@pytest.mark.parametrize("which", ["act", "promotion"])
def test_explainer_equals_the_definition(engine, prepared, which):
    model = engine.act_model if which == "act" else engine.promo_model
    x = transform_features(engine.act_features, prepared)
    classes = 3 if which == "act" else 2
    for target in ([k % classes for k in range(4)], [classes - 1] * 4):
        expected = naive_explain(model, x, target, 3)
        assert CueExplainer.of(model).explain(x, target, top=3) == expected
        assert explain(model, x, target, top=3) == expected
