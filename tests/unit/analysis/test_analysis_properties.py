"""Properties that hold for any input: evidence always quotes the original text exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.analysis import analyze

ALPHABET = list("退款換貨维修賠償曝光律師還有總是從不乾燥頭髮坏了又气死着急失望请问谢谢修了五次两千块元买的天月")
ALPHABET += ["「", "」", ",", "。", "!", "?", "!", "\n", " ", "a", "Z", "-", "3", "\x00", "坐席:", "客户:", "12315"]


def _spans(reading: dict[str, Any]) -> list[dict[str, Any]]:
    spans = list(reading["emotion"]["evidence"]) + list(reading["category"]["evidence"])
    for key in ("customer_types", "demands", "threats"):
        spans += [s for item in reading[key] for s in item["evidence"]]
    spans += [s for sign in reading["chronic_complainer"]["signs"] for s in sign["evidence"]]
    spans += list(reading["facts"]["evidence"])
    return spans


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=120).map("".join))
def test_every_span_quotes_the_original_exactly(text: str) -> None:
    reading = analyze(text).to_dict()
    for span in _spans(reading):
        assert 0 <= span["start"] <= span["end"] <= len(text)
        assert text[span["start"] : span["end"]] == span["text"]
    assert 0.0 <= reading["escalation_risk"]["score"] <= 1.0
    assert 0.0 <= reading["emotion"]["intensity"] <= 1.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=120).map("".join))
def test_emotion_and_chronic_readers_answer_as_the_full_reading_does(text: str) -> None:
    from complaintdesk.analysis import read_chronic, read_emotion

    reading = analyze(text)
    assert read_emotion(text) == (reading.emotion.label, reading.emotion.intensity)
    assert read_chronic(text) == reading.chronic_complainer.likely


def test_emotion_reader_agrees_with_the_full_reading_on_every_real_complaint() -> None:
    import json

    from complaintdesk.analysis import read_chronic, read_emotion

    # the dev set and the shipped tune corpus (never a frozen test split: a failure would quote its text)
    root = Path(__file__).resolve().parents[3]
    shipped = sorted((root / "src/complaintdesk/analysis/data").glob("corpus_tune_*.jsonl"))
    files = [root / "eval" / "analysis_dev.jsonl", *shipped]
    texts = [json.loads(line)["text"] for path in files
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 400
    for text in texts:
        reading = analyze(text)
        assert read_emotion(text) == (reading.emotion.label, reading.emotion.intensity), text
        assert read_chronic(text) == reading.chronic_complainer.likely, text


def test_a_memoised_emotion_reading_follows_a_centre_cue_added_by_a_reload(tmp_path: Path) -> None:
    from complaintdesk.analysis import read_emotion
    from tests.knowledge_dirs import serving, write

    line = "我看他吹胡子瞪眼"
    before = read_emotion(line)
    assert read_emotion(line) == before == (analyze(line).emotion.label, analyze(line).emotion.intensity)
    write(tmp_path, "analysis/emotion.yaml", "extends: true\nsource: 本中心\nlabels:\n  anger:\n    cues: [吹胡子瞪眼]\n")
    with serving(tmp_path):
        after = read_emotion(line)
        assert after == (analyze(line).emotion.label, analyze(line).emotion.intensity)
        assert after[0] == "anger" and after != before
    assert read_emotion(line) == before
