"""Intake's pure parts: parsing with readable refusals, and the case ⇄ stored-state mapping."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import orjson
import pytest

from infra.case_opening import case_id_for, opened_case
from infra.db.case_state import from_state, to_state
from infra.demo.township import demo_roster
from infra.services.intake import Rejected, parse_event
from models.case_actions import Accept
from models.roster import Roster
from tests.conftest import hotline_call

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
ROSTER = Roster.from_contract(demo_roster())


def _raw(**overrides: object) -> bytes:
    return orjson.dumps(hotline_call("e-1", **{"occurred_at": "2026-11-30T09:30:00+08:00", **overrides}))


@pytest.mark.parametrize(("raw", "fragment"), [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "expected a JSON object"),
    (_raw(village_code="12345"), "village_code"),
    (_raw(kind="gossip"), "kind"),
    (_raw(occurred_at="2026-11-30T09:30:00"), "occurred_at"),
    (_raw(summary="长" * 201), "summary"),
    (_raw(dialled_cadre_id="v1-dir"), "dialled_cadre_id: Extra inputs are not permitted"),
])
def test_bad_events_are_refused_with_the_field_and_the_reason(raw: bytes, fragment: str) -> None:
    with pytest.raises(Rejected) as refusal:
        parse_event("hotline.calls", raw)
    assert fragment in refusal.value.reason


def test_case_id_depends_only_on_topic_and_event_id() -> None:
    assert case_id_for("hotline.calls", "a") == case_id_for("hotline.calls", "a")
    assert case_id_for("hotline.calls", "a") != case_id_for("diary.entries", "a")
    assert case_id_for("hotline.calls", "a") != case_id_for("hotline.calls", "b")


def test_the_stored_state_round_trips_through_json_after_actions() -> None:
    opening = opened_case("hotline.calls", parse_event("hotline.calls", _raw(
        accused={"cadre_ids": ["v1-sec"], "unit_codes": []}, dialed_cadre_id="v1-dir")), ROSTER, NOW)
    case = opening.case.apply(Accept(actor="v1-dir"), NOW + timedelta(hours=1), ROSTER)

    stored = json.loads(orjson.dumps(to_state(case)))

    assert from_state(stored, case.events) == case


def test_an_opened_case_row_carries_owner_deadlines_and_two_events() -> None:
    opening = opened_case("hotline.calls", parse_event("hotline.calls", _raw()), ROSTER, NOW)

    assert opening.row["owner_cadre_id"] == "v1-dir"
    assert opening.row["status"] == "assigned"
    assert opening.row["next_due_at"] == min(opening.case.deadlines.values())
    assert [e["type"] for e in opening.events] == ["opened", "assigned"]
    assert len(opening.row["tracking_code"]) == 10
