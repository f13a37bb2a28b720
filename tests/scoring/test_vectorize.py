"""The per-word character n-gram counts give exactly scikit-learn's TF-IDF matrix (the
other blocks and whole models: test_linear.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from service.nlp.text import fold, mask
from service.scoring.vectorize import CharNgramCounts, Weighting

DATA = Path(__file__).resolve().parents[2] / "data" / "samples" / "threads.jsonl"


def corpus() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [fold(mask(c["text"])) for line in lines for c in json.loads(line)["comments"]]


def counts_of(vectorizer: TfidfVectorizer) -> CharNgramCounts:
    """Our counts from what a bundle keeps of a fitted char_wb vectorizer."""
    weighting = Weighting(vectorizer.sublinear_tf, vectorizer.idf_, vectorizer.norm)
    return CharNgramCounts(vectorizer.vocabulary_, vectorizer.ngram_range, weighting)


def assert_same(ours, theirs) -> None:
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)  # bit for bit, not approximately


@pytest.fixture(scope="module")
def fitted():
    texts = corpus()
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                 sublinear_tf=True, max_features=60000).fit(texts[::2])
    return vectorizer, texts


def test_equal_on_the_corpus(fitted):
    vectorizer, texts = fitted
    counts = counts_of(vectorizer)
    assert_same(counts.transform(texts), vectorizer.transform(texts))
    assert_same(counts.transform(texts[:7]), vectorizer.transform(texts[:7]))  # from cache


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cdÉé\t\n'-?😀ΣΑß")), max_size=30),
                min_size=1, max_size=5))
def test_equal_on_arbitrary_text(fitted, texts):
    vectorizer, _ = fitted
    assert_same(counts_of(vectorizer).transform(texts), vectorizer.transform(texts))


def test_equal_on_empty_and_unknown_words(fitted):
    vectorizer, _ = fitted
    texts = ["", "   ", "zzzqqq", "a", "ab", "abcdefghijklmnop", "ΣΑΣ σας"]
    assert_same(counts_of(vectorizer).transform(texts), vectorizer.transform(texts))
