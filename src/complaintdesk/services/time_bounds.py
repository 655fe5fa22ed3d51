"""Bounds on the times a caller states: when a complaint came in, when a promise or a follow-up is due.

An intake time in the future would keep a complaint out of its SLA (clocks due in 2100); one before the
centre's floor (``COMPLAINTDESK_OPENED_AT_FLOOR``) is a typing error, and years 1 or 9999 overflow the
calendar arithmetic. Refused here, naming the field, before any clock or number is computed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.settings import get_settings, local_zone

# Two clocks (the caller's and the server's) never agree exactly; more than this is not skew.
CLOCK_SKEW = timedelta(minutes=5)
# A promise or a follow-up further ahead than this is not a working commitment (and past the calendar).
MAX_AHEAD = timedelta(days=366)


def _floor() -> datetime:
    return datetime.combine(get_settings().opened_at_floor, time(0, 0), tzinfo=local_zone())


def _fmt(moment: datetime) -> str:
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def check_opened_at(opened_at: datetime, now: datetime, field: str = "opened_at") -> None:
    """Not later than now (plus the clock skew), not earlier than the configured floor."""
    if opened_at.tzinfo is None:
        raise InvalidInput("受理时间必须带时区（例如 2026-11-23T09:30:00+08:00）", field=field)
    latest = now + CLOCK_SKEW
    # Aware datetimes compare without converting either to a zone, so year 1 and 9999 compare safely.
    if opened_at > latest:
        raise InvalidInput(f"受理时间不能晚于现在（最晚 {_fmt(latest)}）", field=field)
    floor = _floor()
    if opened_at < floor:
        raise InvalidInput(
            f"受理时间不能早于 {_fmt(floor)}(COMPLAINTDESK_OPENED_AT_FLOOR)", field=field
        )


def check_due(due: datetime, now: datetime, field: str, label: str) -> None:
    """A due time within ``MAX_AHEAD`` of now (the domain checks that it lies after now)."""
    if due.tzinfo is None:
        raise InvalidInput(f"{label}必须带时区", field=field)
    latest = now + MAX_AHEAD
    if due > latest:
        raise InvalidInput(f"{label}不能晚于 {_fmt(latest)}（最多 {MAX_AHEAD.days} 天之后）", field=field)
