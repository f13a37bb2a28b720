"""Stored threads: validate → find what is new → analyse → write → health.

An append reads a snapshot of the thread (its version, the comments it names, the
analysis state that its new comments touch), analyses the new comments with no write
transaction open, then writes them, the state and the health in one short transaction
that checks the version it read. Appends to one thread take turns (``store/turns.py``);
when another writer (a PUT) changed the thread meanwhile, the append starts again from
the new state (``RETRIES`` times at most, then ``ThreadBusy``).
Appending k comments costs O(k) whatever the thread's length, unless the whole thread has
to be analysed again: its state was made by another model or for another thread language
(or before the state was stored at all).
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass
from functools import partial

from ..nlp.features import CommentInput
from ..nlp.thread_state import Items
from ..scoring.engine import Engine, ThreadState
from ..scoring.reasons import render_reasons
from ..store import reading, thread_turn, transaction
from ..store.errors import (
    CommentsConflict,
    CommentsRejected,
    ThreadBusy,
    ThreadFull,
    VersionConflict,
)
from ..store.listing import active_flags, list_threads
from ..store.models import Analysis, Comment, iso
from ..store.threads import (
    NewComment,
    Written,
    all_comments,
    comments_by_id,
    find_thread,
    latest_analysis,
    predictions,
    state_items,
    thread_state,
    write_append,
    write_replace,
)
from ..validation import ThreadInput
from ..webhooks.events import emit_thread_changes
from . import moderation_state

RETRIES = 8  # attempts when other writers (a PUT, a moderator) keep changing the thread
INCLUDE = ("all", "sent")  # which comments' analyses an append answers with


def consequences(session, thread, before: dict | None, written: Written, *,
                 rules: moderation_state.Rules, actor: str | None = None) -> None:
    """What a stored analysis leads to, in its write transaction: the moderation state
    machine by ``rules`` (the detected language, then flags and review state; actor: the
    thread's platform unless given), then the webhook events. The store calls it back as
    ``then=partial(consequences, rules=…)``."""
    moderation_state.record_analysis(session, thread, written.health,
                                     written.detected_language, rules, actor=actor)
    emit_thread_changes(session, thread, before, written.health)


@dataclass(frozen=True)
class Outcome:
    """What a write answers: the analysis, how many comments it added, whether it created
    the thread."""

    body: dict
    added: int
    created: bool = False


def public_health(stored: dict, language: str | None) -> dict:
    """A stored health in the contract's shape, its reasons rendered in ``language``
    (default: the language of the analysis); analyses stored before reason codes keep
    their sentences."""
    out = {k: stored[k] for k in ("score", "level", "components", "flags")}
    codes = stored.get("reason_codes")
    if codes is None:
        out["reasons"] = stored["reasons"]
        return out
    out["reasons"] = render_reasons(codes, language or stored.get("language", "en"))
    out["reason_codes"] = codes
    return out


def _body(external_id: str, record: Analysis, comments: list[dict],
          language: str | None) -> dict:
    return {"id": external_id, "model_version": record.model_version,
            "analysed_at": iso(record.analysed_at), "comments": comments,
            "health": public_health(record.health, language)}


def _limit_error(field: str, limit: int, total: int) -> ThreadFull:
    return ThreadFull([{"field": field,
                        "message": f"a thread holds at most {limit} comments "
                                   f"(MAX_COMMENTS_PER_THREAD); this would make {total}"}])


def _as_input(row: Comment) -> CommentInput:
    return CommentInput(id=row.external_id, author=row.author, text=row.text,
                        reply_to=row.reply_to, language=row.language_hint)


def _new_rows(comments: list[CommentInput], analyses: list[dict]) -> list[NewComment]:
    return [NewComment(c.id, c.author, c.text, c.reply_to, c.language, c.created_at,
                       {k: v for k, v in a.items() if k != "id"})
            for c, a in zip(comments, analyses, strict=True)]


def _stored_health(engine: Engine, state: ThreadState, language: str | None) -> dict:
    health = engine.health_of(state, language)
    return {**health.to_dict(), "language": health.language}


def _fresh(comments: list[CommentInput], stored: dict[str, Comment]) -> list[CommentInput]:
    """The comments not stored yet; CommentsConflict for an id stored with other content,
    CommentsRejected for a reply to a comment the thread does not hold."""
    conflicts, rejected, fresh, known = [], [], [], set(stored)
    for i, comment in enumerate(comments):
        old = stored.get(comment.id)
        if old is not None:
            if (old.author, old.text, old.reply_to) != (comment.author, comment.text,
                                                        comment.reply_to):
                conflicts.append({"field": f"comments[{i}].id",
                                  "message": f"comment {comment.id!r} is already stored with "
                                             "other content; use PUT to replace the thread"})
            continue
        if comment.reply_to is not None and comment.reply_to not in known:
            rejected.append({"field": f"comments[{i}].reply_to",
                             "message": "must be the id of a stored or earlier comment "
                                        "of this thread"})
            continue
        known.add(comment.id)
        fresh.append(comment)
    if rejected:
        raise CommentsRejected(conflicts + rejected)
    if conflicts:
        raise CommentsConflict(conflicts)
    return fresh


def _sent(comments: list[CommentInput], stored: dict[str, Comment],
          new: dict[str, dict]) -> list[dict]:
    """The analyses of the comments a request sent, stored before or just now."""
    return [new[c.id] if c.id in new else {"id": c.id, **stored[c.id].prediction}
            for c in comments]


def append(engine: Engine, platform_id: int, external_id: str,
           comments: list[CommentInput], *, language: str | None = None,
           reasons_language: str | None = None,
           include: str = "all", actor: str, limit: int, rules: moderation_state.Rules,
           url: str | None = None) -> Outcome:
    """Append the comments not stored yet (idempotent on id) and move the health on;
    ``limit`` and ``rules`` are the running app's (comments per thread, moderation)."""
    with thread_turn(platform_id, external_id):  # appends to one thread take turns
        return _append(engine, platform_id, external_id, comments, language,
                       reasons_language, include, actor, limit, rules, url)


def _append(*args) -> Outcome:
    for attempt in range(RETRIES):
        try:
            return _append_once(*args)
        except VersionConflict:
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311 (jitter)
    raise ThreadBusy(args[2])


def _append_once(engine, platform_id, external_id, comments, language,
                 reasons_language, include, actor, limit, rules, url) -> Outcome:
    ids = [c.id for c in comments] + [c.reply_to for c in comments if c.reply_to]
    with reading() as session:
        thread = find_thread(session, platform_id, external_id)
        stored = comments_by_id(session, thread.id, ids) if thread else {}
        fresh = _fresh(comments, stored)
        if not fresh and thread is not None and thread.level is not None:
            record = latest_analysis(session, thread.id)
            shown = (predictions(session, thread.id) if include == "all"
                     else _sent(comments, stored, {}))
            return Outcome(_body(external_id, record, shown, reasons_language), 0)
        count = thread.comment_count if thread else 0
        if count + len(fresh) > limit:
            raise _limit_error("comments", limit, count + len(fresh))
        thread_language = (thread.language if thread else None) or language
        saved = thread_state(session, thread.id) if thread else None
        rebuilt = None
        if count and (saved is None or saved.model_version != engine.model_version
                      or saved.language != thread_language):
            # The carried state cannot be used: analyse the whole thread again, once.
            state = ThreadState()
            rebuilt = engine.extend(state, [_as_input(r) for r in
                                            all_comments(session, thread.id)], thread_language)
        else:
            targets = {c.reply_to for c in fresh if c.reply_to in stored}
            parents = {cid: engine.parent(stored[cid].position, stored[cid].author,
                                          stored[cid].text, stored[cid].prediction["language"],
                                          thread_language) for cid in targets}
            state = ThreadState(copy.deepcopy(saved.scalars) if saved else {},
                                Items.partial({}, ()), parents)
        tid = thread.id if thread else None

        def load(keys: set[str]) -> None:
            state.items.load(keys, lambda missing: state_items(session, tid, missing)
                             if tid is not None else {})

        new = engine.extend(state, fresh, thread_language, load)
        health = _stored_health(engine, state, reasons_language or thread_language)
        earlier = [] if include != "all" else (
            rebuilt if rebuilt is not None else predictions(session, tid) if count else [])
        version = thread.version if thread else None
    written = Written(engine.model_version, thread_language, state.scalars,
                      state.items.changed(), health, count + len(fresh),
                      _detected_language(state))
    with transaction() as session:
        record = write_append(session, platform_id, external_id, version,
                              _new_rows(fresh, new), written, actor,
                              then=partial(consequences, rules=rules),
                              rebuilt=rebuilt, thread_language=language, url=url)
    shown = earlier + new if include == "all" else _sent(comments, stored,
                                                         {a["id"]: a for a in new})
    return Outcome(_body(external_id, record, shown, reasons_language), len(fresh))


def _detected_language(state: ThreadState) -> str | None:
    """The thread's detected language for the moderation queue: its comments' dominant
    language, "other" when none is French or English, None for no comment."""
    return state.dominant_language() or ("other" if state.size else None)


def replace(engine: Engine, platform_id: int, thread_in: ThreadInput, *,
            reasons_language: str | None = None, actor: str, limit: int,
            rules: moderation_state.Rules) -> Outcome:
    """Store ``thread_in`` in place of whatever had its id, analysed from scratch."""
    if len(thread_in.comments) > limit:
        raise _limit_error("comments", limit, len(thread_in.comments))
    state = ThreadState()
    analyses = engine.extend(state, thread_in.comments, thread_in.language)
    health = _stored_health(engine, state, reasons_language or thread_in.language)
    written = Written(engine.model_version, thread_in.language, state.scalars,
                      state.items.changed(), health, len(analyses), _detected_language(state))
    fields = {"title": thread_in.title, "url": thread_in.url, "language": thread_in.language}
    with transaction() as session:
        record, existed = write_replace(session, platform_id, thread_in.id, fields,
                                        _new_rows(thread_in.comments, analyses), written,
                                        actor, then=partial(consequences, rules=rules))
    return Outcome(_body(thread_in.id, record, analyses, reasons_language), len(analyses),
                   created=not existed)


def read(platform_id: int, external_id: str, reasons_language: str | None = None
         ) -> dict | None:
    """The stored thread's latest analysis, or None when the platform has no such thread."""
    with reading() as session:
        thread = find_thread(session, platform_id, external_id)
        if thread is None or thread.level is None:
            return None
        record = latest_analysis(session, thread.id)
        return _body(external_id, record, predictions(session, thread.id), reasons_language)



def listing(platform_id: int, *, flagged: bool | None, limit: int,
            cursor: str | None) -> tuple[list[dict], str | None]:
    """One page of the platform's threads, most urgent first, and the next cursor."""
    with reading() as session:
        rows, next_cursor = list_threads(session, [platform_id], flagged=flagged, limit=limit,
                                         cursor=cursor)
        flags = active_flags(session, [t.id for t in rows])
        return [{
            "id": t.external_id, "title": t.title, "url": t.url, "language": t.language,
            "comment_count": t.comment_count, "updated_at": iso(t.updated_at),
            "health": {"score": t.score, "level": t.level, "flags": flags[t.id]},
            "flagged": t.flagged, "review_state": t.review_state,
        } for t in rows], next_cursor
