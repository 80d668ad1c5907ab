"""Joint meetings every Monday and Thursday."""
from __future__ import annotations

from datetime import date

from infra.services.insight import next_meeting, previous_meeting


def test_previous_meeting_is_strictly_before_today() -> None:
    assert previous_meeting(date(2026, 11, 26)) == date(2026, 11, 23)  # Thursday → Monday
    assert previous_meeting(date(2026, 11, 29)) == date(2026, 11, 26)  # Sunday → Thursday
    assert previous_meeting(date(2026, 11, 30)) == date(2026, 11, 26)  # Monday → Thursday


def test_next_meeting_is_today_on_a_meeting_day() -> None:
    assert next_meeting(date(2026, 11, 30)) == date(2026, 11, 30)
    assert next_meeting(date(2026, 12, 1)) == date(2026, 12, 3)
