"""The FastAPI app factory. Nothing connects here: the engine is handed in."""
from __future__ import annotations

from fastapi import FastAPI

from api import errors
from api.deps import ApiServices
from api.limits import RequestGuard
from api.security_headers import SecurityHeaders
from api.web import install as install_web
from api.routers import (admin, auth, cadre, cases, catalogue, field, health, leader, open311, open311_requests,
                         operator, public, rates)


def create_api(services: ApiServices) -> FastAPI:
    app = FastAPI(title="Minqing 民情", version="0.2.0",
                  description="Petition and mass-affairs cases: who is visited is responsible. Bearer tokens "
                              "(`minqing token create` or `POST /api/v1/auth/login`); Open311 GeoReport v2 "
                              "at `/open311/v2/`.")
    app.state.services = services
    errors.install(app)
    for module in (health, auth, public, cases, operator, cadre, field, leader, rates, admin, catalogue,
                   open311, open311_requests):
        app.include_router(module.router)
    app.include_router(open311.discovery_router)
    install_web(app)
    app.add_middleware(RequestGuard)
    app.add_middleware(SecurityHeaders)  # outermost: the guard's own refusals get the headers too
    return app
