"""Realistic report values for the export tests, built through the domain's own rules."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from infra.exports.report_documents import names_from
from models.rates import Rate, ThreeRates
from models.reports import diary_summary as ds
from models.reports import supervision as sv
from models.reports.assessment import VillageFacts, assess
from models.reports.meeting_report import assemble_meeting_report
from models.reports.meetings import meeting_window
from models.reports.periods import diary_period, month, quarter
from models.reports.records import CaseLine, DiaryLine, WarningLine
from models.reports.topics import month_topics
from models.reports.visiting import two_committee_members, visiting_days
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
NAMES = names_from(ROSTER)
V1, V2, V3 = village_code(1), village_code(2), village_code(3)
NOW = datetime(2025, 3, 13, 8, tzinfo=BEIJING)
MONDAY = datetime(2025, 3, 10, 9, tzinfo=BEIJING)


def case(cid, village, category, summary, at, due=None, level=0, status="assigned"):
    return CaseLine(cid, f"MQ{cid.upper()}", village, category, "hotline", summary, status, at, f"v{village[-1]}-dir",
                    due, level)


CASES = [
    case("a1", V1, "water", "村里自来水停水三天了，老人喝不上水", MONDAY + timedelta(hours=2)),
    case("a2", V2, "water", "自来水停水，家里没水做饭", MONDAY + timedelta(hours=5), due=NOW + timedelta(days=2)),
    case("a3", V3, "roads", "路灯坏了晚上出行不安全", MONDAY + timedelta(days=1)),
    case("o1", V1, "land", "征地补偿款迟迟没有发放", MONDAY - timedelta(days=20), due=NOW - timedelta(days=3), level=2),
    case("o2", V2, "dispute", "邻里宅基地纠纷", MONDAY - timedelta(days=9), due=NOW - timedelta(hours=5), level=1),
]
DIARY = [
    DiaryLine("d1", "v1-ddir", V1, "roads", "张家", MONDAY + timedelta(days=1), problems="村口道路坑洼",
              resolved_on_spot=True, resolution="组织村民填平", case_id="cd1", case_status="resolved"),
    DiaryLine("d2", "v1-m1", V1, "elderly", "李家", MONDAY + timedelta(days=1, hours=3),
              difficulties="独居老人无人照看",
              case_id="cd2", tracking_code="MQCD2", case_status="assigned"),
]
WARNINGS = [WarningLine("w1", V2, "water", 5, MONDAY + timedelta(hours=6), "t-l2")]


def meeting_report():
    decided = sv.record_decision("s1", "排查全镇供水管网", "t-l2", date(2025, 3, 12), assigned_by="t-sec", at=MONDAY,
                                 roster=ROSTER, village_code=V2, meeting_day=MONDAY.date())
    return assemble_meeting_report(meeting_window(NOW), village_codes=[V1, V2, V3], cases=CASES, diary=DIARY,
                                   warnings=WARNINGS, supervision=[decided])


def visiting_rows():
    entries = [DiaryLine(f"v{d}", "v1-ddir", V1, "roads", f"户{d}", datetime(2025, 3, d, 9, tzinfo=BEIJING),
                         problems="x") for d in range(1, 9)]
    return visiting_days(month("2025-03"), two_committee_members(ROSTER), entries)


def assessment():
    rates = ThreeRates(Rate(9, 10), Rate(7, 8), Rate(6, 8))
    quarter_months = ("2025-01", "2025-02", "2025-03")
    facts = [VillageFacts(V1, rates, 10, 1, 0, visiting_rows()[:2], (ds.ON_TIME,), 2, 3, quarter_months),
             VillageFacts(V2, ThreeRates(Rate(5, 10), Rate(3, 8), Rate(2, 8)), 10, 5, 3, (), (ds.MISSING,), 0, 0,
                          quarter_months, ("2025-02",))]
    return assess(quarter("2025-Q1"), facts)


def topics():
    return month_topics(month("2025-03"), CASES[:3] + [case("a4", V3, "water", "停水好几天了", MONDAY)],
                        labels=NAMES.categories)


def diary_digest():
    return ds.digest_diaries(V1, diary_period("2025-B2"), DIARY)
