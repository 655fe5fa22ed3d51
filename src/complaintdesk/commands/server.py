"""`complaintdesk serve` (uvicorn on the API factory), `user add`, and the webhook subscriptions and
their delivery (`webhooks add | list | remove | log | deliver`)."""

from __future__ import annotations

import socket
import sys
from typing import Any

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.commands.core import user_app
from complaintdesk.domain.errors import InvalidInput

# Importing search and webhooks installs their session hooks: every CLI change is indexed and queued too.
from complaintdesk.services import accounts, search, webhooks  # noqa: F401  (search: its hooks)

webhook_app = typer.Typer(help="Webhook 事件推送", no_args_is_help=True)


def serve(
    host: str | None = typer.Option(None, "--host", help="监听地址（默认取 COMPLAINTDESK_HOST 或 127.0.0.1）"),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="端口（默认 8000）"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn 工作进程数"),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="逐条记录请求日志"),
    housekeeping: float = typer.Option(
        60.0, "--housekeeping", min=0, help="每隔多少秒做一次 SLA 巡检与 webhook 投递（0 为关闭，改用 cron）"
    ),
) -> None:
    """启动 REST API 与网页工作台（uvicorn），并在后台定时做 SLA 巡检与 webhook 投递。"""
    import uvicorn

    from complaintdesk import knowledge
    from complaintdesk.services.housekeeping import Housekeeper
    from complaintdesk.settings import get_settings

    settings = get_settings()
    running = desk()  # migrate once here, not in every worker at the same time
    for warning in running.maintenance_warnings():
        typer.secho(f"警告：{warning}", err=True, fg="yellow")
    knowledge.serve(settings)  # a broken knowledge file stops the start here, named, before any worker
    if housekeeping > 0:
        Housekeeper(running, housekeeping).start()
    config = uvicorn.Config(
        "complaintdesk.api.app:create_server_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
        access_log=access_log,
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    from uvicorn.supervisors import Multiprocess

    if not sys.platform.startswith("linux"):  # elsewhere SO_REUSEPORT does not spread connections
        Multiprocess(config, sockets=[_tcp_socket(config)]).run()
        return
    from complaintdesk.commands import _worker_sockets

    _worker_sockets.run(config)


def _tcp_socket(config: Any) -> socket.socket:
    """uvicorn's shared listening socket, re-declared as TCP so asyncio turns Nagle off on every connection.

    uvicorn (0.54) binds it with protocol 0, so asyncio skips TCP_NODELAY and each response waits ~40 ms
    for the client's delayed ACK (measured: 45 ms per request with --workers 2, 1 ms without).
    """
    bound = config.bind_socket()
    tcp = socket.socket(bound.family, socket.SOCK_STREAM, socket.IPPROTO_TCP, fileno=bound.detach())
    tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tcp.set_inheritable(True)
    return tcp


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="登录名（字母、数字、_ . -）"),
    role: str = typer.Option(..., "--role", help="agent | team_lead | manager | admin | auditor"),
    team: str | None = typer.Option(None, "--team", help="班组"),
    name: str | None = typer.Option(None, "--name", help="显示名（默认同登录名）"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """新建用户（第一个管理员也用它创建）。不带 --password-stdin 时交互输入密码。"""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InvalidInput("密码不能为空", field="password")
    user = accounts.create_user(desk().uow(), username, name or username, role, team, password, "cli")
    if as_json:
        print_json(accounts.user_view(user))
        return
    console.print(f"已创建用户 {user.username} ({user.role.value})", highlight=False)


@user_app.command("password")
def user_password(
    username: str = typer.Argument(..., help="登录名"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取新密码"),
) -> None:
    """设置用户的密码；该用户所有已登录的会话随即失效。"""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("新密码", hide_input=True, confirmation_prompt=True)
    accounts.set_password(desk().uow(), username, password, "cli")
    console.print(f"已设置 {username} 的密码，其已登录的会话已失效", highlight=False, markup=False)


@user_app.command("unlock")
def user_unlock(
    username: str = typer.Argument(..., help="登录名"),
    actor: str = typer.Option("cli", "--actor"),
) -> None:
    """解除该用户的登录锁定（连续输错密码后的 15 分钟锁定，来自任何地址）。"""
    lifted = accounts.unlock_user(desk().uow(), username, actor)
    console.print(f"已解除 {username} 的登录锁定（{lifted} 项）", highlight=False, markup=False)


@webhook_app.command("add")
def webhook_add(
    url: str,
    events: list[str] = typer.Option(..., "--event", help=f"可重复：{', '.join(webhooks.EVENTS)}"),
    actor: str = typer.Option("cli", "--actor"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """订阅事件；签名密钥只在这里显示一次（接收方用它校验 HMAC-SHA256 签名）。"""
    created = webhooks.subscribe(desk().uow(), url, events, actor)
    if as_json:
        print_json(created)
        return
    console.print(f"已订阅 #{created['id']} {created['url']}: {', '.join(created['events'])}", markup=False)
    console.print(f"签名密钥（只显示这一次）：{created['secret']}", markup=False, highlight=False, soft_wrap=True)


@webhook_app.command("list")
def webhook_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出订阅（含已停用的）。"""
    items = webhooks.list_subscriptions(desk().uow())
    if as_json:
        print_json(items)
        return
    for item in items:
        state = "启用" if item["active"] else "已停用"
        console.print(f"#{item['id']} {state} {item['url']} {', '.join(item['events'])}", markup=False)


@webhook_app.command("remove")
def webhook_remove(subscription_id: int, actor: str = typer.Option("cli", "--actor")) -> None:
    """停用一个订阅（投递记录保留）。"""
    webhooks.unsubscribe(desk().uow(), subscription_id, actor)
    console.print(f"已停用订阅 #{subscription_id}", highlight=False)


@webhook_app.command("log")
def webhook_log(subscription_id: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """一个订阅的投递记录：每个事件的状态、尝试次数和每次尝试的结果。"""
    items = webhooks.deliveries(desk().uow(), subscription_id)
    if as_json:
        print_json(items)
        return
    for item in items:
        console.print(f"#{item['id']} {item['event']} {item['status']} 尝试 {item['attempts']} 次"
                      f"{' · ' + item['last_error'] if item['last_error'] else ''}", markup=False)  # fmt: skip


@webhook_app.command("deliver")
def webhook_deliver(
    loop: bool = typer.Option(False, "--loop", help="持续运行（可在多台机器上同时运行，不会重复投递）"),
    interval: float = typer.Option(5.0, "--interval", min=0.5, help="--loop 时每轮间隔秒数"),
    batch: int = typer.Option(20, "--batch", min=1, max=500),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """投递到期的 webhook 事件（签名、失败退避重试、记录投递日志）。"""
    import time

    sender = webhooks.http_sender()
    while True:
        run = webhooks.deliver_due(desk().uow, sender, batch=batch)
        if as_json:
            print_json(run.to_dict())
        elif run.claimed or not loop:
            console.print(
                f"投递 {run.claimed} 个事件：成功 {run.delivered}，待重试 {run.failed}，放弃 {run.dead}",
                highlight=False,
            )
        if not loop:
            return
        if run.claimed < batch:
            time.sleep(interval)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(webhook_app, name="webhooks")
