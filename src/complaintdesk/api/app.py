"""The application factories: ``uvicorn --factory complaintdesk.api.app:create_server_app``."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from complaintdesk import knowledge
from complaintdesk.api.errors import RefuseNul, install_error_handlers
from complaintdesk.api.json_response import JSONResponse
from complaintdesk.api.knowledge_refresh import KnowledgeRefresh
from complaintdesk.api.openapi import install_openapi
from complaintdesk.api.routes import (
    accounts,
    approvals,
    attachments,
    channels,
    complaints,
    customers,
    data,
    engines,
    inbox,
    reference,
    search,
    tracking,
    views,
    webhooks,
)
from complaintdesk.api.routes import knowledge as knowledge_routes
from complaintdesk.services import reading
from complaintdesk.services.bootstrap import Desk, open_desk
from complaintdesk.settings import get_settings
from complaintdesk.web.routes import STATIC_DIR
from complaintdesk.web.routes import router as web_router

API_PREFIX = "/api/v1"
log = logging.getLogger(__name__)

# Allocations (net of frees) between young-generation collections; CPython's default is 700, which
# a single intake request crosses several times.
GC_YOUNG_THRESHOLD = 10_000


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The handlers are synchronous: they run on anyio's thread pool, sized here per worker (with
    # handlers on the event loop, one thread remains for the web pages and the rare lookups).
    threads = max(1, get_settings().api_threads)
    to_thread.current_default_thread_limiter().total_tokens = threads
    await to_thread.run_sync(app.state.desk.open_connections, threads)
    if app.state.desk.settings.warm_up_on_start:
        await to_thread.run_sync(reading.warm_up)
        await to_thread.run_sync(app.state.desk.warm_up_storage)
        await _route_one_request(app)
    if app.state.settle_heap:
        _settle_heap()
    yield


async def _route_one_request(app: FastAPI) -> None:
    """Send one request for a path nothing serves through the whole application, so that FastAPI
    builds its middleware stack and every route's parameter model now (it does both on first use:
    about 60 ms, paid by a fresh worker's first caller otherwise)."""
    path = f"{API_PREFIX}/-/warm-up"
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
        "headers": [], "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), "state": {},
    }  # fmt: skip

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: object) -> None:
        return None

    await app(scope, receive, send)


def _settle_heap() -> None:
    """Exempt everything loaded at start (lexicons, word lists, mappers: about 160,000 objects) from
    garbage collection, and collect the young generation less often.

    A full collection walks every tracked object while holding the GIL: measured under load, each
    one stopped its worker for 100-285 ms, the largest source of the slowest requests. What start-up
    loads lives as long as the process, so walking it again finds nothing.
    """
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def create_server_app() -> FastAPI:
    """The factory ``complaintdesk serve`` gives uvicorn: ``create_app`` tuned for a long-lived worker
    process (see ``_settle_heap``). Tests and embedders use ``create_app``, which leaves the
    process's garbage collector as it found it."""
    return create_app(settle_heap=True)


def create_app(desk: Desk | None = None, *, settle_heap: bool = False) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="complaintdesk API",
        version="1",
        description='投诉处理平台 REST API。错误统一为 {"error": {"code", "message", "field"}}。',
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        default_response_class=JSONResponse,
    )
    app.state.desk = desk or open_desk()
    # The centre's knowledge directory, validated: a broken file stops the server here, named.
    knowledge.serve(app.state.desk.settings)
    app.state.settle_heap = settle_heap
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(RefuseNul)
    app.add_middleware(KnowledgeRefresh, settings=app.state.desk.settings)
    # Routes are matched in order, and each included router costs a pass over its routes: the
    # complaint routes, which serve nearly every request of the load (intake, queue, workflow), come
    # first. The routers before them here declare no path of the same shape (approvals has
    # /complaints/{number}/approvals, which no complaint route matches), so the order decides nothing else.
    modules = (
        complaints, accounts, inbox, views, approvals, tracking, customers, reference, data, search, webhooks, engines, attachments, channels
    )
    for module in (*modules, knowledge_routes):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(web_router)  # the web workspace and its static files
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app
