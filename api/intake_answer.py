"""Accepting an input event through the API: store it for the relay, then report the case."""
from __future__ import annotations


from pydantic import BaseModel
from sqlalchemy import select

from api import outbox
from api.deps import ApiServices, Caller
from api.schemas.intake import EarlierCase, EventAccepted, RoutedCase
from infra.db import case_queries
from infra.db.tables import cases
from models.petitioners import normalise_phone


async def accept_event(svc: ApiServices, topic: str, event: BaseModel, *, earlier: list[EarlierCase] | None = None,
                       wait: float = outbox.ROUTING_WAIT_SECONDS) -> EventAccepted:
    event_id = getattr(event, "event_id")
    async with svc.engine.begin() as conn:
        await outbox.enqueue(conn, svc.topic(topic), event, svc.clock())
    found = await outbox.routed_case(svc.engine, topic, event_id, wait)
    return EventAccepted(event_id=event_id, topic=svc.topic(topic),
                         case=RoutedCase(**found) if found else None, earlier_cases=earlier or [])


async def earlier_cases(svc: ApiServices, caller: Caller, phone: str | None) -> list[EarlierCase]:
    """The caller's earlier cases the operator may see (the scope applies here too)."""
    if not phone:
        return []
    query = case_queries.scoped(
        select(cases.c.case_id, cases.c.tracking_code, cases.c.status, cases.c.category, cases.c.summary,
               cases.c.created_at, cases.c.owner_cadre_id), caller.scope)
    async with svc.engine.connect() as conn:
        rows = await conn.execute(query.where(cases.c.petitioner_phone == normalise_phone(phone))
                                  .order_by(cases.c.created_at.desc()).limit(20))
        return [EarlierCase(**row._mapping) for row in rows]
