"""Working-day calendars: China's statutory holidays and 调休 working weekends are data, not code.

A ``BusinessCalendar`` knows which dates are working days and the working hours of a day.
The default calendar is loaded from ``complaintdesk/data/calendar/cn.yaml`` (generated from the
``chinese-calendar`` and ``holidays`` packages by ``scripts/gen_calendar.py``); a centre edits that
file, or stores its own calendar in the database, to add its own closures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from complaintdesk.domain.errors import ConfigurationError, InvalidInput

_MAX_SEARCH_DAYS = 3660  # no real calendar closes for ten years; stops a bad file from looping forever


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days are worked and when. Weekends are Saturday and Sunday unless listed as 调休 workdays."""

    name: str = "cn"
    holidays: frozenset[date] = field(default_factory=frozenset)
    holiday_names: Mapping[date, str] = field(default_factory=dict)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        if self.work_end <= self.work_start:
            raise ConfigurationError(
                f"日历 {self.name}：下班时间 {self.work_end} 必须晚于上班时间 {self.work_start}",
                field="work_end",
            )
        both = self.holidays & self.makeup_workdays
        if both:
            first = min(both).isoformat()
            raise ConfigurationError(
                f"日历 {self.name}: {first} 同时被列为节假日和调休工作日", field="makeup_workdays"
            )

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        return self.holiday_names.get(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        current = day
        for _ in range(_MAX_SEARCH_DAYS):
            current += timedelta(days=1)
            if self.is_working_day(current):
                return current
        raise ConfigurationError(f"日历 {self.name}: {day} 之后十年内没有工作日")

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (the start day itself is not counted).

        This is how Chinese regulations count "N个工作日内": a complaint received on Friday with
        a 7-working-day limit is due on the seventh working day after it.
        """
        if days < 0:
            raise InvalidInput("工作日数不能为负数", field="days")
        current = start
        for _ in range(days):
            current = self.next_working_day(current)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]."""
        if end <= start:
            return 0
        return sum(
            1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=n))
        )

    def with_changes(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """A copy with a centre's own closures or extra working days added."""
        extra_h = frozenset(extra_holidays)
        extra_w = frozenset(extra_workdays)
        return BusinessCalendar(
            name=self.name,
            holidays=(self.holidays - extra_w) | extra_h,
            holiday_names=dict(self.holiday_names),
            makeup_workdays=(self.makeup_workdays - extra_h) | extra_w,
            work_start=self.work_start,
            work_end=self.work_end,
            timezone=self.timezone,
        )


def _parse_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigurationError(f"日历数据 {where}：无法解析日期 {value!r}", field=where) from exc


def _parse_time(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigurationError(f"日历数据 {where}：无法解析时间 {value!r}", field=where) from exc


def calendar_from_mapping(data: Mapping[str, Any]) -> BusinessCalendar:
    """Build a calendar from the YAML/JSON shape documented in ``data/calendar/cn.yaml``."""
    if not isinstance(data, Mapping):
        raise ConfigurationError("日历数据必须是一个映射", field="calendar")
    holidays_raw = data.get("holidays") or {}
    if not isinstance(holidays_raw, Mapping):
        raise ConfigurationError("holidays 必须是 日期：名称 的映射", field="holidays")
    names = {_parse_date(k, "holidays"): str(v) for k, v in holidays_raw.items()}
    workdays_raw = data.get("makeup_workdays") or []
    if not isinstance(workdays_raw, list):
        raise ConfigurationError("makeup_workdays 必须是日期列表", field="makeup_workdays")
    return BusinessCalendar(
        name=str(data.get("name", "cn")),
        holidays=frozenset(names),
        holiday_names=names,
        makeup_workdays=frozenset(_parse_date(v, "makeup_workdays") for v in workdays_raw),
        work_start=_parse_time(data.get("work_start", "09:00"), "work_start"),
        work_end=_parse_time(data.get("work_end", "18:00"), "work_end"),
        timezone=str(data.get("timezone", "Asia/Shanghai")),
    )


_DEFAULT: BusinessCalendar | None = None


def default_calendar() -> BusinessCalendar:
    """China's calendar as shipped (statutory holidays and 调休 workdays), loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        from complaintdesk.yamldata import load_yaml, shipped_text

        text = shipped_text("complaintdesk.data", "calendar/cn.yaml")
        _DEFAULT = calendar_from_mapping(load_yaml(text))
    return _DEFAULT
