"""Facts that no JSON column stores faithfully (NaN, infinity) or that nest without end are refused
with 422 naming the field, and the audit chain stays verifiable (issue 17, points 2 and 9)."""

from __future__ import annotations

import pytest

from complaintdesk.services import audit_service

API = "/api/v1"
TV = {"title": "电视修了五次", "description": "我买的电视机一年内修了五次还是坏,要求换货,不然就找消协"}
JSON_HEADERS = {"Content-Type": "application/json"}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("number", ["NaN", "1e400", "-Infinity"])
def test_recording_a_non_finite_number_is_422_naming_the_field_and_the_chain_still_verifies(
    client, auth, open_as, assert_error, desk, number
):
    n = open_as("alice", **TV)["number"]
    body = '{"facts": {"billing": {"monthly_fee": ' + number + '}}, "version": 1}'
    response = client.put(f"{API}/complaints/{n}/facts", content=body, headers={**auth("alice"), **JSON_HEADERS})
    assert_error(response, 422, "invalid_input", "facts.billing.monthly_fee")
    stored = client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()
    assert stored["version"] == 1 and not stored.get("facts")
    verdict = audit_service.verify(desk.uow())
    assert verdict.ok, verdict.to_dict()


@pytest.mark.parametrize("route", ["policy", "assist"])
def test_asking_policy_or_assist_with_a_non_finite_number_is_422_naming_the_field(
    client, auth, open_as, assert_error, route
):
    n = open_as("alice", **TV)["number"]
    body = '{"facts": {"billing": {"amount_due": Infinity}}}'
    response = client.post(f"{API}/complaints/{n}/{route}", content=body, headers={**auth("alice"), **JSON_HEADERS})
    assert_error(response, 422, "invalid_input", "facts.billing.amount_due")


@pytest.mark.parametrize("route", ["facts", "policy", "assist"])
def test_facts_nested_five_hundred_levels_deep_are_422_not_a_server_error(
    client, auth, open_as, assert_error, route
):
    n = open_as("alice", **TV)["number"]
    body = '{"facts": {"repairs": ' + _deep(500) + "}" + (', "version": 1}' if route == "facts" else "}")
    method = client.put if route == "facts" else client.post
    response = method(f"{API}/complaints/{n}/{route}", content=body, headers={**auth("alice"), **JSON_HEADERS})
    assert_error(response, 422, "invalid_input", "facts")
    assert "20" in response.json()["error"]["message"]


def test_audit_verify_over_the_api_names_every_broken_event(client, auth, open_as, desk):
    from sqlalchemy import update

    from complaintdesk.storage import orm

    for _ in range(3):
        open_as("alice", **TV)
    with desk.engine.begin() as conn:
        conn.execute(update(orm.audit_events).where(orm.audit_events.c.seq.in_([2, 5])).values(actor="mallory"))
    report = client.get(f"{API}/audit/verify", headers=auth("audrey")).json()
    assert not report["ok"] and report["broken_seq"] == 2 and report["break_count"] == 2
    assert [b["seq"] for b in report["breaks"]] == [2, 5]


def test_an_admin_signs_a_checkpoint_over_the_api_and_verify_reports_it(client, auth, open_as, assert_error):
    open_as("alice", **TV)
    assert_error(client.post(f"{API}/audit/checkpoint", headers=auth("audrey")), 403)
    signed = client.post(f"{API}/audit/checkpoint", headers=auth("root"))
    assert signed.status_code == 200, signed.text
    assert signed.json()["written"] is True
    report = client.get(f"{API}/audit/verify", headers=auth("audrey")).json()
    assert report["ok"] and report["anchor"]["seq"] == signed.json()["seq"]
