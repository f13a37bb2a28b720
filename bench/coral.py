"""The Coral phase against a real server: p99 latency of signed calls (target < 100 ms,
Coral gives up after 200 ms and carries on without a decision).

    .venv/bin/python -m bench.coral                 # 500 calls, prints JSON, exit 1 on a miss
    .venv/bin/python -m bench.coral --calls 20      # a quick run

``thread-health serve`` runs on a free loopback port with a temporary data directory; a
phase secret is created with the CLI; one keep-alive connection sends the calls one after
the other, as Coral does per comment. Every call is a new comment (so every call stores
and re-analyses its story's thread), spread over ``--stories`` stories, a quarter of them
self-promotion; the bodies are serialised as ``JSON.stringify(body, null, 2)`` and signed
with two secrets, as during a rotation. A few untimed calls warm the server up first.
"""

from __future__ import annotations

import http.client
import sys
import time
from pathlib import Path

from bench.http_load import percentile
from bench.targets import Target, standalone
from tests.api.coral_helpers import coral_body, coral_bytes, coral_signature
from tests.helpers import Server

PLATFORM = "bench-coral"
WARM_UP = 10
DIALOGUE = ["Which trail did you take from the refuge, {n}?",
            "Nous sommes passés par le col numéro {n}, la neige tenait encore.",
            "Good point about the water sources; the spring at km {n} was dry for us."]
PROMO = "Check out my channel!! Subscribe, link in bio, giveaway number {n} for followers!!"


def bodies(calls: int, stories: int) -> list[bytes]:
    """``calls`` distinct Coral request bodies over ``stories`` stories."""
    out = []
    for n in range(calls):
        text = PROMO if n % 4 == 3 else DIALOGUE[n % len(DIALOGUE)]
        out.append(coral_bytes(coral_body(text.format(n=n), story=f"story-{n % stories}",
                                          author=f"user-{n % 37}")))
    return out


def run(workdir: Path, calls: int = 500, stories: int = 20) -> dict:
    """Latency figures of ``calls`` signed phase calls against a fresh server."""
    server = Server(workdir).start(timeout=120)
    try:
        secret = server.cli("coral", "secret", "create", "--platform", PLATFORM).split()[-1]
        old = "a-secret-coral-still-holds-during-a-rotation"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        path = f"/v1/integrations/coral/{PLATFORM}/phase"
        latencies, warm_up, statuses = [], [], {}
        for i, raw in enumerate(bodies(calls + WARM_UP, stories)):
            headers = {"Content-Type": "application/json",
                       "X-Coral-Signature": coral_signature(raw, old, secret)}
            started = time.perf_counter()
            conn.request("POST", path, body=raw, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if i < WARM_UP:
                warm_up.append(elapsed)
                continue
            latencies.append(elapsed)
            statuses[response.status] = statuses.get(response.status, 0) + 1
        conn.close()
    finally:
        server.kill()
    latencies.sort()
    return {"calls": calls, "stories": stories, "statuses": statuses,
            "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1),
            "max_ms": round(latencies[-1], 1),
            "warm_up_ms": [round(v, 1) for v in warm_up]}


def coral_targets(figures: dict) -> list[Target]:
    errors = sum(n for status, n in figures["statuses"].items() if int(status) not in (200, 204))
    return [Target(f"coral phase p99 over {figures['calls']} calls", figures["p99_ms"], "<=",
                   100, "ms"),
            Target("coral phase errors", errors, "<=", 0)]


def main(argv: list[str] | None = None) -> int:
    return standalone("python -m bench.coral", __doc__, {"--calls": 500, "--stories": 20},
                      run, coral_targets, argv)


if __name__ == "__main__":
    sys.exit(main())
