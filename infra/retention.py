"""`minqing retention run`: raw events older than the retention period lose their personal
data (`models.retention` says what stays), and old login attempts are forgotten.

Each table is worked through in chunks, each chunk its own short transaction, so a first
run over years of data never holds long locks against intake. Running it again is cheap
and changes nothing already redacted.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.auth.throttle import forget_attempts_before
from infra.db import audit
from infra.db.audit import Agent
from models.audit import RETENTION_RUN
from models.retention import KEPT_FIELDS, LOGIN_ATTEMPTS_FOR, REDACTED_MARK, cutoff

CHUNK = 2000

# The allowed fields of a JSON object, plus the redaction mark.
_KEEP = f"""coalesce((select jsonb_object_agg(key, value) from jsonb_each({{json}}) where key = any(:kept)),
                     '{{{{}}}}'::jsonb) || jsonb_build_object('{REDACTED_MARK}', cast(:at_text as text))"""

_STATEMENTS = {
    "dead_letters": """
        update dead_letters set value = null, redacted_at = :at
        where id in (select id from dead_letters where recorded_at < :before and redacted_at is null limit :chunk)""",
    "outgoing_events": f"""
        update outgoing_events
        set value = convert_to(({_KEEP.format(json="convert_from(value, 'UTF8')::jsonb")})::text, 'UTF8'),
            redacted_at = :at
        where id in (select id from outgoing_events
                     where created_at < :before and sent_at is not null and redacted_at is null limit :chunk)""",
    "cases": f"""
        update cases set event = {_KEEP.format(json="event")}
        where case_id in (select case_id from cases
                          where created_at < :before and not event ? '{REDACTED_MARK}' limit :chunk)""",
    "case_links": f"""
        update case_links set event = {_KEEP.format(json="event")}
        where (source_topic, source_event_id) in (
            select source_topic, source_event_id from case_links
            where linked_at < :before and not event ? '{REDACTED_MARK}' limit :chunk)""",
}


@dataclass(frozen=True)
class RetentionReport:
    before: datetime
    dead_letters: int
    outgoing_events: int
    cases: int
    case_links: int
    login_attempts: int

    def __str__(self) -> str:
        return (f"raw events from before {self.before:%Y-%m-%d %H:%M} redacted: {self.dead_letters} dead letters, "
                f"{self.outgoing_events} outgoing events, {self.cases} case event copies, "
                f"{self.case_links} repeat-link event copies; {self.login_attempts} old login attempts forgotten")


async def run_retention(engine: AsyncEngine, now: datetime, days: int, *, by: Agent) -> RetentionReport:
    before = cutoff(now, days)
    params: dict[str, Any] = {"before": before, "at": now, "at_text": now.isoformat(), "kept": sorted(KEPT_FIELDS),
                              "chunk": CHUNK}
    counts = {table: await _in_chunks(engine, statement, params) for table, statement in _STATEMENTS.items()}
    async with engine.begin() as conn:
        forgotten = await forget_attempts_before(conn, now - LOGIN_ATTEMPTS_FOR)
        report = RetentionReport(before, login_attempts=forgotten, **counts)
        await audit.record(conn, at=now, who=by, action=RETENTION_RUN, days=days,
                           **{k: v for k, v in asdict(report).items() if k != "before"})
    return report


async def _in_chunks(engine: AsyncEngine, statement: str, params: dict[str, Any]) -> int:
    total = 0
    while True:
        async with engine.begin() as conn:
            done = (await conn.execute(text(statement), params)).rowcount or 0
        total += done
        if done < CHUNK:
            return total
