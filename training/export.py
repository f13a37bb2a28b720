"""Fitted scikit-learn classifiers -> the plain form a bundle holds (``service/scoring/linear.py``).

Only what ``service.scoring.classifier.build_classifier`` makes is exported: a calibrated
(sigmoid, ``ensemble=False``) pipeline of a feature union (word and character TF-IDF,
cue values, optionally mean word vectors) into a logistic regression. Anything else is
refused with the step that does not fit, so a bundle never holds a model the engine would
score differently from scikit-learn.
"""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler

from service.scoring.classifier import select_lemmas, select_masked, select_numeric
from service.scoring.linear import (
    NORMS,
    TOKEN_PATTERNS,
    CueBlock,
    LinearModel,
    TextBlock,
    VectorBlock,
    Weighting,
)
from service.scoring.vectors import MeanVectors

SOURCE_OF = {select_lemmas: "lemmas", select_masked: "masked"}


class ExportError(ValueError):
    """A fitted model has a part the plain form cannot hold."""


def _terms(vocabulary: dict[str, int]) -> np.ndarray:
    """The vocabulary as an array, term i at index i."""
    terms = [None] * len(vocabulary)
    for term, index in vocabulary.items():
        terms[index] = term
    if any(t is None for t in terms):
        raise ExportError("a vocabulary's indices are not 0..n-1")
    return np.array(terms, dtype=str) if terms else np.array([], dtype="<U1")


def _text_block(name: str, select: FunctionTransformer, vectorizer: TfidfVectorizer
                ) -> TextBlock:
    source = SOURCE_OF.get(select.func)
    if source is None or select.kw_args:
        raise ExportError(f"{name}: selects with {select.func!r}; expected select_lemmas or "
                          "select_masked")
    v = vectorizer
    where = f"{name}: TfidfVectorizer"
    if v.analyzer not in ("word", "char_wb") or not hasattr(v, "vocabulary_"):
        raise ExportError(f"{where}: expected a fitted word or char_wb analyzer")
    if (v.input != "content" or v.binary or v.dtype != np.float64 or v.norm not in NORMS
            or v.strip_accents is not None or v.preprocessor is not None
            or v.tokenizer is not None or v.stop_words is not None):
        raise ExportError(f"{where}: settings the plain form does not reproduce (input, "
                          "binary, dtype, norm, accents, preprocessor, tokenizer, stop words)")
    if v.analyzer == "word" and v.token_pattern not in TOKEN_PATTERNS:
        raise ExportError(f"{where}: token_pattern {v.token_pattern!r} is not one of "
                          f"{sorted(TOKEN_PATTERNS)}")
    tfidf = v._tfidf
    idf = np.asarray(tfidf.idf_, dtype=np.float64) if v.use_idf else None
    return TextBlock(name, source, v.analyzer, _terms(v.vocabulary_), tuple(v.ngram_range),
                     bool(v.lowercase), v.token_pattern if v.analyzer == "word" else None,
                     Weighting(bool(v.sublinear_tf), idf, v.norm))


def _cue_block(name: str, select: FunctionTransformer, vectorizer: DictVectorizer,
               scaler: MaxAbsScaler) -> CueBlock:
    if select.func is not select_numeric or set(select.kw_args or {}) - {"drop"}:
        raise ExportError(f"{name}: expected select_numeric (with an optional drop list)")
    if not vectorizer.sparse or vectorizer.dtype != np.float64 or vectorizer.separator != "=":
        raise ExportError(f"{name}: expected a sparse float64 DictVectorizer")
    if any("=" in n for n in vectorizer.feature_names_):
        raise ExportError(f"{name}: cue values must be numbers, not strings")
    drop = tuple((select.kw_args or {}).get("drop", ()))
    return CueBlock(name, _terms(vectorizer.vocabulary_),
                    np.asarray(scaler.scale_, dtype=np.float64), drop)


def _block(name: str, step):
    if isinstance(step, MeanVectors):
        return VectorBlock(name, np.asarray(step.keys_, dtype=np.uint64),
                           np.asarray(step.rows_, dtype=np.int32),
                           np.asarray(step.table_, dtype=np.float16))
    parts = [part for _, part in step.steps] if isinstance(step, Pipeline) else [step]
    kinds = [type(p) for p in parts]
    if kinds == [FunctionTransformer, TfidfVectorizer]:
        return _text_block(name, *parts)
    if kinds == [FunctionTransformer, DictVectorizer, MaxAbsScaler]:
        return _cue_block(name, *parts)
    raise ExportError(f"{name}: steps {[k.__name__ for k in kinds]} are not a block the "
                      "plain form holds")


def export_classifier(model: CalibratedClassifierCV, classes: tuple[str, ...]) -> LinearModel:
    """The plain form of a fitted, calibrated classifier of ``build_classifier``."""
    if not isinstance(model, CalibratedClassifierCV) or len(model.calibrated_classifiers_) != 1:
        raise ExportError("expected a fitted CalibratedClassifierCV with ensemble=False")
    calibrated = model.calibrated_classifiers_[0]
    pipeline = calibrated.estimator
    if not isinstance(pipeline, Pipeline) or list(pipeline.named_steps) != ["features", "clf"]:
        raise ExportError("expected a pipeline of 'features' then 'clf'")
    union, clf = pipeline.named_steps["features"], pipeline.named_steps["clf"]
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        raise ExportError("features: expected a FeatureUnion without weights")
    if not isinstance(clf, LogisticRegression):
        raise ExportError("clf: expected a LogisticRegression")
    if list(clf.classes_) != list(range(len(classes))):
        raise ExportError(f"clf: classes {list(clf.classes_)}, expected 0..{len(classes) - 1}")
    pairs = []
    for calibrator in calibrated.calibrators:
        if not hasattr(calibrator, "a_"):
            raise ExportError("calibration: expected sigmoid calibrators")
        pairs.append((float(calibrator.a_), float(calibrator.b_)))
    blocks = tuple(_block(name, step) for name, step in union.transformer_list)
    return LinearModel(tuple(classes), blocks, np.asarray(clf.coef_, dtype=np.float64),
                       np.asarray(clf.intercept_, dtype=np.float64), tuple(pairs))
