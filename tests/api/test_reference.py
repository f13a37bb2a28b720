"""The OpenAPI document, the /docs page and /metrics."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.helpers import new_key


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    from service import create_app

    return create_app({"DATA_DIR": tmp_path_factory.mktemp("ref"), "TESTING": True,
                       "AUTO_MIGRATE": True})


def test_openapi_is_valid_3_1(api_app):
    document = api_app.test_client().get("/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_of_the_app_is_documented(api_app):
    documented = {(path, method.upper())
                  for path, item in api_app.test_client().get("/openapi.json")
                  .get_json()["paths"].items() for method in item}
    for rule in api_app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in /openapi.json"


def test_docs_page_is_served_from_local_assets(api_app):
    client = api_app.test_client()
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/v1/threads/{thread_id}/comments" in html
    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert external == []
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        with client.get(asset) as response:
            assert response.status_code == 200


def _samples(client) -> dict:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    from prometheus_client.parser import text_string_to_metric_families

    text = client.get("/metrics").get_data(as_text=True)
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_count_requests_comments_and_the_model(api_app):
    """Counters are process-wide, so the test looks at what its own requests added."""
    client = api_app.test_client()
    _, headers = new_key(api_app)
    before = _samples(client)
    client.post("/v1/analyze/comment", json={"text": "Merci pour le lien, je teste ce soir."},
                headers=headers)
    client.post("/v1/analyze/comment", json={"text": ""}, headers=headers)
    version = client.get("/v1/models/current", headers=headers).get_json()["model_version"]
    after = _samples(client)

    def added(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    route = "/v1/analyze/comment"
    assert added("thread_health_http_requests_total", method="POST", route=route,
                 status="200") == 1
    assert added("thread_health_http_requests_total", method="POST", route=route,
                 status="422") == 1
    assert added("thread_health_comments_analysed_total") == 1
    assert added("thread_health_http_request_duration_seconds_count", route=route) == 2
    assert after[("thread_health_model_info", (("version", version),))] == 1


@pytest.mark.parametrize(("address", "status"), [("10.0.0.5", 403), ("192.168.1.20", 403),
                                                 ("127.0.0.1", 200), ("::1", 200)])
def test_metrics_without_a_token_answer_only_loopback(api_app, address, status):
    response = api_app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == status
    if status == 403:
        assert response.mimetype == "application/problem+json"
        assert "THREAD_HEALTH_METRICS_TOKEN" in response.get_json()["detail"]


@pytest.mark.parametrize(("authorization", "status"), [
    (None, 401), ("Bearer wrong-token", 401), ("Basic bWV0cmljcw==", 401),
    ("Bearer s3cret-metrics", 200), ("bearer s3cret-metrics", 200)])
def test_metrics_with_a_token_want_it_from_everyone(tmp_path, authorization, status):
    from service import create_app

    app = create_app({"DATA_DIR": tmp_path, "TESTING": True, "LOAD_MODEL": False,
                      "METRICS_TOKEN": "s3cret-metrics"})
    headers = {"Authorization": authorization} if authorization else {}
    response = app.test_client().get("/metrics", headers=headers)  # from 127.0.0.1 too
    assert response.status_code == status
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
    else:
        assert "thread_health_http_requests_total" in response.get_data(as_text=True)


def test_the_metrics_token_comes_from_the_environment(tmp_path):
    from service.config import load_config

    config = load_config({"DATA_DIR": tmp_path},
                         environ={"THREAD_HEALTH_METRICS_TOKEN": "from-env"})
    assert config["METRICS_TOKEN"] == "from-env"
