"""The supervisor dashboard: figures from services.analytics as ECharts, tables and CSV downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from complaintdesk.domain.errors import ComplaintDeskError, InvalidInput
from complaintdesk.services import analytics
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


def _labelled(figure: analytics.Figure, lang: str) -> dict[str, Any]:
    """The figure with its first column translated for display (the CSV keeps the stable keys)."""
    prefix = VALUE_PREFIX.get(figure.id)
    rows = []
    for row in figure.rows:
        first = translate(f"{prefix}{row[0]}", lang) if prefix else row[0]
        rows.append([first, *row[1:]])
    return {
        **figure.to_dict(),
        "title": translate(f"dash.fig.{figure.id}", lang),
        "headers": [translate(f"dash.col.{col}", lang) for col in figure.columns],
        "display_rows": rows,
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
    figures = [_labelled(board.figure(fid), lang) for fid in CHART_ORDER]
    caveat = analytics.ICEBERG_CAVEAT_ZH if lang == "zh-CN" else analytics.ICEBERG_CAVEAT_EN
    query = f"start={board.start.isoformat()}&end={board.end.isoformat()}&multiplier={board.kpis['iceberg_multiplier']}"
    context = page_context(
        request, user, board=board, figures=figures, caveat=caveat, query=query, error=error, nav="dashboard"
    )
    return render(request, "dashboard.html", context)


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
