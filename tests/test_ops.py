"""Liveness and the shared error shape."""

from __future__ import annotations

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
