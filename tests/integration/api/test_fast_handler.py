"""The plain routes skip FastAPI's dependency solving for an ordinary valid request
(``api.fast_handler``), and answer every request exactly as FastAPI's own handler does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from complaintdesk.api import dispatch
from complaintdesk.api.app import create_app
from complaintdesk.http import auth as http_auth
from complaintdesk.services.bootstrap import Desk

Auth = Callable[[str], dict[str, str]]


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The requests FastAPI's ``solve_dependencies`` was called for (by path)."""
    seen: list[str] = []
    real = fastapi.routing.solve_dependencies

    async def spy(**kwargs: Any) -> Any:
        if kwargs["dependant"].call is not None and kwargs["request"].scope.get("type") == "http":
            seen.append(kwargs["request"].url.path)
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", spy)
    return seen


@pytest.fixture
def fastapi_only(desk: Desk, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The same application with no route given a plan: FastAPI's handler for every request."""
    with monkeypatch.context() as patch:
        patch.setattr(dispatch, "plan_for", lambda route: None)
        app = create_app(desk)
    with TestClient(app) as plain:
        yield plain


def test_an_ordinary_open_list_detail_and_move_do_not_go_through_fastapis_solver(
    client: TestClient, auth: Auth, complaint_body: Callable[..., dict[str, Any]], solves: list[str]
) -> None:
    auth("root")  # the login (its route sets a cookie: FastAPI's handler)
    solves.clear()
    opened = client.post("/api/v1/complaints", json=complaint_body(), headers=auth("root"))
    assert opened.status_code == 201, opened.text
    number = opened.json()["number"]
    assert client.get("/api/v1/complaints?limit=5", headers=auth("root")).status_code == 200
    assert client.get(f"/api/v1/complaints/{number}", headers=auth("root")).status_code == 200
    moved = client.post(
        f"/api/v1/complaints/{number}/move", json={"stage": "calming"}, headers=auth("root") | {"If-Match": '"1"'}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["stage"] == "calming" and moved.headers["ETag"] == '"2"'
    assert solves == []


def test_a_request_the_plan_does_not_cover_goes_to_fastapi(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]], solves: list[str]
) -> None:
    number = open_as("root")["number"]
    solves.clear()
    response = client.post(f"/api/v1/complaints/{number}/move", json={"stage": 7}, headers=auth("root"))
    assert response.status_code == 422
    assert solves == [f"/api/v1/complaints/{number}/move"]


def _cases(number: str, headers: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    move = f"/api/v1/complaints/{number}/move"
    as_json = headers | {"content-type": "application/json"}
    return [
        ("POST", move, {"json": {"stage": "calming", "version": 1}, "headers": headers | {"If-Match": "x" * 65}}),
        ("POST", move, {"json": {"stage": "calming", "version": 1}, "headers": headers | {"If-Match": '"5"'}}),
        ("POST", move, {"json": {"stage": "calming", "version": 9}, "headers": headers}),
        ("POST", move, {"json": {"stage": "calming"}, "headers": headers}),
        ("POST", move, {"json": {"stage": "nowhere", "version": 1}, "headers": headers}),
        ("POST", move, {"json": ["calming"], "headers": headers}),
        ("POST", move, {"content": b'{"stage": "calming",', "headers": as_json}),
        ("POST", move, {"content": b"", "headers": as_json}),
        ("POST", move, {"content": b"null", "headers": as_json}),
        ("POST", move, {"content": b"[" * 100_000 + b"]" * 100_000, "headers": as_json}),  # too deep for json
        ("POST", move, {"content": b'{"stage": "calming", "version": 1}', "headers": headers | {"content-type": "text/plain"}}),
        ("POST", move, {"json": {"stage": 7}}),  # no credentials and a bad body: the 401 comes first
        ("POST", "/api/v1/complaints/" + "9" * 25 + "/move", {"json": {"stage": "calming", "version": 1}, "headers": headers}),
        ("POST", "/api/v1/complaints/CX-NOT-THERE/move", {"json": {"stage": "calming", "version": 1}, "headers": headers}),
        ("POST", "/api/v1/complaints", {"json": {"customer_name": "王先生"}, "headers": headers}),
        ("POST", "/api/v1/complaints", {"json": {"title": "停机"}, "headers": headers | {"Idempotency-Key": "k" * 500}}),
        ("GET", "/api/v1/complaints?limit=0", {"headers": headers}),
        ("GET", "/api/v1/complaints", {}),
        ("GET", f"/api/v1/complaints/{number}", {"headers": headers}),
    ]  # fmt: skip


def test_every_answer_is_the_one_fastapis_own_handler_gives(
    client: TestClient, fastapi_only: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    number = open_as("alice")["number"]
    for username in ("alice", "bob", "root"):
        for method, path, options in _cases(number, auth(username)):
            ours, theirs = (c.request(method, path, **options) for c in (client, fastapi_only))
            assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json()), (username, path, options)
            assert ours.headers.get("ETag") == theirs.headers.get("ETag")
            assert ours.headers["content-type"] == theirs.headers["content-type"]


def test_a_dependency_runs_once_whichever_handler_answers(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    number = open_as("root")["number"]
    calls: list[str] = []
    real = http_auth._authenticate

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("authenticated")
        return await real(*args, **kwargs)

    monkeypatch.setattr(http_auth, "_authenticate", counted)
    path = f"/api/v1/complaints/{number}/move"
    assert client.post(path, json={"stage": "calming", "version": 1}, headers=auth("root")).status_code == 200
    assert client.post(path, json={"stage": 7}, headers=auth("root")).status_code == 422
    assert calls == ["authenticated", "authenticated"]


def test_dependency_overrides_are_honoured(desk: Desk, client: TestClient, auth: Auth) -> None:
    app = client.app
    assert client.get("/api/v1/complaints", headers=auth("root")).status_code == 200

    async def nobody() -> Any:
        raise http_auth.AuthenticationFailed("请先登录", field="authorization")

    app.dependency_overrides[http_auth.current_user] = nobody  # type: ignore[attr-defined]
    try:
        assert client.get("/api/v1/complaints", headers=auth("root")).status_code == 401
    finally:
        app.dependency_overrides.clear()  # type: ignore[attr-defined]
