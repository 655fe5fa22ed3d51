"""`complaintdesk serve` (uvicorn on the API factory) and `complaintdesk user add`."""

from __future__ import annotations

import sys

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.commands.core import user_app
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import accounts


def serve(
    host: str | None = typer.Option(None, "--host", help="监听地址 (默认取 COMPLAINTDESK_HOST 或 127.0.0.1)"),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="端口 (默认 8000)"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="uvicorn 工作进程数"),
) -> None:
    """启动 REST API 与网页工作台 (uvicorn)。"""
    import uvicorn

    from complaintdesk.settings import get_settings

    settings = get_settings()
    desk()  # migrate once here, not in every worker at the same time
    uvicorn.run(
        "complaintdesk.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        proxy_headers=True,
    )


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="登录名 (字母、数字、_ . -)"),
    role: str = typer.Option(..., "--role", help="agent | team_lead | manager | admin | auditor"),
    team: str | None = typer.Option(None, "--team", help="班组"),
    name: str | None = typer.Option(None, "--name", help="显示名 (默认同登录名)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """新建用户 (第一个管理员也用它创建)。不带 --password-stdin 时交互输入密码。"""
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


def reindex(full: bool = typer.Option(False, "--full", help="重建全部索引 (默认只补齐缺失或过期的)")) -> None:
    """补齐全文搜索索引 (标题、内容、沟通记录)。"""
    from complaintdesk.services import search

    done = search.reindex(desk().uow(), full=full)
    console.print(f"已索引 {done} 个投诉单", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("reindex")(reindex)
