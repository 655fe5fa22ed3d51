"""Escalation the customer has already taken is routed (issue 20, Session 17): a complaint already at a regulator,
a press crew that came, a letter to the mayor's mailbox or a lawyer's letter sent goes to the manager at once, with the
words that show it as evidence (tactics.yaml ``threats``: regulator, media and lawyer → manager). A regulator
that only replied and the agent's own "go and complain" escalate nothing; a bare appeal to the authorities is
no threat of the customer's (the analysis guide), whatever the assistant's own ``authorities`` matter makes of
it. Texts written for the test, read by the shipped analysis engine."""

from __future__ import annotations

from datetime import datetime

import pytest

from complaintdesk.analysis import analyze
from complaintdesk.assist import advise

NOW = datetime(2026, 11, 23, 10, 0)


def _advice(text: str):  # type: ignore[no-untyped-def]
    return advise(analyze(text), None, "accepted", text=text, facts={"today": "2026-11-23"}, now=NOW)


@pytest.mark.parametrize(
    ("text", "kind", "word"),
    [
        ("热水器装好三天就漏水，工商所的人已经来调解过一次，店家还是不肯退。", "regulator", "工商所"),
        ("你们多收的停车费，物价局的人已经来查过了，还是不退。", "regulator", "物价局"),
        ("电视台已经来过了，你们还是不修。", "media", "电视台"),
        ("我已经给市长信箱写了信，反映你们乱收停车费的事。", "regulator", "市长信箱"),
        ("律师函我已经让律师发给你们公司了。", "lawyer", "律师函"),
    ],
)
def test_an_escalation_already_taken_goes_to_the_manager_with_its_words(text: str, kind: str, word: str) -> None:
    advice = _advice(text)
    assert advice.escalate.to == "manager"
    assert word in [e.text for e in advice.escalate.evidence]
    assert advice.action(f"threat_{kind}") is not None


@pytest.mark.parametrize(
    "text",
    [
        "工商所回复说这事他们管不了，让我们自己协商。",
        "客服说：“你去工商所投诉吧，随便你。”",
        "工商所也没来过，你们也不管。",
    ],
)
def test_a_regulator_that_replied_the_agents_suggestion_or_a_body_that_did_not_come_escalates_nothing(
    text: str,
) -> None:
    advice = _advice(text)
    assert advice.escalate.to is None
    assert advice.action("threat_regulator") is None


def test_a_bare_appeal_to_the_authorities_is_no_regulator_threat_of_the_customers() -> None:
    advice = _advice("希望有关部门管一管这种乱收费。")
    assert advice.action("threat_regulator") is None
    assert advice.action("matter_authorities") is not None
