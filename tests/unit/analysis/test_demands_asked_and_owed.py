"""Demands asked for and duties told (issue 19, Session 19): a repair or a check asked for after a request word,
a bill or price to be set again lower, what the company should have said beforehand, and the rhetorical
谁负责. Read by the cue scan alone, so that each reading is the cues'."""

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
    "text",
    [
        "主板坏了才过保三天，我要求厂家免费维修。",
        "卫生间天花板漏水两个月了，麻烦管理处尽快找人来维修。",
        "底盘又有油渍，请认真检查到底是不是漏油。",
        "地板色差太大，要求商家重新处理。",
        "度数配错了，我要求店家重新验光配镜。",
    ],
)
def test_a_repair_or_a_check_asked_for_after_a_request_word_is_repair(text: str) -> None:
    assert "repair" in analyze(text).demand_kinds


@pytest.mark.parametrize(
    "text",
    [
        "维修点收了我三百块，请把维修费退给我。",
        "我要求医院承担检查费用。",
    ],
)
def test_a_repair_or_check_fee_named_is_no_repair(text: str) -> None:
    assert "repair" not in analyze(text).demand_kinds


@pytest.mark.parametrize(
    "text",
    [
        "电表坏了账单翻了十倍，请电力公司按实际用量重新计算这期电费。",
        "说好八千五做完，现在要两万，我要求按原报价结算。",
        "婚纱照拍得一塌糊涂，尾款没付，我要求降低价格。",
        "场地漏水毁了婚宴，费用该折抵就要折抵。",
    ],
)
def test_a_bill_or_price_to_be_set_again_lower_is_waive_fee(text: str) -> None:
    assert "waive_fee" in analyze(text).demand_kinds


@pytest.mark.parametrize(
    "text",
    [
        "加了两块钱服务费，店家应该点单前讲清楚。",
        "上门费要两百，至少应该提前告诉我。",
        "理发店应该事先讲清楚价格，孩子才十五岁。",
        "楼下天天冒烟，我问为什么不改善，他说一直都这样。",
    ],
)
def test_what_should_have_been_said_beforehand_is_no_explanation_asked(text: str) -> None:
    assert "explanation" not in analyze(text).demand_kinds


def test_a_plea_to_be_told_now_stays_an_explanation() -> None:
    assert "explanation" in analyze("这笔费用请你们讲清楚是怎么来的。").demand_kinds


@pytest.mark.parametrize(
    "text",
    [
        "工人在楼上乱扔东西，万一砸到人谁负责？",
        "试车开到一百多，出了事谁负责？",
    ],
)
def test_a_rhetorical_who_is_responsible_alone_is_no_compensation(text: str) -> None:
    assert "compensation" not in analyze(text).demand_kinds


def test_who_is_responsible_beside_a_claim_stays_compensation() -> None:
    assert "compensation" in analyze("手机修了一整天耽误工作，损失谁负责？误工费你们要赔。").demand_kinds
