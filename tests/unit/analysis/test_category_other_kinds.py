"""Category `other` read as a specific cause (issue 19, Session 17): the kinds tune files h and l showed.
A wedding, a train or bus, a hospital's emergency room are causes none of the twelve names (labelling guide,
rule 12, C3); a word on the way (漏水, 坏掉, 黑口黑面, 才来) names a subject, not the cause. A shop that closed
is no suspension (rule 8), whatever the learned layer reads. Example sentences are the team's own."""

from __future__ import annotations

import numpy as np
import pytest

from complaintdesk.analysis import analyze, blend, learned
from complaintdesk.analysis.judgements import Labelled
from complaintdesk.analysis.learned import Head


@pytest.mark.usefixtures("cues_only")
@pytest.mark.parametrize(
    "text",
    ["大厅天花板严重漏水，业者说是楼上锅炉的问题，我们在这家婚宴会馆办的喜宴就这样毁了。",
     "婚庆公司收了五万多，婚礼当天只来了一个人，司仪和摄影两边互相推，出了错谁都不认。",
     "坐台铁回家，半路电力设备坏掉，列车误点两个多小时，出站还说我超时要补票。",
     "带孩子去急诊，分流说不紧急，一等就是六个钟头，护士还黑口黑面。",
     "物业不让安装充电桩，说地库一律不准安装，要安装先拿消防证明，可地库里明明有几十个收费的充电桩。"],
)
def test_a_service_none_of_the_causes_names_stays_other_despite_a_word_on_the_way(text: str) -> None:
    assert analyze(text).category.label == "other"


@pytest.mark.usefixtures("cues_only")
def test_the_pandemic_coming_back_is_not_a_repair_coming_back() -> None:
    assert analyze("疫情反反复复，幼儿园停课两个月，学费一分没退。").category.label == "other"


@pytest.mark.usefixtures("cues_only")
def test_a_bus_that_comes_once_an_hour_is_not_a_late_repair_visit() -> None:
    assert analyze("公交一个多小时才来一辆，我在站台上等了半天。").category.label == "other"


@pytest.mark.usefixtures("cues_only")
def test_a_charge_at_a_wedding_the_complaint_is_about_is_still_billing() -> None:
    text = "婚礼结束后婚庆公司的账单多收了三千，同一项布置重复收费，问了也不退。"
    assert analyze(text).category.label == "billing"


def _head(labels: tuple[str, ...]) -> Head:
    return Head("category", "single", labels, np.zeros((1, len(labels)), np.float32), np.zeros(len(labels), np.float32),
                np.array([0.1, 0.0], np.float32), np.array([np.inf], np.float32))  # fmt: skip


def test_a_label_the_text_rules_out_is_not_taken_from_the_model() -> None:
    head = _head(("service_suspension", "billing", "other"))
    probs = {"service_suspension": 0.45, "billing": 0.2, "other": 0.3}
    closed = Labelled("other", 2.0, ((0, 2),))
    assert blend.single(closed, 2.0, "other", probs, head).label == "service_suspension"
    ruled = blend.single(closed, 2.0, "other", probs, head, ruled_out=frozenset({"service_suspension"}))
    assert (ruled.label, ruled.evidence) == ("other", ((0, 2),))


def test_a_label_the_cue_scan_itself_reads_is_not_ruled_out() -> None:
    head = _head(("service_suspension", "billing", "other"))
    probs = {"service_suspension": 0.45, "billing": 0.2, "other": 0.3}
    cut = Labelled("service_suspension", 3.0, ((4, 6),))
    decided = blend.single(cut, 3.0, "other", probs, head, ruled_out=frozenset({"service_suspension"}))
    assert decided.label == "service_suspension"


@pytest.mark.parametrize(
    "text",
    ["孩子的美术班一次交了一年学费，上个月老板卷款跑路，家长群里几十个人都联系不上他。",
     "我喺嗰間健身中心買咗兩年會籍，而家話全線結業，餘下嘅堂數點算？",
     "我在楼下的洗车店办了张一千元的储值卡，用了两次，这周去发现店铺已经结业，老板电话关机，剩下的钱找谁要？"],
)
def test_a_shop_that_closed_is_other_though_the_model_reads_a_suspension(text: str) -> None:
    layer = learned.active()
    assert layer is not None
    probs = layer.predict(text)["category"]
    assert max(probs, key=lambda k: probs[k]) == "service_suspension"  # the shipped model's own reading
    assert analyze(text).category.label == "other"
