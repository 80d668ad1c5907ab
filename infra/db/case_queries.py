"""THE scoping of case queries: every list, detail, count, search and export goes through
`scoped`, so what a caller may see is decided in one place (issue 5).

A `Scope` says which cases are in reach (the whole township, some villages, the caller's own
cases) and whom confidentiality hides them from: a case whose `accused` names the caller or
one of the caller's units does not exist for them (Arts. 28, 30, 46) — not in details, not in
lists, not in counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, cast, false, func, literal, not_, or_, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.case_repo import CLOSED_STATUSES, CaseFilter, _filtered
from infra.db.tables import cases


@dataclass(frozen=True)
class Scope:
    township: bool = False                      # every case of the township
    village_codes: frozenset[str] = frozenset()  # cases of these villages
    cadre_id: str | None = None                 # cases this cadre owns, handles or was escalated to
    # confidentiality: cases accusing this cadre or any of these units are hidden
    recused_cadre_id: str | None = None
    recused_unit_codes: frozenset[str] = frozenset()

    @classmethod
    def nothing(cls) -> "Scope":
        return cls()


def _reach(scope: Scope) -> ColumnElement[bool]:
    if scope.township:
        return true()
    parts: list[ColumnElement[bool]] = []
    if scope.village_codes:
        parts.append(cases.c.village_code.in_(sorted(scope.village_codes)))
    if scope.cadre_id:
        parts += [cases.c.owner_cadre_id == scope.cadre_id, cases.c.handler_cadre_id == scope.cadre_id,
                  cases.c.escalated_to_cadre_id == scope.cadre_id]  # each arm has its index
    return or_(*parts) if parts else false()


def _not_accusing(scope: Scope) -> ColumnElement[bool]:
    accused = func.coalesce(cases.c.accused, cast(literal("{}"), JSONB))
    accusations = [accused.contains({"unit_codes": [code]}) for code in sorted(scope.recused_unit_codes)]
    if scope.recused_cadre_id:
        accusations.append(accused.contains({"cadre_ids": [scope.recused_cadre_id]}))
    return not_(or_(*accusations)) if accusations else true()


def accusing() -> ColumnElement[bool]:
    """The case accuses someone (a JSON null or empty lists accuse nobody)."""
    def count(key: str) -> Any:
        return func.jsonb_array_length(func.coalesce(cases.c.accused[key], cast(literal("[]"), JSONB)))
    return and_(func.jsonb_typeof(cases.c.accused) == "object", count("cadre_ids") + count("unit_codes") > 0)


def visible(scope: Scope) -> ColumnElement[bool]:
    """The condition every case query of a caller carries."""
    return and_(_reach(scope), _not_accusing(scope))


def scoped(query: Select[Any], scope: Scope) -> Select[Any]:
    return query.where(visible(scope))


async def visible_case(conn: AsyncConnection, scope: Scope, case_id: str) -> dict[str, Any] | None:
    row = (await conn.execute(scoped(select(cases), scope).where(cases.c.case_id == case_id))).first()
    return dict(row._mapping) if row else None


async def visible_by_tracking_code(conn: AsyncConnection, scope: Scope, code: str) -> dict[str, Any] | None:
    row = (await conn.execute(scoped(select(cases), scope).where(cases.c.tracking_code == code))).first()
    return dict(row._mapping) if row else None


async def list_visible(conn: AsyncConnection, scope: Scope, f: CaseFilter, now: datetime, *, limit: int,
                       offset: int, by_deadline: bool = False,
                       extra: ColumnElement[bool] | None = None) -> tuple[list[dict[str, Any]], int]:
    condition = visible(scope) if extra is None else and_(visible(scope), extra)
    total = (await conn.execute(_filtered(select(func.count()).select_from(cases), f, now).where(condition))
             ).scalar_one()
    order = ((cases.c.next_due_at.asc().nulls_last(), cases.c.case_id) if by_deadline
             else (cases.c.created_at.desc(), cases.c.case_id))
    rows = await conn.execute(_filtered(select(cases), f, now).where(condition).order_by(*order)
                              .limit(limit).offset(offset))
    return [dict(row._mapping) for row in rows], int(total)


async def count_visible(conn: AsyncConnection, scope: Scope, now: datetime) -> dict[str, Any]:
    """Counts for dashboards: by status, open, overdue, escalated — within the scope only."""
    late = and_(cases.c.next_due_at < now, cases.c.status.not_in(CLOSED_STATUSES))
    rows = await conn.execute(scoped(select(cases.c.status, func.count(),
                                            func.count().filter(late), func.count().filter(cases.c.escalation_level > 0)),
                                     scope).group_by(cases.c.status))
    by_status = {}
    overdue = escalated = 0
    for status, count, late_count, escalated_count in rows:
        by_status[status] = int(count)
        overdue += int(late_count)
        escalated += int(escalated_count)
    total = sum(by_status.values())
    closed = sum(by_status.get(s, 0) for s in CLOSED_STATUSES)
    return {"total": total, "open": total - closed, "overdue": overdue, "escalated": escalated,
            "by_status": by_status}


async def visible_ids(conn: AsyncConnection, scope: Scope, condition: ColumnElement[bool]) -> list[str]:
    rows = await conn.execute(scoped(select(cases.c.case_id), scope).where(condition))
    return [row.case_id for row in rows]
