"""Events entered over HTTP — a hotline call at the desk, a diary entry or a contact card
from the field, an Open311 request — through one path: checked against the roster, stored
in the request's transaction for the relay (a 202 is never lost), then the case the worker
routed is reported if the caller may see it."""
from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import orjson
from pydantic import ValidationError

from infra.case_opening import accused_of, admit, identity_of, petitioner_of
from infra.services.acting import allowed, scope_of
from infra.services.errors import Conflict, Forbidden, Invalid
from infra.services.ports import CaseFilter, UnitOfWork
from models.access import OPEN311_CREATORS, Actor, Capability, admits
from models.audit import CALLER_LOOKUP, mask_term
from models.errors import DomainError
from models.intake import INPUT_TOPICS, HotlineCall, InputEvent
from models.petitioners import normalise_phone
from models.repeats import NOT_ACCEPTED, check_repeat

ROUTING_WAIT_SECONDS = 2.0
_PREFIX = {"hotline.calls": "call", "diary.entries": "diary", "contactcard.feedback": "card",
           "reception.visits": "visit"}
# Who the event names as the one who entered it: always the authenticated caller.
_ENTERED_BY = {"hotline.calls": "operator_id", "diary.entries": "author_cadre_id",
               "contactcard.feedback": "card_cadre_id", "reception.visits": "receiving_cadre_id"}


@dataclass(frozen=True)
class SubmitEvent:
    actor: Actor
    topic: str                    # an input topic, without the deployment's prefix
    fields: Mapping[str, Any]     # the event as entered; event id and author filled in here
    via: str = "api"              # api | open311 (the id prefix)


@dataclass(frozen=True)
class Submitted:
    event_id: str
    topic: str                    # as published, prefix included
    case: dict[str, Any] | None   # once routed and visible to the caller
    earlier_cases: list[dict[str, Any]]


def new_event_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def source_namespace(actor: Actor) -> str:
    """Whose ids these are: a short hash of the caller's cadre (or token, for a shared desk).
    Ids entered over HTTP live in the caller's own namespace, so nobody can take — and
    thereby suppress — an id that a telephony producer or another caller will send."""
    who = f"cadre:{actor.cadre_id}" if actor.cadre_id else f"token:{actor.token_id or actor.role.value}"
    return hashlib.sha256(who.encode()).hexdigest()[:10]


def scoped_event_id(actor: Actor, client_id: str | None, prefix: str) -> str:
    """A client's idempotency key, scoped to the client; a fresh unguessable id without one."""
    if not client_id:
        return new_event_id(prefix)
    return f"{prefix}.{source_namespace(actor)}.{client_id}"


def _entered_by(cmd: SubmitEvent, given: str | None, field: str) -> str:
    """The operator, author or card cadre is the authenticated caller, never someone a body names."""
    me = cmd.actor.cadre_id
    if given is not None and given != me:
        raise Forbidden(f"{field}: an event entered here is always the caller's own ({me or 'no cadre'}), "
                        f"not {given}'s", code="submit.not_yours", params={"field": field, "given": given})
    if me:
        return me
    if cmd.via == "open311":
        return "open311"
    if cmd.topic == "hotline.calls" and cmd.actor.token_id:  # a shared desk token: the token names the desk
        return f"desk-{cmd.actor.token_id[:12]}"
    raise Invalid(field, "required: this token names no cadre", code="submit.author_required")


def _may_submit(cmd: SubmitEvent) -> None:
    if cmd.via == "open311" and cmd.actor.role in OPEN311_CREATORS:
        return
    field_form = cmd.topic in ("diary.entries", "contactcard.feedback", "reception.visits")
    cmd.actor.require(Capability.RECORD_FIELD_FORMS if field_form else Capability.LOG_EVENTS)


def build_event(cmd: SubmitEvent, now: datetime) -> InputEvent:
    """The published input event, with the event id, the time (when not given) and the one
    who entered it filled in."""
    if cmd.topic not in INPUT_TOPICS:
        raise Invalid("topic", f"unknown input topic {cmd.topic}")
    fields = dict(cmd.fields)
    fields["occurred_at"] = fields.get("occurred_at") or now
    prefix = "open311" if cmd.via == "open311" else _PREFIX[cmd.topic]
    fields["event_id"] = scoped_event_id(cmd.actor, fields.get("event_id"), prefix)
    entered_by = _ENTERED_BY[cmd.topic]
    fields[entered_by] = _entered_by(cmd, fields.get(entered_by), entered_by)
    _, model = INPUT_TOPICS[cmd.topic]
    try:
        return cast(InputEvent, model.model_validate(fields))
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]
        where = ".".join(str(step) for step in problem["loc"]) or "event"
        raise Invalid(where, problem["msg"], code="submit.invalid") from None


