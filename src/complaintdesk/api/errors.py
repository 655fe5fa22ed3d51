"""The one place where errors become HTTP responses: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from complaintdesk.api.json_response import JSONResponse
from complaintdesk.domain.errors import ComplaintDeskError, DatabaseBusy
from complaintdesk.storage.db import as_busy

log = logging.getLogger(__name__)


def error_body(code: str, message: str, field: str | None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def _field_of(loc: Any) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


_STATUS_CODES = {
    401: ("authentication_failed", "未登录或登录已失效"),
    403: ("permission_denied", "没有权限执行该操作"),
    404: ("not_found", "接口不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    406: ("not_acceptable", "不支持请求的格式"),
    413: ("input_too_large", "请求内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ComplaintDeskError)
    async def _domain(_: Request, exc: ComplaintDeskError) -> JSONResponse:
        if exc.http_status >= 500:
            log.error("server-side error %s: %s", exc.code, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        if isinstance(exc, DatabaseBusy):
            headers = {"Retry-After": str(exc.retry_after_seconds)}
        return JSONResponse(error_body(exc.code, exc.message, exc.field), exc.http_status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid"}
        field = _field_of(first.get("loc", ()))
        message = f"输入无效：{field or '请求'} — {first.get('msg', '')}"
        body = error_body("invalid_input", message, field)
        body["error"]["details"] = [
            {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "")), "type": e.get("type")}
            for e in errors[:20]
        ]
        return JSONResponse(body, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api/"):
            # Web pages (and /static) keep Starlette's own answers; the JSON shape is the API's contract.
            return await http_exception_handler(request, exc)
        code, message = _STATUS_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        if isinstance(exc.detail, str) and exc.status_code not in (404, 405):
            message = exc.detail
        return JSONResponse(error_body(code, message, None), exc.status_code, headers=exc.headers)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the validators let through (e.g. out of its range): bad input.
        log.warning("database refused a value: %s", exc.orig)
        return JSONResponse(error_body("invalid_input", "输入的值无法保存或查询（格式或范围无效）", None), 422)

    @app.exception_handler(IntegrityError)
    async def _race(_: Request, exc: IntegrityError) -> JSONResponse:
        # Two requests created the same row at once (the loser of a race): safe to retry.
        log.warning("integrity conflict: %s", exc.orig)
        return JSONResponse(
            error_body("conflict", "并发冲突：同时有其他请求写入了相同的数据，请重试", None), 409
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        # A lock wait that ran out outside a unit of work (those raise DatabaseBusy themselves).
        busy = as_busy(exc)
        if busy is None:
            return await _unexpected(request, exc)
        log.warning("database busy: %s", exc.orig)
        return JSONResponse(
            error_body(busy.code, busy.message, None), busy.http_status,
            headers={"Retry-After": str(busy.retry_after_seconds)},
        )  # fmt: skip

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never a traceback to the caller: it is logged here with the stack for the operator.
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal_error", "服务器内部错误，请联系管理员", None), 500)


class RefuseNul:
    """ASGI middleware: a NUL in the path or query string is refused (422) before any route sees it;
    no database accepts it, so letting it through would end as a server error."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"").lower()
        ):
            response = JSONResponse(
                error_body("invalid_input", "地址或查询参数中不能包含 NUL 字符", None), 422
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
