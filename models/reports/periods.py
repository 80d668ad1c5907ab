"""Reporting periods: a month (YYYY-MM), a diary period of two months (YYYY-Bn), a quarter
(YYYY-Qn) and a year (YYYY), each a run of Beijing-time days.

Reports judge people by Beijing calendar days, so a period's bounds are midnight in
Asia/Shanghai: [start, end) as aware datetimes, with the days from `first_day` to
`last_day` inclusive.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models import workcalendar as wc
from models.errors import DomainError

MONTH, DIARY, QUARTER, YEAR = "month", "diary", "quarter", "year"
_FORMATS = {MONTH: "YYYY-MM", DIARY: "YYYY-Bn (n = 1..6: January–February … November–December)",
            QUARTER: "YYYY-Qn", YEAR: "YYYY"}


@dataclass(frozen=True, order=True)
class Period:
    first_day: date
    last_day: date  # inclusive
    kind: str
    key: str

    @property
    def start(self) -> datetime:
        return midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return midnight(self.last_day + timedelta(days=1))

    def contains(self, moment: datetime) -> bool:
        return self.first_day <= wc.local_date(moment) <= self.last_day

    def days(self) -> Iterator[date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += timedelta(days=1)

    def months(self) -> tuple["Period", ...]:
        first = self.first_day.year * 12 + self.first_day.month - 1
        last = self.last_day.year * 12 + self.last_day.month - 1
        return tuple(month_of_index(i) for i in range(first, last + 1))

    def __str__(self) -> str:
        return self.key


def midnight(day: date) -> datetime:
    """The start of a Beijing day."""
    return datetime.combine(day, time(0), wc.SHANGHAI)


def month_of_index(index: int) -> Period:
    year, month0 = divmod(index, 12)
    return _months(year, month0 + 1, 1, MONTH, f"{year:04d}-{month0 + 1:02d}")


# The years a report may cover: Beijing time as the statutory calendar knows it.
FIRST_YEAR, LAST_YEAR = 1950, 2200


def month(key: str) -> Period:
    found = re.fullmatch(r"(\d{4})-(\d{2})", key.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise _bad(key, MONTH)
    return month_of_index(int(found[1]) * 12 + int(found[2]) - 1)


def diary_period(key: str) -> Period:
    found = re.fullmatch(r"(\d{4})-B([1-6])", key.strip().upper())
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise _bad(key, DIARY)
    year, n = int(found[1]), int(found[2])
    return _months(year, 2 * n - 1, 2, DIARY, f"{year:04d}-B{n}")


def quarter(key: str) -> Period:
    found = re.fullmatch(r"(\d{4})-Q([1-4])", key.strip().upper())
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise _bad(key, QUARTER)
    year, n = int(found[1]), int(found[2])
    return _months(year, 3 * n - 2, 3, QUARTER, f"{year:04d}-Q{n}")


def year(key: str) -> Period:
    if not re.fullmatch(r"\d{4}", key.strip()) or not FIRST_YEAR <= int(key) <= LAST_YEAR:
        raise _bad(key, YEAR)
    return _months(int(key), 1, 12, YEAR, key.strip())


def assessment_period(key: str) -> Period:
    """A quarter (YYYY-Qn) or a year (YYYY): the periods villages are assessed over."""
    if re.fullmatch(r"\d{4}", key.strip()):
        return year(key)
    if re.fullmatch(r"\d{4}-[Qq]\d", key.strip()):
        return quarter(key)
    raise DomainError(f"period {key!r} is neither a quarter (YYYY-Qn) nor a year (YYYY)",
                      code="report.bad_period", params={"period": key, "expected": "YYYY-Qn | YYYY"})


def month_of(moment: datetime) -> Period:
    day = wc.local_date(moment)
    return month_of_index(day.year * 12 + day.month - 1)


def diary_period_of(moment: datetime) -> Period:
    day = wc.local_date(moment)
    return diary_period(f"{day.year:04d}-B{(day.month + 1) // 2}")


def previous_month(period: Period) -> Period:
    return month_of_index(period.first_day.year * 12 + period.first_day.month - 2)


def diary_periods_ending_in(period: Period) -> tuple[Period, ...]:
    """The two-month diary periods whose last day falls in `period` (a quarter or a year):
    those are the summaries the period's assessment counts."""
    keys = {f"{m.first_day.year:04d}-B{(m.first_day.month + 1) // 2}" for m in period.months()}
    return tuple(p for p in sorted(diary_period(k) for k in keys) if period.first_day <= p.last_day <= period.last_day)


def _months(year_: int, first_month: int, count: int, kind: str, key: str) -> Period:
    first = date(year_, first_month, 1)
    after = date(year_ + (first_month + count - 1) // 12, (first_month + count - 1) % 12 + 1, 1)
    return Period(first, after - timedelta(days=1), kind, key)


def _bad(key: str, kind: str) -> DomainError:
    return DomainError(f"period {key!r} is not a {kind} period: expected {_FORMATS[kind]}",
                       code="report.bad_period", params={"period": key, "expected": _FORMATS[kind]})
