"""The general mechanisms of the fourth bank-recall round: Cantonese read in the normal form, and the style
model quoting a clause worded as banned phrases are even when no tune phrase is near it. Each with the
courteous line that shares its words and must stay clean (our own wording, never a bank phrase, never a line
of the held-out set)."""

from __future__ import annotations

import pytest

from complaintdesk.quality.bank import canonical, load_bank
from complaintdesk.quality.banned import matcher
from complaintdesk.quality.phrases import check_text
from complaintdesk.quality.transcript import normalize


def test_cantonese_is_read_as_the_mandarin_a_banned_phrase_is_written_in() -> None:
    assert canonical("你問我，我問邊個") == canonical("你问我，我问谁")
    assert canonical("冇貨就冇貨") == canonical("没货就没货")
    assert canonical("你自己唔識睇咩") == canonical("你自己不会看什么")


def test_cantonese_courtesy_stays_courteous_in_the_normal_form() -> None:
    assert canonical("唔該你等等").startswith("请")  # "please", not 不该 "should not"
    assert canonical("唔好意思") == canonical("不好意思")  # "sorry", not 别意思


def test_a_rude_cantonese_line_is_flagged_with_its_words_and_norm() -> None:
    text = "我點知呀，你問我我問邊個"
    [violation] = check_text(text)
    assert violation.family == "shirking"
    assert violation.span is not None and "問" in text[violation.span[0]:violation.span[1]]
    assert violation.bank_entry and violation.bank_source


def test_a_polite_cantonese_line_with_the_same_words_is_not_flagged() -> None:
    assert check_text("唔該你等等，我問下同事") == []
    assert check_text("唔好意思，今日冇貨") == []


def test_a_clause_worded_as_banned_phrases_are_is_flagged_by_style_alone_with_its_evidence() -> None:
    bank = load_bank()
    found = matcher(bank)
    text = "有的吃就不错了，还挑什么挑"
    # since the sixth round's retrained model the first clause (有的吃就不错了) is quoted too, as impatience
    [hit] = [h for h in found.find(normalize(text)) if normalize(text)[h.start:h.end] == "还挑什么挑"]
    words = normalize(text)[hit.start:hit.end]
    assert hit.how == "style" and words == "还挑什么挑"
    assert bank.style is not None and bank.style.joint is not None
    # no tune phrase is near enough for the joint rule: the model's own threshold quoted it
    assert found.similar(canonical(words))[0] < bank.style.joint[0]
    assert hit.score >= bank.style.threshold
    [violation] = [v for v in check_text(text) if v.span == (hit.start, hit.end)]
    assert violation.bank_entry and violation.bank_source


def test_a_polite_line_with_the_same_words_is_not_flagged_by_style() -> None:
    assert check_text("有的菜今天卖完了，您再挑挑别的") == []


@pytest.mark.parametrize(("rude", "polite", "family"), [
    ("产品我们管不了，你问我我还去问谁呢", "您不知道找哪个部门的话，直接找我就行", "shirking"),
    ("你再吵就叫保安了", "他们再来骚扰就报警，我们会配合处理", "arguing"),
    ("当初不听劝，现在知道后悔了", "您现在知道怎么操作了吧？有不清楚的随时问我", "blaming"),
    ("你不办就让开，后面一堆人", "您要是不急，靠边那个窗口人少一些", "commanding"),
    ("不能退，也不能换", "这个业务不能网上办，也不能电话办，需要到网点，我把地址发给您", "bare_refusal"),
    ("这个理财的收益是稳的", "这款产品收益稳定性一般，您要考虑清楚", "improper_promise"),
    ("放心，本金少不了", "这款产品收益不固定，不能保证本金不会亏损", "improper_promise"),
    ("这个跟定期一样，放心买", "理财和存款不一样，理财不保本", "improper_promise"),
])
def test_a_general_family_of_the_round_flags_the_rude_line_and_not_its_polite_twin(
    rude: str, polite: str, family: str,
) -> None:
    found = [v for v in check_text(rude) if v.family == family]
    assert found and found[0].span is not None and found[0].bank_source
    assert family not in {v.family for v in check_text(polite)}


def test_an_insult_is_vulgar_wherever_it_stands() -> None:
    assert "vulgar" in {v.family for v in check_text("你这个饭桶，这点事都办不好")}
