"""Turn corpus threads into classifier inputs, the same way the service does."""

from __future__ import annotations

from dataclasses import dataclass

from service.nlp.features import CommentInput, PreparedComment, prepare_thread
from service.nlp.language import LanguageDetector, LanguageResult
from service.vocab import LANGUAGES


@dataclass
class Examples:
    """Prepared comments with their labels, thread ids and gold/detected languages."""

    rows: list[PreparedComment]
    act: list[str]
    promotion: list[str]
    thread: list[str]
    gold_language: list[str]
    detected: list[LanguageResult]
    texts: list[str]


def comment_inputs(thread: dict) -> list[CommentInput]:
    """The corpus comments as engine inputs (no language hints: detection is tested)."""
    return [CommentInput(id=c["id"], author=c["author"], text=c["text"].strip(),
                         reply_to=c.get("reply_to")) for c in thread["comments"]]


def build_examples(threads: list[dict], detector: LanguageDetector, pipelines: dict,
                   progress=None) -> Examples:
    """Detect languages and prepare features for every comment of ``threads``."""
    ex = Examples([], [], [], [], [], [], [])
    for thread in threads:
        comments = comment_inputs(thread)
        langs = detector.detect_thread([c.text for c in comments], [None] * len(comments))
        feature_langs = [r.language if r.language in LANGUAGES else "en" for r in langs]
        ex.rows.extend(prepare_thread(comments, feature_langs, pipelines))
        ex.detected.extend(langs)
        for c in thread["comments"]:
            ex.act.append(c["labels"]["act"])
            ex.promotion.append(c["labels"]["promotion"])
            ex.thread.append(thread["id"])
            ex.gold_language.append(c["labels"].get("language", thread["language"]))
            ex.texts.append(c["text"])
        if progress:
            progress()
    return ex
