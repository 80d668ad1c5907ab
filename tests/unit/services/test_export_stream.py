"""The CSV export walks the cases in keyset chunks: every case in reach once, newest first,
at most the limit, the audit entry written before the first chunk is read, no personal data."""
from __future__ import annotations

from typing import Any

import pytest

from infra.memory.store import MemoryStore
from infra.services import reads
from infra.services.app import Minqing
from infra.services.ports import CaseFilter
from infra.services.reads import EXPORT_COLUMNS, ExportCases, ListCases
from tests.unit.services.conftest import LEAD1, SECRETARY, V1, MovableClock, call, take_in

V3 = "330782101203"


async def _cases(app: Minqing, clock: MovableClock, n: int, **overrides: Any) -> list[str]:
    ids = []
    for i in range(n):
        if i % 2:
            clock.advance(seconds=1)  # ties on created_at, and steps
        ids += await take_in(app, call(**overrides))
    return ids


async def _export(app: Minqing, cmd: ExportCases) -> list[tuple[Any, ...]]:
    return [row async for chunk in await app.export(cmd) for row in chunk]


async def test_the_chunks_hold_every_case_in_reach_once_newest_first(app: Minqing, clock: MovableClock,
                                                                     store: MemoryStore,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reads, "EXPORT_CHUNK", 3)
    await _cases(app, clock, 8)
    await _cases(app, clock, 3, village_code=V3, dialed_cadre_id="v3-dir")   # not in t-lead1's villages
    for actor in (SECRETARY, LEAD1):
        listed = await app.handle(ListCases(actor, CaseFilter(), limit=200))
        exported = await _export(app, ExportCases(actor))
        assert [row[0] for row in exported] == [item["case_id"] for item in listed.items]
        assert all(len(row) == len(EXPORT_COLUMNS) for row in exported)
    assert {row[EXPORT_COLUMNS.index("village_code")] for row in await _export(app, ExportCases(LEAD1))} == {V1}
    capped = await _export(app, ExportCases(SECRETARY, limit=7))
    assert [r[0] for r in capped] == [r[0] for r in await _export(app, ExportCases(SECRETARY))][:7]
    entries = [e for e in store.tables.audit if e["action"] == "export"]
    assert len(entries) == 5 and entries[-2]["detail"]["rows_at_most"] == 7


async def test_the_audit_comes_before_any_row_is_read(app: Minqing, clock: MovableClock, store: MemoryStore) -> None:
    await _cases(app, clock, 2)
    chunks = await app.export(ExportCases(SECRETARY))
    assert [e["action"] for e in store.tables.audit] == ["export"]   # nothing read yet, already audited
    await chunks.aclose()


def test_the_export_carries_no_personal_data() -> None:
    assert not {"petitioner", "petitioner_phone", "accused", "summary", "details"} & set(EXPORT_COLUMNS)


async def test_an_accused_cadre_exports_nothing_of_the_case_against_him(app: Minqing, clock: MovableClock) -> None:
    """The export walks with the exporter's scope like every list: the accused (here the
    leader in charge of the village) never receives the accusing case in a file."""
    ordinary = await _cases(app, clock, 2)
    [accusing] = await take_in(app, call(kind="complaint", accused={"cadre_ids": ["t-lead1"], "unit_codes": []}))
    by_lead = [row[0] for row in await _export(app, ExportCases(LEAD1))]
    assert set(ordinary) <= set(by_lead) and accusing not in by_lead
    assert accusing in [row[0] for row in await _export(app, ExportCases(SECRETARY))]
