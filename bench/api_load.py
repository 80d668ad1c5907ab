"""Benchmark 4: the API over HTTP on a district's cases while ingest runs (issue 12's reads
target as stated: N cases, ingest at `ingest_rate` events/s, an open-loop load offering
`request_rate` requests/s).

The district is bench.bulk_load's dump, restored (built first when there is none), so the
reads are the district's real actors and sizes: a case by id (the district's secretary), the
busiest owner's inbox, a block's and the district's dashboard counts, a cursor page of the
district's list and the three rates of a block over a year. The requests are drawn in a
fixed mix (`MIX`, below) and sent on a schedule whether or not earlier ones have been
answered (open loop): a saturated API shows as a shortfall of the achieved rate and as a
growing latency, not as a slower generator. Ingest is the simulator's mix over the
district's villages, produced open-loop too.

Besides the latencies it reports the CPU each part of the machine spent during the load
(API, worker, PostgreSQL, broker, the generator itself) per answered request, which is
what decides how many requests two shared cores can answer."""
from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import psutil
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from bench import reads
from bench.latency import _wait_until_ready
from bench.pipeline import Pipeline, WorkerProcess
from bench.report import VILLAGE_RESIDENTS, percentiles, publish
from infra.bootstrap import utc_now
from infra.runtime.processes import free_loopback_port
from infra.services import paging
from infra.services.ports import PageKey
from infra.settings import kafka_bootstrap_servers
from infra.tokens import create_token

# Shares of the offered load: what a working day asks most (a case, an inbox) and least (the
# rates: a leader's monthly look, the costliest read).
MIX = (("case_by_id", 40), ("inbox", 25), ("list_page_after_cursor", 15), ("counts_block", 10),
       ("counts_district", 8), ("rates_block_year", 2))


async def run(data_dir: Path, *, cases: int, seconds: float, smoke: bool, request_rates: Sequence[float] = (500.0,),
              ingest_rate: float = 100.0) -> dict[str, Any]:
    """One restored district, one worker and one API process; each offered request rate in
    turn for `seconds`, with ingest running, and a pause between for any backlog to clear."""
    pipeline, prepared = await reads.prepare(data_dir, cases)
    worker, api = pipeline.worker(), None
    runs = []
    try:
        targets = await _targets(pipeline)
        port = free_loopback_port()
        api = pipeline.api_server(port)
        worker.start()
        api.start()
        await _wait_until_ready(pipeline, port)
        await _warm(port, targets)
        for n, rate in enumerate(request_rates):
            if n:
                await asyncio.sleep(min(10.0, seconds))
            runs.append(await _run_at(pipeline, worker, api, port, targets, rate, ingest_rate, seconds))
    finally:
        worker.stop()
        if api is not None:
            api.stop()
        await pipeline.close()
    return publish("api", {"cases": targets["cases"], "restore_seconds": prepared["restore_seconds"],
                           "mix_percent": dict(MIX), "inbox_owner": targets["inbox_owner"],
                           "ingest_offered_events_per_s": ingest_rate, "seconds_per_rate": seconds, "runs": runs},
                   smoke=smoke)


async def _run_at(pipeline: Pipeline, worker: WorkerProcess, api: WorkerProcess, port: int, targets: dict[str, Any],
                  rate: float, ingest_rate: float, seconds: float) -> dict[str, Any]:
    feed = asyncio.create_task(_ingest(pipeline, ingest_rate, seconds))
    cpu_before = _cpu_by_part(pipeline, worker, api)
    timings, answered, failed, elapsed = await _load(port, targets, rate, seconds)
    cpu = _cpu_spent(cpu_before, _cpu_by_part(pipeline, worker, api))
    produced = await feed
    return {"offered_requests_per_s": rate, "achieved_requests_per_s": round(answered / elapsed, 1),
            "load_seconds": round(elapsed, 1), "failed_requests": dict(failed),
            "ingest_produced_events_per_s": round(produced / seconds, 1),
            "latency_ms": {name: {**percentiles(t, 50, 99), "answered": len(t)} for name, t in timings.items()},
            "cpu_seconds": cpu, "cpu_ms_per_answered_request": {
                part: round(1000 * spent / answered, 2) for part, spent in cpu.items()} if answered else {}}


async def _targets(pipeline: Pipeline) -> dict[str, Any]:
    """Who asks what: ids sampled from the table, the busiest owner, tokens for each actor."""
    now = utc_now()
    async with pipeline.engine.begin() as conn:
        total = (await conn.execute(text("select count(*) from cases"))).scalar_one()
        ids = list((await conn.execute(text("select case_id from cases tablesample system (1) limit 2000"))).scalars())
        ids = ids or list((await conn.execute(text("select case_id from cases limit 2000"))).scalars())
        busiest = (await conn.execute(text(
            "select owner_cadre_id from cases where status not in ('resolved', 'closed', 'reviewed', 're_reviewed') "
            "group by 1 order by count(*) desc limit 1"))).scalar_one()
        key = (await conn.execute(text("select created_at, case_id from cases order by created_at desc, case_id "
                                       "offset :n limit 1"), {"n": min(10_000, max(0, total - 50))})).one()
        tokens = {who: await create_token(conn, role="leader" if who.startswith("t-") else "cadre", cadre_id=who,
                                          now=now) for who in {"t-sec", "t-lead01", busiest}}
    year = {"start": (now - timedelta(days=365)).isoformat(), "end": now.isoformat()}
    return {"cases": total, "ids": ids, "inbox_owner": busiest, "tokens": tokens, "year": year,
            "cursor": paging.encode(PageKey(*key), by_deadline=False)}


