"""The Coral phase with the bundled model, on SQLite and PostgreSQL: requests signed as
Coral signs them (one and two signatures), 204 and FLAG answers, refused signatures,
storage into the story's thread, idempotent retries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.store import reading
from service.store.models import Comment, Thread
from tests.api.coral_helpers import (
    coral_body,
    coral_bytes,
    coral_signature,
    new_phase,
    post,
    rotate,
)

SPAM = ("Check out my channel!! Subscribe now, link in bio, best hiking videos, follow me "
        "for giveaways!!")
FLAG = {"actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}]}


@pytest.fixture
def phase(db_app):
    return new_phase(db_app)


def _comments(app, story: str) -> list[Comment]:
    with app.app_context(), reading() as session:
        return list(session.scalars(select(Comment).join(Thread)
                                    .where(Thread.external_id == story)
                                    .order_by(Comment.position)))


def test_dialogue_is_204_with_an_empty_body(db_app, phase):
    platform, secret = phase
    response = post(db_app.test_client(), platform, coral_body(), secret)
    assert response.status_code == 204 and response.data == b""


def test_self_promotion_is_flagged_as_spam(db_app, phase):
    platform, secret = phase
    response = post(db_app.test_client(), platform, coral_body(SPAM, story="s-spam"), secret)
    assert response.status_code == 200 and response.get_json() == FLAG


def test_platform_threshold_decides(db_app):
    """0 flags every comment; 1 flags only a score that rounds to certainty (dialogue never)."""
    client = db_app.test_client()
    strict, secret = new_phase(db_app, threshold=0.0)
    assert post(client, strict, coral_body(), secret).get_json() == FLAG
    lax, secret = new_phase(db_app, threshold=1.0)
    assert post(client, lax, coral_body(), secret).status_code == 204


def test_two_signatures_during_a_rotation(db_app, phase):
    platform, old = phase
    new = rotate(db_app, platform)
    client = db_app.test_client()
    raw = coral_bytes(coral_body(story="s-rot"))
    for pair in ((old, new), (new, old), ("wrong-secret", new), (old, "wrong-secret")):
        assert post(client, platform, raw, *pair).status_code == 204, pair
    assert post(client, platform, raw, "wrong-1", "wrong-2").status_code == 401


def test_rotation_without_grace_refuses_the_old_secret(db_app, phase):
    platform, old = phase
    new = rotate(db_app, platform, timedelta(0))
    client = db_app.test_client()
    assert post(client, platform, coral_body(), old).status_code == 401
    assert post(client, platform, coral_body(), new).status_code == 204


@pytest.mark.parametrize("signature", [
    None, "", "sha256=", "sha256=deadbeef", "md5=abc", "sha256=" + "0" * 64,
    "sha256=é", ",".join(["sha256=00"] * 9)])
def test_bad_or_missing_signature_is_401(db_app, phase, signature):
    platform, _ = phase
    raw = coral_bytes(coral_body())
    client = db_app.test_client()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Coral-Signature"] = signature
    response = client.post(f"/v1/integrations/coral/{platform}/phase", data=raw,
                           headers=headers)
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["field"] == "X-Coral-Signature"


def test_signature_over_other_bytes_is_401(db_app, phase):
    """The HMAC covers the raw body: the same JSON re-serialised does not pass."""
    platform, secret = phase
    raw = coral_bytes(coral_body())
    compact = raw.replace(b"\n", b"").replace(b"  ", b"")
    response = post(db_app.test_client(), platform, compact, secret,
                    signature=coral_signature(raw, secret))
    assert response.status_code == 401


def test_unknown_platform_or_another_platforms_secret_is_401(db_app, phase):
    platform, secret = phase
    _, other_secret = new_phase(db_app)
    client = db_app.test_client()
    assert post(client, "no-such-platform", coral_body(), secret).status_code == 401
    assert post(client, platform, coral_body(), other_secret).status_code == 401


def test_comment_is_stored_in_the_storys_thread(db_app, phase):
    platform, secret = phase
    client = db_app.test_client()
    post(client, platform, coral_body("Nous sommes montés par le versant nord, et vous ?",
                                      story="s-store", author="u-1", id="c-1"), secret)
    post(client, platform, coral_body("Par le sud, c'était plus doux.", story="s-store",
                                      author="u-2", parent="c-1", id="c-2"), secret)
    post(client, platform, coral_body("Reply to a comment we never saw", story="s-store",
                                      author="u-3", parent="coral-unknown"), secret)
    rows = _comments(db_app, "s-store")
    assert [(r.external_id, r.author, r.reply_to) for r in rows][:2] == [
        ("c-1", "u-1", None), ("c-2", "u-2", "c-1")]
    assert rows[2].reply_to is None and rows[2].external_id.startswith("coral-")
    with db_app.app_context(), reading() as session:
        thread = session.scalar(select(Thread).where(Thread.external_id == "s-store"))
        assert thread.url == "https://news.example/s-store" and thread.level is not None


def test_retries_store_once(db_app, phase):
    platform, secret = phase
    client = db_app.test_client()
    raw = coral_bytes(coral_body(story="s-retry"))
    answers = {post(client, platform, raw, secret).status_code for _ in range(3)}
    assert answers == {204}
    assert len(_comments(db_app, "s-retry")) == 1
    with db_app.app_context(), reading() as session:
        assert session.scalar(select(func.count()).select_from(Thread)
                              .where(Thread.external_id == "s-retry")) == 1


def test_an_edit_of_a_stored_id_is_scored_not_stored(db_app, phase):
    platform, secret = phase
    client = db_app.test_client()
    post(client, platform, coral_body("first words", story="s-edit", id="c-9"), secret)
    response = post(client, platform, coral_body(SPAM, story="s-edit", id="c-9",
                                                 action="EDIT"), secret)
    assert response.status_code == 200 and response.get_json() == FLAG
    assert [r.text for r in _comments(db_app, "s-edit")] == ["first words"]
