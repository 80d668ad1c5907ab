"""Visiting days: distinct Beijing days with a diary entry, per member and month."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from models.reports.periods import month
from models.reports.records import DiaryLine
from models.reports.visiting import Member, fulfilment, two_committee_members, visiting_days
from tests.unit.factories import BEIJING, build_roster, village_code

V1 = village_code(1)
ME = Member("v1-ddir", V1)
_SEQ = itertools.count(1)


def entry(at, author="v1-ddir"):
    n = next(_SEQ)
    return DiaryLine(f"e{n}", author, V1, "roads", f"户{n}", at, problems="路不平")


def test_several_households_on_one_day_are_one_day():
    day = datetime(2025, 3, 11, 9, tzinfo=BEIJING)
    entries = [entry(day), entry(day + timedelta(hours=5)), entry(day + timedelta(days=1))]
    [row] = visiting_days(month("2025-03"), [ME], entries)
    assert (row.days, row.shortfall) == (2, 5)


def test_the_month_end_is_the_beijing_midnight():
    jan_31_late_utc = datetime(2025, 1, 31, 16, 30, tzinfo=timezone.utc)    # 1 February 00:30 in Beijing
    jan_31_evening = datetime(2025, 1, 31, 23, 50, tzinfo=BEIJING)
    entries = [entry(jan_31_late_utc), entry(jan_31_evening)]
    [jan] = visiting_days(month("2025-01"), [ME], entries)
    [feb] = visiting_days(month("2025-02"), [ME], entries)
    assert [d.isoformat() for d in jan.dates] == ["2025-01-31"]
    assert [d.isoformat() for d in feb.dates] == ["2025-02-01"]


def test_holiday_visits_count_and_the_requirement_stays_seven():
    # Spring Festival 2025 (28 January – 4 February): visiting households on the holiday counts
    festival = [entry(datetime(2025, 1, 28 + n, 10, tzinfo=BEIJING)) for n in range(4)]  # 28–31 January
    [row] = visiting_days(month("2025-01"), [ME], festival)
    assert (row.days, row.required, row.shortfall) == (4, 7, 3)


def test_every_member_is_listed_even_without_entries_worst_first():
    members = two_committee_members(build_roster())
    entries = [entry(datetime(2025, 3, d, 9, tzinfo=BEIJING)) for d in range(1, 10)]
    rows = visiting_days(month("2025-03"), members, entries)
    assert len(rows) == len(members) == 18      # 6 members in each of 3 villages; liaisons owe no days
    assert "v1-liaison" not in {r.cadre_id for r in rows}
    assert rows[-1].cadre_id == "v1-ddir" and rows[-1].shortfall == 0
    assert rows[0].shortfall == 7


def test_entries_by_others_do_not_count_for_a_member():
    [row] = visiting_days(month("2025-03"), [ME], [entry(datetime(2025, 3, 3, tzinfo=BEIJING), author="v1-dir")])
    assert row.days == 0


def test_fulfilment_caps_each_member_at_the_requirement():
    busy = [entry(datetime(2025, 3, d, 9, tzinfo=BEIJING)) for d in range(1, 21)]
    rows = visiting_days(month("2025-03"), [ME, Member("v1-dir", V1)], busy)
    assert fulfilment(rows) == 7 / 14
    assert fulfilment([]) is None


@settings(deadline=None)  # the assertions are about results, never about time
@given(st.lists(st.datetimes(datetime(2024, 12, 25), datetime(2025, 2, 5), timezones=st.just(timezone.utc)),
                max_size=40))
def test_days_are_distinct_beijing_days_within_the_month(moments):
    [row] = visiting_days(month("2025-01"), [ME], [entry(m) for m in moments])
    expected = {m.astimezone(BEIJING).date() for m in moments if m.astimezone(BEIJING).month == 1
                and m.astimezone(BEIJING).year == 2025}
    assert set(row.dates) == expected and row.shortfall == max(0, 7 - len(expected))
