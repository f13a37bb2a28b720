"""Signed webhooks to platforms (docs/webhooks.md).

A change to a stored thread, or a moderator's action on it, writes an event and its
deliveries in the transaction of the change (the outbox); a worker (a thread of each
service process, or ``thread-health webhooks worker``) sends them, signed, and retries with
exponential backoff. Nothing here imports Flask: the API and the CLI call into it.
"""

from __future__ import annotations

EVENT_TYPES = (
    "thread.flagged",          # a stored thread gains a flag
    "thread.level_worsened",   # its level goes down (healthy → at_risk → unhealthy)
    "thread.reviewed",         # a moderator marked it reviewed
    "thread.escalated",        # a moderator escalated it
    "thread.flag_dismissed",   # a moderator dismissed one of its flags
    "thread.label_corrected",  # a moderator corrected a comment's label
)


def init_app(app) -> None:
    """Check the webhook settings at start-up (a bad value stops the service, naming it)."""
    # Loaded by a serving process only: webhooks.events, imported on every write, must not load the
    # settings and the delivery worker.
    from .settings import from_config

    app.extensions["webhooks"] = from_config(app.config)


def start_embedded_worker(app):
    """Start this process's delivery thread unless the settings say another process sends
    (``THREAD_HEALTH_WEBHOOK_WORKER=external``); the worker, or None."""
    # Loaded by a serving process only: webhooks.events, imported on every write, must not load the
    # settings and the delivery worker.
    from .worker import Worker

    settings = app.extensions["webhooks"]
    if settings.worker != "embedded":
        return None
    worker = Worker(app.extensions["db_sessions"], settings,
                    readers=app.extensions["db_read_sessions"])
    app.extensions["webhooks_worker"] = worker
    return worker.start()
