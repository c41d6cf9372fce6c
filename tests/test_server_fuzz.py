"""The JSON API fuzzed from its own OpenAPI description (schemathesis): whatever a client sends
that the description allows, or nearly allows, the server answers without a 500, every error
is JSON (status and message), and every answer has the shape the description gives.

A fixed seed and a bounded number of examples per route: the same cases on every run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from test_server_api import build_index

from pipeline.server import create_app

GENEROUS = 120  # seconds: only so that a stuck request fails the test
EXAMPLES = 25  # per route and per kind of data (valid, invalid): about a minute in all


# The description does not depend on the index: the schema is read at collection, and the
# index built into the app's folder before the first case (schemathesis's lazy fixture loading
# relies on a pytest internal that pytest 9 removed).
INDEX = Path(tempfile.mkdtemp(prefix="tisser-fuzz-")) / "index"
APP = create_app(INDEX, allowed_hosts=None)  # the test client names itself "testserver"
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def fuzzed_index():
    build_index(INDEX)
    APP.state.holder.searcher()  # opened and warmed, as the server does before it listens
    yield
    shutil.rmtree(INDEX.parent, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the seed is fixed: a failure found once is found on every run
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_every_request_without_a_server_error(case):
    response = case.call(timeout=GENEROUS)
    # No 500, status codes and bodies as described. Not checked: that every request the
    # description allows is accepted; some are refused with a reason it cannot express (an
    # unknown theme or région, a name that matches several initiatives: 400 with candidates).
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if response.status_code >= 400:
        error = response.json()
        assert error["status"] == response.status_code and error["message"], error
