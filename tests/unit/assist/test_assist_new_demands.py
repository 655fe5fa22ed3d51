"""补发, 注销 and 差价/保价 as demand kinds end to end: the analysis reads them with evidence spans, the
draft says what the agent does about each in plain Chinese, and a recorded refund is said as the
difference the customer asked for."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.replies import parse_replies
from complaintdesk.domain.errors import ConfigurationError

NOW = datetime(2026, 11, 23, 10, 0)


def _draft(text: str, **facts: object) -> str:
    return advise(
        None, None, "proposing", text=text, facts={"today": "2026-11-23", **facts}, now=NOW
    ).reply_draft


@pytest.mark.parametrize(
    ("text", "kind", "cue"),
    [
        ("下单六件只到了四件，请把少发的两件尽快补发给我。", "reship", "把少发的"),
        ("这个号我不用了，我要注销，别再每个月扣钱了。", "cancel_account", "我要注销"),
        ("买完第二天就降了两百，请把差价退给我。", "price_difference", "把差价"),
    ],
)
def test_each_new_demand_is_read_with_its_words_as_evidence(text: str, kind: str, cue: str) -> None:
    found = {d.kind: d for d in analyze(text).demands}
    assert kind in found
    assert cue in [text[s.start : s.end] for s in found[kind].evidence]


def test_goods_short_delivered_get_a_reship_step_in_the_draft() -> None:
    draft = _draft("下单六件只到了四件，请把少发的两件尽快补发给我。")
    assert "补发" in draft and "核对您的订单" in draft


def test_a_cancellation_asked_for_is_taken_on_by_the_agent() -> None:
    draft = _draft("上个月就去营业厅办了销号，现在还在扣月租，我要注销，到底办好了没有？")
    assert "注销" in draft and "由我负责办好" in draft


def test_a_recorded_refund_is_said_as_the_price_difference_the_customer_asked_for() -> None:
    draft = _draft(
        "双十一前买的电视，答应保价，现在降了150元，请把差价退给我。",
        offer={"kind": "refund", "amount": 150},
        role="agent",
        demands=["refund"],
    )
    assert "差价" in draft and "150元" in draft
    assert "按保价的规则算清差价" not in draft  # the offer answers it: not said twice


def test_a_price_difference_beyond_the_agents_authority_is_reported_in_those_words() -> None:
    draft = _draft(
        "双十一前买的电视，答应保价，现在降了900元，请把差价退给我。",
        offer={"kind": "refund", "amount": 900},
        role="agent",
        demands=["refund"],
    )
    assert "关于退还差价，我马上报告" in draft and "900" not in draft


def test_a_complaint_asking_none_of_them_gets_none_of_their_sentences() -> None:
    draft = _draft("师傅约好上午来修空调，一直没来，电话也不接。")
    assert not any(w in draft for w in ("补发", "注销", "差价"))


def test_a_sentence_for_an_unknown_demand_kind_is_refused_naming_the_entry() -> None:
    data = load_playbook_data()
    data["asked"] = {**data["asked"], "teleport": "我马上为您传送。"}
    with pytest.raises(ConfigurationError) as caught:
        parse_replies(data)
    assert "asked.teleport" in str(caught.value.field)


def load_playbook_data() -> dict[str, object]:
    from importlib.resources import files

    import yaml

    text = files("complaintdesk.assist.data").joinpath("replies.yaml").read_text(encoding="utf-8")
    data: dict[str, object] = yaml.safe_load(text)
    assert load_playbook().replies.asked  # the shipped file has them
    return data
