"""Demands asked in a request clause, the narrator's own discourse words and a regulator that replied
(issue 19, Session 16). Read by the cue scan alone, so that each reading is the cues'."""

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
        ("訂單付款一個月了還沒出貨，請你們盡快發貨。", "ship"),
        ("钱早就付了，希望马上寄出。", "ship"),
        ("停電三天了，台電到底何時復電？", "restore_service"),
        ("整条街停水两天，请尽快通水。", "restore_service"),
        ("工程拖了半年，希望早日解决。", "expedite"),
        ("维修一直没人来，恳请立即处理。", "expedite"),
    ],
)
def test_a_request_clause_asks_for_the_act_it_names(text: str, kind: str) -> None:
    assert kind in analyze(text).demand_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a question about when asks for an explanation, as the team dev set labels it
        ("能不能帮我查一下什么时候能发货?", "ship"),
        # the shop's promise reported is the shop's words
        ("客服说马上发货，结果一周都没动静。", "ship"),
    ],
)
def test_a_question_or_a_reported_promise_is_no_request(text: str, kind: str) -> None:
    assert kind not in analyze(text).demand_kinds


def test_the_narrators_own_discourse_words_report_no_one() -> None:
    assert "churn" in analyze("先說結論：我確定再也不會買你們的手機了。").threat_kinds
    assert "churn" in analyze("说实话我以后不会再来了。").threat_kinds


def test_a_regulator_named_as_the_one_that_replied_is_no_threat() -> None:
    assert analyze("12345回复说已经转给街道处理了，可到现在还是没人来。").threat_kinds == ()
    assert analyze("消委会的回覆是商户已经结业。").threat_kinds == ()
    assert "regulator" in analyze("我上周打了12345投诉，到现在没人管。").threat_kinds
