"""Properties over random rosters, requests and times."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models import workcalendar as wc
from models.chain import recusal_for
from models.deadlines import deadlines_for_new_case
from models.errors import IllegalTransition, RoutingError
from models.escalation import escalation_for
from models.oversight import Escalate
from models.registration import NewCase, register
from models.routing import route
from tests.unit.factories import TUESDAY_10AM
from tests.unit.strategies import CATEGORIES, aware_datetimes, requests, rosters

FAST = settings(max_examples=200, deadline=None)
ROSTERS = settings(max_examples=100, deadline=None)  # random rosters are costlier to draw


@ROSTERS
@given(st.data())
def test_an_accused_cadre_or_member_of_an_accused_unit_never_owns_or_handles(data):
    roster = data.draw(rosters())
    request = data.draw(requests(roster))
    excluded = recusal_for(roster, request.accused_cadre_ids, request.accused_unit_codes, request.village_code).excluded
    try:
        decision = route(request, roster, TUESDAY_10AM)
    except RoutingError as error:
        assert "county" in str(error)  # only when nobody in the township is left
        return
    assert decision.owner_cadre_id not in excluded
    assert decision.handler_cadre_id not in excluded
    assert 0 <= decision.escalation_level <= 3
    if request.visited_cadre_id and request.visited_cadre_id not in excluded:
        assert decision.owner_cadre_id == request.visited_cadre_id  # who is visited is responsible


@ROSTERS
@given(st.data(), st.lists(st.integers(1, 60 * 24 * 20), min_size=1, max_size=8))
def test_escalation_never_decreases_never_exceeds_three_and_skips_the_recused(data, gaps):
    roster = data.draw(rosters())
    request = data.draw(requests(roster))
    try:
        case = register(NewCase("c", "e", request, "consult", "normal", TUESDAY_10AM), roster, TUESDAY_10AM)
    except RoutingError:
        return
    now, level = TUESDAY_10AM, case.escalation_level
    for minutes in gaps:
        now += timedelta(minutes=minutes)
        step = escalation_for(case, roster, now)
        assert level <= step.level <= 3
        if step.escalated:
            assert step.recipient_cadre_id not in case.excluded_cadre_ids
            assert step.recipient_cadre_id != case.owner_cadre_id
            case = case.apply(Escalate(step.level, step.recipient_cadre_id), now, roster)
        level = case.escalation_level


@FAST
@given(aware_datetimes(), st.sampled_from(["hotline", "contactcard", "diary", "reception"]),
       st.sampled_from([None, "consult", "help", "suggestion", "complaint", "report"]),
       st.sampled_from(["normal", "urgent"]), st.sampled_from(CATEGORIES))
def test_every_deadline_falls_on_a_working_day_at_or_after_the_event(occurred, source, kind, urgency, category):
    deadlines = deadlines_for_new_case(source, kind, urgency, occurred, category=category)
    for stage, due in deadlines.items():
        assert due >= occurred
        assert due.utcoffset() == occurred.utcoffset()
        if not (stage == "first_contact" and urgency == "urgent"):  # two hours is two hours, any day
            assert wc.is_working_day(wc.local_date(due)), f"{stage} due {due} is not a working day"


@FAST
@given(aware_datetimes(), st.integers(0, 30))
def test_adding_working_days_counts_exactly_that_many(start, days):
    due = wc.add_working_days(start, days)
    first, last = wc.local_date(start), wc.local_date(due)
    between = [first + timedelta(days=n) for n in range(1, (last - first).days + 1)]
    assert sum(map(wc.is_working_day, between)) == days
    assume(days > 0)
    assert wc.is_working_day(last)


@FAST
@given(st.integers(-1, 5), st.integers(0, 5))
def test_escalate_action_refuses_to_go_down_or_past_three(current, target):
    from models.routing import RoutingRequest
    from tests.unit.factories import build_roster, village_code
    roster = build_roster()
    case = register(NewCase("c", "e", RoutingRequest("hotline", village_code(1), "water", "v1-m1"),
                            "help", "normal", TUESDAY_10AM), roster, TUESDAY_10AM)
    recipients = {1: "v1-sec", 2: "t-l1", 3: "t-sec"}
    if 1 <= current <= 3:
        case = case.apply(Escalate(current, recipients[current]), TUESDAY_10AM, roster)
    try:
        after = case.apply(Escalate(target, recipients.get(target, "t-sec")), TUESDAY_10AM, roster)
    except IllegalTransition:
        assert target <= case.escalation_level or target > 3
    else:
        assert case.escalation_level < after.escalation_level == target <= 3
