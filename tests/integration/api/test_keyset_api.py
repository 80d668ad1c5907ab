"""Keyset pages over HTTP: `next_cursor` walks a list and the inbox, a page after a cursor has
no `total`, a cursor that is not ours is a coded 422 naming `after`; the CSV export streams
the same bytes as before (BOM, header, rows) and is audited."""
from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest

from infra.services.reads import EXPORT_COLUMNS
from tests.integration.api.test_protection import _audit_since, _head

pytestmark = pytest.mark.integration


async def _walk(client: Any, url: str, params: dict[str, Any], headers: dict[str, str]) -> list[dict[str, Any]]:
    pages, after = [], None
    while True:
        answer = await client.get(url, params={**params, **({"after": after} if after else {})}, headers=headers)
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
        after = pages[-1]["next_cursor"]
        if after is None:
            return pages


async def test_a_list_and_the_inbox_walk_by_cursor(client: Any, as_: Any, open_case: Any) -> None:
    token = f"tok{uuid.uuid4().hex[:12]}"
    opened = {(await open_case(summary=f"停水 {token}"))["case_id"] for _ in range(5)}
    whole = (await client.get("/api/v1/cases", params={"q": token, "limit": 200}, headers=as_("v1dir"))).json()
    pages = await _walk(client, "/api/v1/cases", {"q": token, "limit": 2}, as_("v1dir"))
    assert [i["case_id"] for p in pages for i in p["items"]] == [i["case_id"] for i in whole["items"]]
    assert set(i["case_id"] for i in whole["items"]) == opened and whole["total"] == 5
    assert [p["total"] for p in pages] == [5, None, None] and [len(p["items"]) for p in pages] == [2, 2, 1]
    inbox = await _walk(client, "/api/v1/inbox", {"q": token, "limit": 2}, as_("v1dir"))
    walked = [i["case_id"] for p in inbox for i in p["items"]]
    assert sorted(walked) == sorted(opened) and [i["due_at"] for p in inbox for i in p["items"]] == sorted(
        i["due_at"] for p in inbox for i in p["items"])


@pytest.mark.parametrize("url, who", [("/api/v1/cases", "admin"), ("/api/v1/inbox", "v1dir")])
async def test_a_cursor_not_handed_out_is_a_422_naming_after(client: Any, as_: Any, url: str, who: str) -> None:
    answer = await client.get(url, params={"after": "bm90IG91cnM"}, headers=as_(who))
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "page.bad_cursor" and body["detail"][0]["loc"] == ["query", "after"]


async def test_the_export_streams_the_csv_and_is_audited(client: Any, as_: Any, open_case: Any, engine: Any) -> None:
    case = await open_case()
    seq = await _head(engine)
    answer = await client.get("/api/v1/cases/export.csv", params={"village_code": case["village_code"]},
                              headers=as_("secretary"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_COLUMNS and case["case_id"] in {r[0] for r in rows[1:]}
    assert case["petitioner_phone"] not in answer.text
    assert [(e["action"], e["cadre_id"]) for e in await _audit_since(engine, seq)] == [("export", "t-sec")]
