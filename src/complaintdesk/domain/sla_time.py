"""Business-time arithmetic: how much working time lies between two instants, and its inverse.

Every computation happens on absolute instants (UTC), with the working windows of each day
built in the calendar's own time zone. So the zone a caller's datetimes carry never changes a
result, and a DST change in the calendar's zone shortens or lengthens that day's window by the
real hour it gains or loses, as a wall clock on the centre's wall would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.errors import ConfigurationError, InvalidInput

ZERO = timedelta(0)
_MAX_DAYS = 3660  # ten years of windows: beyond that a calendar or a duration is wrong, not long
MAX_DURATION = timedelta(days=_MAX_DAYS)


class TimeBasis(StrEnum):
    """Which time a clock counts: working hours of working days, or every hour of every day."""

    BUSINESS = "business"  # 工作时间:只计工作日的上班时段
    CALENDAR = "calendar"  # 自然时间 (24x7): e.g. a promise "48 小时内"


def require_aware(value: datetime, field: str) -> datetime:
    """Refuse naive datetimes: a time without a zone is ambiguous by up to a day."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{field} 必须是日期时间，收到 {type(value).__name__}", field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{field} 缺少时区信息（不接受无时区的时间）：{value.isoformat()}", field=field)
    return value


@lru_cache(maxsize=32)
def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(f"日历时区 {name!r} 无效", field="timezone") from exc


def _utc(value: datetime, field: str) -> datetime:
    return require_aware(value, field).astimezone(UTC)


@lru_cache(maxsize=8192)
def _window(zone_name: str, work_start: time, work_end: time, day: date) -> tuple[datetime, datetime]:
    """The working window of ``day`` as UTC instants (only meaningful on a working day).

    Cached on plain values, not on the calendar (which holds a dict and is not hashable): a sweep
    asks about the same few hundred days for every clock.
    """
    zone = zone_of(zone_name)
    opens = datetime.combine(day, work_start, tzinfo=zone).astimezone(UTC)
    closes = datetime.combine(day, work_end, tzinfo=zone).astimezone(UTC)
    return opens, closes


def _windows_from(
    calendar: BusinessCalendar, start_utc: datetime, days: int = _MAX_DAYS
) -> Iterator[tuple[datetime, datetime]]:
    """Working windows in time order, over ``days`` local days from the local day of ``start_utc``."""
    zone = zone_of(calendar.timezone)
    day = start_utc.astimezone(zone).date()
    for _ in range(days):
        if calendar.is_working_day(day):
            yield _window(calendar.timezone, calendar.work_start, calendar.work_end, day)
        day += timedelta(days=1)


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time in [start, end]: working hours of working days only (holidays and 调休 honoured).

    Signed: swapping the bounds negates the result, so ``remaining`` can go below zero naturally.
    """
    start_utc = _utc(start, "start")
    end_utc = _utc(end, "end")
    if end_utc < start_utc:
        return -business_time_between(calendar, end_utc, start_utc)
    total = ZERO
    # every local day the span touches, plus one for zone offsets; no cap: an old open case still counts
    days = (end_utc - start_utc).days + 3
    for opens, closes in _windows_from(calendar, start_utc, days):
        if opens >= end_utc:
            break
        lo = max(opens, start_utc)
        hi = min(closes, end_utc)
        if hi > lo:
            total += hi - lo
    return total


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant at which ``duration`` of working time has passed since ``start``.

    The inverse of :func:`business_time_between`. A zero duration returns ``start`` itself; a
    positive one always lands inside (or at the close of) a working window. The result is in the
    calendar's time zone.
    """
    start_utc = _utc(start, "start")
    zone = zone_of(calendar.timezone)
    if duration < ZERO:
        raise InvalidInput("工作时长不能为负数", field="duration")
    if duration == ZERO:
        return start_utc.astimezone(zone)
    left = duration
    for opens, closes in _windows_from(calendar, start_utc):
        lo = max(opens, start_utc)
        if closes <= lo:
            continue
        available = closes - lo
        if left <= available:
            return (lo + left).astimezone(zone)
        left -= available
    raise InvalidInput("十年内的工作时间不足以达到该时长，无法计算到期时间", field="duration")


def time_between(calendar: BusinessCalendar, basis: TimeBasis, start: datetime, end: datetime) -> timedelta:
    """Counted time from ``start`` to ``end`` on the given basis (signed)."""
    if basis is TimeBasis.CALENDAR:
        return _utc(end, "end") - _utc(start, "start")
    return business_time_between(calendar, start, end)


def add_time(calendar: BusinessCalendar, basis: TimeBasis, start: datetime, duration: timedelta) -> datetime:
    """Due instant ``duration`` of counted time after ``start`` (in the calendar's zone)."""
    if basis is TimeBasis.CALENDAR:
        if duration < ZERO:
            raise InvalidInput("时长不能为负数", field="duration")
        if duration > MAX_DURATION:
            raise InvalidInput("时长超过十年，无法计算到期时间", field="duration")
        try:
            return (_utc(start, "start") + duration).astimezone(zone_of(calendar.timezone))
        except OverflowError:
            raise InvalidInput("到期时间超出可表示的范围", field="duration") from None
    return add_business_time(calendar, start, duration)


def working_day_length(calendar: BusinessCalendar) -> timedelta:
    """Hours of one ordinary working day: how '3 个工作日' becomes working time."""
    anchor = date(2000, 1, 3)
    opens = datetime.combine(anchor, calendar.work_start)
    closes = datetime.combine(anchor, calendar.work_end)
    return closes - opens
