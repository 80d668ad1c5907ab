"""The meeting report and visiting days through the use cases, on the in-memory unit of
work: what each covers, the meeting's decisions seen again at the next meeting, and
confidentiality — a case accusing someone is never counted where they can see it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from infra.exports.pdf import html_of
from infra.services.app import Minqing
from infra.services.errors import Invalid
from infra.services.reports import MeetingReport, VisitingDaysReport
from infra.services.supervision import RecordDecision, WorkItem
from tests.unit.services.conftest import LEAD1, SECRETARY, V1, V1M1, V1SEC, Actor, MovableClock, Role
from tests.unit.services.reporting import MONDAY, V2, V3, accusing, at, diary, phone_in, write_diary


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(MONDAY)


async def test_the_meeting_report_covers_since_the_last_meeting(app: Minqing) -> None:
    before = await phone_in(app, at(12), summary="上次会议前的来电")
    new = await phone_in(app, at(14), summary="村口自来水管爆裂")
    await write_diary(app, diary("v1-m1", at(15), on_spot=True), diary("v1-m1", at(16), problems="低保材料不会填"))
    report = await app.handle(MeetingReport(SECRETARY))
    body = report.body
    assert body["since"].startswith("2025-03-13T00:00") and body["meeting_day"] == "2025-03-17"
    assert body["next_meeting_day"] == "2025-03-20"
    new_ids = [c["case_id"] for c in body["new_cases"]]
    assert new in new_ids and before not in new_ids
    assert len(body["diary_entries"]) == 2 and body["totals"]["resolved_on_spot"] == 1
    assert len(new_ids) == 2, "the diary entry that became a case is new; the one resolved on the spot is not"
    overdue = [c["case_id"] for c in body["overdue"]]
    assert before in overdue, "its first contact was due within a working day"
    village = next(v for v in body["villages"] if v["village_code"] == V1)
    assert village["new"] == 2 and village["diary_entries"] == 2
    assert {v["village_code"] for v in body["villages"]} >= {V1, V2, V3}, "every village, even a quiet one"


async def test_a_decision_of_monday_is_seen_again_on_thursday_until_closed(app: Minqing, clock: MovableClock) -> None:
    decided = await app.handle(RecordDecision(SECRETARY, "修复上溪村自来水主管", "t-lead1", date(2025, 3, 19),
                                              village_code=V1))
    assert decided["meeting_day"] == "2025-03-17" and decided["status"] == "open"
    clock.now = at(20, 9)  # Thursday: the item is late and still open
    thursday = (await app.handle(MeetingReport(SECRETARY))).body
    (line,) = [s for s in thursday["supervision"] if s["item_id"] == decided["item_id"]]
    assert line["overdue"] and thursday["totals"]["supervision_overdue"] == 1
    assert line["recorded_in_window"], "Thursday's report runs from Monday's meeting day"
    await app.handle(WorkItem(LEAD1, decided["item_id"], "report_done", "主管已更换"))
    await app.handle(WorkItem(SECRETARY, decided["item_id"], "close", "会上确认"))
    closed = (await app.handle(MeetingReport(SECRETARY))).body["supervision"]
    assert [(s["status"], s["closed_in_window"]) for s in closed] == [("closed", True)]
    clock.now = at(24, 9)  # the next Monday still shows it as done since Thursday
    assert [s["status"] for s in (await app.handle(MeetingReport(SECRETARY))).body["supervision"]] == ["closed"]
    clock.now = at(27, 9)  # closed before this window began: no longer listed
    assert (await app.handle(MeetingReport(SECRETARY))).body["supervision"] == []


async def test_a_window_that_ends_before_it_starts_is_refused_naming_the_field(app: Minqing) -> None:
    with pytest.raises(Invalid) as refused:
        await app.handle(MeetingReport(SECRETARY, since=at(16), until=at(15)))
    assert refused.value.code == "report.bad_window" and refused.value.where == "query"


async def test_a_case_accusing_a_cadre_is_never_counted_in_what_they_see(app: Minqing) -> None:
    """v1-sec (the branch secretary) sees village 1; a complaint against them is counted for
    the party secretary, and for v1-sec it does not exist — in lists, totals and categories."""
    plain = await phone_in(app, at(14), category="roads", summary="村道坑洼")
    against = await phone_in(app, at(14, 11), category="village_affairs", summary="村支书账目不公开",
                             **accusing("v1-sec"))
    secretary = (await app.handle(MeetingReport(SECRETARY))).body
    assert against in [c["case_id"] for c in secretary["new_cases"]]
    assert "village_affairs" in [c["category"] for c in secretary["top_categories"]]
    accused = (await app.handle(MeetingReport(V1SEC))).body
    assert [c["case_id"] for c in accused["new_cases"]] == [plain]
    assert accused["totals"]["new"] == 1 and [v["new"] for v in accused["villages"]] == [1]
    assert "village_affairs" not in [c["category"] for c in accused["top_categories"]]
    assert against not in {c["case_id"] for key in ("overdue", "due_before_next", "escalated") for c in accused[key]}


async def test_a_decision_about_an_accusing_case_is_hidden_from_the_accused(app: Minqing,
                                                                            clock: MovableClock) -> None:
    against = await phone_in(app, at(14), summary="村支书优亲厚友", **accusing("v1-sec"))
    await app.handle(RecordDecision(SECRETARY, "核查上溪村低保评定", "t-lead2", date(2025, 3, 24), village_code=V1,
                                    case_ids=(against,)))
    await app.handle(RecordDecision(SECRETARY, "上溪村道路修补", "t-lead1", date(2025, 3, 24), village_code=V1))
    clock.advance(minutes=30)
    seen = [s["title"] for s in (await app.handle(MeetingReport(V1SEC))).body["supervision"]]
    assert seen == ["上溪村道路修补"]
    assert len((await app.handle(MeetingReport(SECRETARY))).body["supervision"]) == 2


async def test_visiting_days_count_distinct_beijing_days_per_member(app: Minqing) -> None:
    await write_diary(app, diary("v1-m1", at(3, 9)), diary("v1-m1", at(3, 15), household="李家"),
                      diary("v1-m1", at(4)), diary("v1-m1", at(8)),  # a Saturday counts like any day
                      diary("v2-dir", at(5), village=V2), diary("v1-m1", at(28, 10, month=2)))
    body = (await app.handle(VisitingDaysReport(SECRETARY, "2025-03"))).body
    rows = {r["cadre_id"]: r for r in body["items"]}
    assert (rows["v1-m1"]["days"], rows["v1-m1"]["shortfall"]) == (3, 4)
    assert rows["v1-m1"]["dates"] == ["2025-03-03", "2025-03-04", "2025-03-08"]
    assert rows["v2-dir"]["days"] == 1 and rows["v1-dir"]["days"] == 0 and rows["v1-dir"]["shortfall"] == 7
    assert body["items"][0]["shortfall"] == 7, "largest shortfall first"


async def test_visiting_days_for_the_leader_in_charge_and_for_a_member(app: Minqing) -> None:
    await write_diary(app, diary("v1-m1", at(3)), diary("v3-dir", at(3), village=V3))
    lead = (await app.handle(VisitingDaysReport(LEAD1, "2025-03"))).body["items"]
    assert {r["village_code"] for r in lead} == {V1, V2}, "t-lead1 answers for villages 1 and 2"
    own = (await app.handle(VisitingDaysReport(V1M1, "2025-03"))).body["items"]
    assert [(r["cadre_id"], r["days"]) for r in own] == [("v1-m1", 1)]
    with pytest.raises(Invalid) as refused:
        await app.handle(VisitingDaysReport(LEAD1, "2025-13"))
    assert refused.value.field == "period" and refused.value.code == "report.bad_period"


async def test_every_report_is_also_a_document_in_either_language(app: Minqing, clock: MovableClock) -> None:
    await write_diary(app, diary("v1-m1", at(14)))
    report = await app.handle(MeetingReport(SECRETARY))
    assert report.name == "meeting-2025-03-17"
    chinese, english = report.document("zh"), report.document("en")
    assert chinese.title == "联席会议报告" and english.title == "Joint meeting report"
    assert "Water supply" in html_of(english) and "饮水用水" in html_of(chinese)
    clock.now += timedelta(days=1)
    assert (await app.handle(VisitingDaysReport(Actor(Role.ADMIN)))).body["month"] == "2025-03"
