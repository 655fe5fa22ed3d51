"""A small, fully deterministic store for pinning the dashboard figures (tests/integration/test_analytics_*.py).

Rows go in with core inserts so that every column the figures read is set on purpose: edges of local days
(Asia/Shanghai midnight is 16:00 UTC), capped transfer counts, sign-off outcomes, JSON analyses whose text
does or does not carry a customer type, promises in every state, QA scorecards and SLA clocks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from complaintdesk.domain.sla import start_clock
from complaintdesk.services.bootstrap import Desk
from complaintdesk.storage import orm
from complaintdesk.storage.sla_repository import ClockRow

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
CHANNELS = ["phone", "web", "email", "walk_in", "chat", "import"]
CATEGORIES = ["parts_shortage", "product_quality", "repeated_repair", "out_of_warranty_charge", "staff_attitude",
              "late_visit", "billing", "delivery", "other"]
STAGES = ["accepted", "calming", "proposing", "follow_up", "closed", "closed", "reopened"]
TYPES = ["stubborn", "self_important", "nagger", "boss_demander", "negative", "friendly"]
CLOCK_KINDS = ["acceptance", "first_response", "resolution", "follow_up"]


def _analysis(rng: random.Random) -> dict[str, Any] | None:
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.15:
        # A "type" key elsewhere in the analysis: the figure counts the text, so this one is pinned too.
        return {"demands": [{"type": "nagger", "evidence": []}], "customer_types": []}
    kinds = rng.sample(TYPES, rng.randrange(0, 3))
    return {"emotion": {"label": "anger", "intensity": 0.7, "evidence": []},
            "customer_types": [{"type": k, "score": 0.5, "evidence": []} for k in kinds],
            "threats": [], "demands": []}


def seed(desk: Desk, count: int = 400) -> list[str]:
    """``count`` complaints over the 400 days before NOW plus a few on local-midnight edges; returns numbers."""
    rng = random.Random(20261123)
    with desk.engine.begin() as conn:
        conn.execute(insert(orm.customers), [{"name": "客户", "phone": "13900000000", "segment": "regular",
                                              "created_at": NOW}])
        customer = conn.execute(select(orm.customers.c.id)).scalar_one()
        edges = [datetime(2026, 6, 13, 15, 59, 59, tzinfo=UTC), datetime(2026, 6, 13, 16, 0, tzinfo=UTC),
                 datetime(2026, 5, 16, 15, 59, 59, tzinfo=UTC), datetime(2026, 5, 16, 16, 0, tzinfo=UTC),
                 NOW - timedelta(minutes=5)]
        opened_times = edges + [NOW - timedelta(minutes=rng.randrange(0, 400 * 24 * 60)) for _ in range(count)]
        rows, clocks, promises_due = [], [], []
        for i, opened in enumerate(opened_times):
            stage = rng.choice(STAGES)
            number = f"PX-{i:06d}"
            rows.append({
                "number": number, "customer_id": customer, "channel": rng.choice(CHANNELS),
                "title": f"投诉 {i}", "description": "固定数据", "category": rng.choice(CATEGORIES), "demands": [],
                "priority": "normal", "stage": stage, "owner": f"agent{i % 4}",
                "escalation_level": rng.choice([0, 0, 1, 2, 3]), "transfer_count": rng.choice([0, 0, 1, 2, 3, 4, 6]),
                "runaround": rng.random() < 0.1, "repeat": rng.random() < 0.2,
                "signoff_satisfied": rng.choice([True, True, False, None]) if stage in ("closed", "reopened") else None,
                "reopen_count": rng.choice([0, 0, 0, 1, 2]), "analysis": _analysis(rng),
                "opened_at": opened, "updated_at": opened, "version": 1,
            })
            for kind in rng.sample(CLOCK_KINDS, rng.randrange(0, 3)):
                due = opened + timedelta(hours=rng.randrange(1, 24 * 10))
                row = ClockRow.new(number, start_clock(kind, opened), due, opened).values()
                row["active"] = rng.random() < 0.5
                row["updated_at"] = due + timedelta(hours=rng.randrange(-48, 48))
                clocks.append(row)
            if rng.random() < 0.3:
                promises_due.append((i, opened))
        conn.execute(insert(orm.complaints), rows)
        conn.execute(insert(orm.sla_clocks), clocks)
        ids = dict(conn.execute(select(orm.complaints.c.number, orm.complaints.c.id)).all())
        promise_rows = []
        for i, opened in promises_due:
            made = opened + timedelta(hours=1)
            due = made + timedelta(hours=rng.choice([4, 24, 48]))
            kept = rng.choice([None, True, True, False])
            resolved = None if kept is None else due + timedelta(hours=rng.choice([-3, 5, 30]))
            promise_rows.append({"complaint_id": ids[f"PX-{i:06d}"], "what": "回电", "due_at": due, "made_at": made,
                                 "made_by": "agent0", "kept": kept, "resolved_at": resolved})
        conn.execute(insert(orm.promises), promise_rows)
        audit = []
        for seq, i in enumerate(range(0, len(opened_times), 7), start=1):
            score: Any = rng.choice([55, 72.5, 90, 100, "n/a"])
            audit.append({"seq": seq, "complaint_number": f"PX-{i:06d}", "kind": "qa_inspected", "actor": "qa",
                          "at": opened_times[i] + timedelta(days=1), "payload": {"scorecard": {"score": score}},
                          "prev_hash": f"{seq - 1:064d}", "hash": f"{seq:064d}"})
        conn.execute(insert(orm.audit_events), audit)
    return [r["number"] for r in rows]
