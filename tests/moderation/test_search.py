"""The queue's search (``q``): the database's own full-text search, SQLite FTS5 and
PostgreSQL's French and English configurations, kept in step with the stored comments."""

from __future__ import annotations

import importlib
import re
from contextlib import contextmanager

import pytest

from service.store import search
from tests.conftest import dispose, fresh_schema
from tests.moderation.helpers import add_moderator, make_app, sign_in, store_thread

ROW_RE = re.compile(r'data-thread-id="(\d+)"')
MIGRATION = importlib.import_module("service.store.migrations.versions.0009_comment_search")


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path, worker_id):
    """(app, signed-in client, thread ids) on each database: a French thread, an English
    thread, and one about something else."""
    if request.param == "postgresql":
        with fresh_schema(f"th_search_{worker_id}") as url, \
                _site(make_app(tmp_path, DATABASE_URL=url)) as found:
            yield found
    else:
        with _site(make_app(tmp_path)) as found:
            yield found


@contextmanager
def _site(app):
    ids = {
        "fr": store_thread(app, "forum", "fr", title="Réglages du vélo", comments=[
            {"id": "a", "author": "ana", "text": "Les éléphants préfèrent les pommes vertes."},
            {"id": "b", "author": "bob", "text": "Je confirme, mes chevaux aussi.",
             "reply_to": "a"}]),
        "en": store_thread(app, "forum", "en", title="Bike settings", language="en",
                           comments=[
            {"id": "a", "author": "carol", "text": "The gardeners were running late today."},
            {"id": "b", "author": "dave", "text": "Mine too, the weather.", "reply_to": "a"}]),
        "other": store_thread(app, "forum", "other", title="Autre sujet", comments=[
            {"id": "a", "author": "eve", "text": "Rien à voir ici."},
            {"id": "b", "author": "ana", "text": "Vraiment rien.", "reply_to": "a"}]),
    }
    client = app.test_client()
    assert sign_in(client, add_moderator(app, ["forum"])).status_code == 303
    yield app, client, ids
    dispose(app)


def found(client, query: str) -> list[int]:
    response = client.get("/moderation/", query_string={"q": query, "state": "all"})
    assert response.status_code == 200
    return [int(i) for i in ROW_RE.findall(response.get_data(as_text=True))]


@pytest.mark.parametrize(("query", "expected"), [
    ("éléphants", ["fr"]),          # a word of one comment, as written
    ("éléphant", ["fr"]),           # the singular: by prefix (SQLite), stem (PostgreSQL)
    ("POMMES vertes", ["fr"]),      # every word, any case
    ("pommes chevaux", []),         # every word of one comment, not across comments
    ("gardeners", ["en"]),          # English
    ("garden", ["en"]),             # a word's beginning
    ("running", ["en"]),
    ("carol", ["en"]),              # an author
    ("ana", ["fr", "other"]),       # an author of two threads
    ("vélo", ["fr"]),               # a title
    ("bike", ["en"]),
    ("zeppelin", []),
])
def test_search_finds_threads_by_comment_author_and_title(site, query, expected):
    _, client, ids = site
    assert sorted(found(client, query)) == sorted(ids[name] for name in expected)


def test_accents_are_folded_on_sqlite(tmp_path):
    with _site(make_app(tmp_path)) as (_, client, ids):
        assert found(client, "elephants") == [ids["fr"]]


def test_the_index_follows_the_comments_as_they_change(site):
    app, client, ids = site
    store_thread(app, "forum", "fr", title="Réglages", comments=[   # replaced by the platform
        {"id": "a", "author": "zoé", "text": "Les girafes mangent des feuilles."},
        {"id": "b", "author": "bob", "text": "Oui.", "reply_to": "a"}])
    assert found(client, "éléphants") == []
    assert found(client, "girafes") == [ids["fr"]]
    assert found(client, "zoé") == [ids["fr"]]
    assert found(client, "vélo") == []


def test_search_keeps_the_other_filters(site):
    _, client, ids = site
    response = client.get("/moderation/", query_string={"q": "ana", "state": "all",
                                                         "language": "fr"})
    html = response.get_data(as_text=True)
    assert sorted(int(i) for i in ROW_RE.findall(html)) == sorted([ids["fr"], ids["other"]])
    assert 'value="ana"' in html   # the box shows what was searched


@pytest.mark.parametrize(("query", "message"), [
    ("x" * 201, "Recherche ignorée"),       # too long: the whole queue, saying why
    ("!!! ???", "aucun mot"),               # no word to look for
    ("'\"*:^()-", "aucun mot"),             # FTS5 and tsquery syntax is no word either
])
def test_bad_searches_show_the_queue_and_say_why(site, query, message):
    _, client, _ = site
    response = client.get("/moderation/", query_string={"q": query, "state": "all"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert len(ROW_RE.findall(response.get_data(as_text=True))) == 3


@pytest.mark.parametrize("query", ['"carol"', "carol*", "carol:*", "(carol) & !",
                                   "^carol", "carol -"])
def test_query_syntax_is_read_as_words(site, query):
    """Quotes and operators of FTS5 or tsquery are not obeyed: their words are searched."""
    _, client, ids = site
    assert found(client, query) == [ids["en"]]  # no error page: its one word is looked for


def test_search_words_limits():
    assert search.words("  Éléphants,  pommes! ") == ["éléphants", "pommes"]
    assert len(search.words(" ".join(["mot"] * 20))) == search.MAX_WORDS
    for bad, code in (("x" * 201, "too_long"), ("?!", "no_word"), ("", "no_word")):
        with pytest.raises(search.BadQuery) as caught:
            search.words(bad)
        assert caught.value.code == code


def test_the_queries_repeat_the_indexed_expressions():
    assert search.PG_COMMENT == MIGRATION.PG_COMMENT
    assert search.PG_TITLE == MIGRATION.PG_TITLE
    assert set(search.SQLITE_TRIGGERS) == {name for statement in MIGRATION.SQLITE_UP
                                           for name in re.findall(r"TRIGGER (\w+)", statement)}
