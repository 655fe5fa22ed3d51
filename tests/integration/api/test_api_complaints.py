"""Complaint routes end to end: intake, queue, detail, the whole workflow, versions and errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

API = "/api/v1"


def test_open_complaint_runs_analysis_and_returns_etag(client, auth, complaint_body):
    response = client.post(f"{API}/complaints", json=complaint_body(), headers=auth("alice"))
    assert response.status_code == 201
    data = response.json()
    assert data["number"].startswith("TS-")
    assert data["owner"] == "alice"
    assert response.headers["ETag"] == '"1"'
    assert data["analysis"] is None or isinstance(data["analysis"], dict)
    assert data["customer"]["phone"] != "13800138000"  # agents see a masked phone


def test_second_similar_complaint_is_linked_as_repeat(client, auth, open_as, complaint_body):
    first = open_as("alice")
    second = open_as("alice", description=complaint_body()["description"] + "这是我第二次投诉了!")
    assert second["repeat"] is True
    assert second["repeat_links"][0]["earlier"] == first["number"]


def test_list_is_paginated_by_cursor_without_overlap(client, auth, open_as):
    numbers = {open_as("root", phone=f"1380013800{i}")["number"] for i in range(5)}
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"{API}/complaints", params=params, headers=auth("root")).json()
        seen += [item["number"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == numbers


def test_list_filters_by_stage_and_rejects_unknown_values(client, auth, open_as, assert_error):
    done = open_as("root")
    open_as("root", phone="13900139000")
    client.post(
        f"{API}/complaints/{done['number']}/move",
        json={"stage": "calming", "version": 1},
        headers=auth("root"),
    )
    calming = client.get(f"{API}/complaints", params={"stage": "calming"}, headers=auth("root")).json()
    assert [c["number"] for c in calming["items"]] == [done["number"]]
    assert_error(
        client.get(f"{API}/complaints", params={"stage": "nonsense"}, headers=auth("root")),
        422,
        "invalid_input",
        "stage",
    )
    assert_error(
        client.get(f"{API}/complaints", params={"cursor": "!!"}, headers=auth("root")), 422, field="cursor"
    )


def test_list_filters_by_sla_state(client, auth, open_as):
    open_as("root")
    breached = client.get(f"{API}/complaints", params={"sla_state": "breached"}, headers=auth("root"))
    on_track = client.get(f"{API}/complaints", params={"sla_state": "on_track"}, headers=auth("root"))
    assert breached.json()["items"] == []
    assert len(on_track.json()["items"]) == 1


def test_full_workflow_through_the_api_lands_in_the_audit_chain_with_the_actor(client, auth, open_as):
    h = auth("alice")
    c = open_as("alice")
    n = c["number"]
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()

    def post(path, body, version):
        response = client.post(
            f"{API}/complaints/{n}/{path}", json=body, headers={**h, "If-Match": f'"{version}"'}
        )
        assert response.status_code in (200, 201), response.text
        assert response.headers["ETag"] == f'"{response.json()["version"]}"'
        return response.json()["version"]

    v = post("move", {"stage": "calming"}, 1)
    v = post("messages", {"kind": "outbound", "body": "非常抱歉给您带来不便"}, v)
    v = post("move", {"stage": "clarifying"}, v)
    v = post("proposal", {"solution": "按日退还停机期间月租 40 元并恢复服务"}, v)
    v = post("move", {"stage": "proposing"}, v)
    v = post("promises", {"what": "24 小时内恢复宽带", "due_at": due}, v)
    v = post("move", {"stage": "acting"}, v)
    v = post("promises/0/result", {"kept": True}, v)
    v = post("escalations", {"reason": "客户要求主管回电"}, v)
    v = post("move", {"stage": "thanking"}, v)
    v = post("sign-off", {"satisfied": True}, v)
    v = post("follow-up", {"due": due}, v)
    v = post("move", {"stage": "follow_up"}, v)
    v = post("follow-up/result", {"outcome": "客户表示满意"}, v)
    v = post("move", {"stage": "closed"}, v)
    v = post("reopen", {"reason": "客户来电说又断网了"}, v)

    detail = client.get(f"{API}/complaints/{n}", headers=h).json()
    assert detail["stage"] == "reopened"
    assert detail["escalation_level"] == 1
    assert detail["promises"][0]["kept"] is True
    trail = client.get(f"{API}/complaints/{n}/audit", headers=h).json()["events"]
    kinds = [e["kind"] for e in trail]
    assert "stage_changed" in kinds and "reopened" in kinds
    assert {e["actor"] for e in trail if e["kind"] == "stage_changed"} == {"alice"}
    assert client.get(f"{API}/audit/verify", headers=auth("audrey")).json()["ok"] is True


def test_transfer_is_counted(client, auth, open_as):
    c = open_as("root")
    response = client.post(
        f"{API}/complaints/{c['number']}/transfers",
        json={"to_owner": "bob", "reason": "归属 B 组", "version": 1},
        headers=auth("root"),
    )
    assert response.status_code == 200
    assert response.json()["owner"] == "bob"
    assert response.json()["transfer_count"] == 1


def test_stale_version_gets_409_and_nothing_changes(client, auth, open_as, assert_error):
    c = open_as("alice")
    n = c["number"]
    ok = client.post(
        f"{API}/complaints/{n}/move", json={"stage": "calming", "version": 1}, headers=auth("alice")
    )
    assert ok.status_code == 200
    stale = client.post(
        f"{API}/complaints/{n}/proposal",
        json={"solution": "覆盖别人的修改", "version": 1},
        headers=auth("arthur"),
    )
    assert_error(stale, 409, "stale_write", "version")
    assert client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()["proposal"] is None


def test_stale_if_match_gets_409(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    client.post(
        f"{API}/complaints/{n}/move", json={"stage": "calming"}, headers={**auth("alice"), "If-Match": '"1"'}
    )
    again = client.post(
        f"{API}/complaints/{n}/move",
        json={"stage": "clarifying"},
        headers={**auth("alice"), "If-Match": '"1"'},
    )
    assert_error(again, 409, "stale_write")


def test_update_without_version_is_refused_with_428(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    response = client.post(f"{API}/complaints/{n}/move", json={"stage": "calming"}, headers=auth("alice"))
    assert_error(response, 428, "precondition_required", "version")


def test_workflow_violation_is_409_in_the_error_shape(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    response = client.post(
        f"{API}/complaints/{n}/move", json={"stage": "acting", "version": 1}, headers=auth("alice")
    )
    assert_error(response, 409, "workflow_violation")


def test_bad_input_is_422_naming_the_field(client, auth, assert_error, complaint_body):
    h = auth("alice")
    assert_error(client.post(f"{API}/complaints", json={"title": "x"}, headers=h), 422, "invalid_input")
    missing = client.post(
        f"{API}/complaints", json={k: v for k, v in complaint_body().items() if k != "phone"}, headers=h
    )
    assert_error(missing, 422, field="phone")
    bad_channel = client.post(f"{API}/complaints", json=complaint_body(channel="pigeon"), headers=h)
    assert_error(bad_channel, 422, field="channel")
    naive = client.post(f"{API}/complaints", json=complaint_body(opened_at="2026-11-23T09:00:00"), headers=h)
    assert_error(naive, 422, field="opened_at")
    not_json = client.post(
        f"{API}/complaints", content=b"{not json", headers={**h, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
    assert "error" in not_json.json()


def test_unknown_complaint_and_route_are_404_in_the_error_shape(client, auth, assert_error):
    assert_error(client.get(f"{API}/complaints/TS-20260101-999999", headers=auth("root")), 404, "not_found")
    assert_error(client.get(f"{API}/no-such-thing", headers=auth("root")), 404, "not_found")


def test_sla_pause_and_resume(client, auth, open_as, assert_error):
    n = open_as("alice")["number"]
    h = auth("alice")
    clocks = client.get(f"{API}/complaints/{n}/sla", headers=h).json()["clocks"]
    assert {c["kind"] for c in clocks} >= {"acceptance", "resolution"}
    paused = client.post(f"{API}/complaints/{n}/sla/pause", json={"reason": "等待客户提供发票"}, headers=h)
    assert paused.status_code == 200 and paused.json()["paused"] >= 1
    assert_error(client.post(f"{API}/complaints/{n}/sla/pause", json={"reason": "再停"}, headers=h), 409)
    assert client.post(f"{API}/complaints/{n}/sla/resume", headers=h).json()["resumed"] >= 1


def test_customer_history_lists_their_complaints(client, auth, open_as, assert_error):
    c = open_as("root")
    customer_id = c["customer"]["id"]
    data = client.get(f"{API}/customers/{customer_id}", headers=auth("root")).json()
    assert data["phone"] == "13800138000"
    assert [h["number"] for h in data["complaints"]] == [c["number"]]
    assert_error(client.get(f"{API}/customers/999999", headers=auth("root")), 404)


def test_calendar_is_readable_by_everyone_signed_in(client, auth):
    data = client.get(f"{API}/calendars", headers=auth("alice")).json()
    assert data["items"][0]["holidays"]


def test_openapi_document_is_served(client):
    spec = client.get(f"{API}/openapi.json").json()
    assert f"{API}/complaints" in spec["paths"]


def test_roles_are_listed(client, auth):
    roles = {r["role"] for r in client.get(f"{API}/roles", headers=auth("alice")).json()["items"]}
    assert roles == {"agent", "team_lead", "manager", "admin", "auditor"}


def test_each_role_lists_what_it_may_do_as_the_server_decides_it(client, auth):
    granted = {r["role"]: set(r["permissions"]) for r in client.get(f"{API}/roles", headers=auth("alice")).json()["items"]}
    assert "change_complaints" not in granted["auditor"] and "read_every_complaint" in granted["auditor"]
    assert "edit_staff" in granted["admin"] and "edit_staff" not in granted["manager"]
    assert granted["agent"] == {"change_complaints", "own_complaints"}


def test_reply_and_move_is_one_change_and_a_refused_move_sends_no_reply(client, auth, open_as):
    n = open_as("alice")["number"]
    url = f"{API}/complaints/{n}/reply-and-move"
    moved = client.post(url, json={"body": "您好,非常抱歉。", "version": 1}, headers=auth("alice"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["stage"] == "calming" and moved.json()["version"] == 2
    v = 2
    for stage in ("clarifying", "proposing"):
        v = client.post(url, json={"stage": stage, "version": v}, headers=auth("alice")).json()["version"]
    refused = client.post(url, json={"body": "马上给您处理", "version": v}, headers=auth("alice"))
    assert refused.status_code == 409 and refused.json()["error"]["field"] == "stage"
    detail = client.get(f"{API}/complaints/{n}", headers=auth("alice")).json()
    assert detail["stage"] == "proposing" and [m["body"] for m in detail["messages"]] == ["您好,非常抱歉。"]
    acting = client.post(url, json={"solution": "安排师傅上门检测", "version": v}, headers=auth("alice"))
    assert acting.status_code == 200 and acting.json()["stage"] == "acting"


def test_a_too_long_number_on_a_change_is_refused_before_any_access_check_naming_it_once(client, auth):
    too_long = "TS-" + "9" * 30
    for user in ("alice", "bob", "audrey", "mona"):  # owner's peer, other team, read-only, sees all
        for path, body in (("move", {"stage": "calming", "version": 1}), ("transfers", {"to_owner": "bob", "reason": "忙", "version": 1})):
            response = client.post(f"{API}/complaints/{too_long}/{path}", json=body, headers=auth(user))
            assert response.status_code == 422, response.text
            error = response.json()["error"]
            assert error["code"] == "invalid_input" and error["field"] == "number"
            assert [d["field"] for d in error["details"]] == ["number"]


def test_the_move_route_documents_its_number_and_if_match_as_before(client):
    spec = client.get(f"{API}/openapi.json").json()
    parameters = spec["paths"][f"{API}/complaints/{{number}}/move"]["post"]["parameters"]
    assert [(p["name"], p["in"], p["required"]) for p in parameters] == [("number", "path", True), ("If-Match", "header", False)]
    assert parameters[0]["schema"]["maxLength"] == 24 and parameters[0]["description"] == "投诉单号"
