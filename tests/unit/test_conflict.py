"""Conflict of interest decided once per case: who is excluded, why, and the floor."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models.case_actions import Accept, CallbackSatisfied, Progress, Reply
from models.chain import recusal_for
from models.errors import IllegalTransition, RoutingError
from models.oversight import (
    Delegate,
    Escalate,
    Extend,
    Object,
    Overrule,
    Pause,
    Resume,
    Transfer,
)
from models.registration import NewCase, register
from models.routing import RoutingRequest, route
from tests.unit.factories import TOWNSHIP, TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
V1 = village_code(1)
T = TUESDAY_10AM
H = timedelta(hours=1)


def _route(visited="v1-dir", cadres=(), units=(), source="hotline"):
    return route(RoutingRequest(source, V1, "water", visited, frozenset(cadres), frozenset(units)), ROSTER, T)


def _case(visited="v1-dir", cadres=(), units=(), kind="complaint"):
    request = RoutingRequest("hotline", V1, "water", visited, frozenset(cadres), frozenset(units))
    return register(NewCase("c1", "e1", request, kind, "normal", T), ROSTER, T)


@pytest.mark.parametrize("accused", ["t-l1", "t-dsec", "t-staff"])
def test_a_complaint_accusing_a_township_leader_never_goes_to_a_village_cadre_below_him(accused):
    decision = _route("v1-dir", cadres=[accused])
    assert (decision.owner_cadre_id, decision.escalation_level, decision.rule) == ("t-sec", 3, "conflict_of_interest")
    assert decision.steps[1].code == "conflict.below_accused_may_not"
    assert decision.recusal.floor == 3


def test_who_is_excluded_and_why():
    conflict = recusal_for(ROSTER, ["v1-sec"], [f"{V1}-g1"], V1)
    assert conflict.exclusion("v1-sec").code == "conflict.accused"
    assert conflict.exclusion("v1-liaison").code == "conflict.accused_unit"
    below = conflict.exclusion("v1-dir")
    assert (below.code, below.params["accused_cadre_id"]) == ("conflict.below_accused", "v1-sec")
    assert conflict.exclusion("v2-sec") is None  # another village's secretary is a peer
    assert conflict.exclusion("t-l1") is None
    assert conflict.floor == 2
    assert [r.code for r in conflict.explain()] == ["conflict.accused", "conflict.accused_unit",
                                                    "conflict.below_count", "conflict.floor"]
    permit = conflict.may_decide("v1-dir")
    assert not permit and permit.reason == "cadre v1-dir stands below accused cadre v1-sec in the chain of village " + V1
    with pytest.raises(IllegalTransition) as refused:
        permit.require()
    assert refused.value.code == "conflict.below_accused_may_not" and refused.value.params["role"] == "decide for"


def test_peers_of_an_accused_cadre_are_not_excluded():
    conflict = recusal_for(ROSTER, ["v1-m2"], [], V1)
    assert conflict.floor == 1 and conflict.below == ()
    assert conflict.may_own("v1-dir") and conflict.may_read("v1-m1")
    assert not conflict.may_read("v1-m2")


def test_a_cadre_added_below_the_accused_after_opening_is_excluded_when_the_roster_is_given():
    from models.roster import Roster
    from tests.unit.factories import roster_data
    conflict = recusal_for(ROSTER, ["v1-sec"], [], V1)
    data = roster_data()
    data["cadres"].append({"cadre_id": "v1-new", "name": "新人", "phone": "", "unit_code": V1, "posts": ["member"],
                           "responsibilities": [], "backup_cadre_id": None})
    later = Roster.from_contract(data)
    assert conflict.may_handle("v1-new")  # unknown when the case was opened
    assert not conflict.may_handle("v1-new", later)
    assert "v1-new" in conflict.refreshed(later).excluded


def test_an_accused_party_secretary_leaves_the_township_nobody():
    with pytest.raises(RoutingError) as refused:
        _route("t-l1", cadres=["t-sec"])
    assert refused.value.code == "routing.county"
    assert recusal_for(ROSTER, [], [TOWNSHIP], V1).to_county


def test_delegation_transfer_and_escalation_never_reach_anyone_below_the_accused():
    case = _case(cadres=["t-l1"])
    assert case.owner_cadre_id == "t-sec"
    for action in (Delegate("v1-dir"), Delegate("t-l1")):
        with pytest.raises(IllegalTransition):
            case.apply(action, T + H, ROSTER)
    assert case.apply(Delegate("t-staff"), T + H, ROSTER).handler_cadre_id == "t-staff"  # a peer of the accused
    objected = case.apply(Object("not mine", "t-sec"), T + H, ROSTER)
    with pytest.raises(IllegalTransition, match="stands below accused cadre t-l1"):
        objected.apply(Transfer("v1-sec", "v1-sec", "village matter"), T + 2 * H, ROSTER)
    with pytest.raises(IllegalTransition, match="cannot receive it"):
        _case(cadres=["v1-sec"]).apply(Escalate(3, "v1-dir"), T + H, ROSTER)


def test_a_leader_who_owns_a_case_cannot_approve_his_own_extension():
    case = _case("t-l1").apply(Accept("t-l1"), T + H, ROSTER)  # a leader who received the call owns it
    with pytest.raises(IllegalTransition) as refused:
        case.apply(Extend(10, "needs the county", "t-l1"), T + 2 * H, ROSTER)
    assert refused.value.code == "decision.own_request"
    with pytest.raises(IllegalTransition) as refused:
        case.apply(Extend(10, "needs the county", "t-l2"), T + 2 * H, ROSTER)
    assert refused.value.code == "decision.not_above_requester"
    assert case.apply(Extend(10, "needs the county", "t-sec"), T + 2 * H, ROSTER).extensions == 1


def test_an_extension_requested_by_a_delegate_is_decided_above_the_delegate():
    case = _case().apply(Delegate("t-staff", "v1-dir"), T + H, ROSTER).apply(Accept("t-staff"), T + H, ROSTER)
    with pytest.raises(IllegalTransition, match="above t-staff"):
        case.apply(Extend(5, "survey", "t-l1", requested_by="t-staff"), T + 2 * H, ROSTER)
    with pytest.raises(IllegalTransition, match="decision.own_request|is party to an extension"):
        case.apply(Extend(5, "survey", "t-sec", requested_by="t-sec"), T + 2 * H, ROSTER)
    assert case.apply(Extend(5, "survey", "t-sec", requested_by="t-staff"), T + 2 * H, ROSTER).extensions == 1


def test_an_accused_leader_decides_nothing_on_the_case():
    case = _case(cadres=["t-l1"]).apply(Accept("t-sec"), T + H, ROSTER)
    with pytest.raises(IllegalTransition, match="accused in this case"):
        case.apply(Pause("survey", "t-l1"), T + 2 * H, ROSTER)


def test_objections_are_decided_above_the_objector_by_someone_else():
    objected = _case("t-l1").apply(Object("this is the county's", "t-l1"), T + H, ROSTER)
    for decider in ("t-l1", "t-l2"):
        with pytest.raises(IllegalTransition):
            objected.apply(Overrule("it is yours", decider), T + 2 * H, ROSTER)
    assert objected.apply(Overrule("it is yours", "t-sec"), T + 2 * H, ROSTER).owner_cadre_id == "t-l1"
    village = _case().apply(Object("roads are hers", "v1-dir"), T + H, ROSTER)
    assert village.apply(Transfer("v1-ddir", "v1-ddir", "roads", "t-l1"), T + 2 * H, ROSTER).owner_cadre_id == "v1-ddir"


def test_pause_and_resume_need_a_leader_above_the_handler():
    case = _case().apply(Accept("v1-dir"), T + H, ROSTER)
    with pytest.raises(IllegalTransition, match="not one"):
        case.apply(Pause("survey", "v1-sec"), T + 2 * H, ROSTER)
    paused = case.apply(Pause("survey", "t-l1", requested_by="v1-dir"), T + 2 * H, ROSTER)
    with pytest.raises(IllegalTransition, match="is party to a resumption"):
        paused.apply(Resume("t-l1", requested_by="t-l1"), T + 3 * H, ROSTER)
    with pytest.raises(IllegalTransition, match="must be approved by a township leader"):
        paused.apply(Resume("v1-dir"), T + 3 * H, ROSTER)
    assert paused.apply(Resume("t-l1", requested_by="v1-dir"), T + 3 * H, ROSTER).paused_at is None


def test_the_handler_never_records_the_callback_of_their_own_case():
    replied = _case("t-staff").apply(Accept("t-staff"), T + H, ROSTER)
    replied = replied.apply(Progress("visited", "t-staff"), T + H, ROSTER).apply(Reply("fixed", "t-staff"), T + 2 * H,
                                                                                ROSTER)
    with pytest.raises(IllegalTransition) as refused:
        replied.apply(CallbackSatisfied("ok", actor="t-staff"), T + 3 * H, ROSTER)
    assert refused.value.code == "callback.own_case"
    assert replied.apply(CallbackSatisfied("ok", actor="t-op"), T + 3 * H, ROSTER).callback_result == "satisfied"


def test_the_assigned_event_carries_structured_steps_and_the_english_explanation():
    case = _case(cadres=["t-l1"])
    assigned = next(e for e in case.events if e.type == "assigned")
    codes = [s["code"] for s in assigned.data["steps"]]
    assert codes == ["routing.visited", "conflict.below_accused_may_not", "routing.conflict_owner"]
    assert assigned.data["explanation"][0].startswith("dialed cadre v1-dir")
    assert {"cadre_id", "reason", "code", "params", "level"} <= set(assigned.data["skipped"][0])
    assert [c["code"] for c in assigned.data["conflict"]][-1] == "conflict.floor"
