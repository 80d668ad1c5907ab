"""Backups (AB角): mutual pairs and rings are legal; resolving one walks the ring."""
from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from models.backups import acting_for
from models.chain import recusal_for
from models.roster import Roster, Whereabouts
from tests.unit.factories import TUESDAY_10AM, away, roster_data, village_code

V1 = village_code(1)


def _roster(backups: dict[str, str | None]) -> Roster:
    data = copy.deepcopy(roster_data())
    for cadre in data["cadres"]:
        if cadre["cadre_id"] in backups:
            cadre["backup_cadre_id"] = backups[cadre["cadre_id"]]
    return Roster.from_contract(data)


def test_a_roster_where_two_cadres_back_each_other_up_imports():
    roster = _roster({"v1-dir": "v1-ddir", "v1-ddir": "v1-dir"})
    assert roster.cadre("v1-ddir").backup_cadre_id == "v1-dir"
    assert acting_for(away(roster, "v1-dir"), "v1-dir", TUESDAY_10AM).acting_cadre_id == "v1-ddir"
    assert acting_for(away(roster, "v1-ddir"), "v1-ddir", TUESDAY_10AM).acting_cadre_id == "v1-dir"


def test_a_ring_whose_members_are_all_away_stops_where_it_began():
    roster = _roster({"v1-dir": "v1-ddir", "v1-ddir": "v1-m1", "v1-m1": "v1-dir"})
    for cadre in ("v1-dir", "v1-ddir", "v1-m1"):
        roster = away(roster, cadre)
    cover = acting_for(roster, "v1-dir", TUESDAY_10AM)
    assert (cover.acting_cadre_id, cover.covered) == ("v1-dir", False)
    assert [s.cadre_id for s in cover.skips] == ["v1-dir", "v1-ddir", "v1-m1"]
    assert cover.steps[-1].code == "backup.none"


def test_the_ring_passes_over_the_away_and_the_excluded():
    roster = _roster({"v1-dir": "v1-ddir", "v1-ddir": "v1-m1", "v1-m1": "v1-m2", "v1-m2": "v1-dir"})
    roster = away(away(roster, "v1-dir"), "v1-ddir", status="leave")
    recusal = recusal_for(roster, ["v1-m1"], [], V1)
    cover = acting_for(roster, "v1-dir", TUESDAY_10AM, recusal)
    assert cover.acting_cadre_id == "v1-m2"
    assert [(s.cadre_id, s.reason.code) for s in cover.skips] == [
        ("v1-dir", "backup.cannot_handle_now"), ("v1-ddir", "backup.cannot_handle_now"), ("v1-m1", "conflict.accused")]
    assert [s.code for s in cover.steps] == ["backup.absent", "backup.absent", "backup.passed_over", "backup.handles"]


def test_a_cadre_who_is_not_away_acts_for_themselves():
    cover = acting_for(_roster({}), "v1-dir", TUESDAY_10AM)
    assert (cover.acting_cadre_id, cover.covered, cover.steps) == ("v1-dir", False, ())


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_any_backup_graph_resolves_to_an_available_not_excluded_cadre_or_the_one_of_record(data):
    ids = ["v1-sec", "v1-dsec", "v1-dir", "v1-ddir", "v1-m1", "v1-m2"]
    backups = {c: data.draw(st.none() | st.sampled_from([b for b in ids if b != c])) for c in ids}
    roster = _roster(backups)
    for cadre in data.draw(st.lists(st.sampled_from(ids), unique=True)):
        roster = roster.with_whereabouts(cadre, Whereabouts(data.draw(st.sampled_from(["away", "leave", "meeting"]))))
    recusal = recusal_for(roster, data.draw(st.lists(st.sampled_from(ids[1:]), max_size=2)), [], V1)
    start = data.draw(st.sampled_from(ids))
    cover = acting_for(roster, start, TUESDAY_10AM, recusal)
    if cover.acting_cadre_id != start:
        assert not roster.is_absent(cover.acting_cadre_id, TUESDAY_10AM)
        assert recusal.exclusion(cover.acting_cadre_id, roster) is None
    ring, current = [], backups[start]
    while current is not None and current != start and current not in ring:
        ring.append(current)
        current = backups[current]
    available = [c for c in ring if not roster.is_absent(c, TUESDAY_10AM) and recusal.exclusion(c, roster) is None]
    if roster.is_absent(start, TUESDAY_10AM):
        assert cover.acting_cadre_id == (available[0] if available else start)
