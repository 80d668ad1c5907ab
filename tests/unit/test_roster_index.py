"""The roster's look-up index answers exactly what a scan of the whole roster would."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings

from models import posts as P
from models.roster import Roster
from tests.unit.strategies import rosters

NOON = datetime(2026, 11, 30, 12, 0, tzinfo=timezone(timedelta(hours=8)))


@settings(max_examples=60, deadline=None)
@given(rosters())
def test_indexed_look_ups_agree_with_scanning_the_roster(roster: Roster) -> None:
    in_charge = dict(roster.in_charge)
    for unit in roster.units:
        assert roster.cadres_of(unit.code) == tuple(c for c in roster.cadres if c.unit_code == unit.code)
        groups = {u.code for u in roster.units if u.kind == P.GROUP and u.parent_code == unit.code}
        assert roster.members_of([unit.code]) == frozenset(
            c.cadre_id for c in roster.cadres if c.unit_code in groups | {unit.code})
    assert roster.villages() == tuple(u for u in roster.units if u.kind == P.VILLAGE)
    assert roster.township() == next(u for u in roster.units if u.kind == P.TOWNSHIP)
    for village in roster.villages():
        assert roster.leader_in_charge(village.code).cadre_id == in_charge[village.code]
    signs = dict(roster.whereabouts)
    for cadre in roster.cadres:
        assert roster.whereabouts_of(cadre.cadre_id, NOON) == (
            signs[cadre.cadre_id].effective(NOON) if cadre.cadre_id in signs else P.ON_DUTY)
        township = roster.unit(cadre.unit_code).kind == P.TOWNSHIP
        assert roster.is_leader(cadre.cadre_id) == (township and (bool(P.LEADER_POSTS & set(cadre.posts))
                                                                  or cadre.cadre_id in in_charge.values()))


def test_unknown_units_cover_nobody() -> None:
    from tests.unit.factories import build_roster

    assert build_roster().members_of(["999999999999"]) == frozenset()
