"""China's working-day calendar (official holidays and make-up working weekends, 调休).

`chinese_calendar` only knows the years the State Council has published; outside them we
fall back to "Monday to Friday" and say so, because a deadline must still be computed and
a leader must be able to see it is provisional.
"""
from __future__ import annotations


from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from models.errors import DeadlineError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def is_official(day: date) -> bool:
    """True when the published official schedule covers `day` (no fallback needed)."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)  # the schedule is fixed data: a date's answer never changes
def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def local_date(moment: datetime) -> date:
    """The date in China for an aware moment: working days are Beijing-time days."""
    return to_local(moment).date()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError(f"time {moment.isoformat()} has no UTC offset; statutory clocks need one")
    return moment.astimezone(SHANGHAI)


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same Beijing clock time on the `days`-th working day after `moment`'s date.

    Counting starts the day after the event (the event day itself never counts, even when
    it is a working day), so a deadline always lies on a working day strictly later.
    Returned in `moment`'s own time zone.
    """
    if days < 0:
        raise DeadlineError(f"cannot add {days} working days")
    local = to_local(moment)
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        counted += is_working_day(day)
    due = datetime.combine(day, local.timetz()).replace(tzinfo=SHANGHAI)
    return due.astimezone(moment.tzinfo)


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def uses_fallback(start: datetime, end: datetime) -> bool:
    """True when any Beijing date from start to end lies outside the official schedule."""
    first, last = local_date(start), local_date(end)
    return not (is_official(first) and is_official(last))
