"""The bundled pipelines load without spaCy's language modules and tokenize as spaCy does."""

from __future__ import annotations

import json
import re
from itertools import product
from pathlib import Path

import pytest

from service.nlp.lemmas import lemma_text
from service.nlp.pipelines import load_pipelines
from service.nlp.text import mask
from service.vocab import LANGUAGES

DATA = Path(__file__).resolve().parents[2] / "data" / "samples"


def corpus_texts(lang: str) -> list[str]:
    texts = []
    for name in ("threads.jsonl", "hard_cases.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            thread = json.loads(line)
            texts += [c["text"] for c in thread["comments"] if thread["language"] == lang]
    return texts


@pytest.fixture(scope="module")
def light():
    return load_pipelines()


def test_factored_token_match_accepts_exactly_what_spacy_accepts():
    from spacy.lang.fr.tokenizer_exceptions import TOKEN_MATCH

    from training.pipelines import factored_token_match, french_token_match_parts

    factored = re.compile(factored_token_match(*french_token_match_parts())).match
    words = {w for text in corpus_texts("fr") for w in re.split(r"[\s,.!?;:()]+", text) if w}
    # Every shape the parts describe: prefixes, elisions, hyphen combinations, and near misses.
    heads = ["anti", "Anti", "ANTI", "auto", "contre", "entr", "grand", "r", "saint", "arc",
             "pet", "a", "black", "hip", "droit", "états", "New", "z", "prud", "xyz", "é"]
    joins = ["-", "–", "—", "'", "’", "", "-en-", "-de-l'", "-en-l’", "-sur-", "-saint-",
             "-les-", "--", "-l'"]
    tails = ["inflammatoire", "abat", "ciel", "air", "hop", "out", "york", "homme", "Ville",
             "yeutent", "", "1", "x-y", "sexualisé", "watcher", "é"]
    words |= {h + j + t for h, j, t in product(heads, joins, tails)}
    words |= {"arginine-méthylé", "droits-de-l'homme", "bouche-porée", "ch'tiis", "yo-yos",
              "Black-out", "TEUF-TEUF", "fox–trotteurs", "Rick-rollé", "lèche-bottes"}
    differs = [w for w in sorted(words) if bool(TOKEN_MATCH(w)) != bool(factored(w))]
    assert len(words) > 5000
    assert sum(bool(TOKEN_MATCH(w)) for w in words) > 500  # the check sees both outcomes
    assert differs == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_light_pipeline_tokenizes_and_lemmatizes_as_spacy(light, lang):
    import spacy

    reference = spacy.blank(lang)  # spaCy's own language data and token_match
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.get_pipe("lemmatizer").lookups = light[lang].get_pipe("lemmatizer").lookups
    texts = corpus_texts(lang)
    texts += [mask(t) for t in texts]
    ours = [[t.text for t in doc] for doc in light[lang].pipe(texts)]
    theirs = [[t.text for t in doc] for doc in reference.pipe(texts)]
    assert len(texts) > 3000
    assert ours == theirs
    assert ([lemma_text(d) for d in light[lang].pipe(texts)]
            == [lemma_text(d) for d in reference.pipe(texts)])


def test_loading_does_not_import_spacys_language_modules():
    import subprocess
    import sys

    code = ("import sys; from service.nlp.pipelines import load_pipelines; load_pipelines(); "
            "print(sorted(m for m in sys.modules if m.startswith('spacy.lang.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    assert "spacy.lang.fr" not in out and "spacy.lang.en" not in out, out
