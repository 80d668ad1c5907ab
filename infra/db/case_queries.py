"""THE scoping of case queries: every list, detail, count, search, export, chart and report
goes through `visible`, so what a caller may see is decided in one place.

`models.access` decides what a scope is; this module translates it into SQL (and
`models.access.admits` into Python for the in-memory store — tests/contract holds the two
together). A case whose `accused` names the caller or one of the caller's units does not
exist for them (Arts. 28, 30, 46): not in details, not in lists, not in counts.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (BigInteger, ColumnElement, Select, and_, case, cast, false, func, literal, not_, or_, select, text,
                        true, union, union_all)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.case_repo import _with_history
from infra.db.tables import ACCUSES, HIDES, case_counts, case_events, case_links, cases
from infra.services.ports import CaseFilter, CaseRow, PageKey, Row
from models.access import CONFIDENTIAL_KINDS, Scope
from models.case import Case
from models.lifecycle import OPEN
from models.rates import ANSWERED, SATISFIED, Rate, ThreeRates
from models.search import Term, terms, tracking_code_of

def _reach(scope: Scope) -> ColumnElement[bool]:
    if scope.township:
        return true()
    parts = _cadre_arms(scope)
    if scope.village_codes:
        parts.insert(0, cases.c.village_code.in_(sorted(scope.village_codes)))
    return or_(*parts) if parts else false()


def _cadre_arms(scope: Scope) -> list[ColumnElement[bool]]:
    """The cases the scope's cadre owns, handles, was escalated to or acts for."""
    if not scope.cadre_id:
        return []
    return [cases.c.owner_cadre_id == scope.cadre_id, cases.c.handler_cadre_id == scope.cadre_id,
            cases.c.escalated_to_cadre_id == scope.cadre_id,
            cases.c.escalation_acting_cadre_id == scope.cadre_id]  # each arm has its index


def _accusations(scope: Scope) -> tuple[list[dict[str, list[str]]], str | None]:
    """What hides a case from the scope's caller: an `accused` document containing one of
    these (they or one of their units are accused), or this cadre in `hidden_from` (they
    stand below the accused)."""
    documents = [{"unit_codes": [code]} for code in sorted(scope.recused_unit_codes)]
    if scope.recused_cadre_id:
        documents.append({"cadre_ids": [scope.recused_cadre_id]})
    return documents, scope.recused_cadre_id or None


def _not_accusing(scope: Scope) -> ColumnElement[bool]:
    documents, hidden = _accusations(scope)
    accused = func.coalesce(cases.c.accused, cast(literal("{}"), JSONB))
    accusations = [accused.contains(document) for document in documents]
    if hidden:
        accusations.append(cases.c.hidden_from.contains([hidden]))
    return not_(or_(*accusations)) if accusations else true()


def hidden_by_accusation(scope: Scope) -> ColumnElement[bool] | None:
    """The cases in reach that `_not_accusing` takes away (None: none), in the terms of the
    partial indexes `ix_cases_accused` and `ix_cases_hidden_from`."""
    documents, hidden = _accusations(scope)
    arms = [and_(text(ACCUSES), cases.c.accused.contains(document)) for document in documents]
    if hidden:
        arms.append(and_(text(HIDES), cases.c.hidden_from.contains([hidden])))
    return and_(_reach(scope), or_(*arms)) if arms else None


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


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """`models.clock.overdue_at` on the stored running deadline."""
    return cases.c.next_due_at < now


