"""Who reaches which cases and who may do what, from role and roster posts (pure)."""
from __future__ import annotations

import pytest

from infra.demo.township import demo_roster
from models.access import Actor, Role, Scope, admits, is_leader, scope_for
from models.roster import Roster

ROSTER = Roster.from_contract(demo_roster())
V1, V2, V3, V5 = "330782101201", "330782101202", "330782101203", "330782101205"
TOWNSHIP = "330782101000"


def scope(role: str, cadre: str | None) -> Scope:
    return scope_for(Actor(Role(role), cadre), ROSTER)


def test_admins_reach_everything_and_recuse_nobody() -> None:
    assert scope("admin", None) == Scope(township=True)


@pytest.mark.parametrize("role,cadre", [("operator", "t-op1"), ("petition_staff", "t-xf1"), ("leader", "t-sec")])
def test_the_township_desk_reaches_the_township_but_is_recused_from_accusations(role: str, cadre: str) -> None:
    found = scope(role, cadre)
    assert found.township and found.recused_cadre_id == cadre and found.recused_unit_codes == {TOWNSHIP}


def test_a_leader_in_charge_reaches_their_villages() -> None:
    assert scope("leader", "t-lead1").village_codes == {V1, V2}
    assert scope("leader", "t-lead3").village_codes == {V5}
    assert not scope("leader", "t-lead1").township


def test_a_branch_secretary_reaches_their_village_and_a_member_only_their_own_cases() -> None:
    secretary = scope("cadre", "v1-sec")
    assert secretary.village_codes == {V1} and secretary.cadre_id == "v1-sec"
    member = scope("cadre", "v1-m1")
    assert member.village_codes == frozenset() and member.cadre_id == "v1-m1"
    assert member.recused_unit_codes == {V1}


def test_a_first_secretary_is_recused_with_the_village_they_serve() -> None:
    assert scope("cadre", "v3-fs").recused_unit_codes == {V3}


def test_an_unknown_cadre_reaches_only_cases_naming_them() -> None:
    assert scope("cadre", "ghost") == Scope(cadre_id="ghost", recused_cadre_id="ghost")


def test_only_a_leader_token_of_a_township_leader_approves() -> None:
    assert is_leader(Actor(Role.LEADER, "t-lead2"), ROSTER)
    assert not is_leader(Actor(Role.CADRE, "t-lead2"), ROSTER)
    assert not is_leader(Actor(Role.LEADER, "v1-sec"), ROSTER)


CASE = {"village_code": V1, "owner_cadre_id": "v1-dir", "handler_cadre_id": "v1-m1", "escalated_to_cadre_id": None,
        "accused": None}


def test_the_python_scope_rule_reaches_and_recuses_like_the_scope_says() -> None:
    assert admits(scope("cadre", "v1-m1"), CASE)                    # the handler
    assert not admits(scope("cadre", "v2-dsec"), CASE)              # someone else's case
    assert admits(scope("cadre", "v1-sec"), CASE)                   # the village's branch secretary
    assert admits(scope("leader", "t-lead1"), CASE) and not admits(scope("leader", "t-lead3"), CASE)
    accusing_village = {**CASE, "accused": {"cadre_ids": [], "unit_codes": [V1]}}
    assert not admits(scope("cadre", "v1-m1"), accusing_village)   # a member of the accused unit
    assert admits(scope("leader", "t-sec"), accusing_village)
    accusing_owner = {**CASE, "accused": {"cadre_ids": ["v1-dir"], "unit_codes": []}}
    assert not admits(scope("cadre", "v1-dir"), accusing_owner)


def test_every_role_has_its_capabilities_and_no_more() -> None:
    from models.access import Capability as C
    assert Actor(Role.OPERATOR).can(C.LOG_EVENTS) and not Actor(Role.OPERATOR).can(C.WORK_CASES)
    assert Actor(Role.LEADER, "t-sec").can(C.DECIDE) and not Actor(Role.CADRE, "v1-dir").can(C.DECIDE)
    assert not Actor(Role.ADMIN).can(C.LOG_EVENTS) and Actor(Role.ADMIN).can(C.ADMINISTER)
