"""Errors users can read: every validation error names the field and the reason; a refused
action says the case's state and what it allows instead; Open311 paths answer in the
GeoReport error format."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.acting import ActionRefused
from api.open311.formats import error_response

OPEN311 = "/open311/"


def _where(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc) or "request"


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [{"loc": list(p["loc"]), "msg": p["msg"], "type": p["type"], "field": _where(p["loc"][1:] or p["loc"])}
                for p in error.errors()]
    message = "; ".join(f"{p['field']}: {p['msg']}" for p in problems)
    if request.url.path.startswith(OPEN311):
        unknown_format = any(tuple(p["loc"]) == ("path", "fmt") for p in problems)
        return error_response(request.url.path, 404 if unknown_format else 400, message)
    return JSONResponse({"detail": jsonable_encoder(problems), "message": message}, status_code=422)


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, ActionRefused)
    return JSONResponse({"detail": error.message, "state": error.state, "allowed_actions": error.allowed_actions},
                        status_code=409)


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if request.url.path.startswith(OPEN311):
        detail = error.detail if isinstance(error.detail, str) else "; ".join(
            f"{p['field']}: {p['msg']}" for p in error.detail)
        return error_response(request.url.path, error.status_code, detail)
    body = {"detail": error.detail}
    if isinstance(error.detail, list):  # see api.problems
        body["message"] = "; ".join(f"{p['field']}: {p['msg']}" for p in error.detail)
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ActionRefused, _refused)
    app.add_exception_handler(StarletteHTTPException, _http)
