"""China's working-day calendar (official holidays and make-up working weekends, 调休).

A `WorkCalendar` is a value: the libraries' data plus the schedules an admin imported.
Each year is built once, in layers, and each day that differs from "Monday to Friday"
remembers where it came from:

1. `library`: a year whose State Council schedule a library carries — `chinese_calendar`
   (2004–2026) or, for other years, the `holidays` package where it lists that year's
   substitutions.
2. `statutory`: any other year the `holidays` package covers, computed from the law itself
   (全国年节及纪念日放假办法 as amended in 2024: New Year 1 day, Spring Festival 4 from New
   Year's Eve, Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3, a
   holiday on a weekend made up on the next working day). Such a year is *provisional*:
   the make-up weekends are only known once the State Council publishes them.
3. `official`: an imported official schedule replaces layers 1–2 for its year.
4. `local`: an imported local schedule adds its days on top of the national schedule.

`provisional(year)` is true when neither a library carries the year's published schedule
nor an official one was imported. Working-day arithmetic bisects each year's sorted working
days, so adding 15 working days costs a handful of operations. Module-level helpers work on
the library calendar (`LIBRARY_CALENDAR`) for callers that never swap calendars.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from holidays.countries.china import China

from models.errors import CalendarError, DeadlineError

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICIAL, LOCAL = "official", "local"
KINDS = (OFFICIAL, LOCAL)
LIBRARY, STATUTORY = "library", "statutory"
SOURCES = (LIBRARY, OFFICIAL, LOCAL, STATUTORY)
MIN_YEAR, MAX_YEAR = 1950, 2200


@dataclass(frozen=True)
class CalendarDay:
    """A day that is not what Monday-to-Friday would make it, and where that came from."""
    day: date
    working: bool
    source: str  # library | official | local | statutory
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "working": self.working, "source": self.source, "name": self.name}


@dataclass(frozen=True)
class Schedule:
    """An imported year (CONTRACT "Calendar"): the official schedule or the deployment's local days."""
    year: int
    kind: str  # official | local
    source: str
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise CalendarError.of("calendar.unknown_kind", kind=self.kind, expected=", ".join(KINDS))
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise CalendarError.of("calendar.year_out_of_range", year=self.year, first=MIN_YEAR, last=MAX_YEAR)
        for day in sorted(self.holidays | self.workdays):
            if abs(day.year - self.year) > 1 or (day.year != self.year and self.kind == LOCAL):
                raise CalendarError.of("calendar.day_outside_year", day=day.isoformat(), year=self.year, kind=self.kind)
        both = sorted(self.holidays & self.workdays)
        if both:
            raise CalendarError.of("calendar.day_twice", day=both[0].isoformat(), year=self.year)

    @classmethod
    def from_contract(cls, data: Mapping[str, Any]) -> Schedule:
        """`{"year", "kind", "source", "holidays": [...], "workdays": [...]}` with ISO dates."""
        try:
            year = int(data["year"])
            kind, source = str(data["kind"]), str(data.get("source") or "")
        except (KeyError, TypeError, ValueError) as error:
            raise CalendarError.of("calendar.malformed", error=repr(error)) from None
        return cls(year, kind, source, _dates(data.get("holidays", ()), "holidays"),
                   _dates(data.get("workdays", ()), "workdays"))

    def to_contract(self) -> dict[str, Any]:
        return {"year": self.year, "kind": self.kind, "source": self.source,
                "holidays": [d.isoformat() for d in sorted(self.holidays)],
                "workdays": [d.isoformat() for d in sorted(self.workdays)]}


def _dates(values: Iterable[Any], what: str) -> frozenset[date]:
    found = set()
    for index, value in enumerate(values):
        try:
            found.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise CalendarError.of("calendar.bad_date", field=f"{what}[{index}]", value=str(value)) from None
    return frozenset(found)


@dataclass(frozen=True)
class Year:
    """One year, precomputed: its non-default days and its working days as sorted ordinals."""
    year: int
    provisional: bool
    days: tuple[CalendarDay, ...]
    working_ordinals: tuple[int, ...]
    _working: frozenset[int] = field(repr=False, compare=False, default=frozenset())

    def is_working(self, day: date) -> bool:
        return day.toordinal() in self._working

    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({d.source for d in self.days}))


