"""The store of threads itself, without HTTP or a model: rows, versions, the consequences
hook and the urgency order, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from service import create_app
from service.store import reading, transaction
from service.store.errors import BadCursor, VersionConflict
from service.store.keys import get_or_create_platform
from service.store.listing import list_threads
from service.store.models import AuditEntry, Comment, Thread
from service.store.threads import NewComment, Written, find_thread, write_append, write_replace
from tests.conftest import dispose


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_app(request, tmp_path_factory):
    config = {"DATA_DIR": tmp_path_factory.mktemp(f"rows-{request.param}"), "TESTING": True,
              "AUTO_MIGRATE": True, "LOAD_MODEL": False}
    if request.param == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("pg_url")
    app = create_app(config)
    with app.app_context():
        yield app
    dispose(app)


def _health(score: int, level: str, flags=()) -> dict:
    return {"score": score, "level": level, "flags": list(flags), "reasons": [],
            "components": {}}


def _rows(*ids: str) -> list[NewComment]:
    return [NewComment(cid, "ana", f"texte {cid}", None, None, None, {"language": "fr"})
            for cid in ids]


def _written(health: dict, count: int) -> Written:
    return Written("test-model", "fr", {}, {}, health, count, "fr")


class Recorder:
    """A ``then`` hook that remembers what it was called with."""

    def __init__(self):
        self.calls: list[tuple] = []

    def __call__(self, session, thread, before, written):
        self.calls.append((thread.external_id, before and before["score"],
                           written.health["score"]))


def _platform() -> int:
    with transaction() as session:
        return get_or_create_platform(session, f"rows-{uuid.uuid4().hex[:8]}").id


def _comment_ids(platform_id: int, external_id: str) -> list[str]:
    with reading() as session:
        thread = find_thread(session, platform_id, external_id)
        return list(session.scalars(select(Comment.external_id)
                                    .where(Comment.thread_id == thread.id)
                                    .order_by(Comment.position)))


def test_replace_creates_then_replaces_under_a_new_version(store_app):
    pid, then = _platform(), Recorder()
    with transaction() as session:
        _, existed = write_replace(session, pid, "t1", {"title": "Fil"}, _rows("c1", "c2"),
                                   _written(_health(40, "at_risk", ["dominated"]), 2),
                                   actor="test", then=then)
    assert not existed
    with transaction() as session:
        _, existed = write_replace(session, pid, "t1", {"title": "Fil 2"}, _rows("c3"),
                                   _written(_health(60, "at_risk"), 1), actor="test",
                                   then=then)
    assert existed and _comment_ids(pid, "t1") == ["c3"]
    with reading() as session:
        thread = find_thread(session, pid, "t1")
        assert (thread.version, thread.title, thread.score, thread.flagged) == \
            (2, "Fil 2", 60, False)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.platform_id == pid)).all()
        assert [(a.action, a.detail) for a in audit] == [
            ("thread.replace", {"old_comments": 2, "new_comments": 1})]
    assert then.calls == [("t1", None, 40), ("t1", 40, 60)]  # before: the previous health


def test_an_append_at_a_stale_version_raises_and_writes_nothing(store_app):
    pid, then = _platform(), Recorder()
    with transaction() as session:
        write_replace(session, pid, "t2", {}, _rows("c1"), _written(_health(50, "at_risk"), 1),
                      actor="test", then=then)
    with pytest.raises(VersionConflict), transaction() as session:
        write_append(session, pid, "t2", 0, _rows("c2"), _written(_health(70, "healthy"), 2),
                     actor="test", then=then)
    assert _comment_ids(pid, "t2") == ["c1"] and len(then.calls) == 1
    with transaction() as session:
        write_append(session, pid, "t2", 1, _rows("c2", "c3"),
                     _written(_health(70, "healthy"), 3), actor="test", then=then)
    assert _comment_ids(pid, "t2") == ["c1", "c2", "c3"]
    with reading() as session:
        assert find_thread(session, pid, "t2").version == 2
    assert then.calls[-1] == ("t2", 50, 70)


def test_listing_is_most_urgent_first_and_refuses_a_forged_cursor(store_app):
    pid = _platform()
    for name, score, level in (("calm", 90, "healthy"), ("bad", 10, "unhealthy"),
                               ("meh", 50, "at_risk"), ("worse", 5, "unhealthy")):
        with transaction() as session:
            write_replace(session, pid, name, {}, _rows("c1"), _written(
                _health(score, level, ["no_dialogue"] if level != "healthy" else []), 1),
                actor="test", then=Recorder())
    with reading() as session:
        first, cursor = list_threads(session, [pid], flagged=None, limit=3, cursor=None)
        rest, end = list_threads(session, [pid], flagged=None, limit=3, cursor=cursor)
        flagged, _ = list_threads(session, [pid], flagged=True, limit=10, cursor=None)
        assert [t.external_id for t in first] == ["worse", "bad", "meh"]
        assert [t.external_id for t in rest] == ["calm"] and end is None
        assert [t.external_id for t in flagged] == ["worse", "bad", "meh"]
        with pytest.raises(BadCursor):
            list_threads(session, [pid], flagged=None, limit=3, cursor="bm90LWEtY3Vyc29y")
        assert session.scalar(select(Thread.level_rank).where(
            Thread.platform_id == pid, Thread.external_id == "worse")) == 0
