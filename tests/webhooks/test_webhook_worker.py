"""The outbox and the worker on each database: events in the change's transaction, claims
that never overlap, leases, retries with backoff, disabling and enabling, rotation,
redirects, timeouts and the address check at send time."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from service.store import reading, transaction
from service.store.keys import get_or_create_platform
from service.store.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, utcnow
from service.store.threads import find_thread
from service.webhooks.endpoints import enable, find_endpoint, rotate_secret
from service.webhooks.events import emit
from service.webhooks.settings import from_config
from service.webhooks.worker import backoff, claim, prune
from tests.moderation.helpers import store_thread
from tests.webhooks.webhook_helpers import Receiver, add_endpoint, drain, recipe, worker


def _deliveries(app, endpoint_id: str) -> list[WebhookDelivery]:
    with app.app_context(), reading() as session:
        return list(session.scalars(select(WebhookDelivery).join(WebhookEndpoint).where(
            WebhookEndpoint.public_id == endpoint_id).order_by(WebhookDelivery.id)))


def _endpoint(app, platform: str, endpoint_id: str) -> WebhookEndpoint:
    with app.app_context(), reading() as session:
        pid = get_or_create_platform(session, platform).id
        return find_endpoint(session, pid, endpoint_id)


def _emit(app, platform: str, count: int) -> None:
    with app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, platform).id
        for i in range(count):
            emit(session, pid, "thread.reviewed", {"thread": {"id": f"t{i}"}, "actor": "x"})


def test_no_endpoint_no_event_and_only_subscribers_get_one(wh_app, platform):
    store_thread(wh_app, platform, "t1", flags=["dominated"])
    with wh_app.app_context(), reading() as session:
        pid = get_or_create_platform(session, platform).id
        assert session.scalar(select(func.count(WebhookEvent.id))
                              .where(WebhookEvent.platform_id == pid)) == 0
    flagged, _ = add_endpoint(wh_app, platform, "http://127.0.0.1:9/a", ["thread.flagged"])
    reviewed, _ = add_endpoint(wh_app, platform, "http://127.0.0.1:9/b", ["thread.reviewed"])
    other, _ = add_endpoint(wh_app, platform + "-other", "http://127.0.0.1:9/c",
                            ["thread.flagged"])
    store_thread(wh_app, platform, "t2", flags=["dominated"])
    assert len(_deliveries(wh_app, flagged)) == 1
    assert _deliveries(wh_app, reviewed) == [] and _deliveries(wh_app, other) == []


def test_a_rolled_back_change_leaves_no_event(wh_app, platform):
    endpoint, _ = add_endpoint(wh_app, platform, "http://127.0.0.1:9/a")
    with pytest.raises(RuntimeError), wh_app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, platform).id
        emit(session, pid, "thread.flagged", {"thread": {"id": "t"}})
        raise RuntimeError("the change fails after its event was written")
    assert _deliveries(wh_app, endpoint) == []
    store_thread(wh_app, platform, "t1", flags=["dominated"])
    assert len(_deliveries(wh_app, endpoint)) == 1


def test_two_workers_never_claim_the_same_delivery(wh_app, platform):
    endpoint, _ = add_endpoint(wh_app, platform, "http://127.0.0.1:9/a")
    _emit(wh_app, platform, 40)
    settings = from_config(wh_app.config)
    claimed: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)

    def run(index: int):
        barrier.wait()
        sessions = wh_app.extensions["db_sessions"]
        while True:
            with sessions.begin() as session:
                batch = claim(session, f"worker-{index}", settings)
            if not batch:
                return
            claimed[index].extend(item.delivery_id for item in batch)
            threading.Event().wait(0.005)  # let the other worker in between claims

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    both = claimed[0] + claimed[1]
    assert len(both) == len(set(both)) == 40
    assert {d.id for d in _deliveries(wh_app, endpoint)} == set(both)


def test_a_lease_hides_a_delivery_until_it_expires(wh_app, platform):
    add_endpoint(wh_app, platform, "http://127.0.0.1:9/a")
    _emit(wh_app, platform, 1)
    settings = from_config(wh_app.config)
    sessions = wh_app.extensions["db_sessions"]
    with sessions.begin() as session:
        [held] = claim(session, "dead-worker", settings)  # then the process dies
    with sessions.begin() as session:
        assert claim(session, "other", settings) == []
        session.execute(update(WebhookDelivery).where(WebhookDelivery.id == held.delivery_id)
                        .values(lease_until=utcnow() - timedelta(seconds=1)))
    with sessions.begin() as session:
        [again] = claim(session, "other", settings)
    assert again.delivery_id == held.delivery_id and again.body == held.body


def test_finished_deliveries_and_their_events_go_after_the_retention(wh_app, platform):
    failing = Receiver(status=500).start()
    try:
        endpoint, _ = add_endpoint(wh_app, platform, failing.url)
        _emit(wh_app, platform, 4)
        sender = worker(wh_app, WEBHOOK_MAX_ATTEMPTS=1)
        drain(sender)  # all four fail once; with one attempt allowed they are "failed"
    finally:
        failing.stop()
    sessions = wh_app.extensions["db_sessions"]
    rows = _deliveries(wh_app, endpoint)
    assert [d.status for d in rows] == ["failed"] * 4
    old, recent = utcnow() - timedelta(days=31), utcnow() - timedelta(days=29)
    with sessions.begin() as session:  # age them: one delivered long ago, one failed long
        for row, status, when in [(rows[0], "delivered", old), (rows[1], "failed", old),
                                  (rows[2], "delivered", recent), (rows[3], "pending", old)]:
            session.execute(update(WebhookDelivery).where(WebhookDelivery.id == row.id).values(
                status=status, delivered_at=when if status == "delivered" else None,
                last_attempt_at=when))
            session.execute(update(WebhookEvent).where(WebhookEvent.id == row.event_id)
                            .values(created_at=when))
    settings = from_config({**wh_app.config, "WEBHOOK_RETENTION_DAYS": 30})
    with sessions.begin() as session:
        assert prune(session, settings) == 4  # two deliveries and their two events
    left = _deliveries(wh_app, endpoint)
    assert [(d.id, d.status) for d in left] == [(rows[2].id, "delivered"),
                                                 (rows[3].id, "pending")]
    with wh_app.app_context(), reading() as session:
        events = set(session.scalars(select(WebhookEvent.id)))
    assert {rows[2].event_id, rows[3].event_id} <= events
    assert not {rows[0].event_id, rows[1].event_id} & events
    with sessions.begin() as session:
        assert prune(session, settings) == 0


def test_backoff_doubles_up_to_the_maximum_with_jitter():
    settings = from_config({"WEBHOOK_RETRY_BASE": 10, "WEBHOOK_RETRY_MAX": 100})
    rng = random.Random(7)
    for attempts, full in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (30, 100)]:
        delays = [backoff(attempts, settings, rng) for _ in range(200)]
        assert full / 2 <= min(delays) and max(delays) <= full
        assert max(delays) - min(delays) > full / 4  # jitter spreads them


def test_repeated_failure_disables_the_endpoint_and_enable_sends_the_queue(wh_app, platform):
    failing = Receiver(status=500).start()
    try:
        endpoint, _ = add_endpoint(wh_app, platform, failing.url)
        _emit(wh_app, platform, 1)
        sender = worker(wh_app, WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_RETRY_BASE=0.01,
                        WEBHOOK_RETRY_MAX=0.01)
        for _ in range(20):
            drain(sender)
            if _endpoint(wh_app, platform, endpoint).disabled_at:
                break
            threading.Event().wait(0.02)
        row = _endpoint(wh_app, platform, endpoint)
        assert row.disabled_at is not None and len(failing.received) == 3
        assert "3 failed attempts" in row.disabled_reason and "HTTP 500" in row.disabled_reason
        [delivery] = _deliveries(wh_app, endpoint)
        assert (delivery.status, delivery.attempts, delivery.last_status) == ("failed", 3, 500)
        _emit(wh_app, platform, 1)  # queued while disabled, not sent
        assert drain(sender) == 0 and len(failing.received) == 3
    finally:
        failing.stop()
    fixed = Receiver(port=failing.port).start()
    try:
        with wh_app.app_context(), transaction() as session:
            pid = get_or_create_platform(session, platform).id
            assert enable(session, find_endpoint(session, pid, endpoint), "test") == 2
        drain(sender)
    finally:
        fixed.stop()
    assert len(fixed.received) == 2
    assert [d.status for d in _deliveries(wh_app, endpoint)] == ["delivered"] * 2
    assert _endpoint(wh_app, platform, endpoint).disabled_reason is None


def test_during_a_rotation_both_secrets_sign(wh_app, platform):
    receiver = Receiver().start()
    try:
        endpoint, old = add_endpoint(wh_app, platform, receiver.url)
        with wh_app.app_context(), transaction() as session:
            pid = get_or_create_platform(session, platform).id
            new = rotate_secret(session, find_endpoint(session, pid, endpoint),
                                timedelta(hours=1), "test")
        _emit(wh_app, platform, 1)
        drain(worker(wh_app))
        with wh_app.app_context(), transaction() as session:
            rotate_secret(session, find_endpoint(session, pid, endpoint), timedelta(0), "test")
        _emit(wh_app, platform, 1)
        drain(worker(wh_app))
    finally:
        receiver.stop()
    verify = recipe()["verify_webhook"]
    (_, during, body), (_, after, body2) = receiver.received
    assert during["X-Thread-Health-Signature"].count("v1=") == 2
    assert verify(old, during["X-Thread-Health-Signature"], body)
    assert verify(new, during["X-Thread-Health-Signature"], body)
    assert after["X-Thread-Health-Signature"].count("v1=") == 1
    with pytest.raises(ValueError):
        verify(old, after["X-Thread-Health-Signature"], body2)
    with pytest.raises(ValueError):  # rotated again with no grace: only the newest signs
        verify(new, after["X-Thread-Health-Signature"], body2)


def test_a_redirect_is_not_followed(wh_app, platform):
    receiver = Receiver(status=302, location="/elsewhere").start()
    try:
        endpoint, _ = add_endpoint(wh_app, platform, receiver.url)
        _emit(wh_app, platform, 1)
        drain(worker(wh_app))
    finally:
        receiver.stop()
    assert [path for path, _, _ in receiver.received] == ["/hooks/th"]
    [delivery] = _deliveries(wh_app, endpoint)
    assert delivery.status == "pending" and delivery.last_status == 302
    assert "redirect to '/elsewhere' not followed" in delivery.last_error


def test_a_slow_receiver_is_cut_at_the_timeout(wh_app, platform):
    receiver = Receiver(delay=3).start()
    try:
        endpoint, _ = add_endpoint(wh_app, platform, receiver.url)
        _emit(wh_app, platform, 1)
        # A long backoff, so that on a slow machine no second attempt falls due in the drain.
        drain(worker(wh_app, WEBHOOK_TIMEOUT=0.5, WEBHOOK_RETRY_BASE=60, WEBHOOK_RETRY_MAX=60))
    finally:
        receiver.stop()
    [delivery] = _deliveries(wh_app, endpoint)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "timed out after 0.5 s" in delivery.last_error


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_addresses_are_checked_again_when_sending(wh_app, platform, host):
    """An endpoint registered while its network was allowed is not called once it is not
    (the same check stops a name that resolves to a private address later)."""
    receiver = Receiver().start()
    try:
        endpoint, _ = add_endpoint(wh_app, platform,
                                   receiver.url.replace("127.0.0.1", host))
        _emit(wh_app, platform, 1)
        drain(worker(wh_app, WEBHOOK_ALLOWED_NETWORKS=""))
    finally:
        receiver.stop()
    assert receiver.received == []
    [delivery] = _deliveries(wh_app, endpoint)
    assert delivery.last_error.startswith("refused: ") and "not a public address" in \
        delivery.last_error


def test_the_thread_write_path_emits_with_the_previous_analysis(wh_app, platform):
    endpoint, _ = add_endpoint(wh_app, platform, "http://127.0.0.1:9/a")
    store_thread(wh_app, platform, "t1", flags=[], score=80, level="healthy")
    store_thread(wh_app, platform, "t1", flags=[], score=60, level="at_risk")
    store_thread(wh_app, platform, "t1", flags=[], score=70, level="at_risk")
    store_thread(wh_app, platform, "t1", flags=["dominated"], score=70, level="at_risk")
    store_thread(wh_app, platform, "t1", flags=[], score=70, level="at_risk")
    store_thread(wh_app, platform, "t1", flags=["dominated"], score=70, level="at_risk")
    with wh_app.app_context(), reading() as session:
        pid = get_or_create_platform(session, platform).id
        assert find_thread(session, pid, "t1") is not None
        events = [(e.type, e.payload.get("previous")) for e in session.scalars(
            select(WebhookEvent).where(WebhookEvent.platform_id == pid)
            .order_by(WebhookEvent.id))]
    assert events == [
        ("thread.level_worsened", {"level": "healthy", "score": 80, "flags": []}),
        ("thread.flagged", {"level": "at_risk", "score": 70, "flags": []}),
        ("thread.flagged", {"level": "at_risk", "score": 70, "flags": []})]
    assert len(_deliveries(wh_app, endpoint)) == 3
