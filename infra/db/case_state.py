"""The case aggregate ⇄ JSON, for the `cases.state` column.

The aggregate's own fields are stored whole, so the domain — not SQL — decides what a
case may do next; the other columns of `cases` are projections for queries and indexes.
Events are not part of the state: they live in `case_events` and are loaded beside it.

The codec is msgspec's, driven by the `Case` dataclass itself (a struct derived from its
fields, so the two cannot drift): times are RFC 3339 strings, sets sorted lists, and a field
still at its default is left out. A state written by the first codec (times as `{"$dt": …}`,
sets as `{"$set": […]}`, every field present) is still read.

`state_json` / `from_state_json` are the same codec straight to and from JSON text, for the
scheduler's hot path (issue 12): one msgspec pass each way instead of builtins and a second
JSON pass (and, on reading, SQLAlchemy's JSON decode before `convert`).
"""
from __future__ import annotations

import dataclasses
import typing
from datetime import datetime
from functools import lru_cache
from typing import Any

import msgspec
import orjson

from models.case import Case, CaseEvent
from models.chain import Recusal
from models.deadlines import Basis
from models.lifecycle import CaseStatus

_NOT_STATE = ("events", "base_version")  # history lives in case_events
_PLAIN = (str, int, float, bool)


@lru_cache(maxsize=1)
def _stored_fields() -> tuple[tuple[str, ...], type[msgspec.Struct]]:
    hints = typing.get_type_hints(Case)
    fields = [f for f in dataclasses.fields(Case) if f.name not in _NOT_STATE]
    spec = [(f.name, hints[f.name], _default(f)) for f in fields]
    return tuple(f.name for f in fields), msgspec.defstruct("StoredCase", spec, omit_defaults=True, kw_only=True)


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return msgspec.field(default_factory=f.default_factory)
    return msgspec.NODEFAULT


def to_state(case: Case) -> dict[str, Any]:
    names, stored = _stored_fields()
    return msgspec.to_builtins(stored(**{name: getattr(case, name) for name in names}),  # type: ignore[no-any-return]
                               order="deterministic")


def state_json(case: Case) -> str:
    """`to_state(case)` as JSON text (equal once parsed), in one pass."""
    names, stored = _stored_fields()
    return _ENCODER.encode(stored(**{name: getattr(case, name) for name in names})).decode()


def from_state_json(state: str | bytes, events: tuple[CaseEvent, ...] = (), base_version: int = 0) -> Case:
    """`from_state` of the state's JSON text, decoded straight into the aggregate; a state of
    the first codec (which the aggregate's types refuse) goes the long way."""
    try:
        case = _decoder().decode(state)
    except msgspec.ValidationError:
        return from_state(orjson.loads(state), events, base_version)
    # A freshly decoded aggregate nobody else holds yet: its fields are set in place.
    if case.deadline_basis:
        object.__setattr__(case, "deadline_basis", {stage: _basis(raw) for stage, raw in case.deadline_basis.items()})
    if base_version:
        object.__setattr__(case, "base_version", base_version)
    if events:
        object.__setattr__(case, "events", events)
    return case


_ENCODER = msgspec.json.Encoder(order="deterministic")  # as `to_state`: sets sorted


@lru_cache(maxsize=1)
def _decoder() -> msgspec.json.Decoder[Case]:
    return msgspec.json.Decoder(Case)


def from_state(state: dict[str, Any], events: tuple[CaseEvent, ...] = (), base_version: int = 0) -> Case:
    if isinstance(state.get("occurred_at"), dict):
        return _from_first_codec(state, events, base_version)
    values = {**state, "base_version": base_version} if base_version else state
    if values.get("deadline_basis"):  # typed Any in the aggregate: its times are ours to read
        values = {**values, "deadline_basis": {stage: _basis(raw) for stage, raw in values["deadline_basis"].items()}}
    case = msgspec.convert(values, Case)
    if events:
        # A freshly decoded aggregate nobody else holds yet: set its history in place, since
        # dataclasses.replace would rebuild all thirty-odd fields again.
        object.__setattr__(case, "events", events)
    return case


def _basis(raw: Any) -> Basis:
    """A stored deadline basis: its start is a moment (RFC 3339) or the name of a stage."""
    start = raw[0]
    if isinstance(start, str) and start[:4].isdigit():
        start = datetime.fromisoformat(start)
    return Basis(start, *raw[1:])


def event_from_row(row: dict[str, Any]) -> CaseEvent:
    return CaseEvent(row["event_id"], row["case_id"], row["seq"], row["type"], row["at"],
                     row["actor"], row["source_event_id"] or "", row["data"])


# --- the first codec's states (written before msgspec): read, never written --------------------

def _from_first_codec(state: dict[str, Any], events: tuple[CaseEvent, ...], base_version: int) -> Case:
    values = {name: _decode(raw) for name, raw in state.items()}
    values["status"] = CaseStatus(values["status"])
    values["recusal"] = Recusal(**values["recusal"])
    if values.get("deadline_basis"):
        values["deadline_basis"] = {stage: Basis(*raw) for stage, raw in values["deadline_basis"].items()}
    return Case(**values, events=events, base_version=base_version)


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
