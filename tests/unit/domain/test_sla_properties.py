"""Property tests of the SLA arithmetic and clocks (hypothesis).

Instants are drawn from 2025-2027 in several zones (one with DST), so runs cross Chinese holidays,
调休 weekends and US clock changes; a second calendar in a DST zone with a night shift makes the
working windows themselves change length.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.domain.calendar import BusinessCalendar, default_calendar
from complaintdesk.domain.sla import (
    ClockKind,
    ClockState,
    EscalationThresholds,
    Pause,
    SlaClock,
    SlaStatus,
    TimeBasis,
    add_business_time,
    business_time_between,
    evaluate,
)

CN = default_calendar()
NY_NIGHT = BusinessCalendar(
    name="ny-night", work_start=time(1, 30), work_end=time(2, 30), timezone="America/New_York"
)
ZONES = [ZoneInfo(z) for z in ("Asia/Shanghai", "America/New_York", "Europe/London", "UTC", "Asia/Kolkata")]
MAX_SPAN = timedelta(days=45)

PROPERTY = settings(max_examples=150, deadline=None)  # per test: a global profile would change others' tests

calendars = st.sampled_from([CN, NY_NIGHT])
_any_instant = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.sampled_from(ZONES)
)
# whole hours and half hours hit the edges (opening, closing, midnight) that off-by-one bugs live on
instants = st.one_of(
    _any_instant, _any_instant.map(lambda d: d.replace(minute=d.minute // 30 * 30, second=0, microsecond=0))
)
durations = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=120)),
    st.integers(min_value=0, max_value=240).map(lambda n: n * timedelta(minutes=30)),
)
offsets = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=MAX_SPAN),
    st.integers(min_value=0, max_value=MAX_SPAN // timedelta(minutes=30)).map(
        lambda n: n * timedelta(minutes=30)
    ),
)


@PROPERTY
@given(calendars, instants, durations)
def test_adding_business_time_then_measuring_it_round_trips(
    cal: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(cal, start, duration)
    assert business_time_between(cal, start, due) == duration


@PROPERTY
@given(calendars, instants, offsets)
def test_due_of_measured_time_is_no_later_than_the_end_and_loses_no_work(
    cal: BusinessCalendar, start: datetime, span: timedelta
) -> None:
    end = start.astimezone(UTC) + span
    worked = business_time_between(cal, start, end)
    due = add_business_time(cal, start, worked)
    assert due <= end
    assert business_time_between(cal, due, end) == timedelta(0)


@PROPERTY
@given(calendars, instants, offsets, offsets)
def test_business_time_is_monotonic_and_additive(
    cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    first, second = sorted((a, b))
    start = start.astimezone(UTC)
    mid, end = start + first, start + second
    to_mid = business_time_between(cal, start, mid)
    to_end = business_time_between(cal, start, end)
    assert timedelta(0) <= to_mid <= to_end <= end - start
    assert to_mid + business_time_between(cal, mid, end) == to_end


@PROPERTY
@given(calendars, instants, durations, durations)
def test_longer_durations_are_never_due_earlier(
    cal: BusinessCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    short, long = sorted((a, b))
    assert add_business_time(cal, start, short) <= add_business_time(cal, start, long)


@PROPERTY
@given(calendars, instants, offsets, st.sampled_from(ZONES), st.sampled_from(ZONES))
def test_results_do_not_depend_on_the_inputs_time_zone(
    cal: BusinessCalendar, start: datetime, span: timedelta, zone_a: ZoneInfo, zone_b: ZoneInfo
) -> None:
    end = start + span
    expected = business_time_between(cal, start.astimezone(UTC), end.astimezone(UTC))
    assert business_time_between(cal, start.astimezone(zone_a), end.astimezone(zone_b)) == expected
    due_utc = add_business_time(cal, start.astimezone(UTC), expected)
    assert add_business_time(cal, start.astimezone(zone_a), expected) == due_utc


@st.composite
def clocks_with_pauses(draw: st.DrawFn) -> tuple[SlaClock, SlaClock, datetime]:
    """The same clock with and without pauses, and an instant to ask about."""
    start = draw(instants).astimezone(UTC)  # arithmetic in UTC: wall-clock '+' is not real time
    zone = draw(st.sampled_from(ZONES))
    basis = draw(st.sampled_from(list(TimeBasis)))
    target = draw(st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=60)))
    gaps = draw(st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=40)), max_size=6))
    cursor = start
    pauses: list[Pause] = []
    for i in range(0, len(gaps) - 1, 2):
        begin = cursor + gaps[i]
        cursor = begin + gaps[i + 1]
        pauses.append(Pause(start=begin.astimezone(zone), end=cursor))
    if len(gaps) % 2:
        pauses.append(Pause(start=(cursor + gaps[-1]).astimezone(zone)))
    plain = SlaClock(kind=ClockKind.RESOLUTION, started_at=start, target=target, basis=basis)
    now = start + draw(st.timedeltas(min_value=-timedelta(hours=5), max_value=timedelta(days=20)))
    return (
        plain,
        SlaClock(
            kind=ClockKind.RESOLUTION, started_at=start, target=target, basis=basis, pauses=tuple(pauses)
        ),
        now,
    )


@PROPERTY
@given(clocks_with_pauses())
def test_pauses_never_increase_elapsed_time(clocks: tuple[SlaClock, SlaClock, datetime]) -> None:
    plain, paused, now = clocks
    assert timedelta(0) <= paused.elapsed(now, CN) <= plain.elapsed(now, CN)
    assert paused.due_at(now, CN) >= plain.due_at(now, CN)


@PROPERTY
@given(clocks_with_pauses(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=5)))
def test_elapsed_never_decreases_as_time_goes_on(
    clocks: tuple[SlaClock, SlaClock, datetime], later: timedelta
) -> None:
    _, clock, now = clocks
    assert clock.elapsed(now, CN) <= clock.elapsed(now + later, CN)
    before, after = evaluate(clock, now, calendar=CN), evaluate(clock, now + later, calendar=CN)
    assert before.escalation_steps_due <= after.escalation_steps_due


@PROPERTY
@given(clocks_with_pauses())
def test_due_at_is_when_elapsed_reaches_the_target(clocks: tuple[SlaClock, SlaClock, datetime]) -> None:
    _, clock, _ = clocks
    if clock.is_paused:
        clock = clock.resume(clock.pauses[-1].start)
    far = clock.started_at + timedelta(days=400)
    due = clock.due_at(far, CN)
    assert clock.elapsed(due, CN) == clock.target
    assert clock.elapsed(due - timedelta(microseconds=1), CN) < clock.target


LIMITS = EscalationThresholds()  # 75% / 100% / 150%


def thresholds_reached(status: SlaStatus) -> int:
    return int(status.warn) + status.escalation_steps_due


@PROPERTY
@given(clocks_with_pauses())
def test_state_agrees_with_the_ratio(clocks: tuple[SlaClock, SlaClock, datetime]) -> None:
    _, clock, now = clocks
    status = evaluate(clock, now, calendar=CN, thresholds=LIMITS)
    assert (status.state is ClockState.BREACHED) == (status.elapsed >= clock.target)
    assert status.warn == (status.elapsed * 4 >= clock.target * 3)
    assert status.escalation_steps_due == (status.elapsed >= clock.target) + (
        status.elapsed * 2 >= clock.target * 3
    )
    assert status.remaining == clock.target - status.elapsed


@PROPERTY
@given(clocks_with_pauses())
def test_next_threshold_is_exactly_when_the_next_threshold_is_reached(
    clocks: tuple[SlaClock, SlaClock, datetime],
) -> None:
    _, clock, now = clocks
    if clock.is_paused:  # a paused clock's projection assumes it resumes now
        clock = clock.resume(max(now, clock.pauses[-1].start))
    now = max(now, clock.pauses[-1].end or now) if clock.pauses else now
    status = evaluate(clock, now, calendar=CN, thresholds=LIMITS)
    if status.next_threshold_at is None:
        assert status.escalation_steps_due == len(LIMITS.escalate_at)
        return
    at = status.next_threshold_at
    assert at >= now
    assert thresholds_reached(evaluate(clock, at, calendar=CN, thresholds=LIMITS)) > thresholds_reached(
        status
    )
    just_before = evaluate(clock, at - timedelta(microseconds=1), calendar=CN, thresholds=LIMITS)
    assert thresholds_reached(just_before) == thresholds_reached(status)


@PROPERTY
@given(clocks_with_pauses(), st.sampled_from(ZONES))
def test_a_clock_is_judged_the_same_whatever_zone_now_is_given_in(
    clocks: tuple[SlaClock, SlaClock, datetime], zone: ZoneInfo
) -> None:
    _, clock, now = clocks
    here = evaluate(clock, now, calendar=CN, thresholds=LIMITS).to_dict()
    there = evaluate(clock, now.astimezone(zone), calendar=CN, thresholds=LIMITS).to_dict()
    here.pop("as_of"), there.pop("as_of")
    assert here == there


@PROPERTY
@given(clocks_with_pauses(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_a_stopped_clock_is_met_exactly_when_stopped_within_its_target(
    clocks: tuple[SlaClock, SlaClock, datetime], later: timedelta
) -> None:
    _, clock, now = clocks
    last = clock.pauses[-1] if clock.pauses else None
    stop_at = max(now, clock.started_at, *([last.end or last.start] if last else []))
    stopped = clock.stop(stop_at)
    status = evaluate(stopped, stop_at + later, calendar=CN, thresholds=LIMITS)
    on_time = clock.elapsed(stop_at, CN) <= clock.target
    assert status.state is (ClockState.MET if on_time else ClockState.MET_LATE)
    assert status.elapsed == clock.elapsed(stop_at, CN)
    assert status.escalation_steps_due == 0 and not status.warn
