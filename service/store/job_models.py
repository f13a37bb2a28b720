"""The tables of bulk jobs (``service/jobs``): a job, its chunks, its input lines, its
results.

A job's input is split into chunks of consecutive lines when it is submitted. A worker
holds a chunk under a lease it renews while it works; a chunk whose lease lapsed (its
worker died) is queued again. Results are keyed by (job, line): writing a chunk again
replaces its rows, so a chunk run twice never counts or stores anything twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import UTC_TIME, Base, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")
CHUNK_STATUSES = ("queued", "running", "done", "failed", "cancelled")


class Job(Base):
    """A platform's bulk job: NDJSON threads to analyse, or its stored threads to score
    again (``kind`` ``analyze`` or ``rescore``)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_platform_created", "platform_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    chunks_left: Mapped[int] = mapped_column(Integer, default=0)
    model_version: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[str | None] = mapped_column(Text)  # a re-score's selection, as JSON
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTC_TIME, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTC_TIME)
    finished_at: Mapped[datetime | None] = mapped_column(UTC_TIME)


class JobChunk(Base):
    """Lines ``first_line``..``last_line`` of a job, the unit a worker takes, retries and writes."""

    __tablename__ = "job_chunks"
    __table_args__ = (
        UniqueConstraint("job_id", "chunk", name="uq_job_chunks_job_chunk"),
        Index("ix_job_chunks_due", "status", "lease_until"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    chunk: Mapped[int] = mapped_column(Integer)
    first_line: Mapped[int] = mapped_column(Integer)
    last_line: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None] = mapped_column(UTC_TIME)
    model_version: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(UTC_TIME)


class JobInput(Base):
    """One input line of a job: an NDJSON line as sent, or a stored thread to re-score."""

    __tablename__ = "job_inputs"
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"),
                                        primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    lineno: Mapped[int] = mapped_column(Integer)  # the line's number in the body sent
    body: Mapped[str | None] = mapped_column(Text)
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"))


class JobResult(Base):
    """The outcome of one input line: an output line, or an error; one row per line."""

    __tablename__ = "job_results"
    __table_args__ = (UniqueConstraint("job_id", "line", name="uq_job_results_job_line"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    chunk: Mapped[int] = mapped_column(Integer)
    output: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
