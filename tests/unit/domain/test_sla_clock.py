"""SLA clocks: pauses, stops, states and the 75/100/150% escalation thresholds."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from complaintdesk.domain.calendar import default_calendar
from complaintdesk.domain.errors import InvalidInput, WorkflowViolation
from complaintdesk.domain.sla import (
    ClockKind,
    ClockState,
    EscalationThresholds,
    Pause,
    SlaClock,
    TimeBasis,
    evaluate,
    new_escalation_steps,
    open_clocks,
    promise_clock,
    start_clock,
)

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
US = timedelta(microseconds=1)
CAL = default_calendar()
LIMITS = EscalationThresholds(warn_at=Fraction(3, 4), escalate_at=(Fraction(1), Fraction(3, 2)))


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SH)


MONDAY_9 = sh(2026, 11, 23, 9)


def four_hour_clock() -> SlaClock:
    return SlaClock(kind=ClockKind.FIRST_RESPONSE, started_at=MONDAY_9, target=4 * H)


def status_at(clock: SlaClock, now: datetime) -> tuple[ClockState, bool, int]:
    result = evaluate(clock, now, calendar=CAL, thresholds=LIMITS)
    return result.state, result.warn, result.escalation_steps_due


# --- thresholds, exactly ---


def test_clock_warns_at_exactly_75_percent_not_a_microsecond_before() -> None:
    clock = four_hour_clock()
    assert status_at(clock, sh(2026, 11, 23, 12) - US) == (ClockState.RUNNING, False, 0)
    assert status_at(clock, sh(2026, 11, 23, 12)) == (ClockState.WARNING, True, 0)


def test_clock_escalates_one_level_at_exactly_100_percent() -> None:
    clock = four_hour_clock()
    assert status_at(clock, sh(2026, 11, 23, 13) - US) == (ClockState.WARNING, True, 0)
    assert status_at(clock, sh(2026, 11, 23, 13)) == (ClockState.BREACHED, True, 1)


def test_clock_escalates_again_at_exactly_150_percent() -> None:
    clock = four_hour_clock()
    assert status_at(clock, sh(2026, 11, 23, 15) - US) == (ClockState.BREACHED, True, 1)
    assert status_at(clock, sh(2026, 11, 23, 15)) == (ClockState.BREACHED, True, 2)
    assert status_at(clock, sh(2026, 12, 31, 15)) == (ClockState.BREACHED, True, 2)


def test_thresholds_are_exact_for_targets_that_do_not_divide_evenly() -> None:
    clock = SlaClock(kind=ClockKind.ACCEPTANCE, started_at=MONDAY_9, target=timedelta(minutes=7))
    at_75 = MONDAY_9 + timedelta(minutes=5, seconds=15)
    assert status_at(clock, at_75 - US)[1] is False
    assert status_at(clock, at_75)[1] is True


def test_breach_thresholds_count_business_time_over_the_night() -> None:
    # 4 h from Monday 16:00: 2 h on Monday, due Tuesday 11:00; 150% is Tuesday 13:00
    clock = SlaClock(kind=ClockKind.FIRST_RESPONSE, started_at=sh(2026, 11, 23, 16), target=4 * H)
    assert status_at(clock, sh(2026, 11, 24, 8)) == (ClockState.RUNNING, False, 0)
    assert status_at(clock, sh(2026, 11, 24, 10)) == (ClockState.WARNING, True, 0)
    assert status_at(clock, sh(2026, 11, 24, 11)) == (ClockState.BREACHED, True, 1)
    assert status_at(clock, sh(2026, 11, 24, 13)) == (ClockState.BREACHED, True, 2)


def test_next_threshold_is_projected_for_the_sweep() -> None:
    clock = four_hour_clock()
    assert evaluate(clock, MONDAY_9, calendar=CAL, thresholds=LIMITS).next_threshold_at == sh(
        2026, 11, 23, 12
    )
    assert evaluate(clock, sh(2026, 11, 23, 12), calendar=CAL, thresholds=LIMITS).next_threshold_at == sh(
        2026, 11, 23, 13
    )
    assert evaluate(clock, sh(2026, 11, 23, 15), calendar=CAL, thresholds=LIMITS).next_threshold_at is None


def test_thresholds_come_from_data_not_code() -> None:
    three_levels = EscalationThresholds(
        warn_at=Fraction(1, 2), escalate_at=(Fraction(1), Fraction(2), Fraction(3))
    )
    clock = four_hour_clock()
    result = evaluate(clock, sh(2026, 11, 24, 12), calendar=CAL, thresholds=three_levels)  # 12 h = 300%
    assert result.escalation_steps_due == 3
    assert evaluate(clock, sh(2026, 11, 23, 11), calendar=CAL, thresholds=three_levels).warn is True


# --- pauses ---


def test_pause_spanning_a_night_excludes_only_the_working_hours_inside_it() -> None:
    clock = SlaClock(kind=ClockKind.RESOLUTION, started_at=sh(2026, 11, 23, 10), target=27 * H)
    waiting = clock.pause(sh(2026, 11, 23, 17), "等待客户提供发票").resume(sh(2026, 11, 24, 11))
    # Monday 10-17 = 7 h, Tuesday 11-12 = 1 h; without the pause it would be 11 h
    assert waiting.elapsed(sh(2026, 11, 24, 12), CAL) == 8 * H
    assert clock.elapsed(sh(2026, 11, 24, 12), CAL) == 11 * H
    # the pause pushed the due time back by the three working hours it covered
    assert waiting.due_at(sh(2026, 11, 24, 12), CAL) == clock.due_at(sh(2026, 11, 24, 12), CAL) + 3 * H


def test_paused_clock_does_not_move_and_reports_paused() -> None:
    clock = four_hour_clock().pause(sh(2026, 11, 23, 12), "等待客户回电")
    result = evaluate(clock, sh(2026, 11, 25, 12), calendar=CAL, thresholds=LIMITS)
    assert result.state is ClockState.PAUSED
    assert result.elapsed == 3 * H
    assert result.warn is True and result.escalation_steps_due == 0
    assert "等待客户回电" in result.reason
    # projected as if it resumed now: one working hour left
    assert result.due_at == sh(2026, 11, 25, 13)


def test_breach_reached_before_a_pause_still_counts() -> None:
    clock = four_hour_clock().pause(sh(2026, 11, 23, 14))
    assert status_at(clock, sh(2026, 11, 24, 9)) == (ClockState.BREACHED, True, 1)


def test_pausing_a_paused_clock_is_refused() -> None:
    clock = four_hour_clock().pause(sh(2026, 11, 23, 10))
    with pytest.raises(WorkflowViolation):
        clock.pause(sh(2026, 11, 23, 11))


def test_resuming_a_running_clock_is_refused() -> None:
    with pytest.raises(WorkflowViolation):
        four_hour_clock().resume(sh(2026, 11, 23, 11))


def test_pause_before_the_clock_started_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        four_hour_clock().pause(sh(2026, 11, 23, 8))
    assert err.value.field == "at"


def test_resume_before_the_pause_began_is_refused() -> None:
    with pytest.raises(InvalidInput):
        four_hour_clock().pause(sh(2026, 11, 23, 10)).resume(sh(2026, 11, 23, 9, 30))


def test_overlapping_stored_pauses_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        SlaClock(
            kind=ClockKind.RESOLUTION,
            started_at=MONDAY_9,
            target=H,
            pauses=(Pause(sh(2026, 11, 23, 10), sh(2026, 11, 23, 12)), Pause(sh(2026, 11, 23, 11))),
        )
    assert err.value.field == "pauses[1].start"


def test_pauses_recorded_after_the_instant_asked_about_are_ignored() -> None:
    clock = four_hour_clock().pause(sh(2026, 11, 23, 14)).resume(sh(2026, 11, 24, 9))
    assert evaluate(clock, sh(2026, 11, 23, 13, 30), calendar=CAL, thresholds=LIMITS) == evaluate(
        four_hour_clock(), sh(2026, 11, 23, 13, 30), calendar=CAL, thresholds=LIMITS
    )


# --- stopping ---


def test_clock_stopped_before_due_is_met_and_stops_counting() -> None:
    clock = four_hour_clock().stop(sh(2026, 11, 23, 11))
    result = evaluate(clock, sh(2026, 11, 30, 9), calendar=CAL, thresholds=LIMITS)
    assert (result.state, result.elapsed, result.escalation_steps_due) == (ClockState.MET, 2 * H, 0)


def test_clock_stopped_at_exactly_the_due_instant_is_met_on_time() -> None:
    assert (
        four_hour_clock().stop(sh(2026, 11, 23, 13)).state(sh(2026, 11, 24, 9), CAL, LIMITS) is ClockState.MET
    )


def test_clock_stopped_after_due_is_met_late_and_escalates_nothing_more() -> None:
    clock = four_hour_clock().stop(sh(2026, 11, 23, 16))
    result = evaluate(clock, sh(2026, 11, 24, 9), calendar=CAL, thresholds=LIMITS)
    assert (result.state, result.warn, result.escalation_steps_due) == (ClockState.MET_LATE, False, 0)
    assert "逾期" in result.reason


def test_stopping_a_paused_clock_ends_the_pause() -> None:
    clock = four_hour_clock().pause(sh(2026, 11, 23, 10)).stop(sh(2026, 11, 23, 15))
    assert clock.pauses[-1].end == sh(2026, 11, 23, 15)
    assert clock.elapsed(sh(2026, 11, 24, 9), CAL) == H


def test_stopping_twice_is_refused() -> None:
    with pytest.raises(WorkflowViolation):
        four_hour_clock().stop(sh(2026, 11, 23, 10)).stop(sh(2026, 11, 23, 11))


# --- construction, factories, serialisation ---


def test_clock_started_with_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        SlaClock(kind=ClockKind.ACCEPTANCE, started_at=datetime(2026, 11, 23, 9), target=H)
    assert err.value.field == "started_at"
    with pytest.raises(InvalidInput) as err:
        four_hour_clock().elapsed(datetime(2026, 11, 23, 9), CAL)
    assert err.value.field == "now"


def test_clock_without_a_positive_target_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        SlaClock(kind=ClockKind.ACCEPTANCE, started_at=MONDAY_9, target=timedelta(0))
    assert err.value.field == "target"


def test_before_the_clock_starts_nothing_has_elapsed() -> None:
    assert four_hour_clock().elapsed(sh(2026, 11, 20, 9), CAL) == timedelta(0)


def test_key_account_follow_up_is_due_the_next_working_day() -> None:
    # seed 003: 部门大客户 — 在事情解决后的第二日再次回访客户
    closed = sh(2026, 11, 27, 15)  # a Friday
    clock = start_clock(ClockKind.FOLLOW_UP, closed, segment="key_account", calendar=CAL)
    assert clock.due_at(closed, CAL) == sh(2026, 11, 30, 15)
    regular = start_clock(ClockKind.FOLLOW_UP, closed, segment="regular", calendar=CAL)
    assert regular.due_at(closed, CAL) == sh(2026, 12, 1, 15)


def test_default_acceptance_is_two_business_hours() -> None:
    clock = start_clock("acceptance", sh(2026, 9, 30, 17), calendar=CAL)
    assert clock.basis is TimeBasis.BUSINESS
    assert clock.due_at(sh(2026, 9, 30, 17), CAL) == sh(2026, 10, 8, 10)
    assert clock.source


def test_promise_within_48_hours_runs_on_calendar_time_through_the_holiday() -> None:
    made = sh(2026, 9, 30, 17)
    clock = promise_clock(made, made + 48 * H, ref="p-1", label="48 小时内上门维修")
    assert clock.basis is TimeBasis.CALENDAR and clock.target == 48 * H
    result = evaluate(clock, sh(2026, 10, 2, 18), calendar=CAL, thresholds=LIMITS)
    assert result.state is ClockState.BREACHED
    assert "48 小时内上门维修" in result.reason and result.ref == "p-1"


def test_promise_due_before_it_was_made_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        promise_clock(MONDAY_9, MONDAY_9 - H)
    assert err.value.field == "due_at"


def test_clock_survives_a_round_trip_through_its_dict() -> None:
    clock = (
        start_clock("resolution", MONDAY_9, segment="web_order", calendar=CAL, ref="c-9", label="宽带停机")
        .pause(sh(2026, 11, 23, 12), "等待客户")
        .resume(sh(2026, 11, 24, 10))
        .pause(sh(2026, 11, 24, 15))
    )
    assert SlaClock.from_dict(clock.to_dict()) == clock


def test_bad_stored_clock_names_the_field() -> None:
    data = four_hour_clock().to_dict()
    data["started_at"] = "2026-11-23T09:00:00"  # no zone
    with pytest.raises(InvalidInput) as err:
        SlaClock.from_dict(data)
    assert err.value.field == "started_at"
    data = four_hour_clock().to_dict() | {"kind": "lunch"}
    with pytest.raises(InvalidInput) as err:
        SlaClock.from_dict(data)
    assert err.value.field == "kind"


def test_status_dict_is_the_json_contract() -> None:
    result = evaluate(four_hour_clock(), sh(2026, 11, 23, 14), calendar=CAL, thresholds=LIMITS).to_dict()
    assert result["state"] == "breached"
    assert result["escalation_steps_due"] == 1
    assert result["due_at"] == "2026-11-23T13:00:00+08:00"
    assert result["remaining_seconds"] == -3600.0
    assert "超时" in result["reason"]


# --- what the service layer calls ---


def test_a_new_complaint_gets_acceptance_first_response_and_resolution_clocks() -> None:
    clocks = open_clocks(MONDAY_9, segment="key_account", calendar=CAL, ref="TS-20261123-000001")
    assert [c.kind for c in clocks] == [ClockKind.ACCEPTANCE, ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION]
    assert [c.due_at(MONDAY_9, CAL) for c in clocks] == [
        sh(2026, 11, 23, 11),
        sh(2026, 11, 23, 11),  # key accounts: first response within 2 working hours
        sh(2026, 11, 25, 18),  # three full working days: the close of Wednesday
    ]
    assert {c.ref for c in clocks} == {"TS-20261123-000001"}


def test_repeated_sweeps_escalate_each_threshold_exactly_once() -> None:
    clock = four_hour_clock()
    applied = 0
    levels: list[int] = []
    for hour in (10, 12, 13, 13, 14, 15, 15, 17, 18):
        status = evaluate(clock, sh(2026, 11, 23, hour), calendar=CAL, thresholds=LIMITS)
        step = new_escalation_steps(status, applied)
        applied += step
        levels.append(applied)
    assert levels == [0, 0, 1, 1, 1, 2, 2, 2, 2]


def test_a_sweep_that_missed_both_thresholds_escalates_two_levels_at_once() -> None:
    status = evaluate(four_hour_clock(), sh(2026, 11, 24, 9), calendar=CAL, thresholds=LIMITS)
    assert new_escalation_steps(status, 0) == 2
    with pytest.raises(InvalidInput):
        new_escalation_steps(status, -1)


def test_absurd_targets_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        SlaClock(kind=ClockKind.ACCEPTANCE, started_at=MONDAY_9, target=timedelta(days=99999))
    assert err.value.field == "target"
    data = four_hour_clock().to_dict() | {"target_seconds": float("nan")}
    with pytest.raises(InvalidInput) as err:
        SlaClock.from_dict(data)
    assert err.value.field == "target_seconds"
    data = four_hour_clock().to_dict() | {"pauses": ["2026-11-23T10:00:00+08:00"]}
    with pytest.raises(InvalidInput) as err:
        SlaClock.from_dict(data)
    assert err.value.field == "pauses"
