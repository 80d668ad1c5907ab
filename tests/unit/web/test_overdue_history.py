"""Overdue at a past moment, from the case's own history and the domain's stages
(`models.clock.was_overdue_at`), and the days of the overdue chart."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from infra.services.insight import _series, day_ends
from models.case import Case, CaseEvent
from models.clock import was_overdue_at
from models.lifecycle import CaseStatus

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=CST)


def case(*events: tuple[str, datetime], village: str = "v1") -> Case:
    history = tuple(CaseEvent(f"c:{i}", "c", i, kind, at, None, "e")
                    for i, (kind, at) in enumerate([("opened", T0), ("assigned", T0), *events], start=1))
    return Case("c", "hotline", "e", village, "water", "help", "normal", T0,
                {"first_contact": T0 + timedelta(days=1), "handling": T0 + timedelta(days=10)},
                status=CaseStatus.ASSIGNED, events=history)


def test_before_acceptance_the_first_contact_deadline_runs() -> None:
    assert not was_overdue_at(case(), T0 + timedelta(hours=20))
    assert was_overdue_at(case(), T0 + timedelta(days=2))


def test_after_acceptance_the_handling_deadline_runs() -> None:
    accepted = case(("accepted", T0 + timedelta(hours=2)))
    assert not was_overdue_at(accepted, T0 + timedelta(days=2))
    assert was_overdue_at(accepted, T0 + timedelta(days=11))


def test_an_answered_case_is_not_overdue_until_reopened() -> None:
    answered = case(("accepted", T0), ("replied", T0 + timedelta(days=3)), ("reopened", T0 + timedelta(days=12)))
    assert not was_overdue_at(answered, T0 + timedelta(days=11))
    assert was_overdue_at(answered, T0 + timedelta(days=13))


def test_a_case_not_yet_received_is_not_overdue() -> None:
    assert not was_overdue_at(case(), T0 - timedelta(days=1))


def test_day_ends_are_local_midnights_and_today_is_now() -> None:
    now = datetime(2026, 11, 5, 10, 0, tzinfo=CST)
    ends = day_ends(date(2026, 11, 5), 3, now)
    assert [d.day for d, _ in ends] == [3, 4, 5]
    assert ends[0][1] == datetime(2026, 11, 4, 0, 0, tzinfo=CST) and ends[-1][1] == now


def test_series_count_per_key() -> None:
    moments = [T0 + timedelta(days=d) for d in (0, 2, 11)]
    series = _series([case(), case(("accepted", T0), village="v2")], moments, "village")
    assert series == {"v1": [0, 1, 1], "v2": [0, 0, 1]}
