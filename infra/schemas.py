"""The published JSON Schemas of the input events, generated from `models.intake`."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.intake import INPUT_TOPICS


def event_schemas() -> dict[str, dict[str, Any]]:
    schemas = {}
    for topic, (_, model) in INPUT_TOPICS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{topic} event"
        schemas[topic] = schema
    return schemas


def write_event_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, schema in event_schemas().items():
        path = out_dir / f"{topic}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
