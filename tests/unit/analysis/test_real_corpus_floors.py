"""The analysis engine on real complaints (issue 19): figures on the frozen test split may not drop.

The floors are the figures reached when the split was first evaluated, rounded down: the issue's targets
(demands and threats micro-F1 >= 0.85, category and emotion >= 0.8, customer types >= 0.65, dissatisfaction
AUC >= 0.85) are not all reached yet, and the README says which. Raising a floor is a deliberate act; a
change that lowers a figure fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.analysis import analyze, corpus
from complaintdesk.analysis.evaluate import Report, dissatisfaction_auc, evaluate
from complaintdesk.text import normalise

REAL = Path(__file__).resolve().parents[3] / "eval" / "analysis_real"
# Raised in the s12 round to its figures less about 0.01 (emotion 0.833, category 0.657, customer types 0.429,
# demands 0.732, threats 0.769, company faults 0.428, review AUC 0.864); company faults raised in the s14 round
# (cue families for faults stated as facts: 0.443, read once), threats in the s14 threats round (the customer's
# own acts: 0.794, read once); customer types and demands in the s14 analysis round (tune file j, type and fee
# cues: customer types 0.432, demands 0.735, read once before the threats round was merged); threats in Session 16
# (request clauses, a bare appeal to the authorities no threat: 0.802, read once).
TEST_FLOORS = {"emotion": 0.82, "category": 0.645, "customer_types": 0.422, "demands": 0.725, "threats": 0.795,
               "company_faults": 0.433}  # fmt: skip
TEST_AUC_FLOOR = 0.855


def _records(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (REAL / name).read_text("utf-8").splitlines() if line.strip()]


def _figure(report: Report, name: str) -> float:
    field = report.field(name)
    return (field.accuracy or 0.0) if field.kind == "single" else field.micro.f1


@pytest.fixture(scope="module")
def test_split() -> Report:
    return evaluate(_records("test.jsonl"), analyze)


@pytest.mark.parametrize("name", sorted(TEST_FLOORS))
def test_the_frozen_real_test_split_keeps_its_figures(test_split: Report, name: str) -> None:
    assert _figure(test_split, name) >= TEST_FLOORS[name]


def test_dissatisfaction_separates_real_negative_from_positive_reviews() -> None:
    auc, negatives, positives = dissatisfaction_auc(_records("reviews-test.jsonl"), analyze)
    assert negatives >= 50 and positives >= 50
    assert auc >= TEST_AUC_FLOOR


def test_the_frozen_split_is_big_enough_and_shares_no_page_or_text_with_the_tune_split() -> None:
    test = _records("test.jsonl")
    tune = corpus.tune_complaints()
    assert len(test) >= 200 and len(tune) >= 300
    scripts = [r.get("script") for r in [*test, *tune]]
    assert sum(s in ("traditional", "mixed") for s in scripts) >= 150
    assert not {r["source"] for r in test} & {r["source"] for r in tune}
    assert not {r["text"] for r in test} & {r["text"] for r in tune}


def test_a_traditional_text_reads_as_its_simplified_twin() -> None:
    """Within 0.03: the engine reads through OpenCC, so a twin is read alike label for label."""
    traditional = [r for r in _records("test.jsonl") if r.get("script") == "traditional"]
    from opencc import OpenCC

    to_simplified = OpenCC("t2s")
    twins = [{**r, "text": to_simplified.convert(str(r["text"]))} for r in traditional]
    original, converted = evaluate(traditional, analyze), evaluate(twins, analyze)
    for name in TEST_FLOORS:
        assert abs(_figure(original, name) - _figure(converted, name)) <= 0.03, name
    assert normalise("臺灣").text == normalise("台湾").text


def test_every_corpus_record_uses_the_vocabularies_and_its_spans_are_in_its_text() -> None:
    """The corpus checks its writers ran while writing (now one test instead of their scripts)."""
    from complaintdesk.analysis.evaluate import evaluate as score

    records = [*_records("test.jsonl"), *corpus.tune_complaints()]
    score(records, lambda text, today: analyze(""))  # refuses a label outside the vocabularies, naming it
    for record in records:
        assert str(record["source"]).startswith(("http://", "https://")), record["id"]
        for key, words in dict(record.get("spans") or {}).items():  # type: ignore[call-overload]
            assert str(words) in str(record["text"]), (record["id"], key)
