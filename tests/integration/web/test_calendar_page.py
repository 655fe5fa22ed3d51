"""The working calendar page: everyone reads it; managers and admins set and remove the centre's days."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services import calendar_service


def _error(html: str) -> str:
    found = re.search(r'data-testid="error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_manager_sets_a_centre_rest_day_and_sees_it_marked(site: Site) -> None:
    site.login("liu_manager")
    token = site.csrf("/calendar?year=2026")
    response = site.client.post(
        "/calendar/days", data={"csrf_token": token, "day": "2026-12-07", "kind": "holiday", "name": "中心搬迁"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/calendar?year=2026&done=calendar_set"
    page = site.client.get(response.headers["location"]).text
    assert "已保存中心自定义的日子" in page
    row = re.search(r'<tr data-day="2026-12-07">(.*?)</tr>', page, re.S)
    assert row and "中心搬迁" in row.group(1) and "中心自定义" in row.group(1) and "周一" in row.group(1)
    assert '<tr data-day="2026-10-01">' in page  # the national days are there too
    year = calendar_service.year_view(site.desk.uow(), 2026)
    assert {"day": "2026-12-07", "name": "中心搬迁", "edited": True} in year["holidays"]


def test_manager_removes_a_centre_day(site: Site) -> None:
    calendar_service.set_day(site.desk.uow(), calendar_service.parse_day("2026-12-12"), "workday", None, "admin")
    site.login("admin")
    token = site.csrf("/calendar?year=2026")
    assert '<li data-day="2026-12-12">' in site.client.get("/calendar?year=2026").text
    response = site.client.post("/calendar/days/2026-12-12/remove", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    page = site.client.get(response.headers["location"]).text
    assert '<li data-day="2026-12-12">' not in page and "已删除中心自定义的日子" in page


def test_bad_input_is_refused_with_the_reason_and_the_form_kept(site: Site) -> None:
    site.login("liu_manager")
    token = site.csrf("/calendar")
    cases = (
        ({"day": "2026-02-30", "kind": "holiday"}, "日期格式应为 YYYY-MM-DD"),
        ({"day": "2026-12-07", "kind": "nap"}, "kind 只能是 holiday 或 workday"),
        ({"day": "2026-12-07", "kind": "holiday", "name": "长" * 101}, "名称不能超过 100 个字符"),
        ({"day": "1900-12-07", "kind": "holiday"}, "年份应在 2000 到 2100 之间"),
    )
    for form, message in cases:
        page = site.client.post("/calendar/days", data={"csrf_token": token, **form})
        assert page.status_code == 422 and message in _error(page.text), form
    assert 'value="2026-02-30"' in site.client.post("/calendar/days", data={"csrf_token": token, "day": "2026-02-30"}).text
    assert calendar_service.year_view(site.desk.uow(), 2026)["edits"] == []
    out_of_range = site.client.get("/calendar?year=1800")
    assert out_of_range.status_code == 422 and "年份应在" in _error(out_of_range.text)


def test_agents_read_the_calendar_but_cannot_change_it(site: Site) -> None:
    site.login("li_agent")
    page = site.client.get("/calendar?year=2026")
    assert page.status_code == 200 and 'data-testid="calendar-set"' not in page.text
    token = site.csrf("/calendar")
    refused = site.client.post("/calendar/days", data={"csrf_token": token, "day": "2026-12-07", "kind": "holiday"})
    assert refused.status_code == 403 and "只有经理和管理员可以修改工作日历" in refused.text
    refused = site.client.post("/calendar/days/2026-10-01/remove", data={"csrf_token": token})
    assert refused.status_code == 403
    assert calendar_service.year_view(site.desk.uow(), 2026)["edits"] == []


def test_a_change_without_the_session_csrf_token_is_refused(site: Site) -> None:
    site.login("liu_manager")
    response = site.client.post("/calendar/days", data={"day": "2026-12-07", "kind": "holiday"})
    assert response.status_code == 403
    assert calendar_service.year_view(site.desk.uow(), 2026)["edits"] == []


def test_the_centre_day_name_is_escaped(site: Site) -> None:
    site.login("liu_manager")
    token = site.csrf("/calendar")
    site.client.post("/calendar/days", data={"csrf_token": token, "day": "2026-12-07", "kind": "holiday",
                                             "name": "<script>alert(1)</script>"})  # fmt: skip
    page = site.client.get("/calendar?year=2026").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
