"""Period arithmetic as Chinese law counts it.

民法典 第二百零一条: the first day is not counted, so "7日内" from a purchase on the 1st ends on the 8th.
第二百零二条: a period in years ends on the corresponding day (29 Feb -> 28 Feb). 第二百零三条: a period
whose last day is a rest day ends on the next working day. 三包 periods are extended by the days the
product spent in repair or waiting for parts (《部分商品修理更换退货责任规定》第八条).
"""

from __future__ import annotations

import calendar as _months
from collections.abc import Iterable
from datetime import date, timedelta

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.policy.facts import Repair


def add_years(start: date, years: int) -> date:
    year = start.year + years
    day = min(start.day, _months.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def add_months(start: date, months: int) -> date:
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, _months.monthrange(year, month)[1]))


def shift_off_rest_day(last_day: date, cal: BusinessCalendar) -> date:
    """The period's last day, moved past rest days (weekends, statutory holidays) per 第二百零三条."""
    day = last_day
    for _ in range(60):  # the longest Chinese holiday run is nine days; 60 guards a broken calendar
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    return last_day


def window_end(start: date, days: int, cal: BusinessCalendar | None) -> date:
    end = start + timedelta(days=days)
    return shift_off_rest_day(end, cal) if cal is not None else end


def day_number(start: date, day: date) -> int:
    """Which day of the period ``day`` is (the start day is day 0, the next day is day 1)."""
    return (day - start).days


def warranty_end(
    start: date,
    years: int,
    repairs: Iterable[Repair],
    waiting_for_parts_days: int,
    cal: BusinessCalendar | None,
) -> tuple[date, int]:
    """End of a 三包 period and the days added for repairs and parts inside it."""
    end = add_years(start, years)
    added = 0
    for repair in sorted((r for r in repairs if r.on is not None), key=lambda r: r.on or start):
        if repair.on is not None and repair.on <= end:  # only time lost inside the period extends it
            end += timedelta(days=repair.days_in_repair or 0)
            added += repair.days_in_repair or 0
    end += timedelta(days=waiting_for_parts_days)
    added += waiting_for_parts_days
    return (shift_off_rest_day(end, cal) if cal is not None else end), added
