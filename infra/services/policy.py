"""The deadline policy in force: the statutory defaults, the category time limits an admin
set, and the working-day calendar with every imported holiday schedule."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from models.categories import Catalogue
from models.deadlines import DeadlinePolicy
from models.workcalendar import Schedule


def policy_in_force(base: DeadlinePolicy, catalogue: Catalogue,
                    schedules: Iterable[Mapping[str, Any]]) -> DeadlinePolicy:
    calendar = base.calendar
    for document in schedules:
        calendar = calendar.with_schedule(Schedule.from_contract(document))
    return replace(base, catalogue=catalogue, calendar=calendar)
