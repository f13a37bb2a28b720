"""Liveness and the shared error shape."""

from __future__ import annotations

import pytest

from service import __version__


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": __version__}


def test_unknown_path_is_problem_json(client):
    response = client.get("/no/such/path")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404 and body["title"] == "Not Found"


def test_wrong_method_is_problem_json(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405


def test_readyz_reports_model_not_loaded(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not_ready" and body["checks"]["model"]["ok"] is False


def test_readyz_with_bundled_model(tmp_path):
    from service import create_app

    app = create_app({"DATA_DIR": tmp_path, "TESTING": True})
    body = app.test_client().get("/readyz").get_json()
    assert body["status"] == "ready"
    assert body["checks"]["model"]["detail"].startswith("model 2026-")


def test_broken_bundle_fails_readiness_not_the_process(tmp_path):
    from service import create_app

    (tmp_path / "bad").mkdir()
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "MODEL_PATH": tmp_path / "bad"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "metadata.json" in response.get_json()["checks"]["model"]["detail"]


@pytest.mark.parametrize("damage", ["missing", "truncated", "one_byte_changed"])
def test_a_damaged_bundle_fails_readiness_with_the_reason(tmp_path, damage):
    import shutil

    from service import create_app
    from service.config import DEFAULT_MODELS_DIR
    from service.scoring.bundles import current_bundle_path

    bundle = tmp_path / "bundle"
    shutil.copytree(current_bundle_path(DEFAULT_MODELS_DIR), bundle)
    model = bundle / "model.npz"
    data = model.read_bytes()
    if damage == "missing":
        model.unlink()
    elif damage == "truncated":
        model.write_bytes(data[: len(data) // 2])
    else:
        model.write_bytes(data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:])
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "MODEL_PATH": bundle})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    detail = response.get_json()["checks"]["model"]["detail"]
    assert "model.npz" in detail
    assert ("SHA-256" in detail) or ("not found" in detail) or ("missing" in detail), detail


def test_readyz_shows_no_absolute_path_and_logs_it(tmp_path, caplog):
    from service import create_app

    bundle = tmp_path / "bad"
    bundle.mkdir()
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "MODEL_PATH": bundle})
    with caplog.at_level("WARNING", logger=app.logger.name):
        response = app.test_client().get("/readyz")
        app.test_client().get("/readyz")
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert str(tmp_path) not in text and "metadata.json" in text
    logged = [r.getMessage() for r in caplog.records if "readiness check model" in r.getMessage()]
    assert len(logged) == 1 and str(bundle) in logged[0]  # once, with the path
