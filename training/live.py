"""What a candidate model would change on the stored threads, before it is promoted.

Each stored thread is analysed by the candidate exactly as the service analyses a stored
thread (its comments with their language hints, the thread's language) and compared with
what is stored now: the live labels the platforms and moderators see. Read-only: the
queries below only select, and nothing is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from service.nlp.features import CommentInput
from service.store import make_engine, session_factory
from service.store.models import Analysis, Comment, Platform, Thread
from service.validation import ThreadInput
from service.vocab import ACTS, FLAGS, LEVELS

from .fit import Track, no_track

EXAMPLES = 5


@contextmanager
def reading(url: str) -> Iterator[Session | None]:
    """A read session on the database at ``url``; None for an SQLite file that does not
    exist (nothing stored yet, and reading must not create it)."""

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        yield None
        return
    engine = make_engine(url, write=False)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def has_threads_table(session: Session) -> bool:
    """Whether the database has been migrated at all (a fresh SQLite file has no tables)."""
    return inspect(session.get_bind()).has_table("threads")


def _query(platform: str | None):
    query = (select(Thread, Platform.name).join(Platform, Platform.id == Thread.platform_id)
             .where(Thread.level.is_not(None)))
    return query.where(Platform.name == platform) if platform else query


def count_threads(session: Session, platform: str | None = None) -> int:
    """Stored threads with an analysis (of one platform, or all)."""
    if not has_threads_table(session):
        return 0
    return session.scalar(select(func.count()).select_from(_query(platform).subquery()))


def stored_threads(session: Session, platform: str | None = None, limit: int | None = None
                   ) -> Iterator[tuple[str, Thread, list[Comment], Analysis]]:
    """(platform, thread, comments in order, latest analysis), most recently updated first."""
    query = _query(platform).order_by(Thread.updated_at.desc(), Thread.id.desc())
    for thread, name in session.execute(query.limit(limit)).all():
        comments = list(session.scalars(select(Comment).where(Comment.thread_id == thread.id)
                                        .order_by(Comment.position)))
        latest = session.scalar(select(Analysis).where(Analysis.thread_id == thread.id)
                                .order_by(Analysis.id.desc()).limit(1))
        yield name, thread, comments, latest


def thread_input(thread: Thread, comments: list[Comment]) -> ThreadInput:
    """The stored thread as the service hands it to the engine."""
    return ThreadInput(id=thread.external_id, language=thread.language, comments=[
        CommentInput(id=c.external_id, author=c.author, text=c.text, reply_to=c.reply_to,
                     language=c.language_hint) for c in comments])


def _shares(labels: list[str], names: tuple[str, ...]) -> dict[str, float]:
    counts = Counter(labels)
    return {n: round(counts[n] / max(len(labels), 1), 4) for n in names}


def live_changes(engine, session: Session | None, platform: str | None = None,
                 limit: int | None = None, examples: int = EXAMPLES,
                 track: Track = no_track) -> dict:
    """How many stored threads change level, gain or lose each flag, how the comments'
    labels move, and the threads that change most, under ``engine``'s model (no session, or
    no stored thread: all zero, and the engine is not needed)."""
    levels = {a: dict.fromkeys(LEVELS, 0) for a in LEVELS}
    flags = {f: {"gained": 0, "lost": 0} for f in FLAGS}
    acts: dict[str, list[str]] = {"before": [], "after": []}
    promo: dict[str, list[str]] = {"before": [], "after": []}
    versions: Counter = Counter()
    changed, deltas = [], []
    rows = (list(stored_threads(session, platform, limit))
            if session is not None and has_threads_table(session) else [])
    for name, thread, comments, latest in track(rows, "analysing stored threads"):
        after = engine.analyze_thread(thread_input(thread, comments))
        health = after["health"]
        versions[latest.model_version] += 1
        levels[latest.level][health["level"]] += 1
        gained = sorted(set(health["flags"]) - set(latest.flags))
        lost = sorted(set(latest.flags) - set(health["flags"]))
        for f in gained:
            flags[f]["gained"] += 1
        for f in lost:
            flags[f]["lost"] += 1
        for row, new in zip(comments, after["comments"], strict=True):
            if row.prediction:
                acts["before"].append(row.prediction["act"]["label"])
                promo["before"].append(row.prediction["promotion"]["label"])
                acts["after"].append(new["act"]["label"])
                promo["after"].append(new["promotion"]["label"])
        deltas.append(health["score"] - latest.score)
        if gained or lost or health["level"] != latest.level or health["score"] != latest.score:
            changed.append({"platform": name, "thread": thread.external_id,
                            "level": [latest.level, health["level"]],
                            "score": [latest.score, health["score"]],
                            "flags_gained": gained, "flags_lost": lost})
    changed.sort(key=lambda c: (c["level"][0] == c["level"][1],
                                -abs(c["score"][1] - c["score"][0]), c["platform"], c["thread"]))
    moved = [(b, a) for b, a in zip(acts["before"], acts["after"], strict=True) if b != a]
    flipped = Counter(a for b, a in zip(promo["before"], promo["after"], strict=True) if b != a)
    return {
        "model_version": getattr(engine, "model_version", None), "platform": platform,
        "threads": len(rows),
        "comments": len(acts["before"]), "stored_by": dict(versions.most_common()),
        "levels": levels,
        "threads_changing_level": sum(n for b, row in levels.items()
                                      for a, n in row.items() if a != b),
        "threads_changing_score": sum(d != 0 for d in deltas),
        "score_change": {"mean": round(sum(deltas) / len(deltas), 2) if deltas else None,
                         "min": min(deltas, default=None), "max": max(deltas, default=None)},
        "flags": flags,
        "comments_changing_act": len(moved),
        "comments_to_self_promotion": flipped["self_promotion"],
        "comments_to_dialogue": flipped["dialogue"],
        "shares": {"before": {**_shares(acts["before"], ACTS), "self_promotion":
                              _shares(promo["before"], ("self_promotion",))["self_promotion"]},
                   "after": {**_shares(acts["after"], ACTS), "self_promotion":
                             _shares(promo["after"], ("self_promotion",))["self_promotion"]}},
        "examples": changed[:examples],
    }


def summary_lines(changes: dict) -> list[str]:
    """The changes in a few lines for the terminal (``evaluate --live``, ``promote``)."""
    where = f" of platform {changes['platform']!r}" if changes["platform"] else ""
    if not changes["threads"]:
        return [f"no stored threads{where}: nothing the candidate would change"]
    stored = ", ".join(f"{v} ({n})" for v, n in changes["stored_by"].items())
    out = [f"on {changes['threads']} stored threads{where} ({changes['comments']} comments; "
           f"stored analyses by {stored}), {changes['model_version']} would change:",
           f"  level: {changes['threads_changing_level']} threads"
           + "".join(f"; {b} -> {a} {n}" for b, row in changes["levels"].items()
                     for a, n in row.items() if a != b and n),
           f"  score: {changes['threads_changing_score']} threads (mean "
           f"{changes['score_change']['mean']:+}, from {changes['score_change']['min']:+} to "
           f"{changes['score_change']['max']:+})",
           "  flags: " + ", ".join(f"{f} +{v['gained']}/-{v['lost']}"
                                   for f, v in changes["flags"].items()),
           f"  comments: {changes['comments_changing_act']} change act, "
           f"{changes['comments_to_self_promotion']} become self_promotion, "
           f"{changes['comments_to_dialogue']} become dialogue",
           "  shares of comments (stored -> candidate): " + ", ".join(
               f"{k} {changes['shares']['before'][k]:.3f} -> {v:.3f}"
               for k, v in changes["shares"]["after"].items())]
    for e in changes["examples"]:
        flags = "".join([*(f" +{f}" for f in e["flags_gained"]),
                         *(f" -{f}" for f in e["flags_lost"])])
        out.append(f"  e.g. {e['platform']}/{e['thread']}: {e['level'][0]} {e['score'][0]} -> "
                   f"{e['level'][1]} {e['score'][1]}{flags}")
    return out


def share_shifts(changes: dict, limit: float) -> list[str]:
    """The classes whose share of stored comments moves by more than ``limit``."""
    before, after = changes["shares"]["before"], changes["shares"]["after"]
    return [f"{k}: {before[k]:.3f} -> {after[k]:.3f}" for k in after
            if changes["comments"] and abs(after[k] - before[k]) > limit]
