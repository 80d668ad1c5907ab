"""The Monday/Thursday joint-meeting report: new, closed, overdue and escalated cases since
the last meeting, by village, with the top categories of the new ones."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import App, Reader
from infra.services.insight import MeetingReport

router = APIRouter(prefix="/ui/api", tags=["web"], include_in_schema=False)


@router.get("/report")
async def meeting_report(app: App, actor: Reader,
                         since: Annotated[date | None, Query(description="default: the last meeting day")] = None
                         ) -> dict[str, Any]:
    return await app.handle(MeetingReport(actor, since))  # type: ignore[no-any-return]
