"""The case aggregate: an immutable record of one matter and the events it has raised.

`apply` is the only way a case changes: it checks the transition table, lets the action
check its own conditions, and appends one event, so the history explains every field.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from models.chain import Recusal
from models.conflict import NO_CONFLICT
from models.deadlines import DEFAULT_POLICY, DeadlinePolicy
from models.lifecycle import CaseStatus, next_state
from models.workcalendar import to_local

if TYPE_CHECKING:
    from models.roster import Roster


@dataclass(frozen=True)
class CaseEvent:
    """One change of a case; `event_id` is stable so a consumer can tell a redelivery."""
    event_id: str
    case_id: str
    seq: int
    type: str
    at: datetime
    actor: str | None
    source_event_id: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    case_id: str
    source: str
    source_event_id: str
    village_code: str
    category: str
    kind: str | None
    urgency: str
    occurred_at: datetime
    deadlines: Mapping[str, datetime]
    status: CaseStatus = CaseStatus.REGISTERED
    owner_cadre_id: str | None = None
    handler_cadre_id: str | None = None
    owner_level: int = 0          # chain level the owner was routed at (conflict rule), else 0
    escalation_level: int = 0
    escalated_to_cadre_id: str | None = None
    recusal: Recusal = NO_CONFLICT  # accused cadres and units: never owner, handler or recipient
    assigned_at: datetime | None = None
    objection_until: datetime | None = None
    accepted_at: datetime | None = None
    paused_at: datetime | None = None
    extensions: int = 0
    warned_stages: frozenset[str] = frozenset()
    reply: str | None = None
    replied_at: datetime | None = None
    callback_result: str | None = None  # satisfied | unsatisfied | impossible | on_spot
    callback_note: str | None = None
    problem_solved: bool | None = None
    unsatisfied_count: int = 0
    closed_at: datetime | None = None
    review_decided_at: datetime | None = None
    re_review_decided_at: datetime | None = None
    # Added for issue 11; every new field has a default so states stored before still load.
    deadline_basis: Mapping[str, Any] = field(default_factory=dict)  # stage -> deadlines.Basis
    escalation_acting_cadre_id: str | None = None  # the recipient's backup while the recipient is away
    declined_at: datetime | None = None            # 不予受理 decided (Art. 23)
    review_decided_by: str | None = None
    re_review_decided_by: str | None = None
    events: tuple[CaseEvent, ...] = ()
    # Events that happened before `events` but were not loaded (a snapshot without its full
    # history): enough to number new events, when the history itself is not needed.
    base_version: int = 0

    @property
    def excluded_cadre_ids(self) -> frozenset[str]:
        return self.recusal.excluded

    @property
    def conflict(self) -> Recusal:
        """The case's conflict of interest (who is excluded and why, and the floor)."""
        return self.recusal

    @property
    def parties(self) -> tuple[str, ...]:
        """The owner and the handler: whoever answers for the work on the case."""
        return tuple(dict.fromkeys(c for c in (self.owner_cadre_id, self.handler_cadre_id) if c))

    @property
    def version(self) -> int:
        return self.base_version + len(self.events)

    def events_since(self, version: int) -> tuple[CaseEvent, ...]:
        return self.events[max(0, version - self.base_version):]

    def apply(self, action: Action, at: datetime, roster: Roster | None = None,
              policy: DeadlinePolicy = DEFAULT_POLICY) -> Case:
        return apply(self, action, at, roster, policy)


@dataclass(frozen=True)
class Context:
    roster: Roster | None
    policy: DeadlinePolicy


@dataclass(frozen=True)
class Effect:
    event: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)


class Action(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def actor(self) -> str | None: ...

    def effect(self, case: Case, at: datetime, ctx: Context) -> Effect: ...


def apply(case: Case, action: Action, at: datetime, roster: Roster | None = None,
          policy: DeadlinePolicy = DEFAULT_POLICY) -> Case:
    to_local(at)  # every recorded time carries an offset
    status = next_state(case.status, action.name)
    effect = action.effect(case, at, Context(roster, policy))
    return evolve(case, status=status, **effect.changes, events=case.events + (_event(case, effect, action, at),))


def record(case: Case, event: str, at: datetime, actor: str | None, **data: Any) -> Case:
    """Append an event that changes no state (e.g. `opened`)."""
    return evolve(case, events=case.events + (_event(case, Effect(event, data=data), None, at, actor),))


_CASE_FIELDS = frozenset(f.name for f in fields(Case))


def evolve(case: Case, **changes: Any) -> Case:
    """`dataclasses.replace` for the aggregate, without running its forty-odd fields through
    `__init__` again (a case has no `__post_init__`, so a copy of its fields with the changes
    is the same value): 25 µs → 2 µs, and every action pays it (issue 12)."""
    unknown = changes.keys() - _CASE_FIELDS
    if unknown:
        raise TypeError(f"Case has no field(s) {sorted(unknown)}")
    changed = object.__new__(Case)
    changed.__dict__.update(case.__dict__, **changes)  # a frozen dataclass: not through __setattr__
    return changed


def _event(case: Case, effect: Effect, action: Action | None, at: datetime, actor: str | None = None) -> CaseEvent:
    seq = case.version + 1
    who = action.actor if action is not None else actor
    return CaseEvent(f"{case.case_id}:{seq}", case.case_id, seq, effect.event, at, who,
                     case.source_event_id, dict(effect.data))
