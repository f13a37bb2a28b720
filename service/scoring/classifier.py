"""The two comment classifiers (act, promotion) and the cues that explain a prediction.

Each classifier is a scikit-learn pipeline: word n-grams on lemmas, character n-grams on
the masked text, and the named cue/context values, into a logistic regression whose
probabilities are calibrated (sigmoid) on out-of-fold predictions grouped by thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler

ACTS = ("broadcast", "listening", "contribution")
PROMOTION = ("dialogue", "self_promotion")
# Values that are plumbing, not reasons a moderator can read.
NOT_CUES = ("log_", "lang_", "question_marks", "question_openers")


def select_lemmas(rows):
    """Lemma strings of prepared comments (module-level so the pipeline pickles)."""
    return [r.lemmas for r in rows]


def select_masked(rows):
    """Masked, folded texts of prepared comments."""
    return [r.masked for r in rows]


def select_numeric(rows):
    """Cue and context values of prepared comments."""
    return [r.numeric for r in rows]


def build_classifier(c: float = 4.0, word_ngrams: int = 2, char_ngrams: tuple = (2, 5),
                     class_weight: str | None = "balanced", seed: int = 0) -> Pipeline:
    """An unfitted classifier pipeline; parameters come from the training config."""
    features = FeatureUnion([
        ("words", Pipeline([
            ("select", FunctionTransformer(select_lemmas)),
            ("tfidf", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, min_df=2,  # noqa: S106
                                      ngram_range=(1, word_ngrams), sublinear_tf=True)),
        ])),
        ("chars", Pipeline([
            ("select", FunctionTransformer(select_masked)),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(char_ngrams),
                                      min_df=3, sublinear_tf=True, max_features=60000)),
        ])),
        ("cues", Pipeline([
            ("select", FunctionTransformer(select_numeric)),
            ("dict", DictVectorizer()),
            ("scale", MaxAbsScaler()),
        ])),
    ])
    model = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight,
                               random_state=seed)
    return Pipeline([("features", features), ("clf", model)])


def calibrated(pipeline: Pipeline, splits: list) -> CalibratedClassifierCV:
    """Wrap ``pipeline`` so its probabilities are calibrated on the given grouped folds."""
    return CalibratedClassifierCV(pipeline, method="sigmoid", cv=splits, ensemble=False)


@dataclass(frozen=True)
class Explanation:
    """The named cue values that pushed a prediction toward one class, largest first."""

    codes: tuple[str, ...]


def _cue_slice(pipeline: Pipeline) -> tuple[slice, list[str]]:
    union: FeatureUnion = pipeline.named_steps["features"]
    start = 0
    for name, step in union.transformer_list:
        names = step[-2].get_feature_names_out() if name == "cues" else None
        width = len(step[-1].get_feature_names_out()) if name != "cues" else len(names)
        if name == "cues":
            return slice(start, start + width), list(names)
        start += width
    raise ValueError("pipeline has no 'cues' features")


def explain(calibrated_model: CalibratedClassifierCV, matrix, target: list[int],
            top: int = 3) -> list[tuple[str, ...]]:
    """For each row, the cues with the largest positive contribution to class ``target[i]``."""
    pipeline = calibrated_model.calibrated_classifiers_[0].estimator
    clf: LogisticRegression = pipeline.named_steps["clf"]
    cue_slice, names = _cue_slice(pipeline)
    coef = clf.coef_[:, cue_slice]
    if coef.shape[0] == 1:  # binary: one row for the positive class
        coef = np.vstack([-coef[0], coef[0]])
    else:
        coef = coef - coef.mean(axis=0, keepdims=True)
    values = matrix[:, cue_slice].toarray()
    keep = np.array([not n.startswith(NOT_CUES) for n in names])
    out = []
    for row, cls in zip(values, target, strict=True):
        contrib = row * coef[cls] * keep
        order = np.argsort(-contrib, kind="stable")
        out.append(tuple(names[j] for j in order[:top] if contrib[j] > 0))
    return out
