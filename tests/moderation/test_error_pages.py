"""Errors per request type: under /moderation a browser gets the UI's HTML page (in its
language, with the layout and a link back to the queue, the status and its headers
kept); a client asking for JSON, or naming no HTML, gets problem+json; /v1 answers
problem+json whatever the client prefers."""

from __future__ import annotations

import pytest
from flask import abort

from tests.moderation.helpers import BROWSER, make_app

JSON = {"Accept": "application/json"}
PROBLEM = {"Accept": "application/problem+json"}
ANYTHING = {"Accept": "*/*"}  # curl's default: no preference for HTML
EQUAL = {"Accept": "application/json, text/html"}  # no preference either: the API's shape
CLIENTS = {"browser": BROWSER, "json": JSON, "problem": PROBLEM, "anything": ANYTHING,
           "equal": EQUAL, "no-accept": {}}
# (method, path, status, French title) of errors under /moderation.
MODERATION = [
    ("GET", "/moderation/no-such-page", 404, "Introuvable"),
    ("GET", "/moderation/logout", 405, "Pas ici"),
    ("GET", "/moderation/test-forbidden", 403, "Accès refusé"),
    ("GET", "/moderation/test-broken", 500, "Erreur du serveur"),
]
API = [("GET", "/v1/no-such-page", 404), ("GET", "/v1/threads", 401),
       ("GET", "/v1/test-broken", 500), ("GET", "/moderation-like/no-such-page", 404)]


def _forbidden():
    abort(403)


def _broken():
    raise RuntimeError("a bug in a view")


@pytest.fixture
def app(tmp_path):
    """The app with a route that refuses and one that fails, under each prefix (no route
    of the UI answers 403 today, and none should fail)."""
    app = make_app(tmp_path)
    app.add_url_rule("/moderation/test-forbidden", "test_forbidden", _forbidden)
    app.add_url_rule("/moderation/test-broken", "test_broken", _broken)
    app.add_url_rule("/v1/test-broken", "test_api_broken", _broken)
    return app


@pytest.mark.parametrize(("method", "path", "status", "title"), MODERATION)
def test_a_browser_gets_the_ui_s_page_in_its_language(app, method, path, status, title):
    client = app.test_client()
    response = client.open(path, method=method, headers={**BROWSER, "Accept-Language": "fr"})
    html = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert '<html lang="fr">' in html and f"<h1>{title}</h1>" in html
    assert 'class="topbar"' in html                                  # the app's layout
    assert '<a href="/moderation/">← Retour à la file</a>' in html    # back to the queue
    assert response.headers["Cache-Control"] == "no-store"
    english = client.open(path, method=method, headers={**BROWSER, "Accept-Language": "en"})
    assert english.status_code == status and '<html lang="en">' in english.get_data(True)
    assert "← Back to the queue" in english.get_data(as_text=True)


def test_a_page_keeps_the_headers_of_its_status(app):
    response = app.test_client().get("/moderation/logout", headers=BROWSER)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


@pytest.mark.parametrize("client_kind", [k for k in CLIENTS if k != "browser"])
@pytest.mark.parametrize(("method", "path", "status", "title"), MODERATION)
def test_other_clients_under_moderation_keep_problem_json(app, method, path, status, title,
                                                          client_kind):
    response = app.test_client().open(path, method=method, headers=CLIENTS[client_kind])
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status


@pytest.mark.parametrize("client_kind", list(CLIENTS))
@pytest.mark.parametrize(("method", "path", "status"), API)
def test_the_api_always_answers_problem_json(app, method, path, status, client_kind):
    response = app.test_client().open(path, method=method, headers=CLIENTS[client_kind])
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == status


def test_a_view_s_own_404_is_a_page_for_a_signed_in_browser(signed_in):
    """A thread outside the moderator's scope (``abort(404)`` in the view)."""
    response = signed_in.get("/moderation/threads/999999", headers=BROWSER)
    assert response.status_code == 404 and "<h1>Introuvable</h1>" in response.get_data(True)
    assert 'data-testid="sign-out"' in response.get_data(as_text=True)  # still signed in
    api = signed_in.get("/moderation/threads/999999", headers=JSON)
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
