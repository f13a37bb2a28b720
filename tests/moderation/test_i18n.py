"""The UI in French and English through Flask-Babel: the language chosen or the
browser's, every display name translated, numbers written for the locale."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from service.moderation.labels import LABELS, label
from tests.moderation.helpers import csrf_of, sign_in


def test_every_display_name_reads_in_french(app):
    """Each label has a French name of its own (a missing one would show the English)."""
    same_in_both = {"Contribution", "Dialogue", "hashtag", "@mention", "question", "Notes",
                    "exclamations", "note", "position", "long", "promotion"}
    with app.test_request_context(), force_locale("fr"):
        untranslated = [(kind, code) for kind, names in LABELS.items()
                        for code, name in names.items()
                        if gettext(name) == name and name not in same_in_both]
        assert untranslated == []
        assert label("level", "at_risk") == "À risque" and label("cue", "nope") == "nope"
    with app.test_request_context(), force_locale("en"):
        assert label("level", "at_risk") == "At risk" and label("level", None) == "—"


@pytest.mark.parametrize(("accept", "title"), [
    (None, "Connexion"), ("en-GB,en;q=0.9", "Sign in"), ("fr-CA,fr;q=0.9,en;q=0.5", "Connexion"),
    ("de-DE,de;q=0.9", "Connexion"), ("de;q=0.9,en;q=0.8", "Sign in"),
])
def test_default_language_from_the_browser_else_french(app, accept, title):
    headers = {"Accept-Language": accept} if accept else {}
    html = app.test_client().get("/moderation/login", headers=headers).get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{"en" if title == "Sign in" else "fr"}">' in html


def test_the_choice_wins_over_the_browser_and_survives_sign_in(app, moderator):
    client = app.test_client()
    page = client.get("/moderation/login", headers={"Accept-Language": "fr"})
    response = client.post("/moderation/language", data={
        "csrf_token": csrf_of(page), "lang": "en", "next": "/moderation/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/login"
    assert "<h1>Sign in</h1>" in client.get("/moderation/login",
                                            headers={"Accept-Language": "fr"}).get_data(
                                                as_text=True)
    sign_in(client, moderator)
    assert "Threads to review" in client.get("/moderation/").get_data(as_text=True)


def test_an_unknown_language_choice_is_ignored(app):
    client = app.test_client()
    client.post("/moderation/language", data={
        "csrf_token": csrf_of(client.get("/moderation/login")), "lang": "de"})
    assert "<h1>Connexion</h1>" in client.get("/moderation/login").get_data(as_text=True)
