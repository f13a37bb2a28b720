"""The stored data: platforms and keys, threads, comments, analyses, flags, moderation.

Times are timezone-aware UTC. Every table is created by the Alembic migrations in
``service/store/migrations``; a test checks that the migrations and these models agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..schemas.limits import MAX_URL
from ..vocab import LEVEL_RANK as LEVEL_RANK  # re-exported: defined in service/vocab.py
from ..vocab import REVIEW_STATES

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FLAG_STATES = REVIEW_STATES


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z; SQLite hands back naive datetimes, which are UTC here."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


UTC_TIME = DateTime(timezone=True)


class Platform(Base):
    """A client platform; owns its threads and API keys."""

    __tablename__ = "platforms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)


class ApiKey(Base):
    """An API key: only its SHA-256 is stored, with a short public prefix to list it."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    platform: Mapped[Platform] = relationship()


class CoralPhase(Base):
    """A platform's Coral external moderation phase: its signing secret(s) and threshold.

    HMAC needs the secret itself, so it cannot be stored hashed: it is kept in the database,
    whose files the service creates readable by its own user only (docs/coral.md). After a
    rotation the previous secret stays valid until ``previous_until``.
    """

    __tablename__ = "coral_phases"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), unique=True)
    secret: Mapped[str] = mapped_column(String(128))
    previous_secret: Mapped[str | None] = mapped_column(String(128))
    previous_until: Mapped[datetime | None] = mapped_column(UTC_TIME)
    threshold: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTC_TIME)


class Thread(Base):
    """A platform's thread; its latest health is copied here to sort the flagged list."""

    __tablename__ = "threads"
    __table_args__ = (
        UniqueConstraint("platform_id", "external_id", name="uq_threads_platform_external"),
        Index("ix_threads_urgency", "platform_id", "flagged", "level_rank", "score",
              "updated_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(MAX_URL))
    language: Mapped[str | None] = mapped_column(String(8))  # the client's hint
    # the language most comments were detected in, recomputed on every analysis
    detected_language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str | None] = mapped_column(String(16))
    level_rank: Mapped[int | None] = mapped_column(Integer)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    review_state: Mapped[str] = mapped_column(String(16), default="open")
    # Bumped by every write of the thread's comments: a writer that analysed a version
    # another writer changed meanwhile starts again (optimistic concurrency).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The health a moderator last acted on (a worse one reopens what they closed) and why
    # the review state last moved: service/services/moderation_state.py.
    decision_score: Mapped[int | None] = mapped_column(Integer)
    decision_level: Mapped[str | None] = mapped_column(String(16))
    review_reason: Mapped[dict | None] = mapped_column(JSON)
    platform: Mapped[Platform] = relationship()

    @hybrid_property
    def thread_language(self) -> str | None:
        """The thread's language: the client's hint, else the comments' dominant one."""
        return self.language or self.detected_language

    @thread_language.inplace.expression
    @classmethod
    def _thread_language(cls):
        return func.coalesce(cls.language, cls.detected_language)


class Comment(Base):
    """A stored comment with its latest prediction (kept while the thread is unchanged)."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("thread_id", "external_id", name="uq_comments_thread_external"),
        # a thread's comments are read in posting order (migration 0011)
        Index("ix_comments_thread_position", "thread_id", "position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[str | None] = mapped_column(String(64))
    language_hint: Mapped[str | None] = mapped_column(String(8))
    stored_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    model_version: Mapped[str | None] = mapped_column(String(64))
    prediction: Mapped[dict | None] = mapped_column(JSON)


class ThreadState(Base):
    """What the analysis of a thread carries to its next comments (``nlp.thread_state``):
    the fixed-size counters and sums, the model and thread language they were made with."""

    __tablename__ = "thread_states"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True)
    model_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    scalars: Mapped[dict] = mapped_column(JSON)


class ThreadStateItem(Base):
    """One keyed value of a thread's analysis state: an author's counts, the authors a
    name may designate, a text or link an author posted (hashed), open questions."""

    __tablename__ = "thread_state_items"
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    value: Mapped[dict | list | int] = mapped_column(JSON)


class Analysis(Base):
    """One health analysis of a thread; the rows of a thread are its score history.

    Comment predictions live on the comment rows; this keeps the health part only, so
    the history stays small however often a long thread is appended to.
    """

    __tablename__ = "analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    analysed_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    comment_count: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))
    flags: Mapped[list] = mapped_column(JSON)
    health: Mapped[dict] = mapped_column(JSON)


class Flag(Base):
    """A flag raised on a thread, and what moderators did about it."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("thread_id", "name", name="uq_flags_thread_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(16), default="open")
    raised_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)


class Moderator(Base):
    """A moderator account; ``is_admin`` sees every platform."""

    __tablename__ = "moderators"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTC_TIME)
    # Bumped on sign-out: every session cookie issued before it stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    platforms: Mapped[list[Platform]] = relationship(secondary="moderator_platforms")


class ModeratorPlatform(Base):
    __tablename__ = "moderator_platforms"
    moderator_id: Mapped[int] = mapped_column(
        ForeignKey("moderators.id", ondelete="CASCADE"), primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), primary_key=True)


class Correction(Base):
    """A moderator's label correction, self-contained so it survives thread replacement."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    thread_external_id: Mapped[str] = mapped_column(String(200))
    comment_external_id: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    field: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(String(32))
    new_value: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    # The model's labels of the comment when it was corrected: {act, promotion, language}.
    predicted: Mapped[dict | None] = mapped_column(JSON)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("moderators.id"))
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)


class SignInThrottle(Base):
    """Failed sign-ins counted per key, shared by every worker (``store/throttle.py``).

    A key is an HMAC of a username (alone, or with a client address or a device), never the
    name itself: what people type as a username is sometimes their password."""

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTC_TIME, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTC_TIME)


class AuditEntry(Base):
    """Who did what, when: moderator actions, key management, thread replacement."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"))
    target: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict | None] = mapped_column(JSON)



class WebhookEndpoint(Base):
    """A platform's webhook endpoint: where its events go, which ones, and the secret that
    signs them (kept as is, like a Coral secret: HMAC needs the key itself).

    ``disabled_at``/``disabled_reason`` are set when deliveries kept failing; its queue is
    kept and sent once it is enabled again.
    """

    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    url: Mapped[str] = mapped_column(String(MAX_URL))
    events: Mapped[list] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(128))
    previous_secret: Mapped[str | None] = mapped_column(String(128))
    previous_until: Mapped[datetime | None] = mapped_column(UTC_TIME)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    disabled_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    disabled_reason: Mapped[str | None] = mapped_column(Text)


class WebhookEvent(Base):
    """The outbox: one event, written in the transaction of the change it reports."""

    __tablename__ = "webhook_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    type: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint: its state, attempts, and the lease of the worker that
    holds it (a worker that dies loses its lease, and another sends the event again)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id", name="uq_webhook_deliveries_event_endpoint"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"),
                                          index=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    lease_owner: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(UTC_TIME)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
