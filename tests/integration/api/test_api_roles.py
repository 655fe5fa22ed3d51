"""Roles enforced server-side: queue scope for agents, read-only auditors, admin-only users."""

from __future__ import annotations

import pytest

API = "/api/v1"


def test_agent_cannot_read_another_teams_complaint(client, auth, open_as, assert_error):
    theirs = open_as("bob")["number"]
    assert_error(client.get(f"{API}/complaints/{theirs}", headers=auth("alice")), 403, "permission_denied")
    assert_error(client.get(f"{API}/complaints/{theirs}/audit", headers=auth("alice")), 403)
    assert_error(client.get(f"{API}/complaints/{theirs}/sla", headers=auth("alice")), 403)


def test_agent_reads_and_works_a_teammates_complaint(client, auth, open_as):
    mate = open_as("arthur")["number"]
    assert client.get(f"{API}/complaints/{mate}", headers=auth("alice")).status_code == 200
    moved = client.post(
        f"{API}/complaints/{mate}/move", json={"stage": "calming", "version": 1}, headers=auth("alice")
    )
    assert moved.status_code == 200


def test_agent_cannot_change_another_teams_complaint(client, auth, open_as, assert_error):
    theirs = open_as("bob")["number"]
    response = client.post(
        f"{API}/complaints/{theirs}/move", json={"stage": "calming", "version": 1}, headers=auth("alice")
    )
    assert_error(response, 403, "permission_denied")


def test_agent_queue_holds_only_own_and_team_complaints(client, auth, open_as):
    mine = open_as("alice", phone="13800000001")["number"]
    mate = open_as("arthur", phone="13800000002")["number"]
    open_as("bob", phone="13800000003")
    seen = {c["number"] for c in client.get(f"{API}/complaints", headers=auth("alice")).json()["items"]}
    assert seen == {mine, mate}
    everything = client.get(f"{API}/complaints", headers=auth("mona")).json()["items"]
    assert len(everything) == 3


def test_phone_is_masked_for_agents_and_auditors_but_not_team_leads(client, auth, open_as):
    n = open_as("alice")["number"]
    assert "*" in client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["customer"]["phone"]
    assert "*" in client.get(f"{API}/complaints/{n}", headers=auth("audrey")).json()["customer"]["phone"]
    assert (
        client.get(f"{API}/complaints/{n}", headers=auth("lena")).json()["customer"]["phone"] == "13800138000"
    )


@pytest.mark.parametrize(
    "path, body",
    [
        ("move", {"stage": "calming", "version": 1}),
        ("proposal", {"solution": "退款", "version": 1}),
        ("messages", {"kind": "note", "body": "审计员不能写", "version": 1}),
        ("transfers", {"to_owner": "bob", "reason": "x", "version": 1}),
        ("escalations", {"reason": "x", "version": 1}),
        ("reopen", {"reason": "x", "version": 1}),
        ("sla/pause", {"reason": "x"}),
    ],
)
def test_auditor_cannot_write(client, auth, open_as, path, body, assert_error):
    n = open_as("alice")["number"]
    assert_error(client.post(f"{API}/complaints/{n}/{path}", json=body, headers=auth("audrey")), 403)


def test_auditor_cannot_open_but_can_read_and_verify(client, auth, open_as, assert_error, complaint_body):

    n = open_as("alice")["number"]
    assert_error(client.post(f"{API}/complaints", json=complaint_body(), headers=auth("audrey")), 403)
    assert client.get(f"{API}/complaints/{n}/audit", headers=auth("audrey")).status_code == 200
    assert client.get(f"{API}/audit/verify", headers=auth("audrey")).json()["ok"] is True


def test_only_auditors_and_admins_verify_the_chain(client, auth, assert_error):
    assert_error(client.get(f"{API}/audit/verify", headers=auth("alice")), 403, "permission_denied", "role")
    assert client.get(f"{API}/audit/verify", headers=auth("root")).status_code == 200


