"""The OpenAPI schema fuzzed with schemathesis: bounded examples, never a server error.

Runs as the anonymous public and as an admin token (so writes are exercised too), on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.web.conftest import Site


@pytest.fixture
def api_schema(site: Site):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/openapi.json", site.app)
    schema.site = site  # type: ignore[attr-defined]
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_errors(case, site: Site) -> None:  # type: ignore[no-untyped-def]
    for who in (None, "admin"):
        headers = {"Authorization": f"Bearer {site.tokens[who]}"} if who else {}
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        case.validate_response(response, checks=[not_a_server_error])
