"""/v1/webhooks: registration shows the secret once, a platform sees only its own
endpoints, and a table of bad inputs for every route (problem+json naming the field,
never a 500)."""

from __future__ import annotations

import pytest

from service.webhooks.endpoints import MAX_ENDPOINTS
from tests.helpers import new_key
from tests.webhooks.webhook_helpers import make_app

GOOD = {"url": "https://hooks.example.org/th", "events": ["thread.flagged"]}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("wh-api"), API_RATE_LIMIT="100000/second",
                   WEBHOOK_ALLOWED_NETWORKS="")  # the default: public addresses only
    return app, app.test_client()


@pytest.fixture
def headers(api):
    return new_key(api[0])[1]


@pytest.fixture
def endpoint(api, headers) -> str:
    response = api[1].post("/v1/webhooks", json=GOOD, headers=headers)
    assert response.status_code == 201
    return response.get_json()["id"]


def test_register_read_list_remove(api, headers):
    client = api[1]
    created = client.post("/v1/webhooks", json=GOOD, headers=headers)
    body = created.get_json()
    assert created.status_code == 201 and body["secret"].startswith("whsec_")
    assert created.headers["Location"] == f"/v1/webhooks/{body['id']}"
    read = client.get(f"/v1/webhooks/{body['id']}", headers=headers).get_json()
    assert "secret" not in read and read["url"] == GOOD["url"] and read["enabled"] is True
    assert body["secret"] not in str(client.get("/v1/webhooks", headers=headers).get_json())
    assert [w["id"] for w in client.get("/v1/webhooks", headers=headers)
            .get_json()["webhooks"]] == [body["id"]]
    rotated = client.post(f"/v1/webhooks/{body['id']}/rotate-secret",
                          json={"grace_seconds": 60}, headers=headers).get_json()
    assert rotated["secret"] != body["secret"] and rotated["previous_secret_valid_until"]
    assert client.post(f"/v1/webhooks/{body['id']}/enable", headers=headers) \
        .get_json()["requeued"] == 0
    assert client.delete(f"/v1/webhooks/{body['id']}", headers=headers).status_code == 204
    assert client.get(f"/v1/webhooks/{body['id']}", headers=headers).status_code == 404


ROUTES = [("get", ""), ("delete", ""), ("post", "/rotate-secret"), ("post", "/enable"),
          ("get", "/deliveries")]


@pytest.mark.parametrize(("method", "suffix"), ROUTES)
def test_another_platforms_endpoint_is_404_like_a_missing_one(api, endpoint, method, suffix):
    client = api[1]
    _, stranger = new_key(api[0])
    for endpoint_id in (endpoint, "we_0000000000000000", "x" * 300, "a\x00b", "é"):
        response = getattr(client, method)(f"/v1/webhooks/{endpoint_id}{suffix}",
                                           headers=stranger)
        assert response.status_code == 404, (endpoint_id, response.data)
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("method", "path"), [("post", "/v1/webhooks"), ("get", "/v1/webhooks"),
                                              *[(m, "/v1/webhooks/we_x" + s) for m, s in ROUTES]])
def test_without_a_key_every_route_is_401(api, method, path):
    assert getattr(api[1], method)(path, json=GOOD).status_code == 401


