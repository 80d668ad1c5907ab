"""The stored case state: every aggregate comes back equal (times with their own UTC offsets),
whatever its fields hold; states written by the first codec are still read."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.db.case_state import from_state, from_state_json, state_json, to_state
from models.case import Case, CaseEvent
from models.chain import Recusal
from models.deadlines import Basis
from models.lifecycle import CaseStatus
from tests.unit.strategies import aware_datetimes

ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
maybe_time = st.none() | aware_datetimes()


@st.composite
def cases(draw: st.DrawFn) -> Case:
    accused = draw(st.frozensets(ids, max_size=3))
    return Case(
        case_id=draw(ids), source=draw(st.sampled_from(["hotline", "contactcard", "diary", "reception"])),
        source_event_id=draw(ids), village_code=draw(st.from_regex(r"\d{12}", fullmatch=True)),
        category=draw(ids), kind=draw(st.none() | ids), urgency=draw(st.sampled_from(["normal", "urgent"])),
        occurred_at=draw(aware_datetimes()), deadlines=draw(st.dictionaries(ids, aware_datetimes(), max_size=4)),
        status=draw(st.sampled_from(CaseStatus)), owner_cadre_id=draw(st.none() | ids),
        handler_cadre_id=draw(st.none() | ids), owner_level=draw(st.integers(0, 3)),
        escalation_level=draw(st.integers(0, 3)), escalated_to_cadre_id=draw(st.none() | ids),
        recusal=Recusal(accused, draw(st.frozensets(ids, max_size=2)),
                        tuple(draw(st.lists(st.tuples(ids, ids), max_size=3)))),
        assigned_at=draw(maybe_time), objection_until=draw(maybe_time), accepted_at=draw(maybe_time),
        paused_at=draw(maybe_time), extensions=draw(st.integers(0, 3)),
        warned_stages=draw(st.frozensets(ids, max_size=3)), reply=draw(st.none() | st.text(max_size=50)),
        replied_at=draw(maybe_time), callback_result=draw(st.none() | ids), callback_note=draw(st.none() | ids),
        problem_solved=draw(st.none() | st.booleans()), unsatisfied_count=draw(st.integers(0, 5)),
        closed_at=draw(maybe_time), review_decided_at=draw(maybe_time), re_review_decided_at=draw(maybe_time),
        deadline_basis=draw(st.dictionaries(st.sampled_from(STAGES), bases(), max_size=3)))


STAGES = ["first_contact", "handling", "acceptance", "conclusion"]


@st.composite
def bases(draw: st.DrawFn) -> Basis:
    """A deadline's basis: it starts at a moment or at another stage's due time."""
    start = draw(aware_datetimes() | st.sampled_from(STAGES))
    return Basis(start, draw(st.integers(0, 90)), draw(st.sampled_from(["working_days", "days", "hours"])),
                 draw(st.integers(0, 30)), draw(st.floats(0, 1e7, allow_nan=False)), draw(st.none() | st.sampled_from(STAGES)))


def _stored(state: dict[str, Any]) -> dict[str, Any]:
    """What PostgreSQL gives back: the state through the engine's JSON serializer and a JSONB."""
    return orjson.loads(orjson.dumps(state))


def _times(case: Case) -> dict[str, tuple[datetime, Any]]:
    """Every time of the case with its UTC offset (equal datetimes may differ in offset)."""
    found = {f.name: (v, v.utcoffset()) for f in dataclasses.fields(case)
             if isinstance(v := getattr(case, f.name), datetime)}
    return found | {f"deadline {stage}": (due, due.utcoffset()) for stage, due in case.deadlines.items()} | {
        f"basis {stage}": (basis.start, basis.start.utcoffset()) for stage, basis in case.deadline_basis.items()
        if isinstance(basis.start, datetime)}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_case_comes_back_equal_with_its_offsets(case: Case) -> None:
    back = from_state(_stored(to_state(case)))

    assert back == case
    assert _times(back) == _times(case)


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(0, 50))
def test_history_and_version_are_attached_as_given(case: Case, base_version: int) -> None:
    event = CaseEvent(f"{case.case_id}:{base_version + 1}", case.case_id, base_version + 1, "progress",
                      case.occurred_at, "v1-dir", case.source_event_id, {"note": "已联系"})

    back = from_state(_stored(to_state(case)), (event,), base_version)

    assert back.events == (event,) and back.version == base_version + 1
    assert dataclasses.replace(back, events=(), base_version=0) == case


# --- the same codec straight to and from JSON text (the scheduler's path) --------------------

