"""Threats are the customer's own acts (issue 19, s14): whose act a threat cue stands in, and regulator
complaints no single cue names. Read by the cue scan alone, so that each span is the cue's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import analyze, learned


@pytest.fixture(autouse=True)
def _cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


def _span(text: str, kind: str) -> str:
    threat = next(t for t in analyze(text).threats if t.kind == kind)
    return "".join(span.text for span in threat.evidence)


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        # a public body and a complaint act, whatever the body is called
        ("商家一直拖着不退款,我已经向杭州市西湖区政府提出了消费申诉。", "regulator", "西湖区政府提出了消费申诉"),
        ("再拖下去,我就去省金融监管局投诉。", "regulator", "金融监管局投诉"),
        ("说不清楚我就去消保会申诉。", "regulator", "消保会"),
        # the company as the customer's object, or a condition on the company's act
        ("我已经把物业公司和开发商一起告上法庭了。", "lawyer", "告上法庭"),
        ("你们再不退钱就法庭见。", "lawyer", "法庭见"),
        # the customer's hand, the customer leaving
        ("再不给答复,我把你们的柜台砸了!", "violence", "砸了"),
        ("用了两年就坏,我立马换了一台别家的。", "churn", "别家"),
        ("我要求马上终止我的会员合约。", "churn", "终止我的会员合约"),
        ("我已经寄了存证信函给店家。", "lawyer", "存证信函"),
    ],
)
def test_a_threat_the_customer_states_is_found_with_its_words(text: str, kind: str, words: str) -> None:
    assert kind in analyze(text).threat_kinds
    assert words in _span(text, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你们就把下个月的会费转走了。", "churn"),
        ("卖家直接把我拉黑了。", "churn"),
        ("号码被人转走了一整晚。", "churn"),
        ("官方在脸书发了个道歉声明就算了事。", "social_media"),
        ("你们却让我走诉讼,这合理吗?", "lawyer"),
    ],
)
def test_an_act_of_the_company_or_done_to_the_customer_is_not_the_customers_threat(text: str, kind: str) -> None:
    assert kind not in analyze(text).threat_kinds


def test_violence_the_customer_suffered_or_was_shouted_at_is_not_a_threat() -> None:
    assert "violence" not in analyze("他还追出来动手,把我推倒了。").threat_kinds
    shouted = analyze("骑手指着我骂:“再不删差评我就弄死你。”我吓坏了。")
    assert "violence" not in shouted.threat_kinds
    assert "social_media" not in shouted.threat_kinds


def test_a_warning_with_the_customers_hand_in_it_stays_violence() -> None:
    assert "violence" in analyze("今天不给我解决,信不信我动手!").threat_kinds


def test_a_complaint_titled_with_its_own_filing_is_not_a_regulator_threat() -> None:
    assert "regulator" not in analyze("我要申诉健身房的退费问题。上个月我办了年卡,店就关门了。").threat_kinds


def test_an_intention_dropped_is_not_a_threat() -> None:
    assert "lawyer" not in analyze("本来想跟邻居们一起请律师,商量来商量去,算了。").threat_kinds


def test_a_turn_after_the_dropped_intention_keeps_the_threat() -> None:
    assert "lawyer" in analyze("本来想私了,现在只能请律师起诉你们。").threat_kinds


@pytest.mark.parametrize(
    "text",
    [
        "我跟建商反映了很多次,都没人管。",  # the company is no public body
        "市场监管的人说这是消费纠纷,让我们自己协商。",  # the body speaks; the customer does nothing with it
        "楼下只有一张海关告示,接待处也没人。",  # 告示 holds 告 without its sense
    ],
)
def test_a_body_named_without_the_customers_complaint_act_is_not_a_regulator_threat(text: str) -> None:
    assert "regulator" not in analyze(text).threat_kinds


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("我會搵傳媒嚟睇下你哋點做生意。", "media", "傳媒"),  # the span quotes the original script
        ("下个月我就转去中国移动。", "churn", "转去中国移动"),
    ],
)
def test_hong_kong_press_and_mainland_carriers_are_read(text: str, kind: str, words: str) -> None:
    assert kind in analyze(text).threat_kinds
    assert words in _span(text, kind)


def test_an_act_the_customer_does_not_want_is_not_a_threat_unless_pushed() -> None:
    assert "regulator" not in analyze("我不想闹到消协去,只想好好解决。").threat_kinds
    assert "regulator" in analyze("我不想去12345投诉,但你们逼我的。").threat_kinds


def test_a_neighbours_call_to_a_hotline_is_not_the_customers_threat() -> None:
    assert "regulator" not in analyze("邻居上次打了12345也没用。").threat_kinds


def test_asking_whether_one_may_complain_is_not_yet_a_threat() -> None:
    assert "regulator" not in analyze("修好是修好了,但这样合理吗?请问可以跟消保官申诉吗?").threat_kinds
    assert "regulator" in analyze("你们到底能不能处理,不能我就找消保官申诉。").threat_kinds
