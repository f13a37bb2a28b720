"""The two comment classifiers (act, promotion) as training fits them.

Each classifier is a scikit-learn pipeline: word n-grams on lemmas, character n-grams on
the masked text, and the named cue/context values, into a logistic regression whose
probabilities are calibrated (sigmoid) on out-of-fold predictions grouped by thread.
A bundle holds the fitted pipeline exported to plain data (``linear.py``,
``training/export.py``); serving never sees these objects.
"""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler

from ..vocab import ACTS as ACTS  # re-exported: defined in service/vocab.py
from ..vocab import PROMOTION as PROMOTION


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
        # The optional word-vector block: loaded only when it is on.
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


def calibrated(pipeline: Pipeline, splits: list) -> CalibratedClassifierCV:
    """Wrap ``pipeline`` so its probabilities are calibrated on the given grouped folds."""
    return CalibratedClassifierCV(pipeline, method="sigmoid", cv=splits, ensemble=False)
