"""Printing figures and keeping them: bench/results/<name>.json, one file per benchmark."""
from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    import psutil

    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def publish(name: str, figures: dict[str, Any], *, smoke: bool) -> dict[str, Any]:
    record = {"benchmark": name, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "smoke": smoke, "machine": machine(), **figures}
    print(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    if not smoke:  # smoke runs (CI) prove the benchmark runs; they are not figures to keep
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{name}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n")
    return record


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("nan")


def percentiles(samples: list[float], *points: float) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {}
    return {f"p{p:g}": round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 2) for p in points}


# Residents per village the benchmarks' simulated petitioners are drawn from: a village of
# about two thousand, so repeat petitions are as common as in life, not as in a small demo.
VILLAGE_RESIDENTS = 2000
