"""What the policy panel shows an agent is Chinese with Chinese punctuation and no codes (issue 20,
point 4): reasons, questions, deadlines, findings and the rule texts quoted beside them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from complaintdesk.assist.wording import halfwidth_marks
from complaintdesk.policy import check

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text("utf-8"))
SHOWN = {"reason", "missing_facts", "text", "what", "finding", "computation", "article", "question"}


def _facts(case: dict[str, Any]) -> dict[str, Any]:
    facts = dict(case["facts"])
    facts.setdefault("today", case.get("today", "2025-06-30"))
    facts.setdefault("demands", case.get("demands", list(case["expect"])))
    return facts


def _shown_texts(value: Any, name: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if name in SHOWN:
            yield name, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _shown_texts(getattr(value, field.name), field.name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _shown_texts(item, name)


def test_every_reason_and_question_uses_chinese_punctuation() -> None:
    slips = sorted(
        {
            (name, text[:60])
            for case in CASES
            for name, text in _shown_texts(check(_facts(case)))
            if halfwidth_marks(text)
        }
    )
    assert slips == []


def test_a_fault_outside_a_rule_is_named_in_words_not_as_a_code() -> None:
    result = check(
        {"today": "2025-06-30", "product": {"kind": "tv"}, "purchase_date": "2025-06-25",
         "fault": {"kind": "appearance", "first_seen": "2025-06-26", "reported_on": "2025-06-26"},
         "demands": ["refund"]}
    )  # fmt: skip
    reasons = " ".join(v.reason for v in result.demands)
    assert "外观问题" in reasons and "appearance" not in reasons


def test_the_sources_the_panel_links_cite_no_seed_article() -> None:
    """A seed citation (种子000) belongs in the rule's note, which the rules page shows, not in the source
    the policy panel prints beside each verdict."""
    cited = {
        rule.source
        for case in CASES
        for verdict in check(_facts(case)).demands
        for rule in verdict.rules
        if "种子" in rule.source
    }
    assert cited == set()