REGISTER = [
    ({"events": ["thread.flagged"]}, 422, "url"),
    ({**GOOD, "url": ""}, 422, "url"), ({**GOOD, "url": 42}, 422, "url"),
    ({**GOOD, "url": ["https://a.example"]}, 422, "url"),
    ({**GOOD, "url": "ftp://hooks.example.org/x"}, 422, "url"),
    ({**GOOD, "url": "hooks.example.org/x"}, 422, "url"),
    ({**GOOD, "url": "https://"}, 422, "url"),
    ({**GOOD, "url": "https://user:pw@hooks.example.org/"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org/#frag"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org:99999/"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org:0/"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org/a b"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org/\x00"}, 422, "url"),
    ({**GOOD, "url": "https://hooks.example.org/" + "a" * 2100}, 422, "url"),
    ({**GOOD, "url": "http://hooks.example.org/"}, 422, "url"),  # plain http, public
    ({**GOOD, "url": "https://127.0.0.1/"}, 422, "url"),
    ({**GOOD, "url": "https://localhost:8000/"}, 422, "url"),
    ({**GOOD, "url": "https://api.localhost/"}, 422, "url"),
    ({**GOOD, "url": "https://10.1.2.3/"}, 422, "url"),
    ({**GOOD, "url": "https://192.168.1.1/"}, 422, "url"),
    ({**GOOD, "url": "https://169.254.169.254/latest/meta-data"}, 422, "url"),
    ({**GOOD, "url": "https://[::1]/"}, 422, "url"),
    ({**GOOD, "url": "https://[::ffff:10.0.0.1]/"}, 422, "url"),
    ({**GOOD, "url": "https://0.0.0.0/"}, 422, "url"),
    ({**GOOD, "url": "https://224.0.0.1/"}, 422, "url"),
    ({"url": GOOD["url"]}, 422, "events"), ({**GOOD, "events": []}, 422, "events"),
    ({**GOOD, "events": "thread.flagged"}, 422, "events"),
    ({**GOOD, "events": ["thread.deleted"]}, 422, "events[0]"),
    ({**GOOD, "events": ["thread.flagged", 3]}, 422, "events[1]"),
    ({**GOOD, "events": ["thread.flagged", "thread.flagged"]}, 422, "events[1]"),
    ([GOOD], 422, "body"), ("url", 422, "body"), (7, 422, "body"),
]


@pytest.mark.parametrize(("body", "status", "field"), REGISTER,
                         ids=[f"{i}-{c[2]}" for i, c in enumerate(REGISTER)])
def test_register_bad_input(api, headers, body, status, field):
    response = api[1].post("/v1/webhooks", json=body, headers=headers)
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    assert field in [e["field"] for e in response.get_json()["errors"]]


@pytest.mark.parametrize(("data", "content_type", "status", "field"), [
    (b"{not json", "application/json", 400, "body"),
    (b"[" * 5000, "application/json", 400, "body"),
    (b'{"url": "https://a.example"}', "text/plain", 415, "Content-Type"),
    (b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}', "application/json", 413, "body"),
])
def test_register_malformed_body(api, headers, data, content_type, status, field):
    response = api[1].post("/v1/webhooks", data=data, content_type=content_type,
                           headers=headers)
    assert response.status_code == status
    assert field in [e["field"] for e in response.get_json()["errors"]]


ROTATE = [({"grace_seconds": -1}, "grace_seconds"), ({"grace_seconds": 604801}, "grace_seconds"),
          ({"grace_seconds": "60"}, "grace_seconds"), ({"grace_seconds": 1.5}, "grace_seconds"),
          ({"grace_seconds": True}, "grace_seconds"), ({"grace_seconds": None}, "grace_seconds"),
          ([60], "body"), ("60", "body")]


@pytest.mark.parametrize(("body", "field"), ROTATE)
def test_rotate_bad_input(api, headers, endpoint, body, field):
    client = api[1]
    before = client.get(f"/v1/webhooks/{endpoint}", headers=headers).get_json()
    response = client.post(f"/v1/webhooks/{endpoint}/rotate-secret", json=body,
                           headers=headers)
    assert response.status_code == 422, response.data
    assert field in [e["field"] for e in response.get_json()["errors"]]
    assert client.get(f"/v1/webhooks/{endpoint}", headers=headers).get_json() == before


def test_rotate_malformed_body(api, headers, endpoint):
    response = api[1].post(f"/v1/webhooks/{endpoint}/rotate-secret", data=b"{",
                           content_type="application/json", headers=headers)
    assert response.status_code == 400
    response = api[1].post(f"/v1/webhooks/{endpoint}/rotate-secret", data=b"x",
                           content_type="text/plain", headers=headers)
    assert response.status_code == 415


DELIVERIES = [("status=sent", "status"), ("status=", "status"), ("limit=0", "limit"),
              ("limit=101", "limit"), ("limit=ten", "limit"), ("limit=%C2%B2", "limit"),
              ("limit=-1", "limit"), ("cursor=abc", "cursor"), ("cursor=%C2%B2", "cursor"),
              ("cursor=" + "9" * 19, "cursor"), ("cursor=-5", "cursor")]


@pytest.mark.parametrize(("query", "field"), DELIVERIES)
def test_deliveries_bad_query(api, headers, endpoint, query, field):
    response = api[1].get(f"/v1/webhooks/{endpoint}/deliveries?{query}", headers=headers)
    assert response.status_code == 400, response.data
    assert field in [e["field"] for e in response.get_json()["errors"]]


def test_deliveries_page_with_a_cursor(api, headers, endpoint):
    from service.store import transaction
    from service.store.models import WebhookEndpoint
    from service.webhooks.events import emit

    with api[0].app_context(), transaction() as session:
        row = session.query(WebhookEndpoint).filter_by(public_id=endpoint).one()
        row.events = ["thread.reviewed"]
        session.flush()
        ids = [emit(session, row.platform_id, "thread.reviewed", {"thread": {"id": str(i)}})
               for i in range(5)]
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api[1].get(f"/v1/webhooks/{endpoint}/deliveries?{query}",
                          headers=headers).get_json()
        seen += [d["event_id"] for d in page["deliveries"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    pending = api[1].get(f"/v1/webhooks/{endpoint}/deliveries?status=pending",
                         headers=headers).get_json()["deliveries"]
    assert len(pending) == 5 and all(d["next_attempt_at"] for d in pending)
    assert api[1].get(f"/v1/webhooks/{endpoint}/deliveries?status=delivered",
                      headers=headers).get_json()["deliveries"] == []


def test_at_most_twenty_endpoints_per_platform(api):
    _, headers = new_key(api[0])
    for _ in range(MAX_ENDPOINTS):
        assert api[1].post("/v1/webhooks", json=GOOD, headers=headers).status_code == 201
    response = api[1].post("/v1/webhooks", json=GOOD, headers=headers)
    assert response.status_code == 422 and "most allowed" in response.get_json()["detail"]
