"""The supervisor dashboard: figures from services.analytics as ECharts, tables and CSV downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.services import analytics
from complaintdesk.services import board as supervisor_board
from complaintdesk.web import board_links
from complaintdesk.web.auth import WebUser
from complaintdesk.web.deps import forbidden, get_desk, page_context, page_user
from complaintdesk.web.i18n import translate
from complaintdesk.web.render import render, request_language

router = APIRouter()
CHART_ORDER = (
    "by_day", "by_channel", "by_category", "pareto", "sla", "promises", "escalations", "transfers",
    "repeat", "satisfaction", "qa_scores", "type_mix", "iceberg",
)
# Which catalogue prefix names the first column's values of each figure.
VALUE_PREFIX = {
    "by_channel": "channel.", "by_category": "label.", "pareto": "label.", "sla": "clock.",
    "promises": "dash.", "escalations": "level.", "transfers": "dash.transfers.", "repeat": "dash.",
    "satisfaction": "dash.", "type_mix": "label.", "iceberg": "dash.",
}


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} 日期格式应为 2026-11-23", field=field) from None


def _multiplier(value: str | None) -> float:
    if not value:
        return analytics.DEFAULT_ICEBERG_MULTIPLIER
    try:
        return float(value)
    except ValueError:
        raise InvalidInput("冰山乘数必须是数字", field="multiplier") from None


# Figures whose bars are complaints of one category or channel: each bar opens the queue filtered to it
# (closed ones included, over the dashboard's dates, so the queue's total is the bar's height).
QUEUE_FILTER = {"by_category": "category", "pareto": "category", "by_channel": "channel"}


def _labelled(figure: analytics.Figure, lang: str, dates: dict[str, str] | None = None) -> dict[str, Any]:
    """The figure with its first column translated for display (the CSV keeps the stable keys), the
    queue each bar opens, and whether it has any data to draw."""
    prefix = VALUE_PREFIX.get(figure.id)
    rows = []
    for row in figure.rows:
        first = translate(f"{prefix}{row[0]}", lang) if prefix else row[0]
        rows.append([first, *row[1:]])
    name = QUEUE_FILTER.get(figure.id)
    links = (
        [board_links.queue("all", {name: str(row[0]), "closed": "1", **(dates or {})}) for row in figure.rows]
        if name
        else None
    )
    numbers = [v for row in figure.rows for v in row[1:] if isinstance(v, int | float) and not isinstance(v, bool)]
    return {
        **figure.to_dict(),
        "title": translate(f"dash.fig.{figure.id}", lang),
        "headers": [translate(f"dash.col.{col}", lang) for col in figure.columns],
        "display_rows": rows,
        "links": links,
        "empty": not any(numbers),
    }


def _load(request: Request) -> analytics.Dashboard:
    params = request.query_params
    return analytics.dashboard(
        get_desk(request).uow(),
        start=_date(params.get("start"), "start"),
        end=_date(params.get("end"), "end"),
        iceberg_multiplier=_multiplier(params.get("multiplier")),
        now=datetime.now(UTC),
    )


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    if not user.is_supervisor:
        return forbidden(request, user, "forbidden.dashboard")
    lang = request_language(request)
    try:
        board = _load(request)
    except ComplaintDeskError as exc:
        board = analytics.dashboard(get_desk(request).uow(), now=datetime.now(UTC))
        error: str | None = exc.message
    else:
        error = None
    # the queue's "to" is inclusive, as the dashboard's end date is
    dates = {"from": board.start.isoformat(), "to": board.end.isoformat()}
    figures = [_labelled(board.figure(fid), lang, dates) for fid in CHART_ORDER]
    caveat = analytics.ICEBERG_CAVEAT_ZH if lang == "zh-CN" else analytics.ICEBERG_CAVEAT_EN
    query = f"start={board.start.isoformat()}&end={board.end.isoformat()}&multiplier={board.kpis['iceberg_multiplier']}"
    context = page_context(
        request, user, board=board, figures=figures, caveat=caveat, query=query, error=error, nav="dashboard"
    )
    return render(request, "dashboard.html", context)


def _live(request: Request, user: WebUser) -> dict[str, Any]:
    live = supervisor_board.board(get_desk(request).uow(), user, datetime.now(UTC))
    return board_links.live_context(live, "all" if user.sees_all_teams else "team")


@router.get("/dashboard/live", response_class=HTMLResponse, include_in_schema=False)
def live_board(request: Request, user: Annotated[WebUser, Depends(page_user)]) -> HTMLResponse:
    """The board's live part alone: the dashboard page polls it."""
    if not user.is_supervisor:
        return forbidden(request, user, "forbidden.dashboard")
    return render(request, "_board.html", page_context(request, user, live=_live(request, user)))


@router.get("/dashboard/{figure_id}.csv", include_in_schema=False)
def dashboard_csv(figure_id: str, request: Request, user: Annotated[WebUser, Depends(page_user)]) -> Response:
    if not user.is_supervisor:
        return forbidden(request, user, "forbidden.dashboard")
    try:
        figure = _load(request).figure(figure_id)
    except ComplaintDeskError as exc:
        return Response(exc.message, status_code=exc.http_status, media_type="text/plain; charset=utf-8")
    # A byte-order mark so that Excel opens the Chinese labels as UTF-8.
    return Response(
        "\ufeff" + figure.to_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{figure.id}.csv"'},
    )
