"""Turn a thread's comments into model inputs: lemma text, masked text, cue and context values.

Context features are causal: a comment's features depend only on itself and the comments
before it, so appending comments to a stored thread never changes earlier predictions.
``FeatureFold`` computes them one comment at a time from a state (``thread_state``) that an
append loads for its new comments only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .cues import extract_cues
from .lemmas import lemma_texts
from .lexicons import LANGUAGES
from .names import author_name, index_terms, lookup_terms, mention_keys
from .names import names_author as names_author  # re-exported for callers of this module
from .text import fold, mask, normalise_for_duplicates, urls, words
from .thread_state import Items, author_item, name_item, seen_item


@dataclass(frozen=True)
class CommentInput:
    """One comment as the engine needs it (plain values, no Flask)."""

    id: str
    author: str
    text: str
    reply_to: str | None = None
    language: str | None = None  # client's hint
    created_at: str | None = None  # as the client sent it (validated ISO 8601), stored as is


@dataclass
class PreparedComment:
    """Model input for one comment: what the vectorizers and the classifiers read."""

    lemmas: str
    masked: str
    numeric: dict[str, float] = field(default_factory=dict)
    language: str = "en"
    words: tuple[str, ...] = ()  # lower-cased words (URLs and mentions out), for word vectors


@dataclass(frozen=True)
class Parent:
    """What a reply needs of the comment it answers."""

    position: int
    author: str
    lemma_set: frozenset[str]


@dataclass(frozen=True)
class Context:
    """Where a comment stands in its thread, for the health fold."""

    position: int
    parent: Parent | None
    named: frozenset[str]  # earlier participants the comment names, its author excluded
    author_count: int  # the author's comments so far, this one included


def lemma_set(lemmas: str) -> frozenset[str]:
    """The words of a lemma text that count for the overlap with a parent."""
    return frozenset(w for w in lemmas.split() if len(w) > 3)


NEARBY = 2  # as scoring.health.NEARBY: answers by position, within the next two comments
MIN_REPEAT = 10  # a normalised text repeats another only when longer than this


def _text_key(text: str) -> str | None:
    key = normalise_for_duplicates(text)
    return key if len(key) > MIN_REPEAT else None


def feature_keys(comments: Iterable[CommentInput]) -> set[str]:
    """The state items that ``FeatureFold.add`` reads for these comments."""
    keys: set[str] = set()
    for c in comments:
        keys.add(author_item(c.author))
        keys.update(name_item(t) for t in index_terms(c.author))
        keys.update(name_item(t) for t in lookup_terms(fold(c.text), mention_keys(c.text)))
        text_key = _text_key(c.text)
        if text_key:
            keys.add(seen_item(c.author, "t", text_key))
        keys.update(seen_item(c.author, "l", u.lower()) for u in urls(c.text))
    return keys


def named_earlier(items: Items, folded: str, mentions: set[str], author: str) -> frozenset[str]:
    """The authors of earlier comments that a text names (its own author left out)."""
    found = set()
    for term in lookup_terms(folded, mentions):
        for candidate in items.get(name_item(term), ()):
            if candidate != author and author_name(candidate).named_in(folded, mentions):
                found.add(candidate)
    return frozenset(found)


class FeatureFold:
    """The features of a thread's comments, one after the other.

    ``scalars`` holds ``n`` (comments so far), ``host`` (the first author), ``replies``
    (comments so far that reply to an earlier one) and ``recent`` (author, question cue and
    lemmas of the last ``NEARBY`` comments); ``items`` the authors' counts, the
    names of earlier participants and what each author posted (``thread_state``);
    ``parents`` the comments that new ones may reply to, by id (an append loads the stored
    ones it needs; the fold adds each comment it sees).
    """

    def __init__(self, scalars: dict, items: Items, parents: dict[str, Parent]):
        self.scalars = scalars
        self.items = items
        self.parents = parents

    def add(self, comment: CommentInput, language: str, lemmas: str,
            masked: str) -> tuple[PreparedComment, Context]:
        """Features of the next comment; the state moves past it."""
        s, items = self.scalars, self.items
        i = s.get("n", 0)
        if i == 0:
            s["host"] = comment.author
        own = lemma_set(lemmas)
        folded = fold(comment.text)
        mentions = mention_keys(comment.text)
        numeric = extract_cues(comment.text, language, comment.author, folded)
        parent = self.parents.get(comment.reply_to) if comment.reply_to else None
        numeric["is_reply"] = float(parent is not None)
        numeric["reply_to_other"] = float(parent is not None and parent.author != comment.author)
        # How threaded the thread is so far: in a flat comment section (video, live chat)
        # not replying says nothing; where others reply, standing alone says more.
        replies = s.get("replies", 0)
        threaded = replies / i if i else 0.0
        numeric["unthreaded_in_threaded"] = (1.0 - numeric["is_reply"]) * threaded
        numeric["flat_thread"] = float(replies == 0)
        s["replies"] = replies + (parent is not None)
        numeric["is_first"] = float(i == 0)
        numeric["is_host"] = float(i > 0 and comment.author == s["host"])
        if parent is not None:
            union = own | parent.lemma_set
            numeric["parent_overlap"] = len(own & parent.lemma_set) / len(union) if union else 0.0
            numeric["names_parent_author"] = float(
                author_name(parent.author).named_in(folded, mentions))
        else:
            numeric["parent_overlap"] = 0.0
            numeric["names_parent_author"] = 0.0
        # Flat answers by position: a comment that replies to nobody, right after a question
        # by someone else (within NEARBY comments), and how much it takes up their words.
        recent = s.get("recent", [])  # the last NEARBY comments: [author, question, lemmas]
        nearby = [r for r in recent if r[0] != comment.author]
        numeric["after_question"] = float(parent is None and any(r[1] for r in nearby))
        near = set().union(*(r[2] for r in nearby))
        union = own | near
        numeric["nearby_overlap"] = (len(own & near) / len(union)
                                     if parent is None and union else 0.0)
        s["recent"] = [*recent, [comment.author, bool(numeric.get("question")),
                                 sorted(own)]][-NEARBY:]
        named = named_earlier(items, folded, mentions, comment.author)
        numeric["addresses_participant"] = float(bool(named))
        counts = list(items.get(author_item(comment.author)) or (0, 0))
        if counts[0] == 0:  # a new participant: index the names that designate them
            for term in index_terms(comment.author):
                key = name_item(term)
                items[key] = [*items.get(key, ()), comment.author]
        # Share of the earlier comments by this author: 0 for a newcomer wherever they come
        # in (``author_share`` counts the comment itself, so it is 1 for every first comment).
        numeric["author_prior_share"] = counts[0] / i if i else 0.0
        counts[0] += 1
        items[author_item(comment.author)] = counts
        numeric["author_share"] = counts[0] / (i + 1)
        text_key = _text_key(comment.text)
        link_keys = [seen_item(comment.author, "l", u.lower()) for u in urls(comment.text)]
        seen_text = text_key and seen_item(comment.author, "t", text_key)
        numeric["repeats_text"] = float(bool(seen_text) and bool(items.get(seen_text)))
        numeric["repeats_link"] = float(any(items.get(k) for k in link_keys))
        for key in ([seen_text] if seen_text else []) + link_keys:
            items[key] = 1
        text_words = words(comment.text)
        n = len(text_words)
        numeric["log_words"] = math.log1p(n)
        numeric["short"] = float(n <= 3)
        numeric["long"] = float(n > 60)
        numeric["log_position"] = math.log1p(i)
        numeric["lang_" + (language if language in LANGUAGES else "other")] = 1.0
        s["n"] = i + 1
        self.parents[comment.id] = Parent(i, comment.author, own)
        prepared = PreparedComment(lemmas=lemmas, masked=fold(masked), numeric=numeric,
                                   language=language,
                                   words=tuple(w.lower() for w in text_words))
        return prepared, Context(i, parent, named, counts[0])


def prepare_more(fold_: FeatureFold, comments: list[CommentInput], languages: list[str],
                 pipelines: dict) -> tuple[list[PreparedComment], list[Context]]:
    """Prepare the next comments of a thread, in order (their lemmas in one batch)."""
    masked = [mask(c.text) for c in comments]
    lemmas = lemma_texts(masked, languages, pipelines)
    out = [fold_.add(c, lang, lem, m)
           for c, lang, lem, m in zip(comments, languages, lemmas, masked, strict=True)]
    return [p for p, _ in out], [c for _, c in out]


def prepare_thread(comments: list[CommentInput], languages: list[str],
                   pipelines: dict) -> list[PreparedComment]:
    """Prepare every comment of a thread, in order; ``languages`` from language detection."""
    fold_ = FeatureFold({}, Items.complete(), {})
    return prepare_more(fold_, comments, languages, pipelines)[0]
