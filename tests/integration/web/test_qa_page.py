from __future__ import annotations

from web_site_helpers import Site

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
    number = next(n for n in site.numbers if "li_agent" in site.client.get(f"/complaints/{n}").text)
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
