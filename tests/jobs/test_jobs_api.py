"""The jobs API on each database with the database queue: submit, follow, results in input
order identical to ``thread-health analyze``, cancel, per-platform isolation, bad inputs."""

from __future__ import annotations

import json

import pytest

from service.services.batch_analysis import BatchRunner
from tests.helpers import new_key
from tests.jobs.conftest import corpus_lines, drain

NDJSON = {"Content-Type": "application/x-ndjson"}


def _submit(client, headers, body: str, content_type="application/x-ndjson"):
    return client.post("/v1/jobs", data=body.encode("utf-8"),
                       headers={**headers, "Content-Type": content_type})


def test_a_job_runs_and_its_results_equal_analyze(japp):
    client, (_, headers) = japp.test_client(), new_key(japp)
    lines = corpus_lines(10)
    body = "".join(lines[:3]) + "not json\n\n" + "".join(lines[3:])
    answer = _submit(client, headers, body)
    assert answer.status_code == 202
    job = answer.get_json()
    assert job["status"] == "queued" and job["total"] == 11
    assert answer.headers["Location"] == f"/v1/jobs/{job['id']}"
    early = client.get(f"/v1/jobs/{job['id']}/results", headers=headers)
    assert early.status_code == 409 and early.mimetype == "application/problem+json"

    drain(japp)
    status = client.get(f"/v1/jobs/{job['id']}", headers=headers).get_json()
    assert (status["status"], status["done"], status["total"], status["errors"]) == (
        "done", 11, 11, 1)
    engine = japp.extensions["engine_holder"].get()
    assert status["model_version"] == engine.model_version
    results = client.get(f"/v1/jobs/{job['id']}/results", headers=headers)
    assert results.status_code == 200 and results.mimetype == "application/x-ndjson"
    got = results.get_data(as_text=True).splitlines()
    with BatchRunner(workers=1, model_path=None, models_dir=japp.config["MODELS_DIR"],
                     engine=engine) as runner:
        expected = [r.output if r.error is None else
                    json.dumps({"line": r.lineno, "error": r.error}, ensure_ascii=False)
                    for r in runner.run(body.splitlines(keepends=True))]
    assert got == expected
    assert json.loads(got[3]) == {"line": 4, "error": json.loads(got[3])["error"]}
    assert "not valid JSON" in json.loads(got[3])["error"]


def test_cancel_stops_a_queued_job_and_keeps_nothing_running(japp):
    client, (_, headers) = japp.test_client(), new_key(japp)
    job = _submit(client, headers, "".join(corpus_lines(12))).get_json()
    cancelled = client.delete(f"/v1/jobs/{job['id']}", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.delete(f"/v1/jobs/{job['id']}", headers=headers).status_code == 200
    drain(japp)
    status = client.get(f"/v1/jobs/{job['id']}", headers=headers).get_json()
    assert (status["status"], status["done"]) == ("cancelled", 0)
    results = client.get(f"/v1/jobs/{job['id']}/results", headers=headers)
    assert results.status_code == 200 and results.data == b""
    assert results.headers["X-Job-Status"] == "cancelled"


def test_a_finished_job_cannot_be_cancelled(japp):
    client, (_, headers) = japp.test_client(), new_key(japp)
    job = _submit(client, headers, corpus_lines(1)[0]).get_json()
    drain(japp)
    answer = client.delete(f"/v1/jobs/{job['id']}", headers=headers)
    assert answer.status_code == 409 and "already done" in answer.get_json()["detail"]


def test_another_platforms_job_is_not_found(japp):
    client = japp.test_client()
    (_, mine), (_, theirs) = new_key(japp), new_key(japp)
    job = _submit(client, mine, corpus_lines(1)[0]).get_json()
    for method, path in (("get", ""), ("get", "/results"), ("delete", "")):
        answer = getattr(client, method)(f"/v1/jobs/{job['id']}{path}", headers=theirs)
        assert answer.status_code == 404, (method, path)
        assert answer.get_json()["type"].endswith("job-not-found")
    assert client.get(f"/v1/jobs/{job['id']}", headers=mine).status_code == 200


BAD = [
    # (content type, body, status, field)
    ("text/plain", "{}", 415, None),
    ("application/x-ndjson", b"\xff\xfe{}", 400, "body"),
    ("application/x-ndjson", "\n  \n", 422, "body"),
    ("application/x-ndjson", '{"comments": []}\n{"a": "\x00"}', 422, "body line 2"),
    ("application/json", "{", 400, "body"),
    ("application/json", "[]", 422, "body"),
    ("application/json", '{"comments": []}', 422, "body"),
    ("application/json", '{"rescore": {}, "x": 1}', 422, "body"),
    ("application/json", '{"rescore": 3}', 422, "rescore"),
    ("application/json", '{"rescore": {"since": "yesterday"}}', 422, "rescore.since"),
    ("application/json", '{"rescore": {"since": 20260101}}', 422, "rescore.since"),
    ("application/json", '{"rescore": {"flagged": "yes"}}', 422, "rescore.flagged"),
    ("application/json", '{"rescore": {"limit": 3}}', 422, "rescore.limit"),
]


@pytest.mark.parametrize(("content_type", "body", "status", "field"), BAD)
def test_bad_submissions_name_the_field(japp, content_type, body, status, field):
    client, (_, headers) = japp.test_client(), new_key(japp)
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    answer = client.post("/v1/jobs", data=data, headers={**headers,
                                                         "Content-Type": content_type})
    assert answer.status_code == status, answer.get_json()
    assert answer.mimetype == "application/problem+json"
    if field:
        assert field in [e["field"] for e in answer.get_json()["errors"]]


def test_too_many_lines_and_too_large_bodies_are_refused(tmp_path):
    from tests.jobs.conftest import jobs_app

    with jobs_app(tmp_path, "sqlite", JOB_MAX_LINES=2, JOB_MAX_BODY=4096,
                  LOAD_MODEL=False) as app:
        client, (_, headers) = app.test_client(), new_key(app)
        answer = _submit(client, headers, "{}\n{}\n{}\n")
        assert answer.status_code == 422 and "at most 2 threads" in answer.get_json()["detail"]
        answer = _submit(client, headers, "{}\n" + " " * 5000)
        assert answer.status_code == 413
        # the job limit applies to the jobs route only: 5,000 bytes are fine elsewhere
        answer = client.put("/v1/threads/t1", data=b"x" * 5000,
                            headers={**headers, "Content-Type": "application/json"})
        assert answer.status_code == 400


def test_no_model_loaded_is_503(tmp_path):
    from tests.jobs.conftest import jobs_app

    with jobs_app(tmp_path, "sqlite", LOAD_MODEL=False) as app:
        client, (_, headers) = app.test_client(), new_key(app)
        answer = _submit(client, headers, "{}\n")
        assert answer.status_code == 503


@pytest.mark.parametrize("path", ["/v1/jobs/job_nope", "/v1/jobs/" + "x" * 41,
                                  "/v1/jobs/job_nope/results"])
def test_unknown_jobs_are_404(japp, path):
    client, (_, headers) = japp.test_client(), new_key(japp)
    assert client.get(path, headers=headers).status_code == 404
    assert client.delete("/v1/jobs/job_nope", headers=headers).status_code == 404


def test_jobs_need_a_key(japp):
    client = japp.test_client()
    assert client.post("/v1/jobs", data=b"{}\n", headers=NDJSON).status_code == 401
    assert client.get("/v1/jobs/job_x").status_code == 401
