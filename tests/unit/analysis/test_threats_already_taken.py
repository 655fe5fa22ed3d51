"""Escalation the customer has already taken (issue 20, Session 17): a complaint already at the local market
office or the price bureau, a case a regulator took up, a press crew that came, a letter to the mayor's mailbox or
a petition are threats under the labelling guide ("what the customer says they will do, or have done, to press
the company"), each with the words that show it. A regulator that only replied, the agent's "go and complain",
a bare appeal to the authorities, a body that did not come, a regulator on its own round and a letter only
addressed to an official are not. Texts
written for the test; the cue scan alone unless a test says otherwise, so that each span is the cue's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from complaintdesk.analysis import analyze, learned
from complaintdesk.analysis.learned import Head


@pytest.fixture
def _cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


def _words(text: str, kind: str) -> list[str]:
    threat = next((t for t in analyze(text).threats if t.kind == kind), None)
    assert threat is not None, f"no {kind} threat read in {text}"
    return [span.text for span in threat.evidence]


@pytest.mark.usefixtures("_cues_only")
@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("热水器装好三天就漏水，工商所的人已经来调解过一次，店家还是不肯退。", "regulator", "工商所"),
        ("我找过市监所，他们让我们先自己协商。", "regulator", "市监所"),
        ("你们多收的停车费，物价局的人已经来查过了。", "regulator", "物价局"),
        ("市场监管局已经立案了，你们还是一句话不说。", "regulator", "市场监管局"),
        ("12345已经转办了，你们到现在还是没人来。", "regulator", "12345"),
        ("电视台已经来过了，你们还是不修。", "media", "电视台"),
        ("上个月栏目组来人拍了半天，你们当着镜头说一周修好。", "media", "栏目组"),
        ("我已经向导报反映，这道菜里的东西你们自己看。", "media", "导报"),
        ("我已经给市长信箱写了信，反映你们乱收停车费的事。", "regulator", "市长信箱"),
        ("我已經寫信去市長信箱，你們等住。", "regulator", "市長信箱"),
        ("我在领导留言板上留了言，到现在也没人回我。", "regulator", "领导留言板"),
        ("为了这笔押金我上访了三次。", "regulator", "上访"),
    ],
)
def test_an_escalation_already_taken_is_a_threat_with_the_words_that_show_it(text: str, kind: str, word: str) -> None:
    assert word in _words(text, kind)


@pytest.mark.usefixtures("_cues_only")
@pytest.mark.parametrize(
    "text",
    [
        # a regulator that replied (the guide: no threat)
        "工商所回复说这事他们管不了，让我们自己协商。",
        "12345回复说已经转办，让我等通知。",
        # the agent sending the customer to complain
        "客服说：“你去工商所投诉吧，随便你。”",
        # a bare appeal to the authorities
        "希望有关部门管一管这种乱收费。",
        # a body that did not come, and one on its own round
        "工商所也没来过，你们也不管。",
        "教育局的人来了一趟检查消防，我的学费还是没退。",
        # a letter addressed to an official, with no complaint made to them (tune h and m label it no threat)
        "尊敬的省长您好。我们小区的房子过了交房日期一个多月，开发商的人一直找不到。",
    ],
)
def test_a_reply_an_agents_suggestion_a_bare_appeal_or_a_body_that_did_not_come_is_no_threat(text: str) -> None:
    assert not {"regulator", "media"} & set(analyze(text).threat_kinds)


@pytest.fixture
def _sure_of_no_press(tmp_path: Path) -> Iterator[None]:
    """A tiny model that reads every text as no media threat (probability 0.05, vetoed under 0.5)."""
    head = Head("threats", "multi", ("media",), np.zeros((1, 1), np.float32), np.array([-3.0], np.float32),
                np.array([0.99], np.float32), np.array([0.5], np.float32))  # fmt: skip
    path = tmp_path / "model.npz"
    learned.save(path, ["记者"], [head], {})
    learned.use(path)
    yield
    learned.use(None)


@pytest.mark.usefixtures("_sure_of_no_press")
def test_a_step_already_taken_stands_against_the_models_veto() -> None:
    assert "记者" in _words("我和你们交涉的录音已经交给报社的记者了，请给我一个书面答复。", "media")


@pytest.mark.usefixtures("_sure_of_no_press")
def test_the_model_still_vetoes_a_press_mention_with_no_step_taken() -> None:
    assert "media" not in analyze("再不给我一个书面答复，我就找报社的记者。").threat_kinds
