"""The moderation queries and actions on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete

from service.services.moderation_state import dismiss_flag, mark_reviewed
from service.store import reading, transaction
from service.store.models import Thread
from service.store.moderation import (
    count_threads,
    flag_counts,
    thread_flags,
    thread_in_scope,
)
from tests.moderation.helpers import store_thread


@pytest.fixture
def seeded(db_app):
    """Three threads of a fresh platform; removed afterwards, since the PostgreSQL schema
    is shared by every test of the worker."""
    platform, tag = f"s-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:6]
    ids = [store_thread(db_app, platform, f"a-{tag}", flags=["dominated", "no_dialogue"],
                        score=20),
           store_thread(db_app, platform, f"b-{tag}", flags=["dominated"], score=50,
                        level="at_risk"),
           store_thread(db_app, platform, f"c-{tag}", flags=[], score=90, level="healthy")]
    with db_app.app_context(), reading() as session:
        pid = session.get(Thread, ids[0]).platform_id
    yield pid, ids
    with db_app.app_context(), transaction() as session:
        session.execute(delete(Thread).where(Thread.platform_id == pid))


def test_counts_and_scope(db_app, seeded):
    pid, (a, _, _) = seeded
    with db_app.app_context(), reading() as session:
        assert flag_counts(session, [pid]) == {"dominated": 2, "no_dialogue": 1}
        assert flag_counts(session, [pid], level="at_risk") == {"dominated": 1}
        assert count_threads(session, [pid]) == 2
        assert count_threads(session, [pid], flag="no_dialogue") == 1
        assert thread_in_scope(session, a, [pid]).id == a
        assert thread_in_scope(session, a, [pid + 1000]) is None


def test_review_and_dismiss_under_a_row_lock(db_app, seeded):
    pid, (a, _, _) = seeded
    with db_app.app_context(), transaction() as session:
        thread = thread_in_scope(session, a, [pid], lock=True)
        assert dismiss_flag(session, thread, "dominated", "fine", "moderator:x")
        mark_reviewed(session, thread, "moderator:x")
    with db_app.app_context(), reading() as session:
        thread = session.get(Thread, a)
        states = {f.name: (f.state, f.note) for f in thread_flags(session, thread)}
        assert thread.review_state == "reviewed"
        assert states == {"dominated": ("dismissed", "fine"), "no_dialogue": ("reviewed", None)}