@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_state_as_json_text_is_the_state(case: Case) -> None:
    assert orjson.loads(state_json(case)) == _stored(to_state(case))


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 50))
def test_json_text_decodes_to_the_case_from_state_gives(case: Case, base_version: int) -> None:
    """What PostgreSQL hands back for `state::text` (its own spacing and key order) decodes to
    exactly what the dict path gives, offsets included."""
    text = json.dumps(_stored(to_state(case)), sort_keys=True, ensure_ascii=False)

    back = from_state_json(text, (), base_version)

    assert back == from_state(_stored(to_state(case)), (), base_version)
    assert back.version == base_version and _times(back) == _times(case)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_a_first_codec_state_as_json_text_is_read_too(case: Case) -> None:
    legacy = {k: v for k, v in _first_codec(case).items() if k not in ("events", "base_version")}
    event = CaseEvent(f"{case.case_id}:1", case.case_id, 1, "progress", case.occurred_at, None, case.source_event_id)

    back = from_state_json(orjson.dumps(legacy), (event,))

    assert back == dataclasses.replace(case, events=(event,))
    assert _times(back) == _times(case)


def test_fields_at_their_defaults_are_not_written() -> None:
    at = datetime(2026, 11, 30, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    case = Case("c-1", "hotline", "e-1", "330782101201", "water", "help", "normal", at, {"handling": at})

    assert set(to_state(case)) == {"case_id", "source", "source_event_id", "village_code", "category", "kind",
                                   "urgency", "occurred_at", "deadlines"}
    assert to_state(case)["occurred_at"] == "2026-11-30T09:30:00+08:00"


# --- states the first codec wrote stay readable ----------------------------------------------

def _first_codec(value: Any) -> Any:
    """How the first codec stored a value: times and sets tagged, dataclasses as dicts."""
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, CaseStatus):
        return value.value
    if isinstance(value, frozenset):
        return {"$set": sorted(_first_codec(v) for v in value)}
    if dataclasses.is_dataclass(value):
        return {f.name: _first_codec(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_first_codec(v) for v in value]
    if isinstance(value, dict):
        return {k: _first_codec(v) for k, v in value.items()}
    return value


@settings(max_examples=200, deadline=None)
@given(cases())
def test_a_state_written_by_the_first_codec_is_read_as_the_same_case(case: Case) -> None:
    legacy = {k: v for k, v in _first_codec(case).items() if k not in ("events", "base_version")}

    back = from_state(_stored(legacy))

    assert back == case
    assert _times(back) == _times(case)


def test_a_state_stored_by_the_first_codec_in_production_is_read() -> None:
    stored = orjson.loads(
        '{"case_id": "87f11ceb-7190-5f39-9093-b7fffd7dd025", "source": "hotline", "source_event_id": "sim-7-mx-0",'
        ' "village_code": "330782100078", "category": "water", "kind": "help", "urgency": "normal",'
        ' "occurred_at": {"$dt": "2023-11-29T12:00:00+08:00"}, "deadlines": {"first_contact":'
        ' {"$dt": "2023-11-30T12:00:00+08:00"}, "handling": {"$dt": "2023-12-13T12:00:00+08:00"}},'
        ' "status": "closed", "owner_cadre_id": "v078-sec", "handler_cadre_id": "v078-sec", "owner_level": 1,'
        ' "escalation_level": 0, "escalated_to_cadre_id": null, "recusal": {"accused_cadre_ids": {"$set": []},'
        ' "accused_unit_codes": {"$set": []}, "unit_members": []}, "assigned_at": {"$dt": "2023-11-29T12:00:00+08:00"},'
        ' "objection_until": {"$dt": "2023-12-06T12:00:00+08:00"}, "accepted_at": {"$dt": "2023-11-29T17:30:00+08:00"},'
        ' "paused_at": null, "extensions": 0, "warned_stages": {"$set": ["first_contact"]}, "reply": "已处理完毕",'
        ' "replied_at": {"$dt": "2023-12-02T19:00:00+08:00"}, "callback_result": "satisfied",'
        ' "callback_note": "群众表示满意", "problem_solved": true, "unsatisfied_count": 0,'
        ' "closed_at": {"$dt": "2023-12-06T01:30:00+08:00"}, "review_decided_at": null, "re_review_decided_at": null}')

    case = from_state(stored, (), 9)

    assert case.status is CaseStatus.CLOSED and case.version == 9
    assert case.deadlines["handling"] == datetime(2023, 12, 13, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    assert case.warned_stages == frozenset({"first_contact"}) and case.recusal == Recusal()
    assert from_state(_stored(to_state(case)), (), 9) == case
