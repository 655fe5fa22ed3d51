"""A clock never paused is due its target of counted time after its start — stopped or not, asked at any
instant — as the timeline of its spans says; a naive instant is still refused."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from complaintdesk.domain.calendar import default_calendar
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.sla import ClockKind, SlaClock, TimeBasis
from complaintdesk.domain.sla_time import add_time


def _by_the_timeline(clock: SlaClock, amount: timedelta, now: datetime) -> datetime:
    """``instant_at`` as the general path computes it: the finished spans first, then on from the tail."""
    calendar = default_calendar()
    line = clock._timeline(now)
    done = timedelta(0)
    for a, b in line.closed:
        span = clock._span(calendar, a, b)
        if done + span >= amount:
            return add_time(calendar, clock.basis, a, amount - done)
        done += span
    return add_time(calendar, clock.basis, line.tail_start, amount - done)


def test_a_never_paused_clock_is_due_where_its_timeline_puts_it_stopped_or_running() -> None:
    chooser, calendar = random.Random(26), default_calendar()
    start = datetime(2026, 9, 28, 1, 30, tzinfo=UTC)  # the week before the National Day holiday
    for _ in range(300):
        started = start + timedelta(minutes=chooser.randrange(60 * 24 * 20))
        basis = chooser.choice([TimeBasis.BUSINESS, TimeBasis.CALENDAR])
        target = timedelta(minutes=chooser.randint(1, 60 * 24 * 5))
        stopped = started + timedelta(minutes=chooser.randint(0, 60 * 24 * 9)) if chooser.random() < 0.4 else None
        clock = SlaClock(ClockKind.RESOLUTION, started, target, basis, stopped_at=stopped)
        now = started + timedelta(minutes=chooser.randint(-60, 60 * 24 * 12))
        asked = now.astimezone(timezone(timedelta(hours=8)))
        assert clock.due_at(asked, calendar) == _by_the_timeline(clock, target, asked)
        half = target / 2
        assert clock.instant_at(half, asked, calendar) == _by_the_timeline(clock, half, asked)


def test_a_naive_instant_is_refused_by_a_clock_never_paused() -> None:
    clock = SlaClock(ClockKind.ACCEPTANCE, datetime(2026, 3, 2, 1, 0, tzinfo=UTC), timedelta(hours=2))
    with pytest.raises(InvalidInput):
        clock.due_at(datetime(2026, 3, 2, 9, 0))
