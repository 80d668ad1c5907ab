"""The rule table of issue 13: who hears what, the accused never, no petitioner's phone or
ID number in any text, stable ids."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.demo.township import demo_roster
from models.case import CaseEvent
from models.chain import Recusal, recusal_for
from models.notifications import (Alert, CaseFacts, Petitioner, Policy, for_alert, for_case_event,
                                  notification_id)
from models.roster import Roster

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 11, 10, 0, tzinfo=SHANGHAI)
V1 = "330782101201"
ROSTER = Roster.from_contract(demo_roster())
PHONE, ID_NUMBER = "13912345678", "33078219800101123X"


def ev(seq: int, type_: str, actor: str | None = "system", **data: Any) -> CaseEvent:
    return CaseEvent(f"c1:{seq}", "c1", seq, type_, NOW + timedelta(minutes=seq), actor, "call-1", data)


OPENED = [ev(1, "opened", "t-op1"),
          ev(2, "assigned", owner_cadre_id="v1-dir", handler_cadre_id="v1-ddir", escalation_level=0)]


def facts(*more: CaseEvent, recusal: Recusal = Recusal(), petitioner: Petitioner = Petitioner(),
          summary: str = "自来水停水三天", urgency: str = "normal") -> CaseFacts:
    return CaseFacts("c1", "K7QX2M9PTA", V1, "water", urgency, summary, recusal, (*OPENED, *more),
                     due_at=NOW + timedelta(days=5), petitioner=petitioner)


def told(event: CaseEvent, f: CaseFacts | None = None) -> set[tuple[str, str]]:
    f = f or facts(event)
    return {(n.recipient_cadre_id, n.kind) for n in for_case_event(event, f, ROSTER, NOW).notifications}


def test_a_new_case_tells_its_owner_and_its_handler() -> None:
    assert told(OPENED[1], facts()) == {("v1-dir", "case_assigned"), ("v1-ddir", "case_assigned")}


def test_delegation_tells_the_new_handler_only() -> None:
    event = ev(3, "delegated", "v1-dir", handler_cadre_id="v1-m1")
    assert told(event) == {("v1-m1", "case_assigned")}


def test_a_transfer_tells_the_new_owner_and_handler_and_the_objector_hears_the_decision() -> None:
    objected = ev(3, "objected", "v1-dir", reason="不是本村的事")
    moved = ev(4, "transferred", "t-lead1", owner_cadre_id="v2-dir", handler_cadre_id="v2-ddir")
    assert told(moved, facts(objected, moved)) == {("v2-dir", "case_assigned"), ("v2-ddir", "case_assigned"),
                                                   ("v1-dir", "objection_decided")}


def test_an_overruled_objection_is_told_to_the_objector() -> None:
    objected = ev(3, "objected", "v1-ddir", reason="x")
    overruled = ev(4, "objection_overruled", "t-lead1", reason="属本村职责")
    assert told(overruled, facts(objected, overruled)) == {("v1-ddir", "objection_decided")}


def test_the_75_percent_warning_goes_to_the_handler_at_that_time() -> None:
    delegated = ev(3, "delegated", "v1-dir", handler_cadre_id="v1-m1")
    warned = ev(4, "warned", stage="handling", due=(NOW + timedelta(days=1)).isoformat())
    notes = for_case_event(warned, facts(delegated, warned), ROSTER, NOW).notifications
    assert [(n.recipient_cadre_id, n.kind) for n in notes] == [("v1-m1", "deadline_warning")]
    assert notes[0].due_at == NOW + timedelta(days=1)


def test_becoming_overdue_tells_the_new_level_and_the_owner_and_handler_below() -> None:
    escalated = ev(3, "escalated", level=1, recipient_cadre_id="v1-sec", reason="overdue")
    assert told(escalated) == {("v1-sec", "case_overdue"), ("v1-dir", "case_overdue"), ("v1-ddir", "case_overdue")}


def test_each_further_escalation_tells_the_new_level_and_the_one_below() -> None:
    first = ev(3, "escalated", level=1, recipient_cadre_id="v1-sec")
    second = ev(4, "escalated", level=2, recipient_cadre_id="t-lead1")
    assert told(second, facts(first, second)) == {("t-lead1", "case_escalated"), ("v1-sec", "case_escalated")}


def test_a_long_overdue_case_climbing_several_levels_at_once_tells_the_level_below_too() -> None:
    jumped = ev(3, "escalated", level=3, recipient_cadre_id="t-sec")
    assert told(jumped) == {("t-sec", "case_overdue"), ("t-lead1", "case_overdue"), ("v1-dir", "case_overdue"),
                            ("v1-ddir", "case_overdue")}


def test_an_objection_goes_to_the_leader_in_charge_who_decides() -> None:
    assert told(ev(3, "objected", "v1-dir", reason="属镇农办职责")) == {("t-lead1", "objection_raised")}


def test_an_extension_request_goes_to_the_deciding_leader_and_the_decision_to_the_requester() -> None:
    asked = ev(3, "extension_requested", "v1-ddir", request_id=7, requested_by="v1-ddir", days=10, reason="需协调水务")
    assert told(asked) == {("t-lead1", "extension_requested")}
    decided = ev(4, "extension_decided", "t-lead1", request_id=7, requested_by="v1-ddir", status="approved", days=10)
    notes = for_case_event(decided, facts(asked, decided), ROSTER, NOW).notifications
    assert [(n.recipient_cadre_id, n.kind) for n in notes] == [("v1-ddir", "extension_decided")]
    assert "批准" in notes[0].text


def test_a_leader_requesting_an_extension_is_not_asked_to_approve_it() -> None:
    asked = ev(3, "extension_requested", "t-lead1", requested_by="t-lead1", days=5, reason="x")
    assert told(asked) == {("t-sec", "extension_requested")}


def test_a_reply_puts_the_case_in_every_operators_callback_queue() -> None:
    assert told(ev(3, "replied", "v1-ddir", reply="已修复")) == {("t-op1", "callback_due"), ("t-op2", "callback_due")}


def test_an_unsatisfied_callback_sends_the_case_back_to_its_handler() -> None:
    assert told(ev(3, "reopened", "t-op1", callback="unsatisfied")) == {("v1-ddir", "case_assigned")}


def test_events_without_a_rule_tell_nobody() -> None:
    for type_ in ("accepted", "progress", "resolved", "closed", "opened", "paused"):
        assert told(ev(3, type_)) == set()


def test_an_early_warning_goes_at_once_to_the_leader_it_names() -> None:
    notes = for_alert(Alert("early-warning:1", V1, "water", 5, NOW, "t-lead1"), ROSTER, NOW)
    assert [(n.recipient_cadre_id, n.kind, n.urgent) for n in notes] == [("t-lead1", "early_warning", True)]
    assert for_alert(Alert("early-warning:2", V1, "water", 5, NOW, None), ROSTER, NOW) == ()  # to the county


def test_an_early_warning_never_reaches_anyone_the_cluster_accuses() -> None:
    recusal = recusal_for(ROSTER, ["t-lead1"], [], V1)
    assert for_alert(Alert("early-warning:3", V1, "water", 5, NOW, "t-lead1", recusal), ROSTER, NOW) == ()
    notes = for_alert(Alert("early-warning:3", V1, "water", 5, NOW, "t-sec", recusal), ROSTER, NOW)
    assert [(n.recipient_cadre_id, n.confidential) for n in notes] == [("t-sec", True)]


# --- the accused are never told ------------------------------------------------------------------

EVERY_EVENT = [
    ev(2, "assigned", owner_cadre_id="v1-dir", handler_cadre_id="v1-ddir"),
    ev(3, "delegated", handler_cadre_id="v1-sec"),
    ev(3, "transferred", owner_cadre_id="v1-sec", handler_cadre_id="v1-m1"),
    ev(3, "warned", stage="handling"),
    ev(3, "escalated", level=1, recipient_cadre_id="v1-sec"),
    ev(3, "escalated", level=2, recipient_cadre_id="t-lead1"),
    ev(3, "objected", "v1-dir", reason="x"),
    ev(3, "extension_requested", "v1-ddir", requested_by="v1-ddir", days=3, reason="x"),
    ev(3, "extension_decided", requested_by="v1-ddir", status="refused", days=3),
    ev(3, "replied", reply="x"), ev(3, "reopened"),
]
CADRES = [c.cadre_id for c in ROSTER.cadres]


@settings(max_examples=200, deadline=None)
@given(event=st.sampled_from(EVERY_EVENT), accused=st.sets(st.sampled_from(CADRES), min_size=1, max_size=4),
       units=st.sets(st.sampled_from([V1, "330782101202"]), max_size=1))
def test_nobody_accused_or_in_an_accused_unit_is_ever_told(event: CaseEvent, accused: set[str],
                                                           units: set[str]) -> None:
    recusal = recusal_for(ROSTER, accused, units, V1)
    outcome = for_case_event(event, facts(event, recusal=recusal), ROSTER, NOW)
    assert not {n.recipient_cadre_id for n in outcome.notifications} & recusal.excluded
    assert all(n.confidential for n in outcome.notifications)
    for leader in ("t-lead1", "t-sec"):
        alert = for_alert(Alert("a", V1, "water", 5, NOW, leader, recusal), ROSTER, NOW)
        assert not {n.recipient_cadre_id for n in alert} & recusal.excluded


def test_a_case_accusing_someone_carries_no_summary_in_its_texts() -> None:
    recusal = recusal_for(ROSTER, ["v1-sec"], [], V1)  # routed above the accused: the leader in charge
    assigned = ev(2, "assigned", owner_cadre_id="t-lead1", handler_cadre_id="t-lead1", escalation_level=2)
    notes = for_case_event(assigned, facts(recusal=recusal, summary="村支书侵占补偿款"), ROSTER, NOW).notifications
    assert notes and all("侵占" not in n.text and "检举控告" in n.text for n in notes)


# --- no petitioner's phone or ID number ------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(event=st.sampled_from(EVERY_EVENT), before=st.text(max_size=20), after=st.text(max_size=20),
       sep=st.sampled_from(["", " ", "-"]))
def test_no_text_carries_the_petitioners_phone_or_id_number(event: CaseEvent, before: str, after: str,
                                                            sep: str) -> None:
    spaced = sep.join((PHONE[:3], PHONE[3:7], PHONE[7:]))
    summary = f"{before}电话{spaced}，身份证{ID_NUMBER}{after}"
    data = {**event.data, "reason": summary} if "reason" in event.data else event.data
    event = CaseEvent(event.event_id, event.case_id, event.seq, event.type, event.at, event.actor,
                      event.source_event_id, data)
    who = Petitioner(PHONE, ID_NUMBER, sms_opt_in=True)
    outcome = for_case_event(event, facts(event, summary=summary, petitioner=who), ROSTER, NOW)
    for note in outcome.notifications:
        flat = note.text.replace(" ", "").replace("-", "")
        assert PHONE not in flat and ID_NUMBER not in flat and ID_NUMBER[:17] not in flat


# --- petitioners ------------------------------------------------------------------------------------

def test_an_opted_in_petitioner_gets_the_tracking_code_the_reply_notice_and_the_extension_notice() -> None:
    who = Petitioner(PHONE, None, sms_opt_in=True)
    policy = Policy(tracking_url="https://mq.example.org/ui/track?code={code}")
    kinds = []
    for event in (OPENED[0], ev(3, "replied", reply="已修复"),
                  ev(3, "extended", "t-lead1", days=10, stage="handling", due=NOW.isoformat(), reason="x")):
        messages = for_case_event(event, facts(event, petitioner=who), ROSTER, NOW, policy).petitioner_messages
        assert len(messages) == 1 and messages[0].phone == PHONE
        assert "https://mq.example.org/ui/track?code=K7QX2M9PTA" in messages[0].text
        kinds.append(messages[0].kind)
    assert kinds == ["petitioner_registered", "petitioner_replied", "petitioner_extended"]


@pytest.mark.parametrize("who", [Petitioner(PHONE), Petitioner(PHONE, sms_opt_in=True, anonymous=True),
                                 Petitioner(None, sms_opt_in=True)])
def test_no_sms_without_opt_in_a_phone_or_when_anonymous(who: Petitioner) -> None:
    assert for_case_event(OPENED[0], facts(petitioner=who), ROSTER, NOW).petitioner_messages == ()


def test_a_petitioners_message_never_names_a_cadre() -> None:
    who = Petitioner(PHONE, sms_opt_in=True)
    recusal = recusal_for(ROSTER, ["v1-sec"], [], V1)
    for event in (OPENED[0], ev(3, "replied", reply="x"), ev(3, "extended", days=3, due=NOW.isoformat())):
        for message in for_case_event(event, facts(event, petitioner=who, recusal=recusal), ROSTER, NOW
                                      ).petitioner_messages:
            assert not any(c.name in message.text or c.cadre_id in message.text for c in ROSTER.cadres)


# --- ids ----------------------------------------------------------------------------------------------

def test_a_redelivered_event_yields_the_same_ids_and_other_recipients_or_kinds_other_ids() -> None:
    first = for_case_event(OPENED[1], facts(), ROSTER, NOW).notifications
    again = for_case_event(OPENED[1], facts(), ROSTER, NOW + timedelta(hours=1)).notifications
    assert [n.notification_id for n in first] == [n.notification_id for n in again]
    assert len({n.notification_id for n in first}) == 2
    assert notification_id("e", "a", "k") != notification_id("e", "a", "k2") != notification_id("e2", "a", "k")
