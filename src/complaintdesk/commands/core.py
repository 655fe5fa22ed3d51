"""Core commands: init, demo, import, export, audit, sla, user — plus the `complaint` group."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, label, print_json
from complaintdesk.commands.complaint import complaint_app
from complaintdesk.domain.errors import IntegrityError
from complaintdesk.services import (
    audit_service,
    calendar_service,
    callbacks,
    customers,
    demo,
    exporter,
    importer,
    sla_service,
    users,
)

audit_app = typer.Typer(help="审计链：校验与查看（audit trail）", no_args_is_help=True)
sla_app = typer.Typer(help="SLA 时钟：巡检、预警与升级", no_args_is_help=True)
user_app = typer.Typer(help="用户与角色", no_args_is_help=True)
customer_app = typer.Typer(help="客户与投诉历史", no_args_is_help=True)


@customer_app.command("list")
def customer_list(
    phone: str | None = typer.Option(None, "--phone", help="按电话查找"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """列出客户（电话已脱敏）。"""
    rows = customers.find_by_phone(desk().uow(), phone) if phone else customers.list_customers(desk().uow())
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(f"{r['id']:>5}  {r['name']}  {r['phone']}  {r['segment']}", highlight=False)


@customer_app.command("show")
def customer_show(
    customer_id: int,
    reveal_phone: bool = typer.Option(False, "--reveal-phone"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """查看客户及其全部投诉历史。"""
    data = customers.get_customer(desk().uow(), customer_id, reveal_phone=reveal_phone)
    if as_json:
        print_json(data)
        return
    console.print(
        f"{data['name']} {data['phone']} ({data['segment']}) · 投诉 {len(data['complaints'])} 件，"
        f"未结 {data['open_complaints']}，重复 {data['repeat_complaints']}"
        + (f" （只列出最近 {customers.HISTORY_LIMIT} 件）" if data["more"] else ""),
        highlight=False, markup=False,
    )
    for c in data["complaints"]:
        console.print(f"  {c['number']} {c['stage_label']} {c['title']}", markup=False, highlight=False)


calendar_app = typer.Typer(help="工作日历：法定节假日、调休与中心自定义", no_args_is_help=True)


@calendar_app.command("show")
def calendar_show(
    year: int = typer.Option(..., "--year"), as_json: bool = typer.Option(False, "--json")
) -> None:
    """查看某一年的节假日与调休工作日（含中心自定义）。"""
    view = calendar_service.year_view(desk().uow(), year)
    if as_json:
        print_json(view)
        return
    console.print(f"{view['year']} 年 · 工作时间 {view['work_hours']}", highlight=False)
    for h in view["holidays"]:
        mark = " （中心自定义）" if h["edited"] else ""
        console.print(f"  休 {h['day']} {h['name'] or ''}{mark}", highlight=False)
    for w in view["makeup_workdays"]:
        mark = " （中心自定义）" if w["edited"] else ""
        console.print(f"  班 {w['day']} 调休上班{mark}", highlight=False)


@calendar_app.command("set")
def calendar_set(
    day: str,
    kind: str = typer.Option(..., "--kind", help="holiday（休息） | workday（上班）"),
    name: str | None = typer.Option(None, "--name"),
    actor: str = typer.Option("cli", "--actor"),
) -> None:
    """把某天设为中心的休息日或工作日（覆盖国家日历）。"""
    edit = calendar_service.set_day(desk().uow(), calendar_service.parse_day(day), kind, name, actor)
    console.print(f"已设置 {edit.day} 为 {edit.kind}", highlight=False)


@calendar_app.command("remove")
def calendar_remove(day: str, actor: str = typer.Option("cli", "--actor")) -> None:
    """删除中心对某天的自定义。"""
    removed = calendar_service.remove_day(desk().uow(), calendar_service.parse_day(day), actor)
    console.print("已删除" if removed else "该日期没有自定义", highlight=False)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def init() -> None:
    """创建（或升级）数据库结构。"""
    d = desk()
    console.print(f"数据库已就绪：{d.engine.url.render_as_string(hide_password=True)}", highlight=False)


def demo_cmd() -> None:
    """载入演示数据（来自种子案例：宽带停机、五次维修的电视、充值赠送延迟 …）。"""
    d = desk()
    with _progress() as bar:
        task = bar.add_task("载入演示数据", total=None)
        result = demo.load_demo(
            d.uow, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    if result.skipped:
        console.print("数据库里已有投诉单，跳过演示数据。")
        return
    swept = sla_service.sweep(d.uow())
    console.print(f"已载入 {result.loaded} 个演示投诉单；SLA 巡检：{swept.summary()}")
    console.print(
        f"演示账号：{', '.join(result.usernames)}（密码均为 {demo.DEMO_PASSWORD}，仅用于演示）", highlight=False
    )


def import_cmd(
    file: Path = typer.Argument(..., help="CSV（UTF-8 或 GBK）或 XLSX 文件"),
    analyse: bool = typer.Option(True, "--analyse/--no-analyse", help="导入时运行文本分析"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """批量导入投诉单：先校验全部行，有一行出错则不写入任何数据。"""
    d = desk()
    with _progress() as bar:
        task = bar.add_task("导入", total=None)
        result = importer.import_file(
            d.uow(),
            file,
            analyse=analyse,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        print_json({"imported": result.imported, "numbers": result.numbers, "encoding": result.encoding})
    else:
        source = "Excel" if result.encoding == "xlsx" else f"编码 {result.encoding}"
        console.print(f"已导入 {result.imported} 个投诉单（{source}）")


def export_cmd(
    out: Path | None = typer.Option(None, "--out", help="输出文件（默认标准输出）"),
    fmt: str = typer.Option("csv", "--format", help="csv | jsonl"),
    reveal_phone: bool = typer.Option(False, "--reveal-phone", help="导出完整电话（需要授权）"),
) -> None:
    """导出全部投诉单。"""
    d = desk()
    if out is None:
        count = exporter.export(d.uow(), sys.stdout, fmt, reveal_phone=reveal_phone)
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = exporter.export(d.uow(), handle, fmt, reveal_phone=reveal_phone)
        console.print(f"已导出 {count} 个投诉单到 {out}", highlight=False)


@audit_app.command("verify")
def audit_verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """校验整条审计哈希链，并与签名检查点比对；每个被改动或删除的事件都会被指出。"""
    verdict = audit_service.verify(desk().uow())
    if as_json:
        print_json(verdict.to_dict())
    if not verdict.ok:
        if not as_json:
            for found in verdict.breaks:
                console.print(f"[red]✗[/] #{found.seq} ", end="", highlight=False)
                console.print(found.reason, markup=False, highlight=False)
            if verdict.break_count > len(verdict.breaks):
                console.print(f"… 共 {verdict.break_count} 处问题，只列出前 {len(verdict.breaks)} 处", highlight=False)
        raise IntegrityError(
            f"审计链校验失败（{verdict.break_count} 处），第一处在事件 #{verdict.broken_seq}: {verdict.reason}",
            field="audit",
        )
    if not as_json:
        console.print(f"[green]审计链完整[/]：已校验 {verdict.checked} 个事件", highlight=False)
        if verdict.anchor is None:
            console.print("尚无签名检查点：删除末尾事件或整链改写无法被发现，请运行 complaintdesk audit checkpoint",
                          highlight=False)  # fmt: skip
        else:
            console.print(f"与 {verdict.anchor.at} 签名的检查点（事件 #{verdict.anchor.seq}）一致", highlight=False)


@audit_app.command("checkpoint")
def audit_checkpoint(as_json: bool = typer.Option(False, "--json")) -> None:
    """校验自上一个检查点以来的事件，再用审计密钥签名链头（追加到数据目录的检查点文件）。"""
    result = audit_service.checkpoint(desk().uow())
    if as_json:
        print_json(result.to_dict())
    elif result.checkpoint is None:
        console.print("审计链为空，无需检查点")
    elif result.written:
        console.print(f"已签名检查点：事件 #{result.checkpoint.seq} {result.checkpoint.hash[:12]}", highlight=False)
    else:
        console.print(f"链头未变，最新检查点仍是事件 #{result.checkpoint.seq} ({result.checkpoint.at})", highlight=False)


@audit_app.command("trail")
def audit_trail(number: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """查看一个投诉单的审计记录。"""
    rows = audit_service.trail(desk().uow(), number)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(f"#{r['seq']} {r['at']} {r['actor']} {r['kind']} ", end="", highlight=False)
        console.print(str(r["payload"]), markup=False, highlight=False)


@audit_app.command("recent")
def audit_recent(
    limit: int = typer.Option(50, "--limit", min=1, max=audit_service.MAX_RECENT),
    before: int | None = typer.Option(None, "--before", min=1, help="只列出序号小于它的事件（向前翻页）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """整条审计链最新的事件（新的在前）：投诉单的、日历修改、登录、用户变更。"""
    rows = audit_service.recent(desk().uow(), limit=limit, before=before)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(f"#{r['seq']} {r['at']} {r['actor']} {label('event', r['kind'])} {r['complaint_number'] or '-'}",
                      highlight=False, markup=False)  # fmt: skip
        console.print(f"    {r['payload']}", markup=False, highlight=False, overflow="fold")


@sla_app.command("sweep")
def sla_sweep(as_json: bool = typer.Option(False, "--json")) -> None:
    """巡检所有运行中的 SLA 时钟：75% 预警，100% 与 150% 超时通报处理人和班组长（不自动升级）；
    回电与回访任务：到期前提醒处理人，逾期通报处理人和班组长。"""
    result = sla_service.sweep(desk().uow())
    tasks = callbacks.sweep(desk().uow())
    if as_json:
        print_json({**result.to_dict(), "tasks": tasks.to_dict()})
    else:
        console.print(f"SLA 巡检：{result.summary()}")
        for line in result.actions:
            console.print(f"  {line}", highlight=False)
        console.print(f"任务巡检：{tasks.summary()}", highlight=False)
        for line in tasks.actions:
            console.print(f"  {line}", highlight=False, markup=False)


@sla_app.command("pause")
def sla_pause(
    number: str, reason: str = typer.Option(..., "--reason"), actor: str = typer.Option("cli", "--actor")
) -> None:
    """等待客户时暂停该投诉的所有 SLA 时钟。"""
    count = sla_service.pause(desk().uow(), number, reason, actor)
    console.print(f"已暂停 {count} 个时钟", highlight=False)


@sla_app.command("resume")
def sla_resume(number: str, actor: str = typer.Option("cli", "--actor")) -> None:
    """恢复计时。"""
    count = sla_service.resume(desk().uow(), number, actor)
    console.print(f"已恢复 {count} 个时钟", highlight=False)


@user_app.command("list")
def user_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出用户。"""
    rows = [
        {"username": u.username, "display_name": u.display_name, "role": u.role.value, "team": u.team}
        for u in users.list_users(desk().uow())
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(
            f"{r['username']}  {r['display_name']}  {r['role']}  {r['team'] or ''}", highlight=False
        )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.add_typer(complaint_app, name="complaint")
    app.add_typer(audit_app, name="audit")
    app.add_typer(sla_app, name="sla")
    app.add_typer(user_app, name="user")
    app.add_typer(calendar_app, name="calendar")
    app.add_typer(customer_app, name="customer")
