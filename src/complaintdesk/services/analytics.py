"""Dashboard figures for supervisors, each a small table that a chart, a page table and a CSV share.

Every figure is computed in the database. The per-complaint figures come from a daily rollup that
checks itself against the live complaints on every read (services.analytics_rollup), so a year's window
reads about 365 stored days plus one index-only scan instead of every complaint; SLA clocks, promises and
QA scores are grouped live over the window (covering indexes, migration 0004) because they depend on
the current time. Sources: seed 001 (the six root
causes seen in a service centre; the hardest customer kinds and their shares), seed 004 (promised vs
delivered; the "iceberg" of customers who leave without complaining).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.engine import Engine

from complaintdesk.domain.errors import InvalidInput
from complaintdesk.domain.vocab import categories_in
from complaintdesk.services.analytics_rollup import SUM_KEYS, window_totals, write_back
from complaintdesk.services.csv_cells import safe_cell
from complaintdesk.services.unit_of_work import UnitOfWork
from complaintdesk.settings import local_zone
from complaintdesk.storage import orm
from complaintdesk.storage.orm_analytics import dashboard_days

MAX_WINDOW_DAYS = 366
# Seed 001, case 3: the six root causes a service centre saw, in the article's order.
SEED_ROOT_CAUSES = categories_in("seed_root_cause")
# Seed 001, 二: shares of the hardest customers (固执的怪人 36%, 妄自尊大者 34%, 唠叨者 17%,
# 我要找你老板 11%, 偶发 2%). The analysis cannot recognise the 2% "incidental" kind from text.
SEED_TYPE_SHARES = (
    ("stubborn", 0.36), ("self_important", 0.34), ("nagger", 0.17), ("boss_demander", 0.11), ("incidental", 0.02),
)
DEFAULT_ICEBERG_MULTIPLIER = 25.0  # seed 004: "only 4% of dissatisfied customers complain" → 1 / 0.04
ICEBERG_CAVEAT_ZH = (
    "注意：\"只有 4% 的不满客户会投诉\"是对 TARP 研究的误引。TARP 的原意是：小额问题中 96% 从未上报到总部"
    "（客户可能已向一线抱怨过）。乘数只是假设，请按本中心的调查数据调整，不要把估算当作统计事实。"
)
ICEBERG_CAVEAT_EN = (
    "Caution: \"only 4% of dissatisfied customers complain\" misquotes TARP, which found that 96% of small-ticket "
    "problems never reach head office (customers may well have complained at the front line). The multiplier is an "
    "assumption: set it from your own surveys and do not read the estimate as a measured fact."
)


@dataclass(frozen=True)
class Figure:
    """One chart's data: column keys, rows, and how it is drawn (bar, line, pie, pareto, compare)."""

    id: str
    chart: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "chart": self.chart,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "note": self.note,
        }

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([safe_cell(v) for v in row])
        return buffer.getvalue()


@dataclass(frozen=True)
class Dashboard:
    start: date
    end: date
    total: int
    kpis: dict[str, Any]
    figures: tuple[Figure, ...] = field(default=())

    def figure(self, figure_id: str) -> Figure:
        for fig in self.figures:
            if fig.id == figure_id:
                return fig
        raise InvalidInput(f"没有名为 {figure_id} 的图表", field="figure")

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total,
            "kpis": self.kpis,
            "figures": [f.to_dict() for f in self.figures],
        }


EARLIEST_DAY = date(1990, 1, 1)


