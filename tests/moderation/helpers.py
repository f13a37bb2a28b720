"""Helpers of the moderation tests: an app without the model, threads stored through the
store with a fixed analysis, moderator accounts, signing in, reading the results."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select

from service import create_app
from service.moderation.accounts import hash_password
from service.nlp.features import CommentInput
from service.services.thread_language import dominant_language
from service.services.threads import consequences
from service.store import reading, transaction
from service.store.keys import get_or_create_platform
from service.store.models import AuditEntry, Flag, Thread
from service.store.moderators import create_moderator
from service.store.threads import (
    NewComment,
    Written,
    all_comments,
    find_thread,
    write_append,
    write_replace,
)
from service.validation import ThreadInput, parse_thread
from service.vocab import ACTS

PASSWORD = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")
TEST_CONFIG = {"TESTING": True, "LOAD_MODEL": False, "AUTO_MIGRATE": True,
               "MODERATION_FAILURE_DELAY": 0, "SIGN_IN_RATE_LIMIT": "10000/minute"}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
COMPONENTS = {"reciprocity": 0.2, "responsiveness": 0.5, "balance": 0.9,
              "listening_contribution": 0.4, "debate": 0.1, "self_promotion": 0.3}


def make_app(tmp_path, **config):
    return create_app({"DATA_DIR": tmp_path, **TEST_CONFIG, **config})


def fixed_analyzer(flags: list[str], score: int, level: str, acts: dict | None = None,
                   version: str = "test-model", reasons: list[str] | None = None,
                   language: str = "fr"):
    """An analyzer returning a contract-shaped analysis with the given health."""
    acts = acts or {}
    reasons = [f"raison {f}" for f in flags] if reasons is None else reasons

    def analyze(thread, _known):
        comments = []
        for c in thread.comments:
            act = acts.get(c.id, "broadcast")
            promo = "self_promotion" if act == "promo" else "dialogue"
            act = "broadcast" if act == "promo" else act
            scores = dict.fromkeys(ACTS, 0.1)
            scores[act] = 0.8
            comments.append({"id": c.id, "language": language, "act": {"label": act,
                                                                   "scores": scores},
                             "promotion": {"label": promo,
                                           "score": 0.9 if promo == "self_promotion" else 0.05},
                             "cues": ["question", "second_person"], "warnings": []})
        return {"id": thread.id, "model_version": version, "comments": comments,
                "health": {"score": score, "level": level, "components": COMPONENTS,
                           "flags": flags, "reasons": reasons}}
    return analyze


def _consequences(app):
    """What the thread service runs after a write, with ``app``'s moderation rules."""
    return partial(consequences, rules=app.extensions["moderation_rules"])


def store_thread(app, platform: str, external_id: str, *, flags=("self_promotion",),
                 score: int = 30, level: str = "unhealthy", comments=None, title=None,
                 url=None, language="fr", acts=None, reasons=None) -> int:
    """Store (or replace) a thread with a fixed analysis; its row id."""
    comments = comments or [
        {"id": "c1", "author": "ana", "text": "Bonjour, qui a testé ?"},
        {"id": "c2", "author": "bob", "text": "Moi, ça marche.", "reply_to": "c1"}]
    body = {"title": title or f"Fil {external_id}", "url": url, "language": language,
            "comments": comments}
    thread = parse_thread(body)
    thread = thread.__class__(id=external_id, language=thread.language,
                              comments=thread.comments, title=thread.title, url=thread.url)
    analysis = fixed_analyzer(list(flags), score, level, acts, reasons=reasons)(thread, None)
    rows = _rows(thread.comments, analysis["comments"])
    written = _written(analysis, thread.language, len(rows))
    fields = {"title": thread.title, "url": thread.url, "language": thread.language}
    with app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, platform).id
        write_replace(session, pid, external_id, fields, rows, written, actor="test",
                      then=_consequences(app))
        return find_thread(session, pid, external_id).id


