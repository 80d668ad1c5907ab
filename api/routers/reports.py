"""The leaders' reports (CONTRACT "Reports"): JSON by default, `?format=xlsx` or
`?format=pdf` for the same content as a file (`?lang=en` for an English file). Every report
is scoped like every other read. The exports are rendered outside the transaction, in a
worker thread, so a PDF never holds the event loop."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime

from api.problems import unprocessable
from api.deps import App, Reader
from api.schemas.problems import answers
from api.schemas.reports import (AssessmentPublic, DiarySummaryPublic, MeetingPublic, TopicsPublic,
                                 VisitingDaysPublic)
from infra.exports.pdf import render_pdf
from infra.exports.xlsx import render_xlsx
from infra.services import assessment, diary_summaries, reports, top_issues
from infra.services.app import Minqing
from infra.services.reads import RecordExport
from infra.services.report_common import Report
from models.access import Actor
from models.reports.periods import midnight

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=answers(401, 403, 503))
Format = Annotated[Literal["json", "xlsx", "pdf"], Query(description="json, or the same content as a file")]
Lang = Annotated[Literal["zh", "en"], Query(description="the language of an XLSX or PDF file")]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default: this month")]
Moment = AwareDatetime | date
FILES = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
         "pdf": ("application/pdf", render_pdf)}
_FILE_ANSWERS: dict[int | str, dict[str, Any]] = {200: {"content": {media: {} for media, _ in FILES.values()}}}


async def answer(report: Report, format: str, lang: str, app: Minqing, actor: Actor) -> Response:
    if format == "json":
        return JSONResponse(jsonable_encoder(report.body))
    await app.handle(RecordExport(actor, f"report:{report.name}", format))  # a file leaves: who took which
    media, render = FILES[format]
    data = await asyncio.to_thread(render, report.document(lang))
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{report.name}.{format}"'})


def _bounded(moment: Moment | None, name: str) -> Moment | None:
    """A report window lies in the years the statutory calendar knows (before 1950 Beijing
    time was local mean time, and nothing was petitioned in Minqing then)."""
    if moment is not None and not 1950 <= moment.year <= 2200:
        raise unprocessable(name, "the year must be between 1950 and 2200", "query")
    return moment


def _start(moment: Moment | None) -> datetime | None:
    """A day alone means from its start (Beijing)."""
    moment = _bounded(moment, "since")
    if moment is None or isinstance(moment, datetime):
        return moment
    return midnight(moment)


def _end(moment: Moment | None) -> datetime | None:
    """A day alone means until its end."""
    moment = _bounded(moment, "until")
    if moment is None or isinstance(moment, datetime):
        return moment
    return midnight(moment + timedelta(days=1))


@router.get("/meeting", response_model=MeetingPublic, responses=_FILE_ANSWERS)
async def meeting(app: App, actor: Reader,
                  since: Annotated[Moment | None, Query(description="default: the previous meeting day")] = None,
                  until: Annotated[Moment | None, Query(description="default: now")] = None,
                  format: Format = "json", lang: Lang = "zh") -> Response:
    """The Monday/Thursday joint-meeting report with the meetings' 督办 items until closed."""
    found = await app.handle(reports.MeetingReport(actor, _start(since), _end(until)))
    return await answer(found, format, lang, app, actor)


@router.get("/visiting-days", response_model=VisitingDaysPublic, responses=_FILE_ANSWERS)
async def visiting_days(app: App, actor: Reader, month: Month = None, format: Format = "json",
                        lang: Lang = "zh") -> Response:
    """Per two-committee member: days with a diary entry in the month, and the shortfall against 7."""
    return await answer(await app.handle(reports.VisitingDaysReport(actor, month)), format, lang, app, actor)


@router.get("/assessment", response_model=AssessmentPublic, responses=_FILE_ANSWERS)
async def village_assessment(app: App, actor: Reader,
                             period: Annotated[str | None, Query(pattern=r"^\d{4}(-[Qq][1-4])?$",
                                                                 description="YYYY-Qn or YYYY; default: this quarter")
                                               ] = None,
                             format: Format = "json", lang: Lang = "zh") -> Response:
    """Each village's score, 1–5 stars and rank, every score explained by its parts."""
    return await answer(await app.handle(assessment.AssessmentReport(actor, period)), format, lang, app, actor)


@router.get("/topics", response_model=TopicsPublic, responses=_FILE_ANSWERS)
async def topics(app: App, actor: Reader, month: Month = None, format: Format = "json",
                 lang: Lang = "zh") -> Response:
    """Candidates for the month's top issue (每月一题), and the month's pick(s) with their follow-up."""
    return await answer(await app.handle(top_issues.TopicsReport(actor, month)), format, lang, app, actor)


@router.get("/diary-summary", response_model=DiarySummaryPublic, responses=_FILE_ANSWERS)
async def diary_summary(app: App, actor: Reader,
                        village: Annotated[str, Query(pattern=r"^\d{12}$")],
                        period: Annotated[str | None, Query(pattern=r"^\d{4}-[Bb][1-6]$",
                                                            description="YYYY-Bn; default: the latest that ended")
                                          ] = None,
                        format: Format = "json", lang: Lang = "zh") -> Response:
    """A village's bi-monthly diary summary, and the villages in reach that have not submitted."""
    found = await app.handle(diary_summaries.ReadDiarySummary(actor, village, period))
    return await answer(found, format, lang, app, actor)
