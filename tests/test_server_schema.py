"""The server against its own OpenAPI document: schemathesis sends generated requests to
every operation (reads, /api/match and the token-guarded writes) and checks that none is a
server error and every answer matches the documented schema.

A request the schema allows may still be refused with a 400 problem: the schema cannot say
that a country must be an ISO code or a country's name, or a date a real day. That check
(positive data acceptance) is left out; every other one of schemathesis' checks runs."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import Cli
from tracker.server import ServerSettings, create_app

TOKEN = "schema-token"
EXAMPLES_PER_OPERATION = 30


@pytest.mark.slow
def test_no_request_makes_a_server_error_or_breaks_the_schema(filled: Cli) -> None:
    app = create_app(ServerSettings(url=filled.url, token=TOKEN))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every endpoint is documented

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"},
                                   excluded_checks=[positive_data_acceptance])  # fmt: skip

        check()
    app.state.tracker.close()
