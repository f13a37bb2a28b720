"""What the service answers: analyses, listings, problems, readiness.

The service builds these bodies as plain dicts (the scoring engine and the store speak
dicts); the models are their one statement, from which the OpenAPI components come, and
the tests validate real answers against them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..vocab import ACTS, DETECTED_LANGUAGES, FLAGS, LEVELS, PROMOTION, REASON_CODES, REVIEW_STATES

Score = Annotated[float, Field(ge=0, le=1)]
Percent = Annotated[int, Field(ge=0, le=100)]


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class ActResult(Model):
    label: Literal[ACTS]
    scores: dict[Literal[ACTS], Score] = Field(description="one probability per act, "
                                                           "summing to 1")


class PromotionResult(Model):
    label: Literal[PROMOTION]
    score: Score = Field(description="P(self_promotion)")


class CommentAnalysis(Model):
    """One comment's analysis."""

    id: str | None = None
    language: Literal[DETECTED_LANGUAGES]
    act: ActResult
    promotion: PromotionResult
    cues: list[str]
    warnings: list[str]
    model_version: str | None = None


class ReasonCode(Model):
    """A reason as a stable code with its figures."""

    code: Literal[REASON_CODES]
    n: int | None = None
    total: int | None = None
    pct: int | None = None


class Health(Model):
    """A thread's health: score, level, components, flags and why."""

    score: Percent
    level: Literal[LEVELS]
    components: dict[str, Score]
    flags: list[Literal[FLAGS]]
    reasons: list[str] = Field(description="in the language asked with `lang` (else the "
                                           "thread's)")
    reason_codes: list[ReasonCode] | None = Field(
        None, description="the reasons as stable codes with their figures (`n`, `total`, "
                          "`pct`), in the order of `reasons`")


class ThreadAnalysis(Model):
    """A thread's analysis: every comment's, and the health."""

    id: str | None = None
    model_version: str
    analysed_at: str | None = Field(None, description="stored threads only",
                                    json_schema_extra={"format": "date-time"})
    comments: list[CommentAnalysis]
    health: Health


class SummaryHealth(Model):
    score: int | None = None
    level: Literal[LEVELS] | None = None
    flags: list[Literal[FLAGS]] = []


class ThreadSummary(Model):
    """A stored thread in a listing."""

    id: str
    title: str | None = None
    url: str | None = None
    language: str | None = None
    comment_count: Annotated[int, Field(ge=0)]
    updated_at: str = Field(json_schema_extra={"format": "date-time"})
    flagged: bool
    review_state: Literal[REVIEW_STATES]
    health: SummaryHealth


class ThreadList(Model):
    threads: list[ThreadSummary]
    next_cursor: str | None


class ModelInfo(Model):
    """The model bundle in use."""

    model_version: str
    created_at: str | None = None
    labels: object = None
    languages: object = None
    promotion_threshold: float | None = None
    metrics: dict


class ProblemField(Model):
    field: str
    message: str


class Problem(Model):
    """RFC 9457 problem details, naming each bad field in ``errors``."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemField] | None = None


class ReadyCheck(Model):
    ok: bool
    detail: str


class Ready(Model):
    status: Literal["ready", "not_ready"]
    checks: dict[str, ReadyCheck]
