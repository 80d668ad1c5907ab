"""The statutory clock past 2026 through the use cases: a complaint logged before New Year
counts on the law's holidays (provisional), and an imported official schedule recomputes
its running deadline, recorded on the case with the reason."""
from __future__ import annotations

from datetime import datetime

import pytest

from infra.bootstrap import bootstrap_memory
from infra.memory.store import MemoryStore
from infra.services.calendar import CalendarOutlook, ImportCalendar, ShowCalendar
from infra.services.errors import Forbidden, Invalid
from infra.services.reads import GetCase
from tests.conftest import SHANGHAI
from tests.unit.services.conftest import ADMIN, V1DIR, MovableClock, call, take_in

NEW_YEARS_EVE_EVE = datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)
OFFICIAL_2027 = {"year": 2027, "kind": "official", "source": "国务院办公厅通知（测试）",
                 "holidays": ["2027-01-01", "2027-01-04"], "workdays": []}


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NEW_YEARS_EVE_EVE)


async def test_a_complaint_before_new_year_is_provisional_until_the_official_schedule_arrives(
        store: MemoryStore, clock: MovableClock) -> None:
    app = bootstrap_memory(store, clock, routing_wait=0)
    (case_id,) = await take_in(app, call(kind="complaint", occurred_at=clock.now.isoformat()))
    before = await app.handle(GetCase(V1DIR, case_id))
    assert before["deadlines_provisional"] is True
    assert before["deadlines"]["handling"].date().isoformat() == "2027-01-21", "New Year's Day is a holiday by law"
    assert (await app.handle(CalendarOutlook()))["provisional_ahead"] is True

    imported = await app.handle(ImportCalendar(ADMIN, OFFICIAL_2027))
    assert imported == {"year": 2027, "kind": "official", "recomputed_cases": 1, "provisional": False}
    after = await app.handle(GetCase(V1DIR, case_id))
    assert after["deadlines"]["handling"].date().isoformat() == "2027-01-22", "one more holiday: one day later"
    assert after["deadlines_provisional"] is False
    recomputed = [e for e in after["timeline"] if e["type"] == "deadlines_recomputed"]
    assert len(recomputed) == 1 and "official holiday schedule for 2027" in str(recomputed[0]["data"])
    assert "calendar_import" in [a["action"] for a in store.tables.audit]


async def test_a_year_shows_each_day_with_its_source(store: MemoryStore, clock: MovableClock) -> None:
    app = bootstrap_memory(store, clock, routing_wait=0)
    await app.handle(ImportCalendar(ADMIN, {"year": 2027, "kind": "local", "source": "县政府", "holidays": ["2027-03-15"],
                                            "workdays": []}))
    year = await app.handle(ShowCalendar(2027))
    by_day = {d["date"]: d for d in year["days"]}
    assert by_day["2027-03-15"]["source"] == "local" and by_day["2027-01-01"]["source"] in ("statutory", "library")
    assert year["provisional"] is True, "local days never make a year official"


async def test_only_an_admin_imports_and_a_bad_schedule_names_its_problem(store: MemoryStore,
                                                                          clock: MovableClock) -> None:
    app = bootstrap_memory(store, clock, routing_wait=0)
    with pytest.raises(Forbidden):
        await app.handle(ImportCalendar(V1DIR, OFFICIAL_2027))
    with pytest.raises(Invalid):
        await app.handle(ImportCalendar(ADMIN, {**OFFICIAL_2027, "holidays": ["2027-02-30"]}))


async def test_an_imported_make_up_working_day_times_the_scheduler_s_climbs_as_it_times_its_next_look(
        store: MemoryStore, clock: MovableClock) -> None:
    """调休: Saturday 13 March 2027 made a working day. Past Friday's deadline the next level is
    owed one working day later — that Saturday — and the scheduler, which looks then, judges
    on the same calendar (judged on the library's alone it found nothing owed until Monday and
    set no further look: the case never climbed again)."""
    app = bootstrap_memory(store, clock, routing_wait=0)
    await app.handle(ImportCalendar(ADMIN, {"year": 2027, "kind": "local", "source": "县政府（测试）",
                                            "holidays": [], "workdays": ["2027-03-13"]}))
    clock.now = datetime(2027, 3, 11, 9, 0, tzinfo=SHANGHAI)  # a Thursday
    (case_id,) = await take_in(app, call(kind="consult", occurred_at=clock.now.isoformat()))
    due = (await app.handle(GetCase(V1DIR, case_id)))["deadlines"]["first_contact"]
    assert due == datetime(2027, 3, 12, 9, 0, tzinfo=SHANGHAI), "first contact: the next working day"

    levels = []
    for moment in (datetime(2027, 3, 12, 10, 0), datetime(2027, 3, 13, 10, 0), datetime(2027, 3, 15, 10, 0)):
        clock.now = moment.replace(tzinfo=SHANGHAI)
        while await app.escalate_due():
            pass
        levels.append((await app.handle(GetCase(V1DIR, case_id)))["escalation_level"])

    assert levels == [1, 2, 3]
