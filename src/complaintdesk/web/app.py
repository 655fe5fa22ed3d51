"""A pages-only app for tests and local work; production serves ``router`` from the API app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.web.routes import STATIC_DIR, router


def create_web_app(desk: Desk | None = None) -> FastAPI:
    app = FastAPI(title="complaintdesk web", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.desk = desk or open_desk()
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
