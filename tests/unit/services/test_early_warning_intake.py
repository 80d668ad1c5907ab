"""Early warning through intake: a late-arriving sighting completes a cluster around it."""
from __future__ import annotations

from datetime import datetime, timedelta

from infra.services.app import Minqing
from infra.services.oversight import ListAlerts
from tests.unit.services.conftest import LEAD1, call, take_in

SHANGHAI_NOON = "T12:00:00+08:00"


def _at(day: str, hour: int) -> str:
    return (datetime.fromisoformat(day + SHANGHAI_NOON) + timedelta(hours=hour)).isoformat()


def _resident(n: int, at: str) -> dict[str, object]:
    return call(occurred_at=at, category="environment",
                caller={"name": f"居民{n}", "phone": f"1390000031{n}", "id_number": None, "anonymous": False})


async def test_a_call_logged_late_completes_the_cluster_of_the_calls_after_it(app: Minqing) -> None:
    day = "2026-11-24"
    await take_in(app, *[_resident(n, _at(day, hour)) for n, hour in enumerate((0, 1, 3, 4))])
    assert await app.handle(ListAlerts(LEAD1)) == []
    await take_in(app, _resident(9, _at(day, 2)))  # entered later, happened in the middle
    alerts = await app.handle(ListAlerts(LEAD1))
    assert len(alerts) == 1 and alerts[0]["petitioners"] == 5
