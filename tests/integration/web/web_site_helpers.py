"""Helpers for the page tests: known passwords and a signed-in test client."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import update

from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm
from complaintdesk.web.auth import hash_password

PASSWORD = "correct horse 9"


def set_password(desk: Desk, username: str, password: str = PASSWORD) -> None:
    with desk.engine.begin() as conn:
        conn.execute(
            update(orm.users).where(orm.users.c.username == username).values(password_hash=hash_password(password))
        )


@dataclass
class Site:
    desk: Desk
    client: TestClient
    numbers: list[str]

    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.client.get("/login")
        token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf": token, "next": "/queue"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def csrf(self, path: str = "/queue") -> str:
        return self.client.get(path).text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


