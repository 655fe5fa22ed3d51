"""Gating a family's patterns by the characters they need finds what the alternation of them finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from complaintdesk.quality.bank import load_bank
from complaintdesk.quality.banned import _windows, canonical_map
from complaintdesk.quality.gate import Gates, required_chars
from complaintdesk.quality.transcript import normalize

EVAL = Path(__file__).resolve().parents[3] / "eval"


def test_required_characters_skip_optional_parts_and_keep_what_every_alternative_needs() -> None:
    assert required_chars("(你)?(去)?找(别人|其他人)") == {"找", "人"}
    assert required_chars("^没(有)?(办法|法子|辙)$") == {"没"}
    assert required_chars("神经病|白痴") == set()
    assert required_chars("怎么(又|还)+(问|来)") == {"怎", "么"}


def test_a_gate_finds_the_leftmost_match_and_the_first_pattern_there() -> None:
    patterns = tuple(re.compile(p) for p in ("别催", "催什么|别催", "(你)?找谁", "找"))
    gates, combined = Gates({"f": patterns}), re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    for text in ("你找谁啊别催", "别催了找", "没有", "找"):
        expected, got = combined.search(text), gates.first(text).get("f")
        assert (expected and expected.span()) == (got and got.span())


def test_every_family_gate_agrees_with_its_alternation_on_real_lines() -> None:
    bank = load_bank()
    # tune parts only: a failure message quotes the clause, and the frozen test parts are never shown
    rows = [json.loads(line) for line in (EVAL / "quality_courteous.jsonl").read_text(encoding="utf-8").splitlines()]
    lines = [row["text"] for row in rows if row["split"] == "tune"]
    for line in (EVAL / "quality_real.jsonl").read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        lines += [pair["bad"], pair["good"]] if pair["split"] == "tune" else []
    checked = 0
    for text in lines:
        norm = normalize(text)
        clauses, pairs = _windows(norm)
        for start, end in (*clauses, *pairs):
            canon = canonical_map(norm[start:end])[0]
            if not canon:
                continue
            found = bank.gates.first(canon)
            for family in bank.families.values():
                expected = family.combined.search(canon) if family.combined is not None else None
                got = found.get(family.code)
                assert (expected and expected.span()) == (got and got.span()), (family.code, canon)
                checked += 1
    assert checked > 5_000
