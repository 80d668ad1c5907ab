"""A state machine test: random sequences of actions against the lifecycle.

Only transitions in the table succeed; a case always has exactly one owner once assigned;
a closed case has a reply and a callback result (or the reason none was possible);
escalation never goes down; every success records exactly one event.
"""
from __future__ import annotations

from datetime import timedelta

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from models.case import Case, record
from models.case_actions import (
    Accept,
    Assign,
    CallbackImpossible,
    CallbackSatisfied,
    CallbackUnsatisfied,
    Close,
    Decline,
    Progress,
    Reply,
    ResolveOnSpot,
)
from models.chain import recusal_for
from models.deadlines import deadlines_for_new_case
from models.errors import IllegalTransition
from models.lifecycle import TRANSITIONS, CaseStatus
from models.oversight import (
    Delegate,
    Escalate,
    Extend,
    Object,
    Overrule,
    Pause,
    Resume,
    Transfer,
    Warn,
)
from models.reviews import DecideReReview, DecideReview, RequestReReview, RequestReview
from tests.unit.factories import TUESDAY_10AM, build_roster, village_code

ROSTER = build_roster()
CADRES = st.sampled_from([c.cadre_id for c in ROSTER.cadres])
WORDS = st.sampled_from(["well pump fixed", "road repaired", "", "  "])
RECUSAL = recusal_for(ROSTER, ["v1-m2"], [village_code(2)])

BY_NAME = {strategy_name: strategy for strategy_name, strategy in (
    ("resolve_on_spot", st.builds(ResolveOnSpot, CADRES, WORDS)),
    ("assign", st.builds(Assign, CADRES, CADRES, st.just(0), recusal=st.just(RECUSAL))),
    ("accept", st.builds(Accept)), ("decline", st.builds(Decline, WORDS, WORDS)), ("progress", st.builds(Progress, WORDS)), ("reply", st.builds(Reply, WORDS)),
    ("callback_satisfied", st.builds(CallbackSatisfied)), ("callback_unsatisfied", st.builds(CallbackUnsatisfied)),
    ("callback_impossible", st.builds(CallbackImpossible, WORDS)), ("close", st.builds(Close)),
    ("extend", st.builds(Extend, st.integers(0, 40), WORDS, CADRES)), ("pause", st.builds(Pause, WORDS, CADRES)),
    ("resume", st.builds(Resume)), ("object", st.builds(Object, WORDS)),
    ("transfer", st.builds(Transfer, CADRES, CADRES, WORDS)), ("overrule", st.builds(Overrule, WORDS)),
    ("delegate", st.builds(Delegate, CADRES)), ("escalate", st.builds(Escalate, st.integers(0, 4), CADRES)),
    ("warn", st.builds(Warn, st.sampled_from(["first_contact", "handling"]))),
    ("request_review", st.builds(RequestReview, WORDS)), ("decide_review", st.builds(DecideReview, WORDS)),
    ("request_re_review", st.builds(RequestReReview, WORDS)), ("decide_re_review", st.builds(DecideReReview, WORDS)),
)}
ACTIONS = st.one_of(*BY_NAME.values())


class CaseLifecycle(RuleBasedStateMachine):
    @initialize(source=st.sampled_from(["hotline", "diary"]))
    def open_case(self, source: str) -> None:
        deadlines = deadlines_for_new_case(source, "help", "normal", TUESDAY_10AM)
        case = Case("c1", source, "e1", village_code(1), "water", "help", "normal", TUESDAY_10AM, deadlines)
        self.case = record(case, "opened", TUESDAY_10AM, "t-op")
        self.now = TUESDAY_10AM

    @rule(action=ACTIONS, minutes=st.integers(1, 60 * 24 * 3))
    def act(self, action, minutes: int) -> None:
        self.attempt(action, minutes)

    @rule(data=st.data(), minutes=st.integers(1, 60 * 24))
    def act_as_the_table_allows(self, data, minutes: int) -> None:
        """Steer towards deep states (review, re-review) that random actions rarely reach."""
        names = sorted(name for (state, name) in TRANSITIONS if state is self.case.status)
        if names:
            self.attempt(data.draw(BY_NAME[data.draw(st.sampled_from(names))]), minutes)

    def attempt(self, action, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)
        before = self.case
        try:
            self.case = before.apply(action, self.now, ROSTER)
        except IllegalTransition as error:
            legal = (before.status, action.name) in TRANSITIONS
            # a legal pair may still fail a guard, but never with the "cannot '<action>'" wording
            assert legal != str(error).startswith(f"cannot '{action.name}'")
            return
        assert self.case.status is TRANSITIONS[(before.status, action.name)]
        event(f"reached {self.case.status}")
        assert len(self.case.events) == len(before.events) + 1
        assert self.case.escalation_level >= before.escalation_level

    @invariant()
    def exactly_one_owner_once_assigned(self) -> None:
        owned = self.case.owner_cadre_id is not None and self.case.handler_cadre_id is not None
        assert owned == (self.case.status is not CaseStatus.REGISTERED)

    @invariant()
    def owner_and_handler_are_never_recused(self) -> None:
        assert self.case.owner_cadre_id not in self.case.excluded_cadre_ids
        assert self.case.handler_cadre_id not in self.case.excluded_cadre_ids

    @invariant()
    def closed_cases_have_a_reply_and_a_callback_result(self) -> None:
        if self.case.closed_at is not None:
            assert self.case.reply
            assert self.case.callback_result in ("satisfied", "impossible", "on_spot")
            assert self.case.callback_result != "impossible" or self.case.callback_note

    @invariant()
    def escalation_stays_within_the_chain(self) -> None:
        assert 0 <= self.case.escalation_level <= 3


CaseLifecycle.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestCaseLifecycle = CaseLifecycle.TestCase
