"""Perspective API request bodies (``comments:analyze``, ``comments:suggestscore``),
validated into plain values, free of Flask.

Field names and defaults follow Perspective's public reference; every problem raises
``PerspectiveError`` with the HTTP status and the message Perspective would give (or ours
where its wording is not public), so a client's error handling keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...validation import MAX_TEXT, storable
from ...vocab import LANGUAGES

# Our attributes, named in Perspective's style: what each one reads in a comment analysis.
ATTRIBUTES = {
    "SPAM": ("promotion", "self_promotion"),
    "SELF_PROMOTION": ("promotion", "self_promotion"),
    "BROADCAST": ("act", "broadcast"),
    "LISTENING": ("act", "listening"),
    "CONTRIBUTION": ("act", "contribution"),
}
SUPPORTED_LANGUAGES = LANGUAGES
MAX_CONTEXT_ENTRIES = 50
MAX_TOKEN = 200  # clientToken, sessionId, communityId
# Google's canonical code names by HTTP status
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "INVALID_ARGUMENT",
                415: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                503: "UNAVAILABLE"}


class PerspectiveError(Exception):
    """A request Perspective would refuse: ``status`` and Google's ``code`` name."""

    def __init__(self, message: str, status: int = 400, details: list | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details or []

    def body(self) -> dict:
        error = {"code": self.status, "message": self.message,
                 "status": STATUS_NAMES.get(self.status, "UNKNOWN")}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def _error_info(reason: str) -> list[dict]:
    return [{"@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
             "errorType": reason}]


@dataclass(frozen=True)
class Requested:
    """One requested attribute: its name and the threshold below which it is left out."""

    name: str
    threshold: float | None = None


@dataclass(frozen=True)
class AnalyzeRequest:
    """A validated ``comments:analyze`` body."""

    text: str
    attributes: list[Requested]
    languages: list[str] = field(default_factory=list)  # "fr" | "en", empty: detect
    context: list[str] = field(default_factory=list)
    span_annotations: bool = False
    do_not_store: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None


@dataclass(frozen=True)
class SuggestRequest:
    """A validated ``comments:suggestscore`` body: the client's score per attribute."""

    text: str
    scores: dict[str, float]
    languages: list[str] = field(default_factory=list)
    client_token: str | None = None
    community_id: str | None = None


def _object(value, name: str) -> dict:
    if not isinstance(value, dict):
        raise PerspectiveError(f"Invalid JSON payload: '{name}' must be an object.")
    return value


def _bool(body: dict, name: str) -> bool:
    value = body.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise PerspectiveError(f"Invalid value at '{name}': expected true or false.")
    return value


def _token(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_TOKEN or not storable(value):
        raise PerspectiveError(f"Invalid value at '{name}': expected a string of at most "
                               f"{MAX_TOKEN} characters.")
    return value


def _comment_text(body: dict) -> str:
    comment = _object(body.get("comment"), "comment")
    kind = comment.get("type", "PLAIN_TEXT")
    if kind != "PLAIN_TEXT":
        raise PerspectiveError(f"Invalid value at 'comment.type': {kind!r}; only PLAIN_TEXT "
                               "is supported.")
    text = comment.get("text")
    if not isinstance(text, str) or not text.strip():
        raise PerspectiveError("Comment must be non-empty.")
    if len(text) > MAX_TEXT:
        raise PerspectiveError(f"Comment text is too long: at most {MAX_TEXT} characters, "
                               f"got {len(text)}.")
    if not storable(text):
        raise PerspectiveError("Comment text must be valid Unicode without NUL characters.")
    return text


def _context(body: dict) -> list[str]:
    context = body.get("context")
    if context is None:
        return []
    entries = _object(context, "context").get("entries", [])
    if not isinstance(entries, list) or len(entries) > MAX_CONTEXT_ENTRIES:
        raise PerspectiveError("Invalid value at 'context.entries': expected an array of at "
                               f"most {MAX_CONTEXT_ENTRIES} entries.")
    texts = []
    for i, entry in enumerate(entries):
        text = _object(entry, f"context.entries[{i}]").get("text", "")
        if entry.get("type", "PLAIN_TEXT") != "PLAIN_TEXT":
            raise PerspectiveError(f"Invalid value at 'context.entries[{i}].type': only "
                                   "PLAIN_TEXT is supported.")
        if not isinstance(text, str) or len(text) > MAX_TEXT or not storable(text):
            raise PerspectiveError(f"Invalid value at 'context.entries[{i}].text': expected "
                                   f"a string of at most {MAX_TEXT} characters.")
        if text.strip():
            texts.append(text)
    return texts


def parse_languages(raw, attributes: list[str]) -> list[str]:
    """Requested languages reduced to fr/en (``fr-CA`` is ``fr``); any other is the 400
    Perspective gives for a language an attribute does not support."""
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw) or len(raw) > 10:
        raise PerspectiveError("Invalid value at 'languages': expected an array of language "
                               "codes such as [\"fr\"].")
    codes = list(dict.fromkeys(x.strip().lower().replace("_", "-").split("-")[0]
                               for x in raw if x.strip()))
    unsupported = [c for c in codes if c not in SUPPORTED_LANGUAGES]
    if unsupported:
        raise language_error(attributes, unsupported)
    return codes


def language_error(attributes: list[str], codes: list[str]) -> PerspectiveError:
    """Perspective's answer for languages an attribute cannot score."""
    name = attributes[0] if attributes else "SPAM"
    return PerspectiveError(f"Attribute {name} does not support request languages: "
                            f"{','.join(codes)}", details=_error_info(
                                "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"))


def _attributes(body: dict, drop_unsupported: bool) -> list[Requested]:
    raw = body.get("requestedAttributes")
    if not isinstance(raw, dict) or not raw:
        raise PerspectiveError("Request must specify at least one attribute in "
                               "'requestedAttributes'.")
    requested = []
    for name, spec in raw.items():
        if name not in ATTRIBUTES:
            if drop_unsupported:
                continue
            raise PerspectiveError(f"Unknown attribute: {name}. Supported attributes: "
                                   f"{', '.join(ATTRIBUTES)}.")
        spec = _object({} if spec is None else spec, f"requestedAttributes.{name}")
        score_type = spec.get("scoreType", "PROBABILITY")
        if score_type not in (None, "PROBABILITY"):
            raise PerspectiveError(f"Invalid value at 'requestedAttributes.{name}.scoreType': "
                                   f"{score_type!r}; only PROBABILITY is supported.")
        threshold = spec.get("scoreThreshold")
        if threshold is not None and (isinstance(threshold, bool)
                                      or not isinstance(threshold, int | float)
                                      or not 0 <= threshold <= 1):
            raise PerspectiveError(f"Invalid value at 'requestedAttributes.{name}."
                                   "scoreThreshold': expected a number from 0 to 1.")
        requested.append(Requested(name, None if threshold is None else float(threshold)))
    if not requested:
        raise PerspectiveError("None of the requested attributes is supported (all were "
                               f"dropped); supported attributes: {', '.join(ATTRIBUTES)}.")
    return requested


def parse_analyze(body) -> AnalyzeRequest:
    """Validate a ``comments:analyze`` body; raises PerspectiveError."""
    body = _object(body, "body")
    text = _comment_text(body)
    attributes = _attributes(body, _bool(body, "dropUnsupportedAttributes"))
    return AnalyzeRequest(
        text=text, attributes=attributes,
        languages=parse_languages(body.get("languages"), [a.name for a in attributes]),
        context=_context(body), span_annotations=_bool(body, "spanAnnotations"),
        do_not_store=_bool(body, "doNotStore"), client_token=_token(body, "clientToken"),
        session_id=_token(body, "sessionId"), community_id=_token(body, "communityId"))


def parse_suggest(body) -> SuggestRequest:
    """Validate a ``comments:suggestscore`` body; raises PerspectiveError."""
    body = _object(body, "body")
    text = _comment_text(body)
    _context(body)  # validated like analyze's, not used
    raw = body.get("attributeScores")
    if not isinstance(raw, dict) or not raw:
        raise PerspectiveError("Request must specify at least one attribute in "
                               "'attributeScores'.")
    scores = {}
    for name, spec in raw.items():
        if name not in ATTRIBUTES:
            raise PerspectiveError(f"Unknown attribute: {name}. Supported attributes: "
                                   f"{', '.join(ATTRIBUTES)}.")
        summary = _object(_object(spec, f"attributeScores.{name}").get("summaryScore"),
                          f"attributeScores.{name}.summaryScore")
        value = summary.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise PerspectiveError(f"Invalid value at 'attributeScores.{name}.summaryScore."
                                   "value': expected a number from 0 to 1.")
        scores[name] = float(value)
    return SuggestRequest(text=text, scores=scores,
                          languages=parse_languages(body.get("languages"), list(scores)),
                          client_token=_token(body, "clientToken"),
                          community_id=_token(body, "communityId"))


def suggested_labels(scores: dict[str, float]) -> dict[str, str]:
    """Our labels from a client's suggested scores: SPAM/SELF_PROMOTION at 0.5 or more is
    self-promotion, below is dialogue; the act whose suggested score is highest, if at least
    0.5 (an act below 0.5 alone names no act). Contradictions and nothing usable are 400."""
    labels: dict[str, str] = {}
    promotion = {scores[n] >= 0.5 for n in ("SPAM", "SELF_PROMOTION") if n in scores}
    if len(promotion) > 1:
        raise PerspectiveError("SPAM and SELF_PROMOTION are the same attribute: their "
                               "suggested scores must agree.")
    if promotion:
        labels["promotion"] = "self_promotion" if promotion.pop() else "dialogue"
    acts = {ATTRIBUTES[n][1]: v for n, v in scores.items() if ATTRIBUTES[n][0] == "act"}
    if acts:
        best = max(acts, key=acts.get)
        if acts[best] >= 0.5:
            if sum(v >= 0.5 for v in acts.values()) > 1:
                raise PerspectiveError("At most one of BROADCAST, LISTENING and CONTRIBUTION "
                                       "can be suggested at 0.5 or more: a comment has one act.")
            labels["act"] = best
    if not labels:
        raise PerspectiveError("No label follows from these scores: suggest SPAM (or "
                               "SELF_PROMOTION), or one act attribute at 0.5 or more.")
    return labels
