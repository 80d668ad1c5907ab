"""`python -m bench profile`: where intake's time goes, in-process (no faust, no relay): the
realistic mix taken in by the service layer (`Minqing.ingest`) in batches of 500 under
pyinstrument, twice in the
same run — with the first case-state codec (the `{"$dt": …}` walk, re-created here) and with
the current one — plus a micro-benchmark of both codecs on a domain-made case."""
from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from pyinstrument import Profiler

from bench.pipeline import Pipeline, encoded
from bench.report import RESULTS, VILLAGE_RESIDENTS, publish, rate
from infra.bootstrap import bootstrap
from infra.db import case_rows
from infra.db.case_state import from_state, to_state
from infra.services.intake import IntakeItem
from models.case import Case
from models.lifecycle import CaseStatus

BATCH = 500


def first_codec_state(case: Case) -> dict[str, Any]:
    """The state as the first codec wrote it: a generic walk tagging times and sets."""
    def encode(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"$dt": value.isoformat()}
        if isinstance(value, CaseStatus):
            return value.value
        if isinstance(value, frozenset):
            return {"$set": sorted(encode(v) for v in value)}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [encode(v) for v in value]
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        return value
    return {f.name: encode(getattr(case, f.name)) for f in dataclasses.fields(case)
            if f.name not in ("events", "base_version")}


async def run(data_dir: Path, *, events: int, smoke: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {"events": events}
    texts = []
    for codec, encoder in (("first_codec", first_codec_state), ("msgspec_codec", to_state)):
        pipeline = await Pipeline.start(data_dir / codec)
        try:
            mix = await pipeline.mixed_events(events, seed=2026, residents_per_village=VILLAGE_RESIDENTS)
            items = [IntakeItem(topic.removeprefix(pipeline.settings.topic_prefix), value, 0, n, key)
                     for n, (topic, key, value) in enumerate(encoded(pipeline.settings, mix))]
            intake = bootstrap("", engine=pipeline.engine).app
            await intake.ingest(items[:10])  # warm: roster, connections, statement caches
            with mock.patch.object(case_rows, "to_state", encoder):
                profiler = Profiler(async_mode="enabled")
                started = time.perf_counter()
                with profiler:
                    for offset in range(10, len(items), BATCH):
                        await intake.ingest(items[offset:offset + BATCH])
                seconds = time.perf_counter() - started
        finally:
            await pipeline.close()
        cpu = profiler.last_session.cpu_time if profiler.last_session else float("nan")
        figures[codec] = {"events_per_s": rate(len(items) - 10, seconds),
                          "ms_per_event": round(seconds / (len(items) - 10) * 1000, 3),
                          "cpu_ms_per_event": round(cpu / (len(items) - 10) * 1000, 3)}
        texts.append(f"==== intake with the {codec}\n" + profiler.output_text(show_all=False, color=False,
                                                                                 unicode=False))
    figures["codec_micro_us"] = _codec_micro()
    if not smoke:
        (RESULTS / "profile-intake.txt").write_text("\n".join(texts))
    return publish("profile-intake", figures, smoke=smoke)


def _codec_micro(n: int = 20_000) -> dict[str, float]:
    """Encode (to JSON bytes, as the engine would) and decode (from the JSONB's dict), per case."""
    import orjson

    from infra.case_opening import opened_case
    from infra.demo.township import demo_roster
    from infra.services.intake import parse_event
    from models.case_actions import Accept
    from models.roster import Roster

    roster = Roster.from_contract(demo_roster())
    raw = orjson.dumps({"event_id": "m-1", "occurred_at": "2026-11-30T09:30:00+08:00", "village_code": "330782101201",
                        "category": "water", "summary": "停水", "operator_id": "t-op1", "kind": "help",
                        "caller": {"name": "王", "phone": "13900000001", "id_number": None, "anonymous": False},
                        "dialed_cadre_id": "v1-dir", "urgency": "normal",
                        "accused": {"cadre_ids": ["v1-sec"], "unit_codes": []}})
    now = datetime.fromisoformat("2026-11-30T10:00:00+08:00")
    case = opened_case("hotline.calls", parse_event("hotline.calls", raw), roster, now).case
    case = case.apply(Accept(actor="v1-dir"), now, roster)
    out: dict[str, float] = {}
    for name, encode in (("first", first_codec_state), ("msgspec", to_state)):
        started = time.perf_counter()
        for _ in range(n):
            stored = orjson.dumps(encode(case))
        out[f"{name}_encode"] = round((time.perf_counter() - started) / n * 1e6, 2)
        loaded = orjson.loads(stored)
        started = time.perf_counter()
        for _ in range(n):
            from_state(loaded, case.events)
        out[f"{name}_decode"] = round((time.perf_counter() - started) / n * 1e6, 2)
        out[f"{name}_bytes"] = len(stored)
    return out