def conditions(f: CaseFilter, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if f.source_event_id is not None:
        # a repeat petition's event finds the case it was linked to (a union: each side uses its index)
        matching = union_all(select(cases.c.case_id).where(cases.c.source_event_id == f.source_event_id),
                             select(case_links.c.case_id).where(case_links.c.source_event_id == f.source_event_id))
        found.append(cases.c.case_id.in_(matching.scalar_subquery()))
    for column, value in ((cases.c.village_code, f.village_code), (cases.c.status, f.status),
                          (cases.c.owner_cadre_id, f.owner_cadre_id), (cases.c.petitioner_phone, f.phone),
                          (cases.c.is_open, f.open)):
        if value is not None:
            found.append(column == value)
    if f.overdue is not None:
        found.append(overdue_condition(now) if f.overdue else not_(func.coalesce(overdue_condition(now), False)))
    if f.escalated is not None:
        found.append(cases.c.escalation_level > 0 if f.escalated else cases.c.escalation_level == 0)
    if f.mine is not None:
        found.append(or_(cases.c.owner_cadre_id == f.mine, cases.c.handler_cadre_id == f.mine,
                         cases.c.escalated_to_cadre_id == f.mine, cases.c.escalation_acting_cadre_id == f.mine))
    if f.case_ids is not None:
        found.append(cases.c.case_id.in_(list(f.case_ids)))
    if f.categories is not None:
        found.append(cases.c.category.in_(list(f.categories)))
    if f.occurred_from is not None:
        found.append(cases.c.occurred_at >= f.occurred_from)
    if f.occurred_until is not None:
        found.append(cases.c.occurred_at < f.occurred_until)
    if f.touched_since is not None:
        found.append(or_(cases.c.occurred_at >= f.touched_since, cases.c.updated_at >= f.touched_since))
    if f.open_or_updated_since is not None:
        found.append(or_(cases.c.is_open, cases.c.updated_at >= f.open_or_updated_since))
    if f.sent_back is not None:
        found.append(cases.c.unsatisfied_count > 0 if f.sent_back else cases.c.unsatisfied_count == 0)
    if f.tracking_code is not None:
        found.append(cases.c.tracking_code == tracking_code_of(f.tracking_code))
    if f.q:
        found += [_term_condition(term) for term in terms(f.q)]
    if f.public_only:
        found.append(and_(not_(accusing()), or_(cases.c.kind.is_(None), cases.c.kind.not_in(sorted(CONFIDENTIAL_KINDS)))))
    if f.sources is not None:
        found.append(cases.c.source.in_(list(f.sources)))
    if f.due_before is not None:
        found.append(cases.c.next_due_at < f.due_before)
    return found


def comes_after(key: PageKey, by_deadline: bool) -> ColumnElement[bool]:
    """`infra.services.paging.comes_after` in SQL, written so that the order's index range
    starts at the key (`created_at <= key` is the index condition; ties are filtered)."""
    if not by_deadline:
        return and_(cases.c.created_at <= key.at,
                    or_(cases.c.created_at < key.at, cases.c.case_id > key.case_id))
    if key.at is None:
        return and_(cases.c.next_due_at.is_(None), cases.c.case_id > key.case_id)
    return or_(cases.c.next_due_at > key.at, and_(cases.c.next_due_at == key.at, cases.c.case_id > key.case_id),
               cases.c.next_due_at.is_(None))


def _term_condition(term: Term) -> ColumnElement[bool]:
    """`models.search.matches` in SQL."""
    like = "%" + term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    facets = [cases.c.tracking_code == term.tracking_code, cases.c.petitioner["name"].astext == term.text,
              cases.c.summary.ilike(like, escape="\\"), cases.c.details.ilike(like, escape="\\")]
    if term.phone is not None:
        facets.append(cases.c.petitioner_phone == term.phone)
    return or_(*facets)


class SqlCaseReader:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _one(self, query: Select[Any]) -> CaseRow | None:
        row = (await self._conn.execute(query)).first()
        return dict(row._mapping) if row else None

    async def visible(self, scope: Scope, case_id: str) -> CaseRow | None:
        return await self._one(scoped(select(cases), scope).where(cases.c.case_id == case_id))

    async def by_tracking_code(self, scope: Scope | None, code: str) -> CaseRow | None:
        query = select(cases) if scope is None else scoped(select(cases), scope)
        return await self._one(query.where(cases.c.tracking_code == code))

    async def by_source_event(self, topic: str, event_id: str) -> CaseRow | None:
        opened = await self._one(select(cases).where(cases.c.source_topic == topic,
                                                     cases.c.source_event_id == event_id))
        if opened is not None:
            return opened
        link = select(case_links.c.case_id).where(case_links.c.source_topic == topic,
                                                  case_links.c.source_event_id == event_id)
        return await self._one(select(cases).where(cases.c.case_id.in_(link.scalar_subquery())))

    async def timeline(self, case_id: str) -> list[Row]:
        rows = await self._conn.execute(
            select(case_events.c.event_id, case_events.c.seq, case_events.c.type, case_events.c.actor,
                   case_events.c.at, case_events.c.data)
            .where(case_events.c.case_id == case_id).order_by(case_events.c.seq))
        return [dict(row._mapping) for row in rows]

    async def page(self, scope: Scope, f: CaseFilter, now: datetime, *, limit: int, offset: int = 0,
                   by_deadline: bool = False, after: PageKey | None = None,
                   columns: Sequence[str] | None = None) -> list[CaseRow]:
        """Each order walks an index of its own (`ix_cases_newest`; a cadre's deadline order
        the `ix_cases_*_inbox` arms, see `_inbox_keys`); `after` starts the walk at the key, so
        a deep page reads as few rows as the first."""
        if by_deadline and f.mine is not None:
            return await self._inbox_page(scope, f, now, limit=limit, offset=offset, after=after, columns=columns)
        where = [visible(scope), *conditions(f, now)]
        if after is not None:
            where.append(comes_after(after, by_deadline))
        order = ((cases.c.next_due_at.asc().nulls_last(), cases.c.case_id) if by_deadline
                 else (cases.c.created_at.desc(), cases.c.case_id))
        chosen = select(cases) if columns is None else select(*(cases.c[name] for name in columns))
        rows = await self._conn.execute(chosen.where(*where).order_by(*order).limit(limit).offset(offset))
        return [dict(row._mapping) for row in rows]

    async def _inbox_page(self, scope: Scope, f: CaseFilter, now: datetime, *, limit: int, offset: int,
                          after: PageKey | None, columns: Sequence[str] | None) -> list[CaseRow]:
        """The page's keys from the arms, then only those rows' columns."""
        keys = _inbox_keys(scope, f, now, limit=limit, offset=offset, after=after).subquery("page_keys")
        chosen = [cases] if columns is None else [cases.c[name] for name in columns]
        query = (select(*chosen).join_from(keys, cases, cases.c.case_id == keys.c.case_id)
                 .order_by(keys.c.next_due_at.asc().nulls_last(), keys.c.case_id))
        return [dict(row._mapping) for row in await self._conn.execute(query)]

    async def count(self, scope: Scope, f: CaseFilter, now: datetime) -> int:
        if _counted_in_cells(scope, f):
            return await self._count_mine(scope, f)
        query = select(func.count()).select_from(cases).where(visible(scope), *conditions(f, now))
        return int((await self._conn.execute(query)).scalar_one())

    async def _count_mine(self, scope: Scope, f: CaseFilter) -> int:
        """A cadre's own cases (open ones, or all) from their kept cells — a case is in a
        cadre's cell once, whichever of its columns names them, exactly as `f.mine` finds it —
        less those hidden from the caller by an accusation (the partial indexes)."""
        assert f.mine
        open_cells = [case_counts.c.status.in_(sorted(s.value for s in OPEN))] if f.open else []
        kept = (select(func.coalesce(func.sum(case_counts.c.n), 0))
                .where(case_counts.c.cadre_id == f.mine, *open_cells).scalar_subquery())
        hidden = hidden_by_accusation(scope)
        if hidden is None:
            return int((await self._conn.execute(select(kept))).scalar_one())
        taken = (select(func.count()).select_from(cases)
                 .where(hidden, *conditions(CaseFilter(mine=f.mine, open=f.open), _NEVER)).scalar_subquery())
        return int((await self._conn.execute(select(kept - taken))).scalar_one())

    async def counts(self, scope: Scope, now: datetime) -> dict[str, Any]:
        by_status: dict[str, int] = {}
        overdue = escalated = 0
        for part, _, status, up, n in await self._counted(scope, now, by_village=False):
            if part == _OVERDUE:
                overdue += n
                continue
            by_status[status] = by_status.get(status, 0) + n
            escalated += n if up else 0
        return {"by_status": {status: n for status, n in by_status.items() if n}, "overdue": overdue,
                "escalated": escalated}

    async def counts_by_village(self, scope: Scope, now: datetime) -> dict[str, tuple[int, int, int]]:
        found: dict[str, list[int]] = {}
        for part, village, _, up, n in await self._counted(scope, now, by_village=True):
            counts = found.setdefault(village, [0, 0, 0])
            counts[1 if part == _OVERDUE else 0] += n
            counts[2] += n if part != _OVERDUE and up else 0
        return {village: (n, late, up) for village, (n, late, up) in found.items() if n}

    async def _counted(self, scope: Scope, now: datetime, *, by_village: bool) -> list[tuple[str, str, str, bool, int]]:
        """The scope's cases (`by_village`: its open cases, per village) by status and escalation,
        and how many are overdue, in one statement: the kept cells (`case_counts`) and the
        running deadlines (`ix_cases_due_village`, index only) of the scope's villages and of
        its cadre's cases elsewhere, less the cases hidden from the caller by an accusation
        (`hidden_by_accusation`, a few rows by the partial indexes)."""
        late = [overdue_condition(now), *([cases.c.is_open] if by_village else [])]
        villages = sorted(scope.village_codes)
        parts: list[Select[Any]] = []

        def part(name: str, village: Any, status: Any, escalated: Any, n: Any, *where: Any) -> None:
            """One arm of the union: a plain `status` or `escalated` is a constant, a column a key."""
            keys = [village] if by_village else []
            keys += [k for k in (status, escalated) if not isinstance(k, (str, bool))]
            parts.append(select(literal(name), village if by_village else literal(""),
                                literal(status) if isinstance(status, str) else status,
                                literal(escalated) if isinstance(escalated, bool) else escalated, n)
                         .where(*where).group_by(*keys))

        count = func.count()
        if scope.township or villages:
            part(_OVERDUE, cases.c.village_code, "", False, count, *late,
                 *([] if scope.township else [cases.c.village_code.in_(villages)]))
        arms = [] if scope.township else _cadre_arms(scope)
        if arms:
            part(_OVERDUE, cases.c.village_code, "", False, count, *late, or_(*arms),
                 *([cases.c.village_code.not_in(villages)] if villages else []))
        cells = _cells_in(scope)
        if cells is not None:
            open_cells = [case_counts.c.status.in_(sorted(s.value for s in OPEN))] if by_village else []
            part(_KEPT, case_counts.c.village_code, case_counts.c.status, case_counts.c.escalated,
                 cast(func.sum(case_counts.c.n), BigInteger), cells, *open_cells)
        hidden = hidden_by_accusation(scope)
        if hidden is not None:
            is_open = [cases.c.is_open] if by_village else []
            part(_HIDDEN, cases.c.village_code, cases.c.status, cases.c.escalation_level > 0, -count, hidden, *is_open)
            part(_OVERDUE, cases.c.village_code, "", False, -count, hidden, *late)
        if not parts:
            return []
        rows = await self._conn.execute(union_all(*parts))
        return [(kind, village, status, bool(up), int(n)) for kind, village, status, up, n in rows]

    async def count_by(self, scope: Scope, f: CaseFilter, now: datetime, key: str) -> dict[str, int]:
        column = cases.c[key]
        rows = await self._conn.execute(select(column, func.count()).where(visible(scope), *conditions(f, now))
                                        .group_by(column))
        return {value: int(n) for value, n in rows}

    async def rates_by(self, scope: Scope, f: CaseFilter, start: datetime, end: datetime,
                       key: str) -> dict[str, tuple[int, ThreeRates]]:
        """`models.rates.tally` in SQL over the stored facts, in one statement shaped like
        `_counted`: the scope's villages (from `ix_cases_village_rates` alone), its cadre's
        cases elsewhere, less the cases hidden from the caller by an accusation."""
        if key not in _RATE_KEYS:
            raise ValueError(f"rates are grouped by one of {_RATE_KEYS}, not {key}")
        facts = (cases.c[key].label("key"), cases.c.occurred_at, cases.c.response_due_at, cases.c.responded_at,
                 cases.c.callback_at, cases.c.callback_kind, cases.c.callback_solved)
        matching = conditions(f, _NEVER)
        arms: list[Select[Any]] = []
        villages = sorted(scope.village_codes)
        if scope.township or villages:
            arms.append(select(literal(1).label("sign"), *facts).where(
                *matching, *([] if scope.township else [cases.c.village_code.in_(villages)])))
        cadre = [] if scope.township else _cadre_arms(scope)
        if cadre:
            arms.append(select(literal(1), *facts).where(
                *matching, or_(*cadre), *([cases.c.village_code.not_in(villages)] if villages else [])))
        hidden = hidden_by_accusation(scope)
        if hidden is not None:
            arms.append(select(literal(-1), *facts).where(*matching, hidden))
        if not arms:
            return {}
        rows = await self._conn.execute(_rates_of(union_all(*arms).subquery(), start, end))
        return {group: (int(n), ThreeRates(Rate(int(on_time), int(judged)), Rate(int(solved), int(answered)),
                                           Rate(int(satisfied), int(answered))))
                for group, n, judged, on_time, answered, solved, satisfied in rows if n}

    async def aggregates(self, scope: Scope, f: CaseFilter) -> dict[str, Case]:
        query = select(cases.c.case_id, cases.c.state, cases.c.version).where(visible(scope), *conditions(f, _NEVER))
        return await _with_history(self._conn, (await self._conn.execute(query)).all())

    async def events_of(self, scope: Scope, f: CaseFilter, types: Sequence[str],
                        since: datetime | None = None) -> list[Row]:
        query = (select(case_events.c.case_id, cases.c.village_code, cases.c.owner_cadre_id, case_events.c.type,
                        case_events.c.at)
                 .join(cases, cases.c.case_id == case_events.c.case_id)
                 .where(visible(scope), *conditions(f, _NEVER), case_events.c.type.in_(list(types))))
        if since is not None:
            query = query.where(case_events.c.at >= since)
        rows = await self._conn.execute(query.order_by(case_events.c.case_id, case_events.c.seq))
        return [dict(row._mapping) for row in rows]


    async def lines(self, scope: Scope, f: CaseFilter) -> list[CaseRow]:
        query = (select(*(cases.c[name] for name in LINE_COLUMNS)).where(visible(scope), *conditions(f, _NEVER))
                 .order_by(cases.c.occurred_at, cases.c.case_id))
        return [dict(row._mapping) for row in await self._conn.execute(query)]


def _rates_of(rows: Any, start: datetime, end: datetime) -> Select[Any]:
    """Per group: cases, then `models.rates`' counts — judged and on time (`is_judged`,
    `on_time`), answered, solved and satisfied (`has_verdict`) — each row counted by its sign."""
    c = rows.c
    judged = and_(c.occurred_at >= start, c.occurred_at < end, c.response_due_at.is_not(None),
                  or_(c.responded_at.is_not(None), c.response_due_at < end))
    verdict = and_(c.callback_at >= start, c.callback_at < end, c.callback_kind.in_(ANSWERED))

    def total(*when: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((and_(*when), c.sign), else_=0)), 0)
    return (select(c.key, func.sum(c.sign), total(judged), total(judged, c.responded_at <= c.response_due_at),
                   total(verdict), total(verdict, c.callback_solved), total(verdict, c.callback_kind.in_(SATISFIED)))
            .group_by(c.key))


