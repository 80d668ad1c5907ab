"""What a principal may see, from their role and their posts in the roster (issue 5):
a cadre their own cases; a village party branch secretary their village; a leader in charge
their villages; the township party secretary, petition staff and operators the township;
admins everything. Confidentiality always applies to a caller who is a cadre."""
from __future__ import annotations

from infra.db.case_queries import Scope
from infra.tokens import Principal
from models import posts as P
from models.roster import Roster

TOWNSHIP_ROLES = frozenset({"operator", "petition_staff"})


def scope_for(principal: Principal, roster: Roster) -> Scope:
    if principal.role == "admin":
        return Scope(township=True)
    cadre_id = principal.cadre_id
    known = cadre_id is not None and roster.has_cadre(cadre_id)
    recused = _recusal_units(roster, cadre_id) if known else frozenset()
    if principal.role in TOWNSHIP_ROLES:
        return Scope(township=True, recused_cadre_id=cadre_id, recused_unit_codes=recused)
    if not known:
        return Scope(cadre_id=cadre_id, recused_cadre_id=cadre_id)
    cadre = roster.cadre(cadre_id)  # type: ignore[arg-type]
    unit = roster.unit(cadre.unit_code)
    township = unit.kind == P.TOWNSHIP and P.PARTY_SECRETARY in cadre.posts
    villages = {village for village, leader in roster.in_charge if leader == cadre_id}
    if unit.kind == P.VILLAGE and P.PARTY_SECRETARY in cadre.posts:
        villages.add(unit.code)
    return Scope(township=township, village_codes=frozenset(villages), cadre_id=cadre_id,
                 recused_cadre_id=cadre_id, recused_unit_codes=recused)


def _recusal_units(roster: Roster, cadre_id: str | None) -> frozenset[str]:
    """The caller's unit, and the village of their group: accusing a village covers its groups."""
    cadre = roster.cadre(cadre_id)  # type: ignore[arg-type]
    units = {cadre.unit_code}
    village = roster.village_of(cadre.unit_code)
    if village is not None:
        units.add(village.code)
    return frozenset(units)


def is_leader(principal: Principal, roster: Roster) -> bool:
    return (principal.role == "leader" and principal.cadre_id is not None
            and roster.has_cadre(principal.cadre_id) and roster.is_leader(principal.cadre_id))
