"""The scheduler's next look at a case agrees with the escalation rules it stands for."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from infra.demo.township import demo_roster
from models.attention import attention_times, next_attention
from models.case_actions import Accept, CallbackSatisfied, Progress, Reply
from models.escalation import escalation_for
from models.registration import NewCase, register
from models.roster import Roster
from models.routing import RoutingRequest

SHANGHAI = timezone(timedelta(hours=8))
ROSTER = Roster.from_contract(demo_roster())
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)  # a Tuesday


def _case(kind: str = "consult", occurred_at: datetime = T0):
    request = RoutingRequest("hotline", "330782101201", "water", "v1-dir")
    return register(NewCase("c-1", "e-1", request, kind, "normal", occurred_at), ROSTER, occurred_at)


def test_a_fresh_case_is_looked_at_first_for_its_warning() -> None:
    case = _case()
    due = min(case.deadlines.values())

    first = next_attention(case)

    assert first is not None and T0 < first < due
    assert escalation_for(case, ROSTER, first).warning_due


def test_a_replied_case_is_looked_at_for_its_callback_and_a_resolved_one_needs_none() -> None:
    case = _case()
    for action in (Accept(actor="v1-dir"), Progress("called the water company", actor="v1-dir"),
                   Reply("水已恢复供应", actor="v1-dir")):
        case = case.apply(action, T0 + timedelta(hours=1), ROSTER)

    first = next_attention(case)
    assert first is not None and first < case.deadlines["callback"]  # the callback's warning comes first
    assert escalation_for(case, ROSTER, first).warning_due

    resolved = case.apply(CallbackSatisfied("满意", actor="t-op1"), T0 + timedelta(hours=2), ROSTER)
    assert attention_times(resolved) == []
    assert next_attention(resolved) is None


def test_nothing_is_owed_before_the_next_attention_and_something_is_owed_at_it() -> None:
    case, now = _case(), T0
    for _ in range(6):
        at = next_attention(case, after=now)
        if at is None:
            break
        just_before = escalation_for(case, ROSTER, at - timedelta(seconds=1))
        assert not just_before.escalated
        step = escalation_for(case, ROSTER, at)
        assert step.escalated or step.warning_due
        case, now = _apply(case, step, at), at
    assert case.escalation_level == 3


def _apply(case, step, at):  # type: ignore[no-untyped-def]
    from models.deadlines import FIRST_CONTACT
    from models.oversight import Escalate, Warn
    if step.escalated:
        return case.apply(Escalate(step.level, step.recipient_cadre_id or ""), at, ROSTER)
    return case.apply(Warn(FIRST_CONTACT), at, ROSTER)


@settings(max_examples=60, deadline=None)
@given(hours=st.integers(min_value=0, max_value=24 * 60))
def test_a_long_overdue_case_is_owed_attention_immediately(hours: int) -> None:
    occurred = T0 - timedelta(hours=hours)
    case = _case(occurred_at=occurred)
    now = T0
    step = escalation_for(case, ROSTER, now)
    first = next_attention(case)

    assert first is not None
    if step.escalated or step.warning_due:
        assert first <= now
