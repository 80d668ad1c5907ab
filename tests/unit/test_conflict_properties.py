"""Hypothesis: over random rosters (backup rings included), accusations at village and township
level (cadres and units) and random sequences of routing, repeats, delegations, transfers,
escalations and decisions, nobody accused, nobody of an accused unit and nobody standing below
an accused cadre ever owns, handles, is delegated, transferred or escalated to (or acts for the
recipient), or decides for a case accusing them.

The oracle below is written from CONTRACT "Routing" and DOMAIN.md, not from models.standing.
"""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import posts as P
from models.case_actions import Accept, CallbackSatisfied, Progress, Reply
from models.errors import DomainError, RoutingError
from models.escalation import escalation_for
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
from models.petitioners import Petitioner
from models.registration import NewCase, register
from models.repeats import LINKED, PriorCase, check_repeat
from models.reviews import DecideReview, RequestReview
from models.roster import Roster
from models.routing import SOURCES, RoutingRequest
from tests.unit.factories import TUESDAY_10AM
from tests.unit.strategies import CATEGORIES, rosters

ZHANG = Petitioner(phone="13800001111")
DECISIONS = ("extended", "paused", "resumed", "transferred", "objection_overruled", "reviewed")


def oracle_level(roster: Roster, village: str, cadre_id: str) -> int:
    """Level 1 the village's branch secretary, 2 its leader in charge and every other township
    cadre, 3 the township party secretary; another village's secretary 1; everyone else 0."""
    if not roster.has_cadre(cadre_id):
        return 0
    cadre = roster.cadre(cadre_id)
    if cadre_id == roster.party_secretary().cadre_id:
        return 3
    if roster.unit(cadre.unit_code).kind == P.TOWNSHIP:
        return 2
    return 1 if P.PARTY_SECRETARY in cadre.posts and roster.unit(cadre.unit_code).kind == P.VILLAGE else 0


def oracle_excluded(roster: Roster, village: str, cadres: frozenset[str], units: frozenset[str]) -> frozenset[str]:
    accused = set(cadres) | set(roster.members_of(units))
    if not accused:
        return frozenset()
    top = max(oracle_level(roster, village, c) for c in accused)
    return frozenset(accused | {c.cadre_id for c in roster.cadres if oracle_level(roster, village, c.cadre_id) < top})


@st.composite
def accusations(draw: st.DrawFn, roster: Roster) -> tuple[frozenset[str], frozenset[str]]:
    ids = [c.cadre_id for c in roster.cadres]
    township = [c.cadre_id for c in roster.cadres if roster.unit(c.unit_code).kind == P.TOWNSHIP
                and c.cadre_id != roster.party_secretary().cadre_id]
    units = [u.code for u in roster.units if u.kind != P.TOWNSHIP]
    cadres = draw(st.lists(st.sampled_from(ids) | st.sampled_from(township), max_size=3))
    return frozenset(cadres), frozenset(draw(st.lists(st.sampled_from(units), max_size=2)))


def actions(roster: Roster) -> st.SearchStrategy:
    who = st.sampled_from([c.cadre_id for c in roster.cadres])
    maybe = st.none() | who
    return st.one_of(
        st.builds(Accept, maybe), st.builds(Progress, st.just("visited"), maybe),
        st.builds(Reply, st.just("done"), maybe), st.builds(CallbackSatisfied, st.just("ok"), st.just(True), maybe),
        st.builds(Delegate, who, maybe), st.builds(Object, st.just("not mine"), maybe),
        st.builds(Transfer, who, who, st.just("theirs"), maybe), st.builds(Overrule, st.just("yours"), maybe),
        st.builds(Extend, st.integers(1, 30), st.just("survey"), who, maybe),
        st.builds(Pause, st.just("survey"), who, maybe), st.builds(Resume, maybe, maybe),
        st.builds(Escalate, st.integers(1, 3), who, st.just("manual"), maybe, maybe),
        st.builds(RequestReview, st.just("facts"), maybe), st.builds(DecideReview, st.just("upheld"), maybe),
        st.just("scheduler"))


