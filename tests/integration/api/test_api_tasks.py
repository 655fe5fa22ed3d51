"""Call-back tasks over the API: a promise to call back shows in the owner's notifications as a task,
`POST /complaints/{n}/tasks/{id}/outcome` records the outcome, and a bad value names its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient


def _promise(client: TestClient, headers: dict[str, str], opened: dict[str, Any]) -> tuple[int, int]:
    due = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    body = {"what": "两小时内给您回电", "due_at": due, "version": opened["version"]}
    response = client.post(f"/api/v1/complaints/{opened['number']}/promises", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["tasks"][0]["id"]), int(response.json()["version"])


def test_a_call_back_promise_is_a_task_and_its_outcome_is_recorded(
    client: TestClient, auth: Callable[[str], dict[str, str]], open_as: Callable[..., dict[str, Any]],
    assert_error: Callable[..., None],
) -> None:  # fmt: skip
    opened = open_as("alice")
    number = opened["number"]
    task_id, v = _promise(client, auth("alice"), opened)
    inbox = client.get("/api/v1/notifications", headers=auth("alice")).json()
    assert [t["id"] for t in inbox["tasks"]] == [task_id]
    url = f"/api/v1/complaints/{number}/tasks/{task_id}/outcome"
    assert_error(client.post(url, json={"outcome": "maybe", "version": v}, headers=auth("alice")), 422, field="outcome")
    assert_error(client.post(url, json={"version": v}, headers=auth("alice")), 422)
    missing = f"/api/v1/complaints/{number}/tasks/{task_id + 50}/outcome"
    assert_error(client.post(missing, json={"outcome": "reached", "version": v}, headers=auth("alice")), 422, field="task")
    assert client.post(url, json={"outcome": "reached", "version": v}, headers=auth("bob")).status_code in (403, 404)
    done = client.post(url, json={"outcome": "not_reached", "version": v}, headers=auth("alice"))
    assert done.status_code == 200, done.text
    assert done.json()["tasks"][0]["outcome"] == "not_reached"
    assert client.get("/api/v1/notifications", headers=auth("alice")).json()["tasks"] == []
    again = {"outcome": "reached", "version": done.json()["version"]}
    assert_error(client.post(url, json=again, headers=auth("alice")), 409, field="task")
