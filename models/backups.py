"""Backups (AB角): who acts for a cadre who is away or on leave (CONTRACT routing rule 4).

Backups form pairs (互为AB角) and longer rings. Resolving one walks the ring from the absent
cadre: a backup who is away too, or whom the case's conflict of interest excludes, is passed
over for their own backup, and the walk stops where it began (or where the ring ends). When
nobody is left the cadre of record keeps the work. The one of record never changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.chain import Skip
from models.conflict import NO_CONFLICT, Recusal
from models.reasons import Reason
from models.roster import Roster


@dataclass(frozen=True)
class Cover:
    """Who acts for `of_record_cadre_id` at a moment, and how the ring was walked."""
    of_record_cadre_id: str
    acting_cadre_id: str
    steps: tuple[Reason, ...] = ()
    skips: tuple[Skip, ...] = ()
    covered: bool = field(default=False)  # True when someone else acts

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(step.text for step in self.steps)


def absence(roster: Roster, cadre_id: str) -> dict[str, str]:
    sign = dict(roster.whereabouts)[cadre_id]
    until = "" if sign.until is None else sign.until.isoformat()
    return {"status": sign.status, "until": until,
            "absence": sign.status + ("" if sign.until is None else f" until {until}")}


def acting_for(roster: Roster, cadre_id: str, at: datetime, recusal: Recusal = NO_CONFLICT) -> Cover:
    """The first available, not excluded cadre around `cadre_id`'s backup ring (or themselves)."""
    if not roster.is_absent(cadre_id, at):
        return Cover(cadre_id, cadre_id)
    steps: list[Reason] = []
    skips: list[Skip] = []
    _note_absent(roster, cadre_id, steps, skips)
    seen, current = {cadre_id}, roster.cadre(cadre_id).backup_cadre_id
    while current is not None and current not in seen:
        seen.add(current)
        excluded = recusal.exclusion(current, roster)
        if excluded is not None:
            skips.append(Skip(current, excluded))
            steps.append(Reason("backup.passed_over", {"cadre_id": current, "because": excluded.code,
                                                       **excluded.params}))
        elif roster.is_absent(current, at):
            _note_absent(roster, current, steps, skips)
        else:
            backup = roster.cadre(current)
            steps.append(Reason("backup.handles", {"cadre_id": current, "name": backup.name,
                                                   "owner_cadre_id": cadre_id}))
            return Cover(cadre_id, current, tuple(steps), tuple(skips), covered=True)
        current = roster.cadre(current).backup_cadre_id
    steps.append(Reason("backup.none", {"owner_cadre_id": cadre_id}))
    return Cover(cadre_id, cadre_id, tuple(steps), tuple(skips))


def _note_absent(roster: Roster, cadre_id: str, steps: list[Reason], skips: list[Skip]) -> None:
    away = absence(roster, cadre_id)
    steps.append(Reason("backup.absent", {"cadre_id": cadre_id, **away}))
    skips.append(Skip(cadre_id, Reason("backup.cannot_handle_now", {"cadre_id": cadre_id, **away})))
