"""The web UI: server-rendered page shells (Jinja2) with vanilla JS that calls the JSON API
with the bearer token, a few UI-only reads (directory, counts by village, live stream, SVG
charts, the joint-meeting report) and the static assets. Nothing is loaded from a CDN."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent


def install(app: FastAPI) -> None:
    from api.web import chart_routes, data, live, notification_live, pages

    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    for module in (pages, data, live, chart_routes, notification_live):
        app.include_router(module.router)