Request = tuple[str, dict[str, str], str]  # path, query, token


def _requests(targets: dict[str, Any], rng: random.Random) -> dict[str, Callable[[], Request]]:
    tokens = targets["tokens"]
    return {
        "case_by_id": lambda: (f"/api/v1/cases/{rng.choice(targets['ids'])}", {}, tokens["t-sec"]),
        "inbox": lambda: ("/api/v1/inbox", {"limit": "50"}, tokens[targets["inbox_owner"]]),
        "list_page_after_cursor": lambda: ("/api/v1/cases", {"limit": "50", "after": targets["cursor"]},
                                           tokens["t-sec"]),
        "counts_block": lambda: ("/api/v1/cases/counts", {}, tokens["t-lead01"]),
        "counts_district": lambda: ("/api/v1/cases/counts", {}, tokens["t-sec"]),
        "rates_block_year": lambda: ("/api/v1/rates", targets["year"], tokens["t-lead01"]),
    }


async def _warm(port: int, targets: dict[str, Any]) -> None:
    """Each kind once, so the first timed requests do not pay for cold plans and caches —
    and a kind that fails outright fails the benchmark instead of vanishing from it."""
    makers = _requests(targets, random.Random(1))
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        for name, make in makers.items():
            path, query, token = make()
            async with session.get(path, params=query, headers={"Authorization": f"Bearer {token}"}) as response:
                if response.status != 200:
                    raise RuntimeError(f"{name}: HTTP {response.status} {await response.text()}")


async def _load(port: int, targets: dict[str, Any], rate: float,
                seconds: float) -> tuple[dict[str, list[float]], int, Counter[str], float]:
    rng = random.Random(4)
    makers = _requests(targets, rng)
    schedule = rng.choices([name for name, _ in MIX], weights=[share for _, share in MIX], k=int(rate * seconds))
    timings: dict[str, list[float]] = {name: [] for name, _ in MIX}
    failed: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60)) as session:
        start = time.perf_counter()
        tasks = []
        for n, name in enumerate(schedule):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_timed(session, makers[name](), timings[name], failed)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    return timings, sum(len(t) for t in timings.values()), failed, elapsed


async def _timed(session: aiohttp.ClientSession, request: Request, into: list[float], failed: Counter[str]) -> None:
    """Only answered requests count; a refusal is counted by its status, an error by its kind."""
    path, query, token = request
    started = time.perf_counter()
    try:
        async with session.get(path, params=query, headers={"Authorization": f"Bearer {token}"}) as response:
            await response.read()
            outcome = str(response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        outcome = type(error).__name__
    if outcome == "200":
        into.append((time.perf_counter() - started) * 1000)
    else:
        failed[outcome] += 1


async def _ingest(pipeline: Pipeline, rate: float, seconds: float) -> int:
    events = await pipeline.mixed_events(int(rate * seconds), seed=99, residents_per_village=VILLAGE_RESIDENTS)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap_servers(pipeline.runtime.kafka_url or ""))
    await producer.start()
    try:
        start = time.perf_counter()
        for n, (topic, event) in enumerate(events):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await producer.send(pipeline.settings.topic(topic), orjson.dumps(event), key=str(event["event_id"]).encode())
    finally:
        await producer.stop()
    return len(events)


def _cpu_by_part(pipeline: Pipeline, worker: WorkerProcess, api: WorkerProcess) -> dict[str, float]:
    """CPU seconds so far of this run's API, worker, PostgreSQL (the server and every backend),
    broker and this process (the load generator) — other runs on the machine are not counted,
    nor a backend that ended in between."""
    postgres = pipeline.runtime.postgres
    roots = {"api": api.process.pid if api.process else None, "worker": worker.process.pid if worker.process else None,
             "postgresql": postgres.pid if postgres else None,
             "broker": next((pid for pid in pipeline.runtime.pids if postgres is None or pid != postgres.pid), None),
             "generator": psutil.Process().pid}
    spent = {}
    for part, pid in roots.items():
        spent[part] = 0.0
        if pid is None:
            continue
        try:
            root = psutil.Process(pid)
            family = [root] + (root.children(recursive=True) if part == "postgresql" else [])
        except psutil.Error:
            continue
        for process in family:
            with contextlib.suppress(psutil.Error):  # a backend that ended meanwhile
                spent[part] += sum(process.cpu_times()[:2])
    return spent


def _cpu_spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {part: round(after[part] - before[part], 2) for part in after}
