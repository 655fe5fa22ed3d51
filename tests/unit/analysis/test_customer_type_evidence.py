"""Customer types from the customer's own behaviour (issue 19): courtesy around a request makes 友好型,
an unhappy account that asks for nothing, in resigned words, makes 发牢骚型 — each with the words that show it."""

from __future__ import annotations

import pytest

from complaintdesk.analysis import analyze

pytestmark = pytest.mark.usefixtures("cues_only")


def _types(text: str) -> dict[str, list[str]]:
    return {t.type: [s.text for s in t.evidence] for t in analyze(text).customer_types}


def test_a_polite_request_with_two_courtesy_words_is_friendly() -> None:
    types = _types(
        "您好，我上个月的账单多了一项增值业务费，麻烦帮我查一下是什么时候开通的，如果不是我办的请退还。"
    )
    assert "friendly" in types
    assert {"您好", "麻烦"} <= set(types["friendly"])


def test_the_same_courtesy_word_twice_is_not_friendly() -> None:
    assert "friendly" not in _types("谢谢，我想退掉这个套餐，谢谢。")


def test_a_thanks_closing_a_tirade_or_a_threat_is_not_friendly() -> None:
    assert "friendly" not in _types("您好，你们简直是骗子，气死我了！麻烦你们退钱，谢谢。")
    assert "friendly" not in _types("您好，麻烦三天内给我退款，不然我就打12315投诉，谢谢。")


_ACCOUNT = (
    "今年四月在这家店花一千多块买的电动车，到现在已经坏了好几回，电池都换了两个。第一回是刹车不灵，"
    "第二回是充满电骑不到一半就没电，第三回干脆推着去的。每次都说修好了，骑不了几天又坏，真的很失望，"
)


def test_an_unhappy_account_that_asks_for_nothing_with_resigned_words_is_a_whiner_with_its_words() -> None:
    text = _ACCOUNT + "这回算是踩雷了。"
    reading = analyze(text)
    assert not reading.demand_kinds
    types = _types(text)
    assert types.get("whiner")
    assert all(word in text for word in types["whiner"])
    assert "踩雷" in types["whiner"]


def test_an_unhappy_account_that_asks_for_nothing_is_not_a_whiner_by_that_alone() -> None:
    # T5 (session 19): a complaint with no demand is not 发牢骚型 without grumbling or resigned words
    text = _ACCOUNT + "以后不会再去了。"
    assert not analyze(text).demand_kinds
    assert "whiner" not in _types(text)


def test_asking_for_something_or_pressing_with_a_regulator_is_not_whining() -> None:
    assert "whiner" not in _types(_ACCOUNT + "这回算是踩雷了，你们必须给我退款。")
    assert "whiner" not in _types(_ACCOUNT + "这回算是踩雷了，我已经打12315投诉了。")


def test_a_line_or_two_of_displeasure_is_not_yet_whining() -> None:
    assert "whiner" not in _types("电动车修了三回还是坏，真的很失望，这回算是踩雷了。")
