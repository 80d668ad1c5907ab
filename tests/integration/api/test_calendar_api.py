"""The calendar over HTTP (CONTRACT "Calendar"): an admin imports local days, everyone reads
a year with where each day came from; nobody else imports."""
from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

LOCAL_2027 = {"year": 2027, "kind": "local", "source": "县人民政府（测试）", "holidays": ["2027-06-30"],
              "workdays": []}


async def test_an_admin_imports_local_days_and_everyone_reads_the_year(client: Any, as_: Any) -> None:
    refused = await client.put("/api/v1/admin/calendar/2027", json=LOCAL_2027, headers=as_("secretary"))
    assert refused.status_code == 403
    mismatch = await client.put("/api/v1/admin/calendar/2028", json=LOCAL_2027, headers=as_("admin"))
    assert mismatch.status_code == 422
    imported = await client.put("/api/v1/admin/calendar/2027", json=LOCAL_2027, headers=as_("admin"))
    assert imported.status_code == 200, imported.text
    assert imported.json()["kind"] == "local" and imported.json()["provisional"] is True
    year = (await client.get("/api/v1/calendar/2027", headers=as_("v1dir"))).json()
    days = {d["date"]: d for d in year["days"]}
    assert days["2027-06-30"]["source"] == "local" and days["2027-06-30"]["working"] is False
    assert days["2027-01-01"]["working"] is False and year["provisional"] is True
    bad = await client.put("/api/v1/admin/calendar/2027", json={**LOCAL_2027, "holidays": ["2027-13-01"]},
                           headers=as_("admin"))
    assert bad.status_code == 422
