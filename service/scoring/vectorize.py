"""Faster ``transform`` for the fitted feature blocks of ``build_classifier``, equal output.

scikit-learn's transformers check their input and parameters on every call, which costs
more than a short comment's own features (the HTTP API classifies one comment per call);
the classes here take the fitted vocabularies, IDF weights and scales and apply them as
scikit-learn does, without the checks. ``tests/scoring/test_vectorize.py`` checks that the
matrices are equal element for element, indices and order included.

``TfidfVectorizer(analyzer="char_wb")`` builds each word's n-grams from the word alone
(padded with one space each side), so a document's counts are the sum of its words'.
``CharNgramCounts`` keeps each distinct word's vocabulary indices, computed once (a few
hundred bytes per word, at most ``WORDS`` words), builds the same count matrix
scikit-learn builds, and applies the vectorizer's own fitted TF-IDF step to it: the result
is equal, element for element (``tests/scoring/test_vectorize.py``). Comments share most of
their words, so this takes the n-gram work out of the hot path.
"""

from __future__ import annotations

from array import array
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.utils.sparsefuncs_fast import (
    inplace_csr_row_normalize_l1,
    inplace_csr_row_normalize_l2,
)

WORDS = 1 << 16  # distinct words kept


def _fitted_tfidf(vectorizer) -> bool:
    return (hasattr(vectorizer, "vocabulary_") and hasattr(vectorizer, "_tfidf")
            and vectorizer.input == "content" and not vectorizer.binary
            and vectorizer.dtype == np.float64 and vectorizer.norm in ("l1", "l2", None))


def applies(vectorizer) -> bool:
    """Whether ``vectorizer`` is a fitted char_wb TF-IDF vectorizer this module reproduces."""
    return (getattr(vectorizer, "analyzer", None) == "char_wb" and _fitted_tfidf(vectorizer)
            and vectorizer.lowercase and vectorizer.strip_accents is None
            and vectorizer.preprocessor is None)


def applies_words(vectorizer) -> bool:
    """Whether ``vectorizer`` is a fitted word TF-IDF vectorizer (any analyzer settings:
    its own analyzer makes the terms)."""
    return getattr(vectorizer, "analyzer", None) == "word" and _fitted_tfidf(vectorizer)


def tfidf(vectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``TfidfTransformer.transform(counts, copy=False)`` of the vectorizer, checks left out."""
    transformer = vectorizer._tfidf
    if transformer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if hasattr(transformer, "idf_"):
        counts.data *= transformer.idf_[counts.indices]
    if transformer.norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    elif transformer.norm == "l1":
        inplace_csr_row_normalize_l1(counts)
    return counts


def _sorted_csr(values: list, indices: array, indptr: array, width: int) -> sparse.csr_matrix:
    """Rows of (index, value) pairs as a float64 CSR matrix with sorted indices, the form
    scikit-learn's vectorizers return."""
    matrix = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.frombuffer(indices, dtype=np.intc).copy(),
         np.frombuffer(indptr, dtype=np.intc).copy()),
        shape=(len(indptr) - 1, width))
    matrix.sort_indices()
    return matrix


class CharNgramCounts:
    """``transform`` equal to ``vectorizer.transform`` for a vectorizer where ``applies``."""

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.vocabulary_
        self.low, self.high = vectorizer.ngram_range
        self.word_indices = lru_cache(maxsize=WORDS)(self._word_indices)

    def _word_indices(self, word: str) -> bytes:
        """Vocabulary indices (C ints) of the n-grams of one lowercased word, one per
        occurrence, as ``TfidfVectorizer._char_wb_ngrams`` makes them."""
        padded = f" {word} "
        size = len(padded)
        found = array("i")
        get = self.vocabulary.get
        for n in range(self.low, self.high + 1):
            for start in range(max(1, size - n + 1)):
                index = get(padded[start:start + n])
                if index is not None:
                    found.append(index)
            if size <= n:  # a short word counts once, at its first n
                break
        return found.tobytes()

    def transform(self, documents: list[str]):
        chunks: list[bytes] = []
        indptr = array("i", [0])
        size = 0
        word_indices = self.word_indices
        for document in documents:
            for word in document.lower().split():
                chunk = word_indices(word)
                chunks.append(chunk)
                size += len(chunk)
            indptr.append(size // array("i").itemsize)
        indices = np.frombuffer(b"".join(chunks), dtype=np.intc).copy()
        matrix = sparse.csr_matrix(
            (np.ones(len(indices)), indices, np.frombuffer(indptr, dtype=np.intc).copy()),
            shape=(len(documents), len(self.vocabulary)))
        matrix.sum_duplicates()  # counts per n-gram, indices sorted: what sklearn builds
        return tfidf(self.vectorizer, matrix)


class WordNgramCounts:
    """``transform`` equal to ``vectorizer.transform`` where ``applies_words``: the
    vectorizer's own analyzer, then the counting of ``CountVectorizer._count_vocab``."""

    def __init__(self, vectorizer):
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.vocabulary_
        self.analyze = vectorizer.build_analyzer()

    def transform(self, documents: list[str]):
        indptr = array("i", [0])
        indices = array("i")
        values: list[int] = []
        get = self.vocabulary.get
        for document in documents:
            counts: dict[int, int] = {}
            for term in self.analyze(document):
                index = get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            indices.extend(counts)
            values.extend(counts.values())
            indptr.append(len(indices))
        return tfidf(self.vectorizer, _sorted_csr(values, indices, indptr, len(self.vocabulary)))


def applies_cues(dict_vectorizer, scaler) -> bool:
    """Whether the cue block is a fitted sparse DictVectorizer into a fitted MaxAbsScaler."""
    return (hasattr(dict_vectorizer, "vocabulary_") and dict_vectorizer.sparse
            and dict_vectorizer.dtype == np.float64 and hasattr(scaler, "scale_"))


class CueValues:
    """``scaler.transform(dict_vectorizer.transform(rows))`` for rows of numeric values."""

    def __init__(self, dict_vectorizer, scaler):
        self.vocabulary = dict_vectorizer.vocabulary_
        self.width = len(self.vocabulary)
        self.inverse_scale = 1.0 / scaler.scale_  # as MaxAbsScaler.transform computes it

    def transform(self, rows: list[dict]):
        indptr = array("i", [0])
        indices = array("i")
        values: list[float] = []
        get = self.vocabulary.get
        for row in rows:
            for name, value in row.items():
                index = get(name)
                if index is not None:
                    indices.append(index)
                    values.append(float(value))
            indptr.append(len(indices))
        matrix = _sorted_csr(values, indices, indptr, self.width)
        matrix.data *= self.inverse_scale.take(matrix.indices, mode="clip")
        return matrix
