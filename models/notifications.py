"""Who must hear what (issue 13): one rule per case event type, and the same guarantees for
every rule — nobody accused in a case is ever told of it, no text carries a petitioner's
phone or ID number, and a notification's id is derived from its source event, recipient and
kind, so a redelivered event yields the same ids and notifies nobody twice.

Pure: the case's facts, the roster and `now` are arguments. Texts live in
`models.notification_text`; channels, preferences and quiet hours in `models.notification_channels`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from models import notification_text as T
from models import posts as P
from models.case import CaseEvent
from models.chain import Recusal, chain_of, first_eligible, floor_above
from models.roster import Roster

# Kinds a cadre receives (CONTRACT "Notifications"; objection_decided and callback_overdue extend it).
CASE_ASSIGNED, DEADLINE_WARNING, CASE_OVERDUE, CASE_ESCALATED = (
    "case_assigned", "deadline_warning", "case_overdue", "case_escalated")
EXTENSION_REQUESTED, EXTENSION_DECIDED = "extension_requested", "extension_decided"
OBJECTION_RAISED, OBJECTION_DECIDED = "objection_raised", "objection_decided"
CALLBACK_DUE, CALLBACK_OVERDUE, EARLY_WARNING, DIGEST = "callback_due", "callback_overdue", "early_warning", "digest"
CADRE_KINDS = (CASE_ASSIGNED, DEADLINE_WARNING, CASE_OVERDUE, CASE_ESCALATED, EXTENSION_REQUESTED,
               EXTENSION_DECIDED, OBJECTION_RAISED, OBJECTION_DECIDED, CALLBACK_DUE, CALLBACK_OVERDUE,
               EARLY_WARNING, DIGEST)
# Kinds a petitioner receives, by SMS only, when they opted in on the call.
PETITIONER_REGISTERED, PETITIONER_REPLIED, PETITIONER_EXTENDED = (
    "petitioner_registered", "petitioner_replied", "petitioner_extended")
PETITIONER_KINDS = (PETITIONER_REGISTERED, PETITIONER_REPLIED, PETITIONER_EXTENDED)

# Case events the notifier does not see on `case.events` yet: extension requests and their
# decisions are rows of their own (the API writes them); the notifier turns them into these.
EXTENSION_REQUEST_EVENT, EXTENSION_DECISION_EVENT = "extension_requested", "extension_decided"

_ID_NAMESPACE = uuid.UUID("5f0b6d1e-8a2c-4e57-9b3d-13a0c6f2e741")


def notification_id(source_event_id: str, recipient: str, kind: str) -> str:
    """Stable: the same source event, recipient and kind always give the same id."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{source_event_id}\x00{recipient}\x00{kind}"))


@dataclass(frozen=True)
class Notification:
    notification_id: str
    kind: str
    recipient_cadre_id: str
    text: str
    created_at: datetime
    source_event_id: str
    case_id: str | None = None
    tracking_code: str | None = None
    village_code: str | None = None
    category: str | None = None
    due_at: datetime | None = None
    urgent: bool = False         # passes quiet hours
    confidential: bool = False   # the case accuses someone: never posted to a group chat
    event_at: datetime | None = None  # when its source event happened (None: raised by time)


@dataclass(frozen=True)
class PetitionerMessage:
    """An SMS to a petitioner who opted in: tracking code and link, never a cadre's name."""
    message_id: str
    kind: str
    phone: str
    text: str
    created_at: datetime
    source_event_id: str
    case_id: str
    tracking_code: str
    event_at: datetime | None = None


@dataclass(frozen=True)
class Petitioner:
    phone: str | None = None
    id_number: str | None = None
    sms_opt_in: bool = False
    anonymous: bool = False

    @property
    def reachable(self) -> bool:
        return self.sms_opt_in and not self.anonymous and bool(self.phone)


@dataclass(frozen=True)
class CaseFacts:
    """What the notifier knows of a case when one of its events arrives. `history`: the
    case's events by seq; the rules read who held the case from those before the event (who
    held it *then* matters, not who holds it now)."""
    case_id: str
    tracking_code: str
    village_code: str
    category: str
    urgency: str
    summary: str
    recusal: Recusal
    history: tuple[CaseEvent, ...]
    due_at: datetime | None = None
    petitioner: Petitioner = Petitioner()

    @property
    def confidential(self) -> bool:
        return self.recusal.accuses_anyone


