"""The township's joint meetings are held every Monday and Thursday (DOMAIN "Meetings and
reports"); a report covers what happened since the last one."""
from __future__ import annotations

from datetime import date, timedelta

MEETING_WEEKDAYS = (0, 3)  # Monday, Thursday


def previous_meeting(today: date) -> date:
    """The last meeting day strictly before today."""
    day = today - timedelta(days=1)
    while day.weekday() not in MEETING_WEEKDAYS:
        day -= timedelta(days=1)
    return day


def next_meeting(today: date) -> date:
    """Today when today is a meeting day, else the next one."""
    day = today
    while day.weekday() not in MEETING_WEEKDAYS:
        day += timedelta(days=1)
    return day
