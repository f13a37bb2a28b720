"""The calling platform's bulk jobs: submit (NDJSON threads, or a re-score of its stored
threads), read the status, stream the results in input order, cancel. Another platform's
job answers 404 like a missing one."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, g, request, stream_with_context
from werkzeug.exceptions import UnsupportedMediaType

from ..errors import problem
from ..jobs import QueueUnavailable, settings, submit
from ..jobs import store as jobs_store
from ..jobs.bodies import bad as _bad
from ..jobs.bodies import ndjson_items
from ..store import reading, transaction
from ..store.job_models import FINISHED
from ..validation import ValidationError, parse_json, storable
from . import bp, engine_or_503

NDJSON = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")
RESCORE_FIELDS = ("since", "flagged")


def _actor() -> str:
    return f"platform:{g.caller.platform}"


def rescore_request(obj) -> dict:
    """The selection of a ``{"rescore": {"since"?, "flagged"?}}`` body."""
    if not isinstance(obj, dict) or set(obj) != {"rescore"}:
        raise _bad("body", 'must be {"rescore": {...}} (send threads as NDJSON with '
                           "Content-Type: application/x-ndjson)")
    selection = obj["rescore"]
    if not isinstance(selection, dict):
        raise _bad("rescore", 'must be an object such as {"since": "2026-01-01T00:00:00Z", '
                              '"flagged": true} (both optional)')
    errors = [{"field": f"rescore.{key}", "message": "unknown field; expected since or "
                                                   "flagged"}
              for key in selection if key not in RESCORE_FIELDS]
    since, flagged = selection.get("since"), selection.get("flagged")
    if since is not None:
        try:
            since = datetime.fromisoformat(since) if isinstance(since, str) else None
        except ValueError:
            since = None
        if since is None:
            errors.append({"field": "rescore.since",
                           "message": "must be an ISO 8601 date or date-time"})
        elif since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
    if flagged is not None and not isinstance(flagged, bool):
        errors.append({"field": "rescore.flagged", "message": "must be true, false or null"})
    if errors:
        raise ValidationError(errors)
    return {"since": since, "flagged": flagged}


@bp.post("/jobs")
def submit_job():
    """Queue a job; 202 with its id and where to follow it."""
    config = settings()
    if request.mimetype in NDJSON:
        kind, items = "analyze", ndjson_items(request.get_data(cache=True), config.max_lines)
        selection = None
    elif request.mimetype == "application/json":
        kind, items = "rescore", None
        selection = rescore_request(parse_json(request.get_data(cache=True)))
    else:
        raise UnsupportedMediaType("Send threads as NDJSON ('Content-Type: "
                                   "application/x-ndjson') or a re-score request as JSON.")
    version = engine_or_503().model_version
    try:
        body = submit(g.caller.platform_id, kind, items, actor=_actor(),
                      model_version=version, rescore=selection)
    except QueueUnavailable as exc:
        return problem(503, "Service Unavailable", str(exc), kind="queue-unavailable",
                       headers={"Retry-After": "30"})
    return body, 202, {"Location": f"/v1/jobs/{body['id']}"}


def _find(session, job_id: str, *, lock: bool = False):
    """The caller's job, or a 404 problem (also for an id no job can have)."""
    found = None
    if len(job_id) <= 40 and storable(job_id):
        found = jobs_store.find_job(session, g.caller.platform_id, job_id, lock=lock)
    if found is None:
        abort(problem(404, "Not Found", f"No job {job_id!r} for this platform.",
                      kind="job-not-found"))
    return found


@bp.get("/jobs/<job_id>")
def get_job(job_id: str):
    with reading() as session:
        return jobs_store.describe(_find(session, job_id))


@bp.get("/jobs/<job_id>/results")
def job_results(job_id: str):
    """NDJSON, one line per input line in input order (an error line for a bad one); for a
    cancelled or failed job, the lines that were finished."""
    with reading() as session:
        job = _find(session, job_id)
        status, internal_id = job.status, job.id
    if status not in FINISHED:
        return problem(409, "Conflict", f"Job {job_id!r} is {status}: its results are "
                       "ready once it is done (GET /v1/jobs/{id} shows progress).",
                       kind="job-not-finished")

    def lines():
        after = -1
        while True:
            with reading() as session:
                page = jobs_store.result_lines(session, internal_id, after)
            if not page:
                return
            yield "".join(text + "\n" for _, text in page)
            after = page[-1][0]

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson",
                    headers={"X-Job-Status": status})


@bp.delete("/jobs/<job_id>")
def cancel_job(job_id: str):
    """Cancel a queued or running job (its finished chunks' results are kept)."""
    with transaction() as session:
        job = _find(session, job_id, lock=True)
        if not jobs_store.cancel(session, job):
            return problem(409, "Conflict", f"Job {job_id!r} is already {job.status}.",
                           kind="job-finished")
        return jobs_store.describe(job)