@dataclass(frozen=True)
class Policy:
    tracking_url: str = "http://127.0.0.1:8000/ui/track?code={code}"


@dataclass(frozen=True)
class Outcome:
    notifications: tuple[Notification, ...] = ()
    petitioner_messages: tuple[PetitionerMessage, ...] = ()


@dataclass(frozen=True)
class Holders:
    """Who held the case just before and after the event."""
    owner: str | None = None
    handler: str | None = None
    supervisor: str | None = None   # the cadre the last escalation reached
    escalations: int = 0            # escalations before this event
    objector: str | None = None     # who raised the last objection


def holders_before(history: Iterable[CaseEvent], seq: int) -> Holders:
    owner = handler = supervisor = objector = None
    escalations = 0
    for event in history:
        if event.seq >= seq:
            break
        data = event.data
        if event.type in ("assigned", "transferred"):
            owner, handler = data.get("owner_cadre_id", owner), data.get("handler_cadre_id", handler)
        elif event.type == "resolved" and data.get("on_spot"):
            owner = handler = event.actor
        elif event.type == "delegated":
            handler = data.get("handler_cadre_id", handler)
        elif event.type == "escalated":
            supervisor, escalations = data.get("recipient_cadre_id"), escalations + 1
        elif event.type == "objected":
            objector = event.actor
    return Holders(owner, handler, supervisor, escalations, objector)


# --- the rule table: case event type → who hears what --------------------------------------

Recipients = list[tuple[str, str]]  # (cadre_id, kind)
Rule = Callable[[CaseEvent, CaseFacts, Holders, Roster], Recipients]


def _new_case(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(c, CASE_ASSIGNED) for c in (event.data.get("owner_cadre_id"), event.data.get("handler_cadre_id")) if c]


def _new_handler(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(event.data["handler_cadre_id"], CASE_ASSIGNED)] if event.data.get("handler_cadre_id") else []


