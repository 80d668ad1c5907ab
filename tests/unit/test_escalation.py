"""Escalation: overdue stages climb the chain one grace period at a time, skipping the recused."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from models import workcalendar as wc
from models.case_actions import Accept
from models.chain import recusal_for
from models.escalation import EscalationPolicy, escalation_for, levels_due
from models.oversight import Escalate, Extend, Pause, Warn
from models.registration import NewCase, register
from models.routing import RoutingRequest
from tests.unit.factories import TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
T = TUESDAY_10AM
SECOND = timedelta(seconds=1)


def new_case(visited="v1-dir", accused=(), units=()):
    request = RoutingRequest("hotline", village_code(1), "water", visited, frozenset(accused), frozenset(units))
    return register(NewCase("c1", "e1", request, "consult", "normal", T), ROSTER, T)


def test_not_overdue_means_no_escalation():
    case = new_case()
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"])
    assert not step.escalated and step.level == 0


def test_overdue_climbs_to_the_branch_secretary():
    case = new_case()
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert (step.level, step.recipient_cadre_id, step.escalated) == (1, "v1-sec", True)


def test_each_level_has_its_grace_period_and_long_overdue_jumps_levels():
    due = new_case().deadlines["first_contact"]
    one_wd_later = wc.add_working_days(due, 1)
    assert levels_due(due, one_wd_later) == 1
    assert levels_due(due, one_wd_later + SECOND) == 2
    assert levels_due(due, due + timedelta(days=30)) == 3
    step = escalation_for(new_case(), ROSTER, due + timedelta(days=30))
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")


def test_grace_periods_are_configurable():
    due = new_case().deadlines["first_contact"]
    patient = EscalationPolicy(grace_working_days={1: 5, 2: 5, 3: 5})
    assert levels_due(due, wc.add_working_days(due, 2), patient) == 1


def test_recipient_skips_accused_cadres_and_goes_further_up():
    # the leader in charge of another village (a peer of the accused) received the visit and owns it
    case = new_case(visited="t-l2", accused=["t-l1"])
    assert case.owner_cadre_id == "t-l2"
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")
    assert step.skipped[0][0] == "t-l1" and "accused" in step.skipped[0][1]


def test_a_case_accusing_the_branch_secretary_never_stays_with_the_cadres_below_him():
    case = new_case(accused=["v1-sec"])
    assert (case.owner_cadre_id, case.owner_level) == ("t-l1", 2)
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")


def test_a_case_owned_by_the_branch_secretary_escalates_past_them():
    case = new_case(visited="v1-sec")
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (2, "t-l1")


def test_conflict_lifted_owner_escalates_from_its_own_level():
    case = new_case(visited="v1-m1", units=[village_code(1)])
    assert (case.owner_cadre_id, case.escalation_level) == ("t-l1", 2)
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")


def test_level_never_decreases_once_escalated():
    case = new_case().apply(Escalate(2, "t-l1"), T + timedelta(minutes=1), ROSTER)
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert step.level == 2 and not step.escalated


def test_nobody_left_above_keeps_the_level_and_explains():
    # a case at level 2 whose party secretary turns out to be accused (routing would send such a
    # case to the county; here only escalation is under test)
    escalated = new_case().apply(Escalate(2, "t-l1"), T + timedelta(minutes=1), ROSTER)
    case = replace(escalated, recusal=recusal_for(ROSTER, ["t-sec"], []))
    step = escalation_for(case, ROSTER, case.deadlines["first_contact"] + timedelta(days=30))
    assert (step.level, step.recipient_cadre_id, step.escalated) == (2, None, False)
    assert "nobody eligible remains" in step.explanation[0]


def test_warning_is_due_at_75_percent_of_the_stage_once():
    case = new_case()
    due = case.deadlines["first_contact"]
    three_quarters = T + (due - T) * 0.75
    assert not escalation_for(case, ROSTER, three_quarters - SECOND).warning_due
    assert escalation_for(case, ROSTER, three_quarters).warning_due
    warned = case.apply(Warn("first_contact"), three_quarters, ROSTER)
    assert not escalation_for(warned, ROSTER, three_quarters + SECOND).warning_due


def test_extension_moves_the_escalation_clock():
    case = new_case().apply(Accept(), T + timedelta(minutes=5), ROSTER)
    late = case.deadlines["handling"] + SECOND
    assert escalation_for(case, ROSTER, late).escalated
    extended = case.apply(Extend(10, "county approval", "t-l1"), T + timedelta(minutes=6), ROSTER)
    assert not escalation_for(extended, ROSTER, late).escalated


def test_a_paused_case_does_not_escalate():
    case = new_case().apply(Accept(), T + timedelta(minutes=5), ROSTER)
    paused = case.apply(Pause("awaiting survey", "t-sec"), T + timedelta(minutes=6), ROSTER)
    assert not escalation_for(paused, ROSTER, case.deadlines["handling"] + timedelta(days=40)).escalated


def test_a_township_leader_who_received_the_visit_is_escalated_above_not_below():
    case = register(NewCase("c2", "e2", RoutingRequest("reception", village_code(1), "land", "t-l1"), None,
                            "normal", T), ROSTER, T)
    step = escalation_for(case, ROSTER, case.deadlines["acceptance"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")


def test_township_staff_owning_a_case_escalate_to_the_leader_in_charge():
    case = register(NewCase("c3", "e3", RoutingRequest("reception", village_code(1), "land", "t-staff"), None,
                            "normal", T), ROSTER, T)
    step = escalation_for(case, ROSTER, case.deadlines["acceptance"] + SECOND)
    assert (step.level, step.recipient_cadre_id) == (2, "t-l1")
