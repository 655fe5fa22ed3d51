"""Draft first (issue 20): the reply draft and the one next action open the complaint page, the rest folds,
recorded offers reach the draft, and codes and seed citations stay inside the "why" details."""

from __future__ import annotations

import re

from web_site_helpers import Site

from complaintdesk.services import complaints as svc

WHY = re.compile(r'<details class="why">.*?</details>', re.S)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|seed 00|§|示例")


def _open(site: Site, description: str) -> str:
    detail = svc.open_complaint(site.desk.uow(), svc.OpenComplaint("吴先生", "13700001111", "投诉", description,
                                                                 actor="li_agent"))  # fmt: skip
    return str(detail["number"])


def _post(site: Site, number: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    version = svc.get_complaint(site.desk.uow(), number)["version"]
    data = {"csrf_token": site.csrf(f"/complaints/{number}"), "version": str(version), **fields}
    return site.client.post(f"/complaints/{number}/{action}", data=data, follow_redirects=False)


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start: html.index("</section>", start)]


def test_the_draft_and_one_next_action_open_the_page_and_the_rest_folds(site: Site) -> None:
    number = _open(site, "约好今天上午师傅上门修空调，我请了假等了一上午，师傅没来，电话也打不通。")
    site.login("li_agent")
    html = site.client.get(f"/complaints/{number}").text
    top = html.index('data-testid="assist-top"')
    assert top < html.index('data-testid="description"') < html.index('data-testid="assist-panel"')
    card = _section(html, "assist-top")
    assert card.count('data-testid="assist-next"') == 1
    assert 'data-fill="#msg-body"' in card and 'id="msg-body"' in html  # "use this draft" fills the reply box
    draft = re.search(r'data-testid="assist-draft">([^<]*)<', card)
    assert draft is not None and "没有按约定的时间上门" in draft.group(1)
    assert '<details data-testid="assist-more">' in _section(html, "assist-panel")


def test_panel_text_is_plain_chinese_with_codes_only_in_the_why_details(site: Site) -> None:
    number = _open(site, "宽带欠费不到30天就被停了，客服说这是不可能的！我要求恢复宽带、赔偿，不然我就向工信部申诉。")
    site.login("li_agent")
    html = site.client.get(f"/complaints/{number}").text
    for testid in ("assist-top", "assist-panel"):
        shown = WHY.sub("", _section(html, testid))
        shown = re.sub(r'data-[a-z]+="[^"]*"|<[^>]+>', "", shown)
        assert CODE.findall(shown) == [], testid


def test_an_offer_made_within_authority_reaches_the_reply_draft(site: Site) -> None:
    number = _open(site, "冰箱不制冷，你们说24小时上门，我等了两天才来人，拉走以后就没消息了，要求赔偿。")
    site.login("li_agent")
    assert _post(site, number, "offer", kind="compensation", amount="50", note="上门延误补偿").status_code == 303
    card = _section(site.client.get(f"/complaints/{number}").text, "assist-top")
    assert "我为您申请了50元的补偿" in card


def test_a_product_named_in_the_text_is_not_asked_about(site: Site) -> None:
    number = _open(site, "电视买了十天就黑屏，要求换一台新的")
    site.login("li_agent")
    html = site.client.get(f"/complaints/{number}").text
    assert "哪一件产品" not in html and "是什么产品" not in _section(html, "assist-top")
