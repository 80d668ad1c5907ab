"""Deadlines (限期办结) on China's working-day calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from models import workcalendar as wc
from models.categories import DEFAULT_CATALOGUE
from models.deadlines import (DEFAULT_POLICY, DeadlinePolicy, Limit, conclusion_due, deadlines_for_new_case,
                              objection_due, uses_fallback_calendar)
from models.errors import DeadlineError
from tests.unit.factories import BEIJING, TUESDAY_10AM

NATIONAL_DAY_EVE = datetime(2025, 9, 30, 10, 0, tzinfo=BEIJING)


def test_make_up_weekend_counts_and_national_day_does_not():
    assert wc.is_working_day(date(2025, 10, 11))  # Saturday 调休
    assert not wc.is_working_day(date(2025, 10, 1))
    # Oct 1–8 off, Oct 9, 10, 11 (Sat, make-up) working
    assert wc.add_working_days(NATIONAL_DAY_EVE, 3).date() == date(2025, 10, 11)


def test_years_outside_the_official_schedule_fall_back_to_weekends_and_say_so():
    far = datetime(2031, 1, 3, 9, 0, tzinfo=BEIJING)  # a Friday
    assert not wc.is_official(far.date())
    assert wc.add_working_days(far, 1).date() == date(2031, 1, 6)
    deadlines = deadlines_for_new_case("hotline", "consult", "normal", far)
    assert uses_fallback_calendar(far, deadlines)
    assert not uses_fallback_calendar(TUESDAY_10AM, deadlines_for_new_case("hotline", "consult", "normal", TUESDAY_10AM))


@pytest.mark.parametrize(("kind", "days"), [("consult", 2), ("help", 10), ("suggestion", 10),
                                            ("complaint", 15), ("report", 15)])
def test_hotline_handling_by_kind(kind, days):
    due = deadlines_for_new_case("hotline", kind, "normal", TUESDAY_10AM)["handling"]
    assert due == wc.add_working_days(TUESDAY_10AM, days)
    assert due > wc.add_working_days(TUESDAY_10AM, days - 1)


def test_first_contact_within_one_working_day_or_two_hours_when_urgent():
    normal = deadlines_for_new_case("hotline", "help", "normal", NATIONAL_DAY_EVE)
    urgent = deadlines_for_new_case("hotline", "help", "urgent", NATIONAL_DAY_EVE)
    assert normal["first_contact"].date() == date(2025, 10, 9)  # holidays don't count
    assert urgent["first_contact"] == NATIONAL_DAY_EVE + timedelta(hours=2)


def test_without_kind_the_category_limit_applies():
    land = deadlines_for_new_case("contactcard", None, "normal", TUESDAY_10AM, category="land")
    assert land["handling"] == wc.add_working_days(TUESDAY_10AM, DEFAULT_CATALOGUE.get("land").handling_working_days)


def test_catalogue_limits_are_overridable_data():
    policy = DeadlinePolicy(catalogue=DEFAULT_CATALOGUE.with_overrides({"land": {"handling_working_days": 3}}))
    due = deadlines_for_new_case("diary", None, "normal", TUESDAY_10AM, policy, category="land")["handling"]
    assert due == wc.add_working_days(TUESDAY_10AM, 3)


def test_diary_cases_have_no_first_contact_stage():
    assert set(deadlines_for_new_case("diary", None, "normal", TUESDAY_10AM)) == {"handling"}


def test_reception_acceptance_in_15_days_and_conclusion_60_days_after_acceptance():
    d = deadlines_for_new_case("reception", None, "normal", TUESDAY_10AM)
    assert d["acceptance"] == TUESDAY_10AM + timedelta(days=15)  # 2025-03-26, a Wednesday
    accepted = TUESDAY_10AM + timedelta(days=3)
    assert conclusion_due(accepted) == accepted + timedelta(days=60)  # 2025-05-13, a Tuesday


def test_a_calendar_period_ending_on_a_holiday_ends_on_the_next_working_day():
    start = datetime(2025, 9, 16, 10, 0, tzinfo=BEIJING)  # +15 days = Oct 1
    due = deadlines_for_new_case("reception", None, "normal", start)["acceptance"]
    assert due.date() == date(2025, 10, 9)
    unrolled = DeadlinePolicy(roll_off_holidays=False)
    assert deadlines_for_new_case("reception", None, "normal", start, unrolled)["acceptance"].date() == date(2025, 10, 1)


def test_objection_window_is_five_working_days():
    assert objection_due(NATIONAL_DAY_EVE).date() == date(2025, 10, 14)


def test_due_times_keep_the_event_time_zone():
    utc_event = TUESDAY_10AM.astimezone(timezone.utc)
    due = deadlines_for_new_case("hotline", "consult", "normal", utc_event)["handling"]
    assert due.tzinfo == timezone.utc
    assert due == deadlines_for_new_case("hotline", "consult", "normal", TUESDAY_10AM)["handling"]


def test_late_evening_utc_event_counts_from_its_beijing_date():
    # 2025-03-14 17:00 UTC is Saturday 01:00 in Beijing: Monday is the first working day
    event = datetime(2025, 3, 14, 17, 0, tzinfo=timezone.utc)
    assert wc.local_date(wc.add_working_days(event, 1)) == date(2025, 3, 17)


def test_naive_times_and_unknown_values_are_refused():
    with pytest.raises(DeadlineError, match="no UTC offset"):
        deadlines_for_new_case("hotline", "consult", "normal", datetime(2025, 3, 11, 10))
    with pytest.raises(DeadlineError, match="unknown kind 'gossip'"):
        deadlines_for_new_case("hotline", "gossip", "normal", TUESDAY_10AM)
    with pytest.raises(DeadlineError, match="unknown source"):
        deadlines_for_new_case("fax", None, "normal", TUESDAY_10AM)


def test_policy_is_data():
    policy = DeadlinePolicy(first_contact=Limit(3, "working_days"))
    due = deadlines_for_new_case("hotline", "complaint", "normal", TUESDAY_10AM, policy)["first_contact"]
    assert due == wc.add_working_days(TUESDAY_10AM, 3)
    assert DEFAULT_POLICY.max_extension_days == 30
