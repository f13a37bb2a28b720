"""The lemma text of comments: spaCy tokens, lookup lemmas, placeholders for URLs and numbers.

Each token becomes its folded lemma, ``__url__`` or ``__num__``; spaces and punctuation
other than "?" and "!" are dropped. With a lookup lemmatizer (the bundled pipelines), a
token's form depends only on its text, so ``TokenForms`` computes it once per distinct
token and the pipelines only tokenize; any other pipeline runs in full.

spaCy keeps every new word's string and lexeme in the pipeline's vocabulary for good, so a
process that analyses comments all day would grow without end. Once a vocabulary holds
``VOCAB_STRINGS`` strings, each call tokenizes inside ``Language.memory_zone()`` (spaCy
3.8's answer for long-running services): the words it adds are freed when it returns.
The words met before the bound stay, with the tokenizer's cache of them, which a zone
does not fill. A zone frees what any other thread allocated in it too, so the pipelines
are used by one thread at a time (``_TOKENIZING``); the gthread workers take turns.
"""

from __future__ import annotations

import re
import threading
from contextlib import nullcontext
from functools import lru_cache

from .text import fold_word

_NUM_RE = re.compile(r"^\d+([.,]\d+)?$")
_CACHE = 1 << 16  # distinct tokens kept per pipeline
VOCAB_STRINGS = 1 << 13  # strings a pipeline keeps; words first met after that are freed
_TOKENIZING = threading.Lock()


def _form(text: str, lemma: str, lexeme) -> str | None:
    """What the lemma text says for one token (None: nothing)."""
    if lexeme.is_space or (lexeme.is_punct and text not in "?!"):
        return None
    if lexeme.like_url:
        return "__url__"
    if _NUM_RE.match(text):
        return "__num__"
    return fold_word(lemma or text)


def lemma_text(doc) -> str:
    """The lemma text of a processed spaCy doc."""
    forms = (_form(t.text, t.lemma_, t) for t in doc)
    return " ".join(f for f in forms if f)


class TokenForms:
    """Token hash -> form for a pipeline whose only component is a lookup lemmatizer.

    Equal to ``lemma_text(nlp(text))``: that lemmatizer sets ``table.get(text, text)``
    (the first, when the table holds a list).
    """

    def __init__(self, nlp):
        from spacy.attrs import ORTH

        self._orth = ORTH
        self.tokenizer = nlp.tokenizer
        self._vocab = nlp.vocab
        self._table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.form = lru_cache(maxsize=_CACHE)(self._form_of)

    @staticmethod
    def applies(nlp) -> bool:
        """Whether ``nlp`` is a tokenizer and a lookup lemmatizer, nothing else."""
        return (nlp.pipe_names == ["lemmatizer"]
                and getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "lookup")

    def _form_of(self, orth: int) -> str | None:
        text = self._vocab.strings[orth]
        lemma = self._table.get(text, text)  # a string, or a list whose first one is used
        return _form(text, lemma if isinstance(lemma, str) else lemma[0], self._vocab[orth])

    def lemma_text(self, doc) -> str:
        """The lemma text of a doc that was only tokenized."""
        forms = map(self.form, doc.to_array(self._orth).tolist())
        return " ".join(f for f in forms if f)


@lru_cache(maxsize=8)
def _token_forms(nlp) -> TokenForms | None:
    return TokenForms(nlp) if TokenForms.applies(nlp) else None


def _zone(nlp):
    """A memory zone once ``nlp``'s vocabulary is full, else nothing (see the module)."""
    return nlp.memory_zone() if len(nlp.vocab.strings) >= VOCAB_STRINGS else nullcontext()


def lemma_texts(texts: list[str], languages: list[str], pipelines: dict) -> list[str]:
    """Lemma texts in input order, each text run through its own language's pipeline
    (English for a language without one)."""
    out: list[str] = [""] * len(texts)
    for lang, nlp in pipelines.items():
        idx = [i for i, lg in enumerate(languages)
               if lg == lang or (lg not in pipelines and lang == "en")]
        batch = [texts[i] for i in idx]
        forms = _token_forms(nlp)
        with _TOKENIZING, _zone(nlp):
            if forms:
                lemmas = [forms.lemma_text(d)
                          for d in forms.tokenizer.pipe(batch, batch_size=256)]
            else:
                lemmas = [lemma_text(d) for d in nlp.pipe(batch, batch_size=256)]
        for i, lemma in zip(idx, lemmas, strict=True):
            out[i] = lemma
    return out
