"""The per-word character n-gram counts give exactly scikit-learn's TF-IDF matrix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from service.nlp.text import fold, mask
from service.scoring.vectorize import CharNgramCounts, applies

DATA = Path(__file__).resolve().parents[2] / "data" / "samples" / "threads.jsonl"


def corpus() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [fold(mask(c["text"])) for line in lines for c in json.loads(line)["comments"]]


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
    assert applies(vectorizer)
    counts = CharNgramCounts(vectorizer)
    assert_same(counts.transform(texts), vectorizer.transform(texts))
    assert_same(counts.transform(texts[:7]), vectorizer.transform(texts[:7]))  # from cache


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cdÉé\t\n'-?😀ΣΑß")), max_size=30),
                min_size=1, max_size=5))
def test_equal_on_arbitrary_text(fitted, texts):
    vectorizer, _ = fitted
    assert_same(CharNgramCounts(vectorizer).transform(texts), vectorizer.transform(texts))


def test_equal_on_empty_and_unknown_words(fitted):
    vectorizer, _ = fitted
    texts = ["", "   ", "zzzqqq", "a", "ab", "abcdefghijklmnop", "ΣΑΣ σας"]
    assert_same(CharNgramCounts(vectorizer).transform(texts), vectorizer.transform(texts))


def test_other_vectorizers_are_left_to_sklearn():
    assert not applies(TfidfVectorizer(analyzer="char_wb").fit(["abc"]) .set_params(binary=True))
    assert not applies(TfidfVectorizer().fit(["abc def"]))
    assert not applies(TfidfVectorizer(analyzer="char_wb"))  # not fitted


@pytest.fixture(scope="module")
def engine_rows():
    from service.config import DEFAULT_MODELS_DIR
    from service.nlp.features import prepare_thread
    from service.scoring.engine import Engine
    from service.validation import parse_thread

    engine = Engine.load(models_dir=DEFAULT_MODELS_DIR)
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines()[:60]:
        thread = parse_thread(json.loads(line))
        rows += prepare_thread(thread.comments, [thread.language] * len(thread.comments),
                               engine.pipelines)
    return engine, rows


def test_every_block_of_the_bundled_model_is_equal(engine_rows):
    from service.scoring.classifier import _blocks, _run_steps

    engine, rows = engine_rows
    union = engine.act_features
    for block, (_, step) in zip(_blocks(union), union.transformer_list, strict=True):
        for part in (rows, rows[:1], rows[5:9]):
            assert_same(block(part), _run_steps(step, part))
    assert {type(b.__closure__[0].cell_contents).__name__ for b in _blocks(union)
            if b.__closure__} >= {"CharNgramCounts", "WordNgramCounts", "CueValues"}


def test_union_equals_sklearn_union(engine_rows):
    from service.scoring.classifier import transform_features

    engine, rows = engine_rows
    for union in (engine.act_features, engine.promo_features):
        ours, theirs = transform_features(union, rows), union.transform(rows).tocsr()
        theirs.sort_indices()
        assert_same(ours, theirs)


def test_probabilities_equal_predict_proba(engine_rows):
    from service.scoring.classifier import transform_features

    engine, rows = engine_rows
    x = transform_features(engine.act_features, rows)
    assert np.array_equal(engine.act_scorer.proba(x), engine.act_model.predict_proba(rows))
    assert np.array_equal(engine.promo_scorer.proba(x), engine.promo_model.predict_proba(rows))
