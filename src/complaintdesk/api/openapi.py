"""The OpenAPI document as the API really answers: every error, 422 included, in the one error shape.

FastAPI documents its own ``{"detail": [...]}`` validation body by default; our handler in
:mod:`complaintdesk.api.errors` never sends that, so a client generated from (or a fuzzer checking
against) the document would be misled. Here the 422 body and a ``4XX`` catch-all point at ``Error``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_REF = "#/components/schemas/Error"

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string", "description": "机器可读的错误码，例如 invalid_input、not_found"},
                "message": {"type": "string", "description": "给人看的说明（中文优先）"},
                "field": {"type": ["string", "null"], "description": "出错的字段，无则为 null"},
                "details": {
                    "type": "array",
                    "description": "422 时逐项列出的校验错误（最多 20 条）",
                    "items": {"type": "object"},
                },
            },
        }
    },
}

_ERROR_RESPONSE = {"application/json": {"schema": {"$ref": ERROR_REF}}}


def _rewrite(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR_SCHEMA
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "输入无效", "content": _ERROR_RESPONSE}
            responses.setdefault(
                "4XX", {"description": "错误（未登录、无权限、不存在、冲突……）", "content": _ERROR_RESPONSE}
            )
    return spec


def install_openapi(app: FastAPI) -> None:
    """Build the document once, on first request, with the error shape in place of FastAPI's default."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _rewrite(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
