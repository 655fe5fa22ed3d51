"""Chinese renderings of durations, instants and ratios for SLA reasons."""

from __future__ import annotations

from datetime import datetime, timedelta

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.sla_time import zone_of


def format_duration_zh(value: timedelta) -> str:
    """'2小时5分': hours and minutes, as working hours do not add up to days; seconds only under a minute."""
    total = int(abs(value).total_seconds())
    sign = "-" if value < timedelta(0) and total else ""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours and minutes:
        return f"{sign}{hours}小时{minutes}分"
    if hours:
        return f"{sign}{hours}小时"
    if minutes:
        return f"{sign}{minutes}分钟"
    return f"{sign}{seconds}秒"


def format_instant_zh(value: datetime, calendar: BusinessCalendar) -> str:
    """An instant on the centre's wall clock, e.g. '2026-10-09 11:00'."""
    return value.astimezone(zone_of(calendar.timezone)).strftime("%Y-%m-%d %H:%M")


def percent_zh(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"
