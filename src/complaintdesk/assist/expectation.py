"""Manage the customer's expectation (seed 001 §二): quote a wait a little longer than the real one,
give a reason, praise patience — and never quote past a legal or promised deadline.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from complaintdesk.assist.case import Case
from complaintdesk.assist.model import Expectation
from complaintdesk.assist.reading import settled
from complaintdesk.assist.specs import Playbook, WaitSpec
from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.sla_time import add_business_time

NO_PENDING_STAGES = frozenset({"thanking", "follow_up", "closed"})


def quote_minutes(real: int, ratio: float, min_margin: int) -> int:
    """Real wait plus a margin, rounded up to a unit a person would say (10 min, 30 min, 1 h, 1 day)."""
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
    if spec.done_wait is not None and any(w in case.text for w in spec.done_when):
        spec = pb.waits.get(spec.done_wait, pb.default_wait)  # done since: never promised again
    for demand in settled(case, pb):  # never promise again what the facts already settle
        rule = pb.replies.settled[demand]
        remedies = {r.kind for r in case.policy.remedies} if case.policy is not None else set()
        if case.category in rule.wait_for:
            # what is left is that wait's work (a refund to pay back), else only the usual call back
            kept = not rule.wait_when or bool(rule.wait_when & remedies)
            spec = pb.waits.get(rule.wait, pb.default_wait) if kept else pb.default_wait
    override = case.fact("expected_wait_minutes")
    if isinstance(override, int | float) and not isinstance(override, bool) and override > 0:
        return WaitSpec(spec.what, int(override), spec.reason)
    return spec


def _cap(case: Case, zone: ZoneInfo) -> tuple[datetime | None, str | None]:
    """The end of the earliest policy deadline still ahead of ``now``, and what it is for."""
    if case.policy is None or case.now is None:
        return None, None
    now = case.now.astimezone(zone) if case.now.tzinfo is not None else case.now.replace(tzinfo=zone)
    ends = [(datetime.combine(d.due, time(23, 59), tzinfo=zone), d.what) for d in case.policy.deadlines]
    ahead = sorted((end, what) for end, what in ends if end > now)
    return ahead[0] if ahead else (None, None)


def _round_up(moment: datetime, minutes: int) -> datetime:
    base = moment.replace(second=0, microsecond=0)
    if base < moment:
        base += timedelta(minutes=1)
    extra = -(base.minute % minutes) % minutes
    return base + timedelta(minutes=extra)


def due_time(
    now: datetime, quoted: int, pb: Playbook, calendar: BusinessCalendar | None
) -> datetime:
    """When the quoted wait ends: in working time when the playbook says so, in the centre's time zone.

    A naive ``now`` is read as the centre's local time and the answer is naive too.
    """
    zone = ZoneInfo(pb.timezone)
    aware = now.astimezone(zone) if now.tzinfo is not None else now.replace(tzinfo=zone)
    if pb.business_basis:
        due = add_business_time(calendar or default_calendar(), aware, timedelta(minutes=quoted)).astimezone(zone)
    else:
        due = aware + timedelta(minutes=quoted)
    due = _round_up(due, pb.round_due_minutes)
    return due if now.tzinfo is not None else due.replace(tzinfo=None)


def manage_expectation(case: Case, pb: Playbook, calendar: BusinessCalendar | None = None) -> Expectation | None:
    if case.stage in NO_PENDING_STAGES:
        return None
    spec = _real_wait(case, pb)
    quoted = quote_minutes(spec.real_minutes, pb.margin_ratio, pb.min_margin_minutes)
    due = due_time(case.now, quoted, pb, calendar) if case.now is not None else None
    capped_by = None
    cap, cap_what = _cap(case, ZoneInfo(pb.timezone))
    if due is not None and cap is not None:
        cap = cap if due.tzinfo is not None else cap.replace(tzinfo=None)
        if due > cap:  # the deadline wins even over the usual wait: the work must be expedited
            due, capped_by = cap, cap_what
    if due is not None:
        promise = f"我会在{say_due(due)}前{spec.what}"
    else:
        promise = f"我会在{say_minutes(quoted)}内{spec.what}"
    return Expectation(
        promise=promise, due=due, reason=spec.reason, real_minutes=spec.real_minutes, quoted_minutes=quoted,
        why=pb.expectation_why, source=pb.expectation_source, capped_by=capped_by,
    )
