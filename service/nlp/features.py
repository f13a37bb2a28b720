"""Turn a thread's comments into model inputs: lemma text, masked text, cue and context values.

Context features are causal: a comment's features depend only on itself and the comments
before it, so appending comments to a stored thread never changes earlier predictions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .cues import extract_cues
from .lexicons import LANGUAGES
from .text import MENTION_RE, fold, mask, normalise_for_duplicates, urls, words

_NUM_RE = re.compile(r"^\d+([.,]\d+)?$")


@dataclass(frozen=True)
class CommentInput:
    """One comment as the engine needs it (plain values, no Flask)."""

    id: str
    author: str
    text: str
    reply_to: str | None = None
    language: str | None = None  # client's hint


@dataclass
class PreparedComment:
    """Model input for one comment: what the vectorizers and the classifiers read."""

    lemmas: str
    masked: str
    numeric: dict[str, float] = field(default_factory=dict)
    language: str = "en"


def _author_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


def _names_author(folded_text: str, mentions: set[str], author: str) -> bool:
    """Whether a comment names ``author`` by @mention, full pseudonym or its first part."""
    key = _author_key(author)
    if not key:
        return False
    if key in mentions:
        return True
    first = re.split(r"[\s_.\-0-9]+", fold(author))[0]
    candidates = {fold(author)} | ({first} if len(first) >= 3 else set())
    return any(re.search(r"(?<![\w])" + re.escape(c) + r"(?![\w])", folded_text)
               for c in candidates)


def names_author(text: str, author: str) -> bool:
    """Whether ``text`` names ``author`` (by @mention, pseudonym or first name)."""
    mentions = {_author_key(m) for m in MENTION_RE.findall(text)}
    return _names_author(fold(text), mentions, author)


def _lemma_text(doc) -> str:
    out = []
    for token in doc:
        if token.is_space or (token.is_punct and token.text not in "?!"):
            continue
        if token.like_url:
            out.append("__url__")
        elif _NUM_RE.match(token.text):
            out.append("__num__")
        else:
            out.append(fold(token.lemma_ or token.text))
    return " ".join(out)


def prepare_thread(comments: list[CommentInput], languages: list[str],
                   pipelines: dict) -> list[PreparedComment]:
    """Prepare every comment of a thread, in order; ``languages`` from language detection."""
    docs = _tokenize([mask(c.text) for c in comments], languages, pipelines)
    by_id: dict[str, int] = {}
    author_counts: Counter[str] = Counter()
    seen_texts: dict[str, set[str]] = {}
    seen_links: dict[str, set[str]] = {}
    host = comments[0].author if comments else ""
    lemma_sets: list[set[str]] = []
    prepared = []
    for i, (comment, language, doc) in enumerate(zip(comments, languages, docs, strict=True)):
        lemmas = _lemma_text(doc)
        lemma_set = {w for w in lemmas.split() if len(w) > 3}
        folded = fold(comment.text)
        mentions = {_author_key(m) for m in MENTION_RE.findall(comment.text)}
        numeric = extract_cues(comment.text, language, comment.author)
        parent = by_id.get(comment.reply_to) if comment.reply_to else None
        earlier_authors = {c.author for c in comments[:i]} - {comment.author}
        numeric["is_reply"] = float(parent is not None)
        numeric["reply_to_other"] = float(parent is not None
                                          and comments[parent].author != comment.author)
        numeric["is_first"] = float(i == 0)
        numeric["is_host"] = float(i > 0 and comment.author == host)
        if parent is not None:
            other = lemma_sets[parent]
            union = lemma_set | other
            numeric["parent_overlap"] = len(lemma_set & other) / len(union) if union else 0.0
            numeric["names_parent_author"] = float(
                _names_author(folded, mentions, comments[parent].author))
        else:
            numeric["parent_overlap"] = 0.0
            numeric["names_parent_author"] = 0.0
        numeric["addresses_participant"] = float(
            any(_names_author(folded, mentions, a) for a in earlier_authors))
        author_counts[comment.author] += 1
        numeric["author_share"] = author_counts[comment.author] / (i + 1)
        key = normalise_for_duplicates(comment.text)
        links = {u.lower() for u in urls(comment.text)}
        numeric["repeats_text"] = float(len(key) > 10 and key in seen_texts.get(comment.author, ()))
        numeric["repeats_link"] = float(bool(links & seen_links.get(comment.author, set())))
        seen_texts.setdefault(comment.author, set()).add(key)
        seen_links.setdefault(comment.author, set()).update(links)
        n = len(words(comment.text))
        numeric["log_words"] = math.log1p(n)
        numeric["short"] = float(n <= 3)
        numeric["long"] = float(n > 60)
        numeric["log_position"] = math.log1p(i)
        numeric["lang_" + (language if language in LANGUAGES else "other")] = 1.0
        by_id[comment.id] = i
        lemma_sets.append(lemma_set)
        prepared.append(PreparedComment(lemmas=lemmas, masked=fold(mask(comment.text)),
                                        numeric=numeric, language=language))
    return prepared


def _tokenize(texts: list[str], languages: list[str], pipelines: dict) -> list:
    """spaCy docs in input order, each text run through its own language's pipeline."""
    docs: list = [None] * len(texts)
    for lang, nlp in pipelines.items():
        idx = [i for i, lg in enumerate(languages)
               if lg == lang or (lg not in pipelines and lang == "en")]
        for i, doc in zip(idx, nlp.pipe([texts[i] for i in idx], batch_size=256), strict=True):
            docs[i] = doc
    return docs
