"""Routing, written from DOMAIN.md and CONTRACT "Routing"."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models.errors import DomainError, RoutingError
from models.routing import RoutingRequest, route
from tests.unit.factories import (
    TOWNSHIP,
    TUESDAY_10AM,
    away,
    build_roster,
    village_code,
)

V1, V2 = village_code(1), village_code(2)
ROSTER = build_roster()


def _route(visited=None, category="water", source="hotline", cadres=(), units=(), roster=ROSTER, village=V1):
    request = RoutingRequest(source, village, category, visited, frozenset(cadres), frozenset(units))
    return route(request, roster, TUESDAY_10AM)


@pytest.mark.parametrize("source", ["hotline", "contactcard", "diary", "reception"])
def test_who_is_visited_is_responsible(source):
    decision = _route("v1-m2", category="water", source=source)
    assert (decision.owner_cadre_id, decision.handler_cadre_id, decision.rule) == ("v1-m2", "v1-m2", "visited")
    assert decision.escalation_level == 0


def test_a_township_leader_receiving_a_visit_owns_it():
    assert _route("t-l2", source="reception").owner_cadre_id == "t-l2"


def test_nobody_visited_uses_the_responsibility_matrix():
    decision = _route(None, category="social_security")
    assert (decision.owner_cadre_id, decision.rule) == ("v1-m1", "matrix")
    assert "responsible for social_security" in decision.explanation[0]


def test_no_matrix_entry_falls_to_the_branch_secretary():
    decision = _route(None, category="other")
    assert (decision.owner_cadre_id, decision.rule) == ("v1-sec", "branch_secretary")


def test_an_owner_away_hands_the_work_to_the_backup_and_stays_owner():
    roster = away(ROSTER, "v1-dir", TUESDAY_10AM + timedelta(days=2))
    decision = _route("v1-dir", roster=roster)
    assert (decision.owner_cadre_id, decision.handler_cadre_id) == ("v1-dir", "v1-ddir")
    assert any("v1-dir is away until" in s for s in decision.explanation)
    assert decision.skipped[0][0] == "v1-dir" and decision.skipped[0][1].startswith("away until")


def test_on_leave_counts_as_away_but_an_expired_sign_does_not():
    on_leave = away(ROSTER, "v1-dir", status="leave")
    back = away(ROSTER, "v1-dir", until=TUESDAY_10AM - timedelta(minutes=1))
    assert _route("v1-dir", roster=on_leave).handler_cadre_id == "v1-ddir"
    assert _route("v1-dir", roster=back).handler_cadre_id == "v1-dir"


def test_backup_chain_is_followed_while_backups_are_away_too():
    roster = away(away(ROSTER, "v1-dir"), "v1-ddir")
    assert _route("v1-dir", roster=roster).handler_cadre_id == "v1-m1"


def test_accused_visited_cadre_goes_to_the_first_level_above():
    decision = _route("v1-dir", cadres=["v1-dir"])
    assert (decision.owner_cadre_id, decision.escalation_level) == ("v1-sec", 1)
    assert decision.rule == "conflict_of_interest"
    assert ("v1-dir", "cadre v1-dir is accused in this case") in decision.skipped
    assert "cadre v1-dir is accused in this case and cannot own it" in decision.explanation


def test_accused_branch_secretary_lifts_the_case_to_the_leader_in_charge():
    decision = _route("v1-dir", cadres=["v1-dir", "v1-sec"])
    assert (decision.owner_cadre_id, decision.escalation_level) == ("t-l1", 2)


def test_accused_village_unit_excludes_all_its_cadres():
    decision = _route("v1-m1", units=[V1])
    assert (decision.owner_cadre_id, decision.escalation_level) == ("t-l1", 2)


def test_accused_leader_in_charge_lifts_to_the_party_secretary():
    decision = _route(None, category="other", cadres=["v1-sec", "t-l1"])
    assert (decision.owner_cadre_id, decision.escalation_level) == ("t-sec", 3)


def test_accusing_someone_else_leaves_an_innocent_visited_cadre_owner():
    decision = _route("v1-dir", cadres=["v1-m2"])
    assert (decision.owner_cadre_id, decision.rule) == ("v1-dir", "visited")


def test_an_accused_backup_never_handles_and_the_ring_walks_on_to_the_next():
    roster = away(ROSTER, "v1-dir")
    decision = _route("v1-dir", cadres=["v1-ddir"], roster=roster)
    assert decision.handler_cadre_id == "v1-m1"  # v1-ddir's own backup
    assert ("v1-ddir", "cadre v1-ddir is accused in this case") in decision.skipped


def test_accused_township_leaves_nobody_and_says_so():
    with pytest.raises(RoutingError, match="must go to the county"):
        _route("v1-dir", units=[V1, TOWNSHIP])


def test_unknown_village_and_unknown_visited_cadre_are_routing_errors():
    with pytest.raises(RoutingError, match="unknown village 330102001099"):
        _route("v1-dir", village="330102001099")
    with pytest.raises(RoutingError, match="unknown cadre ghost"):
        _route("ghost")


def test_unknown_source_is_refused():
    with pytest.raises(RoutingError, match="unknown source 'fax'"):
        _route("v1-dir", source="fax")


def test_routing_time_must_carry_an_offset():
    with pytest.raises(DomainError, match="no UTC offset"):
        route(RoutingRequest("hotline", V1, "water", "v1-dir"), ROSTER, TUESDAY_10AM.replace(tzinfo=None))
