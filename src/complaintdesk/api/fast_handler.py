"""A request handler for the API's plain routes that skips FastAPI's generic dependency solving when the
request is the ordinary valid one, and hands every other request to FastAPI's own handler.

FastAPI solves a route's parameters anew on each request: for every dependant it walks four kinds of
parameter, builds a sub-response, a dependency cache and its keys, and parses the body's content type
with ``email.message``. For a route whose parameters are plain (the request, path / query / header
values, one JSON body model, dependencies that are coroutines without parameters of their own beyond
those) the same work is a fixed plan, made once when the route is built (``plan_for``):

* every parameter is read and validated by FastAPI's own field (``ModelField.validate``), with the
  same default when it is absent, and the body by the body field with ``loc=("body",)``; the body is
  read as JSON only when its content type is exactly ``application/json``;
* the dependencies are awaited in FastAPI's order, then the endpoint, whose return is a ``Response``.

Anything else — a validation error, a missing required value, another content type, an empty or
unparsable body, dependency overrides, FastAPI's telemetry — goes to FastAPI's handler untouched, so
errors, their wording and their order (a dependency's 401 before a body's 422) are FastAPI's. Values
are validated before any dependency runs: a request that falls back has run none of them, and one that
does not has run them once, in order, as FastAPI would.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Coroutine
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from fastapi import params
from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import (
    _get_form_models,
    _get_param_aliases,
    _get_param_model,
    _is_json_field,
    _should_embed_body_fields,
)
from fastapi.telemetry._api import _get_request_telemetry
from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_SOURCES = {"path": "path_params", "query": "query_params", "header": "headers"}


@dataclass(frozen=True)
class _Param:
    name: str
    alias: str
    source: str  # the Request attribute the value is read from
    field: Any  # FastAPI's ModelField
    loc: tuple[str, str]


@dataclass(frozen=True)
class _Step:
    """A dependant: its parameters, and (for a dependency) what it is called and bound as."""

    call: Callable[..., Any]
    name: str | None
    params: tuple[_Param, ...]
    request_name: str | None


@dataclass(frozen=True)
class Plan:
    dependencies: tuple[_Step, ...]
    endpoint: _Step
    body_field: Any  # None when the route takes no body
    overrides: Any


def _params(dependant: Dependant) -> tuple[_Param, ...] | None:
    if dependant.cookie_params:
        return None
    found = []
    for kind, fields in (("path", dependant.path_params), ("query", dependant.query_params),
                         ("header", dependant.header_params)):  # fmt: skip
        for field in fields:
            info = field.field_info
            aliases = _get_param_aliases(field)
            if (
                not isinstance(info, params.Param) or len(aliases) != 1 or _get_param_model(field) is not None
                or _is_json_field(field) or field_annotation_is_sequence(info.annotation)
            ):  # fmt: skip
                return None  # a list, a model of parameters or Json: FastAPI's own handling
            alias = aliases[0][1]
            found.append(_Param(field.name, alias, _SOURCES[kind], field, (info.in_.value, alias)))
    return tuple(found)


def _plain(dependant: Dependant) -> bool:
    return not (
        dependant.background_tasks_param_name
        or dependant.response_param_name
        or dependant.security_scopes_param_name
        or dependant.http_connection_param_name
        or dependant.websocket_param_name
        or dependant.own_oauth_scopes
        or dependant.parent_oauth_scopes
    )


def _returns_response(call: Callable[..., Any]) -> bool:
    try:
        returned = typing.get_type_hints(inspect.unwrap(call)).get("return")
    except Exception:  # an annotation that does not resolve: not this handler's to judge
        return False
    return inspect.isclass(returned) and issubclass(returned, Response)


def plan_for(route: Any) -> Plan | None:
    """The fixed plan for ``route`` (an ``APIRoute`` or FastAPI's included-route context), or None when
    its dependant is not one the plan covers."""
    dependant: Dependant = route.dependant
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call) or not _plain(dependant):
        return None
    if inspect.isasyncgenfunction(call) or not _returns_response(call):
        return None
    body_field = dependant.body_params[0] if dependant.body_params else None
    if body_field is not None and (
        len(dependant.body_params) != 1
        or route._embed_body_fields
        or _should_embed_body_fields(dependant.body_params)
        or _get_form_models(body_field)
        or not isinstance(body_field.field_info, params.Body)
        or isinstance(body_field.field_info, params.Form)
    ):
        return None  # several body values, an embedded one or a form: FastAPI's own handling
    steps = []
    calls = set()
    for sub in dependant.dependencies:
        sub_params = _params(sub)
        if (
            sub_params is None or sub.dependencies or sub.body_params or not _plain(sub) or sub.concurrency is not None
            or sub.call is None or not inspect.iscoroutinefunction(sub.call) or sub.call in calls
        ):  # fmt: skip
            return None
        calls.add(sub.call)
        steps.append(_Step(sub.call, sub.name, sub_params, sub.request_param_name))
    own = _params(dependant)
    if own is None:
        return None
    endpoint = _Step(call, None, own, dependant.request_param_name)
    return Plan(tuple(steps), endpoint, body_field, route.dependency_overrides_provider)


def _validated(step: _Step, request: Request) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for param in step.params:
        value = getattr(request, param.source).get(param.alias)
        field = param.field
        if value is None:  # absent: FastAPI's default, validated only when the field asks for it
            if field.field_info.is_required():
                return None
            value = deepcopy(field.default)
            if not field.field_info.validate_default:
                values[param.name] = value
                continue
        value, errors = field.validate(value, values, loc=param.loc)
        if errors:
            return None
        values[param.name] = value
    if step.request_name:
        values[step.request_name] = request
    return values


def fast_handler(plan: Plan, standard: Handler) -> Handler:
    """``standard`` (FastAPI's handler for the same route) with the plan's path in front of it."""

    async def app(request: Request) -> Response:
        overrides = plan.overrides
        if (overrides is not None and overrides.dependency_overrides) or _get_request_telemetry() is not None:
            return await standard(request)
        body_values: dict[str, Any] = {}
        if plan.body_field is not None:
            if request.headers.get("content-type") != "application/json":
                return await standard(request)
            try:  # a body that cannot be read or parsed: FastAPI's 422 or 400, by its own handler
                raw = await request.body()
                body = json.loads(raw) if raw else None
            except Exception:
                return await standard(request)
            if body is None:  # empty, or the JSON null
                return await standard(request)
            value, errors = plan.body_field.validate(body, {}, loc=("body",))
            if errors:
                return await standard(request)
            body_values[plan.body_field.name] = value
        solved = [_validated(step, request) for step in (*plan.dependencies, plan.endpoint)]
        if any(values is None for values in solved):
            return await standard(request)
        values = solved[-1]
        assert values is not None
        for step, step_values in zip(plan.dependencies, solved, strict=False):
            result = await step.call(**(step_values or {}))
            if step.name is not None:
                values[step.name] = result
        values.update(body_values)
        response = await plan.endpoint.call(**values)
        if not isinstance(response, Response):
            raise TypeError(f"{plan.endpoint.call.__name__} returned {type(response).__name__}, not a Response")
        return response

    return app
