"""What a report covers for a caller: reports are scoped like every other read
(`models.access.scope_for`), and these rules say what a scope reaches beyond cases.

- Villages: a township scope covers every village; otherwise the villages of the scope
  (a leader in charge, a branch secretary). A cadre with neither is assessed nowhere.
- Members who owe visiting days: those of the villages covered, and the caller themself.
- 督办 items: a township scope reaches all; otherwise those of a village in reach, and those
  the caller answers for, recorded or was escalated to. An item tied to a case that
  accuses the caller is hidden from them like the case (the service asks the case door).
- The bi-monthly diary summary is done together by the village's two committees, so a
  member of them reaches every diary entry of the village (diary entries accuse nobody;
  confidentiality still applies to the scope).
"""
from __future__ import annotations

from models import posts as P
from models.access import Actor, Scope, scope_for
from models.reports.supervision import Supervision
from models.reports.visiting import TWO_COMMITTEE_POSTS, Member, two_committee_members
from models.roster import Roster


def report_villages(scope: Scope, roster: Roster) -> tuple[str, ...]:
    if scope.township:
        return tuple(v.code for v in roster.villages())
    return tuple(v.code for v in roster.villages() if v.code in scope.village_codes)


def members_in_reach(scope: Scope, roster: Roster) -> tuple[Member, ...]:
    villages = set(report_villages(scope, roster))
    return tuple(m for m in two_committee_members(roster) if m.village_code in villages or m.cadre_id == scope.cadre_id)


def item_in_reach(scope: Scope, item: Supervision) -> bool:
    if scope.township or (item.village_code is not None and item.village_code in scope.village_codes):
        return True
    return scope.cadre_id is not None and scope.cadre_id in (item.owner_cadre_id, item.assigned_by,
                                                             item.escalated_to_cadre_id)


def recusal_only(scope: Scope) -> Scope:
    """The whole township under the caller's recusals: asked about a set of cases, the case door
    answers with those that do not accuse the caller."""
    return Scope(township=True, recused_cadre_id=scope.recused_cadre_id, recused_unit_codes=scope.recused_unit_codes)


def is_committee_member(roster: Roster, cadre_id: str | None, village_code: str) -> bool:
    if cadre_id is None or not roster.has_cadre(cadre_id):
        return False
    cadre = roster.cadre(cadre_id)
    return (cadre.unit_code == village_code and roster.unit(village_code).kind == P.VILLAGE
            and bool(TWO_COMMITTEE_POSTS & set(cadre.posts)))


def diary_scope(actor: Actor, roster: Roster, village_code: str) -> Scope | None:
    """The scope a caller reads a village's diary entries with, or None when out of reach."""
    scope = scope_for(actor, roster)
    if scope.township or village_code in scope.village_codes:
        return scope
    if is_committee_member(roster, actor.cadre_id, village_code):
        return Scope(village_codes=frozenset({village_code}), cadre_id=scope.cadre_id,
                     recused_cadre_id=scope.recused_cadre_id, recused_unit_codes=scope.recused_unit_codes)
    return None


def summary_villages(actor: Actor, roster: Roster) -> tuple[str, ...]:
    """The villages whose diary summaries the caller may read: those in reach, and their own."""
    scope = scope_for(actor, roster)
    own = {v.code for v in roster.villages() if is_committee_member(roster, actor.cadre_id, v.code)}
    return tuple(v.code for v in roster.villages()
                 if scope.township or v.code in scope.village_codes or v.code in own)
