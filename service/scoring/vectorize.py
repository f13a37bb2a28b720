"""The feature blocks of a bundled classifier, computed from plain data.

A bundle holds each fitted vectorizer as its vocabulary, its IDF weights and its settings
(``service/scoring/linear.py``); the classes here compute the matrix scikit-learn's fitted
``TfidfVectorizer``, ``DictVectorizer`` + ``MaxAbsScaler`` would compute, without the
objects and without their per-call input checks (which cost more than a short comment's
own features: the HTTP API classifies one comment per call). ``tests/scoring/
test_vectorize.py`` checks that the matrices are equal element for element, indices and
order included.

``TfidfVectorizer(analyzer="char_wb")`` builds each word's n-grams from the word alone
(padded with one space each side), so a document's counts are the sum of its words'.
``CharNgramCounts`` keeps each distinct word's vocabulary indices, computed once (a few
hundred bytes per word, at most ``WORDS`` words), builds the same count matrix
scikit-learn builds, and applies the same TF-IDF step to it. Comments share most of their
words, so this takes the n-gram work out of the hot path.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.utils.sparsefuncs_fast import (
    inplace_csr_row_normalize_l1,
    inplace_csr_row_normalize_l2,
)

WORDS = 1 << 16  # distinct words kept
NORMS = ("l1", "l2", None)
# The token patterns a bundle may name: ours, and scikit-learn's default. A pattern is
# never taken from a bundle as written (a hostile one could backtrack for ever).
TOKEN_PATTERNS = {r"\S+": re.compile(r"\S+"), r"(?u)\b\w\w+\b": re.compile(r"(?u)\b\w\w+\b")}


@dataclass(frozen=True)
class Weighting:
    """The TF-IDF step of a fitted vectorizer: sublinear counts, IDF weights, row norm."""

    sublinear_tf: bool
    idf: np.ndarray | None  # None when the vectorizer was fitted with use_idf=False
    norm: str | None

    def apply(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """``TfidfTransformer.transform(counts, copy=False)``, checks left out."""
        if self.sublinear_tf:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if self.idf is not None:
            counts.data *= self.idf[counts.indices]
        if self.norm == "l2":
            inplace_csr_row_normalize_l2(counts)
        elif self.norm == "l1":
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
    """What a fitted ``TfidfVectorizer(analyzer="char_wb")`` computes (no accent stripping,
    no preprocessor), from its vocabulary, n-gram range and weighting."""

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int],
                 weighting: Weighting, lowercase: bool = True):
        self.vocabulary, self.weighting, self.lowercase = vocabulary, weighting, lowercase
        self.low, self.high = ngram_range
        self.word_indices = lru_cache(maxsize=WORDS)(self._word_indices)

    def _word_indices(self, word: str) -> bytes:
        """Vocabulary indices (C ints) of the n-grams of one word, one per occurrence, as
        ``TfidfVectorizer._char_wb_ngrams`` makes them."""
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
            for word in (document.lower() if self.lowercase else document).split():
                chunk = word_indices(word)
                chunks.append(chunk)
                size += len(chunk)
            indptr.append(size // array("i").itemsize)
        indices = np.frombuffer(b"".join(chunks), dtype=np.intc).copy()
        matrix = sparse.csr_matrix(
            (np.ones(len(indices)), indices, np.frombuffer(indptr, dtype=np.intc).copy()),
            shape=(len(documents), len(self.vocabulary)))
        matrix.sum_duplicates()  # counts per n-gram, indices sorted: what sklearn builds
        return self.weighting.apply(matrix)


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """The n-grams ``low``..``high`` of ``tokens``, joined by a space, as scikit-learn's
    word analyzer makes them (without stop words)."""
    if high == 1:
        return tokens
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


class WordNgramCounts:
    """What a fitted word ``TfidfVectorizer`` computes (no stop words, accent stripping,
    preprocessor or tokenizer of its own; one of ``TOKEN_PATTERNS``)."""

    def __init__(self, vocabulary: dict[str, int], ngram_range: tuple[int, int],
                 weighting: Weighting, token_pattern: str, lowercase: bool):
        self.vocabulary, self.weighting, self.lowercase = vocabulary, weighting, lowercase
        self.low, self.high = ngram_range
        self.tokens = TOKEN_PATTERNS[token_pattern].findall

    def transform(self, documents: list[str]):
        indptr = array("i", [0])
        indices = array("i")
        values: list[int] = []
        get = self.vocabulary.get
        for document in documents:
            counts: dict[int, int] = {}
            tokens = self.tokens(document.lower() if self.lowercase else document)
            for term in word_ngrams(tokens, self.low, self.high):
                index = get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            indices.extend(counts)
            values.extend(counts.values())
            indptr.append(len(indices))
        return self.weighting.apply(_sorted_csr(values, indices, indptr, len(self.vocabulary)))


class CueValues:
    """``MaxAbsScaler.transform(DictVectorizer.transform(rows))`` for rows of numeric
    values, from the vectorizer's vocabulary and the scaler's ``scale_``."""

    def __init__(self, vocabulary: dict[str, int], scale: np.ndarray):
        self.vocabulary = vocabulary
        self.width = len(vocabulary)
        self.inverse_scale = 1.0 / scale  # as MaxAbsScaler.transform computes it

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
