"""Session 18: the thing the draft names, and the stock steps that fired on a piece of another word.

A fee compound jieba cuts is named whole (基本费, never 基本); a thing named as a place (电梯口) is no complaint about
it; a situation's cue counts only where the text names it (停电 of 停电梯 does not) and its confirming word is not the
rest of the cue's own word (洗衣服); a supply cut is named with its repair looked up; a category's stock steps need
words of it (网络 as a channel is no line to restore, a part replaced is no wait for one). Texts written for the tests.
"""

from __future__ import annotations

from datetime import datetime

from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.situations import situations_in
from complaintdesk.assist.thing import listed_subject, named_thing

from .helpers import analysis

NOW = datetime(2026, 11, 23, 10, 0)


def _thing(text: str) -> str | None:
    r = load_playbook().replies
    return named_thing(text, r.not_thing_heads, r.not_thing_words, r.thing_refused,
                       bound_heads=r.thing_bound_heads, kept_whole=r.thing_kept_whole)


def _situations(text: str) -> list[str]:
    r = load_playbook().replies
    return [s.key for s, _ in situations_in(text, r.situations, r.thing_places, r.thing_bound_heads)]


def test_a_basic_fee_is_named_whole_never_cut_to_basic() -> None:
    assert _thing("我家只有两个人，每月还要交基本费。用得再少，基本费也一分不少。") == "基本费"


def test_a_fee_counts_for_what_it_is_the_fee_of() -> None:
    assert _thing("说不交清天然气费就停气，可天然气经常压力不够。") == "天然气"


def test_a_listed_fee_compound_jieba_cuts_into_pieces_is_kept_whole() -> None:
    assert _thing("骨灰盒是外面买的，就要多收装灰费；这笔装灰费，物价局说没批过。") == "装灰费"


def test_a_lone_fee_after_a_pronoun_joins_nothing() -> None:
    assert _thing("我费了半天劲，你们还是让我等。") is None


def test_a_notice_by_the_lift_door_is_no_complaint_about_the_lift() -> None:
    r = load_playbook().replies
    text = "单元电梯口贴了一张通知，说月底不交钱就停气。"
    assert listed_subject(text, r.subjects, r.thing_places) is None
    assert "lift" not in _situations(text + "电梯口的通知已经贴了一个星期，停了气老人做不了饭。")


def test_a_broken_lift_is_still_the_lift() -> None:
    r = load_playbook().replies
    text = "电梯坏了三天，老人下不了楼。"
    assert listed_subject(text, r.subjects, r.thing_places) == "电梯"
    assert _situations(text) == ["lift"]


def test_stopping_a_lift_is_no_power_cut() -> None:
    assert "supply_cut" not in _situations("物业欠了电费，就说以后要随便停电梯。")


def test_washing_clothes_during_a_water_cut_is_no_laundry_claim() -> None:
    keys = _situations("这个月停水停了三天，洗衣服做饭都没法弄。")
    assert "laundry" not in keys
    assert "supply_cut" in keys
    assert _situations("我的羽绒服送洗以后洗坏了，干洗店不认。") == ["laundry"]


def test_a_modifier_compound_still_names_its_thing() -> None:
    assert "card_transfer" in _situations("我的年卡想转让给朋友，你们要收300元转让费。")


def test_a_power_cut_is_named_with_its_repair_looked_up() -> None:
    draft = advise(None, text="我们村这三天一到傍晚就停电，打电话也没人来修。", stage="accepted", now=NOW).reply_draft
    assert "停电的事" in draft and "抢修" in draft


def test_a_power_cut_the_customer_says_is_back_is_not_promised_again() -> None:
    draft = advise(None, text="昨天晚上又停电了，半夜才来电。这个月已经第三次了。", stage="accepted", now=NOW).reply_draft
    assert "什么时候能恢复" not in draft


def test_the_internet_as_a_channel_is_no_line_to_restore() -> None:
    text = "仁和村一到晚上就停电，供电所说变压器负荷不够，白天也不来修。难道要我们通过网络、媒体才能解决吗？"
    a = analysis(category="service_suspension")
    draft = advise(a, text=text, stage="accepted", now=NOW).reply_draft
    assert "复机" not in draft and "停机记录" not in draft


def test_a_part_replaced_with_a_copy_is_no_wait_for_parts() -> None:
    text = "保修期里车门的配件坏了，4S店免费换了，后来我发现换上去的是副厂件。"
    draft = advise(analysis(category="parts_shortage"), text=text, stage="accepted", now=NOW).reply_draft
    assert "周转机" not in draft and "配件到货" not in draft


def test_a_wait_for_parts_keeps_its_own_steps() -> None:
    text = "电视送修半个月了，你们说配件缺货，让我等，到现在也没个准话。"
    draft = advise(analysis(category="parts_shortage"), text=text, stage="accepted", now=NOW).reply_draft
    assert "配件" in draft and "到货" in draft


def test_a_lift_waiting_for_its_part_is_offered_no_loaner() -> None:
    text = "我们楼的电梯坏了一个星期，物业说配件缺货，还要等几天才到货。"
    draft = advise(analysis(category="parts_shortage"), text=text, stage="accepted", now=NOW).reply_draft
    assert "周转机" not in draft and "到货" in draft


def test_a_television_waiting_for_its_part_is_still_offered_a_loaner() -> None:
    text = "电视送修半个月了，你们说配件缺货，让我等。"
    draft = advise(analysis(category="parts_shortage"), text=text, stage="accepted", now=NOW).reply_draft
    assert "周转机" in draft


def test_looking_a_price_up_online_is_no_internet_complaint() -> None:
    r = load_playbook().replies
    text = "你们上门换表，非要我装一个168元的阀门。我上网查了一下，网上几十块就有。"
    assert listed_subject(text, r.subjects, r.thing_places, r.subject_means) is None
    assert listed_subject("家里的宽带总是断，打了三次电话。", r.subjects, r.thing_places, r.subject_means) == "宽带"


def test_taking_clothes_to_bathe_elsewhere_in_a_water_cut_is_no_laundry_claim() -> None:
    keys = _situations("小区停水五天了，我每天带着衣服去公司洗澡。")
    assert "laundry" not in keys and "supply_cut" in keys


def test_a_water_cut_asked_to_be_restored_is_answered_once() -> None:
    draft = advise(None, text="今天早上突然停水，一条通知都没有。请尽快恢复供水。", stage="accepted", now=NOW).reply_draft
    assert draft.count("恢复") == 1 and "停水的事" in draft
