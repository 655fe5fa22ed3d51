"""Bodies and media the threat lists lacked (issues 19 and 20, Session 18): a city's hotline, an ombudsman, a
buildings commissioner, a street office, a council or a party's office that a complaint is lodged with (guide H1,
H6), and the press that already ran the story, are threats with the words that show them. A story the customer
only read, a street office or housing office only named, and a hotline's number as a price are not. Texts written
for the test; the cue scan alone, so that each span is the cue's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from complaintdesk.analysis import analyze, learned


@pytest.fixture(autouse=True)
def _cues_only() -> Iterator[None]:
    learned.disable()
    yield
    learned.use(None)


def _words(text: str, kind: str) -> list[str]:
    threat = next((t for t in analyze(text).threats if t.kind == kind), None)
    assert threat is not None, f"no {kind} threat read in {text}"
    return [span.text for span in threat.evidence]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("水管漏了两个月没人修，我打了市长专线，到现在还是没人来。", "市长专线"),
        ("退费拖了三个月，我已经打1999反映了，你们自己看着办。", "打1999"),
        ("我已經向申訴專員公署投訴，你們拖了半年都不處理。", "向申訴專員公署投訴"),
        ("再不给我一个说法，我就去Ombudsman投诉。", "Ombudsman"),
        ("隔壁违建漏水到我家，我到建筑专员那里告了。", "建筑专员"),
    ],
)
def test_a_complaint_lodged_with_a_city_hotline_an_ombudsman_or_a_commissioner_is_a_regulator_threat(
    text: str, word: str
) -> None:
    assert word in _words(text, "regulator")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("电梯停了一个月，我已经去街道办反映过了，物业还是不修。", "去街道办反映"),
        ("开发商一直拖着不交房，我们已经向住建委投诉了。", "向住建委投诉"),
        ("噪音天天吵到半夜，我已经到市议会投诉。", "到市议会投诉"),
        ("我哋已经去民政事务处投诉，管理公司仲系唔理。", "去民政事务处投诉"),
    ],
)
def test_a_street_office_council_or_district_office_with_a_complaint_act_is_a_regulator_threat(text: str, word: str) -> None:
    assert word in _words(text, "regulator")


@pytest.mark.parametrize(
    "text",
    [
        # the street office or a housing office only named (the files label these no threat)
        "我找过街道，街道说这归物业管。",
        "这栋楼是公房，每年向房管局下面的物业交房租。",
        # a hotline's number as a price
        "这款耳机花了1999元，用了一个月就坏了。",
    ],
)
def test_a_local_body_only_named_or_a_price_is_no_regulator_threat(text: str) -> None:
    assert "regulator" not in analyze(text).threat_kinds


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("这件事报纸都登了，你们还是不处理。", "报纸都登了"),
        ("我们小区停水的事上了报纸，物业还是一句话不说。", "上了报纸"),
        ("晚报已经报道过我们的遭遇，你们还在拖。", "晚报"),
        ("电视台播了我们小区的事，你们还是装不知道。", "电视台"),
    ],
)
def test_the_press_that_already_ran_the_story_is_a_media_threat(text: str, word: str) -> None:
    assert word in _words(text, "media")


def test_a_press_story_the_customer_only_read_is_no_media_threat() -> None:
    assert "media" not in analyze("我看到日报报道了这家公司的问题，才知道不止我一个人被骗。").threat_kinds
