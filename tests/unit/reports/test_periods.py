"""Reporting periods are runs of Beijing days with readable refusals of malformed keys."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings

from models.errors import DomainError
from models.reports import periods as P
from tests.unit.strategies import aware_datetimes


def test_a_month_runs_from_beijing_midnight_to_beijing_midnight():
    feb = P.month("2024-02")
    assert (feb.first_day, feb.last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert feb.start.isoformat() == "2024-02-01T00:00:00+08:00"
    assert feb.end.isoformat() == "2024-03-01T00:00:00+08:00"


def test_a_moment_belongs_to_its_beijing_day_not_its_utc_day():
    late_january_utc = datetime(2025, 1, 31, 17, 0, tzinfo=timezone.utc)  # 1 February, 01:00 in Beijing
    assert P.month_of(late_january_utc).key == "2025-02"
    assert not P.month("2025-01").contains(late_january_utc)


def test_quarters_years_and_diary_periods():
    assert (P.quarter("2025-q4").first_day, P.quarter("2025-Q4").last_day) == (date(2025, 10, 1), date(2025, 12, 31))
    assert [m.key for m in P.quarter("2025-Q1").months()] == ["2025-01", "2025-02", "2025-03"]
    assert len(P.year("2025").months()) == 12
    b6 = P.diary_period("2025-B6")
    assert (b6.first_day, b6.last_day) == (date(2025, 11, 1), date(2025, 12, 31))
    assert P.assessment_period("2025").kind == P.YEAR and P.assessment_period("2025-Q2").kind == P.QUARTER


def test_previous_month_crosses_the_year():
    assert P.previous_month(P.month("2025-01")).key == "2024-12"


def test_diary_summaries_count_in_the_quarter_their_period_ends_in():
    assert [p.key for p in P.diary_periods_ending_in(P.quarter("2025-Q1"))] == ["2025-B1"]
    assert [p.key for p in P.diary_periods_ending_in(P.quarter("2025-Q2"))] == ["2025-B2", "2025-B3"]
    assert [p.key for p in P.diary_periods_ending_in(P.year("2025"))] == [f"2025-B{n}" for n in range(1, 7)]


@pytest.mark.parametrize("parse, key", [(P.month, "2025-13"), (P.month, "2025-1"), (P.quarter, "2025-Q5"),
                                        (P.diary_period, "2025-B7"), (P.assessment_period, "2025-03")])
def test_malformed_keys_are_refused_with_a_code(parse, key):
    with pytest.raises(DomainError) as refused:
        parse(key)
    assert refused.value.code == "report.bad_period" and refused.value.params["period"] == key


@settings(deadline=None)  # the assertions are about results, never about time
@given(aware_datetimes(2005, 2034))
def test_every_moment_lies_in_exactly_its_month_and_diary_period(moment):
    month, diary = P.month_of(moment), P.diary_period_of(moment)
    assert month.start <= moment < month.end and diary.start <= moment < diary.end
    assert P.previous_month(month).end == month.start
    assert month.first_day - timedelta(days=1) == P.previous_month(month).last_day
