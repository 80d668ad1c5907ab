"""督办 items: decisions recorded in a joint meeting (what, which leader, by when), and the
month's top issue once a leader has picked it. Tracked like a case: a lifecycle table, a
deadline on Beijing days, escalation up the village's chain when late, and a history that
explains every field. An item appears in every meeting report until it is closed.

    open ─progress→ in_progress ─progress→ in_progress
    open | in_progress ─report_done→ reported      (the owner says it is done; the clock stops)
    reported ─close→ closed                         (a leader confirms it, usually in a meeting)
    reported ─reopen→ in_progress                   (not done after all)
Self-loops on open and in_progress: extend (a leader moves the date), escalate.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from models import workcalendar as wc
from models.chain import LEVEL_NAMES, TOP_LEVEL, Recusal, first_eligible, owner_base_level
from models.errors import DomainError, IllegalTransition
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, levels_due
from models.reports.periods import midnight
from models.roster import Roster

MEETING, TOP_ISSUE = "meeting", "top_issue"

# `levels_due` counts a level once `now` is *past* the threshold; an item is late from its
# due moment itself, so the thresholds are counted from one tick before it.
_TICK = timedelta(microseconds=1)


class SupervisionStatus(str, Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"

    def __str__(self) -> str:
        return self.value


S = SupervisionStatus
_RUNNING = (S.OPEN, S.IN_PROGRESS)
TRANSITIONS: dict[tuple[SupervisionStatus, str], SupervisionStatus] = {
    (S.OPEN, "progress"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "progress"): S.IN_PROGRESS,
    (S.OPEN, "report_done"): S.REPORTED,
    (S.IN_PROGRESS, "report_done"): S.REPORTED,
    (S.REPORTED, "close"): S.CLOSED,
    (S.REPORTED, "reopen"): S.IN_PROGRESS,
    **{(state, "extend"): state for state in _RUNNING},
    **{(state, "escalate"): state for state in _RUNNING},
}


@dataclass(frozen=True)
class SupervisionEvent:
    seq: int
    type: str
    at: datetime
    actor: str | None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Supervision:
    item_id: str
    origin: str                 # meeting | top_issue
    title: str                  # what is to be done
    owner_cadre_id: str         # the leader who answers for it
    assigned_by: str            # who recorded it: the meeting's chair, the leader who picked the issue
    assigned_at: datetime
    due_on: date                # by when: the last Beijing day
    village_code: str | None = None
    meeting_day: date | None = None
    case_ids: tuple[str, ...] = ()
    status: SupervisionStatus = S.OPEN
    escalation_level: int = 0
    escalated_to_cadre_id: str | None = None
    events: tuple[SupervisionEvent, ...] = ()

    @property
    def due_at(self) -> datetime:
        """The item is late from the first moment after its last day."""
        return midnight(self.due_on + timedelta(days=1))

    @property
    def is_closed(self) -> bool:
        return self.status == S.CLOSED

    def is_overdue(self, now: datetime) -> bool:
        return self.status in _RUNNING and now >= self.due_at

    def closed_at(self) -> datetime | None:
        return next((e.at for e in reversed(self.events) if e.type == "closed"), None) if self.is_closed else None

    def latest_note(self) -> str | None:
        return next((str(e.data["note"]) for e in reversed(self.events) if e.data.get("note")), None)


def allowed_actions(status: SupervisionStatus) -> tuple[str, ...]:
    return tuple(sorted(action for (s, action) in TRANSITIONS if s == status))


def record_decision(item_id: str, title: str, owner_cadre_id: str, due_on: date, *, assigned_by: str,
                    at: datetime, roster: Roster, origin: str = MEETING, village_code: str | None = None,
                    meeting_day: date | None = None, case_ids: tuple[str, ...] = ()) -> Supervision:
    """A decision of the meeting (or a picked top issue) becomes an item to be followed up."""
    _leader(roster, assigned_by, "record")
    _require(roster.has_cadre(owner_cadre_id), f"unknown cadre {owner_cadre_id} cannot answer for a 督办 item",
             "supervision.unknown_owner", owner=owner_cadre_id)
    if village_code is not None:
        roster.village(village_code)
    _require(origin in (MEETING, TOP_ISSUE), f"unknown origin {origin!r}", "supervision.bad_origin", origin=origin)
    _require(due_on >= wc.local_date(at), f"a 督办 item cannot be due on {due_on.isoformat()}, before it is recorded",
             "supervision.due_in_past", due_on=due_on.isoformat())
    item = Supervision(item_id, origin, _text(title, "title"), owner_cadre_id, assigned_by, at,
                       due_on, village_code, meeting_day, tuple(case_ids))
    return _append(item, "recorded", at, assigned_by, title=item.title, owner=owner_cadre_id, due_on=due_on.isoformat())


def record_progress(item: Supervision, note: str, *, actor: str, at: datetime, roster: Roster) -> Supervision:
    _owner_or_leader(item, actor, roster, "progress")
    return _move(item, "progress", "progressed", at, actor, note=_text(note, "note"))


def report_done(item: Supervision, note: str, *, actor: str, at: datetime, roster: Roster) -> Supervision:
    _owner_or_leader(item, actor, roster, "report_done")
    return _move(item, "report_done", "reported", at, actor, note=_text(note, "note"))


def close(item: Supervision, *, actor: str, at: datetime, roster: Roster, note: str | None = None) -> Supervision:
    _leader(roster, actor, "close")
    return _move(item, "close", "closed", at, actor, **({"note": note.strip()} if note and note.strip() else {}))


def reopen(item: Supervision, reason: str, *, actor: str, at: datetime, roster: Roster) -> Supervision:
    _leader(roster, actor, "reopen")
    return _move(item, "reopen", "reopened", at, actor, note=_text(reason, "reason"))


def extend(item: Supervision, due_on: date, reason: str, *, actor: str, at: datetime, roster: Roster) -> Supervision:
    _leader(roster, actor, "extend")
    _require(due_on > item.due_on, f"a new date must be later than {item.due_on.isoformat()}, not {due_on.isoformat()}",
             "supervision.not_later", due_on=due_on.isoformat(), current=item.due_on.isoformat())
    moved = _move(item, "extend", "extended", at, actor, due_on=due_on.isoformat(), note=_text(reason, "reason"))
    return replace(moved, due_on=due_on)


@dataclass(frozen=True)
class SupervisionStep:
    level: int
    recipient_cadre_id: str | None
    escalated: bool
    explanation: str | None = None


def escalation_step(item: Supervision, roster: Roster, now: datetime,
                    policy: EscalationPolicy = DEFAULT_ESCALATION) -> SupervisionStep:
    """Late items climb one level per grace period, as cases do (`models.escalation`): for a
    village item the village's chain above the owner, otherwise straight to the party secretary."""
    if not item.is_overdue(now):
        return SupervisionStep(item.escalation_level, None, False)
    base = _base_level(item, roster)
    if base >= TOP_LEVEL:
        return SupervisionStep(item.escalation_level, None, False,
                               f"督办 item {item.item_id} is late; its owner {item.owner_cadre_id} heads the chain")
    target = min(TOP_LEVEL, max(item.escalation_level, base + levels_due(item.due_at - _TICK, now, policy)))
    if target <= item.escalation_level:
        return SupervisionStep(item.escalation_level, None, False)
    level, cadre = _recipient(item, roster, target)
    if cadre is None or level is None:
        return SupervisionStep(item.escalation_level, None, False,
                               f"督办 item {item.item_id} is late, but nobody above level "
                               f"{item.escalation_level} remains")
    return SupervisionStep(level, cadre, True, f"late since {item.due_on.isoformat()}: level {level} "
                                               f"({LEVEL_NAMES[level]}) {cadre} supervises it now")


