"""Conflict of interest (回避), decided once per case (信访工作条例 Arts. 28, 30, 46).

One value per case says who is excluded from it and why:

* every accused cadre (`conflict.accused`);
* every cadre of an accused unit, its groups included (`conflict.accused_unit`);
* everyone who stands *below* the highest-standing of those in the village's escalation
  chain (`conflict.below_accused`, see `models.standing`): a complaint against the leader in
  charge never lands with the village cadres who work under him.

and the **floor**: the first chain level above all of them, where a case whose visited
cadre is excluded goes (4 = nobody in the township: the county). Peers of an accused cadre
are not excluded — a director may own a complaint against a fellow member.

The excluded may not own, handle, receive, decide for or read the case; `may_own`,
`may_handle`, `may_receive`, `may_decide` and `may_read` answer with a `Permit` whose refusal
is a coded reason. The value is stored with the case (so reads need no roster); given a
roster, the checks also catch cadres added below the accused since the case was opened.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.errors import Recused
from models.reasons import Reason
from models.standing import COUNTY, chain_ids, standing

if TYPE_CHECKING:
    from models.roster import Roster

OWN, HANDLE, RECEIVE, DECIDE, READ = "own", "handle", "receive", "decide for", "read"


@dataclass(frozen=True)
class Permit:
    """May this cadre take this role? Truthy when allowed; otherwise `refusal` says why."""
    cadre_id: str
    role: str
    refusal: Reason | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str | None:
        return None if self.refusal is None else self.refusal.text

    def require(self) -> None:
        """Raise the refusal as a `Recused` error (code `<fact code>_may_not`, with the role)."""
        if self.refusal is not None:
            raise Recused.of(f"{self.refusal.code}_may_not", role=self.role, **self.refusal.params)


@dataclass(frozen=True)
class Recusal:
    """Who may not own, handle, receive, decide for or read the case, and why (see module doc).

    Stored whole in the case state: every field is a plain value with a default, so states
    saved before a field existed still load."""
    accused_cadre_ids: frozenset[str] = frozenset()
    accused_unit_codes: frozenset[str] = frozenset()
    unit_members: tuple[tuple[str, str], ...] = ()  # (cadre_id, accused unit code)
    village_code: str = ""
    floor: int = 0                # first chain level above every excluded cadre; 0: nobody accused
    highest_accused: str = ""     # the excluded cadre who stands highest
    threshold: int = -1           # their standing: anyone standing lower is excluded too
    below: tuple[tuple[str, str], ...] = ()  # (cadre_id, highest_accused) as the roster stood

    @property
    def accuses_anyone(self) -> bool:
        return bool(self.accused_cadre_ids or self.accused_unit_codes)

    @property
    def excluded(self) -> frozenset[str]:
        """Everyone excluded when the case was opened: accused, their units, those below them."""
        return self.accused_cadre_ids | {c for c, _ in self.unit_members} | {c for c, _ in self.below}

    @property
    def hidden_from(self) -> frozenset[str]:
        """Who may not read the case by any path: what a reader-side filter needs."""
        return self.excluded

    @property
    def to_county(self) -> bool:
        """Nobody in the township stands above everyone excluded."""
        return self.floor >= COUNTY

    def exclusion(self, cadre_id: str, roster: Roster | None = None) -> Reason | None:
        """Why `cadre_id` is excluded from this case, or None."""
        if cadre_id in self.accused_cadre_ids:
            return Reason("conflict.accused", {"cadre_id": cadre_id})
        unit = next((u for c, u in self.unit_members if c == cadre_id), None)
        if unit is not None:
            return Reason("conflict.accused_unit", {"cadre_id": cadre_id, "unit_code": unit})
        if any(c == cadre_id for c, _ in self.below) or self._newly_below(cadre_id, roster):
            return Reason("conflict.below_accused", {"cadre_id": cadre_id, "accused_cadre_id": self.highest_accused,
                                                     "village_code": self.village_code})
        return None

    def _newly_below(self, cadre_id: str, roster: Roster | None) -> bool:
        if roster is None or self.threshold <= 0 or not self.village_code or not roster.has_cadre(cadre_id):
            return False
        return standing(roster, self.village_code, cadre_id) < self.threshold

    def reason(self, cadre_id: str, roster: Roster | None = None) -> str | None:
        """The English reason `cadre_id` is excluded, or None (kept for older callers)."""
        found = self.exclusion(cadre_id, roster)
        return None if found is None else found.text

    def permit(self, cadre_id: str, role: str, roster: Roster | None = None) -> Permit:
        return Permit(cadre_id, role, self.exclusion(cadre_id, roster))

    def may_own(self, cadre_id: str, roster: Roster | None = None) -> Permit:
        return self.permit(cadre_id, OWN, roster)

    def may_handle(self, cadre_id: str, roster: Roster | None = None) -> Permit:
        return self.permit(cadre_id, HANDLE, roster)

    def may_receive(self, cadre_id: str, roster: Roster | None = None) -> Permit:
        return self.permit(cadre_id, RECEIVE, roster)

    def may_decide(self, cadre_id: str, roster: Roster | None = None) -> Permit:
        return self.permit(cadre_id, DECIDE, roster)

    def may_read(self, cadre_id: str, roster: Roster | None = None) -> Permit:
        return self.permit(cadre_id, READ, roster)

    def explain(self) -> tuple[Reason, ...]:
        """Who is excluded and why, then where the case must go: for a case's timeline."""
        facts = [Reason("conflict.accused", {"cadre_id": c}) for c in sorted(self.accused_cadre_ids)]
        facts += [Reason("conflict.accused_unit", {"cadre_id": c, "unit_code": u}) for c, u in self.unit_members]
        if self.below:
            facts.append(Reason("conflict.below_count", {"count": len(self.below), "accused_cadre_id": self.highest_accused,
                                                          "village_code": self.village_code}))
        if self.floor:
            facts.append(Reason("conflict.floor", {"level": self.floor}))
        return tuple(facts)

    def refreshed(self, roster: Roster) -> Recusal:
        """The same accusation judged against the roster as it stands now."""
        if not self.village_code:
            return self
        return recusal_for(roster, self.accused_cadre_ids, self.accused_unit_codes, self.village_code)


ConflictOfInterest = Recusal
NO_CONFLICT = Recusal()  # a case that accuses nobody


def recusal_for(roster: Roster, cadre_ids: Iterable[str], unit_codes: Iterable[str],
                village_code: str | None = None) -> Recusal:
    """Decide the conflict of interest of a case in `village_code` accusing these cadres and units.
    Without a village only the accused and their units are excluded (no floor, nobody below)."""
    accused, units = frozenset(cadre_ids), frozenset(unit_codes)
    members = tuple(sorted((cadre, unit) for unit in units for cadre in roster.members_of([unit])))
    if village_code is None:
        return Recusal(accused, units, members)
    excluded = accused | {c for c, _ in members}
    if not excluded:
        return Recusal(accused, units, members, village_code)
    chain = chain_ids(roster, village_code)
    standings = {cadre: standing(roster, village_code, cadre, chain) for cadre in excluded}
    highest = max(sorted(standings), key=lambda c: standings[c])
    threshold = standings[highest]
    below = tuple(sorted((c.cadre_id, highest) for c in roster.cadres if c.cadre_id not in excluded
                         and standing(roster, village_code, c.cadre_id, chain) < threshold))
    return Recusal(accused, units, members, village_code, threshold + 1, highest, threshold, below)
