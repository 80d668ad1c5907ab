"""No route's dependency is a plain function: FastAPI runs those in its thread pool, a thread
hop per request that costs more CPU than the dependency itself (issue 12: the API's CPU per
request decides how many requests two cores answer)."""
from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.app import create_api
from infra.bootstrap import bootstrap


def _calls(dependant: Dependant) -> Iterator[tuple[str, object]]:
    for sub in dependant.dependencies:
        yield from _calls(sub)
        if sub.call is not None:
            yield getattr(sub.call, "__qualname__", type(sub.call).__qualname__), sub.call


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every API route, also inside included routers (FastAPI keeps those as one entry each)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)


def _runs_on_the_loop(call: object) -> bool:
    # a function, or an instance of a class whose __call__ is a coroutine (fastapi.security's)
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


def test_every_dependency_of_every_route_runs_on_the_event_loop() -> None:
    app = create_api(bootstrap("postgresql+asyncpg://nobody@127.0.0.1:9/none").app)  # never connected
    routes = list(_api_routes(app.routes))
    assert len(routes) > 50
    seen = {name: call for route in routes for name, call in _calls(route.dependant)}
    assert any("needs.<locals>.check" in name for name in seen)  # the walk reaches the capability checks
    on_threads = sorted(name for name, call in seen.items() if not _runs_on_the_loop(call))
    assert on_threads == []
    endpoints = sorted(route.path for route in routes if not inspect.iscoroutinefunction(route.endpoint))
    assert endpoints == []
