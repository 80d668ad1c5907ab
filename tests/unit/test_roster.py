"""Roster: the unit tree, posts, backups (AB角), leaders in charge and the whereabouts sign."""
from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from models.errors import RosterError, RoutingError
from models.roster import Roster, Whereabouts
from tests.unit.factories import (
    TOWNSHIP,
    TUESDAY_10AM,
    away,
    build_roster,
    roster_data,
    village_code,
)

V1 = village_code(1)


def _broken(mutate) -> RosterError:
    data = copy.deepcopy(roster_data())
    mutate(data)
    with pytest.raises(RosterError) as caught:
        Roster.from_contract(data)
    return caught.value


def _cadre(data, cadre_id):
    return next(c for c in data["cadres"] if c["cadre_id"] == cadre_id)


def test_round_trips_through_the_contract_shape():
    roster = away(build_roster(), "v1-dir", TUESDAY_10AM + timedelta(days=1))
    again = Roster.from_contract(roster.to_contract())
    assert again.to_contract() == roster.to_contract()
    assert again.is_absent("v1-dir", TUESDAY_10AM)


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d["units"][1].update(parent_code="330102009000"), "unknown parent unit 330102009000"),
    (lambda d: d["units"][1].update(code="3301020010"), "needs a 12-digit division code"),
    (lambda d: d["units"][1].update(code="330102002005"), "does not lie in township"),
    (lambda d: _cadre(d, "v1-m1").update(unit_code="330102001099"), "unknown unit_code 330102001099"),
    (lambda d: _cadre(d, "v1-m1").update(posts=["chief"]), "unknown post 'chief'"),
    (lambda d: _cadre(d, "v1-m1").update(responsibilities=["weather"]), "unknown category 'weather'"),
    (lambda d: _cadre(d, "v1-m1").update(backup_cadre_id="ghost"), "names backup ghost, who does not exist"),
    (lambda d: _cadre(d, "v1-m2").update(backup_cadre_id="v1-m2"), "names themselves as their own backup"),
    (lambda d: _cadre(d, "v1-sec").update(posts=["director"]), f"village {V1} (第1村) has no party_secretary"),
    (lambda d: d["cadres"].append(dict(_cadre(d, "v1-m1"))), "duplicate cadre id v1-m1"),
    (lambda d: d["units"].append(dict(d["units"][1])), f"duplicate unit code {V1}"),
    (lambda d: d["in_charge"].append({"village_code": "330102001077", "cadre_id": "t-l1"}),
     "in_charge names unknown village 330102001077"),
    (lambda d: d["in_charge"][0].update(cadre_id="nobody"), "in_charge names unknown cadre nobody"),
    (lambda d: d["in_charge"][0].update(cadre_id="v2-dir"), "must be a township cadre"),
    (lambda d: d["in_charge"].pop(0), f"village {V1} (第1村) has no leader in charge"),
    (lambda d: d.update(whereabouts=[{"cadre_id": "v1-m1", "status": "fishing", "until": None}]),
     "unknown whereabouts 'fishing'"),
])
def test_each_problem_is_named(mutate, expected):
    assert expected in str(_broken(mutate))


def test_every_problem_is_collected_not_just_the_first():
    def two_problems(d):
        _cadre(d, "v1-m1")["posts"] = ["chief"]
        _cadre(d, "v2-m1")["backup_cadre_id"] = "ghost"
    error = _broken(two_problems)
    assert len(error.problems) == 2
    assert "roster has 2 problems" in str(error)


def test_malformed_rows_are_reported_not_crashed_on():
    error = _broken(lambda d: d["cadres"].append({"name": "no id"}))
    assert "cadre #" in str(error) and "malformed" in str(error)


def test_csv_style_list_columns_are_split():
    data = roster_data()
    _cadre(data, "v1-m1")["responsibilities"] = "water; land"
    assert Roster.from_contract(data).cadre("v1-m1").responsibilities == ("water", "land")


def test_look_ups():
    roster = build_roster()
    assert roster.branch_secretary(V1).cadre_id == "v1-sec"
    assert roster.leader_in_charge(V1).cadre_id == "t-l1"
    assert roster.party_secretary().cadre_id == "t-sec"
    assert roster.village_of(f"{V1}-g1").code == V1
    assert roster.village_of(TOWNSHIP) is None


def test_unknown_names_raise_readable_errors_usable_by_routing():
    roster = build_roster()
    with pytest.raises(RoutingError, match="unknown cadre ghost"):
        roster.cadre("ghost")
    with pytest.raises(RosterError, match="unknown village 330102001099"):
        roster.village("330102001099")


def test_responsibility_matrix_prefers_the_most_senior_holder():
    data = roster_data()
    _cadre(data, "v1-m2")["responsibilities"].append("roads")
    _cadre(data, "v1-dir")["responsibilities"].append("roads")
    roster = Roster.from_contract(data)
    assert roster.responsible_for(V1, "roads").cadre_id == "v1-dir"
    assert roster.responsible_for(V1, "other") is None


def test_whereabouts_expire_at_until():
    until = TUESDAY_10AM + timedelta(hours=3)
    roster = away(build_roster(), "v1-dir", until, status="leave")
    assert roster.is_absent("v1-dir", TUESDAY_10AM)
    assert not roster.is_absent("v1-dir", until)


@pytest.mark.parametrize("status", ["on_duty", "visiting", "meeting"])
def test_reachable_whereabouts_are_not_absence(status):
    roster = build_roster().with_whereabouts("v1-dir", Whereabouts(status))
    assert not roster.is_absent("v1-dir", TUESDAY_10AM)


def test_accusing_a_village_covers_its_group_liaisons():
    members = build_roster().members_of([V1])
    assert {"v1-sec", "v1-liaison"} <= members
    assert not any(m.startswith("v2-") for m in members)


def test_leaders_may_approve_extensions_and_village_cadres_may_not():
    roster = build_roster()
    assert roster.is_leader("t-sec") and roster.is_leader("t-l2")
    assert not roster.is_leader("v1-sec") and not roster.is_leader("t-op")
