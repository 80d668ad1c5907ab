"""Village assessment: each part of the score, the bonus for proactive work, stars and rank."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.case_actions import Accept, CallbackSatisfied, Reply
from models.errors import DomainError
from models.oversight import Escalate
from models.rates import Rate, ThreeRates
from models.registration import NewCase, register
from models.reports import diary_summary as ds
from models.reports.assessment import (
    DEFAULT_WEIGHTS,
    PARTS,
    AssessmentWeights,
    VillageFacts,
    assess,
    stars_for,
    village_facts,
)
from models.reports.periods import quarter
from models.reports.records import UpwardPetition
from models.reports.visiting import VisitingDays
from models.routing import RoutingRequest
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
V1, V2, V3 = village_code(1), village_code(2), village_code(3)
Q1 = quarter("2025-Q1")
T = datetime(2025, 2, 11, 10, tzinfo=BEIJING)
H = timedelta(hours=1)
AFTER_Q1 = datetime(2025, 4, 10, tzinfo=BEIJING)


def rates(r=(0, 0), s=(0, 0), sat=(0, 0)):
    return ThreeRates(Rate(*r), Rate(*s), Rate(*sat))


def visiting(days, village=V1, month="2025-01", cadre="v1-dir"):
    return VisitingDays(cadre, village, month, tuple(date(2025, int(month[-2:]), d) for d in range(1, days + 1)), 7)


def perfect(village=V1, **overrides):
    facts = dict(rates=rates((10, 10), (8, 8), (8, 8)), cases=10, overdue_cases=0, escalated_cases=0,
                 visiting=(visiting(7, village),), summaries=(ds.ON_TIME,), months=("2025-01", "2025-02", "2025-03"))
    facts.update(overrides)
    return VillageFacts(village, **facts)


def part(score, name):
    return next(p for p in score.parts if p.name == name)


def test_a_village_that_does_everything_scores_100_and_five_stars():
    [item] = assess(Q1, [perfect()]).items
    assert (item.score, item.stars, item.rank, item.grade, item.zero_petition) == (100.0, 5, 1, "good", True)


def test_points_of_the_parts_add_up_to_the_score():
    facts = perfect(rates=rates((7, 10), (5, 8), (6, 8)), overdue_cases=3, escalated_cases=1,
                    visiting=(visiting(3), visiting(7, cadre="v1-sec")), summaries=(ds.LATE,),
                    months_with_upward=("2025-02",))
    [item] = assess(Q1, [facts]).items
    assert abs(sum(p.points for p in item.parts) - item.score) < 0.06
    assert part(item, "on_time").fraction == 0.7 and part(item, "not_escalated").fraction == 0.9
    assert part(item, "visiting").fraction == 10 / 14 and part(item, "diary_summaries").fraction == 0.5
    assert part(item, "zero_petition").fraction == 2 / 3 and not item.zero_petition
    parts = item.parts_dict()
    assert parts["response"]["numerator"] == 7 and parts["zero_petition"]["months_with_upward_petitions"] == ["2025-02"]


def test_a_part_with_nothing_to_judge_is_left_out_and_the_rest_share_its_weight():
    quiet = perfect(rates=rates(), cases=0, overdue_cases=0)
    [item] = assess(Q1, [quiet]).items
    assert part(item, "response").fraction is None and part(item, "response").points == 0
    assert item.score == 100.0
    assert part(item, "visiting").max_points == pytest.approx(100 * 10 / 30)  # visiting, summaries, zero petition


def test_proactive_work_is_a_separate_capped_bonus():
    base = perfect(summaries=(ds.MISSING,))
    [plain] = assess(Q1, [base]).items
    [credited] = assess(Q1, [VillageFacts(**{**base.__dict__, "diary_cases": 2, "on_spot": 1})]).items
    assert credited.bonus.points == 2.0 and credited.score == round(plain.score + 2.0, 1)
    [capped] = assess(Q1, [VillageFacts(**{**base.__dict__, "on_spot": 40})]).items
    assert capped.bonus.points == DEFAULT_WEIGHTS.proactive_cap and capped.score == plain.score + 5
    [full] = assess(Q1, [perfect(on_spot=3)]).items
    assert full.score == 100.0


def test_rank_and_ties():
    weak = perfect(V3, visiting=(visiting(0, V3),))
    items = assess(Q1, [weak, perfect(V2), perfect(V1)]).items
    assert [(i.village_code, i.rank) for i in items] == [(V1, 1), (V2, 1), (V3, 3)]


def test_stars_follow_the_thresholds():
    assert [stars_for(s) for s in (100, 90, 89.9, 80, 70, 60, 59.9, 0)] == [5, 5, 4, 4, 3, 2, 1, 1]


def test_weights_are_deployment_data_checked_in_one_pass():
    custom = AssessmentWeights.from_mapping({"satisfaction": 40, "star_thresholds": [95, 85, 75, 65]})
    assert custom.satisfaction == 40 and AssessmentWeights.from_mapping(custom.to_mapping()) == custom
    with pytest.raises(DomainError) as refused:
        AssessmentWeights.from_mapping({"satisfaction": -1, "speed": 3, "star_thresholds": [60, 70, 80, 90]})
    problems = refused.value.params["problems"]
    assert refused.value.code == "assessment.bad_weights"
    assert "satisfaction" in problems and "'speed'" in problems and "star_thresholds" in problems
    with pytest.raises(DomainError):
        AssessmentWeights.from_mapping(dict.fromkeys(PARTS, 0))


def test_weights_change_the_score():
    facts = perfect(rates=rates((10, 10), (8, 8), (4, 8)))
    default = assess(Q1, [facts]).items[0].score
    heavy = assess(Q1, [facts], AssessmentWeights.from_mapping({"satisfaction": 60})).items[0].score
    assert heavy < default


@settings(deadline=None)  # the assertions are about results, never about time
@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 14), st.integers(0, 3), st.integers(0, 50))
def test_score_stays_within_0_and_100_and_parts_explain_it(cases, overdue, days, missing_months, on_spot):
    overdue = min(overdue, cases)
    months = ("2025-01", "2025-02", "2025-03")
    facts = perfect(cases=cases, overdue_cases=overdue, escalated_cases=overdue, visiting=(visiting(days % 8),),
                    months_with_upward=months[:missing_months], on_spot=on_spot)
    [item] = assess(Q1, [facts]).items
    assert 0 <= item.score <= 100 and 1 <= item.stars <= 5
    assert item.score == pytest.approx(min(100, sum(p.points for p in item.parts) + item.bonus.points), abs=0.06)


# --- the facts from the domain's own objects ---------------------------------------------------

def new_case(n, village=1, source="hotline", resolution=None, at=T):
    request = RoutingRequest(source, village_code(village), "water", f"v{village}-dir")
    return register(NewCase(f"c{n}", f"e{n}", request, None if source == "diary" else "help", "normal", at,
                            resolution), ROSTER, at)


def satisfied(c):
    return (c.apply(Accept(), T + H, ROSTER).apply(Reply("done"), T + 2 * H, ROSTER)
            .apply(CallbackSatisfied(), T + 3 * H, ROSTER))


def test_village_facts_from_cases_summaries_visits_and_upward_petitions():
    late = new_case(2)
    late = late.apply(Escalate(1, "v1-sec"), late.deadlines["first_contact"] + H, ROSTER)
    late = late.apply(Escalate(2, "t-l1"), late.deadlines["first_contact"] + 30 * H, ROSTER)
    cases = [satisfied(new_case(1)), late, new_case(3, source="diary"),
             new_case(4, source="diary", resolution="当场解决"), new_case(5, village=2),
             new_case(6, at=datetime(2024, 12, 30, tzinfo=BEIJING))]
    facts = village_facts(V1, Q1, AFTER_Q1, cases=cases, visiting=[visiting(5), visiting(7, V2)],
                          summaries=[ds.ON_TIME, ds.PENDING],
                          upward=[UpwardPetition(V1, datetime(2025, 3, 3, tzinfo=BEIJING)),
                                  UpwardPetition(V2, datetime(2025, 1, 3, tzinfo=BEIJING))])
    assert (facts.cases, facts.overdue_cases, facts.escalated_cases) == (3, 2, 1)  # the diary case is overdue too
    assert (facts.diary_cases, facts.on_spot) == (1, 1)
    assert facts.rates.satisfaction.denominator == 2  # the satisfied callback and the on-the-spot resolution
    assert [v.village_code for v in facts.visiting] == [V1] and facts.summaries == (ds.ON_TIME,)
    assert facts.months == ("2025-01", "2025-02", "2025-03") and facts.months_with_upward == ("2025-03",)


def test_months_not_yet_begun_are_not_assessed():
    facts = village_facts(V1, Q1, datetime(2025, 2, 15, tzinfo=BEIJING), cases=[])
    assert facts.months == ("2025-01", "2025-02")
