"""Issue 17 points 7 and 8 over the API: intake, promise and follow-up times are bounded (422 naming the
field, never a 500); appends do not conflict with each other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

API = "/api/v1"


@pytest.mark.parametrize(
    "opened_at",
    ["2100-01-01T09:00:00+08:00", "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00", "1999-12-31T09:00:00+08:00"],
)
def test_intake_time_outside_the_bounds_is_refused_naming_opened_at(
    client, auth, complaint_body, assert_error, opened_at
) -> None:
    response = client.post(
        f"{API}/complaints", json=complaint_body(opened_at=opened_at), headers=auth("alice")
    )
    assert_error(response, 422, "invalid_input", "opened_at")
    listed = client.get(f"{API}/complaints", headers=auth("mona")).json()
    assert listed["items"] == []  # nothing half-written


def test_intake_time_within_the_clock_skew_is_accepted(client, auth, complaint_body) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    response = client.post(f"{API}/complaints", json=complaint_body(opened_at=soon), headers=auth("alice"))
    assert response.status_code == 201, response.text


def test_the_intake_floor_is_a_setting(client, auth, complaint_body, assert_error, fresh_settings) -> None:
    fresh_settings.setenv("COMPLAINTDESK_OPENED_AT_FLOOR", "2026-01-01")
    response = client.post(
        f"{API}/complaints", json=complaint_body(opened_at="2025-06-01T09:00:00+08:00"), headers=auth("alice")
    )
    assert_error(response, 422, "invalid_input", "opened_at")
    assert "2026-01-01" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("promises", {"what": "回电", "due_at": "9999-12-31T23:59:59+00:00"}, "due_at"),
        ("promises", {"what": "回电", "due_at": "2100-01-01T09:00:00+08:00"}, "due_at"),
        ("follow-up", {"due": "9999-12-31T23:59:59+00:00"}, "due"),
        ("follow-up", {"due": "0001-01-01T00:00:00+00:00"}, "due"),
    ],
)
def test_due_times_far_out_are_refused_naming_the_field_not_500(
    client, auth, open_as, assert_error, path, body, field
) -> None:
    n = open_as("alice")["number"]
    response = client.post(f"{API}/complaints/{n}/{path}", json={**body, "version": 1}, headers=auth("alice"))
    assert_error(response, 422, "invalid_input", field)


def test_a_reply_is_not_refused_because_a_lead_added_a_note_meanwhile(client, auth, open_as) -> None:
    """Issue 17 point 8 over the API: both appends land, whatever version each was typed against."""
    n = open_as("alice")["number"]
    note = client.post(f"{API}/complaints/{n}/messages", json={"kind": "note", "body": "先核对停机记录", "version": 1},
                       headers=auth("lena"))  # fmt: skip
    assert note.status_code == 201, note.text
    reply = client.post(f"{API}/complaints/{n}/messages", json={"kind": "outbound", "body": "您好,已为您恢复", "version": 1},
                        headers=auth("alice"))  # fmt: skip
    assert reply.status_code == 201, reply.text
    unversioned = client.post(f"{API}/complaints/{n}/messages", json={"kind": "note", "body": "无版本号的备注"},
                              headers=auth("alice"))  # fmt: skip
    assert unversioned.status_code == 201, unversioned.text
    bodies = [m["body"] for m in client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["messages"]]
    assert bodies == ["先核对停机记录", "您好,已为您恢复", "无版本号的备注"]
    stale_move = client.post(f"{API}/complaints/{n}/move", json={"stage": "calming", "version": 1}, headers=auth("alice"))
    assert stale_move.status_code == 409 and stale_move.json()["error"]["code"] == "stale_write"


@pytest.mark.parametrize(
    "query", ["opened_from=0001-01-01T00:00:00%2B14:00", "opened_to=9999-12-31T23:59:59-12:00"]
)
def test_queue_filter_times_beyond_the_calendar_are_refused_naming_the_field(
    client, auth, open_as, assert_error, query
) -> None:
    open_as("alice")
    response = client.get(f"{API}/complaints?{query}", headers=auth("alice"))
    assert_error(response, 422, "invalid_input", query.split("=", 1)[0])
