"""The OpenAPI schema fuzzed with schemathesis: bounded examples, never a server error.

Every operation is called as the anonymous public and with an admin token (so writes are
exercised too), on SQLite and PostgreSQL. The examples are derandomized, so a failure
reproduces.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.web.conftest import Site

EXAMPLES = 6


def test_api_never_errors(site: Site) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", site.app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    tried: list[str] = []
    calls = [0]
    for op in operations:
        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):  # type: ignore[no-untyped-def]
            for who in (None, "admin"):
                headers = {"Authorization": f"Bearer {site.tokens[who]}"} if who else {}
                response = case.call(headers=headers)
                calls[0] += 1
                assert response.status_code < 500, (case.method, case.path,
                                                     response.text[:300])
                case.validate_response(response, checks=[not_a_server_error])

        call()
        tried.append(f"{op.method.upper()} {op.path}")
    assert calls[0] >= 2 * len(operations)
    assert "POST /api/entries" in tried and "GET /api/agreements/{agreement_id}/status" in tried