def _transferred(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    # the new handler (and the new owner, who answers for it from now on); the objector hears the decision
    moved = _new_case(event, facts, held, roster)
    return moved + ([(held.objector, OBJECTION_DECIDED)] if held.objector else [])


def _overruled(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(held.objector, OBJECTION_DECIDED)] if held.objector else []


def _warned(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(held.handler, DEADLINE_WARNING)] if held.handler else []


def _escalated(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    """The cadre at the new level and the one below: whoever held the case before (the
    previous supervisor, or — the first time, when it has just become overdue — its owner and
    handler) and, when a long-overdue case climbs several levels at once, the chain's cadre
    just below the new level too."""
    kind = CASE_OVERDUE if held.escalations == 0 else CASE_ESCALATED
    below = [held.supervisor] if held.supervisor else [held.owner, held.handler]
    level = int(event.data.get("level") or 0)
    if level >= 2:
        below.append(chain_of(roster, facts.village_code)[level - 1].cadre_id)
    return [(c, kind) for c in (event.data.get("recipient_cadre_id"), *below) if c]


def _objected(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    leader = deciding_leader(roster, facts.village_code, facts.recusal, event.actor)
    return [(leader, OBJECTION_RAISED)] if leader else []


def _extension_requested(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    leader = deciding_leader(roster, facts.village_code, facts.recusal, event.data.get("requested_by"))
    return [(leader, EXTENSION_REQUESTED)] if leader else []


def _extension_decided(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(event.data["requested_by"], EXTENSION_DECIDED)] if event.data.get("requested_by") else []


def _replied(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    """The operators' callback queue: every operator may take the callback (回访)."""
    return [(c.cadre_id, CALLBACK_DUE) for c in roster.cadres if P.OPERATOR in c.posts]


def _reopened(event: CaseEvent, facts: CaseFacts, held: Holders, roster: Roster) -> Recipients:
    return [(held.handler, CASE_ASSIGNED)] if held.handler else []


RULES: Mapping[str, Rule] = {
    "assigned": _new_case,
    "delegated": _new_handler,
    "transferred": _transferred,
    "objection_overruled": _overruled,
    "warned": _warned,
    "escalated": _escalated,
    "objected": _objected,
    EXTENSION_REQUEST_EVENT: _extension_requested,
    EXTENSION_DECISION_EVENT: _extension_decided,
    "replied": _replied,
    "reopened": _reopened,
}

# Case events that send the petitioner an SMS (Art. 34: an approved extension is notified).
PETITIONER_RULES: Mapping[str, str] = {
    "opened": PETITIONER_REGISTERED,
    "replied": PETITIONER_REPLIED,
    "extended": PETITIONER_EXTENDED,
}


def deciding_leader(roster: Roster, village_code: str, recusal: Recusal, requester: str | None) -> str | None:
    """The leader who decides extensions and objections: the first township leader of the
    chain (leader in charge, else the party secretary) above every accused, never the requester."""
    start = max(2, floor_above(roster, village_code, recusal))
    pick = first_eligible(roster, village_code, start, recusal, also_skip=[requester or ""])
    return pick.cadre.cadre_id if pick.cadre is not None else None


def for_case_event(event: CaseEvent, facts: CaseFacts, roster: Roster, now: datetime,
                   policy: Policy = Policy()) -> Outcome:
    rule = RULES.get(event.type)
    held = holders_before(facts.history, event.seq)
    wanted = rule(event, facts, held, roster) if rule is not None else []
    notes = tuple(_case_notification(event, facts, cadre, kind, roster, now)
                  for cadre, kind in told(wanted, facts.recusal, roster))
    return Outcome(notes, _petitioner_messages(event, facts, now, policy))


def told(wanted: Iterable[tuple[str | None, str]], recusal: Recusal, roster: Roster) -> list[tuple[str, str]]:
    """The one door every recipient passes: known cadres, each once per kind, never anyone
    the conflict of interest excludes — the accused, their units, those below them, including
    anyone the roster has put below them since (Arts. 28, 30, 46; `models.conflict`)."""
    seen: list[tuple[str, str]] = []
    for cadre, kind in wanted:
        if (cadre and roster.has_cadre(cadre) and recusal.exclusion(cadre, roster) is None
                and (cadre, kind) not in seen):
            seen.append((cadre, kind))
    return seen


def _case_notification(event: CaseEvent, facts: CaseFacts, cadre: str, kind: str, roster: Roster,
                       now: datetime) -> Notification:
    due = _due_of(event) or facts.due_at
    text = T.case_text(kind, event, facts, roster, due)
    return Notification(notification_id(event.event_id, cadre, kind), kind, cadre, T.scrub(text, facts.petitioner),
                        now, event.event_id, facts.case_id, facts.tracking_code, facts.village_code, facts.category,
                        due, urgent=facts.urgency == "urgent", confidential=facts.confidential, event_at=event.at)


def _due_of(event: CaseEvent) -> datetime | None:
    raw = event.data.get("due")
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


def _petitioner_messages(event: CaseEvent, facts: CaseFacts, now: datetime,
                         policy: Policy) -> tuple[PetitionerMessage, ...]:
    kind = PETITIONER_RULES.get(event.type)
    who = facts.petitioner
    if kind is None or not who.reachable or who.phone is None:
        return ()
    link = policy.tracking_url.format(code=facts.tracking_code)
    text = T.petitioner_text(kind, facts.tracking_code, link, _due_of(event))
    return (PetitionerMessage(notification_id(event.event_id, "petitioner", kind), kind, who.phone, text, now,
                              event.event_id, facts.case_id, facts.tracking_code, event.at),)


@dataclass(frozen=True)
class Alert:
    """An early warning from `alerts`: `leader_cadre_id` is whom `models.early_warning` chose
    (the leader in charge, or the first leader above everyone the cluster accuses; None when
    nobody in the township stands above them), `recusal` the cluster's conflict of interest."""
    alert_id: str
    village_code: str
    category: str
    petitioners: int
    raised_at: datetime
    leader_cadre_id: str | None
    recusal: Recusal = Recusal()


def for_alert(alert: Alert, roster: Roster, now: datetime) -> tuple[Notification, ...]:
    """A possible collective petition goes at once to the leader the early warning names."""
    return tuple(Notification(notification_id(alert.alert_id, cadre, kind), kind, cadre,
                              T.alert_text(alert.village_code, alert.category, alert.petitioners, roster),
                              now, alert.alert_id, village_code=alert.village_code, category=alert.category,
                              urgent=True, confidential=alert.recusal.accuses_anyone, event_at=alert.raised_at)
                 for cadre, kind in told([(alert.leader_cadre_id, EARLY_WARNING)], alert.recusal, roster))
