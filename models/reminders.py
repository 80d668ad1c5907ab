"""Notifications that time raises rather than an event: the 08:00 digest of each cadre's
work due today and overdue, and the callback (回访) a petition office must chase when
nobody called the petitioner back after the reply. Pure: `now` is an argument."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from models import notification_text as T
from models import posts as P
from models import workcalendar as wc
from models.case import Case
from models.chain import Recusal
from models.clock import current_due
from models.lifecycle import CaseStatus
from models.notifications import (CALLBACK_OVERDUE, DIGEST, Notification, notification_id, told)
from models.roster import Roster

DIGEST_AT = time(8, 0)  # Asia/Shanghai


@dataclass(frozen=True)
class ReminderPolicy:
    callback_working_days: int = 3  # a replied case should have its callback within this


def digest_day(now: datetime, last_day: date | None) -> date | None:
    """The day whose digest is owed at `now` (from 08:00 local on), or None if sent already."""
    local = wc.to_local(now)
    today = local.date()
    if local.time() < DIGEST_AT or (last_day is not None and last_day >= today):
        return None
    return today


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=wc.SHANGHAI)


@dataclass(frozen=True)
class Workload:
    due_today: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()


def workloads(cases: Iterable[Case], codes: Mapping[str, str], now: datetime) -> dict[str, Workload]:
    """Per cadre (owner, handler, supervisor after an escalation): tracking codes of the
    running stages due today and of those already overdue, nearest deadline first."""
    today = wc.to_local(now).date()
    found: dict[str, tuple[list[tuple[datetime, str]], list[tuple[datetime, str]]]] = {}
    for case in cases:
        due = current_due(case)
        if due is None or (due > now and wc.to_local(due).date() != today):
            continue
        holders = {case.owner_cadre_id, case.handler_cadre_id, case.escalated_to_cadre_id} - {None}
        for cadre in holders - case.recusal.excluded:  # routing keeps them out; the digest checks all the same
            today_list, late_list = found.setdefault(cadre, ([], []))  # type: ignore[arg-type]
            (late_list if due < now else today_list).append((due, codes.get(case.case_id, case.case_id)))
    return {cadre: Workload(tuple(c for _, c in sorted(t)), tuple(c for _, c in sorted(late)))
            for cadre, (t, late) in found.items()}


def digests(loads: Mapping[str, Workload], roster: Roster, day: date, now: datetime) -> tuple[Notification, ...]:
    """One digest per cadre with something due today or overdue."""
    source = f"digest:{day.isoformat()}"
    out = []
    for cadre, load in sorted(loads.items()):
        if not (load.due_today or load.overdue) or not told([(cadre, DIGEST)], Recusal(), roster):
            continue
        out.append(Notification(notification_id(source, cadre, DIGEST), DIGEST, cadre,
                                T.digest_text(load.due_today, load.overdue), now, source))
    return tuple(out)


def callback_due_by(replied_at: datetime, policy: ReminderPolicy = ReminderPolicy()) -> datetime:
    return wc.add_working_days(replied_at, policy.callback_working_days)


def callback_reminders(case: Case, tracking_code: str, roster: Roster, now: datetime,
                       policy: ReminderPolicy = ReminderPolicy()) -> tuple[Notification, ...]:
    """A replied case whose callback is overdue goes to the petition office (信访办)."""
    if case.status != CaseStatus.REPLIED or case.replied_at is None:
        return ()
    due = callback_due_by(case.replied_at, policy)
    if now <= due:
        return ()
    source = f"callback-overdue:{case.case_id}:{case.replied_at.isoformat()}"
    staff = [(c.cadre_id, CALLBACK_OVERDUE) for c in roster.cadres if P.PETITION_STAFF in c.posts]
    return tuple(Notification(notification_id(source, cadre, kind), kind, cadre,
                              T.callback_overdue_text(tracking_code, case.replied_at), now, source, case.case_id,
                              tracking_code, case.village_code, case.category, due,
                              urgent=False, confidential=bool(case.recusal.excluded))
                 for cadre, kind in told(staff, case.recusal, roster))