def escalate(item: Supervision, step: SupervisionStep, at: datetime) -> Supervision:
    if not step.escalated:
        return item
    moved = _move(item, "escalate", "escalated", at, None, level=step.level, to=step.recipient_cadre_id)
    return replace(moved, escalation_level=step.level, escalated_to_cadre_id=step.recipient_cadre_id)


def next_check_at(item: Supervision, roster: Roster,
                  policy: EscalationPolicy = DEFAULT_ESCALATION) -> datetime | None:
    """When a scheduler should look at the item again: the moment it owes its next level."""
    base = _base_level(item, roster)
    if item.status not in _RUNNING or max(base, item.escalation_level) >= TOP_LEVEL:
        return None
    threshold, climbed = item.due_at - _TICK, max(0, item.escalation_level - base)
    for step in range(1, TOP_LEVEL + 1):
        if step > climbed:
            return threshold + _TICK
        threshold = wc.add_working_days(threshold, policy.grace_working_days.get(step, 1))
    return None


def _base_level(item: Supervision, roster: Roster) -> int:
    """The level the owner stands at. Without a village, every township cadre but the party
    secretary stands just below the top of the chain."""
    if item.village_code is not None:
        return owner_base_level(roster, item.village_code, item.owner_cadre_id)
    return TOP_LEVEL if roster.party_secretary().cadre_id == item.owner_cadre_id else TOP_LEVEL - 1


