"""The FastAPI app factory. Nothing connects here: the service layer is handed in."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api import errors
from api.limits import RequestGuard
from api.observe import Observe
from api.routers import (admin, auth, cadre, calendar, cases, catalogue, field, health, leader, notifications,
                         open311, open311_requests, operator, public, rates, report_actions, reports)
from api.schema_gate import SchemaGate
from api.security_headers import SecurityHeaders
from api.web import install as install_web
from infra.services.app import Minqing


def create_api(minqing: Minqing, probe: Any = None) -> FastAPI:
    """`probe`: `/healthz`, `/metrics` and the schema gate (`infra.operations.Operations`, built by
    `infra.bootstrap.health_probe`); without one `/healthz` says degraded and `/metrics` shows
    this process alone."""
    app = FastAPI(title="Minqing 民情", version="0.3.0",
                  description="Petition and mass-affairs cases: who is visited is responsible. Bearer tokens "
                              "(`minqing token create` or `POST /api/v1/auth/login`); Open311 GeoReport v2 "
                              "at `/open311/v2/`.")
    app.state.minqing = minqing
    app.state.health = probe
    errors.install(app)
    for module in (health, auth, public, cases, operator, cadre, field, leader, rates, admin, catalogue, calendar,
                   open311, open311_requests, reports, report_actions, notifications):
        app.include_router(module.router)
    app.include_router(open311.discovery_router)
    install_web(app)
    app.add_middleware(RequestGuard)
    app.add_middleware(SchemaGate)
    app.add_middleware(SecurityHeaders)  # every answer, the guards' refusals included
    app.add_middleware(Observe)  # outermost: ids and timing cover the guards' answers too
    return app
