"""Re-scoring after a promotion (and a rollback), as a job, on each database: the stored
threads get the new model's analysis, newest first, and their moderation state follows
with audit rows by "system"."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from service.cli import main
from service.scoring.bundles import current_bundle_path, load_bundle, save_bundle
from service.store import reading
from service.store.models import Analysis, AuditEntry, Comment, Thread
from tests.helpers import CORPUS, new_key
from tests.jobs.conftest import drain, jobs_app

PROMOTED = current_bundle_path(CORPUS.parents[2] / "models")
SPAM = {"title": "Sourdough at altitude", "language": "en", "comments": [
    {"id": "c1", "author": "lea", "text": "Anyone baking sourdough above 1500 m? My loaves "
                                          "collapse."},
    {"id": "c2", "author": "sam", "text": "Check out my bakery channel, link in bio!!"}]}


@pytest.fixture
def models(tmp_path):
    """A models folder serving a copy of the promoted bundle ("prod"), with "strict"
    beside it: the same classifiers, a threshold no comment reaches (no self-promotion)."""
    folder = tmp_path / "models"
    (folder / "prod").mkdir(parents=True)
    for part in ("model.json", "model.npz", "metadata.json"):
        shutil.copy(PROMOTED / part, folder / "prod" / part)
    model = load_bundle(PROMOTED).model
    meta = json.loads((PROMOTED / "metadata.json").read_text())
    model["promotion_threshold"] = meta["promotion_threshold"] = 1.01
    save_bundle(folder / "strict", model, {**meta, "model_version": "strict-version"})
    (folder / "current").write_text("prod\n")
    return folder


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_promote_then_rollback_rescore_the_stored_threads(backend, tmp_path, models,
                                                          runner, monkeypatch):
    with jobs_app(tmp_path, backend, MODELS_DIR=models, MODEL_CHECK_INTERVAL=0) as app:
        client, (_, headers) = app.test_client(), new_key(app, f"rs-{backend}")
        for name in ("t-old", "t-new"):
            answer = client.put(f"/v1/threads/{name}", json=SPAM, headers=headers)
            assert "self_promotion" in answer.get_json()["health"]["flags"]
        before = app.extensions["engine_holder"].get().model_version
        monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
        promoted = runner.invoke(main, ["models", "promote", "strict", "--yes",
                                        "--live-limit", "0", "--models-dir", str(models)])
        assert promoted.exit_code == 0, promoted.output
        assert "re-score of platform rs-" in promoted.output
        job_id = promoted.output.split("job ")[-1].split()[0]

        drain(app)
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).get_json()
        assert (job["status"], job["done"], job["total"], job["model_version"]) == (
            "done", 2, 2, "strict-version")
        lines = client.get(f"/v1/jobs/{job_id}/results", headers=headers).data.splitlines()
        results = [json.loads(line) for line in lines]
        assert [r["id"] for r in results] == ["t-new", "t-old"]  # newest first
        for result in results:
            assert "self_promotion" not in result["flags"]
            assert result["previous"]["model_version"] == before
            assert "self_promotion" in result["previous"]["flags"]
        queue = client.get("/v1/threads?limit=10", headers=headers).get_json()
        stored = client.get("/v1/threads/t-old", headers=headers).get_json()
        assert stored["model_version"] == "strict-version"
        assert all("self_promotion" not in t["health"]["flags"] for t in queue["threads"])
        with app.app_context(), reading() as session:
            versions = session.scalars(select(Analysis.model_version).join(Thread).where(
                Thread.external_id == "t-old").order_by(Analysis.id)).all()
            comments = session.scalars(select(Comment.model_version).join(Thread).where(
                Thread.external_id == "t-old")).all()
            audit = session.execute(select(AuditEntry.actor, AuditEntry.action).where(
                AuditEntry.target == "t-old")).all()
        assert versions == [before, "strict-version"]
        assert comments == ["strict-version", "strict-version"]
        assert ("system", "moderation.flag_cleared") in audit

        rolled = runner.invoke(main, ["models", "rollback", "--models-dir", str(models)])
        assert rolled.exit_code == 0 and "re-score of platform" in rolled.output
        drain(app)
        stored = client.get("/v1/threads/t-old", headers=headers).get_json()
        assert stored["model_version"] == before
        assert "self_promotion" in stored["health"]["flags"]


def test_rescore_selection_and_an_empty_one(japp):
    client, (_, headers) = japp.test_client(), new_key(japp)
    client.put("/v1/threads/a", json=SPAM, headers=headers)
    empty = client.post("/v1/jobs", json={"rescore": {"since": "2999-01-01"}},
                        headers=headers)
    assert empty.status_code == 202
    assert (empty.get_json()["status"], empty.get_json()["total"]) == ("done", 0)
    flagged = client.post("/v1/jobs", json={"rescore": {"flagged": True}}, headers=headers)
    unflagged = client.post("/v1/jobs", json={"rescore": {"flagged": False}}, headers=headers)
    assert flagged.get_json()["total"] == 1 and unflagged.get_json()["total"] == 0
    drain(japp)
    job = client.get(flagged.headers["Location"], headers=headers).get_json()
    assert (job["status"], job["done"], job["errors"]) == ("done", 1, 0)
