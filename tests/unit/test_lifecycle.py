"""The case lifecycle: the transition table, its guards and the events it records."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from models.case_actions import (
    Accept,
    CallbackImpossible,
    CallbackSatisfied,
    CallbackUnsatisfied,
    Close,
    Progress,
    Reply,
)
from models.clock import current_stage, is_overdue
from models.errors import IllegalTransition
from models.lifecycle import TRANSITIONS, CaseStatus, allowed_actions
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
from models.registration import NewCase, register
from models.reviews import DecideReReview, DecideReview, RequestReReview, RequestReview
from models.routing import RoutingRequest
from tests.unit.factories import TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
T = TUESDAY_10AM
H = timedelta(hours=1)


def new_case(source="hotline", visited="v1-dir", kind="help", accused=(), resolution=None):
    request = RoutingRequest(source, village_code(1), "water", visited, frozenset(accused))
    return register(NewCase("c1", "e1", request, kind, "normal", T, resolution), ROSTER, T)


def run(case, *actions, start=T):
    for n, action in enumerate(actions, start=1):
        case = case.apply(action, start + n * H, ROSTER)
    return case


def replied(case=None):
    return run(case or new_case(), Accept("v1-dir"), Progress("visited the well"), Reply("pump repaired"))


def test_registration_opens_and_assigns_with_events():
    case = new_case()
    assert case.status is CaseStatus.ASSIGNED and case.owner_cadre_id == "v1-dir"
    assert [e.type for e in case.events] == ["opened", "assigned"]
    assert [e.event_id for e in case.events] == ["c1:1", "c1:2"]


def test_happy_path_to_closed():
    case = run(replied(), CallbackSatisfied("thanks"), Close())
    assert case.status is CaseStatus.CLOSED
    assert [e.type for e in case.events][-4:] == ["progress", "replied", "resolved", "closed"]


def test_illegal_transition_names_state_and_allowed_actions():
    with pytest.raises(IllegalTransition) as caught:
        run(replied(), Close())
    assert str(caught.value) == ("cannot 'close' a case in state 'replied': allowed actions are "
                                 "callback_impossible, callback_satisfied, callback_unsatisfied, escalate, warn")


def test_unsatisfied_callback_returns_to_the_handler_and_is_counted():
    case = run(replied(), CallbackUnsatisfied("still no water"))
    assert case.status is CaseStatus.IN_PROGRESS and case.unsatisfied_count == 1
    assert case.handler_cadre_id == "v1-dir" and case.events[-1].type == "reopened"
    case = run(case, Reply("new pipe"), CallbackUnsatisfied("leaks"), start=T + 10 * H)
    assert case.unsatisfied_count == 2


def test_no_close_without_a_reason_when_callback_impossible():
    with pytest.raises(IllegalTransition, match="reason no callback was possible must not be empty"):
        run(replied(), CallbackImpossible("  "))
    closed = run(replied(), CallbackImpossible("number disconnected, three attempts"), Close())
    assert closed.status is CaseStatus.CLOSED


def test_empty_reply_is_refused():
    with pytest.raises(IllegalTransition, match="reply to the petitioner must not be empty"):
        run(new_case(), Accept(), Reply(""))


def test_diary_resolved_on_spot_is_a_case_resolved_by_its_author():
    case = new_case(source="diary", visited="v1-m2", kind=None, resolution="fixed the fence together")
    assert case.status is CaseStatus.RESOLVED and case.owner_cadre_id == "v1-m2"
    assert run(case, Close()).status is CaseStatus.CLOSED
    with pytest.raises(IllegalTransition, match="only a diary entry can be resolved on the spot"):
        register(NewCase("c2", "e2", RoutingRequest("hotline", village_code(1), "water", "v1-m2"), "help",
                         "normal", T, "done"), ROSTER, T)


def test_extension_once_at_most_30_days_with_a_leaders_approval():
    case = run(new_case(), Accept())
    before = case.deadlines["handling"]
    extended = run(case, Extend(30, "needs county water bureau", "t-l1"), start=T + 2 * H)
    assert extended.deadlines["handling"] == before + timedelta(days=30)
    with pytest.raises(IllegalTransition, match="already extended 1 time"):
        run(extended, Extend(5, "again", "t-l1"), start=T + 5 * H)
    with pytest.raises(IllegalTransition, match="1 to 30 days, not 31"):
        run(case, Extend(31, "long", "t-l1"), start=T + 2 * H)
    with pytest.raises(IllegalTransition, match="approved by a township leader; v1-sec is not one"):
        run(case, Extend(5, "short", "v1-sec"), start=T + 2 * H)


def test_reception_conclusion_runs_from_actual_acceptance():
    case = new_case(source="reception", visited="t-l1", kind=None)
    accepted = run(case, Accept("t-l1"))
    # 60 days from acceptance is Saturday 10 May 2025: the period ends on Monday 12 May
    assert accepted.deadlines["conclusion"] == T + H + timedelta(days=62)
    assert accepted.deadlines["conclusion"] < case.deadlines["conclusion"]
    assert current_stage(accepted) == "conclusion"


def test_pause_moves_the_clock_by_the_paused_time():
    case = run(new_case(), Accept())
    paused = run(case, Pause("waiting for land survey", "t-sec"), start=T + H)
    assert current_stage(paused) is None
    resumed = paused.apply(Resume(), T + 2 * H + timedelta(days=3), ROSTER)
    assert resumed.deadlines["handling"] == case.deadlines["handling"] + timedelta(days=3)
    assert resumed.deadlines["first_contact"] == case.deadlines["first_contact"]


def test_objection_within_five_working_days_keeps_the_clock_and_transfer_changes_owner():
    case = run(new_case(), Object("this is the county's road"))
    assert case.status is CaseStatus.OBJECTED and case.deadlines == new_case().deadlines
    transferred = run(case, Transfer("v1-ddir", "v1-ddir", "roads are hers"), start=T + 2 * H)
    assert (transferred.status, transferred.owner_cadre_id) == (CaseStatus.ASSIGNED, "v1-ddir")
    assert run(case, Overrule("it is the village's"), start=T + 2 * H).owner_cadre_id == "v1-dir"
    with pytest.raises(IllegalTransition, match="objection window"):
        new_case().apply(Object("late"), T + timedelta(days=10), ROSTER)


def test_recused_cadres_cannot_be_handlers_transferees_or_escalation_recipients():
    case = new_case(accused=["v1-sec"])
    with pytest.raises(IllegalTransition, match="cadre v1-sec is accused in this case and cannot handle it"):
        run(case, Delegate("v1-sec"))
    with pytest.raises(IllegalTransition, match="cannot receive it"):
        run(case, Escalate(3, "v1-sec"))
    with pytest.raises(IllegalTransition, match="cannot own it"):
        run(case, Object("not mine"), Transfer("v1-sec", "v1-sec", "x"))


def test_escalation_only_climbs_and_never_past_three():
    case = run(new_case(), Escalate(2, "t-l1"))
    assert case.escalation_level == 2
    with pytest.raises(IllegalTransition, match="only climb"):
        run(case, Escalate(1, "v1-sec"), start=T + 2 * H)
    with pytest.raises(IllegalTransition, match="at most 3"):
        run(case, Escalate(4, "t-sec"), start=T + 2 * H)


def test_review_then_re_review_within_thirty_days_each():
    closed = run(replied(), CallbackSatisfied(), Close(), start=T + 3 * H)
    reviewed = run(closed, RequestReview("facts wrong"), DecideReview("upheld"), start=T + 10 * H)
    assert current_stage(run(closed, RequestReview("facts wrong"), start=T + 10 * H)) == "review_decision"
    final = run(reviewed, RequestReReview("still wrong"), DecideReReview("upheld"), start=T + 20 * H)
    assert final.status is CaseStatus.RE_REVIEWED and allowed_actions(final.status) == ()
    with pytest.raises(IllegalTransition, match="had to be requested by"):
        closed.apply(RequestReview("too late"), T + timedelta(days=40), ROSTER)


def test_overdue_follows_the_current_stage():
    case = new_case()
    assert not is_overdue(case, case.deadlines["first_contact"])
    assert is_overdue(case, case.deadlines["first_contact"] + timedelta(seconds=1))
    accepted = case.apply(Accept(), T + H, ROSTER)
    assert not is_overdue(accepted, case.deadlines["first_contact"] + timedelta(seconds=1))


def test_every_status_appears_in_the_table():
    mentioned = {s for s, _ in TRANSITIONS} | set(TRANSITIONS.values())
    assert mentioned == set(CaseStatus)


@pytest.mark.parametrize(("fields", "missing"), [
    ({"reply": None, "callback_result": "satisfied"}, "has no reply"),
    ({"reply": "done", "callback_result": None}, "has no callback result"),
    ({"reply": "done", "callback_result": "unsatisfied"}, "has no callback result"),
])
def test_close_refuses_a_case_without_reply_or_callback_even_if_stored_as_resolved(fields, missing):
    stored = replace(new_case(), status=CaseStatus.RESOLVED, **fields)
    with pytest.raises(IllegalTransition, match=missing):
        stored.apply(Close(), T + H, ROSTER)
