"""`complaintdesk mail deliver | listen | poll`: customer mail out of the outbox, in over SMTP or IMAP."""

from __future__ import annotations

import time
from collections.abc import Callable

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._delivery import deliver_batches
from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import ConfigurationError, MailboxUnavailable
from complaintdesk.services import mail_outbox, mail_poll
from complaintdesk.services.bootstrap import Desk
from complaintdesk.services.unit_of_work import UnitOfWork

mail_app = typer.Typer(help="客户邮件：发送与接收", no_args_is_help=True)


@mail_app.command("deliver")
def mail_deliver(
    loop: bool = typer.Option(False, "--loop", help="持续运行（可多处同时运行，不会重复发送）"),
    interval: float = typer.Option(5.0, "--interval", min=0.5, help="--loop 时每轮间隔秒数"),
    batch: int = typer.Option(20, "--batch", min=1, max=500),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """发送到期的客户邮件（COMPLAINTDESK_SMTP_URL；失败退避重试）。"""
    deliver_batches(
        lambda: mail_outbox.deliver_with_smtp(desk().uow, batch=batch),
        lambda run: f"发送 {run.claimed} 封邮件：成功 {run.sent}，待重试 {run.retrying}，失败 {run.failed}",
        ConfigurationError("未设置 COMPLAINTDESK_SMTP_URL，邮件无法发送", field="COMPLAINTDESK_SMTP_URL"),
        loop=loop, interval=interval, batch=batch, as_json=as_json,
    )


@mail_app.command("listen")
def mail_listen(
    port: int = typer.Option(2525, "--port", min=1, max=65535, help="SMTP 端口"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
    deliver: float = typer.Option(
        5.0, "--deliver", min=0, help="每隔多少秒发送待发邮件（回执等；0 为不发送，交给 serve 或 mail deliver）"
    ),
) -> None:
    """接收中继来的客户邮件：新邮件受理为投诉并回执，回复并入原投诉，自动回复与退信不处理。"""
    import threading

    from complaintdesk.channels import smtp_listener
    from complaintdesk.services import mail_intake
    from complaintdesk.settings import get_settings

    running = desk()
    settings = get_settings()
    controller = smtp_listener.start(
        lambda raw, sender: mail_intake.take_in(running.uow, raw, sender),
        host,
        port,
        max_bytes=settings.mail_max_bytes,
    )
    console.print(f"正在监听 smtp://{host}:{port} (Ctrl-C 停止)", highlight=False)
    stop = threading.Event()
    try:
        while not stop.wait(deliver or 3600):
            if deliver and settings.smtp_url:
                try:
                    mail_outbox.deliver_with_smtp(running.uow)
                except Exception as exc:  # keep listening; the mail stays queued and is retried
                    console.print(f"发送邮件失败：{exc}", highlight=False, markup=False)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


def _deliver_quietly(uow: Callable[[], UnitOfWork]) -> None:
    try:
        mail_outbox.deliver_with_smtp(uow)
    except Exception as exc:  # keep reading mail; the acknowledgement stays queued and is retried
        typer.echo(f"发送邮件失败：{exc}", err=True)


def _pause_after_fetch(seconds: float) -> Callable[[int], None] | None:
    """The tests' fault injection (COMPLAINTDESK_IMAP_PAUSE_AFTER_FETCH): say where, then wait there."""
    if not seconds:
        return None

    def pause(uid: int) -> None:
        print(f"fetched UID {uid}; pausing {seconds} s before intake", flush=True)
        time.sleep(seconds)

    return pause


def _poll_round(running: Desk, *, once: bool, as_json: bool, deliver: bool) -> mail_poll.PollRun:
    from complaintdesk.settings import get_settings

    settings = get_settings()
    try:
        run = mail_poll.poll_with_imap(running.uow, after_fetch=_pause_after_fetch(settings.imap_pause_after_fetch))
    except MailboxUnavailable as exc:
        if once:
            raise
        typer.echo(exc.message, err=True)  # the next round tries again
        run = mail_poll.PollRun()
    if run is None:
        raise ConfigurationError("未设置 COMPLAINTDESK_IMAP_URL，无法读取邮箱", field="COMPLAINTDESK_IMAP_URL")
    if as_json:
        print_json(run.to_dict())
    elif run.fetched or run.too_large or once:
        console.print(
            f"读取 {run.fetched} 封邮件：新投诉 {run.opened}，并入原投诉 {run.threaded},"
            f"自动邮件 {run.ignored}，重复 {run.duplicate}，失败 {run.failed}，过大未读 {run.too_large}",
            highlight=False,
        )
    for error in run.errors:
        typer.echo(f"邮件未能受理（下一轮重新读取）：{error}", err=True)
    if deliver and settings.smtp_url:
        _deliver_quietly(running.uow)
    return run


@mail_app.command("poll")
def mail_poll_command(
    once: bool = typer.Option(False, "--once", help="只读取一轮就退出"),
    interval: float = typer.Option(60.0, "--interval", min=1, help="每轮间隔秒数"),
    deliver: bool = typer.Option(True, "--deliver/--no-deliver", help="每轮后发送待发邮件（回执等）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """读取邮箱（COMPLAINTDESK_IMAP_URL）：新邮件受理为投诉并回执，回复并入原投诉；入库后才标记邮件。"""
    running = desk()
    if once:
        if _poll_round(running, once=True, as_json=as_json, deliver=deliver).failed:
            raise typer.Exit(1)  # the failed mails stay unmarked in the mailbox
        return
    try:
        while True:
            _poll_round(running, once=False, as_json=as_json, deliver=deliver)
            time.sleep(interval)
    except KeyboardInterrupt:  # between two steps of a mail at worst: it stays unmarked, nothing is lost
        pass


def register(app: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail")