def _recipient(item: Supervision, roster: Roster, target: int) -> tuple[int | None, str | None]:
    if item.village_code is not None:
        pick = first_eligible(roster, item.village_code, target, Recusal(), also_skip=[item.owner_cadre_id])
        return pick.level, pick.cadre.cadre_id if pick.cadre else None
    secretary = roster.party_secretary().cadre_id
    return (TOP_LEVEL, secretary) if secretary != item.owner_cadre_id else (None, None)


def _move(item: Supervision, action: str, event: str, at: datetime, actor: str | None, **data: Any) -> Supervision:
    wc.to_local(at)
    status = TRANSITIONS.get((item.status, action))
    if status is None:
        allowed = ", ".join(allowed_actions(item.status)) or "none (the item is closed)"
        raise IllegalTransition(f"cannot '{action}' a 督办 item that is {item.status}: allowed actions are {allowed}",
                                code="supervision.illegal_action",
                                params={"action": action, "status": str(item.status), "allowed": allowed})
    return _append(replace(item, status=status), event, at, actor, **data)


def _append(item: Supervision, event: str, at: datetime, actor: str | None, **data: Any) -> Supervision:
    wc.to_local(at)
    return replace(item, events=item.events + (SupervisionEvent(len(item.events) + 1, event, at, actor, data),))


# the acts and fields named in refusals: codes for the UI's catalogues, words for the logs
ACTS = {"record": "record a 督办 item", "progress": "record progress on", "report_done": "report as done",
        "close": "close a 督办 item", "reopen": "reopen a 督办 item", "extend": "move a 督办 item's date"}
FIELDS = {"title": "what is to be done", "note": "the note", "reason": "the reason"}


def _leader(roster: Roster, cadre_id: str, act: str) -> None:
    _require(roster.has_cadre(cadre_id) and roster.is_leader(cadre_id),
             f"only a township leader may {ACTS[act]}; {cadre_id} is not one", "supervision.not_leader",
             cadre=cadre_id, act=act)


def _owner_or_leader(item: Supervision, cadre_id: str, roster: Roster, act: str) -> None:
    _require(cadre_id == item.owner_cadre_id or (roster.has_cadre(cadre_id) and roster.is_leader(cadre_id)),
             f"cadre {cadre_id} may not {ACTS[act]} 督办 item {item.item_id}: it belongs to {item.owner_cadre_id}",
             "supervision.not_owner", cadre=cadre_id, item=item.item_id, owner=item.owner_cadre_id, act=act)


def _text(value: str | None, field: str) -> str:
    _require(bool(value and value.strip()), f"{FIELDS[field]} must not be empty", "supervision.empty_text",
             field=field)
    return (value or "").strip()


def _require(condition: bool, message: str, code: str, **params: Any) -> None:
    if not condition:
        raise DomainError(message, code=code, params=params)
