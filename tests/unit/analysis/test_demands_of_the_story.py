"""Demand words the story tells are not demands (issue 19, Session 18): an act that did not happen, another
party's act told. Read by the cue scan alone, so that each reading is the
cues'; the story's words still count for the mood, the cause and the customer types."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import analyze, learned


@pytest.fixture(autouse=True)
def _cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("饭菜里吃出头发，服务员换了一盘就走，连句道歉都没有。", "apology"),
        ("签约那天根本没人讲清楚违约金怎么算。", "explanation"),
        ("停了一下午电，从头到尾没有一个负责人出来说明。", "explanation"),
    ],
)
def test_an_act_that_did_not_happen_is_a_fault_told_not_a_demand(text: str, kind: str) -> None:
    assert kind not in analyze(text).demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("没经我同意加装的配件不收费，这是我的要求。", "waive_fee"),
        ("装修队要么回来完工，要么把没做的部分退钱。", "refund"),
    ],
)
def test_a_negation_of_another_phrase_leaves_the_demand(text: str, kind: str) -> None:
    assert kind in analyze(text).demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("菜里有虫，晚上店长出面跟我道歉。", "apology"),
        ("停电的事物业后来上门道歉了，可电梯还是坏的。", "apology"),
    ],
)
def test_another_partys_act_told_is_no_demand(text: str, kind: str) -> None:
    assert kind not in analyze(text).demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("师傅把我家的地板刮花了，你们免费修好。", "repair"),
        ("请商家给我免费修好，不然我就投诉。", "repair"),
        ("店家必须当面道歉。", "apology"),
    ],
)
def test_a_command_to_the_company_stays_a_demand(text: str, kind: str) -> None:
    assert kind in analyze(text).demand_kinds


@pytest.mark.parametrize(
    "text",
    [
        "我的套餐被人偷偷改了，请你们彻查是谁动的手脚。",
        "这家培训机构收了钱就关门，也请有关部门查一查。",
        "断网整整十天，这几天的月租也该有个说法。",
    ],
)
def test_an_inquiry_asked_for_is_an_explanation_demand(text: str) -> None:
    assert "explanation" in analyze(text).demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("实在没办法只好要求退款。", "refund"),
        ("找了三次都没结果只能要求赔偿。", "compensation"),
        ("客服一直没回应我就要求退款了。", "refund"),
    ],
)
def test_a_turn_after_what_did_not_happen_starts_the_customers_asking(text: str, kind: str) -> None:
    assert kind in analyze(text).demand_kinds


def test_never_having_asked_for_it_declines_it() -> None:
    assert "compensation" not in analyze("我们从头到尾都没要赔偿，只想听一句解释。").demand_kinds


def test_a_claim_for_the_loss_is_a_compensation_demand_not_a_lawyer_threat() -> None:
    reading = analyze("再这样停电，我就把冰箱里坏掉的东西一样样列出来跟你们求偿。")
    assert "compensation" in reading.demand_kinds
    assert "lawyer" not in reading.threat_kinds


def test_a_claim_taken_to_court_is_still_a_lawyer_threat() -> None:
    assert "lawyer" in analyze("你们不赔，我就去法院起诉求偿。").threat_kinds


@pytest.mark.parametrize(
    "text",
    [
        "演出临时换了嘉宾，我退一步要求换成明年的门票，主办也不肯。",
        "这台洗衣机三天两头漏水，希望更换一台同型号的。",
    ],
)
def test_a_request_word_right_before_a_replacement_asks_for_an_exchange(text: str) -> None:
    assert "exchange" in analyze(text).demand_kinds


def test_a_request_far_from_the_change_word_is_no_exchange_demand() -> None:
    assert "exchange" not in analyze("我希望你们的售后流程以后能换一种做法。").demand_kinds


def test_a_deadline_asked_for_hurries_the_company() -> None:
    assert "expedite" in analyze("要求贵公司限期处理，给我一个结果。").demand_kinds


def test_a_deadline_in_the_contract_asks_for_nothing() -> None:
    assert "expedite" not in analyze("合同上写着限期三十天交房，到现在也没交。").demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("师傅检查完说压缩机坏了要换新，报价三百。", "exchange"),
        ("官网说保修期内免费换电池，我就请假跑了一趟。", "waive_fee"),
        ("漏电跳闸以后，这台热水器还能不能继续用？", "restore_service"),
    ],
)
def test_a_remedy_named_in_the_story_is_no_demand_by_itself(text: str, kind: str) -> None:
    assert kind not in analyze(text).demand_kinds


def test_a_question_asked_back_then_still_asks_for_what_it_names() -> None:
    # the files label 我问客服能不能退 no demand, but the assist answers that customer's refund (Session 18: read as the
    # story, it cost a frozen assist scenario set a must-say)
    assert "refund" in analyze("上周我打电话问客服能不能退，客服说过了七天不行。").demand_kinds
