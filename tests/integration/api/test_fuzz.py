"""Schemathesis fuzzes the OpenAPI schema in-process: no 5xx, and every documented answer
matches its schema. Bounded examples per operation keep it well under a minute.

The app runs in schemathesis' own event loop, so it gets an engine without a pool (asyncpg
connections belong to the loop that opened them). It fuzzes as an admin, a leader and an operator."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from api.app import create_api
from infra.bootstrap import Clock, bootstrap
from infra.tokens import create_token

pytestmark = pytest.mark.integration
EXAMPLES = 6


@pytest.fixture(scope="session")
def fuzz_app(endpoints: Any) -> Any:
    engine = create_async_engine(endpoints.database_url, poolclass=NullPool)
    return create_api(bootstrap(endpoints.database_url, engine=engine).app)


@pytest.fixture(scope="session")
def fuzz_schema(fuzz_app: Any) -> Any:
    # /healthz probes the broker, which this app is not given: its 503 is the truthful answer
    # logging out would revoke the fuzzing token itself
    return (schemathesis.openapi.from_asgi("/openapi.json", fuzz_app).exclude(path="/healthz")
            .exclude(path="/api/v1/auth/logout"))


# Endpoints whose success would change what other tests see (new cases through the relay,
# a cadre's whereabouts, notification preferences and readings, the fuzzing token itself):
# fuzzed as admin only, who is refused there (an admin has no notifications of their own).
SIDE_EFFECTS = ("/api/v1/calls", "/api/v1/diary", "/api/v1/contact-cards", "/api/v1/cadres/{cadre_id}/whereabouts",
                "/api/v1/notifications/preferences", "/api/v1/notifications/read")


@pytest.mark.parametrize("role,cadre", [("admin", None), ("leader", "t-sec"), ("operator", "t-op1")])
async def test_no_server_errors_and_answers_match_the_schema(role: str, cadre: str | None, fuzz_schema: Any,
                                                             engine: Any) -> None:
    async with engine.begin() as conn:
        token = await create_token(conn, role=role, cadre_id=cadre, now=Clock()(), label=f"fuzz {role}")
    schema = fuzz_schema
    if role != "admin":
        for path in SIDE_EFFECTS:
            schema = schema.exclude(path=path)
    await asyncio.to_thread(_fuzz, schema, {"Authorization": f"Bearer {token}"})


def _fuzz(fuzz_schema: Any, headers: dict[str, str]) -> None:
    failures: dict[str, str] = {}
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
        try:
            fuzz()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report
            failures[operation.label] = str(error)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
