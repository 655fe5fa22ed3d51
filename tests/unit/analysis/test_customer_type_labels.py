"""The customer-type labels of tune files ``a``–``m`` follow the guide (issue 19, session 19): 发牢骚型 only with
grumbling or resigned words in the customer's own voice (T5), 妄自尊大者 only with status or precedence claimed
(T9, T2, T8) or a case already taken up urged again and again (T1). Each label names its span; the span's words
are checked against ``eval/analysis_agreement/types_signs.yaml`` (the relabelling: ``types_relabel.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import complaintdesk.analysis.data as data

ROOT = Path(__file__).resolve().parents[3]
SIGNS: dict[str, dict[str, list[str]]] = yaml.safe_load(
    (ROOT / "eval" / "analysis_agreement" / "types_signs.yaml").read_text("utf-8")
)
QUOTES = {"“": "”", "「": "」", "『": "』"}


def _records() -> list[dict[str, Any]]:
    folder = Path(data.__file__).parent
    return [
        json.loads(line)
        for letter in "abcdefghijklm"
        for line in (folder / f"corpus_tune_{letter}.jsonl").read_text("utf-8").splitlines()
    ]


def _labelled(kind: str) -> list[tuple[str, str, str]]:
    return [
        (r["id"], r["text"], r.get("spans", {}).get(f"customer_types.{kind}", ""))
        for r in _records()
        if kind in r["expect"]["customer_types"]
    ]


def _quoted(text: str, span: str) -> bool:
    """Whether the span's first occurrence lies inside quotation marks (someone's words told, T5: own voice)."""
    before = text[: text.index(span)]
    return any(before.count(open_) > before.count(close) for open_, close in QUOTES.items())


@pytest.mark.parametrize("kind", ["whiner", "self_important"])
def test_every_whiner_and_self_important_label_names_its_words_in_the_text(kind: str) -> None:
    labelled = _labelled(kind)
    assert labelled
    assert [rid for rid, text, span in labelled if not span or span not in text] == []


def test_a_whiner_label_needs_grumbling_or_resigned_words_in_the_customers_voice() -> None:
    words = SIGNS["whiner"]["grumbling"] + SIGNS["whiner"]["resigned"]
    labelled = _labelled("whiner")
    assert [rid for rid, _, span in labelled if not any(w in span for w in words)] == []
    assert [rid for rid, text, span in labelled if span in text and _quoted(text, span)] == []


def test_a_long_account_asking_for_nothing_without_such_words_is_no_whiner() -> None:
    """T5: the absence of a demand is not the type; a text holding none of the words has no whiner label."""
    words = SIGNS["whiner"]["grumbling"] + SIGNS["whiner"]["resigned"]
    assert [rid for rid, text, _ in _labelled("whiner") if not any(w in text for w in words)] == []


def test_a_self_important_label_needs_status_claimed_or_a_taken_up_case_urged() -> None:
    signs = SIGNS["self_important"]
    labelled = _labelled("self_important")
    assert [
        rid for rid, _, span in labelled if not any(w in span for w in signs["status"] + signs["chasing"])
    ] == []


def test_a_hotline_that_will_not_answer_or_a_fault_reported_again_is_no_self_important() -> None:
    never = SIGNS["self_important"]["never"]
    assert [rid for rid, _, span in _labelled("self_important") if any(w in span for w in never)] == []
