"""GET /complaints' queue filters and total, and POST /complaints/reassign (a lead's bulk transfer)."""

from __future__ import annotations

API = "/api/v1"


def test_list_filters_by_team_and_reports_the_total(client, auth, open_as):
    for i in range(3):
        open_as("alice", phone=f"1380013810{i}")
    open_as("bob", phone="13800138200")
    page = client.get(f"{API}/complaints", params={"team": "A", "limit": 2}, headers=auth("mona")).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next_cursor"]
    due = client.get(f"{API}/complaints", params={"order": "due", "flag": "runaround"}, headers=auth("mona"))
    assert due.json() == {"items": [], "next_cursor": None, "total": 0}


def test_list_refuses_an_unknown_order_or_flag_naming_the_field(client, auth, assert_error):
    assert_error(
        client.get(f"{API}/complaints", params={"order": "oldest"}, headers=auth("mona")), 422, field="order"
    )
    assert_error(
        client.get(f"{API}/complaints", params={"flag": "vip"}, headers=auth("mona")), 422, field="flag"
    )


def test_a_lead_reassigns_an_absent_agents_complaints_and_an_agent_may_not(
    client, auth, open_as, assert_error
):
    numbers = {open_as("alice", phone=f"1380013830{i}")["number"] for i in range(2)}
    body = {"to_owner": "arthur", "reason": "alice 今天请假", "from_owner": "alice"}
    assert_error(client.post(f"{API}/complaints/reassign", json=body, headers=auth("arthur")), 403)
    moved = client.post(f"{API}/complaints/reassign", json=body, headers=auth("lena"))
    assert moved.status_code == 200, moved.text
    assert set(moved.json()["moved"]) == numbers and moved.json()["refused"] == []
    listed = client.get(f"{API}/complaints", params={"owner": "arthur"}, headers=auth("lena")).json()
    assert {c["number"] for c in listed["items"]} == numbers
    neither = {"to_owner": "arthur", "reason": "r"}
    assert_error(
        client.post(f"{API}/complaints/reassign", json=neither, headers=auth("lena")), 422, field="numbers"
    )
