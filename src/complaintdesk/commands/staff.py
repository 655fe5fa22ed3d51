"""Staff and inbox commands: `user deactivate|reactivate|set-role|set-team`, `team add|list`, `inbox`."""

from __future__ import annotations

import os

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.commands.core import user_app
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import notifications, staff, users

team_app = typer.Typer(help="班组（带负责人）", no_args_is_help=True)
ACTOR = typer.Option("cli", "--actor", help="操作人（写入审计链）")


def _done(result: dict[str, object], as_json: bool, text: str) -> None:
    if as_json:
        print_json(result)
    else:
        console.print(text, highlight=False, markup=False)


@user_app.command("deactivate")
def user_deactivate(username: str, actor: str = ACTOR, as_json: bool = typer.Option(False, "--json")) -> None:
    """停用账号：不能再登录，不能再被分派；其名下未结投诉单需另行转派。"""
    result = staff.deactivate(desk().uow(), username, actor)
    _done(result, as_json, f"已停用 {username}，其名下仍有 {result['open_complaints']} 张未结投诉单待转派")


@user_app.command("reactivate")
def user_reactivate(username: str, actor: str = ACTOR, as_json: bool = typer.Option(False, "--json")) -> None:
    """重新启用已停用的账号。"""
    _done(staff.reactivate(desk().uow(), username, actor), as_json, f"已重新启用 {username}")


@user_app.command("set-role")
def user_set_role(
    username: str, role: str, actor: str = ACTOR, as_json: bool = typer.Option(False, "--json")
) -> None:
    """修改角色（agent / team_lead / manager / admin / auditor）。"""
    _done(staff.set_role(desk().uow(), username, role, actor), as_json, f"{username} 的角色已改为 {role}")


@user_app.command("set-team")
def user_set_team(
    username: str,
    team: str = typer.Argument("", help="班组名；留空表示不属于任何班组"),
    actor: str = ACTOR,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """调整班组（班组须已用 team add 建立）。"""
    result = staff.set_team(desk().uow(), username, team, actor)
    _done(result, as_json, f"{username} 已调到班组 {result['team'] or '(无)'}")


@team_app.command("add")
def team_add(
    name: str,
    lead: str | None = typer.Option(None, "--lead", help="负责人（班组长或经理）"),
    actor: str = ACTOR,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """新建班组。"""
    _done(staff.add_team(desk().uow(), name, lead, actor), as_json, f"已建立班组 {name}")


@team_app.command("list")
def team_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出班组、负责人和在职成员。"""
    rows = staff.list_teams(desk().uow())
    if as_json:
        print_json(rows)
        return
    for r in rows:
        members = "、".join(r["members"]) or "-"
        console.print(
            f"{r['name']}  负责人 {r['lead'] or '-'}  成员 {members}", highlight=False, markup=False
        )


def inbox(
    user: str | None = typer.Option(None, "--user", help="谁的收件箱（默认取环境变量 COMPLAINTDESK_USER）"),
    unread: bool = typer.Option(False, "--unread", help="只看未读"),
    limit: int = typer.Option(20, "--limit", min=1, max=notifications.MAX_PAGE),
    mark_read: bool = typer.Option(False, "--mark-read", help="列出后全部标为已读"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """某位同事的通知（新的在前）：分派、转派、升级、时限、提及、客户回复、审批。"""
    username = user or os.environ.get("COMPLAINTDESK_USER")
    if not username:
        raise InvalidInput("请用 --user 指明是谁的收件箱", field="user")
    users.get_user(desk().uow(), username, "user")
    page = notifications.inbox(desk().uow(), username, limit=limit, unread_only=unread)
    if mark_read:
        notifications.mark_all_read(desk().uow(), username)
    if as_json:
        print_json(page)
        return
    console.print(f"{username} 的收件箱：{page['unread']} 条未读", highlight=False, markup=False)
    for t in page["tasks"]:
        late = " 已逾期" if t["missed"] else ""
        console.print(f"☐ 任务 {t['complaint_number']} #{t['id']} 截止 {t['due_at'][:16]}{late} {t['what']}",
                      highlight=False, markup=False)  # fmt: skip
    for n in page["items"]:
        mark = " " if n["read"] else "●"
        console.print(f"{mark} #{n['id']} {n['at'][:16]} {n['summary']}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(team_app, name="team")
    app.command("inbox")(inbox)
