"""Errors users can read: every validation error names the field and the reason; a refused
action says the case's state and what it allows instead; every answer carries a `code` (and
`params`) the web UI translates; Open311 paths answer in the GeoReport error format."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.open311.formats import error_response
from infra.services.errors import Conflict, Forbidden, Invalid, LoginFailed, NotFound, ServiceError, Unavailable

OPEN311 = "/open311/"
_STATUS = ((NotFound, 404), (Forbidden, 403), (Conflict, 409), (Invalid, 422), (Unavailable, 503),
           (LoginFailed, 401))


def _where(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [{"loc": list(p["loc"]), "msg": p["msg"], "type": p["type"], "field": _where(p["loc"][1:] or p["loc"]),
                 **({"ctx": jsonable_encoder(p["ctx"], custom_encoder={Exception: str})} if p.get("ctx") else {})}
                for p in error.errors()]
    message = "; ".join(f"{p['field']}: {p['msg']}" for p in problems)
    if request.url.path.startswith(OPEN311):
        unknown_format = any(tuple(p["loc"]) == ("path", "fmt") for p in problems)
        return error_response(request.url.path, 404 if unknown_format else 400, message)
    return JSONResponse({"detail": jsonable_encoder(problems), "message": message, "code": "invalid"},
                        status_code=422)


def status_of(error: ServiceError) -> int:
    return next((code for kind, code in _STATUS if isinstance(error, kind)), 400)


async def _service(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    status, headers = status_of(error), None
    if isinstance(error, LoginFailed) and error.retry_after is not None:
        status, headers = 429, {"Retry-After": str(error.retry_after)}
    if request.url.path.startswith(OPEN311):
        return error_response(request.url.path, 400 if status == 422 else status, error.message)
    body: dict[str, Any] = {"detail": error.message, "code": error.code, "params": jsonable_encoder(error.params)}
    if isinstance(error, Conflict):
        body.update(state=error.state, allowed_actions=error.allowed_actions)
    if isinstance(error, Invalid):
        body.update(message=f"{error.field}: {error.message}",
                    detail=[{"loc": [error.where, *error.field.split(".")], "msg": error.message, "type": "value_error",
                             "field": error.field}])
    if status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse(body, status_code=status, headers=headers)


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if request.url.path.startswith(OPEN311):
        detail = error.detail if isinstance(error.detail, str) else "; ".join(
            f"{p['field']}: {p['msg']}" for p in error.detail)
        return error_response(request.url.path, error.status_code, detail)
    body: dict[str, Any] = {"detail": error.detail}
    if isinstance(error.detail, list):  # see api.problems
        body["message"] = "; ".join(f"{p['field']}: {p['msg']}" for p in error.detail)
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ServiceError, _service)
    app.add_exception_handler(StarletteHTTPException, _http)
