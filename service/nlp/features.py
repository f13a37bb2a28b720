"""Turn a thread's comments into model inputs: lemma text, masked text, cue and context values.

Context features are causal: a comment's features depend only on itself and the comments
before it, so appending comments to a stored thread never changes earlier predictions.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .cues import extract_cues
from .lemmas import lemma_texts
from .lexicons import LANGUAGES
from .names import NameIndex, author_name, mention_keys
from .names import names_author as names_author  # re-exported for callers of this module
from .text import fold, mask, normalise_for_duplicates, urls, words


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
    words: tuple[str, ...] = ()  # lower-cased words (URLs and mentions out), for word vectors


def prepare_thread(comments: list[CommentInput], languages: list[str],
                   pipelines: dict) -> list[PreparedComment]:
    """Prepare every comment of a thread, in order; ``languages`` from language detection."""
    masked = [mask(c.text) for c in comments]
    all_lemmas = lemma_texts(masked, languages, pipelines)
    by_id: dict[str, int] = {}
    author_counts: Counter[str] = Counter()
    seen_texts: dict[str, set[str]] = {}
    seen_links: dict[str, set[str]] = {}
    host = comments[0].author if comments else ""
    lemma_sets: list[set[str]] = []
    earlier = NameIndex()
    replies_so_far = 0
    prepared = []
    for i, (comment, language, lemmas) in enumerate(zip(comments, languages, all_lemmas,
                                                         strict=True)):
        lemma_set = {w for w in lemmas.split() if len(w) > 3}
        folded = fold(comment.text)
        mentions = mention_keys(comment.text)
        numeric = extract_cues(comment.text, language, comment.author, folded)
        parent = by_id.get(comment.reply_to) if comment.reply_to else None
        numeric["is_reply"] = float(parent is not None)
        numeric["reply_to_other"] = float(parent is not None
                                          and comments[parent].author != comment.author)
        # How threaded the thread is so far: in a flat comment section (video, live chat)
        # not replying says nothing; where others reply, standing alone says more.
        threaded = replies_so_far / i if i else 0.0
        numeric["unthreaded_in_threaded"] = (1.0 - numeric["is_reply"]) * threaded
        numeric["flat_thread"] = float(replies_so_far == 0)
        replies_so_far += parent is not None
        numeric["is_first"] = float(i == 0)
        numeric["is_host"] = float(i > 0 and comment.author == host)
        if parent is not None:
            other = lemma_sets[parent]
            union = lemma_set | other
            numeric["parent_overlap"] = len(lemma_set & other) / len(union) if union else 0.0
            numeric["names_parent_author"] = float(
                author_name(comments[parent].author).named_in(folded, mentions))
        else:
            numeric["parent_overlap"] = 0.0
            numeric["names_parent_author"] = 0.0
        numeric["addresses_participant"] = float(
            bool(earlier.named(folded, mentions) - {comment.author}))
        earlier.add(comment.author)
        # Share of the earlier comments by this author: 0 for a newcomer wherever they come
        # in (``author_share`` counts the comment itself, so it is 1 for every first comment).
        numeric["author_prior_share"] = author_counts[comment.author] / i if i else 0.0
        author_counts[comment.author] += 1
        numeric["author_share"] = author_counts[comment.author] / (i + 1)
        key = normalise_for_duplicates(comment.text)
        links = {u.lower() for u in urls(comment.text)}
        numeric["repeats_text"] = float(len(key) > 10 and key in seen_texts.get(comment.author, ()))
        numeric["repeats_link"] = float(bool(links & seen_links.get(comment.author, set())))
        seen_texts.setdefault(comment.author, set()).add(key)
        seen_links.setdefault(comment.author, set()).update(links)
        text_words = words(comment.text)
        n = len(text_words)
        numeric["log_words"] = math.log1p(n)
        numeric["short"] = float(n <= 3)
        numeric["long"] = float(n > 60)
        numeric["log_position"] = math.log1p(i)
        numeric["lang_" + (language if language in LANGUAGES else "other")] = 1.0
        by_id[comment.id] = i
        lemma_sets.append(lemma_set)
        prepared.append(PreparedComment(lemmas=lemmas, masked=fold(masked[i]),
                                        numeric=numeric, language=language,
                                        words=tuple(w.lower() for w in text_words)))
    return prepared
