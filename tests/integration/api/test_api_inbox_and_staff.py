"""The inbox over the API (notifications written in the change's own transaction) and staff
administration: deactivate, reactivate, role, team, teams — each audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from complaintdesk.services.bootstrap import Desk

Auth = Callable[[str], dict[str, str]]


def _inbox(client: TestClient, auth: Auth, who: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/notifications", params=params, headers=auth(who))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _transfer(
    client: TestClient, auth: Auth, opened: dict[str, Any], by: str, to: str, reason: str = "换人"
) -> Any:
    body = {"to_owner": to, "reason": reason, "version": opened["version"]}
    return client.post(f"/api/v1/complaints/{opened['number']}/transfers", json=body, headers=auth(by))


def _audit_kinds(desk: Desk) -> list[str]:
    with desk.engine.connect() as connection:
        return [r.kind for r in connection.execute(text("SELECT kind FROM audit_events ORDER BY seq"))]


def test_a_transfer_puts_a_linked_unread_notification_in_the_receivers_inbox(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    opened = open_as("alice")
    number = opened["number"]
    moved = _transfer(client, auth, opened, "alice", "lena", "需要班组长跟进")
    assert moved.status_code == 200, moved.text
    inbox = _inbox(client, auth, "lena")
    assert inbox["unread"] == 1
    [item] = inbox["items"]
    assert (item["kind"], item["complaint_number"], item["link"], item["read"]) == (
        "transferred", number, f"/complaints/{number}", False,
    )  # fmt: skip
    assert "需要班组长跟进" in item["summary"] and "alice" in item["summary"]
    assert _inbox(client, auth, "alice")["unread"] == 0  # who acted is never told
    count = client.get("/api/v1/notifications/unread-count", headers=auth("lena"))
    assert count.json() == {"unread": 1}


def test_marking_read_one_or_all_lowers_the_unread_count_and_is_only_for_the_recipient(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]], assert_error: Callable[..., None]
) -> None:
    for _ in range(3):
        assert _transfer(client, auth, open_as("alice"), "alice", "arthur").status_code == 200
    items = _inbox(client, auth, "arthur")["items"]
    assert len(items) == 3
    other = client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=auth("alice"))
    assert_error(other, 404, "not_found", "id")
    one = client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=auth("arthur"))
    assert one.status_code == 200 and one.json()["read"] is True
    assert _inbox(client, auth, "arthur")["unread"] == 2
    assert client.post("/api/v1/notifications/read-all", headers=auth("arthur")).json() == {"marked": 2}
    assert _inbox(client, auth, "arthur", unread_only=True)["items"] == []


def test_the_inbox_pages_newest_first_with_before(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    for _ in range(3):
        assert _transfer(client, auth, open_as("alice"), "alice", "arthur").status_code == 200
    first = _inbox(client, auth, "arthur", limit=2)
    assert len(first["items"]) == 2 and first["items"][0]["id"] > first["items"][1]["id"]
    rest = _inbox(client, auth, "arthur", limit=2, before=first["next_before"])
    assert len(rest["items"]) == 1 and rest["next_before"] is None
    bad = client.get("/api/v1/notifications", params={"limit": 0}, headers=auth("arthur"))
    assert bad.status_code == 422


def test_a_mention_in_an_internal_note_and_a_customer_message_reach_their_people(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    number = open_as("alice")["number"]
    note = {"kind": "note", "body": "@lena 请看一下,@nobody 不存在"}
    assert (
        client.post(f"/api/v1/complaints/{number}/messages", json=note, headers=auth("arthur")).status_code
        == 201
    )
    assert [i["kind"] for i in _inbox(client, auth, "lena")["items"]] == ["mentioned"]
    inbound = {"kind": "inbound", "body": "客户来电追问进度"}
    assert (
        client.post(f"/api/v1/complaints/{number}/messages", json=inbound, headers=auth("lena")).status_code
        == 201
    )
    assert [i["kind"] for i in _inbox(client, auth, "alice")["items"]] == ["customer_reply"]


def test_a_deactivated_user_cannot_log_in_nor_receive_complaints_and_it_is_audited(
    client: TestClient, desk: Desk, auth: Auth, password: str, open_as: Callable[..., dict[str, Any]],
    assert_error: Callable[..., None],
) -> None:  # fmt: skip
    number = open_as("arthur")["number"]
    arthur = auth("arthur")
    done = client.post("/api/v1/users/arthur/deactivate", headers=auth("root"))
    assert done.status_code == 200, done.text
    assert done.json() == {"username": "arthur", "active": False, "open_complaints": 1}
    assert client.get("/api/v1/auth/me", headers=arthur).status_code == 401  # the old token ended
    login = client.post("/api/v1/auth/token", json={"username": "arthur", "password": password})
    assert login.status_code == 401
    refused = _transfer(client, auth, open_as("alice"), "alice", "arthur")
    assert_error(refused, 422, field="to_owner")
    assert number  # still owned by arthur until a lead reassigns it
    assert client.post("/api/v1/users/arthur/reactivate", headers=auth("root")).status_code == 200
    assert (
        client.post("/api/v1/auth/token", json={"username": "arthur", "password": password}).status_code
        == 200
    )
    assert {"user_deactivated", "user_reactivated"} <= set(_audit_kinds(desk))


def test_only_an_admin_changes_staff_and_never_their_own_account(
    client: TestClient, auth: Auth, assert_error: Callable[..., None]
) -> None:
    assert_error(
        client.post("/api/v1/users/alice/deactivate", headers=auth("mona")), 403, "permission_denied"
    )
    assert_error(client.post("/api/v1/users/root/deactivate", headers=auth("root")), 409, field="username")
    assert_error(client.put("/api/v1/users/root/role", json={"role": "agent"}, headers=auth("root")), 409)
    assert_error(client.post("/api/v1/users/ghost/deactivate", headers=auth("root")), 404, field="username")


def test_role_and_team_changes_use_team_records_and_are_audited(
    client: TestClient, desk: Desk, auth: Auth, assert_error: Callable[..., None]
) -> None:
    teams = {t["name"]: t for t in client.get("/api/v1/teams", headers=auth("mona")).json()["items"]}
    assert teams["A"]["lead"] == "lena" and "alice" in teams["A"]["members"]
    assert_error(
        client.put("/api/v1/users/alice/team", json={"team": "C"}, headers=auth("root")), 422, field="team"
    )
    made = client.post("/api/v1/teams", json={"name": "C", "lead": "mona"}, headers=auth("root"))
    assert made.status_code == 201, made.text
    assert_error(client.post("/api/v1/teams", json={"name": "C"}, headers=auth("root")), 409, field="name")
    assert_error(
        client.post("/api/v1/teams", json={"name": "D", "lead": "alice"}, headers=auth("root")),
        422,
        field="lead",
    )
    moved = client.put("/api/v1/users/alice/team", json={"team": "C"}, headers=auth("root"))
    assert moved.status_code == 200 and moved.json()["team"] == "C"
    demoted = client.put("/api/v1/users/lena/role", json={"role": "agent"}, headers=auth("root"))
    assert demoted.json()["no_longer_leads"] == ["A"]
    assert_error(
        client.put("/api/v1/users/lena/role", json={"role": "boss"}, headers=auth("root")), 422, field="role"
    )
    teams = {t["name"]: t for t in client.get("/api/v1/teams", headers=auth("root")).json()["items"]}
    assert teams["A"]["lead"] is None and teams["C"]["members"] == ["alice"]
    assert {"team_created", "user_team_changed", "user_role_changed"} <= set(_audit_kinds(desk))
