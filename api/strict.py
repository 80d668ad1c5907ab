"""Unknown query parameters are refused with 422, never silently ignored: a misspelt filter
(`?tracking_cod=…`) must not answer with every case in reach."""
from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


class StrictQueryRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known = {param.alias for param in _query_params(self)}

        async def strict(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                raise RequestValidationError([
                    {"loc": ("query", name), "msg": f"unknown query parameter; known: {', '.join(sorted(known)) or 'none'}",
                     "type": "extra_forbidden", "input": request.query_params.get(name)} for name in unknown])
            return await handler(request)

        return strict


def _query_params(route: APIRoute) -> list[Any]:
    found = list(route.dependant.query_params)
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        found += dependant.query_params
        pending += dependant.dependencies
    return found
