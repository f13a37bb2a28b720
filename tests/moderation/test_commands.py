"""``thread-health moderators …`` and ``thread-health corrections export``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.cli import main
from service.moderation.accounts import HASHER
from service.store import reading
from service.store.models import Comment, Moderator
from tests.moderation.helpers import PASSWORD, make_app, sign_in, store_thread, token


@pytest.fixture
def app(tmp_path, runner):  # the CLI and the app share THREAD_HEALTH_DATA_DIR=tmp_path
    return make_app(tmp_path)


def _account(app, username) -> Moderator | None:
    with app.app_context(), reading() as session:
        row = session.scalar(select(Moderator).where(Moderator.username == username))
        if row is not None:
            row.platform_names = sorted(p.name for p in row.platforms)
        return row


def test_create_reads_the_password_from_the_environment(app, runner):
    store_thread(app, "forum", "t")
    result = runner.invoke(main, ["moderators", "create", "--username", "alice",
                                  "--platform", "forum"], env={"THREAD_HEALTH_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    row = _account(app, "alice")
    assert HASHER.verify(row.password_hash, PASSWORD) and row.password_hash.startswith("$argon2id")
    assert row.platform_names == ["forum"] and not row.is_admin
    assert sign_in(app.test_client(), "alice").status_code == 303


def test_create_prompts_hidden_and_twice(app, runner):
    result = runner.invoke(main, ["moderators", "create", "--username", "root", "--admin"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert _account(app, "root").is_admin


def test_a_mismatched_confirmation_asks_again(app, runner):
    result = runner.invoke(main, ["moderators", "create", "--username", "x", "--admin"],
                           input=f"{PASSWORD}\nother password 1\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "do not match" in result.output


@pytest.mark.parametrize(("args", "password", "message"), [
    (["--username", "bob", "--admin", "--password", PASSWORD], PASSWORD,
     "set THREAD_HEALTH_PASSWORD"),
    (["--username", "bob", "--admin"], "short", "at least 12 characters"),
    (["--username", "bob-the-moderator", "--admin"], "Bob-The-Moderator", "username"),
    (["--username", "bob", "--platform", "nope"], PASSWORD, "no platform named 'nope'"),
    (["--username", "bob"], PASSWORD, "at least one --platform, or --admin"),
    (["--username", " ", "--admin"], PASSWORD, "1..100 characters"),
])
def test_create_refuses(app, runner, args, password, message):
    result = runner.invoke(main, ["moderators", "create", *args],
                           env={"THREAD_HEALTH_PASSWORD": password})
    assert result.exit_code != 0 and message in result.output
    assert _account(app, "bob") is None


def test_usernames_are_unique_and_listed(app, runner):
    env = {"THREAD_HEALTH_PASSWORD": PASSWORD}
    store_thread(app, "forum", "t")
    assert runner.invoke(main, ["moderators", "create", "--username", "ana", "--platform",
                                "forum"], env=env).exit_code == 0
    again = runner.invoke(main, ["moderators", "create", "--username", "ana", "--admin"],
                          env=env)
    assert again.exit_code == 1 and "already exists" in again.output
    listing = runner.invoke(main, ["moderators", "list"])
    assert listing.exit_code == 0 and "ana  forum  " in listing.output
    assert PASSWORD not in listing.output and "argon2" not in listing.output


def _correct(app, client, thread_id, comment_external_id, field, value):
    with app.app_context(), reading() as session:
        cid = session.scalar(select(Comment.id).where(Comment.thread_id == thread_id,
                                                      Comment.external_id == comment_external_id))
    response = client.post(f"/moderation/threads/{thread_id}/comments/{cid}/correction",
                           data={"csrf_token": token(client), "field": field, "value": value})
    assert response.status_code == 303


@pytest.fixture
def corrected(app, runner):
    """Corrections on two threads of one platform and one of another."""
    env = {"THREAD_HEALTH_PASSWORD": PASSWORD}
    t1 = store_thread(app, "forum", "t1", acts={"c1": "listening", "c2": "promo"})
    t2 = store_thread(app, "forum", "t2", comments=[
        {"id": "c1", "author": "eve", "text": "Quelqu'un connaît un bon vélo d'occasion ?"},
        {"id": "c2", "author": "max", "text": "Regarde les bourses aux vélos du printemps."}])
    t3 = store_thread(app, "blog", "t3")
    runner.invoke(main, ["moderators", "create", "--username", "ana", "--admin"], env=env)
    client = app.test_client()
    sign_in(client, "ana")
    _correct(app, client, t1, "c2", "act", "listening")
    _correct(app, client, t1, "c2", "act", "contribution")
    _correct(app, client, t1, "c1", "promotion", "self_promotion")
    _correct(app, client, t2, "c1", "act", "listening")
    _correct(app, client, t3, "c2", "act", "contribution")


def _export(runner, *args) -> list[dict]:
    result = runner.invoke(main, ["corrections", "export", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_groups_corrections_by_thread_in_the_corpus_shape(corrected, runner):
    threads = {t["id"]: t for t in _export(runner)}
    assert sorted(threads) == ["moderation:blog:t3", "moderation:forum:t1",
                               "moderation:forum:t2"]
    t1 = threads["moderation:forum:t1"]
    assert t1["language"] == "fr" and t1["labels"] == {"health": None, "flags": None}
    assert t1["source"]["platform"] == "forum" and t1["source"]["thread_id"] == "t1"
    c2, c1 = t1["comments"]  # in the order they were first corrected
    assert (c2["id"], c2["author"], c2["text"], c2["reply_to"]) == (
        "c2", "bob", "Moi, ça marche.", None)
    assert c2["labels"] == {"act": "contribution", "promotion": "self_promotion",
                            "language": "fr"}
    assert c2["label_sources"] == {"act": "moderator", "promotion": "model",
                                   "language": "model"}
    assert [(c["old"], c["new"], c["moderator"]) for c in c2["corrections"]] == [
        ("broadcast", "listening", "ana"), ("listening", "contribution", "ana")]
    assert c2["corrections"][0]["model_version"] == "test-model"
    assert c1["labels"] == {"act": "listening", "promotion": "self_promotion", "language": "fr"}
    assert c1["label_sources"]["promotion"] == "moderator"


def test_export_filters_by_platform_and_date_and_writes_a_file(corrected, runner, tmp_path):
    assert [t["id"] for t in _export(runner, "--platform", "blog")] == ["moderation:blog:t3"]
    assert _export(runner, "--since", "2999-01-01") == []
    assert len(_export(runner, "--since", "2000-01-01")) == 3
    out = tmp_path / "corrections.jsonl"
    result = runner.invoke(main, ["corrections", "export", "--output", str(out)])
    assert "3 threads, 5 corrections exported" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_exported_threads_check_as_corpus_once_a_researcher_rates_them(corrected, runner,
                                                                       tmp_path):
    """What `thread-health data check` asks of an export, and that it trains once filled."""
    from training.corpus import check_corpus, read_corpus

    threads = _export(runner, "--platform", "forum")
    raw = tmp_path / "raw" / "corrections.jsonl"
    raw.parent.mkdir()
    raw.write_text("".join(json.dumps(t) + "\n" for t in threads), encoding="utf-8")
    errors = check_corpus([raw]).errors
    assert errors and all("labels.health" in e or "labels.flags" in e
                          or "comments: must hold at least 2 items" in e for e in errors)
    reviewed = tmp_path / "reviewed" / "corrections.jsonl"
    reviewed.parent.mkdir()
    rated = [{**t, "labels": {"health": 3, "flags": []}} for t in threads
             if len(t["comments"]) >= 2]
    reviewed.write_text("".join(json.dumps(t) + "\n" for t in rated), encoding="utf-8")
    assert check_corpus([reviewed]).ok
    assert [t["id"] for t in read_corpus([reviewed])] == ["moderation:forum:t1"]
