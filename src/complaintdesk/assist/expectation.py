"""Manage the customer's expectation (seed 001 §二): quote a wait a little longer than the real one,
give a reason, praise patience — and never quote past a legal or promised deadline.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from complaintdesk.assist.case import Case
from complaintdesk.assist.model import Expectation
from complaintdesk.assist.specs import Playbook, WaitSpec

NO_PENDING_STAGES = frozenset({"thanking", "follow_up", "closed"})


def quote_minutes(real: int, ratio: float, min_margin: int) -> int:
    """Real wait plus a margin, rounded up to a unit a person would say (10 min, 1 h, 1 day)."""
    raw = real + max(real * ratio, float(min_margin))
    if raw <= 60:
        return int(math.ceil(raw / 10) * 10)
    if raw <= 6 * 60:
        return int(math.ceil(raw / 30) * 30)
    if raw <= 48 * 60:
        return int(math.ceil(raw / 60) * 60)
    return int(math.ceil(raw / 1440) * 1440)


def say_minutes(minutes: int) -> str:
    if minutes < 60 or minutes % 60:
        return f"{minutes}分钟"
    if minutes < 48 * 60 or minutes % 1440:
        return f"{minutes // 60}小时"
    return f"{minutes // 1440}天"


def say_due(due: datetime) -> str:
    return f"{due.month}月{due.day}日{due:%H:%M}"


def _real_wait(case: Case, pb: Playbook) -> WaitSpec:
    spec = pb.waits.get(case.category, pb.default_wait)
    override = case.fact("expected_wait_minutes")
    if isinstance(override, int | float) and not isinstance(override, bool) and override > 0:
        return WaitSpec(spec.what, int(override), spec.reason)
    return spec


def _cap(case: Case) -> tuple[int | None, str | None]:
    """Minutes until the earliest policy deadline still ahead of ``now`` (end of its day)."""
    if case.policy is None or case.now is None:
        return None, None
    best: tuple[int | None, str | None] = (None, None)
    for d in case.policy.deadlines:
        end = datetime.combine(d.due, time(23, 59), tzinfo=case.now.tzinfo)
        minutes = int((end - case.now).total_seconds() // 60)
        if minutes > 0 and (best[0] is None or minutes < best[0]):
            best = (minutes, d.what)
    return best


def manage_expectation(case: Case, pb: Playbook) -> Expectation | None:
    if case.stage in NO_PENDING_STAGES:
        return None
    spec = _real_wait(case, pb)
    quoted = quote_minutes(spec.real_minutes, pb.margin_ratio, pb.min_margin_minutes)
    cap, cap_what = _cap(case)
    capped_by = None
    if cap is not None and quoted > cap:
        quoted, capped_by = cap, cap_what  # the deadline wins even over the usual wait: expedite
    due = case.now + timedelta(minutes=quoted) if case.now is not None else None
    if due is not None and due.tzinfo is not None:  # same instant, said in the centre's own time
        due = due.astimezone(ZoneInfo(pb.timezone))
    promise = f"我会在{say_minutes(quoted)}内{spec.what}"
    if due is not None:
        promise += f"(最晚{say_due(due)}前)"
    return Expectation(
        promise=promise, due=due, reason=spec.reason, real_minutes=spec.real_minutes, quoted_minutes=quoted,
        why=pb.expectation_why, source=pb.expectation_source, capped_by=capped_by,
    )
