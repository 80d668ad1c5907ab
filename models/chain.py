"""The escalation chain of a village and recusal (回避) of accused cadres and units.

Levels: 0 owner, 1 village party branch secretary, 2 township leader in charge of the
village, 3 township party secretary. Both routing and escalation walk this chain, and both
must skip anyone a complaint accuses (信访工作条例 Arts. 28, 30, 46).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.roster import Cadre, Roster

TOP_LEVEL = 3
LEVEL_NAMES = {0: "owner", 1: "village party branch secretary", 2: "township leader in charge",
               3: "township party secretary"}


@dataclass(frozen=True)
class Recusal:
    """Who may not own, handle or receive the case, and why."""
    accused_cadre_ids: frozenset[str] = frozenset()
    accused_unit_codes: frozenset[str] = frozenset()
    unit_members: tuple[tuple[str, str], ...] = ()  # (cadre_id, accused unit code)

    @property
    def excluded(self) -> frozenset[str]:
        return self.accused_cadre_ids | {cadre for cadre, _ in self.unit_members}

    def reason(self, cadre_id: str) -> str | None:
        if cadre_id in self.accused_cadre_ids:
            return f"cadre {cadre_id} is accused in this case"
        unit = next((u for c, u in self.unit_members if c == cadre_id), None)
        return None if unit is None else f"cadre {cadre_id} belongs to accused unit {unit}"


def recusal_for(roster: Roster, cadre_ids: Iterable[str], unit_codes: Iterable[str]) -> Recusal:
    units = frozenset(unit_codes)
    members = tuple(sorted((cadre, unit) for unit in units for cadre in roster.members_of([unit])))
    return Recusal(frozenset(cadre_ids), units, members)


def chain_of(roster: Roster, village_code: str) -> dict[int, Cadre]:
    return {1: roster.branch_secretary(village_code), 2: roster.leader_in_charge(village_code),
            3: roster.party_secretary()}


def rank_in_chain(roster: Roster, village_code: str, cadre_id: str) -> int:
    """The highest chain level a cadre holds for this village (0 when they hold none)."""
    return max((level for level, c in chain_of(roster, village_code).items() if c.cadre_id == cadre_id), default=0)


def owner_base_level(roster: Roster, village_code: str, cadre_id: str) -> int:
    """The level an owner already stands at, so escalation starts above them: a chain holder's
    own level; a township cadre outside this village's chain counts as level 1, so that an
    overdue case of theirs goes to township supervision (level 2), not down to the village."""
    rank = rank_in_chain(roster, village_code, cadre_id)
    if rank == 0 and roster.has_cadre(cadre_id) and roster.village_of(roster.cadre(cadre_id).unit_code) is None:
        return 1
    return rank


def floor_above(roster: Roster, village_code: str, recusal: Recusal) -> int:
    """The first level above every accused person and unit (CONTRACT routing rule 3)."""
    return 1 + max((rank_in_chain(roster, village_code, c) for c in recusal.excluded), default=0)


@dataclass(frozen=True)
class ChainPick:
    level: int | None
    cadre: Cadre | None
    skipped: tuple[tuple[str, str], ...]


def first_eligible(roster: Roster, village_code: str, from_level: int, recusal: Recusal,
                   also_skip: Iterable[str] = ()) -> ChainPick:
    """Walk up from `from_level`, skipping recused cadres (and e.g. the current owner)."""
    chain, skipped, skip = chain_of(roster, village_code), [], set(also_skip)
    for level in range(max(from_level, 1), TOP_LEVEL + 1):
        cadre = chain[level]
        reason = recusal.reason(cadre.cadre_id)
        if reason is None and cadre.cadre_id in skip:
            reason = f"cadre {cadre.cadre_id} already holds the case"
        if reason is None:
            return ChainPick(level, cadre, tuple(skipped))
        skipped.append((cadre.cadre_id, f"level {level} ({LEVEL_NAMES[level]}): {reason}"))
    return ChainPick(None, None, tuple(skipped))
