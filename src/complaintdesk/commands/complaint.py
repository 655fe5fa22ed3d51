"""`complaintdesk complaint …`: open, show, list and work a complaint through its stages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from complaintdesk.commands import complaint_queue
from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.commands._time import parse_datetime as _parse_datetime
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import attachments as attachment_svc
from complaintdesk.services import commands, proposals, sla_service
from complaintdesk.services import complaints as svc
from complaintdesk.services.handlers import handle

complaint_app = typer.Typer(help="投诉单：受理、查看、流转（open, show, list, move …）", no_args_is_help=True)
complaint_app.command("list")(complaint_queue.list_)
complaint_app.command("reassign")(complaint_queue.reassign_)

ACTOR = typer.Option("cli", "--actor", help="操作人（写入审计记录）")
VERSION = typer.Option(None, "--version", help="你读到的版本号；他人已修改时拒绝写入")
JSON = typer.Option(False, "--json", help="输出 JSON")


def _read_text(text: str | None, text_file: Path | None) -> str:
    if text is not None:
        return text
    if text_file is None:
        raise InvalidInput("请用 --text 或 --text-file 提供投诉内容", field="description")
    if str(text_file) == "-":
        return sys.stdin.read()
    try:
        return text_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"文件不存在：{text_file}", field="text_file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"文件不是 UTF-8 文本：{text_file}", field="text_file") from None


def show_detail(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(data)
        return
    flags = []
    if data.get("runaround"):
        flags.append("[red]轮流转接[/]")
    if data.get("repeat"):
        flags.append("[yellow]重复投诉[/]")
    console.print(f"[bold]{data['number']}[/] {data['title']}  {' '.join(flags)}", highlight=False)
    customer = data["customer"]
    console.print(
        f"客户：{customer['name']} {customer['phone']} ({customer['segment']})  渠道：{data['channel']}  "
        f"类别：{data['category']}  优先级：{data['priority']}",
        highlight=False,
    )
    console.print(
        f"阶段：{data['stage']}({data['stage_label']})  处理人：{data['owner']}  "
        f"升级：{data['escalation_level']} {data['escalation_label']}  转派：{data['transfer_count']} 次  版本：{data['version']}",
        highlight=False,
    )
    console.print(f"诉求：{', '.join(data['demands']) or '—'}", highlight=False)
    console.print(data["description"], markup=False, highlight=False)
    if data.get("proposal"):
        console.print(f"[bold]方案：[/] {data['proposal']}", highlight=False)
    for p in data["promises"]:
        state = {True: "已兑现", False: "未兑现", None: "进行中"}[p["kept"]]
        console.print(f"承诺：{p['what']}  截止 {p['due_at']}  {state}", highlight=False)
    for t in data["tasks"]:
        state = t["outcome"] or ("已逾期" if t["missed_at"] else "待完成")
        console.print(f"任务 #{t['id']} [{t['kind']}] {t['what']}  截止 {t['due_at']}  {state}", markup=False, highlight=False)
    for r in data["repeat_links"]:
        console.print(f"重复于 {r['earlier']}: {r['reason']}", highlight=False)
    for m in data["messages"]:
        console.print(f"  [{m['kind']}] {m['at']} {m['author']}: ", end="", highlight=False)
        console.print(m["body"], markup=False, highlight=False)
    console.print(f"可流转到：{', '.join(data['allowed_moves']) or '—'}", highlight=False)


def _run(command: commands.Command, as_json: bool) -> None:
    """Every workflow command of the CLI: built from its options, run by the shared handler table."""
    show_detail(handle(desk().uow(), command), as_json)


@complaint_app.command("open")
def open_(
    name: str = typer.Option(..., "--name", help="客户姓名"),
    phone: str = typer.Option(..., "--phone", help="客户电话"),
    title: str = typer.Option(..., "--title", help="标题"),
    text: str | None = typer.Option(None, "--text", help="投诉内容"),
    text_file: Path | None = typer.Option(None, "--text-file", help="从文件读取投诉内容（- 为标准输入）"),
    channel: str = typer.Option("phone", "--channel"),
    segment: str = typer.Option("regular", "--segment"),
    category: str | None = typer.Option(None, "--category", help="不填则由分析引擎判断"),
    priority: str | None = typer.Option(None, "--priority"),
    owner: str | None = typer.Option(None, "--owner"),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """受理一个新投诉。"""
    cmd = svc.OpenComplaint(
        customer_name=name,
        phone=phone,
        title=title,
        description=_read_text(text, text_file),
        channel=channel,
        segment=segment,
        category=category,
        priority=priority,
        owner=owner,
        actor=actor,
    )
    show_detail(svc.open_complaint(desk().uow(), cmd), as_json)


@complaint_app.command("show")
def show(
    number: str,
    reveal_phone: bool = typer.Option(False, "--reveal-phone", help="显示完整电话（需要授权）"),
    as_json: bool = JSON,
) -> None:
    """查看一个投诉单（含 SLA 时钟状态）。"""
    data = svc.get_complaint(desk().uow(), number, reveal_phone=reveal_phone)
    data["sla"] = sla_service.statuses(desk().uow(), number)
    show_detail(data, as_json)
    if not as_json:
        for clock in data["sla"]:
            colour = {"breached": "red", "warning": "yellow", "met_late": "red"}.get(clock["state"], "green")
            console.print(f"  SLA [{colour}]{clock['state']}[/] ", end="", highlight=False)
            console.print(clock["reason"], markup=False, highlight=False)


@complaint_app.command("move")
def move(
    number: str,
    stage: str,
    waiver_reason: str | None = typer.Option(None, "--waiver-reason", help="无客户签字结案时的原因"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """把投诉推进到下一个阶段（accepted→calming→clarifying→proposing→acting→thanking→follow_up→closed）。"""
    _run(commands.Move(number=number, stage=stage, waiver_reason=waiver_reason, actor=actor, expected_version=version), as_json)


@complaint_app.command("reply-and-move")
def reply_and_move(
    number: str,
    body: str = typer.Option("", "--body", help="回复内容（留空则只推进阶段）"),
    stage: str | None = typer.Option(None, "--stage", help="进入的阶段（默认：下一阶段）"),
    solution: str | None = typer.Option(None, "--solution", help="进入采取行动前须有的解决方案"),
    follow_up: str | None = typer.Option(None, "--follow-up", help="进入跟踪服务前须有的回访时间（ISO，带时区）"),
    satisfied: bool | None = typer.Option(None, "--satisfied/--not-satisfied", help="结案前的客户签字"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """回复并进入下一阶段：一次完成，任何一项被拒绝都不会发出回复。"""
    due = _parse_datetime(follow_up, "follow_up_due") if follow_up else None
    command = commands.ReplyAndMove(
        number=number, body=body, stage=stage, solution=solution, follow_up_due=due, satisfied=satisfied,
        actor=actor, expected_version=version,
    )  # fmt: skip
    _run(command, as_json)


@complaint_app.command("propose")
def propose(
    number: str,
    solution: str,
    kind: str | None = typer.Option(None, "--kind", help="涉及赔偿/退款/换货时的方案类型（授权表的列）"),
    amount: str | None = typer.Option(None, "--amount", help="方案金额（元），与 --kind 一起"),
    role: str | None = typer.Option(None, "--role", help="按哪个角色的授权核对（默认：--actor 账号的角色；无账号按坐席）"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """记录解决方案（承诺赔偿、退款、换货的，按授权表核对；超出的拒绝并指明上报对象）。"""
    offer = proposals.stated_offer(kind, amount)
    command = commands.Propose(
        number=number, solution=solution, offer=offer, role=role, actor=actor, expected_version=version
    )
    _run(command, as_json)


@complaint_app.command("message")
def message(
    number: str,
    body: str,
    kind: str = typer.Option("note", "--kind", help="inbound | outbound | note"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """记录一条来电/回复/内部备注。"""
    _run(commands.AddMessage(number=number, kind=kind, body=body, actor=actor, expected_version=version), as_json)


@complaint_app.command("transfer")
def transfer(
    number: str,
    to: str,
    reason: str = typer.Option(..., "--reason"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """转派给另一位处理人（每次都记录；三次及以上标记为轮流转接）。"""
    _run(commands.Transfer(number=number, to_owner=to, reason=reason, actor=actor, expected_version=version), as_json)


@complaint_app.command("escalate")
def escalate(
    number: str,
    reason: str = typer.Option(..., "--reason"),
    level: int | None = typer.Option(None, "--level", help="0-4，不填则升一级"),
    to_user: str | None = typer.Option(None, "--to-user", help="接手的人（该层级的角色）；1 级不填则为处理人的班组长"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """升级（0 坐席 · 1 班组长 · 2 中心经理 · 3 总部 · 4 外部监管）；坐席/班组长越级须审批。"""
    _run(commands.Escalate(number=number, reason=reason, to_level=level, to_user=to_user, actor=actor,
                           expected_version=version), as_json)  # fmt: skip


@complaint_app.command("decide")
def decide(
    number: str,
    request_id: int = typer.Option(..., "--request", min=1, max=2**31 - 1, help="审批申请编号"),
    approve: bool = typer.Option(..., "--approve/--decline", help="批准或驳回"),
    note: str | None = typer.Option(None, "--note"),
    actor: str = ACTOR,
    as_json: bool = JSON,
) -> None:
    """审批越级升级或未签收结案的申请：批准即执行，驳回则不变（均写入审计）。"""
    _run(commands.Decide(number=number, request_id=request_id, approve=approve, note=note, actor=actor), as_json)


@complaint_app.command("promise")
def promise(
    number: str,
    what: str,
    due: str = typer.Option(..., "--due", help="ISO 时间，带时区"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """记录对客户的承诺及完成时间（每个承诺有自己的 SLA 时钟）。"""
    due_at = _parse_datetime(due, "due")
    _run(commands.MakePromise(number=number, what=what, due_at=due_at, actor=actor, expected_version=version), as_json)


@complaint_app.command("promise-result")
def promise_result(
    number: str,
    index: int = typer.Argument(..., help="第几个承诺（从 1 开始）"),
    kept: bool = typer.Option(..., "--kept/--broken"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """标记承诺已兑现或未兑现。"""
    command = commands.ResolvePromise(number=number, index=index - 1, kept=kept, actor=actor, expected_version=version)
    _run(command, as_json)


@complaint_app.command("signoff")
def signoff(
    number: str,
    satisfied: bool = typer.Option(..., "--satisfied/--not-satisfied"),
    reason: str | None = typer.Option(None, "--reason"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """客户满意度签字；不满意会重开投诉。"""
    command = commands.SignOff(
        number=number, satisfied=satisfied, reason=reason, actor=actor, expected_version=version
    )
    _run(command, as_json)


@complaint_app.command("follow-up")
def follow_up(
    number: str,
    due: str | None = typer.Option(None, "--due", help="安排回访时间（ISO，带时区）"),
    outcome: str | None = typer.Option(None, "--outcome", help="记录回访结果"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """安排回访（--due）或记录回访结果（--outcome）。"""
    if (due is None) == (outcome is None):
        raise InvalidInput("请只给出 --due 或 --outcome 其中之一", field="due")
    command: commands.Command
    if due is not None:
        when = _parse_datetime(due, "due")
        command = commands.ScheduleFollowUp(number=number, due=when, actor=actor, expected_version=version)
    else:
        command = commands.CompleteFollowUp(number=number, outcome=outcome or "", actor=actor, expected_version=version)
    _run(command, as_json)


@complaint_app.command("task-outcome")
def task_outcome(
    number: str,
    task_id: int = typer.Argument(..., help="任务编号（见 complaint show 或 inbox）"),
    outcome: str = typer.Argument(..., help="reached（已联系上） | not_reached（未联系上） | satisfied（客户满意）"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """记录回电/回访任务的结果（写入审计）。"""
    command = commands.RecordTaskOutcome(
        number=number, task_id=task_id, outcome=outcome, actor=actor, expected_version=version
    )
    _run(command, as_json)


@complaint_app.command("reopen")
def reopen(
    number: str,
    reason: str = typer.Option(..., "--reason"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """重开投诉。"""
    _run(commands.Reopen(number=number, reason=reason, actor=actor, expected_version=version), as_json)


@complaint_app.command("attach")
def attach(
    number: str,
    file: Path = typer.Argument(..., help="附件文件（录音、照片、发票 …）"),
    content_type: str | None = typer.Option(None, "--type", help="MIME 类型，不填按扩展名判断"),
    actor: str = ACTOR,
    version: int | None = VERSION,
    as_json: bool = JSON,
) -> None:
    """添加附件；内容按 SHA-256 保存，读取时校验。"""
    try:
        content = file.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"文件不存在：{file}", field="file") from None
    data = attachment_svc.add_attachment(
        desk().uow(), number, file.name, content, actor, content_type=content_type, expected_version=version
    )
    show_detail(data, as_json)


@complaint_app.command("attachment")
def attachment(
    number: str,
    sha256: str,
    out: Path = typer.Option(..., "--out", help="保存到此文件"),
) -> None:
    """取出附件（内容与登记的 SHA-256 不符时拒绝）。"""
    stored = attachment_svc.read_attachment(desk().uow(), number, sha256)
    out.write_bytes(stored.content)
    console.print(
        f"已保存 {stored.filename}（{len(stored.content)} 字节，SHA-256 校验通过）到 {out}", highlight=False
    )
