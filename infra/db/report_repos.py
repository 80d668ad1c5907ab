"""The report tables on PostgreSQL: 督办 items, bi-monthly diary summaries, top-issue picks,
assessment weights and petitions beyond the township — each bound to one transaction.
Aggregates are stored whole (`state`, see `report_state`); the other columns are their
projections for queries, the domain's answers included (`next_check_at`)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.report_state import (summary_columns, summary_from_state, supervision_columns,
                                   supervision_from_state)
from infra.db.tables import assessment_weights, diary_summaries, supervision_items, top_issue_picks, upward_petitions
from infra.services.ports import ItemChangedMeanwhile, Row
from models.access import Scope
from models.reports.assessment import DEFAULT_WEIGHTS, AssessmentWeights
from models.reports.diary_summary import DiarySummary
from models.reports.records import UpwardPetition
from models.reports.supervision import Supervision
from models.reports.topics import TopIssuePick

items = supervision_items


def item_reach(scope: Scope) -> ColumnElement[bool]:
    """`models.reports.reach.item_in_reach` in SQL."""
    if scope.township:
        return true()
    parts: list[ColumnElement[bool]] = []
    if scope.village_codes:
        parts.append(items.c.village_code.in_(sorted(scope.village_codes)))
    if scope.cadre_id:
        parts += [items.c.owner_cadre_id == scope.cadre_id, items.c.assigned_by == scope.cadre_id,
                  items.c.escalated_to_cadre_id == scope.cadre_id]
    return or_(*parts) if parts else false()


class SqlSupervisionItems:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, item_id: str) -> Supervision | None:
        row = (await self._conn.execute(select(items.c.state).where(items.c.item_id == item_id)
                                        .with_for_update())).first()
        return supervision_from_state(row.state) if row else None

    async def add(self, item: Supervision, *, next_check_at: datetime | None, at: datetime) -> None:
        await self._conn.execute(items.insert().values(created_at=at, **supervision_columns(
            item, next_check_at=next_check_at, at=at)))

    async def save(self, before: Supervision, after: Supervision, *, next_check_at: datetime | None,
                   at: datetime) -> None:
        values = supervision_columns(after, next_check_at=next_check_at, at=at)
        done = await self._conn.execute(items.update().where(items.c.item_id == after.item_id,
                                                             items.c.version == len(before.events)).values(**values))
        if done.rowcount != 1:
            raise ItemChangedMeanwhile(f"督办 item {after.item_id} changed meanwhile; try again")

    async def within(self, scope: Scope, *, closed_since: datetime | None = None,
                     include_closed: bool = False) -> list[Supervision]:
        wanted: ColumnElement[bool] = true() if include_closed else items.c.status != "closed"
        if closed_since is not None and not include_closed:  # closed since then: changed since then, too
            wanted = or_(wanted, items.c.updated_at >= closed_since)
        rows = await self._conn.execute(select(items.c.state).where(item_reach(scope), wanted)
                                        .order_by(items.c.due_on, items.c.item_id))
        found = [supervision_from_state(row.state) for row in rows]
        return [i for i in found if include_closed or not i.is_closed or _closed_since(i, closed_since)]

    async def claim_due(self, now: datetime, limit: int) -> list[Supervision]:
        rows = await self._conn.execute(select(items.c.state).where(items.c.next_check_at <= now)
                                        .order_by(items.c.next_check_at).limit(limit)
                                        .with_for_update(skip_locked=True))
        return [supervision_from_state(row.state) for row in rows]


def _closed_since(item: Supervision, moment: datetime | None) -> bool:
    closed = item.closed_at()
    return moment is not None and closed is not None and closed >= moment


class SqlDiarySummaries:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, village_code: str, period: str) -> DiarySummary | None:
        row = (await self._conn.execute(
            select(diary_summaries.c.state, diary_summaries.c.digest)
            .where(diary_summaries.c.village_code == village_code, diary_summaries.c.period == period)
            .with_for_update())).first()
        return summary_from_state(row.state, row.digest) if row else None

    async def save(self, summary: DiarySummary, *, version: int, at: datetime) -> None:
        values = summary_columns(summary, at=at)
        if version == 0:
            statement = insert(diary_summaries).values(**values).on_conflict_do_nothing()
        else:
            statement = diary_summaries.update().where(
                diary_summaries.c.village_code == summary.village_code, diary_summaries.c.period == summary.period,
                diary_summaries.c.version == version).values(**values)
        if (await self._conn.execute(statement)).rowcount != 1:
            raise ItemChangedMeanwhile(f"the diary summary of {summary.village_code} {summary.period} changed "
                                       "meanwhile; try again")

    async def of_periods(self, periods: Sequence[str], village_codes: Sequence[str]) -> list[DiarySummary]:
        rows = await self._conn.execute(
            select(diary_summaries.c.state, diary_summaries.c.digest)
            .where(diary_summaries.c.period.in_(list(periods)), diary_summaries.c.village_code.in_(list(village_codes)))
            .order_by(diary_summaries.c.period, diary_summaries.c.village_code))
        return [summary_from_state(row.state, row.digest) for row in rows]


class SqlTopIssuePicks:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def of_month(self, month: str) -> list[TopIssuePick]:
        rows = await self._conn.execute(select(top_issue_picks).where(top_issue_picks.c.month == month)
                                        .order_by(top_issue_picks.c.picked_at, top_issue_picks.c.pick_id))
        return [_pick(row._mapping) for row in rows]

    async def add(self, pick: TopIssuePick) -> None:
        values = {"pick_id": pick.pick_id, "month": pick.month, "label": pick.label, "category": pick.category,
                  "keywords": list(pick.keywords), "case_ids": list(pick.case_ids),
                  "village_codes": list(pick.village_codes), "picked_by": pick.picked_by, "picked_at": pick.picked_at,
                  "item_id": pick.item_id}
        try:
            async with self._conn.begin_nested():
                await self._conn.execute(top_issue_picks.insert().values(**values))
        except IntegrityError:
            raise ItemChangedMeanwhile(f"{pick.label} was picked for {pick.month} meanwhile") from None


def _pick(row: Any) -> TopIssuePick:
    return TopIssuePick(row["pick_id"], row["month"], row["label"], row["category"], tuple(row["keywords"]),
                        tuple(row["case_ids"]), tuple(row["village_codes"]), row["picked_by"], row["picked_at"],
                        row["item_id"])


class SqlAssessmentWeights:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def current(self) -> tuple[AssessmentWeights, Row | None]:
        row = (await self._conn.execute(select(assessment_weights).order_by(assessment_weights.c.id.desc())
                                        .limit(1))).first()
        if row is None:
            return DEFAULT_WEIGHTS, None
        return AssessmentWeights.from_mapping(row.weights), {"set_by": row.set_by, "set_at": row.set_at}

    async def put(self, weights: AssessmentWeights, *, set_by: str, at: datetime) -> None:
        await self._conn.execute(assessment_weights.insert().values(weights=weights.to_mapping(), set_by=set_by,
                                                                    set_at=at))


class SqlUpwardPetitions:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, petition: UpwardPetition, *, recorded_by: str, at: datetime) -> int:
        inserted = await self._conn.execute(upward_petitions.insert().values(
            village_code=petition.village_code, occurred_at=petition.occurred_at, level=petition.level,
            reference=petition.reference, recorded_by=recorded_by, recorded_at=at).returning(upward_petitions.c.id))
        return int(inserted.scalar_one())

    async def between(self, village_codes: Sequence[str], start: datetime, end: datetime) -> list[UpwardPetition]:
        u = upward_petitions.c
        rows = await self._conn.execute(select(u.village_code, u.occurred_at, u.level, u.reference)
                                        .where(and_(u.village_code.in_(list(village_codes)), u.occurred_at >= start,
                                                    u.occurred_at < end)).order_by(u.occurred_at, u.id))
        return [UpwardPetition(row.village_code, row.occurred_at, row.level, row.reference) for row in rows]
