"""Customer types that real letters show (issue 19, the tune-k round): a courteous letter that names the
hotline it called is still 友好型; a rule held up as plain on its face is 无所不知型; an unhappy account the
lists have no feeling words for still whines when it asks for nothing — and does not when it closes on a
request the demand lists missed. A price offered and another charged is a promotion's dispute."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze, judgements
from complaintdesk.analysis.judgements import Labelled

pytestmark = pytest.mark.usefixtures("cues_only")


def _types(text: str) -> dict[str, list[str]]:
    return {t.type: [s.text for s in t.evidence] for t in analyze(text).customer_types}


def test_a_formal_courteous_letter_that_names_the_hotline_it_called_is_friendly() -> None:
    types = _types(
        "尊敬的领导：我们楼里好几户对供热面积的计量有疑问，今天已经打过12345的供热热线。"
        "想请您帮忙了解一下供热企业是按什么标准量面积的，量错了怎么退费。"
    )
    assert "friendly" in types
    assert {"尊敬的", "请您"} <= set(types["friendly"])


def test_a_letter_that_threatens_the_press_is_not_friendly_for_its_courtesy() -> None:
    assert "friendly" not in _types("尊敬的领导您好，请您看看这件事，不解决我就找记者曝光，谢谢。")


def test_a_rule_held_up_as_plain_on_its_face_is_a_know_it_all() -> None:
    types = _types("送4S店修了7次都没修好。汽车三包规定写得很清楚，同一质量问题修理超过5次就可以换车，你们还不换？")
    assert "know_it_all" in types
    assert any("写得很清楚" in words for words in types["know_it_all"])


def test_a_contract_said_to_be_clear_is_no_rule_cited() -> None:
    assert "know_it_all" not in _types("合同上写得很清楚，三月交房，现在六月了还没交，请给个说法。")


_QUIET = (
    "我每个星期都在车站排班处坐出租车，每一次都是破车，司机抽烟，车里臭得要命。请他开后备箱就不耐烦，"
    "市区里猛踩油门又猛踩刹车，跟他说怎么走也不回话。上次还有司机把手机放在仪表板上看电影，声音开得很大"
)


def _whines(text: str, felt: str) -> bool:
    calm = Labelled("calm", 0.0, ())
    found = judgements.customer_types(text, {}, [], [], calm, felt)
    return any(t.label == "whiner" for t in found)


def test_an_account_read_as_unhappy_that_asks_for_nothing_whines_and_cites_its_close() -> None:
    text = _QUIET + "。"
    calm = Labelled("calm", 0.0, ())
    (whiner,) = [t for t in judgements.customer_types(text, {}, [], [], calm, "disappointment") if t.label == "whiner"]
    start, end = whiner.evidence[0]
    assert text[start:end].endswith("声音开得很大。")


def test_an_account_read_as_calm_does_not_whine() -> None:
    assert not _whines(_QUIET + "。", "calm")


def test_an_account_that_closes_on_a_request_the_lists_missed_does_not_whine() -> None:
    assert not _whines(_QUIET + "。希望有关部门管一管这些司机。", "disappointment")
    assert not _whines(_QUIET + "。这样到底还要多久才解决？", "anger")


def test_a_price_offered_and_another_charged_is_a_promotion_dispute() -> None:
    reading = analyze(
        "我在一家连锁口腔咨询种植牙，广告写着进口种植体套餐价6800元。治疗当天医生说6800只含种植体，"
        "基台和牙冠另付3000，麻醉费500，最后花了一万多。"
    )
    assert reading.category.label == "promotion_rules"
