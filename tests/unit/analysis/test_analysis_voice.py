"""Whose words a cue stands in (issue 19, point 5), real demand and threat words, traditional script and
the dissatisfaction score of reviews. Read by the whole engine (cues and the shipped learned layer)."""

from __future__ import annotations

import numpy as np
import pytest

from complaintdesk.analysis import analyze, training
from complaintdesk.text import normalise


@pytest.mark.parametrize(
    ("text", "demand"),
    [
        ("买了不到一周就坏了,你们赶紧把钱退给我。", "refund"),
        ("買了不到一週就壞了,你們趕緊把錢退給我。", "refund"),
        ("这件事拖了一个月,今天必须给个说法。", "explanation"),
        ("漏水泡坏了地板,要求你们赔偿损失。", "compensation"),
        ("新买的冰箱不制冷,给我换个新的。", "exchange"),
        ("热水器又不出热水了,请尽快派人上门看看。", "repair"),
        ("那个师傅把我家弄得一团糟,必须向我道歉。", "apology"),
        ("停电三天了,请立即恢复供电。", "restore_service"),
    ],
)
def test_a_demand_in_the_customers_own_words_is_found(text: str, demand: str) -> None:
    assert demand in analyze(text).demand_kinds


def test_what_the_shop_said_it_would_do_is_not_the_customers_demand() -> None:
    reading = analyze("菜里吃出头发,店里说可以免单,我只想知道后厨平时是怎么管卫生的。")
    assert "waive_fee" not in reading.demand_kinds


def test_what_the_customer_told_the_agent_stays_the_customers_demand() -> None:
    assert "refund" in analyze("我跟客服说了好几次,我要退款,到现在还没人处理。").demand_kinds


def test_calling_12345_to_complain_is_a_threat() -> None:
    assert "regulator" in analyze("物业一直不修电梯,我已经打12345投诉了。").threat_kinds
    assert "regulator" in analyze("物業一直不修電梯,我已經撥打12345投訴了。").threat_kinds


def test_a_hotline_or_a_platform_only_named_is_not_a_threat() -> None:
    reading = analyze("停气通知上留了12345热线的号码。我在业主群里一问,整个小区都没气,到现在也没人来修。")
    assert "regulator" not in reading.threat_kinds
    assert "social_media" not in reading.threat_kinds


def test_going_to_the_press_or_posting_online_is_a_threat() -> None:
    assert "media" in analyze("再不处理我就找记者来曝光你们。").threat_kinds
    assert "social_media" in analyze("你们不退钱,我就把聊天记录发到微博上。").threat_kinds


def test_violence_the_customer_suffered_is_not_a_threat() -> None:
    reading = analyze("我给了差评,结果快递员冲到我家门口动手打我,我已经报警了。")
    assert "violence" not in reading.threat_kinds
    assert "intimidating" not in reading.type_names


def test_an_agent_quoted_refusing_does_not_make_the_customer_negative() -> None:
    reading = analyze('我问能不能换货,客服说"不可能",他说这不归他们管,叫我自己找厂家。')
    assert "negative" not in reading.type_names
    reading = analyze("我问能不能换货,客服说不可能,那也不行,这不归他们管。")
    assert "negative" not in reading.type_names


def test_i_disagree_alone_does_not_make_a_negative_customer() -> None:
    assert "negative" not in analyze("你们说过保要收费,我不同意。").type_names


def test_a_boss_shouting_is_not_the_customer_intimidating() -> None:
    reading = analyze("我说面太咸,老板就一直喊“给我滚,给我滚”,还把我推出门。")
    assert "intimidating" not in reading.type_names


def test_a_threat_in_traditional_script_meets_its_simplified_cue_and_quotes_the_original() -> None:
    text = "今天不給我換,你們這店我砸了也不意外,走著瞧。"
    reading = analyze(text)
    assert "intimidating" in reading.type_names
    spans = [s for t in reading.customer_types if t.type == "intimidating" for s in t.evidence]
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert any(s.text == "走著瞧" for s in spans)


def test_taiwan_and_hong_kong_usage_read_as_the_cue_lists_spell_it() -> None:
    assert normalise("網路斷了,訊號也沒有,向衞生局反映").text == "网络断了,信号也没有,向卫生局反映"
    assert normalise("顯著").text == "显著"  # 著 stays 著 where it is not the particle
    assert normalise("影片").text == "影片"  # a simplified text is not rewritten




def test_praise_makes_a_review_read_pleased_and_negated_praise_does_not(cues_only: None) -> None:
    """The cue estimate, before the learned layer weighs in."""
    pleased = analyze("房间干净整洁,前台很热情,位置方便,下次还来。").emotion.dissatisfaction
    unhappy = analyze("房间不干净,隔音差,很吵,早餐难吃。").emotion.dissatisfaction
    assert pleased < 0 < unhappy


def test_the_weight_of_the_cues_in_dissatisfaction_is_chosen_where_they_separate_best() -> None:
    rng = np.random.default_rng(3)
    y = np.array([1] * 20 + [0] * 20)
    rows = [training.Example("", {}, {"dissatisfaction": 0.6 if label else -0.4}) for label in y]
    noise = rng.random(40)  # a model that knows nothing
    assert training._valence_cue_weight(rows, y, noise) == max(training._CUE_WEIGHTS)
    rows = [training.Example("", {}, {"dissatisfaction": float(v)}) for v in rng.uniform(-1, 1, 40)]
    knows = np.where(y == 1, 0.9, 0.1)  # a model that knows everything, cues that know nothing
    assert training._valence_cue_weight(rows, y, knows) < 0.5
