"""Hostile query strings and form fields on the pages: a message naming the field, never a 500."""

from __future__ import annotations

from web_site_helpers import Site

from complaintdesk.services import complaints as svc


def _number(site: Site) -> str:
    detail = svc.open_complaint(site.desk.uow(), svc.OpenComplaint("吴先生", "13700001111", "电视黑屏", "电视黑屏了",
                                                                 actor="li_agent"))  # fmt: skip
    return str(detail["number"])


def test_a_promise_index_that_is_not_a_number_is_refused_naming_it(site: Site) -> None:
    number = _number(site)
    site.login("li_agent")
    page = site.client.get(f"/complaints/{number}").text
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    for index in ("abc", "", "-1", "9" * 40):
        response = site.client.post(
            f"/complaints/{number}/resolve-promise",
            data={"csrf_token": site.csrf(f"/complaints/{number}"), "version": version, "index": index, "kept": "yes"},
        )
        assert 400 <= response.status_code < 500, (index, response.status_code)
        assert "index" in response.text


def test_a_dashboard_date_at_the_calendars_edge_is_a_message_not_a_crash(site: Site) -> None:
    site.login("liu_manager")
    for query in ("end=0001-01-01", "start=0001-01-01", "end=9999-12-31", "start=9999-12-30&end=9999-12-31"):
        page = site.client.get(f"/dashboard?{query}")
        assert page.status_code == 200 and "日期应在" in page.text, query
        csv = site.client.get(f"/dashboard/pareto.csv?{query}")
        assert 400 <= csv.status_code < 500, query


def test_an_audit_page_marker_beyond_any_sequence_number_is_refused(site: Site) -> None:
    site.login("admin")
    page = site.client.get("/audit", params={"before": "99999999999999999999"})
    assert page.status_code == 422 and "before 必须是正整数" in page.text
