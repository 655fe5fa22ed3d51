"""The newest tune file (corpus_tune_f): its pages are used by no other corpus or eval set, and a third is in
traditional script."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "src" / "complaintdesk" / "analysis" / "data"


def _sources(path: Path) -> list[str]:
    return [str(json.loads(line).get("source")) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_the_newest_tune_file_uses_pages_no_other_set_uses() -> None:
    newest = _sources(DATA / "corpus_tune_f.jsonl")
    assert len(set(newest)) == len(newest)
    others = [p for p in DATA.glob("*_tune_*.jsonl") if p.name != "corpus_tune_f.jsonl"]
    others += [p for p in (ROOT / "eval").rglob("*.jsonl")]
    assert not set(newest) & {source for path in others for source in _sources(path)}


def test_the_newest_tune_file_keeps_a_third_in_traditional_script() -> None:
    records = [json.loads(line) for line in (DATA / "corpus_tune_f.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert len(records) >= 15
    assert 3 * sum(r["script"] in ("traditional", "mixed") for r in records) >= len(records)
