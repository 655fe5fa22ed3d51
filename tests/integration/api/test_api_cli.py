"""`complaintdesk user add` creates a user who can then log in through the API."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from complaintdesk.api.app import create_app
from complaintdesk.cli import main
from complaintdesk.commands import _context
from complaintdesk.services.bootstrap import open_desk


@pytest.fixture(autouse=True)
def _fresh_cli_desk():
    _context.reset()
    yield
    _context.reset()


def test_user_add_creates_the_first_admin_who_can_log_in(database_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("first-admin-pass\n"))
    code = main(
        ["--db", database_url, "user", "add", "boss", "--role", "admin", "--name", "老板", "--password-stdin"]
    )
    assert code == 0, capsys.readouterr().err
    assert "boss" in capsys.readouterr().out
    desk = open_desk(database_url)
    try:
        with TestClient(create_app(desk)) as client:
            token = client.post(
                "/api/v1/auth/token", json={"username": "boss", "password": "first-admin-pass"}
            )
            assert token.status_code == 200
            assert token.json()["user"]["role"] == "admin"
    finally:
        desk.engine.dispose()


def test_user_add_refuses_a_bad_role_and_a_short_password(database_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("long-enough-pass\n"))
    assert main(["--db", database_url, "user", "add", "x1", "--role", "boss", "--password-stdin"]) == 2
    assert "role" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["--db", database_url, "user", "add", "x2", "--role", "agent", "--password-stdin"]) == 2


def test_serve_command_is_registered(capsys):
    assert main(["serve", "--help"]) == 0
    assert "--workers" in capsys.readouterr().out


def test_serve_says_at_start_what_the_databases_settings_will_cost(database_url, monkeypatch, capsys):
    import uvicorn

    from complaintdesk.services.bootstrap import Desk

    served = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: served.append(self.config.port))
    monkeypatch.setattr(Desk, "maintenance_warnings", lambda self: ["数据库设置会让查询越来越慢。"])
    assert main(["--db", database_url, "serve", "--port", "8799", "--housekeeping", "0"]) == 0
    assert "警告：数据库设置会让查询越来越慢。" in capsys.readouterr().err
    assert served == [8799]


def test_cli_import_is_searchable_through_the_api(database_url, capsys):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "import" / "good.csv"
    assert main(["--db", database_url, "import", str(sample), "--no-analyse"]) == 0, capsys.readouterr().err
    desk = open_desk(database_url)
    try:
        from complaintdesk.services import accounts, search

        accounts.create_user(desk.uow(), "root", "Root", "admin", None, "long-enough-1", "test")
        hits = search.search_text(desk.uow(), "寬帶 停機")  # traditional query, simplified data
        assert hits, "imported complaints must be indexed by the session hooks"
    finally:
        desk.engine.dispose()


def test_cli_search_lists_matches_and_explains_a_bad_query(database_url, capsys):
    import json
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "fixtures" / "import" / "good.csv"
    assert main(["--db", database_url, "import", str(sample), "--no-analyse"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", database_url, "search", "寬帶 停機", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["items"]
    assert found and all("停机" in item["snippet"] or "停機" in item["snippet"] for item in found)
    assert main(["--db", database_url, "search", "寬帶 停機"]) == 0
    assert found[0]["number"] in capsys.readouterr().out
    assert main(["--db", database_url, "search", "   "]) == 2
    assert "搜索词不能为空" in capsys.readouterr().err


def test_cli_manages_webhook_subscriptions(database_url, capsys):
    import json

    from complaintdesk.commands import _context

    def run(*args: str) -> tuple[int, str, str]:
        _context.reset()
        code = main(["--db", database_url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("webhooks", "add", "https://crm.example.com/hook", "--event", "complaint.opened", "--json")
    created = json.loads(out)
    assert code == 0 and len(created["secret"]) == 64 and created["events"] == ["complaint.opened"]
    code, out, _ = run("webhooks", "list", "--json")
    assert [s["id"] for s in json.loads(out)] == [created["id"]]
    code, out, _ = run("webhooks", "log", str(created["id"]), "--json")
    assert code == 0 and json.loads(out) == []
    assert run("webhooks", "remove", str(created["id"]))[0] == 0
    assert json.loads(run("webhooks", "list", "--json")[1])[0]["active"] is False
    code, _, err = run("webhooks", "add", "ftp://x", "--event", "complaint.opened")
    assert code == 2 and "url" in err
    code, _, err = run("webhooks", "remove", "999")
    assert code == 3 and "订阅 999 不存在" in err
    _context.reset()
