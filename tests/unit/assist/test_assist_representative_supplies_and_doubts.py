"""Session 19 (issue 20): a representative already following the case, the thing a fee names, two supplies contrasted,
a misread only suspected, and people and halls that are no things. Texts written for the tests."""

from __future__ import annotations

from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.thing import listed_subject, named_thing


def _thing(text: str) -> str | None:
    r = load_playbook().replies
    return named_thing(text, r.not_thing_heads, r.not_thing_words, r.thing_refused,
                       bound_heads=r.thing_bound_heads, kept_whole=r.thing_kept_whole)


def _subject(text: str) -> str | None:
    r = load_playbook().replies
    return listed_subject(text, r.subjects, r.thing_places, r.subject_means)


def test_a_legislator_already_following_the_case_is_escalation_taken() -> None:
    advice = advise(None, text="停水六天了，洪委員說你們會開會，到底幾時有水？").to_dict()
    assert advice["escalate"]["to"] == "manager"
    assert any(a["key"] == "matter_representative" for a in advice["next_actions"])


def test_a_representative_the_customer_did_not_go_to_is_no_escalation() -> None:
    advice = advise(None, text="停水六天了，我没有找委员说你们的事，只想知道几时有水。").to_dict()
    assert not any(a["key"] == "matter_representative" for a in advice["next_actions"])


def test_a_thing_counted_through_its_fee_named_twice_is_named_by_the_fee() -> None:
    text = "每期用的度数都不到基本度，可是帐单上的基本费一毛都没少。报纸上说基本费应该取消。"
    assert _thing(text) == "基本费"


def test_a_fee_named_once_leaves_the_thing_its_own_name() -> None:
    assert _thing("说不交清天然气费就停气，可天然气经常压力不够，天然气灶都点不着。") == "天然气"


def test_of_two_supplies_contrasted_the_one_without_notice_is_named() -> None:
    draft = advise(None, text="一问邻居全楼都没气 停水还知道提前通知 停气一点消息没有 请尽快抢修").to_dict()["reply_draft"]
    assert "停气的事" in draft and "停水的事" not in draft


def test_a_misread_the_customer_only_suspects_earns_no_admission() -> None:
    advice = advise(None, text="這兩個月冷氣開得多我明白，但電費單比去年貴了一倍，我懷疑你們抄錯錶或者多收了。").to_dict()
    assert advice["apology"]["style"] == "non_admission"


def test_family_and_halls_are_not_the_thing() -> None:
    assert _thing("我跟媳妇去吃面，媳妇碗里有头发，媳妇当场就吐了。") != "媳妇"
    assert _thing("营业厅让我排队，营业厅的人又说系统坏了，营业厅关门了我还没办完。") != "营业厅"


def test_where_the_customer_lives_is_not_the_thing() -> None:
    assert _thing("我们小区停水三天了，小区里没人管，小区门口也没贴通知。") != "小区"


def test_a_supply_pressure_is_the_subject_before_the_appliance_it_stops() -> None:
    assert _subject("这两天家里的水压特别低，水龙头基本出不来水，热水器也打不着。") == "水压"


def test_a_misread_the_customer_tells_as_fact_still_earns_the_admission() -> None:
    advice = advise(None, text="你们抄错表了，这个月多收了我两百块电费，我查过表上的读数。").to_dict()
    assert advice["apology"]["style"] == "full"


def test_a_check_the_customer_cannot_make_alone_is_made_by_the_agent() -> None:
    text = "換了新水錶以後水費貴了一半。你們網站上叫用戶自己檢查水管有沒有漏水，我一個老人家不會弄。請你們解釋。"
    draft = advise(None, text=text).to_dict()["reply_draft"]
    assert "不用您再自己操作" in draft