@dataclass(frozen=True)
class WorkCalendar:
    """The library calendar plus imported schedules, at most one per (year, kind).

    Immutable: `with_schedule` returns a new calendar, so a service can swap the one in use
    at runtime (e.g. in its deadline policy) without global state."""
    schedules: tuple[Schedule, ...] = ()
    _years: dict[int, Year] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    # --- imports ----------------------------------------------------------------------------
    def with_schedule(self, schedule: Schedule) -> WorkCalendar:
        """Import a schedule; it replaces an earlier import of the same year and kind."""
        rest = tuple(s for s in self.schedules if (s.year, s.kind) != (schedule.year, schedule.kind))
        return replace(self, schedules=rest + (schedule,))

    def without_schedule(self, year: int, kind: str) -> WorkCalendar:
        return replace(self, schedules=tuple(s for s in self.schedules if (s.year, s.kind) != (year, kind)))

    def schedule(self, year: int, kind: str) -> Schedule | None:
        return next((s for s in self.schedules if (s.year, s.kind) == (year, kind)), None)

    # --- questions --------------------------------------------------------------------------
    def year(self, year: int) -> Year:
        built = self._years.get(year)
        if built is None:
            built = self._years[year] = _build_year(year, self.schedules)
        return built

    def provisional(self, year: int) -> bool:
        """No official schedule: neither a library carries the year's published one nor was one imported."""
        return self.year(year).provisional

    def provisional_between(self, first: date, last: date) -> bool:
        return any(self.provisional(y) for y in range(min(first.year, last.year), max(first.year, last.year) + 1))

    def is_working_day(self, day: date) -> bool:
        return self.year(day.year).is_working(day)

    def days(self, year: int) -> tuple[CalendarDay, ...]:
        """Every non-default day of the year with where it came from."""
        return self.year(year).days

    def next_working_day_on_or_after(self, day: date) -> date:
        ordinal = day.toordinal()
        current = day.year
        while current <= MAX_YEAR + 1:
            ordinals = self.year(current).working_ordinals
            index = bisect_right(ordinals, ordinal - 1)
            if index < len(ordinals):
                return date.fromordinal(ordinals[index])
            current += 1
        raise DeadlineError.of("calendar.no_working_day", day=day.isoformat())

    def nth_working_day_after(self, day: date, count: int) -> date:
        """The `count`-th working day strictly after `day` (`day` itself never counts)."""
        if count < 0:
            raise DeadlineError.of("calendar.negative_working_days", days=count)
        if count == 0:
            return day
        ordinal, current = day.toordinal(), day.year
        while current <= MAX_YEAR + 1:
            ordinals = self.year(current).working_ordinals
            index = bisect_right(ordinals, ordinal)  # working days of this year after `ordinal`
            remaining = len(ordinals) - index
            if count <= remaining:
                return date.fromordinal(ordinals[index + count - 1])
            count -= remaining
            current += 1
        raise DeadlineError.of("calendar.no_working_day", day=day.isoformat())

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in (first, last]: how many `nth_working_day_after` would count."""
        if last <= first:
            return 0
        total = 0
        for current in range(first.year, last.year + 1):
            ordinals = self.year(current).working_ordinals
            total += bisect_right(ordinals, last.toordinal()) - bisect_right(ordinals, first.toordinal())
        return total

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The same Beijing clock time on the `days`-th working day after `moment`'s date.

        Counting starts the day after the event (the event day itself never counts, even when
        it is a working day), so a deadline always lies on a working day strictly later.
        Returned in `moment`'s own time zone."""
        if days < 0:
            raise DeadlineError.of("calendar.negative_working_days", days=days)
        local = to_local(moment)
        day = self.nth_working_day_after(local.date(), days)
        due = datetime.combine(day, local.timetz()).replace(tzinfo=SHANGHAI)
        return due.astimezone(moment.tzinfo)


# --- building a year ---------------------------------------------------------------------------

def _build_year(year: int, schedules: tuple[Schedule, ...]) -> Year:
    own = next((s for s in schedules if (s.year, s.kind) == (year, OFFICIAL)), None)
    if own is not None:  # an imported official schedule replaces the libraries' year
        layers: dict[date, CalendarDay] = {}
        provisional = False
    else:
        library = _library_year(year)
        layers, provisional = dict(library.days_by_date), library.provisional
    # A neighbouring year's notice may move a weekend of this one (e.g. late December);
    # this year's own notice is laid last so it wins.
    officials = sorted((s for s in schedules if s.kind == OFFICIAL), key=lambda s: s.year == year)
    for schedule in officials:
        _overlay(layers, schedule, year, OFFICIAL)
    for schedule in schedules:
        if schedule.kind == LOCAL:
            _overlay(layers, schedule, year, LOCAL, adds_only=True)
    return _year_of(year, provisional, layers)


