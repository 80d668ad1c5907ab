"""Keyset pages, one contract on both readers: a walk by `next_cursor` shows every case the
caller may see exactly once and in order — cases registered mid-walk neither repeat nor shift
the pages — and never a case outside the caller's scope; a cursor that is not one of ours is a
coded 422 reason."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
import pytest

from infra.services.app import Minqing
from infra.services.errors import Invalid
from infra.services.intake import IntakeItem
from infra.services.ports import CaseFilter
from infra.services.reads import Inbox, ListCases, Page
from models.access import Actor, Role
from tests.conftest import hotline_call
from tests.contract.conftest import Clock

pytestmark = pytest.mark.integration
V1DIR, SECRETARY = Actor(Role.CADRE, "v1-dir"), Actor(Role.LEADER, "t-sec")
VILLAGE_1, VILLAGE_3 = "330782101201", "330782101203"


class Cases:
    """Cases whose summaries carry one token of their own, so a search finds exactly them on a
    shared database; the clock moves every other case (ties on the order key and steps)."""

    def __init__(self, app: Minqing, clock: Clock) -> None:
        self.app, self.clock, self.token = app, clock, f"tok{uuid.uuid4().hex[:12]}"
        self.made = 0

    async def add(self, n: int, **overrides: Any) -> None:
        for _ in range(n):
            self.made += 1
            if self.made % 2:
                self.clock.now += timedelta(seconds=1)
            at = (self.clock.now - timedelta(minutes=self.made % 3)).isoformat()
            event = hotline_call(f"k-{uuid.uuid4().hex[:16]}", summary=f"停水 {self.token}", occurred_at=at,
                                 **overrides)
            outcome, = await self.app.ingest([IntakeItem("hotline.calls", orjson.dumps(event))])
            assert outcome.decision.kind == "opened"


async def _walk(ask: Callable[[str | None], Any], *, between: Callable[[], Any] | None = None) -> list[Page]:
    pages, after = [], None
    while True:
        page = await ask(after)
        pages.append(page)
        if len(pages) == 1 and between is not None:
            await between()
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def _ids(pages: list[Page]) -> list[str]:
    return [item["case_id"] for page in pages for item in page.items]


async def test_a_walk_by_cursor_shows_every_visible_case_once_newest_first(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    cases = Cases(app, clock)
    await cases.add(7)                                          # village 1: in v1-dir's reach
    await cases.add(2, village_code=VILLAGE_3, dialed_cadre_id="v3-dir")      # out of it
    await cases.add(1, dialed_cadre_id="v1-sec", accused={"cadre_ids": ["v1-dir"], "unit_codes": []})
    mine = CaseFilter(q=cases.token)
    everything = await app.handle(ListCases(SECRETARY, mine, limit=200))
    seen_by_v1 = await app.handle(ListCases(V1DIR, mine, limit=200))
    assert everything.total == 10 and seen_by_v1.total == 7 and everything.next_cursor is None

    for actor in (SECRETARY, V1DIR):
        expected = await app.handle(ListCases(actor, mine, limit=200))
        pages = await _walk(lambda after, actor=actor: app.handle(ListCases(actor, mine, limit=3, after=after)),
                            between=lambda: cases.add(3))     # registered mid-walk: newer than the walk
        assert _ids(pages) == [item["case_id"] for item in expected.items]
        assert [len(p.items) for p in pages][:-1] == [3] * (len(pages) - 1)
        assert pages[0].total is not None and all(p.total is None for p in pages[1:])  # counted once
        keys = [(item["created_at"], item["case_id"]) for page in pages for item in page.items]
        assert _newest_first(keys)
    now_visible = await app.handle(ListCases(V1DIR, mine, limit=200))
    assert now_visible.total == 7 + 6 and {i["village_code"] for i in now_visible.items} == {VILLAGE_1}


def _newest_first(keys: list[tuple[Any, str]]) -> bool:
    return all(a[0] > b[0] or (a[0] == b[0] and a[1] < b[1]) for a, b in zip(keys, keys[1:]))


async def test_the_inbox_walks_by_deadline_with_new_cases_arriving(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    cases = Cases(app, clock)
    await cases.add(8)                                          # dialed v1-dir: theirs
    await cases.add(2, dialed_cadre_id="v1-sec")                # in reach, not in their inbox
    first = await app.handle(Inbox(V1DIR, q=cases.token, limit=200))
    assert first.total == 8
    pages = await _walk(lambda after: app.handle(Inbox(V1DIR, q=cases.token, limit=3, after=after)),
                        between=lambda: cases.add(4))
    walked = _ids(pages)
    assert len(walked) == len(set(walked))                      # never twice
    assert set(walked) >= {item["case_id"] for item in first.items}   # every one there at the start
    keys = [(item["due_at"], item["case_id"]) for page in pages for item in page.items]
    assert keys == sorted(keys)
    assert set(walked) <= {item["case_id"] for item in (await app.handle(Inbox(V1DIR, q=cases.token,
                                                                              limit=200))).items}


async def test_an_offset_page_hands_out_the_cursor_of_the_next(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    cases = Cases(app, clock)
    await cases.add(5)
    mine = CaseFilter(q=cases.token)
    whole = _ids([await app.handle(ListCases(SECRETARY, mine, limit=200))])
    second = await app.handle(ListCases(SECRETARY, mine, limit=2, offset=2))
    assert _ids([second]) == whole[2:4] and second.total == 5
    rest = await app.handle(ListCases(SECRETARY, mine, limit=2, after=second.next_cursor))
    assert _ids([rest]) == whole[4:] and rest.next_cursor is None and rest.total is None


@pytest.mark.parametrize("cursor", ["nonsense!", "", "W10", "WyJuIiwgbnVsbCwgImMiXQ"])
async def test_a_cursor_not_handed_out_is_a_coded_422(backend: tuple[Minqing, Clock], cursor: str) -> None:
    """Garbage, an empty list, and a newest-first cursor without a time are all refused."""
    app, _ = backend
    with pytest.raises(Invalid) as refused:
        await app.handle(ListCases(SECRETARY, limit=2, after=cursor))
    assert refused.value.code == "page.bad_cursor" and refused.value.field == "after"


async def test_a_cursor_of_the_other_order_and_a_cursor_with_an_offset_are_refused(
        backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    cases = Cases(app, clock)
    await cases.add(3)
    listed = await app.handle(ListCases(V1DIR, CaseFilter(q=cases.token), limit=1))
    with pytest.raises(Invalid) as other:
        await app.handle(Inbox(V1DIR, q=cases.token, limit=1, after=listed.next_cursor))
    assert other.value.code == "page.bad_cursor"
    with pytest.raises(Invalid) as both:
        await app.handle(ListCases(V1DIR, CaseFilter(q=cases.token), limit=1, offset=1, after=listed.next_cursor))
    assert both.value.code == "page.cursor_with_offset"


async def test_an_unfiltered_first_page_totals_what_a_walk_of_every_page_shows(backend: tuple[Minqing, Clock]) -> None:
    """Its total comes from the kept counts, not from counting rows: it must agree anyway,
    for a caller from whom an accusing case is hidden, and for one status."""
    app, clock = backend
    cases = Cases(app, clock)
    await cases.add(3)
    await cases.add(1, dialed_cadre_id="v1-sec", accused={"cadre_ids": ["v1-dir"], "unit_codes": []})
    for actor in (SECRETARY, V1DIR):
        for only in (CaseFilter(), CaseFilter(status="assigned")):
            first = await app.handle(ListCases(actor, only, limit=2))
            pages = await _walk(lambda after, actor=actor, only=only: app.handle(
                ListCases(actor, only, limit=500, after=after)))
            assert first.total == len(_ids(pages)) and first.next_cursor is not None
