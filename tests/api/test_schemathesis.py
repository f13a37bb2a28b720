"""Schemathesis against the served /openapi.json, with a valid API key: every operation,
no 5xx, every response as documented. Bounded here; ``SCHEMATHESIS_EXAMPLES=500`` runs
longer on demand.

One check is left out: "schema-valid data is accepted". The contract has rules a JSON
Schema cannot state (``reply_to`` names an *earlier* comment, comment ids are unique in a
thread), so schema-valid requests may rightly get 422; the bad-input tables test those.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service import create_app
from tests.helpers import new_key

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    app = create_app({"DATA_DIR": tmp_path_factory.mktemp("fuzz"), "TESTING": True,
                      "AUTO_MIGRATE": True, "API_RATE_LIMIT": "100000/second"})
    return app, new_key(app)[1]


@pytest.fixture(scope="module")
def api_schema(served):
    app, _ = served
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def test_every_operation_answers_as_documented(api_schema, served):
    """Each operation gets ``EXAMPLES`` generated requests (valid and invalid ones)."""
    app, headers = served
    operations = [result.ok() for result in api_schema.get_all_operations()]
    documented = app.test_client().get("/openapi.json").get_json()["paths"]
    # schemathesis leaves out the schema's own path, /openapi.json
    assert len(operations) == sum(len(item) for item in documented.values()) - 1
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers,
                                   excluded_checks=[positive_data_acceptance])

        check()
