"""Customer types from the customer's own behaviour (issue 19): goodwill beyond etiquette makes 友好型
(etiquette alone — 您好, 麻烦, 谢谢 — does not: the dev set's convention, labelling guide),
an unhappy account that asks for nothing makes 发牢骚型 — each with the words that show it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import analyze, learned


@pytest.fixture(autouse=True)
def cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


def _types(text: str) -> dict[str, list[str]]:
    return {t.type: [s.text for s in t.evidence] for t in analyze(text).customer_types}


def test_a_polite_request_with_etiquette_words_only_is_not_friendly() -> None:
    assert "friendly" not in _types(
        "您好，我上个月的账单多了一项增值业务费，麻烦帮我查一下是什么时候开通的，如果不是我办的请退还，谢谢。"
    )
    assert "friendly" not in _types("請問一下，我的寬頻合約下個月到期，續約要怎麼辦理？麻煩您了，謝謝。")


@pytest.mark.parametrize(
    ("text", "span"),
    [("您好，空调不制冷了，不着急，师傅有空再来看看就行，谢谢。", "不着急"),
     ("没事没事，我知道你们师傅也忙，改到明天上午来吧。", "没事没事"),
     ("我理解你们也不容易，只是这台洗衣机修了两次还漏水，麻烦再看看。", "我理解"),
     ("你们服务一直挺好，这次冰箱门关不严，麻烦派人来调一下。", "你们服务一直挺好"),
     ("好的好的，那我等师傅电话，你们辛苦了。", "好的好的"),
     ("我明白这可能是系统的算法，但合约已经到期了，还请帮忙查一下这个月的费用。", "我明白"),
     ("师傅路上被车撞了要晚点到，人没事就好，你先处理，我在家等。", "人没事就好")],
)
def test_goodwill_beyond_etiquette_is_friendly_with_its_words(text: str, span: str) -> None:
    types = _types(text)
    assert "friendly" in types
    assert span in types["friendly"]


def test_the_same_goodwill_word_twice_counts_once() -> None:
    assert "friendly" not in _types("都有难处，我想退掉这个套餐，都有难处。")


def test_a_thanks_closing_a_tirade_or_a_threat_is_not_friendly() -> None:
    assert "friendly" not in _types("我理解你们不容易，可你们简直是骗子，气死我了！马上退钱，辛苦了。")
    assert "friendly" not in _types("没关系，但三天内给我退款，不然我就打12315投诉，辛苦了。")


def test_an_unhappy_account_that_asks_for_nothing_is_a_whiner_with_its_words() -> None:
    text = (
        "今年四月在这家店花一千多块买的电动车，到现在已经坏了好几回，电池都换了两个。第一回是刹车不灵，"
        "第二回是充满电骑不到一半就没电，第三回干脆推着去的。每次都说修好了，骑不了几天又坏，真的很失望，以后不会再去了。"
    )
    reading = analyze(text)
    assert not reading.demand_kinds
    types = _types(text)
    assert types.get("whiner")
    assert all(word in text for word in types["whiner"])


def test_asking_for_something_or_pressing_with_a_regulator_is_not_whining() -> None:
    assert "whiner" not in _types("电动车修了三回还是坏，真的很失望，你们必须给我退款。")
    assert "whiner" not in _types("电动车修了三回还是坏，真的很失望，我已经打12315投诉了。")


def test_a_line_or_two_of_displeasure_is_not_yet_whining() -> None:
    assert "whiner" not in _types("电动车修了三回还是坏，真的很失望。")
