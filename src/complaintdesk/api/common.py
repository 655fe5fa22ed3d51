"""Small helpers shared by the routers: version preconditions, ETags, idempotent responses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import Header, Request

from complaintdesk.api.json_response import JSONResponse
from complaintdesk.domain.errors import InvalidInput, PreconditionRequired
from complaintdesk.services import idempotency
from complaintdesk.services.bootstrap import Desk

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None, body_version: int | None) -> int:
    """The version the caller read, from If-Match or the body; an update without one is refused (428)."""
    header_version: int | None = None
    if if_match is not None:
        found = _ETAG.match(if_match)
        if found is None:
            raise InvalidInput('If-Match 应为读取时的 ETag，例如 "3"', field="If-Match")
        header_version = int(found.group(1))
    if header_version is not None and body_version is not None and header_version != body_version:
        raise InvalidInput("If-Match 与 version 不一致", field="version")
    version = header_version if header_version is not None else body_version
    if version is None:
        raise PreconditionRequired(
            "修改投诉单须带上读取时的版本号（If-Match 头或 version 字段），以免覆盖他人的修改", field="version"
        )
    return version


def complaint_response(detail: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(detail, status_code, headers={"ETag": etag(int(detail["version"]))})


IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    max_length=idempotency.MAX_KEY,
    description="同一个键重复提交时返回第一次的结果，不会重复创建",
)
IfMatch = Header(None, alias="If-Match", max_length=64, description='读取时的 ETag，例如 "3"')


def run_idempotent(
    desk: Desk,
    request: Request,
    username: str,
    key: str | None,
    payload: Callable[[], Any],
    work: Callable[[], tuple[int, Any]],
) -> JSONResponse:
    """Run a creating request once per Idempotency-Key and answer with the stored response on retry.
    ``payload`` gives what the fingerprint covers; it is called only when a key is sent, since without
    one there is nothing to compare."""
    if key is None:  # nothing to remember, so no fingerprint to take
        status_code, result = work()
        outcome = idempotency.Outcome(status_code, result, replayed=False)
    else:
        path = request.url.path
        fingerprint = idempotency.request_fingerprint(request.method, path, payload())
        outcome = idempotency.run_once(desk.uow, username, key, request.method, path, fingerprint, work)
    headers = {"Idempotent-Replayed": "true" if outcome.replayed else "false"}
    body = outcome.body
    if isinstance(body, dict) and "version" in body and "number" in body:
        headers["ETag"] = etag(int(body["version"]))
    return JSONResponse(body, outcome.status_code, headers=headers)
