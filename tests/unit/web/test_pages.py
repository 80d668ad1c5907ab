"""Pages render without a database: language choice, security headers, assets served locally."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from api.app import create_api
from infra.bootstrap import bootstrap
from api.web.pages import PAGES


@pytest.fixture(scope="module")
def client() -> TestClient:
    system = bootstrap("postgresql+asyncpg://nobody@127.0.0.1:9/none")  # never connected
    return TestClient(create_api(system.app))


@pytest.mark.parametrize("path", [*PAGES, "/ui/cases/abc"])
def test_every_page_renders_in_chinese_with_a_strict_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="zh"' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http://" not in response.text and "https://" not in response.text  # no CDN


def test_english_by_query_or_cookie(client: TestClient) -> None:
    assert '<html lang="en"' in client.get("/ui/?lang=en").text
    client.cookies.set("minqing_lang", "en")
    try:
        assert "Log in with your password" in client.get("/ui/").text
    finally:
        client.cookies.clear()
    assert '<html lang="zh"' in client.get("/ui/?lang=fr").text


def test_static_assets_are_served(client: TestClient) -> None:
    for asset in ("/ui/static/app.css", "/ui/static/js/app.js", "/ui/static/js/desk.js", "/ui/static/js/bell.js",
                  "/ui/static/notifications.css"):
        assert client.get(asset).status_code == 200


def test_home_leads_to_the_login_page(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/ui/"


def test_ui_reads_need_a_token(client: TestClient) -> None:
    for path in ("/ui/api/me", "/ui/api/directory", "/ui/api/village-counts", "/ui/api/live", "/api/v1/reports/meeting",
                 "/ui/api/charts/rates.svg", "/ui/api/notifications/live"):
        assert client.get(path).status_code == 401, path
