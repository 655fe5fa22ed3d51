"""Shared steps of the browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from complaintdesk.services import demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = demo.DEMO_PASSWORD


def login(page: Any, username: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/queue")


def logout(page: Any) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login")


def shoot(page: Any, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
