"""The three rates (三率, Beijing 接诉即办) by which villages and cadres are judged.

Scope: cases of one village (`village_code`) and/or owned by one cadre (`owner_cadre_id`,
because who is visited is responsible); period: the half-open interval [start, end).

* **Response rate** (响应率): among cases whose petitioner spoke in the period and whose
  first-response deadline has passed by `end` (or that were already responded to), the share
  responded to — accepted, i.e. the petitioner contacted — at or before that deadline. The
  first-response deadline is `first_contact`, or `acceptance` for reception visits, or
  `handling` for diary cases; a diary matter resolved on the spot counts as responded.
  A matter not accepted (不予受理, Art. 23) was answered: the decision with its reason and the
  written notice is the response, on time when made by that deadline.
* **Resolution rate** (解决率): among cases whose latest callback fell in the period and got an
  answer from the petitioner (satisfied or unsatisfied; on-the-spot resolutions count as
  answered), the share where the petitioner said the problem was solved.
* **Satisfaction rate** (满意率): same denominator; the share where the petitioner was
  satisfied. A callback that was impossible (with its reason) is in neither denominator:
  the petitioner gave no verdict. Nor is a matter not accepted: the law closes it with the
  written notice, no handling and no callback (the petitioner's remedy is a new petition
  elsewhere, not a verdict on work that was never done).
A rate with an empty denominator has no value (None), not 0 or 100%.

What a case contributes does not depend on the period: `rate_facts` says it (stored with the
case, `infra.db.case_rows.rate_columns`), `tally` sums facts over a period; the database sums
the stored columns with the same conditions (`SqlCaseReader.rates_by`, held to `tally` by
tests/contract/test_rate_facts.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.case import Case
from models.deadlines import ACCEPTANCE, FIRST_CONTACT, HANDLING

CALLBACK_EVENTS = ("resolved", "reopened")
ANSWERED = ("satisfied", "unsatisfied", "on_spot")  # the petitioner gave a verdict
SATISFIED = ("satisfied", "on_spot")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


@dataclass(frozen=True)
class ThreeRates:
    response: Rate
    resolution: Rate
    satisfaction: Rate


@dataclass(frozen=True)
class RateFacts:
    """What the rates need of one case, whatever the period: stored with the case (columns
    of `cases`, `infra.db.case_rows`) so a period's rates are a sum over rows, not a replay."""
    occurred_at: datetime
    response_due: datetime | None      # the first-response deadline (None: the case has none)
    responded_at: datetime | None      # accepted, or the decision not to accept
    callback_at: datetime | None = None  # the latest callback (None: none, or not among the loaded events)
    callback_kind: str | None = None     # satisfied | unsatisfied | impossible | on_spot
    problem_solved: bool = False


def rate_facts(case: Case) -> RateFacts:
    """A case's facts. Its latest callback is read from the events loaded with it: a case
    loaded without its history (`base_version` > 0) knows only the callbacks since, and a
    store keeps the callback it has when this finds none (a callback is never undone)."""
    callback = latest_callback(case)
    at, kind, solved = callback if callback is not None else (None, None, False)
    return RateFacts(case.occurred_at, first_response_due(case), responded_at(case), at, kind, solved)


def three_rates(cases: Iterable[Case], start: datetime, end: datetime, village_code: str | None = None,
                owner_cadre_id: str | None = None) -> ThreeRates:
    scoped = [c for c in cases if (village_code is None or c.village_code == village_code)
              and (owner_cadre_id is None or c.owner_cadre_id == owner_cadre_id)]
    return tally([rate_facts(c) for c in scoped], start, end)


def tally(facts: Iterable[RateFacts], start: datetime, end: datetime) -> ThreeRates:
    """The three rates of these cases over [start, end): what `infra.db.case_queries` sums in SQL."""
    facts = list(facts)
    return ThreeRates(response_rate(facts, start, end), *verdict_rates(facts, start, end))


def response_rate(facts: Iterable[RateFacts], start: datetime, end: datetime) -> Rate:
    judged = responded = 0
    for f in facts:
        if is_judged(f, start, end):
            judged += 1
            responded += on_time(f)
    return Rate(responded, judged)


def is_judged(f: RateFacts, start: datetime, end: datetime) -> bool:
    """Spoke in the period, with a first-response deadline that has passed by `end` or was met."""
    return (start <= f.occurred_at < end and f.response_due is not None
            and (f.responded_at is not None or f.response_due < end))


def on_time(f: RateFacts) -> bool:
    return f.responded_at is not None and f.response_due is not None and f.responded_at <= f.response_due


def verdict_rates(facts: Iterable[RateFacts], start: datetime, end: datetime) -> tuple[Rate, Rate]:
    """(resolution, satisfaction): over the cases whose latest callback fell in the period
    and got the petitioner's verdict."""
    answered = solved = satisfied = 0
    for f in facts:
        if has_verdict(f, start, end):
            answered += 1
            solved += f.problem_solved
            satisfied += f.callback_kind in SATISFIED
    return Rate(solved, answered), Rate(satisfied, answered)


def has_verdict(f: RateFacts, start: datetime, end: datetime) -> bool:
    return f.callback_at is not None and start <= f.callback_at < end and f.callback_kind in ANSWERED


def responded_at(case: Case) -> datetime | None:
    """When the petitioner was first answered: acceptance, or the decision not to accept."""
    return case.accepted_at or case.declined_at


def first_response_due(case: Case) -> datetime | None:
    if case.callback_result == "on_spot":
        return case.accepted_at
    return next((case.deadlines[s] for s in (FIRST_CONTACT, ACCEPTANCE, HANDLING) if s in case.deadlines), None)


def latest_callback(case: Case) -> tuple[datetime, str | None, bool] | None:
    """The latest callback among the loaded events: (when, kind, problem solved)."""
    for event in reversed(case.events):
        if event.type in CALLBACK_EVENTS:
            kind = "on_spot" if event.data.get("on_spot") else event.data.get("callback")
            return event.at, kind, bool(event.data.get("problem_solved", kind == "on_spot"))
    return None
