"""The report tables in memory, mirroring `infra.db.report_repos` (tests/contract runs the
same assertions against both). Rows are stored as PostgreSQL stores them — projections
beside the JSON state — so the codec is exercised here too."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from infra.db.report_state import (summary_columns, summary_from_state, supervision_columns,
                                   supervision_from_state)
from infra.memory.store import Tables
from infra.services.ports import ItemChangedMeanwhile, Row
from models.access import Scope
from models.reports.assessment import DEFAULT_WEIGHTS, AssessmentWeights
from models.reports.diary_summary import DiarySummary
from models.reports.reach import item_in_reach
from models.reports.records import UpwardPetition
from models.reports.supervision import Supervision
from models.reports.topics import TopIssuePick


class MemorySupervisionItems:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def get(self, item_id: str) -> Supervision | None:
        row = self._t.supervision_items.get(item_id)
        return supervision_from_state(row["state"]) if row else None

    async def add(self, item: Supervision, *, next_check_at: datetime | None, at: datetime) -> None:
        if item.item_id in self._t.supervision_items:
            raise ItemChangedMeanwhile(f"督办 item {item.item_id} exists")
        self._t.supervision_items[item.item_id] = {"created_at": at, **supervision_columns(
            item, next_check_at=next_check_at, at=at)}

    async def save(self, before: Supervision, after: Supervision, *, next_check_at: datetime | None,
                   at: datetime) -> None:
        stored = self._t.supervision_items.get(after.item_id)
        if stored is None or stored["version"] != len(before.events):
            raise ItemChangedMeanwhile(f"督办 item {after.item_id} changed meanwhile; try again")
        stored.update(supervision_columns(after, next_check_at=next_check_at, at=at))

    async def within(self, scope: Scope, *, closed_since: datetime | None = None,
                     include_closed: bool = False) -> list[Supervision]:
        found = [supervision_from_state(row["state"]) for row in self._t.supervision_items.values()]
        wanted = [i for i in found if item_in_reach(scope, i) and (
            include_closed or not i.is_closed or _closed_since(i, closed_since))]
        return sorted(wanted, key=lambda i: (i.due_on, i.item_id))

    async def claim_due(self, now: datetime, limit: int) -> list[Supervision]:
        due = sorted((row["next_check_at"], item_id) for item_id, row in self._t.supervision_items.items()
                     if row["next_check_at"] is not None and row["next_check_at"] <= now)
        return [supervision_from_state(self._t.supervision_items[item_id]["state"]) for _, item_id in due[:limit]]


def _closed_since(item: Supervision, moment: datetime | None) -> bool:
    closed = item.closed_at()
    return moment is not None and closed is not None and closed >= moment


class MemoryDiarySummaries:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def get(self, village_code: str, period: str) -> DiarySummary | None:
        row = self._t.diary_summaries.get((village_code, period))
        return summary_from_state(row["state"], row["digest"]) if row else None

    async def save(self, summary: DiarySummary, *, version: int, at: datetime) -> None:
        key = (summary.village_code, summary.period)
        stored = self._t.diary_summaries.get(key)
        if (stored["version"] if stored else 0) != version:
            raise ItemChangedMeanwhile(f"the diary summary of {summary.village_code} {summary.period} changed "
                                       "meanwhile; try again")
        self._t.diary_summaries[key] = summary_columns(summary, at=at)

    async def of_periods(self, periods: Sequence[str], village_codes: Sequence[str]) -> list[DiarySummary]:
        rows = [row for (village, period), row in sorted(self._t.diary_summaries.items(), key=lambda kv: kv[0][::-1])
                if period in periods and village in village_codes]
        return [summary_from_state(row["state"], row["digest"]) for row in rows]


class MemoryTopIssuePicks:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def of_month(self, month: str) -> list[TopIssuePick]:
        return sorted((p for p in self._t.top_issue_picks.values() if p.month == month),
                      key=lambda p: (p.picked_at, p.pick_id))

    async def add(self, pick: TopIssuePick) -> None:
        if any((p.month, p.label) == (pick.month, pick.label) for p in self._t.top_issue_picks.values()):
            raise ItemChangedMeanwhile(f"{pick.label} was picked for {pick.month} meanwhile")
        self._t.top_issue_picks[pick.pick_id] = pick


class MemoryAssessmentWeights:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def current(self) -> tuple[AssessmentWeights, Row | None]:
        if not self._t.assessment_weights:
            return DEFAULT_WEIGHTS, None
        latest = self._t.assessment_weights[-1]
        return AssessmentWeights.from_mapping(latest["weights"]), {"set_by": latest["set_by"],
                                                                   "set_at": latest["set_at"]}

    async def put(self, weights: AssessmentWeights, *, set_by: str, at: datetime) -> None:
        self._t.assessment_weights.append({"weights": weights.to_mapping(), "set_by": set_by, "set_at": at})


class MemoryUpwardPetitions:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def add(self, petition: UpwardPetition, *, recorded_by: str, at: datetime) -> int:
        petition_id = self._t.next_id()
        self._t.upward_petitions.append({"id": petition_id, "petition": petition, "recorded_by": recorded_by,
                                         "recorded_at": at})
        return petition_id

    async def between(self, village_codes: Sequence[str], start: datetime, end: datetime) -> list[UpwardPetition]:
        found = [(r["petition"].occurred_at, r["id"], r["petition"]) for r in self._t.upward_petitions
                 if r["petition"].village_code in village_codes and start <= r["petition"].occurred_at < end]
        return [petition for _, _, petition in sorted(found, key=lambda f: (f[0], f[1]))]
