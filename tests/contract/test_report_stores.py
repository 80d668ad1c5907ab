"""The report repositories, one contract on memory and PostgreSQL: 督办 items (reach, locks
by version, the scheduler's claims), diary summaries (a first save and a second one
racing), top-issue picks (one label a month), assessment weights (the newest applies),
petitions beyond the township, the case door's report reads and the alerts of a window."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import orjson
import pytest

from infra.bootstrap import bootstrap, bootstrap_memory
from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.intake import IntakeItem
from infra.services.ports import CaseFilter, ItemChangedMeanwhile
from infra.services.reports import MeetingReport
from models.access import Actor, Role, Scope
from models.early_warning import EarlyWarning
from models.reports import diary_summary as ds
from models.reports import supervision as sv
from models.reports.assessment import AssessmentWeights
from models.reports.records import UpwardPetition
from models.reports.topics import TopIssuePick
from models.roster import Roster
from tests.conftest import SHANGHAI
from tests.contract.test_units_of_work import Clock, _call, _ingest, _phone

pytestmark = pytest.mark.integration
V1, V2 = "330782101201", "330782101202"
ROSTER = Roster.from_contract(demo_roster())


@pytest.fixture(params=["memory", "postgres"])
async def backend(request: pytest.FixtureRequest, engine: Any) -> AsyncIterator[tuple[Minqing, Clock]]:
    clock = Clock()
    if request.param == "memory":
        yield bootstrap_memory(MemoryStore.with_roster(ROSTER, clock()), clock, routing_wait=0), clock
    else:
        yield bootstrap("", engine=engine, clock=clock, routing_wait=0).app, clock


def _item(now: datetime, *, village: str | None = V1, owner: str = "v1-dir", due: date | None = None) -> sv.Supervision:
    return sv.record_decision(str(uuid.uuid4()), f"督办 {uuid.uuid4().hex[:6]}", owner,
                              due or (now + timedelta(days=3)).date(), assigned_by="t-sec", at=now, roster=ROSTER,
                              village_code=village)


async def test_items_are_stored_whole_reached_and_saved_once_per_version(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    village_item, township_item = _item(clock.now), _item(clock.now, village=None, owner="t-lead1")
    async with app.uows() as uow:
        for item in (village_item, township_item):
            await uow.supervision.add(item, next_check_at=None, at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        stored = await uow.supervision.get(village_item.item_id)
        assert stored == village_item
        lead1 = {i.item_id for i in await uow.supervision.within(Scope(village_codes=frozenset({V2}),
                                                                        cadre_id="t-lead1"))}
        secretary = {i.item_id for i in await uow.supervision.within(Scope(village_codes=frozenset({V1})))}
        assert township_item.item_id in lead1 and village_item.item_id not in lead1
        assert village_item.item_id in secretary and township_item.item_id not in secretary
        moved = sv.record_progress(village_item, "已开工", actor="v1-dir", at=clock.now, roster=ROSTER)
        await uow.supervision.save(village_item, moved, next_check_at=None, at=clock.now)
        with pytest.raises(ItemChangedMeanwhile):
            await uow.supervision.save(village_item, moved, next_check_at=None, at=clock.now)


async def test_closed_items_stay_listed_from_when_they_closed(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    item = _item(clock.now)
    done = sv.close(sv.report_done(item, "完成", actor="v1-dir", at=clock.now, roster=ROSTER), actor="t-sec",
                    at=clock.now + timedelta(hours=1), roster=ROSTER)
    async with app.uows() as uow:
        await uow.supervision.add(item, next_check_at=None, at=clock.now)
        await uow.supervision.save(item, done, next_check_at=None, at=clock.now + timedelta(hours=1))
        await uow.commit()
    async with app.uows() as uow:
        scope = Scope(township=True)
        assert item.item_id in {i.item_id for i in await uow.supervision.within(scope, closed_since=clock.now)}
        later = clock.now + timedelta(days=1)
        assert item.item_id not in {i.item_id for i in await uow.supervision.within(scope, closed_since=later)}
        assert item.item_id in {i.item_id for i in await uow.supervision.within(scope, include_closed=True)}


async def test_the_scheduler_claims_only_items_due(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    due, later = _item(clock.now), _item(clock.now)
    async with app.uows() as uow:
        await uow.supervision.add(due, next_check_at=clock.now - timedelta(hours=1), at=clock.now)
        await uow.supervision.add(later, next_check_at=clock.now + timedelta(days=1), at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        claimed = {i.item_id for i in await uow.supervision.claim_due(clock.now, 10_000)}
        assert due.item_id in claimed and later.item_id not in claimed
        await uow.supervision.save(due, due, next_check_at=None, at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        assert due.item_id not in {i.item_id for i in await uow.supervision.claim_due(clock.now, 10_000)}


async def test_a_diary_summary_is_saved_once_per_version(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    village, period = V1, f"{1900 + uuid.uuid4().int % 90:04d}-B3"
    draft = ds.propose(ds.DiarySummary(village, period), "water", "加装增压泵", actor="v1-m1", at=clock.now,
                       roster=ROSTER)
    async with app.uows() as uow:
        await uow.diary_summaries.save(draft, version=0, at=clock.now)
        with pytest.raises(ItemChangedMeanwhile):
            await uow.diary_summaries.save(draft, version=0, at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        stored = await uow.diary_summaries.get(village, period)
        assert stored == draft
        digest = ds.DiaryDigest(village, period, (), ())
        submitted = replace(draft, status=ds.SUBMITTED, submitted_by="v1-sec", submitted_at=clock.now, digest=digest,
                            events=draft.events + (ds.SummaryEvent("submitted", clock.now, "v1-sec", {}),))
        await uow.diary_summaries.save(submitted, version=1, at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        (found,) = await uow.diary_summaries.of_periods([period], [V1, V2])
        assert found.status == ds.SUBMITTED and found.digest == digest and found.submitted_at == clock.now


async def test_one_pick_per_label_and_month_and_the_newest_weights(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    month, label = "1999-07", f"饮水用水：停水 {uuid.uuid4().hex[:6]}"
    pick = TopIssuePick(str(uuid.uuid4()), month, label, "water", ("停水",), ("c1",), (V1,), "t-sec", clock.now,
                        str(uuid.uuid4()))
    async with app.uows() as uow:
        await uow.top_issues.add(pick)
        with pytest.raises(ItemChangedMeanwhile):
            await uow.top_issues.add(replace(pick, pick_id=str(uuid.uuid4())))
        await uow.commit()
    async with app.uows() as uow:
        assert pick in await uow.top_issues.of_month(month)
        await uow.assessment_weights.put(AssessmentWeights(zero_petition=33), set_by="admin", at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        weights, who = await uow.assessment_weights.current()
        assert weights.zero_petition == 33 and who is not None and who["set_by"] == "admin"


async def test_petitions_beyond_the_township_by_village_and_time(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    when = datetime(1998, 5, 6, 10, tzinfo=SHANGHAI)
    async with app.uows() as uow:
        await uow.upward_petitions.add(UpwardPetition(V1, when, "city", "市信访局"), recorded_by="t-xf1", at=clock.now)
        await uow.upward_petitions.add(UpwardPetition(V2, when, "county"), recorded_by="t-xf1", at=clock.now)
        await uow.commit()
    async with app.uows() as uow:
        found = await uow.upward_petitions.between([V1], when - timedelta(days=1), when + timedelta(days=1))
        assert found == [UpwardPetition(V1, when, "city", "市信访局")]
        assert await uow.upward_petitions.between([V1], when + timedelta(seconds=1), when + timedelta(days=1)) == []


async def test_the_report_reads_filter_by_source_and_deadline(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    (call,) = await _ingest(app, _call(_phone()))
    diary = {"event_id": f"d-{uuid.uuid4().hex[:12]}", "occurred_at": clock.now.isoformat(), "village_code": V1,
             "category": "roads", "summary": "路灯不亮", "author_cadre_id": "v1-m1", "household": "王家",
             "problems": "路灯坏了", "resolved_on_spot": False}
    (opened,) = await app.ingest([IntakeItem("diary.entries", orjson.dumps(diary))])
    ours = (call.case_id or "", opened.decision.case_id or "")
    async with app.uows() as uow:
        everyone = Scope(township=True)
        rows = await uow.reads.lines(everyone, CaseFilter(case_ids=ours, sources=("diary",)))
        assert [r["case_id"] for r in rows] == [ours[1]] and rows[0]["event"]["household"] == "王家"
        assert "state" not in rows[0]
        soon = await uow.reads.lines(everyone, CaseFilter(case_ids=ours, due_before=clock.now + timedelta(days=3)))
        assert [r["case_id"] for r in soon] == [ours[0]], "the call's first contact is due first"
        assert await uow.reads.lines(everyone, CaseFilter(case_ids=ours, due_before=clock.now)) == []


async def test_alerts_of_a_window_within_reach(backend: tuple[Minqing, Clock]) -> None:
    app, clock = backend
    raised = clock.now - timedelta(hours=2)
    warning = EarlyWarning(f"a-{uuid.uuid4().hex[:12]}", V2, "water", 5, raised, raised, "t-lead1", ("c1",), "五户停水")
    async with app.uows() as uow:
        await uow.matters.add_alerts([warning], raised)
        await uow.commit()
    async with app.uows() as uow:
        window = (raised - timedelta(minutes=1), raised + timedelta(minutes=1))
        ids = [a["alert_id"] for a in await uow.matters.alerts_raised(Scope(township=True), None, *window)]
        assert warning.alert_id in ids
        other = Scope(village_codes=frozenset({V1}), cadre_id="v1-sec")
        assert warning.alert_id not in [a["alert_id"] for a in await uow.matters.alerts_raised(other, "v1-sec", *window)]
        lead = [a["alert_id"] for a in await uow.matters.alerts_raised(Scope(cadre_id="t-lead1"), "t-lead1", *window)]
        assert warning.alert_id in lead
        later = (raised + timedelta(minutes=1), raised + timedelta(hours=1))
        assert warning.alert_id not in [a["alert_id"] for a in await uow.matters.alerts_raised(
            Scope(township=True), None, *later)]


async def test_the_meeting_report_runs_on_both(backend: tuple[Minqing, Clock]) -> None:
    app, _ = backend
    report = await app.handle(MeetingReport(Actor(Role.LEADER, "t-sec")))
    assert report.body["meeting_day"] and len(report.body["villages"]) == 5
