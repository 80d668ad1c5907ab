"""Open311 GeoReport v2 at `/open311/v2/`: services, service definitions, requests (list with
the spec's filters, create with an `api_key`, read one) and tokens, as `.json` or `.xml`.

An `api_key` is a Minqing bearer token of an operator, petition staff or admin. Without one,
GET requests shows the public view: no descriptions, and no complaint, report or accusing case.
Send it in the `X-Api-Key` header: the spec's `api_key` parameter still works, but a key in a
URL lands in logs and histories (Minqing's access log blanks query values).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Path, Request
from fastapi.responses import Response

from api.deps import App
from api.open311 import services as svc311
from api.open311.formats import FORMATS, render
from infra.services.errors import ServiceError
from infra.services.open311 import DescribeService, ListServices
from infra.services.submissions import SubmitEvent, routed_case
from models.access import OPEN311_CREATORS, Actor

router = APIRouter(prefix="/open311/v2", tags=["open311"])
discovery_router = APIRouter(prefix="/open311", tags=["open311"])
ANSWERS: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {}, "text/xml": {}}}}
Fmt = Annotated[str, Path(pattern=r"^(json|xml)$", description="json or xml")]
ApiKeyHeader = Annotated[str | None, Header(alias="X-Api-Key", max_length=200,
                                            description="the api_key, kept out of URLs (preferred)")]


def error(fmt: str, code: int, description: str) -> Response:
    return render(fmt if fmt in FORMATS else "xml", "errors", [{"code": code, "description": description}], code)


async def key_holder(app: Any, api_key: str | None, request: Request) -> Actor | None:
    """The key's holder, with the address they call from (the audit log names it)."""
    if not api_key:
        return None
    return await app.access.authenticate(api_key, address=request.client.host if request.client else None)


@discovery_router.get("/discovery.{fmt}", responses=ANSWERS)
async def discovery(fmt: Fmt, request: Request) -> Response:
    """Service discovery: where the GeoReport v2 endpoint is and what it speaks."""
    base = str(request.base_url).rstrip("/")
    return render(fmt, "discovery", {
        "changeset": "2026-11-29T00:00:00Z", "contact": "the township petition office (信访办)",
        "key_service": "api_key: a Minqing bearer token of an operator or petition staff",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": f"{base}/open311/v2",
                       "changeset": "2026-11-29T00:00:00Z", "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


@router.get("/services.{fmt}", responses=ANSWERS)
async def services(fmt: Fmt, app: App) -> Response:
    catalogue, _ = await app.handle(ListServices())
    return render(fmt, "services", [svc311.service(c) for c in catalogue.categories])


@router.get("/services/{service_code}.{fmt}", responses=ANSWERS)
async def service_definition(service_code: str, fmt: Fmt, app: App) -> Response:
    try:
        category, roster = await app.handle(DescribeService(service_code))
    except ServiceError as refusal:
        return error(fmt, 404, refusal.message)
    return render(fmt, "service_definition", svc311.definition(category, roster))


@router.post("/requests.{fmt}", responses={201: ANSWERS[200]}, status_code=201)
async def create_request(
    fmt: Fmt, app: App, request: Request,
    api_key: Annotated[str | None, Form(max_length=200)] = None,
    service_code: Annotated[str | None, Form(max_length=32)] = None,
    address_id: Annotated[str | None, Form(max_length=64)] = None,
    address_string: Annotated[str | None, Form(max_length=400)] = None,
    lat: Annotated[str | None, Form(max_length=32)] = None, long: Annotated[str | None, Form(max_length=32)] = None,
    first_name: Annotated[str | None, Form(max_length=32)] = None,
    last_name: Annotated[str | None, Form(max_length=32)] = None,
    phone: Annotated[str | None, Form(max_length=32)] = None, email: Annotated[str | None, Form(max_length=200)] = None,
    description: Annotated[str | None, Form(max_length=4000)] = None,
    village: Annotated[str | None, Form(alias="attribute[village_code]", max_length=12)] = None,
    kind: Annotated[str | None, Form(alias="attribute[kind]", max_length=16)] = None,
    urgency: Annotated[str | None, Form(alias="attribute[urgency]", max_length=8)] = None,
    x_api_key: ApiKeyHeader = None,
) -> Response:
    actor = await key_holder(app, x_api_key or api_key, request)
    if actor is None or actor.role not in OPEN311_CREATORS:
        return error(fmt, 403, "api_key: missing or not valid")
    village_code = village or address_id
    if not village_code:
        return error(fmt, 400, "attribute[village_code]: required (or address_id): the 12-digit code of one of "
                               "the township's villages")
    catalogue, _ = await app.handle(ListServices())
    if service_code not in catalogue.codes():
        return error(fmt, 400, f"service_code: no service {service_code!r}")
    name = " ".join(p for p in (last_name, first_name) if p) or None
    summary = (description or catalogue.get(service_code).label).strip()
    fields = {"occurred_at": None, "village_code": village_code, "category": service_code,
              "summary": summary[:200] or "-", "details": description if len(summary) > 200 else None,
              "kind": kind or "help", "urgency": urgency or "normal",
              "caller": {"name": name, "phone": phone, "anonymous": not (name or phone)}}
    try:
        submitted = await app.submit(SubmitEvent(actor, "hotline.calls", fields, via="open311"))
    except ServiceError as refusal:
        return error(fmt, 400, f"{refusal.params.get('field', 'request')}: {refusal.message}".replace("\n", " "))
    found = submitted.case
    notice = f"track it with tracking code {found['tracking_code']}" if found else "accepted; routing in progress"
    answer = ({"service_request_id": found["case_id"], "service_notice": notice, "account_id": None} if found
              else {"token": submitted.event_id, "service_notice": notice, "account_id": None})
    return render(fmt, "requests", [answer], 201)


@router.get("/tokens/{token}.{fmt}", responses=ANSWERS)
async def token(token: str, fmt: Fmt, app: App) -> Response:
    found = await routed_case(None, "hotline.calls", token, app.uows, wait=0) if token.startswith("open311-") else None
    if found is None:
        return error(fmt, 404, f"token: no request for token {token!r} (yet)")
    return render(fmt, "requests", [{"service_request_id": found["case_id"], "token": token}])
