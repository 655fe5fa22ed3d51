"""An agent corrects the analysis on the complaint page and over the API; corrections are audited,
shown instead of the engine's reading, refused when invalid, and become training labels."""

from __future__ import annotations

from web_site_helpers import Site

from complaintdesk.services import audit_service, corrections
from complaintdesk.services import complaints as svc
from tests.builders import open_number


def _open(site: Site) -> str:
    return open_number(site.desk, customer_name="吴先生", phone="13700001111", title="师傅没来",
                       description="约好周六上门修空调,等了一天没人来,电话也不接,我要投诉!")  # fmt: skip


def _form(site: Site, number: str) -> dict[str, str]:
    page = site.client.get(f"/complaints/{number}").text
    version = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": site.csrf(f"/complaints/{number}"), "version": version}


def test_an_agent_corrects_the_analysis_on_the_page_and_it_is_shown_and_audited(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    page = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="analysis-correct"' in page and 'name="demands.compensation"' in page
    data = {**_form(site, number), "emotion": "disappointment", "category": "late_visit",
            "demands.compensation": "1", "company_faults.missed_appointment": "1"}  # fmt: skip
    done = site.client.post(f"/complaints/{number}/analysis", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text[-500:]
    shown = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="corrected-emotion"' in shown and "失望" in shown
    stored = svc.get_complaint(site.desk.uow(), number)["analysis"]["corrections"]
    assert stored == {"emotion": "disappointment", "category": "late_visit", "customer_types": [],
                      "demands": ["compensation"], "threats": [], "company_faults": ["missed_appointment"]}  # fmt: skip
    kinds = [e["kind"] for e in audit_service.trail(site.desk.uow(), number)]
    assert "analysis_corrected" in kinds
    records = corrections.corrected_records(site.desk.uow())
    assert [r["number"] for r in records] == [number] and records[0]["expect"]["demands"] == ["compensation"]
    assert "等了一天没人来" in records[0]["text"]


def test_an_unknown_label_is_refused_naming_the_field(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    refused = site.client.post(f"/complaints/{number}/analysis", data={**_form(site, number), "emotion": "rage"})
    assert refused.status_code == 422 and "corrections.emotion" in refused.text
    assert "corrections" not in (svc.get_complaint(site.desk.uow(), number)["analysis"] or {})


def test_a_customers_text_in_a_label_field_is_escaped_not_run(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    hostile = "<script>alert(1)</script>"
    refused = site.client.post(f"/complaints/{number}/analysis", data={**_form(site, number), "category": hostile})
    assert refused.status_code == 422 and hostile not in refused.text
