"""Policy, assist, quality and offers through the API."""

from __future__ import annotations

API = "/api/v1"
TV = {"title": "电视修了五次", "description": "我买的电视机一年内修了五次还是坏,要求换货,不然就找消协"}


def test_policy_verdict_for_a_stored_complaint_cites_its_rules(client, auth, open_as):
    n = open_as("alice", **TV)["number"]
    response = client.post(
        f"{API}/complaints/{n}/policy", json={"facts": {"product": {"kind": "tv"}}}, headers=auth("alice")
    )
    assert response.status_code == 200, response.text
    demands = response.json()["demands"]
    assert demands and all(d["rules"] or d["verdict"] == "unknown" for d in demands)


def test_malformed_facts_are_422_not_a_server_error(client, auth, open_as, assert_error):
    n = open_as("alice", **TV)["number"]
    for facts in ({"product": 5}, {"product": {"kind": []}}, {"purchase_date": "yesterday-ish"}):
        response = client.post(f"{API}/complaints/{n}/policy", json={"facts": facts}, headers=auth("alice"))
        assert response.status_code == 200 or response.status_code == 422, response.text
        if response.status_code == 422:
            assert_error(response, 422)


def test_agent_offer_above_the_authority_limit_is_refused_naming_who_decides(
    client, auth, open_as, assert_error
):
    n = open_as("alice", **TV)["number"]
    too_much = client.post(
        f"{API}/complaints/{n}/offers",
        json={"kind": "compensation", "amount": 150, "version": 1},
        headers=auth("alice"),
    )
    assert_error(too_much, 403, "authority_exceeded", "amount")
    assert "班组长" in too_much.json()["error"]["message"]
    assert client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["proposal"] is None
    lead = client.post(
        f"{API}/complaints/{n}/offers",
        json={"kind": "compensation", "amount": 150, "version": 1},
        headers=auth("lena"),
    )
    assert lead.status_code == 200, lead.text
    assert "150" in lead.json()["proposal"]


def test_offer_within_the_limit_becomes_the_proposal(client, auth, open_as):
    n = open_as("alice", **TV)["number"]
    response = client.post(
        f"{API}/complaints/{n}/offers",
        json={"kind": "compensation", "amount": 30, "note": "话费补偿", "version": 1},
        headers=auth("alice"),
    )
    assert response.status_code == 200
    assert response.json()["proposal"] == "话费补偿(compensation 30 元)"
    assert response.json()["authority"]["offer_allowed"] is True


def test_auditor_cannot_make_offers(client, auth, open_as, assert_error):
    n = open_as("alice", **TV)["number"]
    response = client.post(
        f"{API}/complaints/{n}/offers",
        json={"kind": "compensation", "amount": 1, "version": 1},
        headers=auth("audrey"),
    )
    assert_error(response, 403)


def test_assist_advises_on_a_stored_complaint(client, auth, open_as):
    n = open_as("alice", **TV)["number"]
    response = client.post(f"{API}/complaints/{n}/assist", json={}, headers=auth("alice"))
    assert response.status_code == 200, response.text
    assert response.json()["next_actions"]
    assert response.json()["number"] == n


def test_agent_cannot_get_advice_on_another_teams_complaint(client, auth, open_as, assert_error):
    n = open_as("bob", **TV)["number"]
    assert_error(client.post(f"{API}/complaints/{n}/assist", json={}, headers=auth("alice")), 403)


def test_quality_inspection_is_stored_with_the_complaint(client, auth, open_as, assert_error):
    n = open_as("alice", **TV)["number"]
    transcript = "客户: 我要投诉!\n客服: 非常抱歉给您添麻烦了,我马上帮您查询。"
    assert_error(
        client.post(f"{API}/complaints/{n}/qa", json={"transcript": transcript}, headers=auth("alice")), 403
    )
    stored = client.post(f"{API}/complaints/{n}/qa", json={"transcript": transcript}, headers=auth("lena"))
    assert stored.status_code == 201, stored.text
    items = client.get(f"{API}/complaints/{n}/qa", headers=auth("alice")).json()["items"]
    assert len(items) == 1 and items[0]["actor"] == "lena"
    assert items[0]["scorecard"]["score"] == stored.json()["scorecard"]["score"]
    assert client.get(f"{API}/audit/verify", headers=auth("audrey")).json()["ok"] is True


def test_quality_inspection_keeps_the_agent_id_given(client, auth, open_as):
    n = open_as("alice", **TV)["number"]
    transcript = "客户: 我要投诉!\n客服: 非常抱歉给您添麻烦了,我马上帮您查询。"
    body = {"transcript": transcript, "agent_id": "1024"}
    stored = client.post(f"{API}/complaints/{n}/qa", json=body, headers=auth("lena"))
    assert stored.status_code == 201, stored.text
    assert stored.json()["agent_id"] == "1024"
    items = client.get(f"{API}/complaints/{n}/qa", headers=auth("alice")).json()["items"]
    assert items[0]["scorecard"]["agent_id"] == "1024"


