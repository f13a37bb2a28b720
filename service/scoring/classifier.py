"""The two comment classifiers (act, promotion) and the cues that explain a prediction.

Each classifier is a scikit-learn pipeline: word n-grams on lemmas, character n-grams on
the masked text, and the named cue/context values, into a logistic regression whose
probabilities are calibrated (sigmoid) on out-of-fold predictions grouped by thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler

from . import vectorize

ACTS = ("broadcast", "listening", "contribution")
PROMOTION = ("dialogue", "self_promotion")
# Values that are plumbing, not reasons a moderator can read.
NOT_CUES = ("log_", "lang_", "question_marks", "question_openers", "flat_thread")


def select_lemmas(rows):
    """Lemma strings of prepared comments (module-level so the pipeline pickles)."""
    return [r.lemmas for r in rows]


def select_masked(rows):
    """Masked, folded texts of prepared comments."""
    return [r.masked for r in rows]


def select_numeric(rows, drop=()):
    """Cue and context values of prepared comments, without the names in ``drop``."""
    if not drop:
        return [r.numeric for r in rows]
    return [{k: v for k, v in r.numeric.items() if k not in drop} for r in rows]


BLOCKS = ("words", "chars", "cues")
OPTIONAL_BLOCKS = ("vectors",)  # mean word vectors (``vectors.py``), on request


def build_classifier(c: float = 4.0, word_ngrams: int = 2, char_ngrams: tuple = (2, 5),
                     class_weight: str | None = "balanced", seed: int = 0,
                     blocks: tuple = BLOCKS, drop_cues: tuple = ()) -> Pipeline:
    """An unfitted classifier pipeline; parameters come from the training config.

    ``blocks`` picks the feature blocks (for ablations); ``drop_cues`` leaves named cue or
    context values out (a cue the dev set shows to be spurious)."""
    made = {
        "words": Pipeline([
            ("select", FunctionTransformer(select_lemmas)),
            ("tfidf", TfidfVectorizer(token_pattern=r"\S+", lowercase=False, min_df=2,  # noqa: S106
                                      ngram_range=(1, word_ngrams), sublinear_tf=True)),
        ]),
        "chars": Pipeline([
            ("select", FunctionTransformer(select_masked)),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(char_ngrams),
                                      min_df=3, sublinear_tf=True, max_features=60000)),
        ]),
        "cues": Pipeline([
            ("select", FunctionTransformer(select_numeric,
                                           kw_args={"drop": tuple(drop_cues)} if drop_cues
                                           else None)),
            ("dict", DictVectorizer()),
            ("scale", MaxAbsScaler()),
        ]),
    }
    if "vectors" in blocks:
        from .vectors import MeanVectors

        made["vectors"] = MeanVectors()
    unknown = set(blocks) - set(made)
    if unknown:
        raise ValueError(f"unknown feature blocks {sorted(unknown)}; expected some of "
                         f"{BLOCKS + OPTIONAL_BLOCKS}")
    features = FeatureUnion([(name, made[name]) for name in BLOCKS + OPTIONAL_BLOCKS
                             if name in blocks])
    model = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight,
                               random_state=seed)
    return Pipeline([("features", features), ("clf", model)])


def _run_steps(transformer, rows):
    """``transformer.transform(rows)``; a pipeline's steps are run in turn directly."""
    if not isinstance(transformer, Pipeline):
        return transformer.transform(rows)
    for _, step in transformer.steps:
        rows = step.transform(rows)
    return rows


def _selected(select: FunctionTransformer, rows):
    """What the selecting step passes on (its function, with its keyword arguments)."""
    return select.func(rows, **(select.kw_args or {}))


def _block(transformer):
    """A function computing one block of the union with ``vectorize``'s equal, faster
    transforms where they apply, and the fitted steps otherwise."""
    steps = [step for _, step in transformer.steps] if isinstance(transformer, Pipeline) else []
    if len(steps) == 2 and isinstance(steps[0], FunctionTransformer):
        select, last = steps
        fast = (vectorize.CharNgramCounts(last) if vectorize.applies(last) else
                vectorize.WordNgramCounts(last) if vectorize.applies_words(last) else None)
        if fast is not None:
            return lambda rows: fast.transform(_selected(select, rows))
    if (len(steps) == 3 and isinstance(steps[0], FunctionTransformer)
            and vectorize.applies_cues(steps[1], steps[2])):
        select, cues = steps[0], vectorize.CueValues(steps[1], steps[2])
        return lambda rows: cues.transform(_selected(select, rows))
    return lambda rows: _run_steps(transformer, rows)


