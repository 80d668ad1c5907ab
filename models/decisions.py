"""Nobody decides their own request (回避 applied to decisions).

* Extensions, pauses, resumptions and objections are decided by a township leader who
  stands above every requester in the village's chain (`models.standing`), is not a
  requester, and whom the case's conflict of interest does not exclude. When a request names
  no requester, the case's owner and handler count as requesters.
* Review (复查) is decided by someone standing above the case's owner; re-review (复核) by
  someone standing above the reviewer (Arts. 35–36: "the level above").
* A callback (回访) is not recorded by the owner or the handler of the case (a petition-staff
  handler does not ask the petitioner whether they are satisfied with their own work).

Each rule answers with a coded refusal (a `Reason`) or None; `refuse` raises one.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from models.conflict import DECIDE
from models.errors import IllegalTransition
from models.reasons import Reason
from models.standing import standing

if TYPE_CHECKING:
    from models.case import Case
    from models.roster import Roster


def requesters_of(case: Case, requested_by: str | None = None) -> tuple[str, ...]:
    return (requested_by,) if requested_by else case.parties


def decider_refusal(case: Case, roster: Roster | None, decider: str | None, requesters: Iterable[str],
                    what: str) -> Reason | None:
    """Why `decider` may not decide `what` (a request by `requesters`) on this case, or None."""
    if roster is None:
        return Reason("action.needs_roster", {"what": what})
    if decider is None or not roster.has_cadre(decider) or not roster.is_leader(decider):
        return Reason("decision.not_a_leader", {"what": what, "cadre_id": decider})
    asking = tuple(requesters)
    if decider in asking:
        return Reason("decision.own_request", {"what": what, "cadre_id": decider})
    excluded = case.recusal.exclusion(decider, roster)
    if excluded is not None:
        return Reason(f"{excluded.code}_may_not", {"role": DECIDE, **excluded.params})
    mine = standing(roster, case.village_code, decider)
    for requester in asking:
        theirs = standing(roster, case.village_code, requester)
        if mine <= theirs:
            return Reason("decision.not_above_requester", {"what": what, "cadre_id": decider, "level": mine,
                                                           "requester_cadre_id": requester, "requester_level": theirs})
    return None


def eligible_deciders(case: Case, roster: Roster, requesters: Iterable[str], what: str = "a request") -> tuple[str, ...]:
    """Every cadre who may decide the request: where a service sends it."""
    asking = tuple(requesters)
    return tuple(c.cadre_id for c in roster.cadres if decider_refusal(case, roster, c.cadre_id, asking, what) is None)


def reviewer_refusal(case: Case, roster: Roster | None, reviewer: str | None, *, re_review: bool) -> Reason | None:
    """Review is decided above the owner; re-review above the reviewer (or above the owner when unknown)."""
    what = "a re-review" if re_review else "a review"
    if roster is None:
        return Reason("action.needs_roster", {"what": what})
    if reviewer is None or not roster.has_cadre(reviewer):
        return Reason("roster.unknown_cadre", {"cadre_id": reviewer})
    excluded = case.recusal.exclusion(reviewer, roster)
    if excluded is not None:
        return Reason(f"{excluded.code}_may_not", {"role": DECIDE, **excluded.params})
    below = case.review_decided_by if re_review and case.review_decided_by else case.owner_cadre_id
    if below is None:
        return None
    if reviewer in (below, *case.parties):
        return Reason("decision.own_request", {"what": what, "cadre_id": reviewer})
    mine, theirs = standing(roster, case.village_code, reviewer), standing(roster, case.village_code, below)
    if mine <= theirs:
        return Reason("review.not_above", {"what": what, "cadre_id": reviewer, "level": mine,
                                           "below_cadre_id": below, "below_level": theirs})
    return None


def callback_refusal(case: Case, recorder: str | None) -> Reason | None:
    """The owner or handler of a case never records its callback; nor does anyone excluded."""
    if recorder is None:
        return None
    if recorder in case.parties:
        return Reason("callback.own_case", {"cadre_id": recorder})
    excluded = case.recusal.exclusion(recorder)
    if excluded is not None:
        return Reason(f"{excluded.code}_may_not", {"role": "record the callback of", **excluded.params})
    return None


def refuse(found: Reason | None) -> None:
    if found is not None:
        raise IllegalTransition.of(found.code, **found.params)
