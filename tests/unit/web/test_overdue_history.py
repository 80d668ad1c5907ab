"""Overdue at a moment, rebuilt from deadlines and the timeline."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from api.web.overdue_history import CaseClock, day_ends, overdue_at, overdue_series

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=CST)


def clock(*events: tuple[str, datetime], key: str = "v1") -> CaseClock:
    return CaseClock(key, T0, {"first_contact": T0 + timedelta(days=1), "handling": T0 + timedelta(days=10)},
                     tuple(events))


def test_before_acceptance_the_first_contact_deadline_runs() -> None:
    assert not overdue_at(clock(), T0 + timedelta(hours=20))
    assert overdue_at(clock(), T0 + timedelta(days=2))


def test_after_acceptance_the_handling_deadline_runs() -> None:
    accepted = clock(("accepted", T0 + timedelta(hours=2)))
    assert not overdue_at(accepted, T0 + timedelta(days=2))
    assert overdue_at(accepted, T0 + timedelta(days=11))


def test_an_answered_case_is_not_overdue_until_reopened() -> None:
    case = clock(("accepted", T0), ("replied", T0 + timedelta(days=3)), ("reopened", T0 + timedelta(days=12)))
    assert not overdue_at(case, T0 + timedelta(days=11))
    assert overdue_at(case, T0 + timedelta(days=13))


def test_a_case_not_yet_received_is_not_overdue() -> None:
    assert not overdue_at(clock(), T0 - timedelta(days=1))


def test_day_ends_are_local_midnights_and_today_is_now() -> None:
    now = datetime(2026, 11, 5, 10, 0, tzinfo=CST)
    ends = day_ends(date(2026, 11, 5), 3, CST, now)
    assert [d.day for d, _ in ends] == [3, 4, 5]
    assert ends[0][1] == datetime(2026, 11, 4, 0, 0, tzinfo=CST) and ends[-1][1] == now


def test_series_count_per_key() -> None:
    moments = [T0 + timedelta(days=d) for d in (0, 2, 11)]
    series = overdue_series([clock(), clock(("accepted", T0), key="v2")], moments)
    assert series == {"v1": [0, 1, 1], "v2": [0, 0, 1]}
