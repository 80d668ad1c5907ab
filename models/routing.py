"""Routing a new case: who owns it (包案) and who handles it today (CONTRACT "Routing").

1. the visited cadre owns it (谁接访谁负责); 2. nobody visited: the responsibility matrix
(village × category), failing that the branch secretary; 3. never anyone the conflict of
interest excludes (the accused, their units, anyone standing below the accused): the case
goes to the first chain level above all of them (the floor); 4. an owner away or on leave
keeps ownership, the backup ring (AB角) finds who handles; 5. (diary entries resolved on the
spot are recorded by the lifecycle, see `lifecycle.ResolveOnSpot`).

Every step of the explanation is a coded reason (`models.reasons`), rendered per language.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import workcalendar as wc
from models.backups import acting_for
from models.chain import (
    LEVEL_NAMES,
    Recusal,
    Skip,
    first_eligible,
    recusal_for,
    skipped_pairs,
)
from models.conflict import NO_CONFLICT
from models.errors import RoutingError
from models.reasons import Reason
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
    steps: tuple[Reason, ...]
    skips: tuple[Skip, ...]
    recusal: Recusal = NO_CONFLICT

    @property
    def explanation(self) -> tuple[str, ...]:
        """The steps in English (logs, CLI, older readers)."""
        return tuple(step.text for step in self.steps)

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        return skipped_pairs(self.skips)


def route(request: RoutingRequest, roster: Roster, at: datetime) -> RoutingDecision:
    if request.source not in _VISIT_VERB:
        raise RoutingError.of("routing.unknown_source", source=request.source, expected=", ".join(SOURCES))
    wc.to_local(at)  # whereabouts signs compare against `at`: it needs an offset
    roster.village(request.village_code)
    recusal = recusal_for(roster, request.accused_cadre_ids, request.accused_unit_codes, request.village_code)
    rule, candidate, steps = _candidate(request, roster)
    owner, level, rule, skips = _lawful_owner(request, roster, recusal, candidate, rule, steps)
    cover = acting_for(roster, owner.cadre_id, at, recusal)
    steps += cover.steps
    skips += cover.skips
    return RoutingDecision(owner.cadre_id, cover.acting_cadre_id, level, rule, tuple(steps), tuple(skips), recusal)


def _candidate(request: RoutingRequest, roster: Roster) -> tuple[str, Cadre, list[Reason]]:
    if request.visited_cadre_id:
        cadre = roster.cadre(request.visited_cadre_id)
        return "visited", cadre, [Reason("routing.visited", {
            "role": _VISIT_VERB[request.source], "source": request.source, "cadre_id": cadre.cadre_id,
            "name": cadre.name})]
    matrix = roster.responsible_for(request.village_code, request.category)
    if matrix is not None:
        return "matrix", matrix, [Reason("routing.matrix", {
            "cadre_id": matrix.cadre_id, "name": matrix.name, "category": request.category,
            "village_code": request.village_code})]
    secretary = roster.branch_secretary(request.village_code)
    return "branch_secretary", secretary, [Reason("routing.branch_secretary", {
        "cadre_id": secretary.cadre_id, "name": secretary.name, "category": request.category,
        "village_code": request.village_code})]


def _lawful_owner(request: RoutingRequest, roster: Roster, recusal: Recusal, candidate: Cadre, rule: str,
                  steps: list[Reason]) -> tuple[Cadre, int, str, list[Skip]]:
    excluded = recusal.exclusion(candidate.cadre_id, roster)
    if excluded is None:
        return candidate, 0, rule, []
    steps.append(Reason(f"{excluded.code}_may_not", {"role": "own", **excluded.params}))
    pick = first_eligible(roster, request.village_code, recusal.floor, recusal)
    skips = [Skip(candidate.cadre_id, excluded), *pick.skips]
    if pick.cadre is None or pick.level is None:
        raise RoutingError.of("routing.county", reasons="; ".join(s.text for s in skips),
                              skipped=[s.to_dict() for s in skips])
    steps.append(Reason("routing.conflict_owner", {"level": pick.level, "level_name": LEVEL_NAMES[pick.level],
                                                   "cadre_id": pick.cadre.cadre_id, "name": pick.cadre.name}))
    return pick.cadre, pick.level, "conflict_of_interest", skips
