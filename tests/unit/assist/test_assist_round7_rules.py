"""The seventh round's rules, each as data (replies.yaml, tactics.yaml, analysis threats.yaml) and each
checked here on texts written for the test, not taken from the scenarios: fault classes the complaint
tells in its own words, the new ``no_notice`` kind, another party's fault not admitted as ours, the thing
a complaint is about named in its own words, a busy hotline that is the centre itself, and the
seventh round's scenarios' pages used by no other set. Analyses are built by hand with no company fault
and no threat, so every test fails without the rule it names."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook

from .helpers import analysis
from .round_pages import assert_a_round_of_its_own_pages

NOW = datetime(2026, 11, 23, 10, 0)


def _advise(text: str, **kw):  # type: ignore[no-untyped-def]
    return advise(analysis(**kw), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)


@pytest.mark.parametrize(("text", "said"), [
    ("客服说三个工作日内给我退款，结果我等了整整一个月才到账。", "跟您说好的时间"),
    ("订单显示预订成功，到了门店你们却说没有这个套餐了。", "没有按订单给您兑现"),
    ("冰箱是你们物流送到的，拆开一看侧面一大块凹痕，门也变形了。", "运送的过程中损坏了"),
    ("上个月在你们店里做了激光祛斑，做完脸上留下好几块疤痕。", "治疗伤到了您"),
    ("你们的师傅也承认是安装失误，可到现在没人来处理。", "我们这边出了差错"),
    ("App里显示已经退款，可我的卡上根本没收到这笔钱。", "记成已经办好"),
    ("我三月份就申请了销户，到现在一直没人处理。", "一直没有给您处理"),
    ("航班取消了，柜台让我们自己想办法找酒店。", "推给了您自己"),
])
def test_a_fault_the_text_tells_in_its_own_words_earns_a_full_apology_naming_it(text: str, said: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full", advice.apology.why
    assert said in advice.reply_draft
    assert any(e.kind == "span" for e in advice.apology.evidence)


@pytest.mark.parametrize("text", [
    "演出临时改了时间，你们一个电话也没打给我，白跑了一趟。",
    "到了机场才发现航班取消了，为什么不通知我？",
    "课程突然停了，也没人跟我们说一声怎么办。",
])
def test_a_change_the_customer_learnt_of_only_there_is_a_fault_of_no_notice(text: str) -> None:
    advice = _advise(text)
    assert advice.apology.style == "full", advice.apology.why
    assert "没有提前通知您" in advice.reply_draft


@pytest.mark.parametrize("text", [
    "我在你们门店买的手机，店员说三个工作日内到货，第二天就到了，很满意，只想问发票怎么开。",
    "快递送到的时候箱子完好，我拆开检查过，东西没问题，就是想改一下地址。",
])
def test_the_same_words_in_a_case_that_went_right_admit_nothing(text: str) -> None:
    assert _advise(text).apology.style == "non_admission"


def test_another_party_named_as_the_doer_earns_no_admission_and_is_named_as_theirs() -> None:
    text = "我打热线反映一家医院多收了我80块钱挂号费，接线员态度很差，说我小题大做。"
    advice = _advise(text)
    assert advice.apology.style == "full"  # the operator's manner is ours
    assert "在收费上给您添了麻烦" not in advice.reply_draft
    assert "那家单位多收费" in advice.reply_draft


def test_a_fault_in_a_clause_naming_the_company_itself_stays_ours() -> None:
    text = "你们一家门店多收了我80块钱，至今没退。"
    advice = advise(analyze(text), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.apology.style == "full", advice.apology.why


def test_a_charge_the_accepted_terms_set_waits_for_the_record() -> None:
    text = "上个月参加了充值活动，页面小字写着参与即视为同意开通会员，这个月账单里多出20元会员费，我不需要这个会员。"
    advice = advise(analyze(text), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.apology.style == "non_admission", advice.apology.why


@pytest.mark.parametrize(("text", "said"), [
    ("这个月话费多了10元，原来被加了一个彩铃，我从来没同意过。", "您说的彩铃"),
    ("我约了周六安装宽带，等了一整天师傅都没来。", "装宽带的事，我马上联系安装人员"),
    ("在你们店做完项目交了钱，发票一直没给我。", "您的发票"),
    ("厨房吊顶一直在滴水，楼上说他们家水管没问题。", "漏水的地方"),
    ("小区门口的井盖破了好几天，很危险，一直没人管。", "井盖的问题"),
])
def test_the_thing_a_complaint_is_about_is_named_with_the_step_taken_on_it_now(text: str, said: str) -> None:
    assert said in _advise(text).reply_draft


def test_a_visit_that_has_since_been_made_is_not_booked_again() -> None:
    draft = _advise("说好两天内上门安装，拖了一个星期才有人来，装是装好了。").reply_draft
    assert "约一个确定的上门时间" not in draft


def test_the_paraphrase_names_the_head_of_a_compound_the_complaint_names() -> None:
    draft = _advise("我在你们的电脑补习班报了半年的课，想问问中途能不能转班。").reply_draft
    assert "补习班的问题" in draft
    assert "电脑的问题" not in draft


def test_a_busy_hotline_named_in_the_sentence_saying_so_is_the_centre_not_a_threat() -> None:
    text = "打了一下午市长热线一直占线，我想反映楼下饭店油烟扰民。"
    advice = advise(analyze(text), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.escalate.to is None


def test_a_hotline_the_customer_will_go_to_is_still_a_threat() -> None:
    text = "物业电话一直占线。再不修好电梯，我就打市长热线投诉你们。"
    advice = advise(analyze(text), None, "proposing", text=text, facts={"today": "2026-11-23"}, now=NOW)
    assert advice.escalate.to == "manager"


def test_saying_it_in_ones_moments_is_a_social_media_threat_and_being_removed_from_a_group_is_not() -> None:
    assert "social_media" in {t.kind for t in analyze("我已经在朋友圈说了这件事，让大家都别来你们店。").threats}
    assert "social_media" not in {t.kind for t in analyze("上周我突然被踢出了微信群，店也关了。").threats}


def test_the_new_fault_kind_has_the_words_an_apology_names_it_with() -> None:
    pb = load_playbook()
    assert "no_notice" in pb.replies.from_text
    assert pb.replies.fault_said["no_notice"]


def test_the_seventh_rounds_scenarios_use_pages_no_other_set_uses() -> None:
    scenarios = assert_a_round_of_its_own_pages("ar-r7-")
    assert sum(any("\u4e00" <= c <= "\u9fff" for c in r["text"]) for r in scenarios) == len(scenarios)
