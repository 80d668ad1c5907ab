"""`python -m bench retention`: what intake keeps per event, without faust — the realistic mix
taken in by the service layer in small batches (as at a steady 50 events/s), tracemalloc
snapshots after a warm-up and at the end, the growth grouped by allocating line. Beside
bench.steady (the whole worker), this tells intake's own retention from the stream library's."""
from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

from bench.pipeline import Pipeline, encoded
from bench.report import RESULTS, VILLAGE_RESIDENTS, publish
from infra.bootstrap import bootstrap
from infra.services.intake import IntakeItem

BATCH = 50


async def run(data_dir: Path, *, events: int, smoke: bool, warm_up: int = 2_000) -> dict[str, Any]:
    pipeline = await Pipeline.start(data_dir)
    try:
        mix = await pipeline.mixed_events(warm_up + events, seed=51, residents_per_village=VILLAGE_RESIDENTS)
        items = [IntakeItem(topic.removeprefix(pipeline.settings.topic_prefix), value, 0, n, key)
                 for n, (topic, key, value) in enumerate(encoded(pipeline.settings, mix))]
        app = bootstrap("", engine=pipeline.engine).app
        tracemalloc.start(4)
        for offset in range(0, warm_up, BATCH):
            await app.ingest(items[offset:offset + BATCH])
        gc.collect()
        before, traced_before = tracemalloc.take_snapshot(), tracemalloc.get_traced_memory()[0]
        for offset in range(warm_up, len(items), BATCH):
            await app.ingest(items[offset:offset + BATCH])
        gc.collect()
        after, traced_after = tracemalloc.take_snapshot(), tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    finally:
        await pipeline.close()
    growth = [s for s in after.compare_to(before, "lineno") if s.size_diff > 0][:15]
    report = "\n".join(f"{s.size_diff / 1024:+9.0f} KiB {s.count_diff:+7d} blocks  {s.traceback}" for s in growth)
    if not smoke:
        (RESULTS / "retention-intake.txt").write_text(report + "\n")
    return publish("retention-intake", {
        "events": events, "batch": BATCH, "kept_bytes_per_event": round((traced_after - traced_before) / events, 1),
        "top_lines": [f"{s.size_diff / 1024:+.0f} KiB {s.traceback}" for s in growth[:6]]}, smoke=smoke)
