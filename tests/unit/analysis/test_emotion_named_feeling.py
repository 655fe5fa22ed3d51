"""A feeling the customer names outright outweighs diffuse irritation (Session 16, disappointment)."""

from __future__ import annotations

from complaintdesk.analysis import analyze, learned
from complaintdesk.analysis.judgements import emotion
from complaintdesk.analysis.matching import Hit


def _hit(label: str, cue: str, weight: float, start: int = 0) -> Hit:
    return Hit("emotion", label, start, start + len(cue), weight, cue)


def test_a_named_disappointment_beats_anger_made_only_of_diffuse_signs() -> None:
    hits = [_hit("anger", "凭什么", 0.9), _hit("anger", "!", 0.6, 5), _hit("anger", "结果", 0.3, 8),
            _hit("disappointment", "失望", 1.0, 12)]
    assert emotion(hits, "凭什么……!……结果……真失望", (), [], []).label == "disappointment"


def test_named_anger_still_wins_over_a_named_disappointment() -> None:
    hits = [_hit("anger", "气死", 1.0), _hit("anger", "!", 0.6, 5), _hit("disappointment", "失望", 1.0, 12)]
    assert emotion(hits, "气死……!……真失望", (), [], []).label == "anger"


def test_loyalty_let_down_reads_as_disappointment_in_the_cue_scan() -> None:
    learned.disable()
    try:
        reading = analyze("我是你们的老顾客了，这几年在你们这儿买了不少东西，说了也白说。")
    finally:
        learned.use(None)
    assert reading.emotion.label == "disappointment"
