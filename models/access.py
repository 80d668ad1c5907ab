"""Who may see and do what: the roles, what each may do, a caller's reach over cases (scope)
and the confidentiality rule (Arts. 28, 30, 46). One policy for every use case; the web UI
receives it as data (`capabilities`) instead of keeping role names of its own.

A scope is decided here and translated twice: into SQL (`infra.db.case_queries.visible`)
and into Python (`admits`, for the in-memory store); one contract test holds them together.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from models import posts as P
from models.errors import DomainError
from models.roster import Roster


class Role(str, Enum):
    ADMIN = "admin"
    OPERATOR = "operator"
    PETITION_STAFF = "petition_staff"
    CADRE = "cadre"
    LEADER = "leader"

    def __str__(self) -> str:
        return self.value


class Capability(str, Enum):
    READ_CASES = "read_cases"            # lists, details, counts (always scoped)
    LOG_EVENTS = "log_events"            # hotline calls, reception visits at the desk
    LOOK_UP_CALLERS = "look_up_callers"  # a caller's earlier cases by phone (audited)
    RECORD_CALLBACKS = "record_callbacks"
    WORK_CASES = "work_cases"            # accept, progress, reply, object, delegate, ask for time
    RECORD_FIELD_FORMS = "record_field_forms"  # diary entries and contact cards
    DECIDE = "decide"                    # extensions, objections, pauses, reviews
    SEE_RATES = "see_rates"              # three rates, alerts, charts
    ADMINISTER = "administer"            # roster, calendar, categories, tokens, logins, audit
    RECORD_UPWARD = "record_upward_petitions"  # petitions that went beyond the township (信访办)

    def __str__(self) -> str:
        return self.value


C = Capability
CAPABILITIES: Mapping[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset({C.READ_CASES, C.ADMINISTER}),
    Role.OPERATOR: frozenset({C.READ_CASES, C.LOG_EVENTS, C.LOOK_UP_CALLERS, C.RECORD_CALLBACKS}),
    Role.PETITION_STAFF: frozenset({C.READ_CASES, C.LOG_EVENTS, C.LOOK_UP_CALLERS, C.RECORD_CALLBACKS,
                                    C.WORK_CASES, C.RECORD_FIELD_FORMS, C.RECORD_UPWARD}),
    Role.CADRE: frozenset({C.READ_CASES, C.WORK_CASES, C.RECORD_FIELD_FORMS}),
    Role.LEADER: frozenset({C.READ_CASES, C.WORK_CASES, C.RECORD_FIELD_FORMS, C.DECIDE, C.SEE_RATES}),
}
# Roles whose tokens must name a cadre of the roster (an operator's may not: a shared desk).
NEEDS_CADRE = frozenset({Role.CADRE, Role.LEADER, Role.PETITION_STAFF})
# Those who call the petitioner back see the phone and id number unmasked (each view audited).
UNMASKED_ROLES = frozenset({Role.OPERATOR, Role.PETITION_STAFF})
# Who may file an Open311 request with their api_key (a system integration may use an admin's).
OPEN311_CREATORS = frozenset({Role.OPERATOR, Role.PETITION_STAFF, Role.ADMIN})
# Kinds of matter whose content the public never sees (检举、揭发 and complaints, Art. 28).
CONFIDENTIAL_KINDS = frozenset({"complaint", "report"})
# Roles that reach the whole township's cases (confidentiality still applies to them).
TOWNSHIP_ROLES = frozenset({Role.OPERATOR, Role.PETITION_STAFF})


class AccessDenied(DomainError):
    code = "access.denied"


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit log must name them."""
    role: Role
    cadre_id: str | None = None
    token_id: str | None = None
    username: str | None = None
    address: str | None = None

    def can(self, capability: Capability) -> bool:
        return capability in CAPABILITIES[self.role]

    def require(self, capability: Capability) -> None:
        if not self.can(capability):
            allowed = ", ".join(sorted(r.value for r, caps in CAPABILITIES.items() if capability in caps))
            raise AccessDenied(f"role {self.role.value!r} cannot do this; allowed: {allowed}",
                               params={"role": self.role.value, "capability": capability.value, "allowed": allowed})


