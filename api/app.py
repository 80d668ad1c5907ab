"""The FastAPI app factory. Nothing connects here: the engine is handed in."""
from __future__ import annotations

from fastapi import FastAPI

from api import errors
from api.deps import ApiServices
from api.limits import RequestGuard
from api.observe import Observe
from api.schema_gate import SchemaGate
from api.web import install as install_web
from api.routers import (admin, auth, cadre, cases, catalogue, field, health, leader, open311, open311_requests,
                         operator, public, rates)
from infra.kafka_access import KafkaAccess
from infra.operations import Operations
from infra.schema_version import SchemaWatch


def create_api(services: ApiServices, operations: Operations | None = None) -> FastAPI:
    app = FastAPI(title="Minqing 民情", version="0.2.0",
                  description="Petition and mass-affairs cases: who is visited is responsible. Bearer tokens "
                              "(`minqing token create` or `POST /api/v1/auth/login`); Open311 GeoReport v2 "
                              "at `/open311/v2/`.")
    app.state.services = services
    app.state.operations = operations or _plain_operations(services)
    errors.install(app)
    for module in (health, auth, public, cases, operator, cadre, field, leader, rates, admin, catalogue,
                   open311, open311_requests):
        app.include_router(module.router)
    app.include_router(open311.discovery_router)
    install_web(app)
    app.add_middleware(RequestGuard)
    app.add_middleware(SchemaGate)
    app.add_middleware(Observe)  # outermost: ids and timing cover the guards' answers too
    return app


def _plain_operations(services: ApiServices) -> Operations:
    """Health and metrics of this process alone, over a plaintext broker (tests, embedded)."""
    return Operations(engine=services.engine, clock=services.clock, topic_of=services.topic,
                      kafka=KafkaAccess(services.kafka_bootstrap), schema=SchemaWatch(services.engine))
