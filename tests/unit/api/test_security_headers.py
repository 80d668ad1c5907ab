"""Every response carries the security headers; every API answer is `no-store`; the OpenAPI
pages get the looser policy their CDN assets need, and only they do."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_api
from api.security_headers import STRICT_POLICY
from infra.bootstrap import bootstrap


@pytest.fixture(scope="module")
def client() -> TestClient:
    system = bootstrap("postgresql+asyncpg://nobody@127.0.0.1:9/none")  # never connected
    return TestClient(create_api(system.app))


@pytest.mark.parametrize("path", ["/ui/", "/ui/static/js/app.js", "/api/v1/cases", "/api/v1/inbox",
                                  "/no/such/page", "/open311/discovery.json", "/openapi.json"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == STRICT_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert len(response.headers.get_list("content-security-policy")) == 1


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/admin/audit", "/open311/discovery.json"])
def test_api_answers_are_never_stored(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["cache-control"] == "no-store"


def test_pages_and_static_files_may_be_cached(client: TestClient) -> None:
    assert "no-store" not in client.get("/ui/static/app.css").headers.get("cache-control", "")


def test_a_refusal_by_the_request_guard_has_them_too(client: TestClient) -> None:
    refused = client.post("/api/v1/calls", content=b"x" * (65 * 1024), headers={"content-type": "application/json"})
    assert refused.status_code == 413
    assert refused.headers["cache-control"] == "no-store" and refused.headers["x-frame-options"] == "DENY"


def test_only_the_openapi_pages_load_from_the_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert "cdn.jsdelivr.net" in docs.text  # the policy allows exactly what the page loads
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
