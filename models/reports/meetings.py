"""The township's joint meetings (联席会议), every Monday and Thursday in Beijing time
(DOMAIN "Meetings and reports"), and the window a meeting report covers.

A Monday or Thursday that is an official holiday has no meeting (the township is off): the
next report's window then spans the holiday, so nothing falls between two reports. A
make-up working weekend (调休) is no meeting day either: meetings follow the weekday.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models import workcalendar as wc
from models.errors import DomainError
from models.reports.periods import midnight

MONDAY, THURSDAY = 0, 3
_SEARCH_DAYS = 62  # longer than any holiday run: a search that finds nothing is a bad rhythm


@dataclass(frozen=True)
class MeetingRhythm:
    weekdays: tuple[int, ...] = (MONDAY, THURSDAY)
    skip_holidays: bool = True

    def is_meeting_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and (not self.skip_holidays or wc.is_working_day(day))

    def previous_meeting_day(self, moment: datetime) -> date:
        """The last meeting day strictly before the moment's Beijing date."""
        return self._walk(wc.local_date(moment) - timedelta(days=1), -1)

    def next_meeting_day(self, moment: datetime) -> date:
        """The meeting a report made at `moment` serves: today if a meeting is held today,
        else the next meeting day."""
        return self._walk(wc.local_date(moment), 1)

    def meeting_after(self, day: date) -> date:
        return self._walk(day + timedelta(days=1), 1)

    def _walk(self, day: date, step: int) -> date:
        for _ in range(_SEARCH_DAYS):
            if self.is_meeting_day(day):
                return day
            day += timedelta(days=step)
        raise DomainError(f"no meeting day within {_SEARCH_DAYS} days of {day.isoformat()}",
                          code="report.no_meeting_day", params={"day": day.isoformat()})


DEFAULT_RHYTHM = MeetingRhythm()


@dataclass(frozen=True)
class MeetingWindow:
    """What a meeting report covers: [since, until), for the meeting on `meeting_day`; cases
    falling due before the following meeting (`due_horizon`) are listed for attention."""
    since: datetime
    until: datetime
    meeting_day: date
    next_meeting_day: date

    @property
    def due_horizon(self) -> datetime:
        return midnight(self.next_meeting_day)

    def contains(self, moment: datetime) -> bool:
        return self.since <= moment < self.until


def meeting_window(now: datetime, since: datetime | None = None, until: datetime | None = None,
                   rhythm: MeetingRhythm = DEFAULT_RHYTHM) -> MeetingWindow:
    """By default since the start of the previous meeting day until now."""
    end = wc.to_local(until or now)  # refuses a naive time with a readable error
    start = wc.to_local(since) if since is not None else midnight(rhythm.previous_meeting_day(end))
    if start >= end:
        raise DomainError(f"a report window must start before it ends: {start.isoformat()} is not before "
                          f"{end.isoformat()}", code="report.bad_window",
                          params={"since": start.isoformat(), "until": end.isoformat()})
    meeting = rhythm.next_meeting_day(end)
    return MeetingWindow(start, end, meeting, rhythm.meeting_after(meeting))