@lru_cache(maxsize=4)  # the unions of the serving model and of the one before a promotion
def _blocks(union: FeatureUnion) -> tuple:
    return tuple(_block(step) for _, step in union.transformer_list)


def transform_features(union: FeatureUnion, rows):
    """``union.transform(rows)`` for the unions ``build_classifier`` makes (sparse blocks, no
    weights): the same blocks stacked the same way, in the calling thread, without the
    joblib set-up and fitted checks that ``FeatureUnion`` and ``Pipeline`` pay on every call
    (~0.7 ms, more than a short comment's own features), and with the character n-grams
    counted once per distinct word."""
    if union.transformer_weights:
        return union.transform(rows)
    return sparse.hstack([block(rows) for block in _blocks(union)], format="csr")


def calibrated(pipeline: Pipeline, splits: list) -> CalibratedClassifierCV:
    """Wrap ``pipeline`` so its probabilities are calibrated on the given grouped folds."""
    return CalibratedClassifierCV(pipeline, method="sigmoid", cv=splits, ensemble=False)


@dataclass(frozen=True)
class Explanation:
    """The named cue values that pushed a prediction toward one class, largest first."""

    codes: tuple[str, ...]


def _width(step) -> int:
    """Number of output columns of a fitted vectorizer pipeline."""
    last = step[-1]
    vocabulary = getattr(last, "vocabulary_", None)
    return len(vocabulary) if vocabulary is not None else len(last.get_feature_names_out())


def _cue_slice(pipeline: Pipeline) -> tuple[slice, list[str]]:
    union: FeatureUnion = pipeline.named_steps["features"]
    start = 0
    for name, step in union.transformer_list:
        if name == "cues":
            names = list(step[-2].get_feature_names_out())
            return slice(start, start + len(names)), names
        start += _width(step)
    return slice(start, start), []  # no cue block (an ablation): nothing to explain with


@dataclass(frozen=True)
class CueExplainer:
    """What ``explain`` needs of one fitted model, computed once: the model is read-only."""

    cue_slice: slice
    names: tuple[str, ...]
    coef: np.ndarray  # cue weights, one row per class
    keep: np.ndarray  # False for plumbing values (``NOT_CUES``)

    @classmethod
    def of(cls, calibrated_model: CalibratedClassifierCV) -> CueExplainer:
        """The explainer of a fitted, calibrated classifier (``ensemble=False``)."""
        pipeline = calibrated_model.calibrated_classifiers_[0].estimator
        clf: LogisticRegression = pipeline.named_steps["clf"]
        cue_slice, names = _cue_slice(pipeline)
        coef = clf.coef_[:, cue_slice]
        if coef.shape[0] == 1:  # binary: one row for the positive class
            coef = np.vstack([-coef[0], coef[0]])
        else:
            coef = coef - coef.mean(axis=0, keepdims=True)
        keep = np.array([not n.startswith(NOT_CUES) for n in names])
        return cls(cue_slice, tuple(names), coef, keep)

    def explain(self, matrix, target: list[int], top: int = 3) -> list[tuple[str, ...]]:
        """For each row, the cues with the largest positive contribution to ``target[i]``."""
        contrib = matrix[:, self.cue_slice].toarray() * self.coef[target] * self.keep
        order = np.argsort(-contrib, axis=1, kind="stable")[:, :top]
        return [tuple(self.names[j] for j in row_order if row[j] > 0)
                for row, row_order in zip(contrib, order, strict=True)]


def explain(calibrated_model: CalibratedClassifierCV, matrix, target: list[int],
            top: int = 3) -> list[tuple[str, ...]]:
    """For each row, the cues with the largest positive contribution to class ``target[i]``.

    Builds a ``CueExplainer`` each call; keep one per model when explaining repeatedly.
    """
    return CueExplainer.of(calibrated_model).explain(matrix, target, top)
