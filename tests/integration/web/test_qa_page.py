from __future__ import annotations

from web_site_helpers import Site

from complaintdesk.services import commands as cmds
from complaintdesk.services import complaints as svc
from complaintdesk.services import inspections
from complaintdesk.services.handlers import handle

TRANSCRIPT = "客户: 我要投诉!你们宽带怎么又断了\n客服: 这是不可能的!我们系统没问题。\n客户: <script>alert(1)</script>"


def test_qa_page_scores_and_marks_the_offending_line(site: Site) -> None:
    site.login("sun_auditor")
    token = site.csrf("/qa")
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": TRANSCRIPT})
    assert page.status_code == 200
    assert 'data-testid="scorecard"' in page.text
    assert 'class="line-bad" data-line="2"' in page.text
    assert "<script>alert(1)</script>" not in page.text


def test_qa_upload_is_read_as_the_transcript(site: Site) -> None:
    site.login("li_agent")
    token = site.csrf("/qa")
    files = {"file": ("call.txt", TRANSCRIPT.encode("gb18030"), "text/plain")}
    page = site.client.post("/qa", data={"csrf_token": token}, files=files)
    assert page.status_code == 200
    assert 'data-testid="qa-score"' in page.text


def test_empty_transcript_is_refused_with_a_message(site: Site) -> None:
    site.login("li_agent")
    token = site.csrf("/qa")
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": "  "})
    assert page.status_code == 422
    assert "请粘贴或上传" in page.text


def test_team_lead_keeps_a_scorecard_and_the_dashboard_averages_it(site: Site) -> None:
    site.login("zhang_lead")  # 一组
    token = site.csrf("/qa")
    number = next(n for n in site.numbers if svc.get_complaint(site.desk.uow(), n)["owner"] == "li_agent")
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": TRANSCRIPT, "number": number})
    assert page.status_code == 200, page.text[-500:]
    assert "评分已保存" in page.text
    csv_text = site.client.get("/dashboard/qa_scores.csv").text
    assert any(line.startswith("li_agent,") for line in csv_text.lstrip("\ufeff").splitlines())


def test_agent_cannot_keep_a_scorecard(site: Site) -> None:
    site.login("li_agent")
    token = site.csrf("/qa")
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": TRANSCRIPT, "number": site.numbers[0]})
    assert page.status_code == 403


def _lead_and_number(site: Site) -> tuple[str, str]:
    site.login("zhang_lead")  # 一组, li_agent's lead
    number = next(n for n in site.numbers if svc.get_complaint(site.desk.uow(), n)["owner"] == "li_agent")
    return site.csrf("/qa"), number


def test_kept_scorecard_is_attributed_to_the_agent_id_entered_not_the_owner(site: Site) -> None:
    token, number = _lead_and_number(site)
    data = {"csrf_token": token, "transcript": TRANSCRIPT, "number": number, "agent_id": "1024"}
    assert site.client.post("/qa", data=data).status_code == 200
    items = inspections.stored_inspections(site.desk.uow(), number)
    assert items[-1].scorecard["agent_id"] == "1024"
    rows = site.client.get("/dashboard/qa_scores.csv").text.lstrip("\ufeff").splitlines()
    assert any(row.startswith("1024,") for row in rows)
    assert not any(row.startswith("li_agent,") for row in rows)  # the owner did not take the call


def test_lead_scores_a_complaints_own_messages_without_pasting(site: Site) -> None:
    token, number = _lead_and_number(site)
    for body in ("您好,请讲。", "你自己看着办吧,这个跟我们没关系。", "我先挂了。", "就这样吧。"):
        handle(site.desk.uow(), cmds.AddMessage(number=number, kind="outbound", actor="wang_agent", body=body))
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": "", "number": number})
    assert page.status_code == 200, page.text[-400:]
    assert "评分已保存" in page.text and "你自己看着办吧" in page.text
    card = inspections.stored_inspections(site.desk.uow(), number)[-1].scorecard
    assert card["agent_id"] == "wang_agent"  # the one who replied, not the owner
    assert any(v["rule"] == "banned_phrase" for v in card["violations"])


def test_a_deflection_to_self_service_is_not_marked_exemplary(site: Site) -> None:
    site.login("sun_auditor")
    token = site.csrf("/qa")
    call = (
        "客户: 我充值送的号码怎么还没到?\n客服: 您好,您稍后留意短信就可以了,也可以自己发短信查询。\n"
        "客户: 好的。\n客服: 感谢您的来电。"
    )
    page = site.client.post("/qa", data={"csrf_token": token, "transcript": call})
    assert page.status_code == 200
    assert 'class="line-good" data-line="2"' not in page.text  # the customer asked for the number, not a how-to
    assert 'class="line-bad" data-line="2"' in page.text
    assert 'class="line-good" data-line="4"' in page.text  # the thanks is still good


def test_complaint_page_offers_a_lead_qa_of_its_own_messages_with_the_steps_lines(site: Site) -> None:
    _, number = _lead_and_number(site)
    page = site.client.get(f"/complaints/{number}")
    assert 'data-testid="qa-own-messages"' in page.text
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    handle(site.desk.uow(), cmds.AddMessage(number=number, kind="outbound", actor="li_agent", body="真是非常抱歉给您添麻烦了,谢谢您的耐心。"))
    result = site.client.post("/qa", data={"csrf_token": token, "number": number, "agent_id": ""})
    assert result.status_code == 200, result.text[-400:]
    assert 'data-step-line="thank"' in result.text
