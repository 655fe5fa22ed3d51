"""A target's duration in integer arithmetic is the rounded Fraction it was computed as before."""

from __future__ import annotations

import random
from datetime import timedelta
from fractions import Fraction

from complaintdesk.domain.calendar import BusinessCalendar
from complaintdesk.domain.sla_policy import SlaTarget, working_day_length

_PER_UNIT = {"business_minutes": timedelta(minutes=1), "business_hours": timedelta(hours=1),
             "minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1)}  # fmt: skip


def _as_fraction(target: SlaTarget, calendar: BusinessCalendar) -> timedelta:
    per_unit = _PER_UNIT.get(target.unit) or working_day_length(calendar)
    return timedelta(microseconds=round(Fraction(per_unit // timedelta(microseconds=1)) * target.amount))


def test_durations_of_random_amounts_in_every_unit_round_as_the_fraction_did() -> None:
    calendar, chooser = BusinessCalendar(), random.Random(26)
    for _ in range(20_000):
        amount = Fraction(chooser.randint(1, 10**6), chooser.randint(1, 10**4))
        target = SlaTarget(amount, chooser.choice([*_PER_UNIT, "working_days"]))
        assert target.duration(calendar) == _as_fraction(target, calendar)


def test_a_duration_half_a_microsecond_past_a_whole_one_rounds_to_the_even_neighbour() -> None:
    calendar = BusinessCalendar()
    for whole in range(0, 12):
        target = SlaTarget(Fraction(2 * whole + 1, 2 * 60_000_000), "minutes")  # whole + ½ microseconds
        assert target.duration(calendar) == timedelta(microseconds=whole + (whole % 2))
        assert target.duration(calendar) == _as_fraction(target, calendar)
    assert SlaTarget(Fraction(3, 2), "hours").duration(calendar) == timedelta(minutes=90)