def test_quality_inspection_of_a_complaints_own_messages_needs_no_transcript(client, auth, open_as, assert_error):
    opened = open_as("alice", **TV)
    n = opened["number"]
    assert_error(client.post(f"{API}/complaints/{n}/qa", json={}, headers=auth("lena")), 422)  # no reply yet
    reply = {"kind": "outbound", "body": "这个跟我们没关系,谁卖给你的你找谁。", "version": opened["version"]}
    assert client.post(f"{API}/complaints/{n}/messages", json=reply, headers=auth("alice")).status_code == 201
    stored = client.post(f"{API}/complaints/{n}/qa", json={}, headers=auth("lena"))
    assert stored.status_code == 201, stored.text
    card = stored.json()["scorecard"]
    assert stored.json()["agent_id"] == "alice" and card["agent_id"] == "alice"
    assert [v["family"] for v in card["violations"] if v.get("family")] == ["shirking"]


def test_inspecting_an_empty_transcript_is_422(client, auth, assert_error):
    assert_error(client.post(f"{API}/quality/inspect", json={"transcript": ""}, headers=auth("alice")), 422)


def test_rule_packs_and_playbooks_are_readable(client, auth):
    rules = client.get(f"{API}/rule-packs", headers=auth("audrey")).json()["items"]
    assert any(r["kind"] == "authority_limits" for r in rules)
    files = client.get(f"{API}/playbooks", headers=auth("alice")).json()["files"]
    assert "playbook.yaml" in files


def test_recorded_facts_are_what_the_policy_route_judges_on(client, auth, open_as, assert_error):
    n = open_as("alice", title="电视坏了", description="电视买了十天就黑屏,要求换一台新的")["number"]
    facts = {"product": {"kind": "tv"}, "purchase_date": "2026-11-25", "fault": {"kind": "performance", "reported_on": "2026-12-01"}}
    recorded = client.put(f"{API}/complaints/{n}/facts", json={"facts": facts, "version": 1}, headers=auth("alice"))
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["facts"]["purchase_date"] == "2026-11-25" and recorded.json()["version"] == 2
    judged = client.post(f"{API}/complaints/{n}/policy", json={"facts": {}}, headers=auth("alice")).json()
    exchange = next(d for d in judged["demands"] if d["demand"] == "exchange")
    assert exchange["verdict"] == "entitled", exchange  # a performance fault within 15 days: 三包 exchange
    stale = client.put(f"{API}/complaints/{n}/facts", json={"facts": {"purchase_date": None}, "version": 1}, headers=auth("alice"))
    assert_error(stale, 409)
    cleared = client.put(f"{API}/complaints/{n}/facts", json={"facts": {"purchase_date": None}, "version": 2}, headers=auth("alice"))
    assert "purchase_date" not in cleared.json()["facts"]
    assert_error(client.put(f"{API}/complaints/{n}/facts", json={"facts": {"purchase_date": "2099-01-01"}, "version": 3},
                            headers=auth("alice")), 422)  # fmt: skip
    assert_error(client.put(f"{API}/complaints/{n}/facts", json={"facts": {}, "version": 3}, headers=auth("audrey")), 403)


def test_a_misspelt_fact_is_422_naming_the_field_not_silently_ignored(client, auth, open_as, assert_error):
    n = open_as("alice", **TV)["number"]
    response = client.post(f"{API}/complaints/{n}/policy", json={"facts": {"produkt": {"kind": "tv"}}},
                           headers=auth("alice"))
    assert_error(response, 422)
    assert "produkt" in response.text
    recorded = client.put(f"{API}/complaints/{n}/facts", json={"facts": {"fault": {"reportd_on": "2026-11-01"}}, "version": 1},
                          headers=auth("alice"))
    assert_error(recorded, 422)
    assert "fault.reportd_on" in recorded.text


def test_an_agent_corrects_the_analysis_over_the_api_and_a_bad_field_is_422(client, auth, open_as, assert_error):
    created = open_as("alice", description="约好周六上门修空调,等了一天没人来,电话也不接")
    url = f"{API}/complaints/{created['number']}/analysis/corrections"
    body = {"version": created["version"], "corrections": {"category": "late_visit", "demands": ["compensation"]}}
    response = client.put(url, json=body, headers=auth("alice"))
    assert response.status_code == 200, response.text
    assert response.json()["analysis"]["corrections"] == {"category": "late_visit", "demands": ["compensation"]}
    bad = {"version": response.json()["version"], "corrections": {"produkt": "tv"}}
    assert_error(client.put(url, json=bad, headers=auth("alice")), 422, field="corrections.produkt")
    stale = {"version": created["version"], "corrections": {"category": "billing"}}
    assert client.put(url, json=stale, headers=auth("alice")).status_code == 409
    assert client.put(url, json=body, headers=auth("bob")).status_code in (403, 404)  # another team's complaint
