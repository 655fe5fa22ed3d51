"""`complaintdesk sms deliver | opt-out | preview`: customer SMS out of the outbox, and the opt-out."""

from __future__ import annotations

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._delivery import deliver_batches
from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import ConfigurationError
from complaintdesk.services import sms_outbox

sms_app = typer.Typer(help="客户短信：发送、预览条数、退订", no_args_is_help=True)


@sms_app.command("deliver")
def sms_deliver(
    loop: bool = typer.Option(False, "--loop", help="持续运行（可多处同时运行，不会重复发送）"),
    interval: float = typer.Option(5.0, "--interval", min=0.5, help="--loop 时每轮间隔秒数"),
    batch: int = typer.Option(20, "--batch", min=1, max=500),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """发送到期的客户短信（COMPLAINTDESK_SMS_URL；失败退避重试；已退订的客户不发）。"""
    deliver_batches(
        lambda: sms_outbox.deliver_configured(desk().uow, batch=batch),
        lambda run: (
            f"发送 {run.claimed} 条短信：成功 {run.sent}，待重试 {run.retrying}，失败 {run.failed},"
            f"已退订未发 {run.skipped}"
        ),
        ConfigurationError("未设置 COMPLAINTDESK_SMS_URL，短信无法发送", field="COMPLAINTDESK_SMS_URL"),
        loop=loop, interval=interval, batch=batch, as_json=as_json,
    )


@sms_app.command("opt-out")
def sms_opt_out(
    number: str = typer.Argument(..., help="投诉单号（登记该单客户的退订）"),
    reason: str = typer.Option("", "--reason", help="退订原因，如：客户来电要求不再接收短信"),
    undo: bool = typer.Option(False, "--undo", help="恢复接收短信"),
    actor: str = typer.Option("cli", "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """登记客户退订短信（此后回复不发短信，并记录原因），或用 --undo 恢复。"""
    result = sms_outbox.set_opt_out(desk().uow(), number, not undo, reason, actor)
    if as_json:
        print_json(result)
    else:
        console.print(f"{number}: {'客户已退订短信' if not undo else '客户恢复接收短信'}", highlight=False)


@sms_app.command("preview")
def sms_preview(
    number: str = typer.Argument(..., help="投诉单号"),
    body: str = typer.Argument(..., help="回复内容"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """发送前预览：短信全文、字数与计费条数。"""
    result = sms_outbox.preview(desk().uow(), number, body)
    if as_json:
        print_json(result)
        return
    console.print(result["text"], highlight=False, markup=False)
    console.print(f"{result['chars']} 字，{result['segments']} 条短信", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(sms_app, name="sms")
