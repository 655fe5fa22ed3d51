"""An API over a fresh database with one user per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.services import accounts
from complaintdesk.services.bootstrap import Desk
from complaintdesk.settings import get_settings


def complaint_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer_name": "王先生",
        "phone": "13800138000",
        "title": "宽带欠费不到30天被停机",
        "description": "我的宽带欠费才二十几天就被停了,影响在家办公,要求马上恢复并赔偿。",
        "channel": "phone",
    }
    body.update(overrides)
    return body


def check_error(response: Any, status: int, code: str | None = None, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "field"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    if field is not None:
        assert error["field"] == field


PASSWORD = "correct-horse-1"

# username, role, team
STAFF = (
    ("alice", "agent", "A"),
    ("arthur", "agent", "A"),
    ("bob", "agent", "B"),
    ("lena", "team_lead", "A"),
    ("mona", "manager", None),
    ("root", "admin", None),
    ("audrey", "auditor", None),
)


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    now = datetime.now(UTC)
    for username, role, team in STAFF:
        accounts.create_user(desk.uow(), username, username.title(), role, team, PASSWORD, "test", now=now)
    with TestClient(create_app(desk)) as test_client:
        yield test_client


@pytest.fixture
def auth(client: TestClient) -> Callable[[str], dict[str, str]]:
    """Bearer headers for a staff member, logged in once per test."""
    tokens: dict[str, str] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in tokens:
            response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.text
            tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {tokens[username]}"}

    return headers


@pytest.fixture
def open_as(client: TestClient, auth: Callable[[str], dict[str, str]]) -> Callable[..., dict[str, Any]]:
    def opener(username: str, **overrides: Any) -> dict[str, Any]:
        response = client.post("/api/v1/complaints", json=complaint_body(**overrides), headers=auth(username))
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    return opener


@pytest.fixture(name="complaint_body")
def _complaint_body() -> Callable[..., dict[str, Any]]:
    return complaint_body


@pytest.fixture(name="assert_error")
def _assert_error() -> Callable[..., None]:
    return check_error


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read anew from the environment, and forgotten again after the test."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()
