"""Appending to a stored thread gives exactly the analysis of the whole thread at once.

Any thread, cut into any sequence of appends, stored on SQLite and on PostgreSQL: after
each append, the stored predictions and health (score, level, components, flags, reasons
and their codes) equal ``Engine.analyze_thread`` of the comments stored so far.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from service.current_model import engine
from service.nlp.features import CommentInput
from service.services import threads as service
from service.services.moderation_state import Rules
from service.store import reading, transaction
from service.store.keys import get_or_create_platform
from service.store.models import Thread, ThreadState, ThreadStateItem
from service.validation import ThreadInput

AS_TEST = {"actor": "test", "rules": Rules()}  # who writes, and the default rules

AUTHORS = ("ana", "ben_dupont", "chloe", "dan", "shopgirl")
# Texts that move the causal features and the health: questions, names of participants
# (by @mention and by first name), repeated texts and links, short and ambiguous comments,
# both languages, disagreement, promotion.
TEXTS = (
    "Anyone tried baking sourdough above 1500 m? My loaves collapse every time.",
    "Quelqu'un a déjà testé la cuisson à haute altitude ? Mes pains s'effondrent.",
    "@{name} thanks, I cut the yeast by a quarter and it worked much better.",
    "{name} a raison, il faut raccourcir la deuxième levée d'au moins une heure.",
    "I disagree, the flour matters more than the altitude in my experience.",
    "Check out my bakery channel, link in bio!! https://example.com/shop",
    "Check out my bakery channel, link in bio!! https://example.com/shop",
    "Promo ce week-end sur tous nos cours https://exemple.fr/cours",
    "ok",
    "merci !",
    "Why would the water temperature change anything at that height?",
    "What flour do you use, {name}?",
    "Pareil pour moi, et j'ai aussi réduit l'hydratation de 5 %.",
    "👍",
)


def _thread(draw) -> list[CommentInput]:
    size = draw(st.integers(1, 14))
    comments = []
    for i in range(size):
        text = draw(st.sampled_from(TEXTS)).format(name=draw(st.sampled_from(AUTHORS)))
        reply = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        comments.append(CommentInput(
            id=f"c{i}", author=draw(st.sampled_from(AUTHORS)), text=text,
            reply_to=None if reply is None else f"c{reply}",
            language=draw(st.sampled_from((None, None, None, "fr", "en")))))
    return comments


@st.composite
def appends(draw):
    """A thread, its thread-level language hint, and a split into batches."""
    comments = _thread(draw)
    cuts = sorted(draw(st.sets(st.integers(1, len(comments) - 1), max_size=len(comments)))
                  ) if len(comments) > 1 else []
    bounds = [0, *cuts, len(comments)]
    batches = [comments[a:b] for a, b in itertools.pairwise(bounds)]
    return draw(st.sampled_from((None, "fr", "en"))), batches


def _platform(app) -> int:
    with app.app_context(), transaction() as session:
        return get_or_create_platform(session, f"inc-{uuid.uuid4().hex[:8]}").id


def _expected(comments: list[CommentInput], language: str | None, lang: str | None) -> dict:
    whole = engine().analyze_thread(ThreadInput(id=None, language=language,
                                                comments=comments), lang)
    return {"comments": whole["comments"], "health": whole["health"]}


def _stored(body: dict) -> dict:
    return {"comments": body["comments"], "health": body["health"]}


@pytest.fixture(scope="module")
def platform(db_app):
    return _platform(db_app)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(appends(), st.sampled_from((None, "fr", "en")))
def test_any_sequence_of_appends_equals_the_whole_thread_at_once(db_app, platform, case, lang):
    language, batches = case
    thread_id = f"t-{uuid.uuid4().hex}"
    done: list[CommentInput] = []
    with db_app.app_context():
        for batch in batches:
            body = service.append(engine(), platform, thread_id, batch, language=language,
                                  reasons_language=lang, **AS_TEST, limit=100).body
            done += batch
            assert _stored(body) == _expected(done, language, lang)
        assert _stored(service.read(platform, thread_id, lang)) == _expected(done, language,
                                                                             lang)


def test_the_state_is_stored_and_only_what_an_append_touches_is_read(db_app, platform,
                                                                     monkeypatch):
    """A second append reads the items of its own author and of the two comments before
    it (a contribution right after a question answers it), not those of every author."""
    comments = [CommentInput(f"c{i}", f"user{i}", TEXTS[4 if i % 2 else 12]) for i in range(12)]
    read_keys: list[set] = []
    real = service.state_items

    def spy(session, thread_id, keys):
        read_keys.append(set(keys))
        return real(session, thread_id, keys)

    with db_app.app_context():
        service.append(engine(), platform, "t-items", comments, **AS_TEST, limit=100)
        with reading() as session:
            tid = session.scalar(select(ThreadState.thread_id).join(
                Thread, Thread.id == ThreadState.thread_id).where(
                Thread.external_id == "t-items", Thread.platform_id == platform))
            stored = set(session.scalars(select(ThreadStateItem.key).where(
                ThreadStateItem.thread_id == tid)))
        monkeypatch.setattr(service, "state_items", spy)
        extra = CommentInput("c99", "eve", "Merci, je vais essayer ce soir.")
        service.append(engine(), platform, "t-items", [extra], **AS_TEST, limit=100)
    asked = set().union(*read_keys)
    per_author = {key.split(":", 1)[1] for key in asked if key.startswith(("a:", "h:", "q:"))}
    assert per_author == {"eve", "user10", "user11"}
    assert len(asked & stored) < len(stored) / 4, (len(asked & stored), len(stored))


def test_another_model_version_analyses_the_whole_thread_again(db_app, platform):
    comments = [CommentInput(f"c{i}", AUTHORS[i % 3], TEXTS[i]) for i in range(6)]
    with db_app.app_context():
        service.append(engine(), platform, "t-model", comments[:4], **AS_TEST, limit=100)
        with transaction() as session:  # a state made by another model: not to be used
            for row in session.scalars(select(ThreadState)):
                row.model_version, row.scalars = "an-older-model", {}
        body = service.append(engine(), platform, "t-model", comments[4:], **AS_TEST,
                              limit=100).body
        assert _stored(body) == _expected(comments, None, None)


def test_a_write_that_lost_the_race_analyses_again_from_the_new_state(db_app, platform,
                                                                      monkeypatch):
    """Another writer (a PUT: it takes no turn) stores the thread between this append's
    analysis and its write: the version check refuses the stale write, the append starts
    again from the new state, and the result is the analysis of the thread as stored."""
    first = [CommentInput("c0", "ana", TEXTS[0])]
    theirs = CommentInput("c1", "ben_dupont", TEXTS[2].format(name="ana"))
    mine = CommentInput("c2", "chloe", TEXTS[10])
    real, calls = service.write_append, []

    def racing(session, *args, **kwargs):
        calls.append(args[2])
        if len(calls) == 1:  # before the first write of "mine": another writer gets in
            service.replace(engine(), platform, ThreadInput(id="t-race", language=None,
                                                            comments=[*first, theirs]),
                            **AS_TEST, limit=100)
        return real(session, *args, **kwargs)

    with db_app.app_context():
        service.append(engine(), platform, "t-race", first, **AS_TEST, limit=100)
        monkeypatch.setattr(service, "write_append", racing)
        outcome = service.append(engine(), platform, "t-race", [mine], **AS_TEST,
                                 limit=100)
        expected = _expected([*first, theirs, mine], None, None)
    assert len(calls) == 2 and calls[1] == calls[0] + 1  # refused at one version, then retried
    assert outcome.added == 1
    assert _stored(outcome.body) == expected


def test_appends_to_one_thread_take_turns_across_threads(db_app, platform):
    """Appends from several threads at once all land, each once, in some order, and the
    stored analysis is that of the thread in the order they were stored."""
    import threading

    comments = [CommentInput(f"c{i}", AUTHORS[i % 5], TEXTS[i % len(TEXTS)].format(name="ana"))
                for i in range(8)]
    errors = []

    def one(comment):
        try:
            with db_app.app_context():
                service.append(engine(), platform, "t-turns", [comment], **AS_TEST,
                               limit=100)
        except Exception as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=one, args=(c,)) for c in comments]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with db_app.app_context():
        body = service.read(platform, "t-turns")
        order = {c.id: c for c in comments}
        stored = [order[c["id"]] for c in body["comments"]]
        assert sorted(c.id for c in stored) == sorted(order)
        assert _stored(body) == _expected(stored, None, None)
