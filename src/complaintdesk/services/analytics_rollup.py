"""Per-day totals of the complaint figures, kept in ``dashboard_days`` so a year's dashboard does not rescan
every complaint.

The rollup is a self-checking cache rather than something every writer must remember to maintain: each
stored day carries the signature of the complaints it was computed from — count, sum of ``version``
(the ORM bumps it on every update) and highest ``id`` (every insert raises it) — and each dashboard read
first takes the live signatures from the ``(opened_at, version, id)`` index. Days whose signature
differs (new, edited, imported or deleted complaints) are recomputed from the complaints, in one grouped
statement that also yields the signature stored with them, and written back after the read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, and_, case, cast, delete, func, insert, literal_column, or_, select
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from complaintdesk.settings import local_zone
from complaintdesk.storage import orm
from complaintdesk.storage.orm_analytics import dashboard_days

log = logging.getLogger(__name__)
# The sums kept per day, in this order (the type counts follow, one per counted customer type).
SUM_KEYS = ("repeats", "runarounds", "closed", "satisfied", "unsatisfied", "waived", "reopens")
DIMENSIONS = ("channel", "category", "level", "transfers")
# Beyond this many separate runs of stale days, one range over the window is cheaper than the OR.
MAX_RANGES = 24

Signature = tuple[int, int, int]  # complaints, sum of versions, highest id


@dataclass
class DayTotals:
    """One local day's (or, summed, one window's) complaint figures."""

    tallies: dict[str, dict[Any, int]] = field(default_factory=lambda: {d: {} for d in DIMENSIONS})
    sums: list[int] = field(default_factory=list)

    def add(self, other: DayTotals) -> None:
        for dim in DIMENSIONS:
            mine = self.tallies[dim]
            for key, count in other.tallies[dim].items():
                mine[key] = mine.get(key, 0) + count
        if len(self.sums) < len(other.sums):
            self.sums.extend([0] * (len(other.sums) - len(self.sums)))
        for index, value in enumerate(other.sums):
            self.sums[index] += value

    def to_json(self, type_keys: list[str]) -> dict[str, Any]:
        # JSON object keys are strings: levels and transfer counts are restored to ints on the way back.
        return {"tallies": {d: {str(k): v for k, v in self.tallies[d].items()} for d in DIMENSIONS},
                "sums": list(self.sums), "layout": [*SUM_KEYS, *type_keys]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> DayTotals:
        raw = data["tallies"]
        tallies: dict[str, dict[Any, int]] = {
            "channel": {str(k): int(v) for k, v in raw["channel"].items()},
            "category": {str(k): int(v) for k, v in raw["category"].items()},
            "level": {int(k): int(v) for k, v in raw["level"].items()},
            "transfers": {int(k): int(v) for k, v in raw["transfers"].items()},
        }
        return DayTotals(tallies, [int(v) for v in data["sums"]])


@dataclass
class WindowTotals:
    by_day: dict[str, int]
    totals: DayTotals
    pending: list[dict[str, Any]]  # recomputed days to write back to dashboard_days
    vanished: list[date]  # stored days that no longer have any complaint
    recomputed_days: int = 0


def fixed_offset(zone: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset when it keeps one all year (this year and last), else None (daylight saving)."""
    year = datetime.now(UTC).year
    offsets = {datetime(y, m, 1, tzinfo=zone).utcoffset() for y in (year - 1, year) for m in (1, 7)}
    only = offsets.pop() if len(offsets) == 1 else None
    return only


