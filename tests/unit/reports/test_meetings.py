"""Monday/Thursday joint meetings in Beijing time, holidays skipped, and the report window."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings

from models.errors import DomainError
from models.reports.meetings import DEFAULT_RHYTHM as R
from models.reports.meetings import MeetingRhythm, meeting_window
from tests.unit.factories import BEIJING
from tests.unit.strategies import aware_datetimes


def at(y, m, d, hour=10):
    return datetime(y, m, d, hour, tzinfo=BEIJING)


def test_previous_and_next_meeting_days_in_an_ordinary_week():
    tuesday = at(2025, 3, 11)
    assert R.previous_meeting_day(tuesday) == date(2025, 3, 10)
    assert R.next_meeting_day(tuesday) == date(2025, 3, 13)
    monday = at(2025, 3, 17)
    assert R.previous_meeting_day(monday) == date(2025, 3, 13)  # strictly before: last Thursday
    assert R.next_meeting_day(monday) == date(2025, 3, 17)      # the meeting held today


def test_the_day_is_the_beijing_day():
    sunday_evening_utc = datetime(2025, 3, 16, 17, 0, tzinfo=timezone.utc)  # Monday 01:00 in Beijing
    assert R.next_meeting_day(sunday_evening_utc) == date(2025, 3, 17)


def test_meetings_on_holidays_are_skipped_and_the_window_spans_the_holiday():
    # Spring Festival 2025: 28 January – 4 February off; Thursday 30 Jan and Monday 3 Feb have no meeting.
    after_holiday = at(2025, 2, 5)
    assert R.previous_meeting_day(after_holiday) == date(2025, 1, 27)
    assert R.next_meeting_day(after_holiday) == date(2025, 2, 6)
    window = meeting_window(after_holiday)
    assert window.since.isoformat() == "2025-01-27T00:00:00+08:00"
    assert (window.meeting_day, window.next_meeting_day) == (date(2025, 2, 6), date(2025, 2, 10))


def test_a_rhythm_that_keeps_holiday_meetings():
    assert MeetingRhythm(skip_holidays=False).next_meeting_day(at(2025, 1, 29)) == date(2025, 1, 30)


def test_the_default_window_runs_from_the_previous_meeting_day_until_now():
    monday_morning = at(2025, 3, 17, 8)
    window = meeting_window(monday_morning)
    assert window.since.isoformat() == "2025-03-13T00:00:00+08:00"
    assert window.until == monday_morning
    assert window.due_horizon.isoformat() == "2025-03-20T00:00:00+08:00"  # before Thursday's meeting


def test_an_explicit_window_must_start_before_it_ends():
    with pytest.raises(DomainError) as refused:
        meeting_window(at(2025, 3, 17), since=at(2025, 3, 17), until=at(2025, 3, 16))
    assert refused.value.code == "report.bad_window"


@settings(deadline=None)  # the assertions are about results, never about time
@given(aware_datetimes(2005, 2034))
def test_every_moment_lies_between_its_previous_and_next_meeting(moment):
    day = moment.astimezone(BEIJING).date()
    previous, following = R.previous_meeting_day(moment), R.next_meeting_day(moment)
    assert previous < day <= following
    assert R.is_meeting_day(previous) and R.is_meeting_day(following)
    assert all(not R.is_meeting_day(previous + timedelta(days=n)) for n in range(1, (day - previous).days))
