"""Page shells. Each page is the same layout with its own template and script; the data
comes from the JSON API in the browser, with the token the login page stored."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.web import HERE
from api.web.i18n import LANGUAGES, catalogue, language_of, translator

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
TIME_ZONE = "Asia/Shanghai"
# The token lives in sessionStorage and is read by our own scripts only: no inline script,
# no other origin, no framing (api.security_headers puts the policy on every response).

# path → (template, title key); the template names its script
PAGES: dict[str, tuple[str, str]] = {
    "/ui/": ("login.html", "login.title"),
    "/ui/desk": ("desk.html", "desk.title"),
    "/ui/callbacks": ("callbacks.html", "callbacks.title"),
    "/ui/inbox": ("inbox.html", "inbox.title"),
    "/ui/cases": ("cases.html", "cases.title"),
    "/ui/field": ("field.html", "field.title"),
    "/ui/dashboard": ("dashboard.html", "dashboard.title"),
    "/ui/calendar": ("calendar.html", "calendar.title"),
    "/ui/report": ("reports-meeting.html", "reports.meeting.title"),
    "/ui/reports": ("reports.html", "reports.title"),
    "/ui/reports/meeting": ("reports-meeting.html", "reports.meeting.title"),
    "/ui/reports/visiting-days": ("reports-visiting.html", "reports.visiting.title"),
    "/ui/reports/assessment": ("reports-assessment.html", "reports.assessment.title"),
    "/ui/reports/topics": ("reports-topics.html", "reports.topics.title"),
    "/ui/reports/diary": ("reports-diary.html", "reports.diary.title"),
    "/track": ("track.html", "track.title"),
    "/ui/notifications": ("notifications.html", "notify.title"),
    "/ui/deliveries": ("deliveries.html", "deliveries.title"),
}


def render(request: Request, template: str, title_key: str, **context: object) -> HTMLResponse:
    lang = language_of(request)
    t = translator(lang)
    response = templates.TemplateResponse(request, template, {
        "t": t, "lang": lang, "languages": LANGUAGES, "title": t(title_key), "time_zone": TIME_ZONE,
        "texts_json": json.dumps(catalogue(lang), ensure_ascii=False).replace("</", "<\\/"), **context})
    return response


def _page(template: str, title_key: str) -> Callable[[Request], Awaitable[HTMLResponse]]:
    async def page(request: Request) -> HTMLResponse:
        return render(request, template, title_key)
    return page


for _path, (_template, _title) in PAGES.items():
    router.add_api_route(_path, _page(_template, _title), methods=["GET"], response_class=HTMLResponse)


@router.get("/ui/cases/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: str) -> HTMLResponse:
    return render(request, "case.html", "case.title", case_id=case_id)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/ui/")


@router.get("/ui")
async def ui_home() -> RedirectResponse:
    return RedirectResponse("/ui/")
