"""gunicorn's access log never shows an API key sent as ``?key=`` (Perspective's way)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from service.cli.server import RedactingLogger


@pytest.mark.parametrize(("query", "shown"), [
    ("key=th_1234_secret", "key=<redacted>"),
    ("a=1&key=th_1234_secret&b=2", "a=1&key=<redacted>&b=2"),
    ("monkey=1", "monkey=1"),
    ("", ""),
])
def test_access_log_atoms_redact_the_key(query, shown):
    logger = RedactingLogger(Config())
    uri = "/v1alpha1/comments:analyze" + (f"?{query}" if query else "")
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": query, "PATH_INFO": "/v1alpha1/comments:analyze"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]),
                         environ, datetime.timedelta(milliseconds=5))
    assert "secret" not in atoms["r"] and "secret" not in atoms["q"]
    assert atoms["q"] == shown
    assert atoms["r"] == f"POST /v1alpha1/comments:analyze{'?' + shown if shown else ''} HTTP/1.1"
