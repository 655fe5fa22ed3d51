"""The complaint page's facts, offers and SLA pause: what the policy panel needs, within authority."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services import complaints as svc
from complaintdesk.services import sla_service
from tests.builders import open_number


def _open(site: Site, description: str = "电视买了十天就黑屏,要求换一台新的") -> str:
    return open_number(site.desk, customer_name="吴先生", phone="13700001111", title="电视黑屏",
                       description=description)  # fmt: skip


def _post(site: Site, number: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    version = svc.get_complaint(site.desk.uow(), number)["version"]
    data = {"csrf_token": site.csrf(f"/complaints/{number}"), "version": str(version), **fields}
    return site.client.post(f"/complaints/{number}/{action}", data=data, follow_redirects=False)


def _error(html: str) -> str:
    found = re.search(r'data-testid="error">([^<]*)<', html)
    return found.group(1) if found else ""


def test_recorded_facts_reach_the_policy_panel_and_fill_the_form_again(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    response = _post(site, number, "facts", product_kind="tv", purchase_date="2026-11-20", fault_kind="performance",
                     fault_reported_on="2026-11-28", user_damage="no",
                     other='{"repairs": []}')  # fmt: skip
    assert response.status_code == 303, response.text
    facts = svc.get_complaint(site.desk.uow(), number)["facts"]
    assert facts["product"] == {"kind": "tv"} and facts["user_damage"] is False and facts["repairs"] == []
    page = site.client.get(f"/complaints/{number}").text
    assert 'value="2026-11-20"' in page and '<option value="tv" selected>' in page
    assert "已保存事实" in site.client.get(response.headers["location"]).text
    # Emptying a field un-records its fact; the rest stays.
    cleared = _post(site, number, "facts", product_kind="tv", fault_kind="performance", user_damage="no")
    assert cleared.status_code == 303
    facts = svc.get_complaint(site.desk.uow(), number)["facts"]
    assert "purchase_date" not in facts and facts["product"] == {"kind": "tv"} and facts["repairs"] == []


def test_contradictory_or_malformed_facts_are_refused_naming_the_field(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    later = _post(site, number, "facts", purchase_date="2099-01-01")
    assert later.status_code == 422 and _error(later.text)
    broken = _post(site, number, "facts", other="{repairs: []}")
    assert broken.status_code == 422 and "其他事实不是有效的 JSON" in _error(broken.text)
    assert svc.get_complaint(site.desk.uow(), number)["facts"] == {}


def test_an_offer_within_authority_becomes_the_proposal(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    response = _post(site, number, "offer", kind="compensation", amount="50", note="赠送话费")
    assert response.status_code == 303, response.text
    assert "赠送话费" in svc.get_complaint(site.desk.uow(), number)["proposal"]


def test_an_offer_above_the_agents_authority_is_refused_with_whom_to_escalate_to(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    refused = _post(site, number, "offer", kind="exchange", amount="2999")
    assert refused.status_code == 403 and "请上报" in _error(refused.text)
    assert svc.get_complaint(site.desk.uow(), number)["proposal"] in (None, "")
    site.client.cookies.clear()
    site.login("zhang_lead")  # a team lead may exchange up to 3000 (the example 授权表)
    assert _post(site, number, "offer", kind="exchange", amount="2999").status_code == 303
    bad = _post(site, number, "offer", kind="exchange", amount="很多")
    assert bad.status_code == 422 and "金额应为数字" in _error(bad.text)


def test_waiting_on_the_customer_pauses_the_clocks_and_resuming_restarts_them(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    assert _post(site, number, "sla-pause", reason="等待客户提供发票").status_code == 303
    states = {s["state"] for s in sla_service.statuses(site.desk.uow(), number)}
    assert "paused" in states
    page = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="sla-resume"' in page and 'data-testid="sla-pause"' not in page
    assert _post(site, number, "sla-resume").status_code == 303
    assert "paused" not in {s["state"] for s in sla_service.statuses(site.desk.uow(), number)}
    blank = _post(site, number, "sla-pause", reason=" ")
    assert blank.status_code == 422 and "暂停原因不能为空" in _error(blank.text)


def test_auditors_see_no_facts_or_offer_forms_and_cannot_post_them(site: Site) -> None:
    number = _open(site)
    site.login("sun_auditor")
    page = site.client.get(f"/complaints/{number}").text
    assert 'data-testid="facts-form"' not in page and 'data-testid="offer-form"' not in page
    assert _post(site, number, "offer", kind="compensation", amount="10").status_code == 403


def test_the_proposal_box_cannot_promise_beyond_the_agents_authority(site: Site) -> None:
    """Issue 17 point 5: the free-text proposal is checked like the offer, and keeps what was typed."""
    number = _open(site)
    site.login("li_agent")
    refused = _post(site, number, "propose", solution="一次性补偿五千元")
    assert refused.status_code == 403 and "请上报" in _error(refused.text)
    assert "一次性补偿五千元</textarea>" in refused.text
    assert svc.get_complaint(site.desk.uow(), number)["proposal"] in (None, "")
    unpriced = _post(site, number, "propose", solution="同意换机")
    assert unpriced.status_code == 422
    ok = _post(site, number, "propose", solution="同意退货退款", offer_kind="refund", offer_amount="180")
    assert ok.status_code == 303, _error(ok.text)
    assert svc.get_complaint(site.desk.uow(), number)["proposal"] == "同意退货退款(refund 180 元)"


def test_the_transfer_box_offers_only_colleagues_the_agent_may_assign_to(site: Site) -> None:
    """Issue 17 point 6: a picker of the agent's team (the lead included), and a ghost is refused."""
    number = _open(site)
    site.login("li_agent")  # 一组
    page = site.client.get(f"/complaints/{number}").text
    picker = page.split('data-testid="transfer-to"', 1)[1].split("</select>", 1)[0]
    offered = set(re.findall(r'<option value="([^"]+)"', picker))
    assert offered == {"wu_agent", "zhang_lead"}
    ghost = _post(site, number, "transfer", to_owner="ghost_user", reason="转走")
    assert ghost.status_code == 422 and "ghost_user" in _error(ghost.text)
    foreign = _post(site, number, "transfer", to_owner="chen_agent", reason="转走")
    assert foreign.status_code == 409
    assert _post(site, number, "transfer", to_owner="zhang_lead", reason="超出权限").status_code == 303
    assert svc.get_complaint(site.desk.uow(), number)["owner"] == "zhang_lead"


