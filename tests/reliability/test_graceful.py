"""Graceful shutdown: SIGTERM while a long request runs; the request still completes."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tests.helpers import Server, corpus_thread, http


@pytest.mark.slow
def test_sigterm_lets_requests_in_flight_finish(tmp_path):
    server = Server(tmp_path)
    key = server.cli("keys", "create", "--platform", "graceful").strip().splitlines()[-1]
    comments = [dict(c, id=f"{k}-{c['id']}", reply_to=None)
                for k in range(40) for c in corpus_thread(k)["comments"]]
    server.start()
    outcome: dict = {}

    def long_request():
        started = time.monotonic()
        outcome["status"], body, _ = http("POST", f"{server.url}/v1/analyze/thread",
                                          {"comments": comments}, key, timeout=120)
        outcome["comments"] = len(body["comments"]) if body else 0
        outcome["seconds"] = time.monotonic() - started

    client = threading.Thread(target=long_request)
    client.start()
    time.sleep(0.4)  # the request is being analysed
    server.process.send_signal(signal.SIGTERM)
    client.join(timeout=120)
    server.process.wait(timeout=60)
    assert outcome["status"] == 200
    assert outcome["seconds"] > 0.4, "the request ended before the signal; make it longer"
    assert outcome["comments"] == len(comments)
    assert "Shutting down" in server.log.read_text() or "Handling signal: term" in \
        server.log.read_text()
