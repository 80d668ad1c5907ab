"""`python -m bench.bare_agent OUT`: the ceiling of the stream library as Minqing uses it —
Minqing's own faust app and agents (`streams.app.create_app`, same settings, batches and
acknowledgements) with an intake that does nothing, and no relay or scheduler. It writes
the events seen and the times of the first and last batch to OUT after every batch."""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faust

from infra.bootstrap import endpoints, utc_now
from infra.settings import Settings
from streams.app import WorkerServices, create_app


class NothingIntake:
    """Takes every batch in and decides nothing: what remains is faust's own work (it stands
    where the service layer's `Minqing.ingest` would)."""

    def __init__(self, out: Path) -> None:
        self._out = out
        self.seen, self.first, self.last = 0, 0.0, 0.0

    async def ingest(self, items: Sequence[Any]) -> list[Any]:
        now = time.time()
        self.first = self.first or now
        self.seen, self.last = self.seen + len(items), now
        partial = self._out.with_suffix(".partial")
        partial.write_text(json.dumps({"events": self.seen, "first": self.first, "last": self.last}))
        partial.replace(self._out)  # a reader never sees a half-written file
        return []


def main() -> None:
    settings = Settings()
    with endpoints(settings) as ep:
        intake = NothingIntake(Path(sys.argv[1]))
        services = WorkerServices(minqing=intake, clock=utc_now, escalate=False)  # type: ignore[arg-type]
        app = create_app(settings, ep.kafka_url, services)
        faust.Worker(app, loglevel="warning", override_logging=True).execute_from_commandline()


if __name__ == "__main__":
    main()
