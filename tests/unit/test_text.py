"""The one text normaliser (complaintdesk.text): script, width and case folded, every offset kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk import text
from complaintdesk.text import fold, normalise, simplified


class _PhraseLengthening:
    """A t2s converter whose phrase table turns 頭髮 into three characters, as OpenCC's may."""

    def convert(self, value: str) -> str:
        return value.replace("頭髮", "头发丝").replace("壞", "坏").replace("乾", "干")


@pytest.fixture
def lengthening(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(text, "_t2s", _PhraseLengthening)
    monkeypatch.setattr(text, "_tw2sp", _PhraseLengthening)  # what ``normalise`` reads traditional script with
    text._simplified_line.cache_clear()
    text._reading_line.cache_clear()
    yield
    text._simplified_line.cache_clear()
    text._reading_line.cache_clear()


def test_traditional_script_reads_as_simplified() -> None:
    reading = normalise("寬帶斷網三天沒人處理")
    assert reading.text == "宽带断网三天没人处理"
    assert reading.traditional
    assert not normalise("宽带断网").traditional


@pytest.mark.usefixtures("lengthening")
def test_a_clause_whose_length_changes_is_converted_character_by_character() -> None:
    original = "機器壞了。頭髮吹不乾。"
    reading = normalise(original)
    assert len(reading.text) == len(original)
    assert reading.text == "機器坏了。頭髮吹不干。"  # only the lengthened clause falls back, each char kept 1:1
    assert simplified("頭髮" * 300) == "頭髮" * 300  # the long-text path keeps offsets the same way


def test_full_width_ascii_reads_half_width_and_case_is_kept_for_the_engine() -> None:
    assert normalise("我是ＶＩＰ，要求退款１００元").text == "我是VIP,要求退款100元"
    assert normalise("「包裹」\u3000没到").text == "“包裹” 没到"


def test_fold_lowers_case_for_search_and_repeat_detection() -> None:
    assert fold("ＩＰＨＯＮＥ13 屏幕碎裂") == "iphone13 屏幕碎裂"
    assert fold("寬頻 iPhone") == "宽频 iphone"


def test_fold_for_quality_keeps_full_width_punctuation_as_typed() -> None:
    assert fold("您好？請稍等！ＯＫ", width=False) == "您好？请稍等！ｏｋ"


@pytest.mark.parametrize("original", ["①3天没修好", "重量㎏不对", "İstanbul的订单", "10m²的房子"])
def test_every_form_keeps_each_character_in_place(original: str) -> None:
    # NFKC would read ①3 as 13 and spell ㎏ as kg, moving every later offset; the fold does neither.
    for form in (normalise(original).text, fold(original), fold(original, width=False)):
        assert len(form) == len(original)
    assert fold("①3天没修好").startswith("①3")


def test_a_dense_table_translates_as_its_dict_does_on_every_script_and_past_its_end() -> None:
    import random

    from complaintdesk.analysis.features import _dense, _table
    from complaintdesk.text import _WIDTH, _WIDTH_MAP, dense_table

    rng = random.Random(26)
    for mapping, dense in ((_WIDTH_MAP, _WIDTH), (_table(), _dense())):
        keys = [chr(code) for code in mapping]
        assert "".join(keys).translate(mapping) == "".join(keys).translate(dense)
        for _ in range(200):
            text = "".join(chr(rng.choice((rng.randrange(0x20, 0x3000), rng.randrange(0x3000, 0x10000),
                                           rng.randrange(0x10000, 0x30000), ord(rng.choice(keys)))))
                           for _ in range(40))  # fmt: skip
            assert text.translate(mapping) == text.translate(dense)
    with pytest.raises(ValueError):
        dense_table({0x41: "ab"})


def test_the_width_fold_by_runs_reads_as_the_whole_table_does_on_every_script() -> None:
    import random

    from complaintdesk.text import _WIDTH, _WIDTH_MAP, fold_width

    rng = random.Random(18)
    keys = [chr(code) for code in _WIDTH_MAP]
    edges = [chr(c) for c in (0xFF00, 0xFF5F, 0x2FFF, 0x3001, 0x300B, 0x300E, 0x201C, 0x20, 0x7E)]
    assert fold_width("".join(keys)) == "".join(keys).translate(_WIDTH_MAP)
    for _ in range(3000):
        text = "".join(chr(rng.choice((rng.randrange(0x20, 0x3000), rng.randrange(0x3000, 0x10000),
                                       rng.randrange(0x10000, 0x30000), ord(rng.choice(keys)), ord(rng.choice(keys)),
                                       ord(rng.choice(edges)))))
                       for _ in range(rng.randrange(0, 60)))  # fmt: skip
        assert fold_width(text) == text.translate(_WIDTH) == text.translate(_WIDTH_MAP), text
