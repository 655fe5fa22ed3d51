"""Category `other` read as a specific cause (issue 19, Session 17): a shop that closed is no suspension
(labelling guide, rule 8), whatever the learned layer reads — the shipped head was trained on labels older than
that convention. Example sentences are the team's own."""

from __future__ import annotations

import numpy as np
import pytest

from complaintdesk.analysis import analyze, blend, learned
from complaintdesk.analysis.judgements import Labelled
from complaintdesk.analysis.learned import Head


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
     "我喺嗰間健身中心買咗兩年會籍，而家話全線結業，餘下嘅堂數點算？"],
)
def test_a_shop_that_closed_is_other_though_the_model_reads_a_suspension(text: str) -> None:
    layer = learned.active()
    assert layer is not None
    probs = layer.predict(text)["category"]
    assert max(probs, key=lambda k: probs[k]) == "service_suspension"  # the shipped model's own reading
    assert analyze(text).category.label == "other"
