"""Score a stored thread again with the engine in use (after a promotion or a rollback).

The thread is read, analysed from its first comment with no transaction open, then written
under the version it was read at (``store.threads.write_rescore``); a platform's write in
between makes it start again. Its moderation state follows the new analysis with the
actor ``system``, by the rules a platform's change follows (audit rows, reopening).
"""

from __future__ import annotations

from functools import partial

from ..scoring.engine import Engine, ThreadState
from ..store import reading, thread_turn, transaction
from ..store.errors import ThreadBusy, VersionConflict
from ..store.models import Thread
from ..store.threads import Written, all_comments, latest_analysis, write_rescore
from .moderation_state import Rules
from .threads import RETRIES, _as_input, _detected_language, _stored_health, consequences


def _summary(model_version: str | None, health: dict | None) -> dict | None:
    if health is None:
        return None
    return {"model_version": model_version, "score": health["score"],
            "level": health["level"], "flags": health["flags"]}


def rescore(engine: Engine, thread_id: int, rules: Rules, actor: str = "system"
            ) -> dict | None:
    """Analyse stored thread ``thread_id`` again and store it (its moderation state moved
    by the running app's ``rules``); what changed, or None when the thread is no longer
    stored."""
    with reading() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            return None
        platform_id, external_id = thread.platform_id, thread.external_id
    with thread_turn(platform_id, external_id):
        for _ in range(RETRIES):
            try:
                return _rescore_once(engine, thread_id, rules, actor)
            except VersionConflict:
                continue
    raise ThreadBusy(external_id)


def _rescore_once(engine: Engine, thread_id: int, rules: Rules, actor: str) -> dict | None:
    with reading() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            return None
        external_id, language, version = thread.external_id, thread.language, thread.version
        before = latest_analysis(session, thread_id)
        previous = _summary(before.model_version, before.health) if before else None
        comments = [_as_input(row) for row in all_comments(session, thread_id)]
    state = ThreadState()
    analyses = engine.extend(state, comments, language)
    health = _stored_health(engine, state, language)
    written = Written(engine.model_version, language, state.scalars, state.items.changed(),
                      health, len(analyses), _detected_language(state))
    with transaction() as session:
        write_rescore(session, thread_id, version, analyses, written,
                      partial(consequences, rules=rules, actor=actor))
    return {"id": external_id, **_summary(engine.model_version, health),
            "previous": previous}