_RATE_KEYS = ("village_code", "owner_cadre_id")
_KEPT, _HIDDEN, _OVERDUE = "kept", "hidden", "overdue"

# The columns that put a case in a cadre's own work (`CaseFilter.mine`), each with an index
# `(column, is_open, next_due_at, case_id)` in the deadline order (migration 0015).
_MINE = (cases.c.owner_cadre_id, cases.c.handler_cadre_id, cases.c.escalated_to_cadre_id,
         cases.c.escalation_acting_cadre_id)


def _inbox_keys(scope: Scope, f: CaseFilter, now: datetime, *, limit: int, offset: int,
                after: PageKey | None) -> Select[Any]:
    """`(case_id, next_due_at)` of a page of `f.mine`'s cases by deadline, as a union of arms
    that each walk one index in the page's order and stop after `offset + limit` rows: one arm
    per cadre column, open state (both when closed cases are asked for too) and stretch of the
    order after the cursor (the deadlines from the key on, then the cases without one: an OR
    of the two would not be an index range). So a page reads about `limit` rows per arm
    whatever the cadre's load or the page's depth; the UNION drops a case reached by two arms,
    and the outer order and limit pick the page. Each arm keeps every other condition (scope,
    recusal, search, sent back) as a filter: the same cases as the single query would find."""
    # a caller's own cases are in their reach: only the recusal is left to filter (and each
    # arm is a shorter statement, without the scope's village list)
    seen = _not_accusing(scope) if _reaches_own(scope, f.mine) else visible(scope)
    others = [seen, *conditions(replace(f, mine=None, open=None), now)]
    states = [f.open] if f.open is not None else [True, False]
    due, case_id = cases.c.next_due_at, cases.c.case_id
    if after is None:
        stretches: list[list[ColumnElement[bool]]] = [[]]
    elif after.at is None:
        stretches = [[due.is_(None), case_id > after.case_id]]
    else:  # the index range starts at the key; its ties are filtered
        stretches = [[due >= after.at, or_(due > after.at, case_id > after.case_id)], [due.is_(None)]]
    arms = [select(case_id, due).where(column == f.mine, cases.c.is_open == state, *stretch, *others)
            .order_by(due.asc().nulls_last(), case_id).limit(offset + limit).subquery()
            for column in _MINE for state in states for stretch in stretches]
    keys = union(*(select(arm.c.case_id, arm.c.next_due_at) for arm in arms)).subquery("arms")
    return (select(keys.c.case_id, keys.c.next_due_at)
            .order_by(keys.c.next_due_at.asc().nulls_last(), keys.c.case_id).limit(limit).offset(offset))


