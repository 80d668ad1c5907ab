"""The rest of the law, reachable: not accepting a matter, the callback clock, escalation to an
absent recipient's backup, review and re-review by the level above, reception-day cases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models import workcalendar as wc
from models.case_actions import (
    Accept,
    CallbackSatisfied,
    Close,
    Decline,
    Progress,
    Reply,
)
from models.clock import current_stage
from models.deadlines import DEFAULT_POLICY, DeadlinePolicy, Limit
from models.errors import IllegalTransition
from models.escalation import escalation_for
from models.lifecycle import CLOSED, OPEN, CaseStatus, allowed_actions
from models.oversight import Escalate
from models.petitioners import Petitioner
from models.registration import NewCase, register
from models.repeats import NOT_ACCEPTED, PriorCase, check_repeat
from models.reviews import DecideReReview, DecideReview, RequestReReview, RequestReview
from models.routing import RoutingRequest
from tests.unit.factories import TUESDAY_10AM, away, build_roster, village_code

ROSTER = build_roster()
V1 = village_code(1)
T = TUESDAY_10AM
H = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def _case(visited="v1-dir", source="hotline", kind="help", roster=ROSTER, policy=DEFAULT_POLICY):
    request = RoutingRequest(source, V1, "water", visited)
    return register(NewCase("c1", "e1", request, kind, "normal", T), roster, T, policy)


def _replied(case=None, policy=DEFAULT_POLICY):
    case = case or _case(policy=policy)
    for n, action in enumerate((Accept("v1-dir"), Progress("pump checked", "v1-dir"), Reply("pump fixed", "v1-dir"))):
        case = case.apply(action, T + (n + 1) * H, ROSTER, policy)
    return case


def test_not_accepting_a_matter_is_a_final_branch_with_reason_and_written_notice():
    case = _case()
    declined = case.apply(Decline("a contract dispute for the courts", "written notice no. 3, posted", "v1-dir"),
                          T + H, ROSTER)
    assert declined.status is CaseStatus.NOT_ACCEPTED and allowed_actions(declined.status) == ()
    assert declined.status in CLOSED and declined.status not in OPEN
    event = declined.events[-1]
    assert (event.type, event.data["late"]) == ("not_accepted", False)
    assert event.data["notice"] == "written notice no. 3, posted"
    with pytest.raises(IllegalTransition, match="written notice to the petitioner must not be empty"):
        case.apply(Decline("courts", " ", "v1-dir"), T + H, ROSTER)
    late = case.apply(Decline("courts", "notice 4", "v1-dir"), T + timedelta(days=16), ROSTER)
    assert late.events[-1].data["late"] is True
    with pytest.raises(IllegalTransition, match="cannot 'decline'"):
        case.apply(Accept("v1-dir"), T + H, ROSTER).apply(Decline("x", "y"), T + 2 * H, ROSTER)


def test_a_reply_starts_a_five_working_day_callback_clock():
    replied = _replied()
    assert current_stage(replied) == "callback"
    assert replied.deadlines["callback"] == wc.add_working_days(T + 3 * H, 5)
    quick = _replied(policy=DeadlinePolicy(callback=Limit(2, "working_days")))
    assert quick.deadlines["callback"] == wc.add_working_days(T + 3 * H, 2)
    resolved = replied.apply(CallbackSatisfied("ok", actor="t-op"), T + 4 * H, ROSTER)
    assert current_stage(resolved) is None


def test_an_overdue_callback_escalates_to_the_petition_office_then_up_the_chain():
    replied = _replied()
    due = replied.deadlines["callback"]
    step = escalation_for(replied, ROSTER, due + SECOND)
    assert (step.level, step.recipient_cadre_id, step.stage, step.escalated) == (2, "t-staff", "callback", True)
    assert step.steps[0].params["level_name"] == "petition office"
    escalated = replied.apply(Escalate(step.level, step.recipient_cadre_id, actor="system"), due + SECOND, ROSTER)
    later = escalation_for(escalated, ROSTER, due + timedelta(days=10))
    assert (later.level, later.recipient_cadre_id) == (3, "t-sec")


def test_an_escalation_whose_recipient_is_away_reaches_the_backup_who_acts_for_them():
    roster = away(ROSTER, "t-l1", T + timedelta(days=30))
    case = _case("v1-sec", roster=roster)
    step = escalation_for(case, roster, case.deadlines["first_contact"] + SECOND)
    assert (step.recipient_cadre_id, step.acting_cadre_id) == ("t-l1", "t-dsec")
    assert [s.code for s in step.steps] == ["escalation.overdue", "backup.absent", "backup.handles"]
    escalated = case.apply(Escalate(step.level, step.recipient_cadre_id, acting_cadre_id=step.acting_cadre_id),
                           case.deadlines["first_contact"] + SECOND, roster)
    assert (escalated.escalated_to_cadre_id, escalated.escalation_acting_cadre_id) == ("t-l1", "t-dsec")
    present = escalation_for(case, ROSTER, case.deadlines["first_contact"] + SECOND)
    assert present.acting_cadre_id is None


def _closed():
    replied = _replied()
    return replied.apply(CallbackSatisfied("ok", actor="t-op"), T + 4 * H, ROSTER).apply(Close("t-op"), T + 5 * H, ROSTER)


def test_review_is_decided_above_the_owner_and_re_review_above_the_reviewer():
    under_review = _closed().apply(RequestReview("facts wrong", "t-op"), T + timedelta(days=3), ROSTER)
    with pytest.raises(IllegalTransition) as refused:
        under_review.apply(DecideReview("upheld", "v1-dir"), T + timedelta(days=4), ROSTER)
    assert refused.value.code == "decision.own_request"
    reviewed = under_review.apply(DecideReview("upheld", "t-l1"), T + timedelta(days=4), ROSTER)
    assert reviewed.review_decided_by == "t-l1"
    asked = reviewed.apply(RequestReReview("still wrong", "t-op"), T + timedelta(days=5), ROSTER)
    with pytest.raises(IllegalTransition) as refused:
        asked.apply(DecideReReview("upheld", "t-l2"), T + timedelta(days=6), ROSTER)
    assert refused.value.code == "review.not_above"
    final = asked.apply(DecideReReview("upheld", "t-sec"), T + timedelta(days=6), ROSTER)
    assert final.status is CaseStatus.RE_REVIEWED and final.re_review_decided_by == "t-sec"
    zhang = Petitioner(phone="13800001111")
    verdict = check_repeat(zhang, V1, "water", T + timedelta(days=40), [PriorCase.of(final, zhang)])
    assert (verdict.outcome, verdict.code) == (NOT_ACCEPTED, "repeat.re_reviewed")
    assert "not accepted again on the same facts" in verdict.reason


def test_a_review_must_be_asked_for_within_thirty_days_of_the_reply():
    with pytest.raises(IllegalTransition) as refused:
        _closed().apply(RequestReview("late", "t-op"), T + timedelta(days=40), ROSTER)
    assert refused.value.code == "review.request_too_late"


def test_a_reception_day_case_is_accepted_or_not_accepted_by_the_receiving_leader():
    visit = _case("t-l1", source="reception", kind=None)
    assert (visit.owner_cadre_id, current_stage(visit)) == ("t-l1", "acceptance")
    accepted = visit.apply(Accept("t-l1"), T + H, ROSTER)
    assert current_stage(accepted) == "conclusion"
    declined = visit.apply(Decline("already before the court", "notice handed to the representatives", "t-l1"),
                           T + H, ROSTER)
    assert declined.status is CaseStatus.NOT_ACCEPTED
