"""The tune review files (``reviews_tune_*.jsonl``): every line is a valid review, and the newest file (d) is
built from pages no other corpus or eval set uses, a third or more in traditional script, both labels near even."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "src" / "complaintdesk" / "analysis" / "data"
NEWEST = DATA / "reviews_tune_d.jsonl"


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_every_tune_review_has_a_text_a_label_a_script_and_a_source() -> None:
    records = [r for path in sorted(DATA.glob("reviews_tune_*.jsonl")) for r in _records(path)]
    assert len(records) >= 350
    for r in records:
        assert r["split"] == "tune"
        assert r["label"] in ("negative", "positive")
        assert r["script"] in ("simplified", "traditional", "mixed")
        assert str(r["source"]).startswith("http")
        assert len(r["text"]) >= 8
    assert len({r["id"] for r in records}) == len(records)
    assert len({r["text"] for r in records}) == len(records)


def test_the_newest_review_file_uses_pages_no_other_set_uses() -> None:
    newest = {str(r["source"]) for r in _records(NEWEST)}
    others = [p for p in DATA.glob("*_tune_*.jsonl") if p != NEWEST]
    others += list((ROOT / "eval").rglob("*.jsonl"))
    shared = newest & {str(r.get("source")) for path in others for r in _records(path)}
    assert len(shared) == 0, "pages of reviews_tune_d are used elsewhere"


def test_the_newest_review_file_is_large_balanced_and_a_third_traditional() -> None:
    records = _records(NEWEST)
    assert len(records) >= 200
    labels = Counter(r["label"] for r in records)
    assert min(labels.values()) >= 0.4 * len(records)
    assert 10 * sum(r["script"] in ("traditional", "mixed") for r in records) >= 3 * len(records)
    assert max(Counter(r["source"] for r in records).values()) <= 3
