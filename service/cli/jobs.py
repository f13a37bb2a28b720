"""``thread-health worker``, ``thread-health jobs submit|status|results|cancel`` and
``thread-health rescore``: the operator's side of bulk jobs (docs/jobs.md).

These commands work on the configured database (and Redis, when
``THREAD_HEALTH_JOB_QUEUE`` is set) directly, like ``keys`` and ``webhooks``: job ids are
not scoped to a platform here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import click

from ..jobs import submit
from ..jobs.bodies import ndjson_items
from ..jobs.queues import DatabaseWorker, run_rq_worker
from ..jobs.runner import ChunkRunner
from ..jobs.store import cancel, describe, find_job, result_lines
from ..store import reading, transaction
from ..store.job_models import FINISHED
from ..store.models import Platform, Thread
from ..validation import ValidationError


@contextmanager
def cli_app(load_model: bool = False) -> Iterator:
    """The service's app for a command; its database connections closed at the end."""
    # the app (its database and, when asked, its model) only when a command runs
    from .. import create_app

    app = create_app({"LOAD_MODEL": load_model, "AUTO_MIGRATE": True})
    try:
        yield app
    finally:
        app.extensions["db_engine"].dispose()
        app.extensions["db_read_sessions"].kw["bind"].dispose()


def _platform_id(session, name: str) -> int:
    from sqlalchemy import select


    found = session.scalar(select(Platform.id).where(Platform.name == name))
    if found is None:
        raise click.BadParameter(f"no platform {name!r}", param_hint="--platform")
    return found


def _job(app, job_id: str) -> dict:

    with app.app_context(), reading() as session:
        job = find_job(session, None, job_id)
        if job is None:
            raise click.ClickException(f"no job {job_id!r}")
        return describe(job)


def follow(app, job_id: str, poll: float = 0.5) -> dict:
    """Wait for the job to finish, with a progress bar on a terminal; its last status."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    job = _job(app, job_id)
    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task(job_id, total=job["total"])
        while job["status"] not in FINISHED:
            progress.update(task, completed=job["done"])
            time.sleep(poll)
            job = _job(app, job_id)
        progress.update(task, completed=job["done"])
    return job


def _report(job: dict) -> None:
    click.echo(f"{job['id']}: {job['status']}, {job['done']} of {job['total']} lines, "
               f"{job['errors']} errors, model {job['model_version']}")


def rescore_platforms(app, platform: str | None = None, since: datetime | None = None,
                      flagged: bool | None = None, model_version: str | None = None
                      ) -> list[tuple[str, dict]]:
    """A re-score job for ``platform`` (default: every platform with stored threads);
    (platform, job) of each job queued."""
    from sqlalchemy import select


    with app.app_context():
        with reading() as session:
            query = select(Platform.id, Platform.name).order_by(Platform.name)
            if platform is not None:
                query = query.where(Platform.id == _platform_id(session, platform))
            else:
                query = query.where(Platform.id.in_(select(Thread.platform_id)))
            platforms = session.execute(query).all()
        return [(name, submit(pid, "rescore", None, actor="system",
                              model_version=model_version,
                              rescore={"since": since, "flagged": flagged}))
                for pid, name in platforms]


def register(main: click.Group) -> None:
    """Add the job commands to the ``thread-health`` group."""

    @main.command("worker")
    @click.option("--burst", is_flag=True, help="Stop once nothing is queued.")
    def worker(burst: bool) -> None:
        """Run job chunks: from RQ on Redis (THREAD_HEALTH_JOB_QUEUE), else from the
        database queue. Run one per core, on as many machines as share the database."""

        with cli_app(load_model=True) as app:
            settings = app.extensions["jobs"]
            runner = ChunkRunner(app, settings)
            where = (f"RQ queue {settings.queue_name!r}" if settings.redis
                     else "the database queue")
            click.echo(f"worker {runner.name} on {where}", err=True)
            if settings.redis:
                run_rq_worker(runner, burst=burst)
            else:
                DatabaseWorker(runner).run(burst=burst)

    @main.group()
    def jobs() -> None:
        """Bulk jobs: submit NDJSON threads, follow, read results, cancel."""

    @jobs.command("submit")
    @click.argument("input_file", metavar="INPUT.jsonl", type=click.File("rb"))
    @click.option("--platform", required=True, help="The platform the job belongs to.")
    @click.option("--wait", is_flag=True, help="Follow it to the end (a progress bar).")
    def jobs_submit(input_file, platform: str, wait: bool) -> None:
        """Queue INPUT.jsonl ('-': stdin) as a job; its id alone on the last line."""

        with cli_app() as app:
            with app.app_context():
                try:
                    items = ndjson_items(input_file.read(), app.extensions["jobs"].max_lines)
                except ValidationError as exc:
                    raise click.ClickException(str(exc)) from exc
                with reading() as session:
                    platform_id = _platform_id(session, platform)
                job = submit(platform_id, "analyze", items, actor="cli", model_version=None)
            click.echo(f"queued {job['total']} threads", err=True)
            if wait:
                _report(follow(app, job["id"]))
            click.echo(job["id"])

    @jobs.command("status")
    @click.argument("job_id")
    @click.option("--wait", is_flag=True, help="Follow it to the end (a progress bar).")
    def jobs_status(job_id: str, wait: bool) -> None:
        """A job's status and progress."""
        with cli_app() as app:
            _report(follow(app, job_id) if wait else _job(app, job_id))

    @jobs.command("results")
    @click.argument("job_id")
    @click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
                  help="Where to write the NDJSON results (default stdout).")
    def jobs_results(job_id: str, output) -> None:
        """A finished job's results, one line per input line, in input order."""

        with cli_app() as app:
            job = _job(app, job_id)
            if job["status"] not in FINISHED:
                raise click.ClickException(f"{job_id} is {job['status']}: wait for it with "
                                           f"`thread-health jobs status {job_id} --wait`")
            with app.app_context(), reading() as session:

                internal, after = find_job(session, None, job_id).id, -1
                while page := result_lines(session, internal, after):
                    output.write("".join(text + "\n" for _, text in page))
                    after = page[-1][0]

    @jobs.command("cancel")
    @click.argument("job_id")
    def jobs_cancel(job_id: str) -> None:
        """Cancel a queued or running job."""

        with cli_app() as app:
            with app.app_context(), transaction() as session:
                job = find_job(session, None, job_id, lock=True)
                if job is None:
                    raise click.ClickException(f"no job {job_id!r}")
                if not cancel(session, job):
                    raise click.ClickException(f"{job_id} is already {job.status}")
            click.echo(f"{job_id}: cancelled")

    @main.command("rescore")
    @click.option("--platform", default=None, help="Only this platform (default: all).")
    @click.option("--since", type=click.DateTime(), default=None,
                  help="Only threads updated since then (UTC).")
    @click.option("--flagged/--unflagged", default=None, help="Only flagged, or unflagged.")
    @click.option("--wait", is_flag=True, help="Follow the jobs to the end.")
    def rescore(platform: str | None, since: datetime | None, flagged: bool | None,
                wait: bool) -> None:
        """Score the stored threads again with the promoted model, newest first, as jobs."""
        with cli_app() as app:
            since = since.replace(tzinfo=UTC) if since else None
            queued = rescore_platforms(app, platform, since, flagged)
            if not queued:
                click.echo("no stored threads to score again", err=True)
            for name, job in queued:
                click.echo(f"platform {name}: {job['total']} threads, job {job['id']}")
            for _, job in queued if wait else ():
                _report(follow(app, job["id"]))
