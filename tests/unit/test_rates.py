"""The three rates: response, resolution and satisfaction, by village and by cadre."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from models.case_actions import (
    Accept,
    CallbackImpossible,
    CallbackSatisfied,
    CallbackUnsatisfied,
    Progress,
    Reply,
)
from infra.db.case_rows import merge_columns, rate_columns, stored_rate_facts
from models.rates import Rate, RateFacts, rate_facts, tally, three_rates
from models.registration import NewCase, register
from models.routing import RoutingRequest
from tests.unit.factories import TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
T = TUESDAY_10AM
H = timedelta(hours=1)
START, END = T - timedelta(days=1), T + timedelta(days=60)


def case(n, visited="v1-dir", village=1, source="hotline", resolution=None):
    request = RoutingRequest(source, village_code(village), "water", visited)
    return register(NewCase(f"c{n}", f"e{n}", request, None if source == "diary" else "help", "normal", T,
                            resolution), ROSTER, T)


def answered(c, callback, at=T + 5 * H):
    c = c.apply(Accept(), T + H, ROSTER).apply(Reply("done"), T + 2 * H, ROSTER)
    return c.apply(callback, at, ROSTER)


def test_response_rate_counts_contact_within_the_first_contact_deadline():
    on_time = case(1).apply(Accept(), T + H, ROSTER)
    late = case(2).apply(Accept(), T + timedelta(days=3), ROSTER)
    never = case(3)
    rates = three_rates([on_time, late, never], START, END)
    assert (rates.response.numerator, rates.response.denominator) == (1, 3)


def test_a_case_still_within_its_deadline_is_not_judged_yet():
    pending = case(1)
    rates = three_rates([pending], START, T + 2 * H)
    assert rates.response.denominator == 0 and rates.response.value is None


def test_satisfaction_and_resolution_are_asked_separately():
    cases = [answered(case(1), CallbackSatisfied()),
             answered(case(2), CallbackSatisfied(problem_solved=False)),
             answered(case(3), CallbackUnsatisfied()),
             answered(case(4), CallbackImpossible("moved away, number dead"))]
    rates = three_rates(cases, START, END)
    assert (rates.satisfaction.numerator, rates.satisfaction.denominator) == (2, 3)
    assert (rates.resolution.numerator, rates.resolution.denominator) == (1, 3)


def test_on_the_spot_resolutions_count_as_responded_solved_and_satisfied():
    rates = three_rates([case(1, visited="v1-m2", source="diary", resolution="fixed together")], START, END)
    assert rates.response.value == rates.resolution.value == rates.satisfaction.value == 1.0


def test_callbacks_outside_the_period_do_not_count():
    late = answered(case(1), CallbackSatisfied(), at=END + H)
    assert three_rates([late], START, END).satisfaction.denominator == 0


def test_rates_by_village_and_by_owner():
    cases = [answered(case(1), CallbackSatisfied()), answered(case(2, visited="v2-dir", village=2), CallbackUnsatisfied())]
    assert three_rates(cases, START, END, village_code=village_code(2)).satisfaction.value == 0.0
    assert three_rates(cases, START, END, owner_cadre_id="v1-dir").satisfaction.value == 1.0


def test_a_matter_not_accepted_in_time_was_responded_to_and_is_in_no_verdict_rate():
    from models.case_actions import Decline
    from models.lifecycle import CaseStatus
    declined = case(1).apply(Decline("a civil court matter", "notice 2025-03 no. 7 handed over", "v1-dir"),
                             T + H, ROSTER)
    late = case(2).apply(Decline("a civil court matter", "notice no. 8", "v1-dir"), T + timedelta(days=3), ROSTER)
    assert declined.status is CaseStatus.NOT_ACCEPTED and declined.declined_at == T + H
    rates = three_rates([declined, late], START, END)
    assert (rates.response.numerator, rates.response.denominator) == (1, 2)
    assert rates.resolution.denominator == rates.satisfaction.denominator == 0


def test_a_case_loaded_without_its_history_finds_no_callback_and_the_stored_one_stays():
    judged = answered(case(9), CallbackUnsatisfied("not fixed"))
    facts = rate_facts(judged)
    assert (facts.callback_at, facts.callback_kind, facts.problem_solved) == (T + 5 * H, "unsatisfied", False)
    snapshot = dataclasses.replace(judged, events=(), base_version=judged.version)
    assert rate_facts(snapshot).callback_at is None  # unknown here, not "never called back"
    row = {"occurred_at": T, **rate_columns(judged)}
    merge_columns(row, rate_columns(snapshot.apply(Progress("still on it"), T + 6 * H, ROSTER)))
    assert stored_rate_facts(row) == facts


_MOMENTS = st.integers(0, 40).map(lambda hours: T + hours * H)
_FACTS = st.builds(RateFacts, _MOMENTS, st.none() | _MOMENTS, st.none() | _MOMENTS, st.none() | _MOMENTS,
                   st.sampled_from([None, "satisfied", "unsatisfied", "impossible", "on_spot"]), st.booleans())


@given(st.lists(_FACTS, max_size=12), st.integers(0, 12), _MOMENTS, st.integers(1, 30))
def test_the_rates_of_cases_are_the_sums_of_any_split_of_them(facts, cut, start, hours):
    """What lets SQL sum per group and per arm of the scope (less the hidden cases)."""
    end = start + hours * H
    whole, parts = tally(facts, start, end), (tally(facts[:cut], start, end), tally(facts[cut:], start, end))
    for name in ("response", "resolution", "satisfaction"):
        rates = [getattr(part, name) for part in parts]
        assert getattr(whole, name) == Rate(sum(r.numerator for r in rates), sum(r.denominator for r in rates))
        assert getattr(whole, name).numerator <= getattr(whole, name).denominator