def _overlay(layers: dict[date, CalendarDay], schedule: Schedule, year: int, source: str,
             adds_only: bool = False) -> None:
    for day in schedule.holidays:
        if day.year == year and not (adds_only and day in layers and not layers[day].working):
            layers[day] = CalendarDay(day, False, source, schedule.source)
    for day in schedule.workdays:
        if day.year == year and not (adds_only and day in layers and layers[day].working):
            layers[day] = CalendarDay(day, True, source, schedule.source)


def _year_of(year: int, provisional: bool, layers: Mapping[date, CalendarDay]) -> Year:
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    working = []
    for ordinal in range(first, last + 1):
        day = date.fromordinal(ordinal)
        marked = layers.get(day)
        if (marked.working if marked is not None else day.weekday() < 5):
            working.append(ordinal)
    days = tuple(sorted((d for d in layers.values() if d.working != (d.day.weekday() < 5)), key=lambda d: d.day))
    return Year(year, provisional, days, tuple(working), frozenset(working))


@dataclass(frozen=True)
class _LibraryYear:
    days_by_date: Mapping[date, CalendarDay]
    provisional: bool


@lru_cache(maxsize=512)  # library data is fixed for the process: build each year once
def _library_year(year: int) -> _LibraryYear:
    if _chinese_calendar_covers(year):
        return _LibraryYear(_from_chinese_calendar(year), provisional=False)
    return _from_holidays_package(year)


def _chinese_calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _from_chinese_calendar(year: int) -> dict[date, CalendarDay]:
    found = {}
    day = date(year, 1, 1)
    while day.year == year:
        working = bool(chinese_calendar.is_workday(day))
        if working != (day.weekday() < 5):
            _, name = chinese_calendar.get_holiday_detail(day)
            found[day] = CalendarDay(day, working, LIBRARY, str(name or ("make-up working day" if working else "")))
        day += timedelta(days=1)
    return found


def _from_holidays_package(year: int) -> _LibraryYear:
    """The law's holidays for `year`; the State Council's substitutions where the package has them.

    Neighbouring years are loaded too: a year's substitutions may fall in the one before."""
    china = China(years=range(year - 1, year + 2))  # type: ignore[no-untyped-call]  # the package's own signature
    published = year in china.special_public_holidays
    source = LIBRARY if published else STATUTORY
    found: dict[date, CalendarDay] = {}
    for day, name in china.items():
        if day.year == year:
            found[day] = CalendarDay(day, False, source, str(name))
    for day in china.weekend_workdays:
        if day.year == year:
            found[day] = CalendarDay(day, True, source, "make-up working day")
    # Outside the package's range nothing is known: weekends only, and provisional.
    return _LibraryYear(found, provisional=not published)


# --- module-level helpers on the library calendar ---------------------------------------------

LIBRARY_CALENDAR = WorkCalendar()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError.of("time.naive", time=moment.isoformat())
    return moment.astimezone(SHANGHAI)


def local_date(moment: datetime) -> date:
    """The date in China for an aware moment: working days are Beijing-time days."""
    return to_local(moment).date()


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or LIBRARY_CALENDAR).is_working_day(day)


def is_official(day: date, calendar: WorkCalendar | None = None) -> bool:
    """True when an official schedule (library or imported) covers `day`'s year."""
    return not (calendar or LIBRARY_CALENDAR).provisional(day.year)


def add_working_days(moment: datetime, days: int, calendar: WorkCalendar | None = None) -> datetime:
    return (calendar or LIBRARY_CALENDAR).add_working_days(moment, days)


def next_working_day_on_or_after(day: date, calendar: WorkCalendar | None = None) -> date:
    return (calendar or LIBRARY_CALENDAR).next_working_day_on_or_after(day)


def uses_fallback(start: datetime, end: datetime, calendar: WorkCalendar | None = None) -> bool:
    """True when any Beijing date from start to end lies in a provisional year."""
    return (calendar or LIBRARY_CALENDAR).provisional_between(local_date(start), local_date(end))
