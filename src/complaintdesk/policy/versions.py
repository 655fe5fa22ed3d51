"""Which version of a law governs a sale: the one in force on the day of the purchase.

A rule's ``date`` is the day its text came into force and ``params.in_force_until`` the last day
before it was replaced (修正前的消法第四十九条 until 2014-03-14, 第五十五条 from 2014-03-15). A rule
with neither (a centre's own promise) always applies. The purchase is never after the check date,
so with the purchase date unknown a version that only came into force later cannot govern it; when
more than one could, the one in force on the check date is used and the caller says which earlier
version a purchase before its start would fall under. A purchase older than every version held
(食品安全法 before 2015-10-01: the 2009 text is not in the packs) is judged by the earliest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from complaintdesk.policy.packs import PackRule


@dataclass(frozen=True)
class Governing:
    rules: tuple[PackRule, ...]  # the versions to apply (undated rules included)
    earlier: tuple[
        PackRule, ...
    ] = ()  # with the purchase date unknown: versions an earlier purchase would fall under


def _until(rule: PackRule) -> date | None:
    raw = rule.params.get("in_force_until")
    return date.fromisoformat(str(raw)) if raw else None


def _dated(rule: PackRule) -> bool:
    return rule.date is not None or _until(rule) is not None


def _in_force(rule: PackRule, day: date) -> bool:
    until = _until(rule)
    return (rule.date is None or rule.date <= day) and (until is None or day <= until)


def governing(rules: Sequence[PackRule], sale: date | None, today: date) -> Governing:
    """The versions that govern a purchase on ``sale`` (``None``: unknown, but not after ``today``)."""
    undated = tuple(r for r in rules if not _dated(r))
    versions = [r for r in rules if _dated(r)]
    # a purchase before every version the packs hold: the earliest one stands in for the law then in force
    earliest = tuple(sorted(versions, key=lambda r: r.date or date.min)[:1])
    if sale is not None:
        return Governing(undated + (tuple(r for r in versions if _in_force(r, sale)) or earliest))
    possible = [r for r in versions if r.date is None or r.date <= today]
    if not possible:
        return Governing(undated + earliest)
    current = [r for r in possible if _in_force(r, today)]
    if not current or len(possible) == len(current):
        return Governing(undated + tuple(possible))
    return Governing(undated + tuple(current), tuple(r for r in possible if r not in current))