def local_day(column: Any, dialect: Dialect) -> ColumnElement[Any]:
    """The local day (``COMPLAINTDESK_TIMEZONE``) of a UTC instant, as SQL. A zone without daylight saving
    (China has kept UTC+8 since 1991) is a fixed offset, exact for any complaint and cheapest per row."""
    zone = local_zone()
    offset = fixed_offset(zone)
    if dialect.name == "postgresql":
        if offset is not None and (dialect.server_version_info or (0,)) >= (14,):
            # date_bin is plain arithmetic on the instant: twice as fast as a time-zone conversion per row.
            origin = datetime(2000, 1, 1, tzinfo=timezone(offset)).isoformat(sep=" ")
            return func.date_bin(literal_column("INTERVAL '1 day'"), column, literal_column(f"TIMESTAMPTZ '{origin}'"))
        return func.date(func.timezone(zone.key, column))
    # SQLite stores naive UTC text and knows no time zones: a zone with daylight saving is read at its
    # offset of today, which misplaces complaints opened within an hour of midnight in the other season.
    if offset is None:
        offset = datetime.now(zone).utcoffset() or timedelta(0)
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def day_of(value: Any) -> date:
    if isinstance(value, datetime):  # date_bin's local midnight, as an instant
        return value.astimezone(local_zone()).date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _ranges(days: Sequence[date]) -> list[tuple[date, date]]:
    """Consecutive runs of days as inclusive (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def window_totals(
    session: Session,
    dialect: Dialect,
    start: date,
    end: date,
    bounds: Any,
    type_keys: Sequence[str],
) -> WindowTotals:
    """The complaint figures of the local days ``start``..``end``: stored days whose signature still
    matches, the rest recomputed. ``bounds(first, last)`` gives the UTC instants of a local-day range."""
    c = orm.complaints.c
    day = local_day(c.opened_at, dialect)
    lo, hi = bounds(start, end)
    live: dict[date, Signature] = {
        day_of(d): (int(n), int(v or 0), int(m or 0))
        for d, n, v, m in session.execute(
            select(day, func.count(), func.sum(c.version), func.max(c.id))
            .where(c.opened_at >= lo, c.opened_at < hi)
            .group_by(day)
        ).all()
    }
    d = dashboard_days.c
    stored = {
        row.day: row
        for row in session.execute(select(dashboard_days).where(d.day >= start, d.day <= end)).all()
    }
    totals = DayTotals()
    stale: list[date] = []
    layout = [*SUM_KEYS, *type_keys]
    for key, signature in live.items():
        row = stored.get(key)
        # A day stored by a version of this code that summed other things is stale too.
        if (row is not None and (row.complaints, row.version_sum, row.max_id) == signature
                and row.totals.get("layout") == layout):
            totals.add(DayTotals.from_json(row.totals))
        else:
            stale.append(key)
    pending: list[dict[str, Any]] = []
    if stale:
        runs = _ranges(stale)
        if len(runs) > MAX_RANGES:
            runs = [(start, end)]
        fresh = _recompute(session, day, [bounds(a, b) for a, b in runs], list(type_keys))
        now = datetime.now(UTC)
        wanted = set(stale)
        for key, (signature, day_totals) in fresh.items():
            if key not in wanted:
                continue  # a whole-window rescan also returns the days still valid in the rollup
            totals.add(day_totals)
            n, v, m = signature
            pending.append({"day": key, "complaints": n, "version_sum": v, "max_id": m,
                            "totals": day_totals.to_json(list(type_keys)), "computed_at": now})
    vanished = [key for key in stored if key not in live]
    by_day = {key.isoformat(): signature[0] for key, signature in live.items()}
    return WindowTotals(by_day, totals, pending, vanished, len(stale))


def _recompute(
    session: Session, day: ColumnElement[Any], ranges: list[tuple[datetime, datetime]], type_keys: list[str]
) -> dict[date, tuple[Signature, DayTotals]]:
    """One grouped scan of the complaints opened in ``ranges``: per day, its signature and totals."""
    c = orm.complaints.c
    capped = case((c.transfer_count >= 3, 3), else_=c.transfer_count)
    text = cast(c.analysis, Text)
    keys = (day, c.channel, c.category, c.escalation_level, capped)
    query = (
        select(
            *keys,
            func.count(),
            func.sum(c.version),
            func.max(c.id),
            func.sum(case((c.repeat.is_(True), 1), else_=0)),
            func.sum(case((c.runaround.is_(True), 1), else_=0)),
            func.sum(case((c.stage == "closed", 1), else_=0)),
            func.sum(case((c.signoff_satisfied.is_(True), 1), else_=0)),
            func.sum(case((c.signoff_satisfied.is_(False), 1), else_=0)),
            func.sum(case((and_(c.stage == "closed", c.signoff_satisfied.is_(None)), 1), else_=0)),
            func.sum(c.reopen_count),
            # The text of the stored analysis, as the dashboard has always counted customer types; it
            # was written by json.dumps ("type": "x") before storage.db.dump_json ("type":"x").
            *[
                func.sum(case((or_(text.like(f'%"type": "{key}"%'), text.like(f'%"type":"{key}"%')), 1), else_=0))
                for key in type_keys
            ],
        )
        .where(or_(*[and_(c.opened_at >= lo, c.opened_at < hi) for lo, hi in ranges]))
        .group_by(*keys)
    )
    out: dict[date, tuple[Signature, DayTotals]] = {}
    for row in session.execute(query).all():
        key = day_of(row[0])
        signature, totals = out.get(key) or ((0, 0, 0), DayTotals(sums=[0] * (len(SUM_KEYS) + len(type_keys))))
        count = int(row[5])
        for dim, value in zip(DIMENSIONS, (str(row[1]), str(row[2]), int(row[3]), int(row[4])), strict=True):
            totals.tallies[dim][value] = totals.tallies[dim].get(value, 0) + count
        for index, value in enumerate(row[8:]):
            totals.sums[index] += int(value or 0)
        n, v, m = signature
        out[key] = ((n + count, v + int(row[6] or 0), max(m, int(row[7] or 0))), totals)
    return out


def write_back(engine: Engine, result: WindowTotals) -> None:
    """Store recomputed days and drop vanished ones. The rollup is a cache: if another request wrote the
    same days first, or the database is busy, the next read simply checks again."""
    if not result.pending and not result.vanished:
        return
    days = [row["day"] for row in result.pending] + result.vanished
    try:
        with engine.begin() as conn:
            conn.execute(delete(dashboard_days).where(dashboard_days.c.day.in_(days)))
            if result.pending:
                conn.execute(insert(dashboard_days), result.pending)
    except SQLAlchemyError as exc:
        log.info("dashboard rollup not stored (%s); it will be recomputed next time", type(exc).__name__)
