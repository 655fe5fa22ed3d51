"""Acceptance cases of issue 5, written from the seeds (fixtures quote the seeds' calls)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from complaintdesk.quality import inspect

FIXTURES = Path(__file__).parent / "fixtures"


def card(name: str) -> dict[str, Any]:
    return inspect((FIXTURES / name).read_text(encoding="utf-8")).to_dict()


def rules(scorecard: dict[str, Any]) -> set[str]:
    return {v["rule"] for v in scorecard["violations"]}


@pytest.mark.parametrize("use_analysis", [True, False], ids=["analysis+cues", "cues-only"])
def test_seed002_call_as_it_happened_scores_at_least_30_below_the_better_reply(use_analysis: bool) -> None:
    bad, good = (
        inspect((FIXTURES / name).read_text(encoding="utf-8"), use_analysis=use_analysis)
        for name in ("seed002_as_it_happened.txt", "seed002_better_reply.txt")
    )
    assert good.score - bad.score >= 30


def test_seed002_call_as_it_happened_names_the_faults_the_author_found() -> None:
    found = rules(card("seed002_as_it_happened.txt"))
    # repeated SMS instruction, ritual "不好意思", agent hung up, no real help
    assert {"repeated_instruction", "ritual_apology", "agent_hung_up", "no_concrete_commitment"} <= found


def test_seed002_better_reply_keeps_respect_and_sincerity() -> None:
    good = card("seed002_better_reply.txt")
    assert not rules(good) & {"repeated_instruction", "ritual_apology", "agent_hung_up", "no_apology"}
    assert good["respect"]["acknowledgement"] >= 6
    assert good["sincerity"]["assistance"] >= 6
    assert good["commitment"]["made"] and good["commitment"]["concrete"]
    assert good["customer_emotion_trend"] == "improved"


def test_seed002_agent_hang_up_is_recorded_as_ended_by_agent() -> None:
    bad = card("seed002_as_it_happened.txt")
    assert bad["ended_by"] == "agent"
    hung = [v for v in bad["violations"] if v["rule"] == "agent_hung_up"]
    assert hung and hung[0]["severity"] == "critical" and "种子002" in hung[0]["why"]


def test_seed002_evidence_quotes_the_traditional_original() -> None:
    bad = card("seed002_as_it_happened.txt")
    repeated = next(v for v in bad["violations"] if v["rule"] == "repeated_instruction")
    assert "發送短信" in repeated["text"]


def test_seed000_first_call_is_flagged_for_impossible_and_for_no_alternative() -> None:
    first = card("seed000_first_call.txt")
    forbidden = [v for v in first["violations"] if v["rule"] == "forbidden_phrase"]
    assert [v["line"] for v in forbidden] == [5, 7]
    assert all(v["match"] == "这是不可能的" for v in forbidden)
    assert forbidden[1]["text"][slice(*forbidden[1]["span"])] == "这是不可能的"
    assert "refusal_without_alternative" in rules(first)
    assert "cold_phrase" in rules(first)  # "和你说过了"


def test_seed000_complaint_line_refusal_is_flagged_without_alternative() -> None:
    found = rules(card("seed000_complaint_line.txt"))
    assert {"refusal_without_alternative", "no_apology"} <= found


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_every_fixture_follows_the_scorecard_contract(name: str) -> None:
    result = card(name)
    assert 0 <= result["score"] <= 100
    assert set(result["respect"]) == {"understanding", "acknowledgement", "evidence"}
    assert set(result["sincerity"]) == {"emotion", "assistance", "evidence"}
    assert set(result["steps"]) == {
        "accept", "calm", "clarify", "propose", "act", "thank", "follow_up"
    }
    assert set(result["steps"].values()) <= {"kept", "missed", "n/a"}
    for violation in result["violations"]:
        assert {"rule", "severity", "line", "text", "why"} <= set(violation)
        assert violation["severity"] in {"minor", "major", "critical"}
    assert set(result["commitment"]) == {"made", "concrete", "evidence"}
    assert result["ended_by"] in {"agent", "customer", "unknown"}
    assert result["customer_emotion_trend"] in {"improved", "same", "worse"}
    assert isinstance(result["downgraded_complaint"], bool)
    assert isinstance(result["interruptions"], int)
