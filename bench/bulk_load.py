"""The district's cases at benchmark size: a domain-made sample (bench.district_sample)
multiplied in SQL, kept as a PostgreSQL dump so a run restores it instead of rebuilding.

Copy j of a sample case is the same events said j seconds-and-minutes later (j // 60 minutes
and j % 60 seconds, always under ten) by other residents: a new case id (the domain's own
`case_id_for` of the copy's event id `<event id>.j`), a new tracking code, every time shifted
(columns by an interval; inside the JSON documents by rewriting the minute's last digit and
the seconds, which the sample's 10-minute grid makes exact), the residents' phones and ID
numbers renumbered per copy (so repeats link within a copy, never across copies). Village,
category, routing, owners and deadlines are what the domain decided for the sample: owners
are consistent with the roster by construction. Not multiplied: early-warning alerts (copy 0
only: copies of one matter near in time would have raised more), dead letters.
"""
from __future__ import annotations

import os
import random
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy import DateTime

from bench.district import district_roster
from bench.district_sample import BEIJING, Sample, identity_number, make_sample
from bench.pipeline import Pipeline
from infra.case_opening import case_id_for
from infra.db import case_counts
from infra.db.tables import case_events, case_links, cases
from infra.runtime.embedded import EmbeddedRuntime
from infra.runtime.postgres import bin_dir
from infra.runtime.secrets import OWNER_ROLE

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_EVENTS_PER_MILLION = 50_000  # the domain makes 5% of the cases; copies make the rest
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def dump_path(total: int) -> Path:
    return DATA / f"district-{total // 1000}k.dump"


def dsn(pipeline: Pipeline) -> str:
    """The schema owner's: the loader stages tables of its own and copies as the owner."""
    return (pipeline.runtime.owner_database_url or "").replace("postgresql+asyncpg", "postgresql")


def present(now: datetime | None = None) -> datetime:
    """The loaded district's 'now': the build time on the grid, minus the ten minutes copies add."""
    moment = (now or datetime.now(BEIJING)).astimezone(BEIJING)
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0) - timedelta(minutes=10)


