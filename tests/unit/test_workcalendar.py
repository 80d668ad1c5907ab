"""The working-day calendar past 2026: the law from python-holidays, imported official
schedules replacing the provisional year, local holidays on top, and recomputed deadlines."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import workcalendar as wc
from models.case_actions import Accept
from models.clock import deadlines_provisional, recompute_deadlines
from models.deadlines import DeadlinePolicy, deadlines_for_new_case
from models.errors import CalendarError
from models.escalation import EscalationPolicy, levels_due
from models.registration import NewCase, register
from models.routing import RoutingRequest
from models.workcalendar import LIBRARY_CALENDAR, Schedule, WorkCalendar
from tests.unit.factories import BEIJING, build_roster, village_code

DEC_30 = datetime(2026, 12, 30, 10, 0, tzinfo=BEIJING)
MONDAY_TO_FRIDAY_2027 = Schedule(2027, "official", "test: no holidays at all")
ROSTER = build_roster()


def test_fifteen_working_days_from_30_december_2026_follow_the_law_into_2027():
    assert LIBRARY_CALENDAR.add_working_days(DEC_30, 15).date() == date(2027, 1, 21)
    weekends_only = WorkCalendar().with_schedule(MONDAY_TO_FRIDAY_2027)
    assert weekends_only.add_working_days(DEC_30, 15).date() == date(2027, 1, 20)


@pytest.mark.parametrize("day", [date(2027, 1, 1), date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9),
                                 date(2027, 2, 10), date(2027, 4, 5), date(2027, 5, 3), date(2027, 5, 4),
                                 date(2027, 6, 9), date(2027, 9, 15), date(2027, 10, 4), date(2027, 10, 5)])
def test_2027_holidays_from_the_2024_law_alone(day):
    # New Year 1; Spring Festival 4 from the eve (Fri 5 Feb) with the weekend made up on 9 and 10 Feb;
    # Qingming; Labour Day 1–2 May (a weekend) made up on 3–4 May; Dragon Boat; Mid-Autumn; National
    # Day 1–3 Oct (Fri–Sun) made up on 4–5 Oct
    assert not wc.is_working_day(day)
    assert day.weekday() < 5


def test_2027_is_provisional_and_says_where_each_day_came_from():
    assert LIBRARY_CALENDAR.provisional(2027) and not LIBRARY_CALENDAR.provisional(2026)
    days = {d.day: d for d in LIBRARY_CALENDAR.days(2027)}
    assert days[date(2027, 1, 1)].source == "statutory" and not days[date(2027, 1, 1)].working
    assert {d.source for d in LIBRARY_CALENDAR.days(2026)} == {"library"}
    assert days.get(date(2027, 1, 2)) is None  # a Saturday off is the default: not listed
    assert wc.is_working_day(date(2025, 10, 11))  # 2025's make-up Saturday (library)


def test_an_imported_official_schedule_replaces_the_provisional_year():
    official = Schedule.from_contract({
        "year": 2027, "kind": "official", "source": "国办发明电〔2026〕1号",
        "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"],
        "workdays": ["2027-02-20"]})
    calendar = LIBRARY_CALENDAR.with_schedule(official)
    assert not calendar.provisional(2027)
    assert not calendar.is_working_day(date(2027, 2, 11)) and calendar.is_working_day(date(2027, 2, 20))
    assert calendar.is_working_day(date(2027, 6, 9))  # the official notice, not the law's estimate, decides
    assert {d.source for d in calendar.days(2027)} == {"official"}
    assert LIBRARY_CALENDAR.provisional(2027)  # values: the library calendar is unchanged
    assert calendar.without_schedule(2027, "official") == LIBRARY_CALENDAR


def test_local_holidays_add_to_the_national_schedule():
    local = Schedule(2027, "local", "county fair", frozenset({date(2027, 3, 3), date(2027, 1, 1)}))
    calendar = LIBRARY_CALENDAR.with_schedule(local)
    days = {d.day: d for d in calendar.days(2027)}
    assert (days[date(2027, 3, 3)].source, days[date(2027, 3, 3)].working) == ("local", False)
    assert days[date(2027, 1, 1)].source == "statutory"  # already a national holiday
    assert calendar.provisional(2027)  # local days are no official schedule
    again = calendar.with_schedule(Schedule(2027, "local", "fair moved", frozenset({date(2027, 3, 4)})))
    assert again.is_working_day(date(2027, 3, 3)) and not again.is_working_day(date(2027, 3, 4))


@pytest.mark.parametrize(("data", "code"), [
    ({"year": 2027, "kind": "regional", "source": "x"}, "calendar.unknown_kind"),
    ({"year": 2027, "kind": "official", "source": "x", "holidays": ["2027-13-01"]}, "calendar.bad_date"),
    ({"year": 2027, "kind": "official", "source": "x", "holidays": ["2030-01-01"]}, "calendar.day_outside_year"),
    ({"year": 2027, "kind": "local", "source": "x", "holidays": ["2026-12-31"]}, "calendar.day_outside_year"),
    ({"year": 2027, "kind": "official", "source": "x", "holidays": ["2027-01-04"], "workdays": ["2027-01-04"]},
     "calendar.day_twice"),
    ({"kind": "official"}, "calendar.malformed"),
])
def test_a_malformed_schedule_is_refused_with_a_code(data, code):
    with pytest.raises(CalendarError) as refused:
        Schedule.from_contract(data)
    assert refused.value.code == code


def test_a_neighbouring_years_official_notice_may_move_a_december_weekend():
    notice = Schedule(2028, "official", "2028 notice", workdays=frozenset({date(2027, 12, 25)}))
    calendar = LIBRARY_CALENDAR.with_schedule(notice)
    assert calendar.is_working_day(date(2027, 12, 25)) and calendar.provisional(2027)


def test_the_policy_and_the_escalation_policy_carry_the_calendar():
    calendar = LIBRARY_CALENDAR.with_schedule(MONDAY_TO_FRIDAY_2027)
    due = deadlines_for_new_case("hotline", "complaint", "normal", DEC_30, DeadlinePolicy(calendar=calendar))
    assert due["handling"].date() == date(2027, 1, 20)
    assert deadlines_for_new_case("hotline", "complaint", "normal", DEC_30)["handling"].date() == date(2027, 1, 21)
    new_year_eve = datetime(2026, 12, 31, 10, 0, tzinfo=BEIJING)
    # one working day of grace from 31 Dec: 1 Jan counts only on the Monday-to-Friday calendar
    at = datetime(2027, 1, 1, 12, 0, tzinfo=BEIJING)
    assert levels_due(new_year_eve, at, EscalationPolicy(calendar=calendar)) == 2
    assert levels_due(new_year_eve, at) == 1


def _complaint(occurred: datetime = DEC_30):
    request = RoutingRequest("hotline", village_code(1), "water", "v1-dir")
    return register(NewCase("c1", "e1", request, "complaint", "normal", occurred), ROSTER, occurred)


def test_an_official_schedule_recomputes_the_running_deadlines_and_records_why():
    case = _complaint()
    assert case.deadlines["handling"].date() == date(2027, 1, 21) and deadlines_provisional(case)
    official = LIBRARY_CALENDAR.with_schedule(Schedule(2027, "official", "notice", frozenset({
        date(2027, 1, 1), date(2027, 1, 4)})))
    policy = DeadlinePolicy(calendar=official)
    at = DEC_30 + timedelta(hours=2)

    moved = recompute_deadlines(case, policy, at, "official 2027 schedule imported")

    assert moved.deadlines["handling"].date() == date(2027, 1, 22)
    assert moved.deadlines["first_contact"] == case.deadlines["first_contact"]  # 31 Dec either way
    event = moved.events[-1]
    assert (event.type, event.at, event.data["reason"]) == ("deadlines_recomputed", at, "official 2027 schedule imported")
    assert event.data["changes"] == {"handling": {"from": case.deadlines["handling"].isoformat(),
                                                  "to": moved.deadlines["handling"].isoformat()}}
    assert not deadlines_provisional(moved, official)
    assert recompute_deadlines(moved, policy, at, "again") is moved  # nothing moves, nothing recorded


def test_recomputing_keeps_extensions_pauses_and_the_actual_acceptance():
    from models.oversight import Extend, Pause, Resume
    case = _complaint().apply(Accept("v1-dir"), DEC_30 + timedelta(hours=1), ROSTER)
    case = case.apply(Extend(5, "waiting for the water bureau", "t-l1"), DEC_30 + timedelta(hours=2), ROSTER)
    case = case.apply(Pause("survey", "t-l1"), DEC_30 + timedelta(hours=3), ROSTER)
    case = case.apply(Resume(), DEC_30 + timedelta(hours=3, days=2), ROSTER)
    before = case.deadlines["handling"]
    assert before == datetime(2027, 1, 21, 10, 0, tzinfo=BEIJING) + timedelta(days=7)
    official = LIBRARY_CALENDAR.with_schedule(Schedule(2027, "official", "notice", frozenset({
        date(2027, 1, 1), date(2027, 1, 4)})))
    moved = recompute_deadlines(case, DeadlinePolicy(calendar=official), DEC_30 + timedelta(days=3), "notice")
    assert moved.deadlines["handling"] == before + timedelta(days=1)


def test_a_closed_case_is_never_recomputed_and_old_cases_without_bases_are_left_alone():
    from dataclasses import replace
    case = _complaint()
    official = DeadlinePolicy(calendar=LIBRARY_CALENDAR.with_schedule(MONDAY_TO_FRIDAY_2027))
    assert recompute_deadlines(replace(case, deadline_basis={}), official, DEC_30, "x") == replace(case, deadline_basis={})
    from models.lifecycle import CaseStatus
    closed = replace(case, status=CaseStatus.CLOSED)
    assert recompute_deadlines(closed, official, DEC_30, "x") is closed


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2031, 12, 31)), st.integers(0, 60),
       st.lists(st.dates(date(2026, 6, 1), date(2028, 6, 1)), max_size=6),
       st.lists(st.dates(date(2027, 1, 1), date(2027, 12, 31)), max_size=6))
def test_bisecting_precomputed_years_counts_like_walking_day_by_day(start, count, holidays, local):
    official = Schedule(2027, "official", "t", frozenset(d for d in holidays if abs(d.year - 2027) <= 1))
    calendar = WorkCalendar().with_schedule(official).with_schedule(
        Schedule(2027, "local", "t", frozenset(local) - official.holidays))
    found = calendar.nth_working_day_after(start, count)
    day, counted = start, 0
    while counted < count:
        day += timedelta(days=1)
        counted += calendar.is_working_day(day)
    assert found == day
    assert calendar.working_days_between(start, found) == count


def test_a_case_stored_before_bases_were_kept_gets_them_back_from_its_history_and_is_recomputed():
    from dataclasses import replace

    from models.deadline_history import basis_from_history
    from models.oversight import Extend
    old_calendar = DeadlinePolicy(calendar=WorkCalendar().with_schedule(MONDAY_TO_FRIDAY_2027))
    request = RoutingRequest("hotline", village_code(1), "water", "v1-dir")
    case = register(NewCase("c1", "e1", request, "complaint", "normal", DEC_30), ROSTER, DEC_30, old_calendar)
    case = case.apply(Accept("v1-dir"), DEC_30 + timedelta(hours=1), ROSTER, old_calendar)
    case = case.apply(Extend(3, "bureau", "t-l1"), DEC_30 + timedelta(hours=2), ROSTER, old_calendar)
    stored = replace(case, deadline_basis={})  # as cases were stored before
    assert stored.deadlines["handling"].date() == date(2027, 1, 23)  # 20 Jan (Monday to Friday) + 3 days

    rebuilt = basis_from_history(stored, DeadlinePolicy())
    moved = recompute_deadlines(rebuilt, DeadlinePolicy(), DEC_30 + timedelta(days=1), "2027 follows the law")

    assert moved.deadlines["handling"].date() == date(2027, 1, 24)  # 21 Jan (New Year's Day off) + 3 days
    assert basis_from_history(replace(stored, base_version=5), DeadlinePolicy()).deadline_basis == {}
