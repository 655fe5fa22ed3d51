"""The assistant's own faults told as general families (replies.yaml faults.told, s14): a thing damaged in the
company's care or by its people while serving (faulty_work), the customer's details recorded wrongly by the
company's staff (wrong_record). The fault stated is read with its words; a near-miss sentence is not: the
customer's own accident (我自己不小心) and the customer's own slip tell no fault of ours."""

from __future__ import annotations

import pytest

from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.reading import told_faults


def _told(text: str) -> dict[str, list[str]]:
    replies = load_playbook().replies
    return {k: [e.text for e in hit.evidence] for k, hit in told_faults(text, replies.told, replies.told_exclude).items()}


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("师傅装三角阀的时候不小心把阀门把手弄坏了。", "faulty_work", ["师傅", "不小心把"]),
        ("冰箱送回来了，一开机还是不制冷，机身侧面还多了好几道长划痕。", "faulty_work", ["送回来", "划痕"]),
        ("营业员把我的名字写错了，证件办不了。", "wrong_record", ["营业员", "把我的名字写错"]),
        ("工作人员录错了我的手机号，验证码一直收不到。", "wrong_record", ["工作人员", "录错"]),
    ],
)
def test_a_fault_of_the_company_s_hands_or_records_is_read_with_its_words(text: str, kind: str, words: list[str]) -> None:
    assert _told(text).get(kind) == words


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("师傅说是我自己不小心把它摔坏的。", "faulty_work"),
        ("我自己不小心把手机摔坏了，想问问换屏多少钱。", "faulty_work"),
        ("冰箱送回来了，完好无损，一开机就制冷了。", "faulty_work"),
        ("我把地址写错了，工作人员帮我改了。", "wrong_record"),
        ("工作人员帮我录好了信息，很快就办完了。", "wrong_record"),
    ],
)
def test_a_near_miss_tells_no_fault_of_ours(text: str, kind: str) -> None:
    assert kind not in _told(text)


def test_the_apology_names_the_damage_our_people_did() -> None:
    replies = load_playbook().replies
    hit = told_faults("师傅装三角阀的时候不小心把阀门把手弄坏了。", replies.told, replies.told_exclude)["faulty_work"]
    assert hit.said == "我们的人在给您服务的时候，弄坏了您的东西"