def test_only_admin_creates_users_and_the_creator_is_audited(client, auth, assert_error):
    body = {
        "username": "newbie",
        "display_name": "新人",
        "role": "agent",
        "team": "A",
        "password": "long-enough-1",
    }
    assert_error(client.post(f"{API}/users", json=body, headers=auth("mona")), 403)
    created = client.post(f"{API}/users", json=body, headers=auth("root"))
    assert created.status_code == 201 and created.json()["role"] == "agent"
    assert_error(client.post(f"{API}/users", json=body, headers=auth("root")), 409, "conflict")
    names = [u["username"] for u in client.get(f"{API}/users", headers=auth("mona")).json()["items"]]
    assert "newbie" in names
    assert_error(client.get(f"{API}/users", headers=auth("alice")), 403)


def test_agent_cannot_set_someone_elses_password(client, auth, assert_error):
    response = client.put(
        f"{API}/users/bob/password", json={"password": "hijacked-123"}, headers=auth("alice")
    )
    assert_error(response, 403)


def test_customer_list_is_for_leads_and_above(client, auth, open_as, assert_error):
    open_as("alice")
    assert_error(client.get(f"{API}/customers", headers=auth("alice")), 403)
    assert len(client.get(f"{API}/customers", headers=auth("lena")).json()["items"]) == 1


def test_customers_on_a_callers_line_are_found_by_phone_in_any_spelling(client, auth, open_as, assert_error):
    open_as("alice")
    open_as("alice", customer_name="李女士", phone="13900139000")
    found = client.get(f"{API}/customers", params={"phone": "+86 138 0013 8000"}, headers=auth("lena")).json()["items"]
    assert [(c["name"], c["phone"]) for c in found] == [("王先生", "13800138000")]  # a team lead sees it whole
    masked = client.get(f"{API}/customers", params={"phone": "13800138000"}, headers=auth("audrey")).json()["items"]
    assert masked[0]["phone"] == "138****8000"
    assert client.get(f"{API}/customers", params={"phone": "13700000000"}, headers=auth("lena")).json()["items"] == []
    assert_error(client.get(f"{API}/customers", params={"phone": "12"}, headers=auth("lena")), 422, field="phone")


def test_agent_sees_only_visible_part_of_a_customers_history(client, auth, open_as):
    mine = open_as("alice", description="第一次:宽带断网三天没人管")
    open_as("bob", description="第二次:账单多扣了六十元话费")
    history = client.get(f"{API}/customers/{mine['customer']['id']}", headers=auth("alice")).json()
    assert [h["number"] for h in history["complaints"]] == [mine["number"]]
    assert "*" in history["phone"]


def test_an_agent_cannot_read_a_customer_outside_their_complaints_by_id(client, auth, open_as, assert_error):
    theirs = open_as("bob", customer_name="赵女士", phone="13600136000")
    customer_id = theirs["customer"]["id"]
    refused = client.get(f"{API}/customers/{customer_id}", headers=auth("alice"))
    assert_error(refused, 404, "not_found", "customer_id")
    assert "赵女士" not in refused.text
    unknown = client.get(f"{API}/customers/999999", headers=auth("alice"))
    assert refused.json()["error"]["message"].replace(str(customer_id), "N") == unknown.json()["error"][
        "message"
    ].replace("999999", "N")  # an out-of-scope customer reads exactly like a missing one
    assert client.get(f"{API}/customers/{customer_id}", headers=auth("bob")).status_code == 200
    assert client.get(f"{API}/customers/{customer_id}", headers=auth("mona")).status_code == 200


def test_a_team_lead_finds_by_phone_only_customers_of_their_team(client, auth, open_as):
    open_as("bob", customer_name="赵女士", phone="13600136000")
    found = client.get(f"{API}/customers", params={"phone": "13600136000"}, headers=auth("lena")).json()["items"]
    assert found == []
    everyone = client.get(f"{API}/customers", params={"phone": "13600136000"}, headers=auth("mona")).json()["items"]
    assert [c["name"] for c in everyone] == ["赵女士"]