async def build(data_dir: Path, total: int, *, seed: int = 12) -> dict[str, Any]:
    """Make the sample, multiply it to about `total` cases, dump the database. Figures back."""
    roster = district_roster()
    pipeline = await Pipeline.start(data_dir, roster=roster)
    try:
        until = present()
        started = time.perf_counter()
        sample = make_sample(roster, max(200, total * SAMPLE_EVENTS_PER_MILLION // 1_000_000), seed=seed,
                             start=until - timedelta(days=3 * 365 + 1), until=until)
        sampled = time.perf_counter() - started
        copies = max(1, round(total / max(1, len(sample.cases))))
        connection = await asyncpg.connect(dsn(pipeline))
        try:
            await _stage(connection, sample, copies)
            multiplied = await _multiply(connection, copies, until)
        finally:
            await connection.close()
        figures = {"sample_cases": len(sample.cases), "sample_refused_actions": sample.refused_actions,
                   "copies": copies, "sample_seconds": round(sampled, 1), **multiplied}
        dumped = time.perf_counter()
        DATA.mkdir(exist_ok=True)
        _pg(pipeline.runtime, "pg_dump", "--format=custom", "--compress=gzip:1", "-f", str(dump_path(total)), "minqing")
        figures["dump_seconds"] = round(time.perf_counter() - dumped, 1)
        figures["dump_mb"] = round(dump_path(total).stat().st_size / 2**20, 1)
        return figures
    finally:
        await pipeline.close()


async def restore(data_dir: Path, total: int) -> tuple[Pipeline, float]:
    """A fresh runtime holding the dumped district (migrated to head), and the seconds it took."""
    started = time.perf_counter()
    pipeline = await Pipeline.start(data_dir, restore=lambda runtime: _pg(
        runtime, "pg_restore", "--jobs=2", "--no-owner", "-d", "minqing", str(dump_path(total))))
    # pg_restore leaves the planner without statistics and the visibility map empty; a database
    # in service has both (autovacuum), so measure on that rather than on the restore's moment
    connection = await asyncpg.connect(dsn(pipeline))
    try:
        await connection.execute("vacuum (analyze)")
    finally:
        await connection.close()
    return pipeline, time.perf_counter() - started


async def district_now(pipeline: Pipeline) -> datetime:
    connection = await asyncpg.connect(dsn(pipeline))
    try:
        return await connection.fetchval("select now_at from bench_district")
    finally:
        await connection.close()


def _pg(runtime: EmbeddedRuntime, tool: str, *args: str) -> None:
    postgres = runtime.postgres
    assert postgres is not None and postgres.port is not None
    subprocess.run([str(bin_dir() / tool), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", OWNER_ROLE, *args],
                   check=True, env={**os.environ, "PGPASSWORD": postgres.secrets.owner})


async def _stage(connection: asyncpg.Connection, sample: Sample, copies: int) -> None:
    for name, table in (("bench_sample_cases", cases), ("bench_sample_events", case_events),
                        ("bench_sample_links", case_links)):
        await connection.execute(f"create unlogged table {name} (like {table.name} including defaults including identity)")
    await _copy(connection, "bench_sample_cases", [c.name for c in cases.c], sample.cases)
    event_columns = [c.name for c in case_events.c if c.name not in ("id", "published_at")]
    await _copy(connection, "bench_sample_events", event_columns, sample.events)
    await _copy(connection, "bench_sample_links", [c.name for c in case_links.c], sample.links)
    await connection.execute("create unlogged table bench_copies (sample_case_id text, copy int, case_id text, "
                             "tracking_code text, source_event_id text)")
    await connection.copy_records_to_table("bench_copies", records=_copy_ids(sample, copies))
    await connection.execute("create unlogged table bench_ids (old_id text, copy int, new_id text)")
    await connection.copy_records_to_table("bench_ids", records=_identity_copies(sample, copies))
    await connection.execute("create index on bench_copies (sample_case_id); create index on bench_ids (old_id, copy);"
                             "analyze bench_sample_cases, bench_sample_events, bench_copies, bench_ids")
    if sample.alerts:
        await _copy(connection, "alerts", list(sample.alerts[0]), sample.alerts)


async def _copy(connection: asyncpg.Connection, table: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    json_columns = {row["attname"] for row in await connection.fetch(
        "select attname from pg_attribute where attrelid = $1::regclass and atttypid = 'jsonb'::regtype", table)}

    def value(name: str, v: Any) -> Any:
        return orjson.dumps(v).decode() if name in json_columns and v is not None else v
    for offset in range(0, len(rows), 20_000):
        records = [tuple(value(c, row.get(c)) for c in columns) for row in rows[offset:offset + 20_000]]
        await connection.copy_records_to_table(table, records=records, columns=columns)


def _copy_ids(sample: Sample, copies: int) -> list[tuple[Any, ...]]:
    rng = random.Random(5)
    used = {row["tracking_code"] for row in sample.cases}
    out = []
    for row in sample.cases:
        out.append((row["case_id"], 0, row["case_id"], row["tracking_code"], row["source_event_id"]))
        for copy in range(1, copies):
            event_id = f"{row['source_event_id']}.{copy}"
            code = "".join(rng.choice(_ALPHABET) for _ in range(10))
            while code in used:
                code = "".join(rng.choice(_ALPHABET) for _ in range(10))
            used.add(code)
            out.append((row["case_id"], copy, case_id_for(row["source_topic"], event_id), code, event_id))
    return out


def _identity_copies(sample: Sample, copies: int) -> list[tuple[str, int, str]]:
    """Each sample ID number and what it becomes in every copy (its owner's phone numbers them)."""
    people = [row["event"].get("caller") for row in sample.cases] + [link["event"].get("caller")
                                                                       for link in sample.links]
    found = {(p["id_number"], p["phone"]) for p in people if p and p.get("id_number") and p.get("phone")}
    return [(old, copy, identity_number(old[:6], int(phone[1:8]), copy))
            for old, phone in sorted(found) for copy in range(copies)]


# Copy j's text: case id, ID number, times (minute's last digit and seconds), phones, event ids.
_SHIFT_FUNCTION = r"""
create or replace function pg_temp.bench_shift(doc text, sample_id text, copy_id text, copy int, old_id text,
                                               new_id text) returns text language sql immutable as $$
  select case when copy = 0 then doc else
    regexp_replace(regexp_replace(regexp_replace(
      replace(replace(doc, sample_id, copy_id), coalesce(old_id, E'\x01'), coalesce(new_id, E'\x01')),
      '(T\d\d:\d)0:00\+08:00', '\1' || (copy / 60) || ':' || lpad((copy % 60)::text, 2, '0') || '+08:00', 'g'),
      '"(1\d{7})000"', '"\1' || lpad(copy::text, 3, '0') || '"', 'g'),
      '"(sim-\d+-mx-\d+)"', '"\1.' || copy || '"', 'g') end
$$;
"""
_SHIFT = "make_interval(mins => c.copy / 60, secs => c.copy % 60)"


def _doc(expression: str, old_id: str = "i.old_id", new_id: str = "i.new_id") -> str:
    return f"pg_temp.bench_shift(({expression})::text, s.case_id, c.case_id, c.copy, {old_id}, {new_id})::jsonb"


async def _multiply(connection: asyncpg.Connection, copies: int, until: datetime) -> dict[str, Any]:
    started = time.perf_counter()
    await connection.execute(_SHIFT_FUNCTION)
    await connection.execute("set maintenance_work_mem = '1GB'; set work_mem = '256MB'")
    kept = await _drop_indexes(connection)
    column = {c.name: f"s.{c.name}" for c in cases.c}
    column.update({
        "case_id": "c.case_id", "tracking_code": "c.tracking_code", "source_event_id": "c.source_event_id",
        "petitioner_phone": "case when c.copy = 0 then s.petitioner_phone else "
                            "regexp_replace(s.petitioner_phone, '^(1\\d{7})000$', '\\1' || lpad(c.copy::text, 3, '0')) end",
        "petitioner_id_number": "coalesce(i.new_id, s.petitioner_id_number)",
        **{name: _doc(f"s.{name}") for name in ("deadlines", "routing", "petitioner", "accused", "event", "state")},
        # every moment of the row (the deadlines, the next look, the rate facts…), as the documents' times
        **{c.name: f"s.{c.name} + {_SHIFT}" for c in cases.c if isinstance(c.type, DateTime)}})
    await connection.execute(
        f"insert into cases ({', '.join(column)}) select {', '.join(column.values())} "
        "from bench_sample_cases s join bench_copies c on c.sample_case_id = s.case_id "
        "left join bench_ids i on i.old_id = s.petitioner_id_number and i.copy = c.copy "
        f"order by s.created_at + {_SHIFT}, c.case_id")
    cases_s = time.perf_counter() - started
    await connection.execute(
        "insert into case_events (event_id, case_id, seq, type, actor, at, source_event_id, data, published_at) "
        f"select c.case_id || ':' || s.seq, c.case_id, s.seq, s.type, s.actor, s.at + {_SHIFT}, "
        "case when c.copy = 0 then s.source_event_id else s.source_event_id || '.' || c.copy end, "
        f"{_doc('s.data', 'null', 'null')}, s.at + {_SHIFT} "
        "from bench_sample_events s join bench_copies c on c.sample_case_id = s.case_id")
    await connection.execute(
        "insert into case_links (source_topic, source_event_id, case_id, linked_at, event) "
        "select s.source_topic, case when c.copy = 0 then s.source_event_id else s.source_event_id || '.' || c.copy end, "
        f"c.case_id, s.linked_at + {_SHIFT}, "
        "pg_temp.bench_shift(s.event::text, s.case_id, c.case_id, c.copy, i.old_id, i.new_id)::jsonb "
        "from bench_sample_links s join bench_copies c on c.sample_case_id = s.case_id "
        "left join bench_ids i on i.old_id = s.event->'caller'->>'id_number' and i.copy = c.copy")
    rows_s = time.perf_counter() - started
    await _restore_indexes(connection, kept)
    async with connection.transaction():  # the case counts the application keeps, for the copies too
        for statement in case_counts.REBUILD:
            await connection.execute(statement)
    await connection.execute("drop table bench_sample_cases, bench_sample_events, bench_sample_links, bench_copies, "
                             "bench_ids")
    await connection.execute("create table bench_district (now_at timestamptz not null, copies int not null)")
    await connection.execute("insert into bench_district values ($1, $2)", until, copies)
    await connection.execute("vacuum (analyze) cases, case_events, case_links, alerts")
    total = await connection.fetchval("select count(*) from cases")
    return {"cases": total, "events": await connection.fetchval("select count(*) from case_events"),
            "insert_cases_seconds": round(cases_s, 1), "insert_rows_seconds": round(rows_s, 1),
            "multiply_seconds": round(time.perf_counter() - started, 1)}


async def _drop_indexes(connection: asyncpg.Connection) -> list[str]:
    """Bulk inserts go faster without indexes: drop them and say how to build them again."""
    tables = ("cases", "case_events", "case_links")
    constraints = await connection.fetch(
        "select conname, conrelid::regclass::text t, pg_get_constraintdef(oid) d from pg_constraint "
        "where conrelid::regclass::text = any($1) and contype in ('p', 'u')", list(tables))
    indexes = await connection.fetch(
        "select indexname, indexdef from pg_indexes where tablename = any($1) "
        "and indexname not in (select conname from pg_constraint)", list(tables))
    for index in indexes:
        await connection.execute(f'drop index "{index["indexname"]}"')
    for c in constraints:
        await connection.execute(f'alter table {c["t"]} drop constraint "{c["conname"]}"')
    return ([f'alter table {c["t"]} add constraint "{c["conname"]}" {c["d"]}' for c in constraints]
            + [index["indexdef"] for index in indexes])


async def _restore_indexes(connection: asyncpg.Connection, statements: list[str]) -> None:
    for statement in statements:
        await connection.execute(statement)


async def verify(pipeline: Pipeline, *, cases_to_check: int = 2000) -> dict[str, int]:
    """Copies checked against the domain: each stored state decodes to the aggregate whose
    projection is exactly the stored columns, its events are all there, and no petitioner has
    two open cases of one matter opened within the repeat window (the second would have been
    linked). Counts of what failed."""
    from infra.db.case_repo import load_cases
    from infra.db.case_rows import RATE_COLUMNS, case_columns

    compared = ("status", "owner_cadre_id", "handler_cadre_id", "escalation_level", "escalated_to_cadre_id",
                "next_due_at", "occurred_at", "version", "updated_at", *RATE_COLUMNS.values())
    connection = await asyncpg.connect(dsn(pipeline))
    try:
        ids = [r[0] for r in await connection.fetch(
            "select case_id from cases tablesample bernoulli (5) limit $1", cases_to_check)]
        rows = {r["case_id"]: dict(r) for r in await connection.fetch("select * from cases where case_id = any($1)", ids)}
        # the repeat rule: a petitioner's event on a matter they have a case open on (opened at
        # most 90 days before) links to it; a case reopened by a review request may have had a
        # new one opened while it was closed, so those are left out
        twice = await connection.fetchval(
            "with open as (select case_id, village_code, category, petitioner_phone, occurred_at from cases "
            "where petitioner_phone is not null and status in ('registered', 'assigned', 'objected', 'accepted', "
            "'in_progress', 'paused', 'replied')) "
            "select count(*) from open a join open b using (village_code, category, petitioner_phone) "
            "where b.occurred_at > a.occurred_at and b.occurred_at <= a.occurred_at + interval '90 days'")
        # the case counts kept (by the migration's backfill or the load's rebuild) against a recount
        wrong_cells = await connection.fetchval(
            f"select count(*) from ((select * from case_counts where n <> 0 except {case_counts.RECOUNT}) "
            f"union all ({case_counts.RECOUNT} except select * from case_counts where n <> 0)) as differing")
    finally:
        await connection.close()
    async with pipeline.engine.connect() as conn:
        loaded = await load_cases(conn, ids)
    mismatched = 0
    for case_id, case in loaded.items():
        columns, row = case_columns(case), rows[case_id]
        deadlines = {k: datetime.fromisoformat(v) for k, v in orjson.loads(row["deadlines"]).items()}
        if any(columns[name] != row[name] for name in compared) or deadlines != dict(case.deadlines) \
                or len(case.events) != row["version"]:
            mismatched += 1
    return {"checked": len(loaded), "mismatched": mismatched, "open_repeats_not_linked": twice,
            "case_counts_cells_wrong": wrong_cells}


async def main(data_dir: Path, total: int) -> None:
    """Build the dump (again), restore it into a fresh runtime and verify copies there."""
    import json

    print(json.dumps(await build(data_dir / "build", total), indent=2))
    pipeline, seconds = await restore(data_dir / "restore", total)
    try:
        print(json.dumps({"restore_seconds": round(seconds, 1), **await verify(pipeline)}, indent=2))
    finally:
        await pipeline.close()
