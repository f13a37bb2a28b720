"""Per-key rate limits: 429 problem with Retry-After, other keys unaffected."""

from __future__ import annotations

from service import create_app
from tests.helpers import new_key


def test_a_key_over_its_limit_gets_429_with_retry_after_and_others_do_not(tmp_path):
    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False,
                      "AUTO_MIGRATE": True, "API_RATE_LIMIT": "3/minute"})
    client = app.test_client()
    _, busy = new_key(app)
    _, quiet = new_key(app)
    statuses = [client.get("/v1/threads", headers=busy).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    over = client.get("/v1/threads", headers=busy)
    assert over.status_code == 429
    assert over.mimetype == "application/problem+json"
    assert int(over.headers["Retry-After"]) > 0
    assert client.get("/v1/threads", headers=quiet).status_code == 200