def role_of(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise DomainError(f"unknown role {value!r}: choose one of {', '.join(r.value for r in Role)}",
                          code="access.unknown_role", params={"role": value}) from None


@dataclass(frozen=True)
class Scope:
    township: bool = False                      # every case of the township
    village_codes: frozenset[str] = frozenset()  # cases of these villages
    cadre_id: str | None = None                 # cases this cadre owns, handles or was escalated to
    # confidentiality: cases accusing this cadre or any of these units are hidden
    recused_cadre_id: str | None = None
    recused_unit_codes: frozenset[str] = frozenset()

    @classmethod
    def nothing(cls) -> "Scope":
        return cls()


def scope_for(actor: Actor, roster: Roster) -> Scope:
    """A cadre their own cases; a village party branch secretary their village; a leader in
    charge their villages; the township party secretary, petition staff and operators the
    township; admins everything. Confidentiality always applies to a caller who is a cadre."""
    if actor.role == Role.ADMIN:
        return Scope(township=True)
    cadre_id = actor.cadre_id
    known = cadre_id is not None and roster.has_cadre(cadre_id)
    recused = _recusal_units(roster, cadre_id) if known and cadre_id else frozenset()
    if actor.role in TOWNSHIP_ROLES:
        return Scope(township=True, recused_cadre_id=cadre_id, recused_unit_codes=recused)
    if not known or cadre_id is None:
        return Scope(cadre_id=cadre_id, recused_cadre_id=cadre_id)
    cadre = roster.cadre(cadre_id)
    unit = roster.unit(cadre.unit_code)
    township = unit.kind == P.TOWNSHIP and P.PARTY_SECRETARY in cadre.posts
    villages = {village for village, leader in roster.in_charge if leader == cadre_id}
    if unit.kind == P.VILLAGE and P.PARTY_SECRETARY in cadre.posts:
        villages.add(unit.code)
    return Scope(township=township, village_codes=frozenset(villages), cadre_id=cadre_id,
                 recused_cadre_id=cadre_id, recused_unit_codes=recused)


def _recusal_units(roster: Roster, cadre_id: str) -> frozenset[str]:
    """The caller's unit, and the village of their group: accusing a village covers its groups."""
    cadre = roster.cadre(cadre_id)
    units = {cadre.unit_code}
    village = roster.village_of(cadre.unit_code)
    if village is not None:
        units.add(village.code)
    return frozenset(units)


def is_leader(actor: Actor, roster: Roster) -> bool:
    return (actor.role == Role.LEADER and actor.cadre_id is not None
            and roster.has_cadre(actor.cadre_id) and roster.is_leader(actor.cadre_id))


def admits(scope: Scope, case: Mapping[str, Any]) -> bool:
    """The scoping rule on one stored case (its `village_code`, `owner_cadre_id`,
    `handler_cadre_id`, `escalated_to_cadre_id`, `escalation_acting_cadre_id`, `accused` and
    `hidden_from` — everyone the conflict of interest excludes, see `models.conflict`)."""
    hidden = scope.recused_cadre_id is not None and scope.recused_cadre_id in (case.get("hidden_from") or ())
    return _in_reach(scope, case) and not hidden and not accuses(scope, case.get("accused"))


def _in_reach(scope: Scope, case: Mapping[str, Any]) -> bool:
    if scope.township:
        return True
    if case["village_code"] in scope.village_codes:
        return True
    return scope.cadre_id is not None and scope.cadre_id in (
        case["owner_cadre_id"], case["handler_cadre_id"], case.get("escalated_to_cadre_id"),
        case.get("escalation_acting_cadre_id"))


def accuses(scope: Scope, accused: Mapping[str, Any] | None) -> bool:
    """The case accuses the scope's cadre or one of its units."""
    if not accused:
        return False
    if scope.recused_cadre_id and scope.recused_cadre_id in (accused.get("cadre_ids") or ()):
        return True
    return bool(scope.recused_unit_codes & set(accused.get("unit_codes") or ()))


def accuses_anyone(accused: Mapping[str, Any] | None) -> bool:
    return bool(accused and ((accused.get("cadre_ids") or ()) or (accused.get("unit_codes") or ())))


def may_see_unmasked(actor: Actor, parties: frozenset[str] = frozenset()) -> bool:
    """Those who call the petitioner back: the desk, and the case's own owner and handler
    (nobody else in their village). Every such view is audited."""
    return actor.role in UNMASKED_ROLES or (actor.cadre_id is not None and actor.cadre_id in parties)


def mask(value: str | None, keep_start: int, keep_end: int) -> str | None:
    if not value:
        return value
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def petitioner_for(actor: Actor, petitioner: Mapping[str, Any] | None,
                   parties: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """The petitioner as this actor may see them: masked unless they call back."""
    if petitioner is None:
        return None
    anonymous = bool(petitioner.get("anonymous"))
    if may_see_unmasked(actor, parties):
        return {"name": petitioner.get("name"), "phone": petitioner.get("phone"),
                "id_number": petitioner.get("id_number"), "anonymous": anonymous, "masked": False}
    return {"name": None if anonymous else petitioner.get("name"), "phone": mask(petitioner.get("phone"), 3, 4),
            "id_number": mask(petitioner.get("id_number"), 4, 2), "anonymous": anonymous, "masked": True}


def published_policy() -> dict[str, list[str]]:
    """What each role may do, for the web UI (it shows only what the caller may use)."""
    return {role.value: sorted(c.value for c in caps) for role, caps in CAPABILITIES.items()}


def require_party(actor: Actor, owner_cadre_id: str | None, handler_cadre_id: str | None, *,
                  owner_only: bool = False) -> None:
    """Work on a case is for its owner (包案) or its handler (delegating: the owner only)."""
    parties = {owner_cadre_id} if owner_only else {owner_cadre_id, handler_cadre_id}
    if actor.cadre_id is None or actor.cadre_id not in parties:
        who = "owner" if owner_only else "owner or handler"
        raise AccessDenied(f"only the case's {who} can do this", code="access.not_party", params={"who": who})


def may_close(actor: Actor, owner_cadre_id: str | None, handler_cadre_id: str | None) -> None:
    """A resolved case is closed by its owner or handler, an operator or petition staff."""
    if actor.role in (Role.OPERATOR, Role.PETITION_STAFF) or (
            actor.cadre_id is not None and actor.cadre_id in (owner_cadre_id, handler_cadre_id)):
        return
    raise AccessDenied("only the owner, the handler, operators or petition staff close a case",
                       code="access.not_closer")
