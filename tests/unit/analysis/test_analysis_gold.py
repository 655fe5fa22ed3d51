"""Issue 3 acceptance on the dev gold set, computed by the evaluator (not hand-copied)."""

from __future__ import annotations

import json
from pathlib import Path

from complaintdesk.analysis import analyze
from complaintdesk.analysis.evaluate import evaluate
from complaintdesk.analysis.model import CATEGORY_LABELS, CUSTOMER_TYPES, DEMAND_KINDS, THREAT_KINDS

EVAL = Path(__file__).resolve().parents[3] / "eval"


def _records(name: str) -> list[dict[str, object]]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_dev_set_meets_the_issue_targets() -> None:
    report = evaluate(_records("analysis_dev.jsonl"), analyze)
    assert report.n >= 200
    assert report.field("demands").macro_f1 >= 0.85
    assert report.field("threats").macro_f1 >= 0.85
    assert report.field("category").macro_f1 >= 0.85
    assert report.field("customer_types").macro_f1 >= 0.75
    assert (report.field("emotion").accuracy or 0.0) >= 0.85


def test_dev_set_covers_every_label() -> None:
    records = _records("analysis_dev.jsonl")
    expects = [r["expect"] for r in records]
    assert {e["category"] for e in expects} == set(CATEGORY_LABELS)  # type: ignore[index]
    for key, vocabulary in (("customer_types", CUSTOMER_TYPES), ("demands", DEMAND_KINDS),
                            ("threats", THREAT_KINDS)):
        seen = {label for e in expects for label in e[key]}  # type: ignore[index]
        assert seen == set(vocabulary), key
    assert {e["emotion"] for e in expects} == {"anger", "anxiety", "disappointment", "calm"}  # type: ignore[index]
    assert any(e["chronic_complainer"] for e in expects)  # type: ignore[index]


def test_held_out_set_is_separate_and_large_enough() -> None:
    dev = {r["text"] for r in _records("analysis_dev.jsonl")}
    test = [r["text"] for r in _records("analysis_test.jsonl")]
    assert len(test) >= 60
    assert not dev.intersection(test)


def test_every_dev_complaint_reads_the_same_in_traditional_script() -> None:
    import opencc

    to_traditional = opencc.OpenCC("s2t")

    def labels(text: str) -> tuple[object, ...]:
        r = analyze(text)
        return (r.emotion.label, r.type_names, r.demand_kinds, r.threat_kinds, r.category.label,
                r.chronic_complainer.likely, r.facts.repair_count, r.facts.amounts_yuan)

    for record in _records("analysis_dev.jsonl"):
        simplified = str(record["text"])
        traditional = to_traditional.convert(simplified)
        assert labels(traditional) == labels(simplified), simplified[:40]
        for item in analyze(traditional).demands:
            for span in item.evidence:
                assert traditional[span.start : span.end] == span.text
