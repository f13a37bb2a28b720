"""The UI in French and English: twin string modules, the language chosen or the
browser's, every key used by the templates defined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.moderation.i18n import catalogue
from tests.moderation.helpers import csrf_of, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "templates" / "moderation"
PY = Path(__file__).resolve().parents[2] / "service" / "moderation"


def test_french_and_english_have_the_same_names():
    fr, en = catalogue("fr"), catalogue("en")
    assert fr.STRINGS.keys() == en.STRINGS.keys()
    assert fr.LABELS.keys() == en.LABELS.keys()
    for kind in fr.LABELS:
        assert fr.LABELS[kind].keys() == en.LABELS[kind].keys(), kind
    for key, text in fr.STRINGS.items():  # same placeholders in both
        assert re.findall(r"{(\w+)}", text) == re.findall(r"{(\w+)}", en.STRINGS[key]), key


def test_every_key_used_in_templates_and_code_exists():
    used = set()
    for path in [*TEMPLATES.glob("*.html"), *PY.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt(?:ranslate)?\(\s*['"]([a-z_.0-9]+)['"]""", text))
    used = {k for k in used if not k.endswith(".")}
    assert used and used <= set(catalogue("fr").STRINGS), used - set(catalogue("fr").STRINGS)


def test_labels_cover_the_contract():
    from service.vocab import ACTS, FLAGS, LEVELS

    labels = catalogue("fr").LABELS
    assert set(ACTS) <= set(labels["act"]) and set(FLAGS) <= set(labels["flag"])
    assert set(LEVELS) <= set(labels["level"])


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
