"""The meeting report sorts plain records into what the Monday/Thursday meeting must see."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from models.reports import supervision as sv
from models.reports.meeting_report import assemble_meeting_report
from models.reports.meetings import meeting_window
from models.reports.records import CaseLine, DiaryLine, WarningLine
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
V1, V2, V3 = village_code(1), village_code(2), village_code(3)
THURSDAY_8AM = datetime(2025, 3, 13, 8, tzinfo=BEIJING)   # report for Thursday's meeting
WINDOW = meeting_window(THURSDAY_8AM)                       # since Monday 10 March 00:00


def case(cid, village=V1, category="water", at=datetime(2025, 3, 11, 9, tzinfo=BEIJING), status="assigned",
         due=None, level=0, source="hotline"):
    return CaseLine(cid, f"T{cid}", village, category, source, f"摘要{cid}", status, at, "v1-dir", due, level)


def entry(eid, village=V1, on_spot=False, at=datetime(2025, 3, 12, 15, tzinfo=BEIJING), category="roads"):
    return DiaryLine(eid, "v1-ddir", village, category, "张家", at, problems="路灯坏了", resolved_on_spot=on_spot,
                     resolution="已修" if on_spot else None, case_id=f"c-{eid}",
                     case_status="resolved" if on_spot else "assigned")


def build(**overrides):
    inputs = dict(village_codes=[V1, V2], cases=[], diary=[], warnings=[], supervision=[])
    inputs.update(overrides)
    return assemble_meeting_report(WINDOW, **inputs)


def test_new_cases_are_those_raised_in_the_window_by_village():
    report = build(cases=[case("a"), case("b", village=V2), case("old", at=datetime(2025, 3, 9, 23, tzinfo=BEIJING))])
    assert [c.case_id for c in report.new_cases] == ["a", "b"]
    by_village = [(v.village_code, [c.summary for c in v.new_cases]) for v in report.villages]
    assert by_village == [(V1, ["摘要a"]), (V2, ["摘要b"])]


def test_on_the_spot_resolutions_are_diary_not_new_work_but_count_in_the_categories():
    entries = [entry("e1", on_spot=True), entry("e2")]
    cases = [case("c-e1", category="roads", status="resolved", source="diary"),
             case("c-e2", category="roads", source="diary"), case("x", category="water")]
    report = build(cases=cases, diary=entries)
    assert [c.case_id for c in report.new_cases] == ["c-e2", "x"]
    assert report.totals["diary_entries"] == 2 and report.totals["resolved_on_spot"] == 1
    assert report.top_categories == (("roads", 2), ("water", 1))
    assert (report.villages[0].diary_entries, report.villages[0].resolved_on_spot) == (2, 1)


def test_overdue_due_before_next_meeting_and_escalated_are_about_open_cases_now():
    cases = [case("late", due=THURSDAY_8AM - timedelta(hours=1)),
             case("soon", due=datetime(2025, 3, 16, 12, tzinfo=BEIJING)),
             # due on Monday, the next meeting day: that meeting's report lists it
             case("after-next", due=datetime(2025, 3, 17, 0, tzinfo=BEIJING)),
             case("done-late", status="closed", due=THURSDAY_8AM - timedelta(days=1)),
             case("up", due=THURSDAY_8AM - timedelta(days=2), level=2)]
    report = build(cases=cases)
    assert [c.case_id for c in report.overdue] == ["up", "late"]
    assert [c.case_id for c in report.due_before_next] == ["soon"]
    assert [c.case_id for c in report.escalated] == ["up"]


def test_a_village_outside_the_list_still_shows_when_something_happened_there():
    report = build(cases=[case("z", village=V3)])
    assert [v.village_code for v in report.villages] == [V1, V2, V3]


def test_warnings_of_the_window_only():
    warnings = [WarningLine("w1", V1, "water", 5, datetime(2025, 3, 12, tzinfo=BEIJING)),
                WarningLine("w0", V1, "water", 5, datetime(2025, 3, 1, tzinfo=BEIJING))]
    report = build(warnings=warnings)
    assert [w.alert_id for w in report.warnings] == ["w1"] and report.villages[0].warnings == 1


def test_decisions_appear_until_closed_late_ones_first():
    monday = datetime(2025, 3, 10, 9, tzinfo=BEIJING)
    def record(iid, due, at=monday):
        return sv.record_decision(iid, f"事项{iid}", "t-l1", due, assigned_by="t-sec", at=at, roster=ROSTER,
                                  village_code=V1)

    late = record("late", date(2025, 3, 11))
    running = record("running", date(2025, 3, 20))
    done_before = sv.close(sv.report_done(record("old", date(2025, 3, 3), at=monday - timedelta(days=7)), "ok",
                                          actor="t-l1", at=monday - timedelta(days=6), roster=ROSTER),
                           actor="t-sec", at=monday - timedelta(days=6), roster=ROSTER)
    done_now = sv.close(sv.report_done(record("now", date(2025, 3, 20)), "ok", actor="t-l1", at=monday, roster=ROSTER),
                        actor="t-sec", at=monday + timedelta(hours=1), roster=ROSTER)
    later = record("future", date(2025, 3, 20), at=THURSDAY_8AM + timedelta(hours=2))
    lines = build(supervision=[running, done_before, done_now, late, later]).supervision
    assert [(line.item.item_id, line.overdue, line.closed_in_window) for line in lines] == [
        ("late", True, False), ("running", False, False), ("now", False, True)]
    assert all(line.recorded_in_window for line in lines)