def test_a_refused_offer_comes_back_with_what_was_typed(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    refused = _post(site, number, "offer", kind="exchange", amount="2999", note="换同型号新机")
    assert refused.status_code == 403
    assert 'value="2999"' in refused.text and 'value="换同型号新机"' in refused.text
    assert '<option value="exchange" selected>' in refused.text


def test_a_misspelt_fact_in_the_json_box_is_refused_naming_it(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    response = _post(site, number, "facts", product_kind="tv", other='{"fault": {"reportd_on": "2026-11-01"}}')
    assert response.status_code == 422 and "fault.reportd_on" in _error(response.text)
    assert svc.get_complaint(site.desk.uow(), number)["facts"] == {}


def test_account_type_field_reaches_the_policy_as_prepaid(site: Site) -> None:
    number = _open(site, "宽带被停机了,我一直按时充值")
    site.login("li_agent")
    response = _post(site, number, "facts", product_kind="broadband", account_type="prepaid", balance="12.5",
                     suspended_on="2026-11-20")
    assert response.status_code == 303, response.text
    facts = svc.get_complaint(site.desk.uow(), number)["facts"]
    assert facts["billing"] == {"prepaid": True, "balance": 12.5, "suspended_on": "2026-11-20"}
    page = site.client.get(f"/complaints/{number}").text
    assert '<option value="prepaid" selected>' in page and "账户类型" in page


def test_a_non_finite_number_in_the_facts_form_is_refused_naming_the_field_and_kept_as_typed(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    for typed in ("nan", "inf", "-Infinity", "1e400"):
        refused = _post(site, number, "facts", monthly_fee=typed, product_model="KD-55X9000H")
        assert refused.status_code == 422 and _error(refused.text) == "monthly_fee 应为有限的数字"
        assert f'name="monthly_fee" inputmode="decimal" value="{typed}"' in refused.text
        assert 'value="KD-55X9000H"' in refused.text  # the rest of what was typed stays too
    boxed = _post(site, number, "facts", other='{"billing": {"amount_due": NaN}}')
    assert boxed.status_code == 422 and "other.billing.amount_due" in _error(boxed.text)
    assert "{&#34;billing&#34;: {&#34;amount_due&#34;: NaN}}" in boxed.text
    assert svc.get_complaint(site.desk.uow(), number)["facts"] == {}


def test_deep_json_in_the_facts_box_is_a_form_error_not_a_server_error(site: Site) -> None:
    number = _open(site)
    site.login("li_agent")
    for levels in (500, 50_000):
        refused = _post(site, number, "facts", other='{"repairs": ' + "[" * levels + "]" * levels + "}")
        assert refused.status_code == 422 and _error(refused.text).startswith("其他事实嵌套过深")
    assert svc.get_complaint(site.desk.uow(), number)["facts"] == {}
