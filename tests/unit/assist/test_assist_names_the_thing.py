"""The eleventh round: the draft names the thing the complaint is about in the customer's own noun, read from the
text's parts of speech (the noun named most often, its compounds counted), never a party, a person or a word every
complaint uses; and a listed subject counts only as a whole word."""

from __future__ import annotations

from datetime import datetime

from complaintdesk.assist import advise
from complaintdesk.assist.playbook import load_playbook
from complaintdesk.assist.thing import listed_subject, named_thing

NOW = datetime(2026, 11, 23, 10, 0)


def _thing(text: str) -> str | None:
    r = load_playbook().replies
    return named_thing(text, r.not_thing_heads, r.not_thing_words, r.thing_refused)


def test_the_noun_named_most_often_is_the_thing() -> None:
    assert _thing("定做的柜子装好了，柜门却关不上。你们说重做柜门，两个月了柜门还没到。") == "柜门"


def test_a_noun_named_once_is_not_enough() -> None:
    assert _thing("我在你们店配了一副眼镜，戴了就头晕。") is None


def test_a_party_a_person_or_a_word_every_complaint_uses_is_never_the_thing() -> None:
    assert _thing("你们店的店员说问题不大，店长也说问题不大，我父亲打电话，我父亲又打电话。") is None


def test_what_a_sentence_turns_down_is_not_the_thing() -> None:
    assert _thing("东西用不了，商家只肯补一张优惠券。我要优惠券有什么用？") is None


def test_a_listed_subject_counts_only_as_a_whole_word() -> None:
    words = load_playbook().replies.subjects
    assert listed_subject("电视台的人已经来过了，同行李先生也在。", words) is None
    assert listed_subject("我的电视坏了。", words) == "电视"
    assert listed_subject("给孩子报的电脑补习班关门了。", words) == "补习班"


def test_the_draft_says_the_thing_in_the_customers_words() -> None:
    text = "去年在你们店定做了衣柜，柜门装上关不上。你们说50天内重做柜门，到现在柜门还没到。"
    draft = advise(None, text=text, facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert "柜门" in draft


def test_adjacent_nouns_are_one_thing_with_its_head_last() -> None:
    assert _thing("我家拐角柜做歪了，拐角柜的门也关不上。") == "拐角柜"


def test_a_one_character_noun_counts_its_compounds_and_must_stand_alone_too() -> None:
    assert _thing("瓷砖是我自己买的，砖贴不平，好几块砖空鼓。") == "瓷砖"  # named by its compound
    assert _thing("买了一支手机，这支手机用了两天。") == "手机"


def test_a_traditional_complaint_has_its_thing_read_in_simplified_and_named_as_written() -> None:
    text = "瓦斯熱水器才用六年多，點火越來越難。師傅說熱水器超過五年不修，熱水器只能換新。"
    assert _thing(text) == "熱水器"


def test_a_one_character_noun_is_named_by_its_commonest_compound_never_alone() -> None:
    thing = _thing("手機買了三個月，鏡頭玻璃就破了。手機正常使用，手機殼也有裝。")
    assert thing is not None and len(thing) > 1


def test_a_thing_the_draft_already_named_is_not_named_again() -> None:
    text = "瓦斯熱水器才用六年多，點火越來越難。師傅說熱水器超過五年不修，熱水器只能換新。我要求派師傅來修熱水器。"
    draft = advise(None, text=text, facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert draft.count("热水器") + draft.count("熱水器") == 1


def test_the_draft_checks_once_and_then_promises_the_result_not_a_second_check() -> None:
    text = "我上周买的东西一直没收到，也没人告诉我怎么回事。"
    draft = advise(None, text=text, facts={"today": "2026-11-23"}, now=NOW).reply_draft
    assert draft.count("查询核实") == 1 and draft.count("核对") == 1
    assert "我先把您的情况核对清楚" not in draft
