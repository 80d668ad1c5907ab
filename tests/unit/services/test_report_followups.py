"""What the reports lead to, through the use cases: 督办 items worked and escalated, the
bi-monthly diary summary proposed and submitted, the month's top issue picked, and the
village assessment with its weights and the petitions beyond the township."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.assessment import AssessmentReport, ReadWeights, SetWeights
from infra.services.diary_summaries import ProposeSolution, ReadDiarySummary, SubmitDiarySummary, SummaryStatuses
from infra.services.errors import Conflict, Forbidden, Invalid, NotFound
from infra.services.supervision import GetItem, ListItems, RecordDecision, WorkItem
from infra.services.top_issues import PickTopIssue, TopicsReport
from infra.services.upward import RecordUpwardPetition
from tests.conftest import SHANGHAI
from tests.unit.services.conftest import (ADMIN, LEAD1, SECRETARY, V1, V1DIR, V1M1, V1SEC, Actor, MovableClock,
                                          Role)
from tests.unit.services.reporting import MONDAY, V2, V3, accusing, at, diary, phone_in, write_diary

STAFF = Actor(Role.PETITION_STAFF, "t-xf1")


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(MONDAY)


async def test_a_late_item_climbs_the_chain_on_the_schedulers_tick(app: Minqing, clock: MovableClock,
                                                                  store: MemoryStore) -> None:
    item = await app.handle(RecordDecision(SECRETARY, "清理上溪村河道垃圾", "v1-dir", date(2025, 3, 18),
                                           village_code=V1))
    with pytest.raises(Forbidden):
        await app.handle(RecordDecision(V1DIR, "自己给自己督办", "v1-dir", date(2025, 3, 18)))
    await app.handle(WorkItem(V1DIR, item["item_id"], "progress", "已组织保洁员"))
    clock.now = datetime(2025, 3, 21, 9, tzinfo=SHANGHAI)  # two working days late
    assert await app.escalate_due() == 1
    escalated = await app.handle(GetItem(SECRETARY, item["item_id"]))
    assert escalated["escalation_level"] > 0 and escalated["escalated_to_cadre_id"] not in (None, "v1-dir")
    assert [e["type"] for e in escalated["history"]] == ["recorded", "progressed", "escalated"]
    assert await app.escalate_due() == 0, "once per level: nothing more is owed now"
    mine = await app.handle(ListItems(Actor(Role.LEADER, escalated["escalated_to_cadre_id"])))
    assert item["item_id"] in [i["item_id"] for i in mine]


async def test_an_item_refuses_what_its_state_does_not_allow(app: Minqing) -> None:
    item = await app.handle(RecordDecision(SECRETARY, "排查危房", "t-lead1", date(2025, 3, 28), village_code=V1))
    with pytest.raises(Conflict) as refused:
        await app.handle(WorkItem(SECRETARY, item["item_id"], "close"))
    assert refused.value.state == "open" and "report_done" in refused.value.allowed_actions
    with pytest.raises(Forbidden):  # village 1's secretary sees it, but it is not theirs to work
        await app.handle(WorkItem(V1SEC, item["item_id"], "progress", "x"))
    township = await app.handle(RecordDecision(SECRETARY, "修订应急预案", "t-lead1", date(2025, 3, 28)))
    with pytest.raises(NotFound):  # out of a village director's reach: it does not exist for them
        await app.handle(WorkItem(V1DIR, township["item_id"], "progress", "x"))
    with pytest.raises(Invalid) as empty:
        await app.handle(WorkItem(LEAD1, item["item_id"], "progress", "  "))
    assert empty.value.field == "note"
    moved = await app.handle(WorkItem(SECRETARY, item["item_id"], "extend", "等材料", date(2025, 4, 4)))
    assert moved["due_on"] == "2025-04-04"
    with pytest.raises(NotFound):
        await app.handle(GetItem(V1DIR, "no-such-item"))


async def test_the_diary_summary_is_proposed_by_members_and_submitted_by_the_secretary(
        app: Minqing, clock: MovableClock) -> None:
    await write_diary(app, diary("v1-m1", at(3, 10, month=1), problems="自来水压力不够"),
                      diary("v1-dir", at(5, 10, month=2), category="roads", problems="路灯坏了", on_spot=True),
                      diary("v2-dir", at(6, 10, month=2), village=V2))
    summary = (await app.handle(ReadDiarySummary(V1M1, V1, "2025-B1"))).body
    assert summary["entries"] == 2 and [g["key"] for g in summary["by_category"]] == ["roads", "water"]
    water = next(g for g in summary["by_category"] if g["key"] == "water")
    assert water["needs_proposal"] and water["problems"] == ["自来水压力不够"]
    with pytest.raises(Conflict) as missing:
        await app.handle(SubmitDiarySummary(V1SEC, V1, "2025-B1"))
    assert missing.value.code == "diary_summary.proposals_missing"
    await app.handle(ProposeSolution(V1M1, V1, "2025-B1", "water", "协调水务站加装增压泵"))
    with pytest.raises(Forbidden):
        await app.handle(SubmitDiarySummary(V1M1, V1, "2025-B1"))  # only the branch secretary submits
    with pytest.raises(NotFound):
        await app.handle(ReadDiarySummary(V1M1, V2, "2025-B1"))  # another village's diary
    submitted = await app.handle(SubmitDiarySummary(V1SEC, V1, "2025-B1"))
    assert submitted["status"] == "submitted" and submitted["submission"] == "late", "due by 7 March"
    statuses = await app.handle(SummaryStatuses(SECRETARY, "2025-B1"))
    by_village = {r["village_code"]: r["status"] for r in statuses["items"]}
    assert by_village[V1] == "late" and by_village[V2] == "missing" and len(by_village) == 5
    with pytest.raises(Conflict):
        await app.handle(ProposeSolution(V1M1, V1, "2025-B1", "roads", "晚了"))


async def test_a_summary_cannot_be_submitted_before_its_last_day(app: Minqing) -> None:
    with pytest.raises(Conflict) as early:
        await app.handle(SubmitDiarySummary(V1SEC, V1, "2025-B2"))  # March–April, in March
    assert early.value.code == "diary_summary.too_early"
    body = (await app.handle(ReadDiarySummary(V1SEC, V1))).body
    assert body["period"] == "2025-B1", "by default the latest period whose last day has come"


WATER = ["村里自来水停水三天了", "自来水停水，家里没水做饭", "停水好几天了，希望尽快恢复供水"]


async def test_a_leader_picks_the_months_top_issue_and_follows_it_up(app: Minqing) -> None:
    for n, (village, text) in enumerate(zip((V1, V2, V3), WATER, strict=True)):
        await phone_in(app, at(3 + n), village_code=village, dialed_cadre_id=None, summary=text)
    await phone_in(app, at(4), category="roads", summary="道路坑洼不平")
    report = (await app.handle(TopicsReport(SECRETARY, "2025-03"))).body
    first = report["items"][0]
    assert first["count"] == 3 and first["across_villages"] and "停水" in first["keywords"]
    picked = await app.handle(PickTopIssue(SECRETARY, "2025-03", first["label"], "t-lead2", date(2025, 4, 30)))
    assert picked["item"]["origin"] == "top_issue" and picked["item"]["owner_cadre_id"] == "t-lead2"
    with pytest.raises(Conflict) as again:
        await app.handle(PickTopIssue(SECRETARY, "2025-03", first["label"], "t-lead2", date(2025, 4, 30)))
    assert again.value.code == "top_issue.already_picked"
    with pytest.raises(NotFound):
        await app.handle(PickTopIssue(SECRETARY, "2025-03", "没有这个问题", "t-lead2", date(2025, 4, 30)))
    with pytest.raises(Forbidden):
        await app.handle(PickTopIssue(V1DIR, "2025-03", first["label"], "t-lead2", date(2025, 4, 30)))
    await app.handle(WorkItem(Actor(Role.LEADER, "t-lead2"), picked["item"]["item_id"], "progress", "已排查管网"))
    again_report = (await app.handle(TopicsReport(SECRETARY, "2025-03"))).body
    (pick,) = again_report["picks"]
    assert pick["item"]["latest_note"] == "已排查管网" and pick["item"]["status"] == "in_progress"


async def test_topics_leave_out_what_accuses_the_reader(app: Minqing) -> None:
    await phone_in(app, at(3), category="village_affairs", summary="村支书账目不公开", **accusing("v1-sec"))
    await phone_in(app, at(4), category="roads", summary="道路坑洼不平")
    seen = {t["category"] for t in (await app.handle(TopicsReport(V1SEC, "2025-03"))).body["items"]}
    assert seen == {"roads"}
    assert "village_affairs" in {t["category"] for t in (await app.handle(TopicsReport(SECRETARY, "2025-03"))
                                                          ).body["items"]}


async def test_the_assessment_scores_villages_with_stars_and_explains_them(app: Minqing) -> None:
    await write_diary(app, *(diary("v1-m1", at(day, month=1)) for day in (6, 7, 8)))
    body = (await app.handle(AssessmentReport(SECRETARY, "2025-Q1"))).body
    assert body["period"] == "2025-Q1" and len(body["items"]) == 5
    assert [i["rank"] for i in body["items"]] == sorted(i["rank"] for i in body["items"])
    first = body["items"][0]
    assert 1 <= first["stars"] <= 5 and set(first["parts"]) >= {"response", "visiting", "zero_petition", "proactive"}
    v1 = next(i for i in body["items"] if i["village_code"] == V1)
    assert v1["parts"]["proactive"]["diary_cases"] == 3 and v1["zero_petition"]
    await app.handle(RecordUpwardPetition(STAFF, V1, at(10, month=2), "county", "县信访局转来"))
    with pytest.raises(Forbidden):
        await app.handle(RecordUpwardPetition(LEAD1, V1, at(10, month=2)))
    later = (await app.handle(AssessmentReport(SECRETARY, "2025-Q1"))).body
    v1_later = next(i for i in later["items"] if i["village_code"] == V1)
    assert not v1_later["zero_petition"] and v1_later["parts"]["zero_petition"]["months_with_upward_petitions"] == [
        "2025-02"]
    assert v1_later["score"] < v1["score"]
    assert {i["village_code"] for i in (await app.handle(AssessmentReport(LEAD1, "2025"))).body["items"]} == {V1, V2}


async def test_an_admin_sets_the_weights_and_a_bad_set_is_refused_whole(app: Minqing) -> None:
    assert (await app.handle(ReadWeights(ADMIN)))["set_by"] is None
    changed = await app.handle(SetWeights(ADMIN, {"zero_petition": 40, "star_thresholds": [95, 85, 75, 65]}))
    assert changed["weights"]["zero_petition"] == 40 and changed["weights"]["response"] == 15
    body = (await app.handle(AssessmentReport(SECRETARY, "2025-Q1"))).body
    assert body["weights"]["zero_petition"] == 40
    with pytest.raises(Invalid) as refused:
        await app.handle(SetWeights(ADMIN, {"speed": 3}))
    assert refused.value.field == "weights" and refused.value.code == "assessment.bad_weights"
    with pytest.raises(Forbidden):
        await app.handle(SetWeights(SECRETARY, {"zero_petition": 1}))
    assert (await app.handle(ReadWeights(ADMIN)))["weights"]["zero_petition"] == 40
