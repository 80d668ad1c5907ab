"""Forms a cadre fills in the field: a diary entry (民情日记) and a contact-card (联心卡)
feedback, produced to their topics through the same durable outbox as hotline calls."""
from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import App, FieldCadre
from api.schemas.intake import ContactCardCreate, DiaryCreate, EventAccepted, ReceptionCreate, accepted
from api.schemas.problems import answers
from api.strict import StrictQueryRoute
from infra.services.submissions import SubmitEvent

router = APIRouter(prefix="/api/v1", tags=["cadre"], responses=answers(401, 403, 413, 503),
                   route_class=StrictQueryRoute)


@router.post("/diary", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def record_diary(body: DiaryCreate, app: App, actor: FieldCadre) -> EventAccepted:
    fields = body.model_dump(exclude_none=True, mode="json")
    return accepted(await app.submit(SubmitEvent(actor, "diary.entries", fields)))


@router.post("/contact-cards", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def record_contact_card(body: ContactCardCreate, app: App, actor: FieldCadre) -> EventAccepted:
    fields = body.model_dump(exclude_none=True, mode="json")
    return accepted(await app.submit(SubmitEvent(actor, "contactcard.feedback", fields)))


@router.post("/reception-visits", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def record_reception_visit(body: ReceptionCreate, app: App, actor: FieldCadre) -> EventAccepted:
    """A leader's reception day (领导接访日): visitors, representatives, accused; the receiving
    leader owns the case (谁接访谁负责)."""
    fields = body.model_dump(exclude_none=True, mode="json")
    return accepted(await app.submit(SubmitEvent(actor, "reception.visits", fields)))
