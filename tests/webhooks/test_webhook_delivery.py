"""End to end on each database: changes to a stored thread and moderators' actions reach a
real HTTP receiver on 127.0.0.1, in the documented shape, signed so that the recipe of
docs/webhooks.md verifies them; and a receiver that is down for 30 s gets every event once
it is back."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from service.store import reading
from service.store.models import Comment, WebhookDelivery, WebhookEndpoint
from tests.helpers import free_port, new_key
from tests.moderation.helpers import add_moderator, sign_in, store_thread, token
from tests.webhooks.webhook_helpers import Receiver, recipe, worker

THREAD_KEYS = {"id", "level", "score", "flags", "reasons", "review_state"}
ENVELOPE = {"id", "type", "created_at", "thread"}
KEYS = {
    "thread.flagged": ENVELOPE | {"previous", "flags_raised"},
    "thread.level_worsened": ENVELOPE | {"previous"},
    "thread.reviewed": ENVELOPE | {"actor"},
    "thread.escalated": ENVELOPE | {"actor"},
    "thread.flag_dismissed": ENVELOPE | {"actor", "detail"},
    "thread.label_corrected": ENVELOPE | {"actor", "detail"},
}


def _register(app, receiver) -> tuple[str, str, str]:
    """A platform with an API key registers the receiver through the API: (platform,
    endpoint id, secret)."""
    key, headers = new_key(app)
    response = app.test_client().post("/v1/webhooks", headers=headers,
                                      json={"url": receiver.url, "events": list(KEYS)})
    assert response.status_code == 201, response.get_json()
    with app.app_context(), reading() as session:
        from service.store.keys import authenticate

        platform = authenticate(session, key)[1]
    body = response.get_json()
    return platform, body["id"], body["secret"]


def _moderate(app, platform: str, thread_id: int) -> str:
    """A moderator reviews, escalates, dismisses a flag and corrects a label."""
    app.config.update(MODERATION_FAILURE_DELAY=0, SIGN_IN_RATE_LIMIT="10000/minute")
    moderator = add_moderator(app, [platform])
    client = app.test_client()
    assert sign_in(client, moderator).status_code == 303
    with app.app_context(), reading() as session:
        c2 = session.scalar(select(Comment.id).where(Comment.thread_id == thread_id,
                                                     Comment.external_id == "c2"))
    base = f"/moderation/threads/{thread_id}"
    for path, data in [("/review", {}), ("/escalate", {"note": "voir avec l'équipe"}),
                       ("/flags/broadcast_heavy/dismiss", {"reason": "c'est voulu"}),
                       (f"/comments/{c2}/correction", {"field": "act",
                                                        "value": "contribution"})]:
        response = client.post(base + path, data={"csrf_token": token(client), **data})
        assert response.status_code == 303
    return moderator


def _check_signed(received, secret: str) -> list[dict]:
    """Every delivery verified by the documented recipe, as a receiver would; the events."""
    verify = recipe()["verify_webhook"]
    events = []
    for path, headers, body in received:
        assert path == "/hooks/th"
        assert headers["Content-Type"] == "application/json"
        event = verify(secret, headers["X-Thread-Health-Signature"], body)
        assert headers["X-Thread-Health-Event-Id"] == event["id"]
        assert headers["X-Thread-Health-Event-Type"] == event["type"]
        with pytest.raises(ValueError):  # a changed body does not verify
            verify(secret, headers["X-Thread-Health-Signature"], body + b" ")
        with pytest.raises(ValueError):  # nor another secret
            verify("whsec_other", headers["X-Thread-Health-Signature"], body)
        with pytest.raises(ValueError):  # nor a replay past the tolerance
            verify(secret, headers["X-Thread-Health-Signature"], body, now=time.time() + 301)
        events.append(event)
    return events


def test_every_event_reaches_a_real_receiver_as_documented(wh_app):
    receiver = Receiver().start()
    sender = worker(wh_app).start()
    try:
        platform, _, secret = _register(wh_app, receiver)
        thread = store_thread(wh_app, platform, "t-7", flags=["broadcast_heavy"], score=48,
                              level="at_risk")
        store_thread(wh_app, platform, "t-7", flags=["broadcast_heavy", "self_promotion"],
                     score=12, level="unhealthy", acts={"c2": "promo"})
        store_thread(wh_app, platform, "t-7", flags=["broadcast_heavy", "self_promotion"],
                     score=20, level="unhealthy", acts={"c2": "promo"})  # better: no event
        moderator = _moderate(wh_app, platform, thread)
        receiver.wait_for(7)
        time.sleep(0.5)  # anything extra would arrive now
    finally:
        sender.stop()
        receiver.stop()
    events = _check_signed(receiver.received, secret)
    assert [e["type"] for e in events] == [
        "thread.flagged", "thread.flagged", "thread.level_worsened", "thread.reviewed",
        "thread.escalated", "thread.flag_dismissed", "thread.label_corrected"]
    assert len({e["id"] for e in events}) == 7 and all(e["id"].startswith("evt_")
                                                      for e in events)
    for event in events:
        assert set(event) == KEYS[event["type"]], event
        assert set(event["thread"]) == THREAD_KEYS and event["thread"]["id"] == "t-7"
        assert event["created_at"].endswith("Z")
    first, flagged, worsened, reviewed, escalated, dismissed, corrected = events
    assert first["previous"] is None and first["flags_raised"] == ["broadcast_heavy"]
    assert first["thread"] == {"id": "t-7", "level": "at_risk", "score": 48,
                               "flags": ["broadcast_heavy"],
                               "reasons": ["raison broadcast_heavy"], "review_state": "open"}
    assert flagged["flags_raised"] == ["self_promotion"]
    assert flagged["previous"] == {"level": "at_risk", "score": 48,
                                   "flags": ["broadcast_heavy"]}
    assert worsened["previous"] == flagged["previous"]
    assert worsened["thread"]["level"] == "unhealthy" and worsened["thread"]["score"] == 12
    actor = f"moderator:{moderator}"
    assert reviewed["actor"] == escalated["actor"] == corrected["actor"] == actor
    assert reviewed["thread"]["review_state"] == "reviewed"
    assert escalated["thread"]["review_state"] == "escalated"
    assert "voir avec" not in str(escalated)  # the note stays in the moderation UI
    assert dismissed["detail"] == {"flag": "broadcast_heavy"}
    assert corrected["detail"] == {"comment_id": "c2", "field": "act", "old": "broadcast",
                                   "new": "contribution"}
    assert corrected["thread"]["score"] == 20  # the thread as it stands


def test_a_receiver_down_for_30_seconds_gets_every_event_when_it_returns(wh_app):
    port = free_port()
    receiver = Receiver(port=port)
    platform, endpoint_id, secret = _register(wh_app, receiver)
    sender = worker(wh_app).start()
    try:
        store_thread(wh_app, platform, "t-a", flags=["dominated"], score=50, level="at_risk")
        store_thread(wh_app, platform, "t-b", flags=["no_dialogue"], score=10,
                     level="unhealthy")
        store_thread(wh_app, platform, "t-a", flags=["dominated", "self_promotion"],
                     score=5, level="unhealthy")
        time.sleep(30)
        with wh_app.app_context(), reading() as session:
            waiting = list(session.scalars(select(WebhookDelivery).join(WebhookEndpoint).where(
                WebhookEndpoint.public_id == endpoint_id)))
        assert receiver.received == [] and len(waiting) == 4
        assert all(d.status == "pending" and d.attempts >= 3 for d in waiting)
        assert all("refused" in d.last_error.lower() for d in waiting), waiting[0].last_error
        receiver.start()  # back on the same port
        receiver.wait_for(4)
        time.sleep(1)
    finally:
        sender.stop()
        receiver.stop()
    events = _check_signed(receiver.received, secret)
    assert sorted((e["thread"]["id"], e["type"]) for e in events) == [
        ("t-a", "thread.flagged"), ("t-a", "thread.flagged"), ("t-a", "thread.level_worsened"),
        ("t-b", "thread.flagged")]
    _, headers = new_key(wh_app, platform)
    listed = wh_app.test_client().get(f"/v1/webhooks/{endpoint_id}/deliveries",
                                      headers=headers).get_json()["deliveries"]
    assert [d["status"] for d in listed] == ["delivered"] * 4
    assert all(d["attempts"] >= 4 and d["last_error"] is None and d["last_status"] == 200
               for d in listed)
    assert {d["event_id"] for d in listed} == {e["id"] for e in events}
