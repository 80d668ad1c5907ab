"""Rules about what personal data is kept: an anonymous caller's identity never, a raw
event's personal fields not past retention, a token not forever."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson
import pytest

from infra.case_opening import opened_case
from infra.cli import main
from infra.demo.township import demo_roster
from infra.tokens import MAX_LIFETIME, check_lifetime
from models.intake import INPUT_TOPICS, HotlineCall
from models.retention import KEPT_FIELDS
from models.roster import Roster
from tests.conftest import hotline_call

PHONE = "13912345678"
PERSONAL = {"caller", "resident", "representatives", "household", "summary", "details", "problems", "difficulties",
            "hopes", "resolution"}


def test_an_anonymous_callers_phone_name_and_id_are_dropped_on_reading() -> None:
    call = HotlineCall.model_validate(hotline_call("anon-1", caller={
        "name": "王五", "phone": PHONE, "id_number": "330782199001011234", "anonymous": True, "sms_opt_in": True}))
    assert call.caller.model_dump() == {"name": None, "phone": None, "id_number": None, "anonymous": True,
                                        "sms_opt_in": False}


def test_an_anonymous_callers_case_stores_no_phone_anywhere() -> None:
    call = HotlineCall.model_validate(hotline_call("anon-2", caller={"name": None, "phone": PHONE, "anonymous": True}))
    opening = opened_case("hotline.calls", call, Roster.from_contract(demo_roster()), datetime.now(timezone.utc))
    stored = orjson.dumps({**opening.row, "events": opening.events}, default=str).decode()
    assert PHONE not in stored
    assert opening.row["petitioner_phone"] is None and opening.row["petitioner"]["anonymous"] is True


def test_a_named_callers_phone_is_kept() -> None:
    call = HotlineCall.model_validate(hotline_call("named", caller={"name": "王五", "phone": PHONE, "anonymous": False}))
    assert call.caller.phone == PHONE


def test_retention_keeps_no_field_that_can_carry_personal_data() -> None:
    assert not KEPT_FIELDS & PERSONAL
    every_field = {name for _, model in INPUT_TOPICS.values() for name in model.model_fields}
    assert every_field >= PERSONAL, "the list of personal fields names fields the events really have"


@pytest.mark.parametrize("days", [0, -3, MAX_LIFETIME.days + 1])
def test_a_token_without_a_sane_lifetime_is_refused(days: int) -> None:
    with pytest.raises(ValueError):
        check_lifetime(timedelta(days=days))
    with pytest.raises(SystemExit) as refused:  # before anything connects anywhere
        main(["token", "create", "--role", "admin", "--days", str(days)])
    assert "lifetime" in str(refused.value) or "at most" in str(refused.value)
