"""Transcript parsing: the accepted formats, traditional script, and malformed input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.domain.errors import InputTooLarge, InvalidInput
from complaintdesk.quality import inspect, load_rubric, parse_transcript


def test_labels_timestamps_and_fullwidth_colons_are_understood() -> None:
    text = (
        "[00:00:02] 坐席: 您好\n"
        "10:02:33 用户：宽带断了\n"
        "Agent (00:12): 我马上为您查询\n"
        "customer: 好的\n"
        "客服[00:00:30]: 已经为您恢复了\n"
    )
    turns = parse_transcript(text).turns
    assert [t.speaker for t in turns] == ["agent", "customer", "agent", "customer", "agent"]
    assert [t.line for t in turns] == [1, 2, 3, 4, 5]
    assert turns[0].t == 2.0 and turns[1].t == 36153.0 and turns[2].t == 12.0 and turns[4].t == 30.0
    assert turns[1].text == "宽带断了"


def test_traditional_labels_and_text_are_matched_but_quoted_as_written() -> None:
    turns = parse_transcript("客戶: 我要投訴!\n客服: 這是不可能的!").turns
    assert turns[0].speaker == "customer" and turns[0].text == "我要投訴!"
    assert turns[1].norm == "这是不可能的!"
    violation = next(v for v in inspect("客戶: 我要投訴!\n客服: 這是不可能的!").violations
                     if v.rule == "forbidden_phrase")
    assert violation.text == "這是不可能的!" and violation.match == "這是不可能的"


def test_json_turns_with_times_are_parsed() -> None:
    data = [{"speaker": "customer", "text": "我要投诉", "t": 0}, {"speaker": "agent", "text": "您好", "t": 3.5}]
    turns = parse_transcript(json.dumps(data, ensure_ascii=False)).turns
    assert [(t.speaker, t.t, t.line) for t in turns] == [("customer", 0.0, 1), ("agent", 3.5, 2)]


def test_json_object_carries_agent_and_logged_category() -> None:
    data = {"agent": "1024", "logged_category": "咨询", "turns": [
        {"speaker": "customer", "text": "我要投诉!"}, {"speaker": "agent", "text": "您好"}]}
    transcript = parse_transcript(data)
    assert transcript.agent_id == "1024" and transcript.logged_category == "咨询"


def test_continuation_lines_join_the_previous_turn_and_header_sets_agent() -> None:
    transcript = parse_transcript("# agent: 2048\n客户: 我的宽带\n又断了\n客服: 您好")
    assert transcript.turns[0].text == "我的宽带又断了"
    assert transcript.agent_id == "2048"


def test_hang_up_marker_line_sets_ended_by() -> None:
    assert parse_transcript("客户: 喂\n客服: 您好\n（客户挂机）").ended_by == "customer"
    assert parse_transcript("客户: 喂\n客服: 您好(挂断)").ended_by == "agent"


def test_empty_transcript_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as err:
        inspect("   \n ")
    assert err.value.field == "transcript" and "为空" in err.value.message


def test_transcript_without_speakers_is_invalid_input_naming_the_accepted_labels() -> None:
    with pytest.raises(InvalidInput) as err:
        inspect("我昨天打电话说宽带断了,今天还是没人来。")
    assert "客服：" in err.value.message
    # the example is shown with the full-width colon, which the parser accepts as it accepts the ASCII one
    assert len(parse_transcript("客服：您好\n客户：宽带断了").turns) == 2


def test_customer_only_transcript_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="没有可质检的客服发言"):
        inspect("客户: 我要投诉!\n客户: 喂?")


def test_agent_only_transcript_is_scored_with_a_warning() -> None:
    scorecard = inspect("客服: 您好,请问有什么可以帮您?\n客服: 这是公司规定。")
    assert scorecard.warnings and "只有客服一方" in scorecard.warnings[0]
    assert "cold_phrase" in {v.rule for v in scorecard.violations}


def test_huge_transcript_is_refused_as_too_large() -> None:
    limit = load_rubric().max_chars
    with pytest.raises(InputTooLarge) as err:
        inspect("客户: " + "啊" * limit)
    assert err.value.field == "transcript"


def test_too_many_turns_is_refused_as_too_large() -> None:
    limit = load_rubric().max_turns
    with pytest.raises(InputTooLarge):
        inspect("客户: 嗯\n客服: 好\n" * (limit // 2 + 1))


def test_broken_json_is_invalid_input_with_position() -> None:
    with pytest.raises(InvalidInput, match="JSON"):
        inspect('[{"speaker": "agent", "text": "您好"')


@pytest.mark.parametrize(("data", "field"), [
    ([{"speaker": "robot", "text": "hi"}], "transcript[0].speaker"),
    ([{"speaker": "agent"}], "transcript[0].text"),
    ([{"speaker": "agent", "text": "您好", "t": -1}], "transcript[0].t"),
    (["客服: 您好"], "transcript[0]"),
    ({"agent": "1"}, "transcript"),
])
def test_malformed_json_items_name_the_field(data: object, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        inspect(data)  # type: ignore[arg-type]
    assert err.value.field == field


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["客服", "客户", "坐席", "用户", "", "#", "[00:01]"]),
                          st.text(max_size=40)), max_size=12))
def test_any_text_gives_a_scorecard_or_a_clear_error(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{label}: {body}" if label else body for label, body in lines)
    try:
        scorecard = inspect(text)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert 0 <= scorecard.score <= 100
        json.dumps(scorecard.to_dict(), ensure_ascii=False)
