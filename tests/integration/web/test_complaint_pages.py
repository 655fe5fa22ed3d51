from __future__ import annotations

from datetime import UTC, datetime, timedelta

from web_site_helpers import Site

from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services.handlers import handle

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _open(site: Site, description: str, title: str = "宽带被停") -> str:
    token = site.csrf("/intake")
    response = site.client.post(
        "/intake",
        data={
            "csrf_token": token,
            "customer_name": "王女士",
            "phone": "13812345678",
            "channel": "phone",
            "segment": "regular",
            "title": title,
            "description": description,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0].rsplit("/", 1)[1]


def test_intake_opens_a_complaint_owned_by_the_agent(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "我家宽带欠费不到30天就被停了,我要去工信部投诉你们!")
    page = site.client.get(f"/complaints/{number}")
    assert page.status_code == 200
    assert "li_agent" in page.text
    assert 'data-testid="stepper"' in page.text


def test_customer_script_is_escaped_on_every_page(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, f"投诉内容{XSS}", title=f"标题{XSS}")
    for path in (f"/complaints/{number}", "/queue", "/search?q=投诉内容"):
        html = site.client.get(path).text
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert" in site.client.get(f"/complaints/{number}").text


def test_live_analysis_fragment_escapes_the_text(site: Site) -> None:
    site.login("li_agent")
    token = site.csrf("/intake")
    fragment = site.client.post(
        "/intake/analyse", data={"description": XSS}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "<script>" not in fragment.text
    assert "&lt;script&gt;" in fragment.text


def test_agent_cannot_open_another_teams_complaint(site: Site) -> None:
    site.login("chen_agent")  # 二组
    number = _open(site, "快递三天还没到。")
    site.client.cookies.clear()
    site.login("li_agent")  # 一组
    response = site.client.get(f"/complaints/{number}")
    assert response.status_code == 403
    token = site.csrf()
    write = site.client.post(f"/complaints/{number}/message", data={"csrf_token": token, "body": "x", "kind": "note"})
    assert write.status_code == 403


def test_team_mate_can_open_a_team_complaint(site: Site) -> None:
    site.login("wu_agent")  # 一组
    number = _open(site, "快递三天还没到。")
    site.client.cookies.clear()
    site.login("li_agent")  # 一组
    assert site.client.get(f"/complaints/{number}").status_code == 200


def test_form_without_csrf_token_is_refused(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "快递三天还没到。")
    response = site.client.post(f"/complaints/{number}/message", data={"body": "hi", "kind": "note"})
    assert response.status_code == 403


def test_stepper_explains_the_guard_before_acting(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "电视修了五次还是坏的。")
    html = site.client.get(f"/complaints/{number}").text
    assert "进入采取行动之前必须先记录解决方案" in html


def test_stale_form_is_refused_with_a_conflict(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "电视修了五次还是坏的。")
    token = site.csrf(f"/complaints/{number}")
    ok = site.client.post(
        f"/complaints/{number}/move", data={"csrf_token": token, "target": "calming", "version": "1"}, follow_redirects=False
    )
    assert ok.status_code in (303, 409)
    stale = site.client.post(f"/complaints/{number}/propose", data={"csrf_token": token, "solution": "x", "version": "1"})
    assert stale.status_code == 409
    assert "已被他人修改" in stale.text


def test_a_lead_note_while_the_agent_types_keeps_the_reply(site: Site) -> None:
    """Issue 17 point 8: an append does not conflict with another append; the agent's reply lands."""
    site.login("li_agent")
    number = _open(site, "电视修了五次还是坏的。")
    page = site.client.get(f"/complaints/{number}").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    handle(
        site.desk.uow(),
        cmds.AddMessage(number=number, kind="note", actor="zhang_lead", body="班长提醒:先核对维修记录"),
        now=datetime.now(UTC),
    )
    reply = site.client.post(
        f"/complaints/{number}/message",
        data={"csrf_token": token, "body": "您好,我们已为您申请上门检测", "kind": "outbound", "version": version},
        follow_redirects=False,
    )
    assert reply.status_code == 303, reply.text[-2000:]
    bodies = [m["body"] for m in svc.get_complaint(site.desk.uow(), number)["messages"]]
    assert bodies == ["班长提醒:先核对维修记录", "您好,我们已为您申请上门检测"]


def test_a_stale_state_change_keeps_what_was_typed_and_shows_what_changed(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "电视修了五次还是坏的。")
    page = site.client.get(f"/complaints/{number}").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    seen = page.split('name="seen_seq" value="', 1)[1].split('"', 1)[0]
    handle(
        site.desk.uow(),
        cmds.AddMessage(number=number, kind="note", actor="zhang_lead", body="班长:<b>先别答应换机</b>"),
        now=datetime.now(UTC),
    )
    typed = "按三包规定免费维修,并上门检测<script>x</script>"
    stale = site.client.post(
        f"/complaints/{number}/propose",
        data={"csrf_token": token, "solution": typed, "version": version, "seen_seq": seen},
    )
    assert stale.status_code == 409
    html = stale.text
    proposal_box = html.split('data-testid="proposal">', 1)[1].split("</textarea>", 1)[0]
    assert proposal_box == "按三包规定免费维修,并上门检测&lt;script&gt;x&lt;/script&gt;"
    notice = html.split('data-testid="stale-newer"', 1)[1].split("</section>", 1)[0]
    assert "zhang_lead" in notice and "班长:&lt;b&gt;先别答应换机&lt;/b&gt;" in notice
    assert "<script>x</script>" not in html


def test_walk_through_the_seven_stages_to_close(site: Site) -> None:
    site.login("li_agent")
    number = _open(site, "电视修了五次还是坏的,我要换货。")

    def act(action: str, **data: str) -> None:
        page = site.client.get(f"/complaints/{number}").text
        version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = site.client.post(
            f"/complaints/{number}/{action}", data={"csrf_token": token, "version": version, **data}, follow_redirects=False
        )
        assert response.status_code == 303, response.text[-2000:]

    for stage in ("calming", "clarifying", "proposing"):
        act("move", target=stage)
    act("propose", solution="按三包规定免费维修并上门检测")
    act("move", target="acting")
    act("signoff", satisfied="yes", reason="")
    act("move", target="thanking")
    act("follow-up", due=(datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT10:00"))
    act("move", target="follow_up")
    act("move", target="closed")
    html = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="stage">已结案' in html


def test_english_switch_translates_the_labels(site: Site) -> None:
    site.login("li_agent")
    html = site.client.get("/queue?lang=en").text
    assert "Complaint queue" in html
    again = site.client.get("/queue").text  # the cookie keeps the choice
    assert "Complaint queue" in again
    assert "投诉队列" not in again


def test_a_nul_in_any_form_is_refused_naming_the_field_and_nothing_is_stored(site: Site) -> None:
    # PostgreSQL stores no NUL: without this check it refused the write with no field named, as JSON.
    from complaintdesk.services import complaints as svc
    from complaintdesk.services.queue import QueueQuery, list_queue

    site.login("li_agent")
    before = len(list_queue(site.desk.uow(), QueueQuery(limit=500), viewer=None).summaries)
    token = site.csrf("/intake")
    page = site.client.post("/intake", data={
        "csrf_token": token, "customer_name": "王女士", "phone": "13812345678", "channel": "phone",
        "segment": "regular", "title": "宽带", "description": "宽带\x00停了",
    })  # fmt: skip
    assert page.status_code == 422 and "文本不能包含 NUL" in page.text and "<form" in page.text
    assert len(list_queue(site.desk.uow(), QueueQuery(limit=500), viewer=None).summaries) == before
    number = _open(site, "宽带停了")
    version = svc.get_complaint(site.desk.uow(), number)["version"]
    page = site.client.post(f"/complaints/{number}/message", data={
        "csrf_token": token, "kind": "outbound", "body": "回复\x00", "version": str(version),
    })  # fmt: skip
    assert page.status_code == 422 and "文本不能包含 NUL" in page.text
    assert svc.get_complaint(site.desk.uow(), number)["version"] == version
    qa = site.client.post("/qa", data={"csrf_token": token, "transcript": "客服:您好\x00\n客户:宽带停了"})
    assert qa.status_code == 422 and "文本不能包含 NUL" in qa.text
