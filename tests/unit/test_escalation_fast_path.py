"""The scheduler's fast path (issue 12) decides and writes exactly what the plain path does: a
batch's memo of thresholds and chains changes no judgement and no column, the state it writes
as JSON text is the state, and the columns it leaves as stored are ones no escalation or
warning moves. A memo never answers for another roster or policy."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.db.case_rows import SCHEDULED, case_columns, scheduled_columns, stored_columns
from infra.services.escalation import judged
from models.case import Action, Case
from models.case_actions import Accept, Reply
from models.clock import current_due
from models.deadlines import KINDS
from models.errors import DomainError, RoutingError
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo, escalation_for, level_threshold
from models.oversight import Warn
from models.registration import NewCase, register
from models.roster import Roster, Whereabouts
from models.standing import chain_of
from tests.unit.factories import TUESDAY_10AM
from tests.unit.strategies import aware_datetimes, requests, rosters

POLICIES = st.sampled_from([DEFAULT_ESCALATION, EscalationPolicy(grace_working_days={1: 2, 2: 0, 3: 3}),
                            EscalationPolicy(grace_working_days={1: 1, 2: 5, 3: 1}, warn_at_fraction=0.5)])


@st.composite
def batches(draw: st.DrawFn) -> tuple[Roster, list[Case], datetime]:
    """Cases of one roster, at assorted stages, often sharing a moment (a burst falls due
    together), and the moment the scheduler looks at them."""
    roster = draw(rosters())
    first = draw(aware_datetimes(2025, 2027))
    moments = [first + timedelta(hours=h) for h in draw(st.lists(st.integers(0, 72), min_size=1, max_size=3))]
    found = []
    for n in range(draw(st.integers(1, 8))):
        occurred = draw(st.sampled_from(moments))
        try:
            case = register(NewCase(f"c-{n}", f"e-{n}", draw(requests(roster)), draw(st.sampled_from(KINDS)),
                                    draw(st.sampled_from(["normal", "urgent"])), occurred), roster, occurred)
        except RoutingError:
            continue
        found.append(_advanced(draw, case, roster, occurred))
    dues = [due for case in found if (due := current_due(case)) is not None]
    now = draw(st.sampled_from(dues or moments)) + timedelta(minutes=draw(st.integers(-120, 60 * 24 * 20)))
    return roster, found, now


def _advanced(draw: st.DrawFn, case: Case, roster: Roster, at: datetime) -> Case:
    """The case left as registered, or moved on to the handling or the callback stage, warned or not."""
    steps: list[Action] = [Accept(actor=case.handler_cadre_id), Reply("已答复", actor=case.handler_cadre_id)]
    for action in steps[:draw(st.integers(0, 2))]:
        case = _tried(case, action, at, roster)
    for stage in draw(st.lists(st.sampled_from(sorted(case.deadlines)), unique=True, max_size=2)):
        case = _tried(case, Warn(stage), at, roster)
    return case


def _tried(case: Case, action: Action, at: datetime, roster: Roster) -> Case:
    """The case after `action`, or as it was when the rules refuse it."""
    try:
        return case.apply(action, at, roster)
    except DomainError:
        return case


@settings(max_examples=150, deadline=None)
@given(batches(), POLICIES)
def test_a_batch_judged_and_projected_with_its_memo_equals_the_plain_path(batch: tuple[Roster, list[Case], datetime],
                                                                           policy: EscalationPolicy) -> None:
    roster, claimed, now = batch
    memo = Memo(policy, roster)
    for case in claimed:
        assert escalation_for(case, roster, now, policy, memo) == escalation_for(case, roster, now, policy)
        after = judged(case, roster, now, policy, memo)
        assert after == judged(case, roster, now, policy)

        full = _parsed(case_columns(after, checked_at=now, policy=policy))
        assert _parsed(stored_columns(after, checked_at=now, policy=policy, memo=memo)) == full
        written = _parsed(scheduled_columns(after, checked_at=now, policy=policy, memo=memo))
        assert set(written) == SCHEDULED and written == {name: full[name] for name in SCHEDULED}
        # what the scheduler leaves as stored is what the full projection gives, before as after
        kept = _parsed(case_columns(case, checked_at=now, policy=policy))
        assert {name: kept[name] for name in full.keys() - SCHEDULED} == {name: full[name] for name in full.keys() - SCHEDULED}


def _parsed(columns: dict[str, Any]) -> dict[str, Any]:
    """The columns as stored: the state parsed, whether it came as JSON text or as builtins."""
    state = columns["state"]
    return {**columns, "state": orjson.loads(state if isinstance(state, str) else orjson.dumps(state))}


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_a_memo_never_answers_for_another_roster(data: st.DataObject) -> None:
    """After a roster change the batch's chain is not reused: a memo bound to the old roster
    gives the new roster's chain when asked with it."""
    roster = data.draw(rosters())
    village = data.draw(st.sampled_from([v.code for v in roster.villages()]))
    memo = Memo(DEFAULT_ESCALATION, roster)
    memo.chain(roster, village)
    secretary = chain_of(roster, village)[1]
    changed = roster.with_whereabouts(secretary.cadre_id, Whereabouts("leave"))  # a new roster object

    assert memo.chain(changed, village) == chain_of(changed, village)
    assert memo.chain(changed, village) is not memo.chain(roster, village)


def test_a_memo_never_answers_for_another_policy() -> None:
    memo = Memo(DEFAULT_ESCALATION)
    slower = EscalationPolicy(grace_working_days={1: 5, 2: 5, 3: 5})
    memo.threshold(TUESDAY_10AM, 1, DEFAULT_ESCALATION)

    assert memo.threshold(TUESDAY_10AM, 1, slower) == level_threshold(TUESDAY_10AM, 1, slower)
    assert memo.threshold(TUESDAY_10AM, 1, slower) != memo.threshold(TUESDAY_10AM, 1, DEFAULT_ESCALATION)
