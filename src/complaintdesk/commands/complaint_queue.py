"""`complaintdesk complaint list` and `complaint reassign`: the queue with its filters, and a lead's
bulk reassignment (both through the services the API and the pages use)."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table
from rich.text import Text

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, label, narrow, print_json
from complaintdesk.commands._time import parse_datetime
from complaintdesk.services import queue, reassign, users
from complaintdesk.services.queue import QueueQuery

JSON = typer.Option(False, "--json", help="输出 JSON")


def _when(value: str | None, field: str) -> datetime | None:
    return parse_datetime(value, field) if value is not None else None


def list_(
    stage: str | None = typer.Option(None, "--stage"),
    owner: str | None = typer.Option(None, "--owner"),
    category: str | None = typer.Option(None, "--category"),
    channel: str | None = typer.Option(None, "--channel"),
    open_only: bool = typer.Option(False, "--open", help="只看未结案"),
    sla_state: str | None = typer.Option(
        None, "--sla", help="breached（已超时） | due_soon（一小时内到期） | on_track | none（无计时）"
    ),
    team: str | None = typer.Option(None, "--team", help="处理人所在班组"),
    escalated: bool | None = typer.Option(None, "--escalated/--not-escalated", help="升级过 / 从未升级"),
    flag: list[str] = typer.Option(
        [], "--flag", help="runaround（轮流转接） | repeat（重复投诉） | reopened（重开），可重复"
    ),
    opened_from: str | None = typer.Option(None, "--from", help="受理时间起（ISO 8601，带时区）"),
    opened_to: str | None = typer.Option(None, "--to", help="受理时间止（不含）"),
    order: str = typer.Option("newest", "--order", help="newest（最新在前） | due（最先到期在前）"),
    cursor: str | None = typer.Option(None, "--cursor", help="上一页给出的游标"),
    limit: int = typer.Option(100, "--limit"),
    viewer: str | None = typer.Option(
        None, "--for", help="按该账号能看到的范围列出（坐席、班组长：本人及本班组；经理、管理员、审计员：全部）"
    ),
    as_json: bool = JSON,
) -> None:
    """列出投诉单（最新在前）。"""
    query = QueueQuery(
        stage=stage,
        owner=owner,
        category=category,
        channel=channel,
        open_only=open_only,
        sla_state=sla_state,
        team=team,
        escalated=escalated,
        flags=tuple(flag),
        opened_from=_when(opened_from, "from"),
        opened_to=_when(opened_to, "to"),
        order=order,
        cursor=cursor,
        with_total=True,
        limit=limit,
    )
    # The operator's CLI acts for the whole centre (no viewer: every complaint), or as an account sees it.
    staff = users.get_user(desk().uow(), viewer, "for") if viewer is not None else None
    page = queue.list_queue(desk().uow(), query, viewer=staff)
    rows = page.summaries
    if as_json:
        print_json(rows)
        return
    small = narrow()
    table = Table(title=f"投诉单（{len(rows)} / 共 {page.total}）")
    table.add_column("单号", no_wrap=True, min_width=18)
    table.add_column("标题", overflow="fold", ratio=3, min_width=8)
    table.add_column("类别", overflow="fold", ratio=1)
    table.add_column("阶段", no_wrap=True)
    table.add_column("处理人", overflow="fold")
    if not small:
        for col in ("客户", "升级", "标记"):
            table.add_column(col, overflow="fold")
    for r in rows:
        marks = " ".join(m for m, on in (("转接", r["runaround"]), ("重复", r["repeat"])) if on)
        cells = [
            r["number"],
            Text(r["title"]),
            label("label", r["category"]),
            r["stage_label"],
            r["owner"] or "",
        ]
        if not small:
            cells += [Text(r["customer"] or ""), str(r["escalation_level"]), marks]
        table.add_row(*cells)
    console.print(table)
    if page.next_cursor:
        console.print(f"下一页：--cursor {page.next_cursor}", markup=False, highlight=False)


def reassign_(
    numbers: list[str] = typer.Argument(None, help="要转派的投诉单号（或用 --from-owner）"),
    to: str = typer.Option(..., "--to", help="接手的处理人"),
    reason: str = typer.Option(..., "--reason", help="原因（写入每张投诉单的审计记录）"),
    from_owner: str | None = typer.Option(None, "--from-owner", help="转派该处理人的全部未结投诉（如请假）"),
    actor: str = typer.Option(..., "--actor", help="操作的班组长/经理账号"),
    as_json: bool = JSON,
) -> None:
    """批量转派：勾选的投诉单，或某位处理人的全部未结投诉（班组长及以上；每张都记录审计）。"""
    lead = users.get_user(desk().uow(), actor, "actor")
    request = reassign.Reassignment(
        to_owner=to, reason=reason, numbers=tuple(numbers or ()), from_owner=from_owner
    )
    result = reassign.reassign(desk().uow(), lead, request)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(f"已转派 {len(result.moved)} 张给 {to}", markup=False, highlight=False)
    for refusal in result.refused:
        console.print(f"  未转派 {refusal['number']}:{refusal['message']}", markup=False, highlight=False)
    if result.refused:
        raise typer.Exit(1)
