"""Forms a cadre fills in the field: a diary entry (民情日记) and a contact-card (联心卡)
feedback, produced to their topics through the same durable outbox as hotline calls."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from api import outbox
from api.deps import CadreCaller, Services
from api.intake_checks import check_against_roster
from api.intake_answer import accept_event
from api.schemas.intake import ContactCardCreate, DiaryCreate, EventAccepted
from api.schemas.problems import answers
from models.intake import ContactCardFeedback, DiaryEntry

router = APIRouter(prefix="/api/v1", tags=["cadre"], responses=answers(401, 403, 413, 503))


def _me(caller: CadreCaller) -> str:
    if caller.cadre_id is None or not caller.roster.has_cadre(caller.cadre_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only a cadre of the roster records field forms")
    return caller.cadre_id


@router.post("/diary", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def record_diary(body: DiaryCreate, svc: Services, caller: CadreCaller) -> EventAccepted:
    me = _me(caller)
    if body.author_cadre_id not in (None, me):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "author_cadre_id: a diary entry is always the caller's own")
    check_against_roster(caller.roster, body.village_code, body.category, {})
    entry = DiaryEntry.model_validate({**body.model_dump(), "author_cadre_id": me,
                                       "event_id": body.event_id or outbox.new_event_id("diary")})
    return await accept_event(svc, "diary.entries", entry)


@router.post("/contact-cards", response_model=EventAccepted, status_code=status.HTTP_202_ACCEPTED)
async def record_contact_card(body: ContactCardCreate, svc: Services, caller: CadreCaller) -> EventAccepted:
    me = _me(caller)
    check_against_roster(caller.roster, body.village_code, body.category, {"card_cadre_id": body.card_cadre_id})
    feedback = ContactCardFeedback.model_validate({**body.model_dump(), "card_cadre_id": body.card_cadre_id or me,
                                                   "event_id": body.event_id or outbox.new_event_id("card")})
    return await accept_event(svc, "contactcard.feedback", feedback)
