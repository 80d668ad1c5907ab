"""The FastAPI app factory. Nothing connects here: the engine is handed in."""
from __future__ import annotations

from fastapi import FastAPI

from api.deps import ApiServices
from api.routers import cases, health


def create_api(services: ApiServices) -> FastAPI:
    app = FastAPI(title="Minqing 民情", version="0.1.0",
                  description="Petition and mass-affairs cases: who is visited is responsible.")
    app.state.services = services
    app.include_router(health.router)
    app.include_router(cases.router)
    return app
