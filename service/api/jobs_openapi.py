"""The job endpoints of /v1 in the OpenAPI document."""

from __future__ import annotations

from ..schemas.openapi import json_response, problem, ref
from ..store.job_models import JOB_STATUSES
from .webhooks_openapi import COMMON, MAYBE_TIME, TIME

TAG = "jobs"


JOB_ID = {"name": "job_id", "in": "path", "required": True,
          "description": "The job's id (`job_…`), as submission returned it.",
          "schema": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}}
NOT_FOUND = {"404": problem("No such job for this platform")}
NDJSON_BODY = {"type": "string", "description": "One thread per line, as "
               "`thread-health analyze` reads them (the shape of PUT /v1/threads/{id} with "
               "an `id`); a bad line becomes an error line of the results."}

SCHEMAS = {
    "JobRescoreIn": {"type": "object", "required": ["rescore"], "additionalProperties": False,
                     "properties": {"rescore": {
        "type": "object", "additionalProperties": False, "properties": {
            "since": {"type": ["string", "null"], "format": "date-time",
                      "description": "only threads updated since then"},
            "flagged": {"type": ["boolean", "null"],
                        "description": "only flagged (true) or unflagged (false) threads"}}}}},
    "Job": {"type": "object", "required": ["id", "status", "done", "total", "errors",
                                           "model_version"], "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": ["analyze", "rescore"]},
        "status": {"type": "string", "enum": list(JOB_STATUSES)},
        "done": {"type": "integer", "minimum": 0, "description": "input lines finished"},
        "total": {"type": "integer", "minimum": 0},
        "errors": {"type": "integer", "minimum": 0,
                   "description": "lines that could not be analysed (in the results)"},
        "model_version": {"type": ["string", "null"]},
        "created_at": TIME, "started_at": MAYBE_TIME, "finished_at": MAYBE_TIME}},
}


def _op(summary: str, op_id: str, responses: dict, **extra) -> dict:
    return {"summary": summary, "operationId": op_id, "tags": [TAG],
            "responses": {**responses, **COMMON}, **extra}


PATHS = {
    "/v1/jobs": {"post": _op(
        "Submit a bulk job: NDJSON threads, or a re-score of stored threads", "submit_job", {
            "202": {"description": "Queued; follow it at Location",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": ref("Job")}}},
            "400": problem("Body not UTF-8, or malformed JSON"),
            "413": problem("Body larger than THREAD_HEALTH_JOB_MAX_BODY (64 MB)"),
            "415": problem("Neither NDJSON nor JSON"),
            "422": problem("No thread, too many, or a bad re-score request; `errors` "
                            "names each field"),
            "503": problem("No model loaded, or the queue did not answer")},
        requestBody={"required": True, "content": {
            "application/x-ndjson": {"schema": NDJSON_BODY},
            "application/json": {"schema": ref("JobRescoreIn")}}},
        description="Threads are analysed in chunks by the workers; the results come back "
                    "in input order, identical to `thread-health analyze`. A re-score "
                    "analyses the platform's stored threads again with the model in use, "
                    "most recently updated first, and stores the new analyses.")},
    "/v1/jobs/{job_id}": {
        "get": _op("A job's status and progress", "get_job",
                   {"200": json_response(ref("Job")), **NOT_FOUND}, parameters=[JOB_ID]),
        "delete": _op("Cancel a job", "cancel_job", {
            "200": json_response(ref("Job"), "Cancelled (again: still cancelled)"), **NOT_FOUND,
            "409": problem("The job is already done or failed")}, parameters=[JOB_ID])},
    "/v1/jobs/{job_id}/results": {"get": _op(
        "A finished job's results, NDJSON in input order", "job_results", {
            "200": {"description": "One line per input line: the analysis, or "
                                   '{"line": N, "error": "..."}; for a re-score, the '
                                   "thread's new and previous health. A cancelled job "
                                   "gives the lines finished before it was cancelled.",
                    "headers": {"X-Job-Status": {"schema": {"type": "string"}}},
                    "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
            **NOT_FOUND, "409": problem("The job is still queued or running")},
        parameters=[JOB_ID])},
}