def check_against_roster(uow: UnitOfWork, event: InputEvent, categories: frozenset[str]) -> None:
    """The person entering it hears at once of a village, category or cadre that does not
    exist, instead of the event dying in a dead-letter topic."""
    roster = uow.roster
    if not any(v.code == event.village_code for v in roster.villages()):
        raise Invalid("village_code", f"{event.village_code} is not a village of this township",
                      code="submit.unknown_village", params={"village_code": event.village_code})
    if event.category not in categories:
        raise Invalid("category", f"unknown category {event.category}; known: {', '.join(sorted(categories))}",
                      code="submit.unknown_category", params={"category": event.category})
    cadres = {"dialed_cadre_id": getattr(event, "dialed_cadre_id", None),
              "card_cadre_id": getattr(event, "card_cadre_id", None)}
    for name, cadre_id in cadres.items():
        if cadre_id is not None and not roster.has_cadre(cadre_id):
            raise Invalid(name, f"no cadre {cadre_id} in the roster", code="submit.unknown_cadre",
                          params={"cadre_id": cadre_id})


async def _refuse_a_concluded_matter(uow: UnitOfWork, event: InputEvent) -> None:
    """After a concluded re-review the same matter is not accepted again (Art. 36): say so
    at the desk, instead of letting the event die in a dead-letter topic."""
    who = identity_of(petitioner_of(event))
    matter = (event.village_code, event.category)
    prior = await uow.matters.prior_cases([matter], [who])
    cadres, units = accused_of(event)
    verdict = check_repeat(who, event.village_code, event.category, event.occurred_at, prior.get(matter, []),
                           accused_cadre_ids=cadres, accused_unit_codes=units)
    if verdict.outcome == NOT_ACCEPTED:
        raise Conflict(verdict.reason, code=verdict.code, params=verdict.params)


def _caller_phone(event: InputEvent) -> str | None:
    return event.caller.phone if isinstance(event, HotlineCall) else None


async def _earlier_cases(uow: UnitOfWork, actor: Actor, phone: str | None) -> list[dict[str, Any]]:
    """The caller's earlier cases the actor may see (the scope applies here too): a look-up
    of personal data like `CallerCases`, audited the same way."""
    if not phone or not actor.can(Capability.LOOK_UP_CALLERS):
        return []
    normalised = normalise_phone(phone)
    scope, filters = scope_of(uow, actor), CaseFilter(phone=normalised)
    rows = await uow.reads.page(scope, filters, uow.now, limit=20)
    total = await uow.reads.count(scope, filters, uow.now)
    await uow.audit.record(at=uow.now, who=actor, action=CALLER_LOOKUP, phone=mask_term(normalised), matches=total,
                           while_logging_a_call=True)
    return [{key: row[key] for key in ("case_id", "tracking_code", "status", "category", "summary", "created_at",
                                       "owner_cadre_id")} for row in rows]


async def submit_event(cmd: SubmitEvent, uows: Callable[[], UnitOfWork], topic_prefix: str = "",
                       wait: float = ROUTING_WAIT_SECONDS) -> Submitted:
    allowed(lambda: _may_submit(cmd))
    async with uows() as uow:
        event = build_event(cmd, uow.now)
        catalogue, _ = await uow.catalogues.current()
        check_against_roster(uow, event, catalogue.codes())
        try:
            event = admit(event, uow.roster, uow.now)
        except DomainError as refusal:
            raise Invalid(str(refusal.params.get("field", "event")), str(refusal), code=refusal.code,
                          params=refusal.params) from None
        await _refuse_a_concluded_matter(uow, event)
        value = orjson.dumps(event.model_dump(mode="json", exclude_none=True))
        await uow.outbox.enqueue(f"{topic_prefix}{cmd.topic}", event.event_id.encode(), value, uow.now)
        earlier = await _earlier_cases(uow, cmd.actor, _caller_phone(event))
        await uow.commit()
    routed = await routed_case(cmd.actor, cmd.topic, event.event_id, uows, wait)
    return Submitted(event.event_id, f"{topic_prefix}{cmd.topic}", routed, earlier)


async def routed_case(actor: Actor | None, topic: str, event_id: str, uows: Callable[[], UnitOfWork],
                      wait: float = ROUTING_WAIT_SECONDS) -> dict[str, Any] | None:
    """The case the event became, polled for at most `wait` seconds; None when not yet
    routed, or when the actor may not see it (`actor` None: no scope check, for Open311's
    own tokens)."""
    deadline = time.monotonic() + wait
    while True:
        async with uows() as uow:
            row = await uow.reads.by_source_event(topic, event_id)
            if row is not None:
                if actor is not None and not admits(scope_of(uow, actor), row):
                    return None
                found = {key: row[key] for key in ("case_id", "tracking_code", "status", "owner_cadre_id",
                                                   "handler_cadre_id", "routing")}
                # merged into the petitioner's open case as a repeat, not a case of its own
                return {**found, "linked": (row["source_topic"], row["source_event_id"]) != (topic, event_id)}
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(0.1)
