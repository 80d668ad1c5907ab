"""Where a cadre stands relative to a village's escalation chain (CONTRACT "Routing").

Levels: 0 owner, 1 village party branch secretary, 2 township leader in charge of the
village, 3 township party secretary. Conflict of interest compares standings: nobody may
work on or decide a case accusing someone who stands above them.

* A holder of a level of this village's chain stands at (the highest of) that level.
* A township cadre outside this chain — a deputy secretary, petition staff, an operator,
  another village's leader in charge — stands at the level of the leader in charge (2); the
  township party secretary at 3. The law's intent: an accusation against any township cadre
  goes above the township leadership he works beside, never down to the villages.
* Another village's branch secretary stands at 1; every other village or group cadre at 0.
"""
from __future__ import annotations

from collections.abc import Mapping

from models import posts as P
from models.roster import Cadre, Roster

TOP_LEVEL = 3
COUNTY = TOP_LEVEL + 1  # the "level" above the township: nobody here may take the case
LEVEL_NAMES = {0: "owner", 1: "village party branch secretary", 2: "township leader in charge",
               3: "township party secretary", 4: "county"}
TOWNSHIP_STANDING = 2


def chain_of(roster: Roster, village_code: str) -> dict[int, Cadre]:
    return {1: roster.branch_secretary(village_code), 2: roster.leader_in_charge(village_code),
            3: roster.party_secretary()}


def chain_ids(roster: Roster, village_code: str) -> dict[int, str]:
    return {level: cadre.cadre_id for level, cadre in chain_of(roster, village_code).items()}


def rank_in_chain(roster: Roster, village_code: str, cadre_id: str) -> int:
    """The highest chain level a cadre holds for this village (0 when they hold none)."""
    return _rank(chain_ids(roster, village_code), cadre_id)


def standing(roster: Roster, village_code: str, cadre_id: str, chain: Mapping[int, str] | None = None) -> int:
    """The level a cadre counts at for this village's cases (see the module docstring).
    `chain` (from `chain_ids`) saves recomputing the chain when asked for many cadres."""
    chain = chain_ids(roster, village_code) if chain is None else chain
    rank = _rank(chain, cadre_id)
    if not roster.has_cadre(cadre_id):
        return rank
    cadre = roster.cadre(cadre_id)
    unit = roster.unit(cadre.unit_code)
    if unit.kind == P.TOWNSHIP:
        own = TOP_LEVEL if P.PARTY_SECRETARY in cadre.posts else TOWNSHIP_STANDING
    else:
        own = 1 if unit.kind == P.VILLAGE and P.PARTY_SECRETARY in cadre.posts else 0
    return max(rank, own)


def _rank(chain: Mapping[int, str], cadre_id: str) -> int:
    return max((level for level, holder in chain.items() if holder == cadre_id), default=0)