def _counted_in_cells(scope: Scope, f: CaseFilter) -> bool:
    """Whether `count` may take `f` from the kept cells: a cadre's own cases, open or all, with
    no other filter, every one of them in the caller's reach (their own scope, or the
    township's) — the cells know nothing of searches, of cases sent back, or of reach."""
    return f.open is not False and f == CaseFilter(mine=f.mine, open=f.open) and _reaches_own(scope, f.mine)


def _reaches_own(scope: Scope, cadre_id: str | None) -> bool:
    """Whether every case of `cadre_id`'s own (`CaseFilter.mine`) is in the scope's reach."""
    return bool(cadre_id) and (scope.township or scope.cadre_id == cadre_id)


def _cells_in(scope: Scope) -> ColumnElement[bool] | None:
    """`_reach` in the kept cells: the villages' own cells, and the scope's cadre's cells of
    the other villages (a case is in each of its cadres' cells once)."""
    if scope.township:
        return case_counts.c.cadre_id == ""
    parts: list[ColumnElement[bool]] = []
    villages = sorted(scope.village_codes)
    if villages:
        parts.append(and_(case_counts.c.cadre_id == "", case_counts.c.village_code.in_(villages)))
    if scope.cadre_id:
        elsewhere = [case_counts.c.village_code.not_in(villages)] if villages else []
        parts.append(and_(case_counts.c.cadre_id == scope.cadre_id, *elsewhere))
    return or_(*parts) if parts else None


# What the reports read of a case (`CaseReader.lines`): everything but the aggregate's state.
LINE_COLUMNS = ("case_id", "tracking_code", "village_code", "category", "source", "summary", "status", "occurred_at",
                "owner_cadre_id", "next_due_at", "escalation_level", "escalated_to_cadre_id", "event")
# Aggregate reads never filter on "overdue now"; any fixed moment keeps `conditions` total.
_NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)
