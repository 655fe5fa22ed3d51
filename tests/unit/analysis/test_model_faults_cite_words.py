"""A company fault the learned layer adds cites the words of it the text holds (half a cue), and says it
has none when it has none: the assist engine admits a fault only on words of the text (issue 20: a
judgement never rests on a guessed fact). A tiny model that reads every text as a billing error stands
in for the shipped one, so each test fails without the rule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from complaintdesk.analysis import analyze, learned
from complaintdesk.analysis.learned import Head


@pytest.fixture
def sure_of_a_billing_error(tmp_path: Path) -> Iterator[None]:
    labels = ("billing_error", "runaround")
    head = Head("company_faults", "multi", labels, np.zeros((1, 2), np.float32), np.array([3.0, -3.0], np.float32),
                np.array([0.7, 0.7], np.float32), np.zeros(2, np.float32))  # fmt: skip
    path = tmp_path / "model.npz"
    learned.save(path, ["扣"], [head], {})
    learned.use(path)
    yield
    learned.use(None)


def _fault(text: str) -> tuple[list[str], float | None]:
    found = {f.kind: f for f in analyze(text).company_faults}
    fault = found["billing_error"]
    return [s.text for s in fault.evidence], fault.model


@pytest.mark.usefixtures("sure_of_a_billing_error")
def test_a_fault_the_model_adds_cites_the_half_cue_the_text_holds() -> None:
    text = "这个月的话费里有一笔我看不懂，请帮我查一下。"
    words, p = _fault(text)
    assert words == ["有一笔"] and p is not None and p > 0.9


@pytest.mark.usefixtures("sure_of_a_billing_error")
def test_a_fault_the_model_adds_with_no_words_of_it_says_so_and_cites_nothing() -> None:
    words, p = _fault("我想问一下营业厅周末几点开门。")
    assert words == [] and p is not None


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("登机时她语气很不耐烦，叫我马上拿出电脑。", "staff_misconduct", "语气很不耐烦"),
        ("职员这种态度我不能接受。", "staff_misconduct", "这种态度我不能接受"),
        ("表卡顿不走字是你们的表出了问题，凭什么要我补钱。", "billing_error", "你们的表出了问题"),
        ("地勤竟然回我「这不是我们的责任，也没有义务」。", "runaround", "不是我们的责任"),
    ],
)
def test_faults_told_in_these_words_are_found_by_the_cue_scan(text: str, kind: str, words: str) -> None:
    learned.disable()
    try:
        found = {f.kind: "".join(s.text for s in f.evidence) for f in analyze(text).company_faults}
    finally:
        learned.use(None)
    assert kind in found and words[:2] in found[kind]
