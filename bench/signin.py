"""Sign-in: a failed attempt takes as long for a name with an account as for one without.

The production server (``thread-health serve --workers 2``) on a free loopback port with a
moderator created by the CLI; failed sign-ins alternate between that name and a name with
no account, each a GET of the form (for its CSRF token) then the timed POST. The data
directory's ``config.toml`` lifts the throttle and the per-address limit and sets the fixed
delay to 0, so what is timed is the work itself (the delay, 0.5 s by default, is added to
both alike). Target: medians within 10 % of each other.

    .venv/bin/python -m bench.signin [--attempts 60]
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import time
import urllib.parse
from pathlib import Path

from bench.http_load import percentile
from bench.targets import Target
from tests.helpers import Server

CONFIG = """\
moderation_max_failures = 1000000
moderation_name_max_failures = 1000000
moderation_failure_delay = 0
sign_in_rate_limit = "1000000/minute"
session_cookie_secure = false
"""
PASSWORD = "a long enough password for the bench"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _attempt(conn: http.client.HTTPConnection, username: str) -> tuple[int, float]:
    """One failed sign-in on a fresh session: (status, milliseconds of the POST)."""
    conn.request("GET", "/moderation/login")
    page = conn.getresponse()
    html = page.read().decode()
    cookie = page.getheader("Set-Cookie", "").split(";")[0]
    token = CSRF.search(html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                   "password": "not the password"})
    started = time.perf_counter()
    conn.request("POST", "/moderation/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - started) * 1000


def run(workdir: Path, attempts: int = 60) -> dict:
    """Latency of ``attempts`` failed sign-ins per kind of name, interleaved."""
    workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    (workdir / "config.toml").write_text(CONFIG, encoding="utf-8")
    server = Server(workdir, env={"THREAD_HEALTH_PASSWORD": PASSWORD})
    server.cli("keys", "create", "--platform", "bench")
    server.cli("moderators", "create", "--username", "moderator", "--platform", "bench")
    server.start(timeout=120)
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    statuses: dict[int, int] = {}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        _attempt(conn, "warm-up")
        for i in range(2 * attempts):
            kind = "known" if i % 2 == 0 else "unknown"
            status, ms = _attempt(conn, "moderator" if kind == "known" else "nobody")
            times[kind].append(ms)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()
    finally:
        server.kill()
    out: dict = {"attempts": attempts, "statuses": statuses}
    for kind, values in times.items():
        values.sort()
        out[f"{kind}_p50_ms"] = round(statistics.median(values), 1)
        out[f"{kind}_p90_ms"] = round(percentile(values, 90), 1)
    out["median_gap"] = round(abs(out["known_p50_ms"] - out["unknown_p50_ms"])
                              / out["known_p50_ms"], 3)
    return out


def signin_targets(figures: dict) -> list[Target]:
    return [Target("sign-in failure, |known - unknown| median / known median",
                   figures["median_gap"], "<=", 0.1),
            Target("sign-in failures answered 200", figures["statuses"].get(200, 0), ">=",
                   2 * figures["attempts"])]


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m bench.signin")
    parser.add_argument("--attempts", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thread-health-signin-") as folder:
        figures = run(Path(folder) / "data", args.attempts)
    print(figures)
    for target in signin_targets(figures):
        print(target.line())


if __name__ == "__main__":
    main()
