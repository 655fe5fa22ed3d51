"""Where the API's synchronous handlers run: on the thread pool (the default), or on the worker's
event loop itself when ``COMPLAINTDESK_API_THREADS=0``.

A handler on the thread pool costs a hand-off to a thread and back, and its thread competes with the
event loop for the GIL at every database round trip. Run on the event loop, a worker answers one
request at a time and several worker processes share the load instead; measured at 200 req/s on two
cores, three such workers (each on a socket of its own) kept p99 under 50 ms in 14 of 21 runs, two
workers of four threads in 3 of 15 (docs/api.md, Load). The price: one slow request holds up the others queued
on its worker, so this mode wants several workers (``complaintdesk serve --workers N``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute, _effective_route_context_var
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from complaintdesk.api.fast_handler import fast_handler, plan_for
from complaintdesk.settings import get_settings


def handlers_on_event_loop() -> bool:
    return get_settings().api_threads == 0


def _dispatching(handler: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(handler)  # FastAPI reads the parameters and their annotations through __wrapped__
    async def dispatch(*args: Any, **kwargs: Any) -> Any:
        if handlers_on_event_loop():
            return handler(*args, **kwargs)
        return await run_in_threadpool(handler, *args, **kwargs)

    return dispatch


class DispatchingRoute(APIRoute):
    """An API route whose synchronous handler runs where ``handlers_on_event_loop`` says."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _dispatching(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, behind ``fast_handler``'s fixed plan when the route's parameters allow one.
        Built for the route as FastAPI builds it: the included route's context (prefix, the router's
        dependencies) when this route is being included, else the route itself."""
        standard = super().get_route_handler()
        context = _effective_route_context_var.get()
        route = context if context is not None and context.original_route is self else self
        plan = plan_for(route)
        return standard if plan is None else fast_handler(plan, standard)
