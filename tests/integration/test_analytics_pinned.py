"""The dashboard's figures over a fixed store are pinned (analytics_pinned.json, written by the scan-only
implementation before the daily rollup existed), on SQLite and PostgreSQL, cold and warm.

Regenerate only on purpose: ``ANALYTICS_PIN_WRITE=1 .venv/bin/pytest tests/integration/test_analytics_pinned.py``.
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from analytics_seed import NOW, seed

from complaintdesk.services import analytics
from complaintdesk.services.bootstrap import Desk

PINNED = Path(__file__).with_name("analytics_pinned.json")
END = NOW.date()
WINDOWS: dict[str, tuple[date | None, date | None]] = {
    "default_30_days": (None, None),
    "edge_days": (date(2026, 5, 17), date(2026, 6, 13)),
    "one_day": (date(2026, 6, 14), date(2026, 6, 14)),
    "quarter": (END - timedelta(days=89), END),
    "whole_year": (END - timedelta(days=365), END),
    "last_year": (date(2025, 5, 1), date(2025, 12, 31)),
    "empty_future": (date(2026, 7, 1), date(2026, 7, 31)),
}


def _figures(desk: Desk) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (start, end) in WINDOWS.items():
        board = analytics.dashboard(desk.uow(), start=start, end=end, now=NOW, iceberg_multiplier=20)
        # Through JSON so that tuples and lists compare alike.
        out[name] = json.loads(json.dumps(board.to_dict()))
    return out


def test_dashboard_figures_match_the_pinned_figures_cold_and_warm(desk: Desk) -> None:
    seed(desk)
    cold = _figures(desk)
    if os.environ.get("ANALYTICS_PIN_WRITE"):
        PINNED.write_text(json.dumps(cold, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("pinned figures rewritten")
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    for name in WINDOWS:
        assert cold[name] == pinned[name], name
    warm = _figures(desk)
    assert warm == cold
