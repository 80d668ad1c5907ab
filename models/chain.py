"""The escalation chain of a village, and walking it past everyone the conflict of interest excludes.

Levels: 0 owner, 1 village party branch secretary, 2 township leader in charge of the
village, 3 township party secretary. Both routing and escalation walk this chain, and both
must skip anyone a complaint accuses or who stands below the accused (信访工作条例 Arts. 28,
30, 46; see `models.conflict`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.conflict import ConflictOfInterest, Permit, Recusal, recusal_for
from models.reasons import Reason
from models.roster import Cadre, Roster
from models.standing import (
    COUNTY,
    LEVEL_NAMES,
    TOP_LEVEL,
    chain_of,
    rank_in_chain,
    standing,
)

__all__ = ["COUNTY", "LEVEL_NAMES", "TOP_LEVEL", "ChainPick", "ConflictOfInterest", "Permit", "Recusal", "Skip",
           "chain_of", "first_eligible", "floor_above", "owner_base_level", "rank_in_chain", "recusal_for", "standing"]


@dataclass(frozen=True)
class Skip:
    """Someone passed over, with the coded reason (and the chain level, when walking it)."""
    cadre_id: str
    reason: Reason
    level: int | None = None

    @property
    def text(self) -> str:
        if self.level is None:
            return self.reason.text
        return f"level {self.level} ({LEVEL_NAMES[self.level]}): {self.reason.text}"

    def to_dict(self) -> dict[str, object]:
        return {"cadre_id": self.cadre_id, "reason": self.text, "level": self.level, **self.reason.to_dict()}


def skipped_pairs(skips: Iterable[Skip]) -> tuple[tuple[str, str], ...]:
    """(cadre_id, English reason) pairs, the shape older callers read."""
    return tuple((s.cadre_id, s.text) for s in skips)


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
    if recusal.village_code == village_code and recusal.floor:
        return recusal.floor
    return 1 + max((standing(roster, village_code, c) for c in recusal.excluded), default=0)


@dataclass(frozen=True)
class ChainPick:
    level: int | None
    cadre: Cadre | None
    skips: tuple[Skip, ...] = ()

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        return skipped_pairs(self.skips)


def first_eligible(roster: Roster, village_code: str, from_level: int, recusal: Recusal,
                   also_skip: Iterable[str] = (), chain: Mapping[int, Cadre] | None = None) -> ChainPick:
    """Walk up from `from_level`, skipping the excluded (and e.g. the current owner). `chain`:
    the village's `chain_of` in this roster, when the caller already holds it."""
    chain, skip = chain if chain is not None else chain_of(roster, village_code), set(also_skip)
    skips: list[Skip] = []
    for level in range(max(from_level, 1), TOP_LEVEL + 1):
        cadre = chain[level]
        reason = recusal.exclusion(cadre.cadre_id, roster)
        if reason is None and cadre.cadre_id in skip:
            reason = Reason("chain.already_holds", {"cadre_id": cadre.cadre_id})
        if reason is None:
            return ChainPick(level, cadre, tuple(skips))
        skips.append(Skip(cadre.cadre_id, reason, level))
    return ChainPick(None, None, tuple(skips))
