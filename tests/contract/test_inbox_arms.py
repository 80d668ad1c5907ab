"""The inbox on PostgreSQL (a union of index-ordered arms, `case_queries._inbox_keys`, and its
total from the kept cells) equals the in-memory inbox over any cases: the same cases in the
same order, page by page along the cursor and at an offset, with the same total — a cadre in
several arms of one case, ties on the deadline, cases without one, closed cases, cases sent
back, searches, and accusations that hide a case from the cadre (never shown, never counted)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from infra.db.case_counts import count_inserted
from infra.db.case_queries import SqlCaseReader
from infra.db.tables import cases
from infra.memory.repositories import MemoryCaseReader
from infra.memory.store import Tables
from infra.services import paging
from infra.services.ports import CaseFilter, CaseReader
from infra.services.views import SUMMARY_COLUMNS
from models.access import Scope, admits
from models.lifecycle import OPEN, CaseStatus

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
DUES = [None, NOW - timedelta(hours=1), NOW, NOW, NOW + timedelta(hours=2)]  # ties and no deadline
STATUSES = [CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.REPLIED, CaseStatus.CLOSED, CaseStatus.RESOLVED]
VILLAGES = ["330782101201", "330782101202"]
UNIT = "330782101202"  # the cadre's unit: accusing it hides the case from them
ME, OTHER = "me", "someone"  # placeholders: each example gets cadre ids of its own


def _case() -> st.SearchStrategy[dict[str, Any]]:
    cadre = st.sampled_from([ME, OTHER])
    maybe = st.sampled_from([None, ME, OTHER])
    accused = st.sampled_from([None, {"cadre_ids": [ME], "unit_codes": []}, {"cadre_ids": [], "unit_codes": [UNIT]},
                               {"cadre_ids": [OTHER], "unit_codes": []}])
    return st.fixed_dictionaries({
        "owner_cadre_id": cadre, "handler_cadre_id": cadre, "escalated_to_cadre_id": maybe,
        "escalation_acting_cadre_id": maybe, "status": st.sampled_from(STATUSES), "due": st.sampled_from(DUES),
        "village_code": st.sampled_from(VILLAGES), "accused": accused,
        "hidden_from": st.sampled_from([[], [ME], [OTHER]]), "unsatisfied_count": st.sampled_from([0, 0, 1]),
        "findable": st.sampled_from([True, True, False])})


SCOPES = {  # the ways a caller's reach holds their own cases, with and without recusal
    "cadre": lambda me: Scope(cadre_id=me, recused_cadre_id=me, recused_unit_codes=frozenset({UNIT})),
    "leader": lambda me: Scope(village_codes=frozenset({VILLAGES[0]}), cadre_id=me, recused_cadre_id=me,
                               recused_unit_codes=frozenset({UNIT})),
    "township": lambda me: Scope(township=True, recused_cadre_id=me, recused_unit_codes=frozenset({UNIT})),
    "admin": lambda me: Scope(township=True),
    # not the cadre's own scope: only their cases in the village are in reach (the arms keep the
    # whole scope condition, the total is counted)
    "village": lambda me: Scope(village_codes=frozenset({VILLAGES[0]}), recused_cadre_id=me),
}


def _row(drawn: dict[str, Any], names: dict[str, str], n: int, token: str) -> dict[str, Any]:
    def real(value: Any) -> Any:
        return names.get(value, value) if isinstance(value, str) else value
    accused = drawn["accused"] and {key: [real(v) for v in values] for key, values in drawn["accused"].items()}
    case_id = f"{names[ME]}-{n:04d}"
    return {"case_id": case_id, "tracking_code": f"T{uuid.uuid4().hex[:15]}".upper(), "status": drawn["status"].value,
            "source": "hotline", "source_topic": "hotline.calls", "source_event_id": case_id,
            "village_code": drawn["village_code"], "category": "water",
            "summary": f"停水 {token}" if drawn["findable"] else "停电", "owner_cadre_id": real(drawn["owner_cadre_id"]),
            "handler_cadre_id": real(drawn["handler_cadre_id"]), "escalation_level": 0,
            "escalated_to_cadre_id": real(drawn["escalated_to_cadre_id"]),
            "escalation_acting_cadre_id": real(drawn["escalation_acting_cadre_id"]), "deadlines": {},
            "next_due_at": drawn["due"], "is_open": drawn["status"] in OPEN, "accused": accused,
            "hidden_from": [real(v) for v in drawn["hidden_from"]], "unsatisfied_count": drawn["unsatisfied_count"],
            "routing": {}, "event": {}, "state": {}, "version": 1, "occurred_at": NOW, "created_at": NOW,
            "updated_at": NOW}


async def _walk(reader: CaseReader, scope: Scope, f: CaseFilter, limit: int) -> list[list[str]]:
    """Every page along the cursor, as `reads._page` walks them (the cursor encoded and back)."""
    pages, key = [], None
    while True:
        rows = await reader.page(scope, f, NOW, limit=limit + 1, by_deadline=True, after=key, columns=SUMMARY_COLUMNS)
        more, rows = len(rows) > limit, rows[:limit]
        pages.append([row["case_id"] for row in rows])
        if not more:
            return pages
        key = paging.decode(paging.encode(paging.key_of(rows[-1], True), True), True)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(drawn=st.lists(_case(), min_size=3, max_size=40), scope_kind=st.sampled_from(sorted(SCOPES)),
       open_only=st.booleans(), sent_back=st.sampled_from([None, None, True, False]), search=st.booleans(),
       limit=st.integers(1, 4), offset=st.integers(0, 8))
async def test_the_sql_inbox_is_the_memory_inbox(engine: Any, drawn: list[dict[str, Any]], scope_kind: str,
                                                open_only: bool, sent_back: bool | None, search: bool, limit: int,
                                                offset: int) -> None:
    tag = uuid.uuid4().hex[:10]
    names, token = {ME: f"px{tag}", OTHER: f"py{tag}"}, f"tok{tag}"
    me = names[ME]
    scope = SCOPES[scope_kind](me)
    f = CaseFilter(mine=me, open=True if open_only else None, q=token if search else None, sent_back=sent_back)
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            rows = [_row(case, names, n, token) for n, case in enumerate(drawn)]
            if rows:
                await conn.execute(cases.insert(), rows)
                await count_inserted(conn, rows)
            found = await conn.execute(select(cases).where(cases.c.case_id.in_([row["case_id"] for row in rows])))
            stored = {row.case_id: dict(row._mapping) for row in found}
            sql, memory = SqlCaseReader(conn), MemoryCaseReader(Tables(cases=stored))

            expected = await _walk(memory, scope, f, limit)
            assert await _walk(sql, scope, f, limit) == expected
            walked = [case_id for page in expected for case_id in page]
            assert all(admits(scope, stored[case_id]) for case_id in walked)  # an accused cadre sees none of them
            at_offset = await sql.page(scope, f, NOW, limit=limit, offset=offset, by_deadline=True)
            assert [row["case_id"] for row in at_offset] == walked[offset:offset + limit]
            assert await sql.count(scope, f, NOW) == await memory.count(scope, f, NOW) == len(walked)
        finally:
            await transaction.rollback()
