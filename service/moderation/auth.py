"""Sign-in, sign-out, the interface language, and the guard in front of every page.

The session is Flask's signed cookie (Secure, HttpOnly, SameSite=Lax, limited lifetime),
cleared on sign-in so no earlier value survives it. It carries the moderator's id and
session epoch; signing out bumps the epoch, which ends every session of that account.
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address

from ..ratelimit import limiter, sign_in_limit
from ..store import reading, transaction
from ..store.models import Moderator, utcnow
from ..store.moderation import visible_platforms
from ..store.moderators import end_sessions
from ..store.throttle import DatabaseCounters, RedisCounters, Rule
from ..vocab import UI_LANGUAGES
from . import accounts, seconds
from .blueprint import Viewer, bp, render, safe_next

PUBLIC = {"moderation.sign_in", "moderation.set_language"}
DEVICE_COOKIE = "th_device"  # marks a browser that signed in as a name before


def _policy() -> accounts.Policy:
    """The sign-in throttling policy of the app's settings."""
    config = current_app.config
    return accounts.Policy(
        pair=Rule(config["MODERATION_MAX_FAILURES"], seconds(config["MODERATION_FAILURE_WINDOW"]),
                  seconds(config["MODERATION_LOCKOUT"])),
        name=Rule(config["MODERATION_NAME_MAX_FAILURES"],
                  seconds(config["MODERATION_NAME_WINDOW"]),
                  seconds(config["MODERATION_NAME_LOCKOUT"])),
        secret=config["SECRET_KEY"], device_age=seconds(config["MODERATION_DEVICE_DAYS"] * 86400))


def _load_viewer() -> Viewer | None:
    """The moderator of this session, if it is still valid."""
    moderator_id = session.get("moderator")
    if not isinstance(moderator_id, int):
        return None
    with reading() as db:
        moderator = db.get(Moderator, moderator_id)
        if moderator is None or (moderator.session_epoch or 0) != session.get("epoch"):
            return None
        platforms = {p.id: p.name for p in visible_platforms(db, moderator)}
        return Viewer(moderator.id, moderator.username, moderator.is_admin, platforms)


def _start_session(outcome: accounts.Outcome) -> None:
    """A fresh session for a signed-in moderator (only the language choice is kept)."""
    language = session.get("lang")
    session.clear()
    session.permanent = True
    session["moderator"], session["epoch"] = outcome.moderator_id, outcome.epoch
    if language:
        session["lang"] = language


@bp.before_request
def require_sign_in():
    """Every page but sign-in needs a valid session; anonymous visitors are sent there."""
    g.viewer = _load_viewer()
    if g.viewer is not None or request.endpoint in PUBLIC:
        return None
    if session.get("moderator") is not None:
        session.pop("moderator")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    flash(gettext("Sign in to continue."), "info")
    return redirect(url_for(".sign_in", next=safe_next(target)),
                    302 if request.method == "GET" else 303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])  # per client address, on top of lock-outs
def sign_in():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.viewer is not None:
            return redirect(next_url or url_for(".queue"))
        return render("login.html", next_url=next_url)
    username = request.form.get("username", "").strip()[:100]
    password = request.form.get("password", "")[:accounts.MAX_PASSWORD]
    if not username or not password:
        return render("login.html", 200, next_url=next_url, username=username,
                      problem=gettext("Enter your username and password."))
    config = current_app.config
    policy = _policy()
    with transaction() as db:
        redis = current_app.extensions.get("sign_in_redis")
        counters = (RedisCounters(redis, config["SIGN_IN_COUNTERS_PREFIX"]) if redis
                    else DatabaseCounters(db))
        outcome = accounts.sign_in(db, username, password, now=utcnow(),
                                   client=get_remote_address(),
                                   device_token=request.cookies.get(DEVICE_COOKIE),
                                   policy=policy, counters=counters)
    if outcome.moderator_id is None:
        time.sleep(config["MODERATION_FAILURE_DELAY"])
        if outcome.retry_after:
            minutes = max(1, round(outcome.retry_after / 60))
            problem = gettext("Too many attempts. Try again in %(minutes)s min.",
                              minutes=minutes)
            page, status = render("login.html", 429, next_url=next_url, username=username,
                                  problem=problem)
            return page, status, {"Retry-After": str(outcome.retry_after)}
        return render("login.html", 200, next_url=next_url, username=username,
                      problem=gettext("Wrong username or password."))
    _start_session(outcome)
    current_app.logger.info("moderator %s signed in", username)
    response = redirect(next_url or url_for(".queue"), 303)
    response.set_cookie(DEVICE_COOKIE, outcome.device_token,
                        max_age=int(policy.device_age.total_seconds()), path=bp.url_prefix,
                        secure=config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response


@bp.post("/logout")
def sign_out():
    with transaction() as db:
        end_sessions(db, g.viewer.id)
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(gettext("You are signed out."), "ok")
    return redirect(url_for(".sign_in"), 303)


@bp.post("/language")
def set_language():
    """Remember the interface language chosen (fr|en) and go back where the form was."""
    chosen = request.form.get("lang")
    if chosen in UI_LANGUAGES:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next")) or url_for(".queue"), 303)