def assert_never_reaches_the_excluded(case, excluded: frozenset[str]) -> None:
    assert case.owner_cadre_id not in excluded
    assert case.handler_cadre_id not in excluded
    assert case.escalated_to_cadre_id not in excluded
    assert case.escalation_acting_cadre_id not in excluded
    for event in case.events:
        if event.type in DECISIONS:
            assert event.actor not in excluded, f"{event.actor} decided ({event.type}) a case accusing them"
        for key in ("owner_cadre_id", "handler_cadre_id", "recipient_cadre_id", "acting_cadre_id"):
            assert event.data.get(key) not in excluded or event.data.get(key) is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_nobody_excluded_ever_owns_handles_receives_or_decides(data):
    roster = data.draw(rosters())
    village = data.draw(st.sampled_from([v.code for v in roster.villages()]))
    cadres, units = data.draw(accusations(roster))
    excluded = oracle_excluded(roster, village, cadres, units)
    visited = data.draw(st.none() | st.sampled_from([c.cadre_id for c in roster.cadres]))
    request = RoutingRequest(data.draw(st.sampled_from(SOURCES)), village, data.draw(st.sampled_from(CATEGORIES)),
                             visited, cadres, units)
    try:
        case = register(NewCase("c", "e", request, "complaint", "normal", TUESDAY_10AM), roster, TUESDAY_10AM)
    except RoutingError as error:
        assert error.code == "routing.county"
        assert roster.party_secretary().cadre_id in excluded  # only then is nobody in the township left
        return
    assert case.recusal.excluded == excluded
    if visited is not None and visited not in excluded:
        assert case.owner_cadre_id == visited  # who is visited is responsible, unless excluded
    assert_never_reaches_the_excluded(case, excluded)
    now = TUESDAY_10AM
    for _ in range(data.draw(st.integers(1, 12))):
        now += timedelta(hours=data.draw(st.integers(1, 24 * 6)))
        action = data.draw(actions(roster))
        try:
            if action == "scheduler":
                step = escalation_for(case, roster, now)
                if not step.escalated:
                    continue
                action = Escalate(step.level, step.recipient_cadre_id, acting_cadre_id=step.acting_cadre_id)
            case = case.apply(action, now, roster)
        except DomainError:
            continue
        assert_never_reaches_the_excluded(case, excluded)
    assert all(not case.recusal.may_read(c, roster) for c in excluded)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_repeat_with_a_new_accusation_is_never_linked_into_a_case_it_accuses(data):
    roster = data.draw(rosters())
    village = data.draw(st.sampled_from([v.code for v in roster.villages()]))
    first = RoutingRequest("hotline", village, "water", data.draw(st.sampled_from([c.cadre_id for c in roster.cadres])))
    try:
        earlier = register(NewCase("c1", "e1", first, "help", "normal", TUESDAY_10AM), roster, TUESDAY_10AM)
    except RoutingError:
        return
    cadres, units = data.draw(accusations(roster))
    cadres |= data.draw(st.sampled_from([frozenset(), frozenset({earlier.owner_cadre_id})]))
    later = TUESDAY_10AM + timedelta(days=1)
    verdict = check_repeat(ZHANG, village, "water", later, [PriorCase.of(earlier, ZHANG)],
                           accused_cadre_ids=cadres, accused_unit_codes=units)
    if cadres or units:
        assert verdict.outcome != LINKED
        assert verdict.case_id == "c1"
    else:
        assert verdict.outcome == LINKED
    if verdict.outcome == LINKED:
        return
    request = RoutingRequest("hotline", village, "water", earlier.owner_cadre_id, cadres, units)
    try:
        repeat = register(NewCase("c2", "e2", request, "complaint", "normal", later), roster, later)
    except RoutingError:
        return
    assert_never_reaches_the_excluded(repeat, oracle_excluded(roster, village, cadres, units))
