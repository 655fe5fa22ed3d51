"""What each round of assist scenarios must show of its sources: its own pages, used by no other set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def round_scenarios(prefix: str) -> list[dict[str, Any]]:
    """The scenarios of ``eval/assist_real.jsonl`` whose id starts with ``prefix`` (``ar-r10-``)."""
    records = [json.loads(line) for line in (ROOT / "eval" / "assist_real.jsonl").read_text("utf-8").splitlines()]
    return [r for r in records if r["id"].startswith(prefix)]


def sources_elsewhere(prefix: str) -> set[str]:
    """Every source page of the other assist scenarios, of every eval set and of every shipped corpus."""
    records = [json.loads(line) for line in (ROOT / "eval" / "assist_real.jsonl").read_text("utf-8").splitlines()]
    others = {str(r["source"]) for r in records if not r["id"].startswith(prefix)}
    for path in [*(ROOT / "eval").rglob("*.jsonl"), *(ROOT / "src/complaintdesk").glob("*/data/*.jsonl")]:
        if path.name != "assist_real.jsonl":
            others |= {
                str(json.loads(line).get("source")) for line in path.read_text("utf-8").splitlines() if line.strip()
            }
    return others


def assert_a_round_of_its_own_pages(prefix: str, at_least: int = 40) -> list[dict[str, Any]]:
    """The round has ``at_least`` scenarios, one page each, and no other set uses any of its pages."""
    scenarios = round_scenarios(prefix)
    assert len(scenarios) >= at_least
    mine = [str(r["source"]) for r in scenarios]
    assert len(set(mine)) == len(mine), "a page used twice in the round"
    assert not set(mine) & sources_elsewhere(prefix), "a page another set uses"
    return scenarios
