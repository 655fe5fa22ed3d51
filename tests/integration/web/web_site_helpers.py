"""Helpers for the page tests: known passwords and a signed-in test client."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from complaintdesk.services import accounts, demo
from complaintdesk.services.bootstrap import Desk

PASSWORD = demo.DEMO_PASSWORD  # every demo account has it; no slow re-hashing per test


def set_password(desk: Desk, username: str, password: str = PASSWORD) -> None:
    accounts.set_password(desk.uow(), username, password, "test")


@dataclass
class Site:
    desk: Desk
    client: TestClient
    numbers: list[str]

    def login(self, username: str, password: str = PASSWORD) -> None:
        response = self.client.post(
            "/login", data={"username": username, "password": password, "next": "/queue"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def csrf(self, path: str = "/queue") -> str:
        return self.client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