def _rows(comments, analyses) -> list[NewComment]:
    return [NewComment(c.id, c.author, c.text, c.reply_to, c.language,
                       getattr(c, "created_at", None),
                       {k: v for k, v in a.items() if k != "id"})
            for c, a in zip(comments, analyses, strict=True)]


def _written(analysis: dict, language: str | None, count: int) -> Written:
    detected = dominant_language(c["language"] for c in analysis["comments"])
    return Written(analysis["model_version"], language, {}, {}, analysis["health"], count,
                   detected)


def append_to_thread(app, platform: str, external_id: str, comments: list[dict],
                     analyzer) -> dict:
    """Append comments as a platform's POST does (through the store's write of an append),
    the whole thread analysed by ``analyzer``; the analysis."""
    inputs = [CommentInput(id=c["id"], author=c["author"], text=c["text"],
                           reply_to=c.get("reply_to")) for c in comments]
    with app.app_context(), transaction() as session:
        pid = get_or_create_platform(session, platform).id
        thread = find_thread(session, pid, external_id)
        stored = [CommentInput(id=r.external_id, author=r.author, text=r.text,
                               reply_to=r.reply_to) for r in all_comments(session, thread.id)]
        whole = ThreadInput(id=external_id, language=thread.language,
                            comments=[*stored, *inputs])
        analysis = analyzer(whole, None)
        written = _written(analysis, thread.language, len(whole.comments))
        write_append(session, pid, external_id, thread.version,
                     _rows(inputs, analysis["comments"][len(stored):]), written,
                     actor=f"platform:{platform}", then=_consequences(app))
    return analysis


def add_moderator(app, platforms=(), admin=False, username=None) -> str:
    username = username or f"mod-{uuid.uuid4().hex[:8]}"
    with app.app_context(), transaction() as session:
        for name in platforms:
            get_or_create_platform(session, name)
        create_moderator(session, username, hash_password(PASSWORD), list(platforms), admin)
    return username


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles, handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {name}=" for name in names
                       if name == "style" or name.startswith("on")]
        self.found += [f"{tag} {name}=javascript:" for name, value in attrs
                       if name in ("href", "src", "action")
                       and (value or "").strip().lower().startswith("javascript:")]


def inline_code(html: str) -> list[str]:
    """Inline scripts, styles, event handlers and javascript: URLs in a page."""
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def csrf_of(response) -> str:
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


# What a browser sends for a page: the UI's errors are HTML pages only for such a client.
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def sign_in(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    token = csrf_of(client.get("/moderation/login"))
    data = {"csrf_token": token, "username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/moderation/login", data=data)


def token(client, path: str = "/moderation/") -> str:
    """A valid CSRF token of the client's session, read from a page."""
    return csrf_of(client.get(path))


def post_form(client, url: str, **data):
    """POST a moderation form as its page would: with the session's CSRF token."""
    return client.post(url, data={"csrf_token": token(client), **data})


def moderator_client(app, platform: str):
    """A test client signed in as a new moderator of ``platform`` (sign-in checked)."""
    client = app.test_client()
    assert sign_in(client, add_moderator(app, [platform])).status_code == 303
    return client


def thread_row(app, thread_id: int) -> Thread:
    with app.app_context(), reading() as session:
        return session.get(Thread, thread_id)


def flags_of(app, thread_id: int) -> dict[str, Flag]:
    with app.app_context(), reading() as session:
        return {f.name: f for f in session.scalars(select(Flag).where(Flag.thread_id == thread_id))}


def audit(app, action: str) -> list[AuditEntry]:
    with app.app_context(), reading() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


@contextmanager
def serving(app) -> Iterator[str]:
    """The app served on a free 127.0.0.1 port, in a thread, for a browser; its base URL.
    Its database connections are closed at the end."""
    from werkzeug.serving import make_server

    from tests.conftest import dispose

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        dispose(app)
