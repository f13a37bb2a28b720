"""Perspective's response from our engine: attribute scores, sentence spans, languages.

Free of Flask. The comment is classified as the last comment of a thread whose earlier
comments are ``context.entries`` (each by its own author, the comment replying to the last
one), so context counts the way a thread's does; span scores classify each sentence alone.
"""

from __future__ import annotations

import re

from ...nlp.features import CommentInput
from .parsing import ATTRIBUTES, SUPPORTED_LANGUAGES, AnalyzeRequest, language_error

# A sentence ends at . ! ? … (repeated, maybe closed by a quote or bracket, French style
# with a space before »), before a space,
# or at a line break; what is left at the end is the last sentence.
SENTENCE_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[\"'”»)\]])*(?=\s)|\n+")
OTHER_CODE = re.compile(r"looks like '([a-z-]+)'")


def sentences(text: str) -> list[tuple[int, int]]:
    """(begin, end) character offsets of the sentences of ``text``, spaces left out."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for begin, end in spans:
        piece = text[begin:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((begin + lead, begin + len(piece.rstrip())))
    return out


def attribute_value(name: str, act_scores: dict[str, float], p_promotion: float) -> float:
    """The probability an attribute reports, from one comment's predictions."""
    axis, label = ATTRIBUTES[name]
    return round(float(p_promotion if axis == "promotion" else act_scores[label]), 4)


def _score(value: float) -> dict:
    return {"value": value, "type": "PROBABILITY"}


def _thread(request: AnalyzeRequest, text: str, hint: str | None) -> list[CommentInput]:
    earlier = [CommentInput(id=f"context-{i}", author=f"context-{i}", text=t)
               for i, t in enumerate(request.context)]
    reply_to = earlier[-1].id if earlier else None
    return [*earlier, CommentInput(id="comment", author="comment", text=text,
                                   reply_to=reply_to, language=hint)]


def decide_language(engine, request: AnalyzeRequest) -> tuple[str, list[str]]:
    """(the language the comment is scored in, ``detectedLanguages``).

    Requested languages win (one of fr/en; with both, detection chooses between them).
    Without any, a comment detected as another language is refused as Perspective refuses
    it; a comment with no words (emoji, a link) is scored as English and reports none."""
    detected = engine.detector.detect(request.text)
    names = [a.name for a in request.attributes]
    if detected.language in SUPPORTED_LANGUAGES:
        found = [detected.language]
    elif detected.source == "detected":
        match = OTHER_CODE.search(detected.warning or "")
        found = [match.group(1) if match else "und"]
    else:
        found = []
    if len(request.languages) == 1:
        return request.languages[0], found
    if request.languages:
        return (found[0] if found and found[0] in request.languages else "en"), found
    if found and found[0] not in SUPPORTED_LANGUAGES:
        raise language_error(names, found)
    return (found[0] if found else "en"), found


def analyze(engine, request: AnalyzeRequest) -> dict:
    """The ``comments:analyze`` response body for a validated request."""
    language, detected = decide_language(engine, request)
    results, _ = engine.predict(_thread(request, request.text, language), language)
    comment = results[-1]
    spans = []
    if request.span_annotations:
        for begin, end in sentences(request.text):
            result = engine.predict([CommentInput(id="s", author="s",
                                                  text=request.text[begin:end],
                                                  language=language)], language)[0][0]
            spans.append((begin, end, result))
    scores = {}
    for attribute in request.attributes:
        value = attribute_value(attribute.name, comment.act_scores, comment.p_promotion)
        if attribute.threshold is not None and value < attribute.threshold:
            continue  # Perspective leaves out scores below the threshold
        entry = {"summaryScore": _score(value)}
        if request.span_annotations:
            kept = []
            for begin, end, result in spans:
                span_value = attribute_value(attribute.name, result.act_scores,
                                             result.p_promotion)
                if attribute.threshold is None or span_value >= attribute.threshold:
                    kept.append({"begin": begin, "end": end, "score": _score(span_value)})
            entry["spanScores"] = kept
        scores[attribute.name] = entry
    body = {"attributeScores": scores, "languages": [language],
            "detectedLanguages": detected}
    if request.client_token is not None:
        body["clientToken"] = request.client_token
    return body
