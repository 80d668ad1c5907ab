"""docs/schemas/ is generated from models.intake: it must not drift from the code."""
from __future__ import annotations

import json
from pathlib import Path

from infra.schemas import event_schemas

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


def test_published_event_schemas_match_the_code() -> None:
    for topic, schema in event_schemas().items():
        published = json.loads((DOCS / f"{topic}.schema.json").read_text(encoding="utf-8"))
        assert published == schema, f"run `minqing schemas` to refresh docs/schemas/{topic}.schema.json"


def test_schemas_require_the_contract_fields() -> None:
    hotline = event_schemas()["hotline.calls"]
    assert {"event_id", "occurred_at", "village_code", "summary", "operator_id", "caller", "kind"} <= set(
        hotline["required"])
    assert hotline["additionalProperties"] is False
