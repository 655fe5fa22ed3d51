"""The centre's working calendar: the shipped Chinese calendar plus the centre's own edits
(extra closures, extra working days) stored in the database and recorded in the audit chain."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, date, datetime
from typing import Any

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.model import DomainEvent
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import get_settings
from complaintdesk.storage.calendar_repository import CalendarEdit

KINDS = ("holiday", "workday")
MAX_NAME = 100  # the column's width
YEARS = (2000, 2100)
CACHE_SECONDS = 60.0  # other worker processes see a centre's calendar edit within a minute

_cache: tuple[float, BusinessCalendar] | None = None


def cached_calendar(uow: UnitOfWork) -> BusinessCalendar:
    """``effective_calendar`` without a query on every call (the SLA code asks for it constantly)."""
    global _cache
    if _cache is None or time.monotonic() - _cache[0] > CACHE_SECONDS:
        _cache = (time.monotonic(), effective_calendar(uow))
    return _cache[1]


def invalidate_cache() -> None:
    global _cache
    _cache = None


def centre_calendar(uow: UnitOfWork) -> BusinessCalendar:
    """The calendar the centre works by, for code outside a unit of work (cached like ``cached_calendar``)."""
    with uow.reading():
        return cached_calendar(uow)


def parse_day(value: str, field: str = "day") -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD: {value!r}", field=field) from None


def check_year(year: int) -> int:
    if not YEARS[0] <= year <= YEARS[1]:
        raise InvalidInput(f"年份应在 {YEARS[0]} 到 {YEARS[1]} 之间", field="year")
    return year


def effective_calendar(uow: UnitOfWork) -> BusinessCalendar:
    """The shipped calendar in the centre's time zone (``COMPLAINTDESK_TIMEZONE``: its working hours are
    the centre's local hours), with the centre's edits applied (call inside an open unit of work)."""
    edits = uow.calendar.edits()
    base = default_calendar()
    zone = get_settings().timezone
    if base.timezone != zone:
        base = dataclasses.replace(base, timezone=zone)
    if not edits:
        return base
    return base.with_changes(
        extra_holidays=[e.day for e in edits if e.kind == "holiday"],
        extra_workdays=[e.day for e in edits if e.kind == "workday"],
    )


def set_day(
    uow: UnitOfWork, day: date, kind: str, name: str | None, actor: str, *, now: datetime | None = None
) -> CalendarEdit:
    if kind not in KINDS:
        raise InvalidInput(f"kind 只能是 {' 或 '.join(KINDS)}", field="kind")
    if len((name or "").strip()) > MAX_NAME:
        raise InvalidInput(f"名称不能超过 {MAX_NAME} 个字符", field="name")
    if name and ("\x00" in name):
        raise InvalidInput("名称不能包含 NUL (\\x00) 字符", field="name")
    check_year(day.year)
    now = now or datetime.now(UTC)
    edit = CalendarEdit(day, kind, (name or "").strip() or None)
    with uow:
        uow.calendar.upsert(edit)
        payload = {"day": day.isoformat(), "kind": kind, "name": edit.name}
        uow.record_event(None, DomainEvent("calendar_changed", actor, now, payload))
        uow.commit()
    invalidate_cache()
    return edit


def remove_day(uow: UnitOfWork, day: date, actor: str, *, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    with uow:
        removed = uow.calendar.remove(day)
        if removed:
            payload = {"day": day.isoformat(), "kind": "removed"}
            uow.record_event(None, DomainEvent("calendar_changed", actor, now, payload))
        uow.commit()
    invalidate_cache()
    return removed


def year_view(uow: UnitOfWork, year: int) -> dict[str, Any]:
    """A year's rest days and make-up working days as the centre works them, its own edits marked."""
    check_year(year)
    with uow.reading():
        calendar = effective_calendar(uow)
        edits = {e.day: e for e in uow.calendar.edits()}
    holidays = sorted(d for d in calendar.holidays if d.year == year)
    workdays = sorted(d for d in calendar.makeup_workdays if d.year == year)
    return {
        "calendar": calendar.name,
        "year": year,
        "work_hours": f"{calendar.work_start:%H:%M}-{calendar.work_end:%H:%M}",
        "holidays": [
            {
                "day": d.isoformat(),
                "name": edits[d].name if d in edits else calendar.holiday_name(d),
                "edited": d in edits,
            }
            for d in holidays
        ],
        "makeup_workdays": [{"day": d.isoformat(), "edited": d in edits} for d in workdays],
        "edits": [
            {"day": e.day.isoformat(), "kind": e.kind, "name": e.name} for e in edits.values() if e.day.year == year
        ],
    }
