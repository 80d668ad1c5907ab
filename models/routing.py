"""Routing a new case: who owns it (包案) and who handles it today (CONTRACT "Routing").

1. the visited cadre owns it (谁接访谁负责); 2. nobody visited: the responsibility matrix
(village × category), failing that the branch secretary; 3. never an accused cadre or a
member of an accused unit: the case goes to the first chain level above all of them;
4. an owner away or on leave keeps ownership, the backup (AB角) handles; 5. (diary
entries resolved on the spot are recorded by the lifecycle, see `lifecycle.ResolveOnSpot`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import workcalendar as wc
from models.chain import LEVEL_NAMES, Recusal, first_eligible, floor_above, recusal_for
from models.errors import RoutingError
from models.roster import Cadre, Roster

_VISIT_VERB = {"hotline": "dialed cadre", "contactcard": "card holder", "diary": "diary author",
               "reception": "receiving cadre"}
SOURCES = tuple(_VISIT_VERB)


@dataclass(frozen=True)
class RoutingRequest:
    source: str  # hotline | contactcard | diary | reception
    village_code: str
    category: str  # "other" when absent
    visited_cadre_id: str | None
    accused_cadre_ids: frozenset[str] = frozenset()
    accused_unit_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoutingDecision:
    owner_cadre_id: str
    handler_cadre_id: str
    escalation_level: int  # chain level of the owner when the conflict rule lifted it, else 0
    rule: str  # visited | matrix | branch_secretary | conflict_of_interest
    explanation: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (cadre_id, reason)


def route(request: RoutingRequest, roster: Roster, at: datetime) -> RoutingDecision:
    if request.source not in _VISIT_VERB:
        raise RoutingError(f"unknown source {request.source!r}: expected one of {', '.join(SOURCES)}")
    wc.to_local(at)  # whereabouts signs compare against `at`: it needs an offset
    roster.village(request.village_code)
    recusal = recusal_for(roster, request.accused_cadre_ids, request.accused_unit_codes)
    rule, candidate, steps = _candidate(request, roster)
    owner, level, rule, skipped = _lawful_owner(request, roster, recusal, candidate, rule, steps)
    handler = _handler(roster, owner, recusal, at, steps, skipped)
    return RoutingDecision(owner.cadre_id, handler.cadre_id, level, rule, tuple(steps), tuple(skipped))


def _candidate(request: RoutingRequest, roster: Roster) -> tuple[str, Cadre, list[str]]:
    if request.visited_cadre_id:
        cadre = roster.cadre(request.visited_cadre_id)
        verb = _VISIT_VERB[request.source]
        return "visited", cadre, [f"{verb} {cadre.cadre_id} ({cadre.name}) was visited and owns the case"]
    matrix = roster.responsible_for(request.village_code, request.category)
    if matrix is not None:
        return "matrix", matrix, [f"nobody was visited; {matrix.cadre_id} ({matrix.name}) is responsible "
                                  f"for {request.category} in village {request.village_code}"]
    secretary = roster.branch_secretary(request.village_code)
    return "branch_secretary", secretary, [
        f"nobody was visited and nobody in village {request.village_code} is responsible for "
        f"{request.category}; branch secretary {secretary.cadre_id} ({secretary.name}) owns it"]


def _lawful_owner(request: RoutingRequest, roster: Roster, recusal: Recusal, candidate: Cadre, rule: str,
                  steps: list[str]) -> tuple[Cadre, int, str, list[tuple[str, str]]]:
    reason = recusal.reason(candidate.cadre_id)
    if reason is None:
        return candidate, 0, rule, []
    steps.append(f"{reason} and cannot own it")
    floor = floor_above(roster, request.village_code, recusal)
    pick = first_eligible(roster, request.village_code, floor, recusal)
    skipped = [(candidate.cadre_id, reason), *pick.skipped]
    if pick.cadre is None or pick.level is None:
        raise RoutingError(f"nobody in township above the accused may own this case: "
                           f"{'; '.join(r for _, r in skipped)}; it must go to the county")
    steps.append(f"conflict of interest: level {pick.level} ({LEVEL_NAMES[pick.level]}) "
                 f"{pick.cadre.cadre_id} ({pick.cadre.name}) owns it")
    return pick.cadre, pick.level, "conflict_of_interest", skipped


def _handler(roster: Roster, owner: Cadre, recusal: Recusal, at: datetime, steps: list[str],
             skipped: list[tuple[str, str]]) -> Cadre:
    """Follow the backup chain (AB角) while the current person is away or on leave."""
    current, seen = owner, {owner.cadre_id}
    while roster.is_absent(current.cadre_id, at):
        absence = _absence(roster, current.cadre_id)
        steps.append(f"{current.cadre_id} is {absence}")
        skipped.append((current.cadre_id, f"{absence}: cannot handle it now"))
        backup_id = current.backup_cadre_id
        if backup_id is None or backup_id in seen:
            steps.append(f"no backup available; owner {owner.cadre_id} stays the handler")
            return owner
        seen.add(backup_id)
        reason = recusal.reason(backup_id)
        if reason is not None:
            skipped.append((backup_id, reason))
            steps.append(f"backup {reason} and cannot handle it; no other backup; "
                         f"owner {owner.cadre_id} stays the handler")
            return owner
        current = roster.cadre(backup_id)
        steps.append(f"backup {current.cadre_id} ({current.name}) handles; owner of record is {owner.cadre_id}")
    return current


def _absence(roster: Roster, cadre_id: str) -> str:
    sign = dict(roster.whereabouts)[cadre_id]
    return sign.status + ("" if sign.until is None else f" until {sign.until.isoformat()}")
