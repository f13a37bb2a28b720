"""Train on a corpus subset, evaluate against the bundled model, promote, serve, roll back.

One app object serves the whole test: promotion and rollback reach it without a restart.
"""

from __future__ import annotations

import json

import pytest

from service import create_app
from service.cli import main
from tests.helpers import corpus_thread, new_key
from tests.training.helpers import BUNDLED, copy_bundle


@pytest.fixture
def served(tmp_path):
    """A models folder holding a copy of the bundled model, promoted, and an app on it."""
    models = tmp_path / "models"
    copy_bundle(models, BUNDLED.name)
    (models / "current").write_text(BUNDLED.name + "\n")
    app = create_app({"DATA_DIR": tmp_path / "data", "TESTING": True, "MODELS_DIR": models,
                      "MODEL_CHECK_INTERVAL": 0})
    yield app, models
    app.extensions["db_engine"].dispose()
    app.extensions["db_read_sessions"].kw["bind"].dispose()


def served_versions(client, headers) -> set[str]:
    """The model_version of /v1/models/current and of every kind of analysis."""
    current = client.get("/v1/models/current", headers=headers).get_json()
    comment = client.post("/v1/analyze/comment", headers=headers,
                          json={"text": "Merci Claire, tu peux préciser ?"}).get_json()
    thread = client.post("/v1/analyze/thread", headers=headers, json=corpus_thread(0)).get_json()
    return {current["model_version"], comment["model_version"], thread["model_version"]}


def test_train_evaluate_promote_serve_rollback(served, subset, runner):
    app, models = served
    client = app.test_client()
    _, headers = new_key(app)
    assert served_versions(client, headers) == {BUNDLED.name}

    trained = runner.invoke(main, ["train", "--data", str(subset), "--out",
                                   str(models / "subset-model")])
    assert trained.exit_code == 0, trained.output
    new_version = json.loads(trained.stdout)["model_version"]
    assert "preparing comments: started" in trained.stderr  # not a terminal: progress lines
    assert "writing the report: done 1/1 in " in trained.stderr
    assert new_version != BUNDLED.name

    compared = runner.invoke(main, ["evaluate", "--model", str(models / "subset-model"),
                                    "--data", str(subset), "--baseline", str(models / BUNDLED.name),
                                    "--no-youtube", "--resamples", "200", "--json"])
    assert compared.exit_code == 0, compared.output
    intervals = json.loads(compared.stdout)["intervals"]
    macro = intervals["fr"]["metrics"]["act_macro_f1"]
    assert set(macro) == {"model", "baseline", "difference"}

    refused = runner.invoke(main, ["models", "promote", "subset-model",
                                   "--models-dir", str(models)])
    assert refused.exit_code == 1 and "run again with --yes" in refused.output
    assert served_versions(client, headers) == {BUNDLED.name}
    promoted = runner.invoke(main, ["models", "promote", "subset-model", "--yes",
                                    "--models-dir", str(models)])
    assert promoted.exit_code == 0, promoted.output
    assert served_versions(client, headers) == {new_version}
    current = client.get("/v1/models/current", headers=headers).get_json()
    meta = json.loads((models / "subset-model" / "metadata.json").read_text())
    assert current["promotion_threshold"] == meta["promotion_threshold"]
    assert client.get("/readyz").get_json()["checks"]["model"]["detail"] == f"model {new_version}"

    rolled = runner.invoke(main, ["models", "rollback", "--models-dir", str(models)])
    assert rolled.exit_code == 0, rolled.output
    assert served_versions(client, headers) == {BUNDLED.name}
