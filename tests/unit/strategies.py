"""Hypothesis strategies: random but valid rosters, routing requests and moments."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from models.categories import DEFAULT_CATALOGUE
from models.roster import Roster, Whereabouts
from models.routing import SOURCES, RoutingRequest
from tests.unit.factories import TOWNSHIP, roster_data

CATEGORIES = sorted(DEFAULT_CATALOGUE.codes())
STATUSES = ["on_duty", "visiting", "meeting", "away", "leave"]


def aware_datetimes(min_year: int = 2004, max_year: int = 2035) -> st.SearchStrategy[datetime]:
    offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
    return st.datetimes(datetime(min_year, 1, 2), datetime(max_year, 12, 30), timezones=offsets)


@st.composite
def rosters(draw: st.DrawFn) -> Roster:
    data = roster_data(draw(st.integers(1, 4)))
    by_unit: dict[str, list[str]] = {}
    for cadre in data["cadres"]:
        by_unit.setdefault(cadre["unit_code"], []).append(cadre["cadre_id"])
    for cadre in data["cadres"]:
        # any colleague of the same unit: pairs (互为AB角) and longer rings are legal
        others = [c for c in by_unit[cadre["unit_code"]] if c != cadre["cadre_id"]]
        cadre["backup_cadre_id"] = draw(st.none() | st.sampled_from(others)) if others else None
        if cadre["unit_code"] != TOWNSHIP and cadre["posts"]:
            cadre["responsibilities"] = draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=3))
    roster = Roster.from_contract(data)
    return _with_random_whereabouts(draw, roster)


def _with_random_whereabouts(draw: st.DrawFn, roster: Roster) -> Roster:
    ids = [c.cadre_id for c in roster.cadres]
    for cadre_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=10)):
        roster = roster.with_whereabouts(cadre_id, Whereabouts(draw(st.sampled_from(STATUSES))))
    return roster


@st.composite
def requests(draw: st.DrawFn, roster: Roster) -> RoutingRequest:
    ids = [c.cadre_id for c in roster.cadres]
    units = [u.code for u in roster.units]
    return RoutingRequest(
        source=draw(st.sampled_from(SOURCES)),
        village_code=draw(st.sampled_from([v.code for v in roster.villages()])),
        category=draw(st.sampled_from(CATEGORIES)),
        visited_cadre_id=draw(st.none() | st.sampled_from(ids)),
        accused_cadre_ids=frozenset(draw(st.lists(st.sampled_from(ids), max_size=4))),
        accused_unit_codes=frozenset(draw(st.lists(st.sampled_from(units), max_size=2))))