def window(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The inclusive local-date window, defaulting to the last 30 days; at most a year, and between
    EARLIEST_DAY and a year from today (a date at the calendar's edge would overflow the arithmetic)."""
    for name, day in (("start", start), ("end", end)):
        if day is not None and not EARLIEST_DAY <= day <= today + timedelta(days=366):
            raise InvalidInput(
                f"{name} 日期应在 {EARLIEST_DAY.isoformat()} 与明年今天之间", field=name
            )
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end:
        raise InvalidInput("开始日期不能晚于结束日期", field="start")
    if (end - start).days >= MAX_WINDOW_DAYS:
        raise InvalidInput(f"统计区间最长 {MAX_WINDOW_DAYS} 天", field="start")
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    lo = datetime.combine(start, time.min, local_zone()).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, local_zone()).astimezone(UTC)
    return lo, hi


def dashboard(
    uow: UnitOfWork,
    *,
    start: date | None = None,
    end: date | None = None,
    iceberg_multiplier: float = DEFAULT_ICEBERG_MULTIPLIER,
    now: datetime | None = None,
    all_time: bool = False,
) -> Dashboard:
    """The figures of a window of local dates (default the last 30 days, at most a year), or with
    ``all_time`` from the day the first complaint was opened until today (``start``/``end`` ignored)."""
    now = now or datetime.now(UTC)
    if not 1 <= iceberg_multiplier <= 1000:
        raise InvalidInput("冰山乘数必须在 1 到 1000 之间", field="multiplier")
    today = now.astimezone(local_zone()).date()
    c = orm.complaints.c
    with uow.reading():
        session = uow.complaints.session
        bind = session.get_bind()
        dialect = bind.dialect
        if all_time:
            first = session.execute(select(func.min(c.opened_at))).scalar_one_or_none()
            start, end = (_aware(first).astimezone(local_zone()).date() if first else today), today
            start = min(start, end)
        else:
            start, end = window(start, end, today)
        lo, hi = _bounds(start, end)
        in_window = and_(c.opened_at >= lo, c.opened_at < hi)

        def rows(query: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(query).all()]

        # Complaint figures per local day from the self-checking rollup (services.analytics_rollup).
        counted = window_totals(session, dialect, start, end, _bounds, [key for key, _ in SEED_TYPE_SHARES[:4]])
        promise_rows = rows(
            select(orm.promises.c.made_at, orm.promises.c.due_at, orm.promises.c.kept, orm.promises.c.resolved_at)
            .join(orm.complaints, orm.complaints.c.id == orm.promises.c.complaint_id)
            .where(in_window)
        )
        a = orm.audit_events.c
        qa_rows = rows(
            select(orm.complaints.c.owner, a.payload)
            .join(orm.complaints, orm.complaints.c.number == a.complaint_number)
            .where(a.kind == "qa_inspected", a.at >= lo, a.at < hi)
        )
        k = orm.sla_clocks.c
        clock_rows = rows(
            select(
                k.kind,
                func.sum(case((and_(k.active.is_(False), k.updated_at <= k.due_at), 1), else_=0)),
                func.sum(case((and_(k.active.is_(False), k.updated_at > k.due_at), 1), else_=0)),
                func.sum(case((and_(k.active.is_(True), k.due_at >= now), 1), else_=0)),
                func.sum(case((and_(k.active.is_(True), k.due_at < now), 1), else_=0)),
            )
            .where(k.due_at >= lo, k.due_at < hi)
            .group_by(k.kind)
        )
    # After the read transaction has ended, so that SQLite's writer lock is not requested inside it.
    write_back(bind.engine, counted)
    tallies, sums = counted.totals.tallies, counted.totals.sums or [0] * (len(SUM_KEYS) + 4)
    by_channel, by_category = list(tallies["channel"].items()), list(tallies["category"].items())
    by_level, by_transfers = list(tallies["level"].items()), list(tallies["transfers"].items())
    total = sum(counted.by_day.values())
    repeats, runarounds, closed, satisfied, unsatisfied, waived, reopens = sums[:7]
    type_counts = sums[7:]
    figures = (
        _volume_by_day(counted.by_day, start, end),
        Figure("by_channel", "bar", ("channel", "count"), _sorted(by_channel)),
        Figure("by_category", "bar", ("category", "count"), _sorted(by_category)),
        _pareto(by_category),
        _sla(clock_rows),
        _promises(promise_rows, now),
        Figure("escalations", "bar", ("level", "count"), tuple(sorted((int(a), int(b)) for a, b in by_level))),
        Figure("transfers", "bar", ("transfers", "count"), tuple(sorted((int(a), int(b)) for a, b in by_transfers)),
               note=f"runaround={runarounds}"),
        Figure("repeat", "pie", ("kind", "count"), (("repeat", repeats), ("first", total - repeats))),
        Figure("satisfaction", "pie", ("outcome", "count"),
               (("satisfied", satisfied), ("not_satisfied", unsatisfied), ("waived", waived))),
        _qa_scores(qa_rows),
        _type_mix(type_counts),
        _iceberg(total, iceberg_multiplier),
    )
    kpis = {
        "total": total,
        "closed": closed,
        "repeat_rate": _ratio(repeats, total),
        "satisfaction_rate": _ratio(satisfied, satisfied + unsatisfied),
        "runarounds": runarounds,
        "reopens": reopens,
        "iceberg_estimate": round(total * iceberg_multiplier),
        "iceberg_multiplier": iceberg_multiplier,
    }
    return Dashboard(start, end, total, kpis, figures)


def rebuild_rollup(engine: Engine) -> None:
    """Empty the daily rollup; the next dashboard reads recompute it (after raw SQL edits or a restore)."""
    with engine.begin() as conn:
        conn.execute(delete(dashboard_days))


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _sorted(pairs: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(sorted(((str(a), int(b)) for a, b in pairs), key=lambda r: (-r[1], r[0])))


def _volume_by_day(by_day: dict[Any, Any], start: date, end: date) -> Figure:
    counts = {str(k): int(v) for k, v in by_day.items()}
    days = [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]
    return Figure("by_day", "line", ("day", "count"), tuple((d, counts.get(d, 0)) for d in days))


def _pareto(by_category: list[tuple[Any, ...]]) -> Figure:
    """Every root cause with its own bar (seed 001's six always shown, even at zero), largest first and
    "other" last, with the cumulative share. Lumping every cause outside the six into one bar hid most of
    a telecom or e-commerce centre's complaints (billing, suspensions, delivery) under 其他原因."""
    counts = {str(a): int(b) for a, b in by_category}
    causes = [c for c in dict.fromkeys([*SEED_ROOT_CAUSES, *counts]) if c != "other"]
    bars = sorted(((cause, counts.get(cause, 0)) for cause in causes), key=lambda r: -r[1])
    if counts.get("other"):
        bars.append(("other", counts["other"]))
    total = sum(v for _, v in bars)
    running = 0
    out = []
    for cause, count in bars:
        running += count
        out.append((cause, count, round(running / total, 4) if total else 0.0))
    return Figure("pareto", "pareto", ("cause", "count", "cumulative_share"), tuple(out))


def _sla(clock_rows: list[tuple[Any, ...]]) -> Figure:
    out = []
    for kind, met, late, running, overdue in sorted(clock_rows, key=lambda r: str(r[0])):
        met, late, running, overdue = (int(v or 0) for v in (met, late, running, overdue))
        done = met + late
        out.append((str(kind), met, late, running, overdue, round(met / done, 4) if done else None))
    return Figure("sla", "stack", ("clock", "met", "late", "running", "overdue", "attainment"), tuple(out))


def _promises(promise_rows: list[tuple[Any, ...]], now: datetime) -> Figure:
    """Seed 004: dissatisfaction is the gap between what was promised (24 h) and delivered (48 h)."""
    on_time = late = broken = open_ok = open_overdue = 0
    promised_h: list[float] = []
    delivered_h: list[float] = []
    for made, due, kept, resolved in promise_rows:
        made, due = _aware(made), _aware(due)
        resolved = _aware(resolved) if resolved is not None else None
        if kept is None:
            if due < now:
                open_overdue += 1
            else:
                open_ok += 1
            continue
        if not kept:
            broken += 1
            continue
        promised_h.append((due - made).total_seconds() / 3600)
        delivered_h.append(((resolved or due) - made).total_seconds() / 3600)
        if resolved is not None and resolved > due:
            late += 1
        else:
            on_time += 1
    mean_promised = round(sum(promised_h) / len(promised_h), 1) if promised_h else None
    mean_delivered = round(sum(delivered_h) / len(delivered_h), 1) if delivered_h else None
    return Figure(
        "promises",
        "bar",
        ("outcome", "count"),
        (("kept_on_time", on_time), ("kept_late", late), ("broken", broken),
         ("open", open_ok), ("open_overdue", open_overdue)),
        note=f"promised_hours={mean_promised};delivered_hours={mean_delivered}",
    )


def _qa_scores(qa_rows: list[tuple[Any, ...]]) -> Figure:
    """Mean 质检 score per agent, from scorecards kept in the audit trail (``qa_inspected``): the agent the
    scorecard was attributed to (坐席工号 entered, or who replied), the complaint's owner only when none was."""
    scores: dict[str, list[float]] = {}
    for owner, payload in qa_rows:
        card = (payload or {}).get("scorecard") or {}
        agent = (payload or {}).get("agent_id") or card.get("agent_id") or owner
        if isinstance(card.get("score"), int | float):
            scores.setdefault(str(agent), []).append(float(card["score"]))
    out = sorted(
        ((agent, round(sum(v) / len(v), 1), len(v)) for agent, v in scores.items()), key=lambda r: (-r[1], r[0])
    )
    return Figure("qa_scores", "bar", ("agent", "mean_score", "inspections"), tuple(out))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _type_mix(type_counts: Any) -> Figure:
    counts = [int(v or 0) for v in type_counts]
    seen = sum(counts)
    out = []
    for (key, seed_share), count in zip(SEED_TYPE_SHARES, [*counts, None], strict=True):
        observed = None if count is None or not seen else round(count / seen, 4)
        out.append((key, seed_share, observed, count))
    return Figure("type_mix", "compare", ("type", "seed_share", "observed_share", "count"), tuple(out))


def _iceberg(total: int, multiplier: float) -> Figure:
    silent = round(total * multiplier) - total
    return Figure(
        "iceberg",
        "bar",
        ("group", "customers"),
        (("complained", total), ("silent_estimate", max(silent, 0))),
        note=f"multiplier={multiplier}",
    )
