"""The audit log: who looked at personal data or changed who may, from where, and when.

Append-only and hash-chained (the rules in `models.audit`). Writers are serialised by a
transaction-scoped advisory lock, so two transactions never both append after the same
entry (a fork of the chain): the second waits until the first commits or rolls back, then
reads the head it left. The lock is held until the enclosing transaction ends: record an
entry as the last step of a short transaction.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.db.tables import audit_log
from models.audit import GENESIS, AuditEntry, ChainBreak, ChainVerifier, Who, chain_hash

_CHAIN_LOCK = (0x6D71, 0xA0D1)  # two-int advisory key space: apart from the relay's and the matters' locks
_PAGE = 5000


class Agent(Protocol):
    """Anything that says who acted: a `models.access.Actor`, an `infra.tokens.Principal`, a
    `models.audit.Who`."""
    @property
    def role(self) -> str: ...
    @property
    def cadre_id(self) -> str | None: ...
    @property
    def token_id(self) -> str | None: ...
    @property
    def username(self) -> str | None: ...
    @property
    def address(self) -> str | None: ...


def who_of(actor: Agent) -> Who:
    return Who(role=str(actor.role), cadre_id=actor.cadre_id, token_id=actor.token_id, username=actor.username,
               address=actor.address)


async def record(conn: AsyncConnection, *, at: datetime, who: Agent, action: str, case_id: str | None = None,
                 **detail: Any) -> int:
    """Append one entry in the caller's transaction; returns its sequence number. Search
    terms go in `detail` masked (`models.audit.mask_term`), never as typed."""
    await conn.execute(text("select pg_advisory_xact_lock(:a, :b)"), {"a": _CHAIN_LOCK[0], "b": _CHAIN_LOCK[1]})
    head = (await conn.execute(select(audit_log.c.seq, audit_log.c.hash)
                               .order_by(audit_log.c.seq.desc()).limit(1))).first()
    seq, previous = (head.seq + 1, head.hash) if head else (1, GENESIS)
    # As JSONB will give it back: the hash must cover what a verifier will read.
    stored_detail = orjson.loads(orjson.dumps(detail))
    entry = AuditEntry(seq, at, action, who_of(who), case_id, stored_detail)
    await conn.execute(audit_log.insert().values(
        seq=seq, at=at, action=action, role=entry.who.role, cadre_id=entry.who.cadre_id,
        token_id=entry.who.token_id, username=entry.who.username, address=entry.who.address, case_id=case_id,
        detail=stored_detail, hash=chain_hash(previous, entry)))
    return seq


async def _entries(conn: AsyncConnection) -> AsyncIterator[tuple[int, AuditEntry, str]]:
    after = 0
    while True:
        rows = (await conn.execute(select(audit_log).where(audit_log.c.seq > after)
                                   .order_by(audit_log.c.seq).limit(_PAGE))).all()
        for row in rows:
            who = Who(row.role, row.cadre_id, row.token_id, row.username, row.address)
            yield row.id, AuditEntry(row.seq, row.at, row.action, who, row.case_id, row.detail), row.hash
        if len(rows) < _PAGE:
            return
        after = rows[-1].seq


async def verify(conn: AsyncConnection) -> tuple[ChainBreak | None, ChainVerifier]:
    """Walk the whole chain; the first break (None when intact) and where the walk ended."""
    verifier = ChainVerifier()
    async for row_id, entry, stored_hash in _entries(conn):
        broken = verifier.feed(row_id, entry, stored_hash)
        if broken is not None:
            return broken, verifier
    return None, verifier


async def recent(conn: AsyncConnection, *, limit: int, offset: int, case_id: str | None = None,
                 cadre_id: str | None = None) -> list[dict[str, Any]]:
    query = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit).offset(offset)
    if case_id is not None:
        query = query.where(audit_log.c.case_id == case_id)
    if cadre_id is not None:
        query = query.where(audit_log.c.cadre_id == cadre_id)
    return [dict(row._mapping) for row in await conn.execute(query)]
