"""`minqing dlq list` / `replay`: an event refused for a cadre the roster did not know
becomes a case once the roster knows them; replaying twice changes nothing."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest

from infra.bootstrap import bootstrap
from infra.demo.township import demo_roster
from infra.services.administration import ImportRoster
from infra.services.dead_letters import ListDeadLetters, ReplayDeadLetters
from models.access import Actor, Role
from tests.conftest import hotline_call
from tests.integration.conftest import cases_for, send, wait_for_case

pytestmark = pytest.mark.integration


ADMIN = Actor(Role.ADMIN, username="test")


async def _pending_for(engine: Any, event_id: str, timeout: float = 20) -> list[dict[str, Any]]:
    app = bootstrap("", engine=engine).app
    for _ in range(int(timeout * 10)):
        found = [letter for letter in await app.handle(ListDeadLetters(ADMIN, "hotline.calls", False, 10_000))
                 if event_id.encode() in (letter["value"] or b"")]
        if found:
            return found
        await asyncio.sleep(0.1)
    return []


async def test_a_fixed_cause_and_a_replay_turn_a_dead_letter_into_a_case(
        worker: Any, api: Any, producer: Any, engine: Any, endpoints: Any, event_id: str) -> None:
    newcomer = f"v1-new-{event_id[-6:]}"
    await send(producer, "hotline.calls", hotline_call(event_id, dialed_cadre_id=newcomer), key=event_id)
    letters = await _pending_for(engine, event_id)
    assert len(letters) == 1 and newcomer in letters[0]["error"]

    roster = demo_roster()
    roster["cadres"].append({"cadre_id": newcomer, "name": "新来的", "phone": "13700000000",
                             "unit_code": "330782101201", "posts": ["member"], "responsibilities": [],
                             "backup_cadre_id": "v1-dsec"})
    app = bootstrap("", engine=engine).app
    await app.handle(ImportRoster(ADMIN, roster, "test: a new member"))
    await asyncio.sleep(1.5)  # workers look for a new roster every second

    assert await app.handle(ReplayDeadLetters(ADMIN, ids=(letters[0]["id"],))) == 1
    case = await wait_for_case(api, event_id)
    assert case["owner_cadre_id"] == newcomer
    assert await _pending_for(engine, event_id, timeout=1) == []

    assert await app.handle(ReplayDeadLetters(ADMIN, ids=(letters[0]["id"],))) == 0
    assert len(await cases_for(api, event_id)) == 1
