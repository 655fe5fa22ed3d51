"""Traditional script, offsets into the original, negation, and the input limits of issue 3."""

from __future__ import annotations

from datetime import date

import pytest

from complaintdesk.analysis import MAX_CHARS, analyze
from complaintdesk.analysis.engine import NOTE_BINARY, NOTE_EMPTY, NOTE_NOT_CHINESE
from complaintdesk.domain.errors import InputTooLarge, InvalidInput

SIMPLIFIED = "我2002年3月购买的电视经过5次维修,还是不能用。你们态度恶劣,我要求换一台新机器,不然就去消协投诉!"
TRADITIONAL = "我2002年3月購買的電視經過5次維修,還是不能用。你們態度惡劣,我要求換一台新機器,不然就去消協投訴!"


def _labels(text: str) -> tuple[object, ...]:
    r = analyze(text)
    return (r.emotion.label, r.type_names, r.demand_kinds, r.threat_kinds, r.category.label,
            r.facts.repair_count, r.facts.purchase_date, r.chronic_complainer.likely)


def test_traditional_text_reads_like_its_simplified_twin() -> None:
    assert _labels(TRADITIONAL) == _labels(SIMPLIFIED)
    assert analyze(TRADITIONAL).script == "traditional"


def test_evidence_offsets_point_into_the_traditional_original() -> None:
    reading = analyze(TRADITIONAL)
    spans = [s for d in reading.demands for s in d.evidence] + [s for t in reading.threats for s in t.evidence]
    spans += [span for _, span in reading.facts.evidence]
    assert spans
    for span in spans:
        assert TRADITIONAL[span.start : span.end] == span.text
    assert any(s.text == "消協" for s in spans)


def test_negated_demand_is_not_a_demand() -> None:
    reading = analyze("我不是要退款,也不需要赔偿,只要你们把空调修好。")
    assert "refund" not in reading.demand_kinds
    assert "compensation" not in reading.demand_kinds
    assert "repair" in reading.demand_kinds


def test_photo_exposure_is_not_a_media_threat() -> None:
    assert "media" not in analyze("照片冲印出来曝光不足,你们冲洗的时候就不能帮我调一下吗?").threat_kinds


def test_online_exposure_is_social_media_not_the_press() -> None:
    assert analyze("不处理我就网上曝光你们!").threat_kinds == ("social_media",)


def test_agent_lines_do_not_colour_the_customer() -> None:
    text = "坐席:您别着急,非常抱歉,我马上帮您查。\n客户:好的,请问什么时候能到?"
    assert analyze(text).emotion.label == "calm"


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_input_gets_an_empty_reading(text: str) -> None:
    reading = analyze(text)
    assert reading.demands == () and reading.category.label == "other"
    assert reading.notes == (NOTE_EMPTY,)


def test_non_chinese_input_gets_an_empty_reading_with_a_note() -> None:
    reading = analyze("My fridge is broken, please refund me!!!")
    assert reading.notes == (NOTE_NOT_CHINESE,)
    assert reading.demands == ()


def test_binary_looking_input_gets_an_empty_reading_with_a_note() -> None:
    reading = analyze("\x00\x01\x02退款\x03\x04\x05\x06\x07" * 20)
    assert reading.notes == (NOTE_BINARY,)


def test_input_over_the_limit_is_refused_naming_the_field() -> None:
    with pytest.raises(InputTooLarge) as caught:
        analyze("退" * (MAX_CHARS + 1))
    assert caught.value.field == "text"


def test_text_that_is_not_a_string_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        analyze(b"bytes")  # type: ignore[arg-type]


def test_a_long_transcript_just_under_the_limit_is_read() -> None:
    line = "客户:你们的冰箱又坏了,我要退货,不然我打12315!\n坐席:非常抱歉。\n"
    text = (line * (MAX_CHARS // len(line)))[:MAX_CHARS]
    reading = analyze(text, date(2024, 6, 1))
    assert "refund" in reading.demand_kinds
    assert "regulator" in reading.threat_kinds
    assert all(len(d.evidence) <= 5 for d in reading.demands)


def test_control_characters_but_not_tabs_and_line_breaks_make_input_look_binary() -> None:
    from complaintdesk.analysis.normalize import looks_binary

    text = "宽带停机了要求退费" * 5
    assert not looks_binary(text + "\t\r\n" * 20)
    assert looks_binary(text + "\x00\x07\x0b\x0c\x1f")
    assert looks_binary(text + "\ufffd" * 3) and not looks_binary(text + "\ufffd" * 2)
    assert not looks_binary(text + "\x7f" * 10)  # DEL is not counted, as before
