"""Escalation that means something (issue 23): a level and a person from the picker; beyond one level,
an agent asks the team lead, and until the lead approves nothing changes; every step is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from complaintdesk.services.bootstrap import Desk

Auth = Callable[[str], dict[str, str]]
API = "/api/v1"


def _escalate(client: TestClient, auth: Auth, opened: dict[str, Any], who: str, **body: Any) -> Any:
    return client.post(
        f"{API}/complaints/{opened['number']}/escalations",
        json={"reason": "客户要求上级处理", "version": opened["version"], **body},
        headers=auth(who),
    )


def _kinds(client: TestClient, auth: Auth, who: str) -> list[str]:
    return [i["kind"] for i in client.get(f"{API}/notifications", headers=auth(who)).json()["items"]]


def test_the_picker_offers_the_people_of_each_level(client: TestClient, auth: Auth) -> None:
    def people(level: int) -> list[str]:
        found = client.get(f"{API}/escalation-candidates", params={"level": level}, headers=auth("alice"))
        return [p["username"] for p in found.json()["items"]]

    assert (people(1), people(2), people(3)) == (["lena"], ["mona"], ["mona", "root"])
    assert (
        client.get(f"{API}/escalation-candidates", params={"level": 9}, headers=auth("alice")).status_code
        == 422
    )


def test_one_level_up_goes_to_the_owners_team_lead_who_is_told(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    done = _escalate(client, auth, open_as("alice"), "alice")
    assert done.status_code == 200 and done.json()["escalation_level"] == 1
    assert _kinds(client, auth, "lena") == ["escalated"]


def test_a_person_who_does_not_take_that_level_is_refused_naming_to_user(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]], assert_error: Callable[..., None]
) -> None:
    assert_error(
        _escalate(client, auth, open_as("alice"), "alice", to_level=1, to_user="bob"), 422, field="to_user"
    )


def test_beyond_one_level_waits_for_the_leads_approval_and_a_decline_changes_nothing(
    client: TestClient, auth: Auth, desk: Desk, open_as: Callable[..., dict[str, Any]],
    assert_error: Callable[..., None],
) -> None:  # fmt: skip
    opened = open_as("alice")
    number = opened["number"]
    asked = _escalate(client, auth, opened, "alice", to_level=2, to_user="mona")
    assert asked.status_code == 200, asked.text
    request = asked.json()["approval_request"]
    assert (asked.json()["escalation_level"], request["approver"], request["status"]) == (
        0,
        "lena",
        "pending",
    )
    assert _kinds(client, auth, "lena") == ["approval_requested"]
    again = _escalate(client, auth, opened, "alice", to_level=3, to_user="mona")
    assert_error(again, 409, field="approval")
    mine = client.get(f"{API}/approvals", headers=auth("lena")).json()["items"]
    assert [r["id"] for r in mine] == [request["id"]]
    assert_error(
        client.post(f"{API}/complaints/{number}/approvals/{request['id']}/approve", json={}, headers=auth("arthur")),
        403, field="request_id",
    )  # fmt: skip
    declined = client.post(
        f"{API}/complaints/{number}/approvals/{request['id']}/decline",
        json={"note": "先由班组处理"},
        headers=auth("lena"),
    )
    assert declined.status_code == 200 and declined.json()["escalation_level"] == 0
    assert "approval_decided" in _kinds(client, auth, "alice")
    twice = client.post(
        f"{API}/complaints/{number}/approvals/{request['id']}/approve", json={}, headers=auth("lena")
    )
    assert_error(twice, 409, field="request_id")
    with desk.engine.connect() as connection:
        kinds = [
            r.kind
            for r in connection.execute(
                text("SELECT kind FROM audit_events WHERE complaint_number = :n"), {"n": number}
            )
        ]
    assert "approval_requested" in kinds and "approval_decided" in kinds and "escalated" not in kinds


def test_an_approved_escalation_is_carried_out_and_the_named_person_is_told(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    opened = open_as("alice")
    request = _escalate(client, auth, opened, "alice", to_level=2, to_user="mona").json()["approval_request"]
    approved = client.post(
        f"{API}/complaints/{opened['number']}/approvals/{request['id']}/approve",
        json={},
        headers=auth("lena"),
    )
    assert approved.status_code == 200 and approved.json()["escalation_level"] == 2
    assert _kinds(client, auth, "mona") == ["escalated"]


def test_a_manager_escalates_beyond_one_level_without_asking(
    client: TestClient, auth: Auth, open_as: Callable[..., dict[str, Any]]
) -> None:
    done = _escalate(client, auth, open_as("mona"), "mona", to_level=3, to_user="root")
    assert done.status_code == 200 and done.json()["escalation_level"] == 3
    assert "approval_request" not in done.json()
