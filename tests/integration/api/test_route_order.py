"""The routers are included in the order that serves the load fastest (the complaint routes first);
that order must never change which route answers a request."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import compile_path

from complaintdesk.api.app import API_PREFIX, create_app
from complaintdesk.services.bootstrap import Desk


def _api_routes_in_order(app: FastAPI) -> list[tuple[str, frozenset[str], Any]]:
    """(full path, methods, endpoint) of every API route, in the order the application tries them."""
    found: list[tuple[str, frozenset[str], Any]] = []
    for entry in app.routes:
        router = getattr(entry, "original_router", None)
        if router is None:
            continue
        prefix = entry.include_context.prefix  # type: ignore[attr-defined]
        for route in router.routes:
            if isinstance(route, APIRoute):
                found.append((prefix + route.path, frozenset(route.methods), route.endpoint))
    return found


def _sample_path(path: str) -> str:
    return re.sub(r"\{(\w+)(:int)?\}", lambda m: "7" if m.group(2) else f"x{m.group(1)}", path)


def test_every_api_route_answers_its_own_path_whatever_the_router_order(desk: Desk) -> None:
    routes = _api_routes_in_order(create_app(desk))
    assert routes[0][0].startswith(f"{API_PREFIX}/complaints"), "the complaint routes come first"
    compiled = [(compile_path(path)[0], methods, endpoint) for path, methods, endpoint in routes]
    shadowed = []
    for path, methods, endpoint in routes:
        sample = _sample_path(path)
        for method in methods:
            first = next(e for regex, ms, e in compiled if method in ms and regex.match(sample))
            if first is not endpoint:
                shadowed.append(f"{method} {path} answered by {first.__name__}")
    assert not shadowed
