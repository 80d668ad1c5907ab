"""The case aggregate ⇄ JSON, for the `cases.state` column.

The aggregate's own fields are stored whole, so the domain — not SQL — decides what a
case may do next; the other columns of `cases` are projections for queries and indexes.
Events are not part of the state: they live in `case_events` and are loaded beside it.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import lru_cache
from typing import Any

from models.case import Case, CaseEvent
from models.chain import Recusal
from models.lifecycle import CaseStatus


_NOT_STATE = ("events", "base_version")  # history lives in case_events
_PLAIN = (str, int, float, bool)


@lru_cache(maxsize=64)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _encode(value: Any) -> Any:
    # Most fields are plain values or None: answer those first (this runs for every change).
    if value is None or isinstance(value, _PLAIN) and not isinstance(value, CaseStatus):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, CaseStatus):
        return value.value
    if isinstance(value, (frozenset, set)):
        return {"$set": sorted(_encode(v) for v in value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, dict):
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$set" in value:
            return frozenset(_decode(v) for v in value["$set"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def to_state(case: Case) -> dict[str, Any]:
    return {name: _encode(getattr(case, name)) for name in _field_names(Case) if name not in _NOT_STATE}


def from_state(state: dict[str, Any], events: tuple[CaseEvent, ...] = (), base_version: int = 0) -> Case:
    values = {name: _decode(raw) for name, raw in state.items()}
    values["status"] = CaseStatus(values["status"])
    values["recusal"] = Recusal(**values["recusal"])
    return Case(**values, events=events, base_version=base_version)


def event_from_row(row: dict[str, Any]) -> CaseEvent:
    return CaseEvent(row["event_id"], row["case_id"], row["seq"], row["type"], row["at"],
                     row["actor"], row["source_event_id"] or "", row["data"])
