"""Business-time arithmetic: worked examples across holidays, weekends and time zones."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.sla import (
    TimeBasis,
    add_business_time,
    add_time,
    business_time_between,
    time_between,
    working_day_length,
)

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
H = timedelta(hours=1)
CAL = default_calendar()


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


# --- 国庆 2026: Oct 1-7 off, Saturday Oct 10 is a 调休 working day ---


def test_due_time_skips_national_day_holiday() -> None:
    # two hours left on Sep 30, the other two on the first day back
    assert add_business_time(CAL, sh(2026, 9, 30, 16), 4 * H) == sh(2026, 10, 8, 11)


def test_no_business_time_passes_during_national_day() -> None:
    assert business_time_between(CAL, sh(2026, 10, 1, 9), sh(2026, 10, 7, 18)) == timedelta(0)


def test_makeup_saturday_after_national_day_counts_as_working_day() -> None:
    assert business_time_between(CAL, sh(2026, 10, 10, 0), sh(2026, 10, 11, 23)) == 9 * H
    # Friday 17:00 + 2 h lands on the 调休 Saturday, not on Monday
    assert add_business_time(CAL, sh(2026, 10, 9, 17), 2 * H) == sh(2026, 10, 10, 10)


def test_three_working_days_across_national_day() -> None:
    assert add_business_time(CAL, sh(2026, 9, 30, 16), 3 * working_day_length(CAL)) == sh(2026, 10, 10, 16)


def test_business_time_across_national_day_counts_only_worked_hours() -> None:
    # Sep 30 16-18, Oct 8, Oct 9, Oct 10 09-12
    assert business_time_between(CAL, sh(2026, 9, 30, 16), sh(2026, 10, 10, 12)) == 23 * H


# --- weekends and hours outside work ---


def test_friday_evening_request_is_due_monday_morning() -> None:
    assert add_business_time(CAL, sh(2026, 11, 20, 17), 2 * H) == sh(2026, 11, 23, 10)


def test_weekend_contributes_no_business_time() -> None:
    assert business_time_between(CAL, sh(2026, 11, 20, 18), sh(2026, 11, 23, 9)) == timedelta(0)


def test_request_before_opening_counts_from_opening() -> None:
    assert add_business_time(CAL, sh(2026, 11, 23, 7, 30), 2 * H) == sh(2026, 11, 23, 11)


def test_request_after_closing_counts_from_next_opening() -> None:
    assert add_business_time(CAL, sh(2026, 11, 23, 20), H) == sh(2026, 11, 24, 10)


def test_deadline_exactly_at_closing_stays_that_evening() -> None:
    assert add_business_time(CAL, sh(2026, 11, 23, 16), 2 * H) == sh(2026, 11, 23, 18)


def test_zero_duration_returns_the_start_itself() -> None:
    start = sh(2026, 11, 21, 3)  # a Saturday night
    assert add_business_time(CAL, start, timedelta(0)) == start


def test_between_is_signed_when_bounds_are_swapped() -> None:
    assert business_time_between(CAL, sh(2026, 11, 23, 12), sh(2026, 11, 23, 10)) == -2 * H


# --- time zones ---


def test_new_york_input_after_dst_start_is_converted_to_shanghai() -> None:
    # 2026-03-08 20:30 EDT (UTC-4) is Monday 2026-03-09 08:30 in Shanghai: counting starts 09:00.
    # Had the EST offset (UTC-5) been used, it would be 09:30 and the answer 10:30.
    start = datetime(2026, 3, 8, 20, 30, tzinfo=NY)
    assert start.utcoffset() == timedelta(hours=-4)
    due = add_business_time(CAL, start, H)
    assert due == sh(2026, 3, 9, 10)
    assert due.tzinfo == SH


def test_same_instant_in_different_zones_gives_same_business_time() -> None:
    start_ny = datetime(2026, 11, 22, 20, 0, tzinfo=NY)  # = Mon 09:00 Shanghai
    end_utc = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # = Mon 12:00 Shanghai
    assert business_time_between(CAL, start_ny, end_utc) == 3 * H
    assert business_time_between(CAL, sh(2026, 11, 23, 9), sh(2026, 11, 23, 12)) == 3 * H


def test_calendar_time_across_us_fall_back_counts_real_hours() -> None:
    # 2026-11-01: New York's clocks go back an hour, so 24 wall-clock hours are 25 real ones
    made = datetime(2026, 11, 1, 0, 30, tzinfo=NY)
    next_day = datetime(2026, 11, 2, 0, 30, tzinfo=NY)
    assert time_between(CAL, TimeBasis.CALENDAR, made, next_day) == 25 * H
    due = add_time(CAL, TimeBasis.CALENDAR, made, 48 * H)
    assert due == datetime(2026, 11, 2, 23, 30, tzinfo=NY)


def test_calendar_in_a_dst_zone_has_a_short_working_day_at_spring_forward() -> None:
    # a night shift 01:00-04:00 in New York, working on Sunday 2026-03-08 when 02:00 becomes 03:00
    night = BusinessCalendar(
        name="ny-night", work_start=time(1), work_end=time(4), timezone="America/New_York"
    )
    dst_sunday = night.with_changes(extra_workdays=[datetime(2026, 3, 8).date()])
    start = datetime(2026, 3, 8, 0, tzinfo=NY)
    assert business_time_between(dst_sunday, start, start + 6 * H) == 2 * H
    assert add_business_time(dst_sunday, start, 2 * H) == datetime(2026, 3, 8, 4, tzinfo=NY)


# --- refusals ---


def test_naive_datetimes_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        business_time_between(CAL, datetime(2026, 11, 23, 9), sh(2026, 11, 23, 10))
    assert err.value.field == "start"
    with pytest.raises(InvalidInput) as err:
        add_business_time(CAL, sh(2026, 11, 23, 9), timedelta(hours=-1))
    assert err.value.field == "duration"
    with pytest.raises(InvalidInput) as err:
        add_time(CAL, TimeBasis.CALENDAR, sh(2026, 11, 23, 9), timedelta(hours=-1))
    assert err.value.field == "duration"


def test_working_day_is_nine_hours_in_default_calendar() -> None:
    assert working_day_length(CAL) == 9 * H


def test_an_eleven_year_old_open_case_still_has_its_business_time_counted() -> None:
    worked = business_time_between(CAL, sh(2015, 11, 23, 9), sh(2026, 11, 23, 9))
    assert timedelta(days=11 * 200 * 9 // 24) < worked < timedelta(days=11 * 260 * 9 // 24)


def test_due_time_beyond_ten_years_of_work_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        add_business_time(CAL, sh(2026, 11, 23, 9), timedelta(days=3660))
    assert err.value.field == "duration"


def test_a_calendar_without_working_days_cannot_produce_a_due_time() -> None:
    start = sh(2026, 11, 23, 9)
    closed = CAL.with_changes(extra_holidays=[start.date() + timedelta(days=n) for n in range(3700)])
    assert business_time_between(closed, start, start + timedelta(days=30)) == timedelta(0)
    with pytest.raises(InvalidInput):
        add_business_time(closed, start, H)
