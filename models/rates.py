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
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from models.case import Case
from models.deadlines import ACCEPTANCE, FIRST_CONTACT, HANDLING

_CALLBACK_EVENTS = ("resolved", "reopened")
_ANSWERED = ("satisfied", "unsatisfied", "on_spot")


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


def three_rates(cases: Iterable[Case], start: datetime, end: datetime, village_code: str | None = None,
                owner_cadre_id: str | None = None) -> ThreeRates:
    scoped = [c for c in cases if (village_code is None or c.village_code == village_code)
              and (owner_cadre_id is None or c.owner_cadre_id == owner_cadre_id)]
    return ThreeRates(response_rate(scoped, start, end), *_verdict_rates(scoped, start, end))


def response_rate(cases: Iterable[Case], start: datetime, end: datetime) -> Rate:
    judged = responded = 0
    for case in cases:
        due = first_response_due(case)
        if not start <= case.occurred_at < end or due is None:
            continue
        answered = responded_at(case)
        on_time = answered is not None and answered <= due
        if answered is not None or due < end:
            judged += 1
            responded += on_time
    return Rate(responded, judged)


def responded_at(case: Case) -> datetime | None:
    """When the petitioner was first answered: acceptance, or the decision not to accept."""
    return case.accepted_at or case.declined_at


def first_response_due(case: Case) -> datetime | None:
    if case.callback_result == "on_spot":
        return case.accepted_at
    return next((case.deadlines[s] for s in (FIRST_CONTACT, ACCEPTANCE, HANDLING) if s in case.deadlines), None)


def _verdict_rates(cases: Iterable[Case], start: datetime, end: datetime) -> tuple[Rate, Rate]:
    answered = solved = satisfied = 0
    for case in cases:
        verdict = _latest_callback(case)
        if verdict is None or not start <= verdict[0] < end or verdict[1] not in _ANSWERED:
            continue
        answered += 1
        solved += bool(verdict[2])
        satisfied += verdict[1] in ("satisfied", "on_spot")
    return Rate(solved, answered), Rate(satisfied, answered)


def _latest_callback(case: Case) -> tuple[datetime, str, bool] | None:
    for event in reversed(case.events):
        if event.type in _CALLBACK_EVENTS:
            kind = "on_spot" if event.data.get("on_spot") else str(event.data.get("callback"))
            return event.at, kind, bool(event.data.get("problem_solved", kind == "on_spot"))
    return None
