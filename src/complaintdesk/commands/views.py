"""`complaintdesk view list|save|rename|delete`: a user's saved queue views (the same records the
queue page and ``/api/v1/views`` keep), each listed with how many complaints it finds now."""

from __future__ import annotations

import os

import typer

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import InvalidInput
from complaintdesk.services import saved_views, users
from complaintdesk.services.saved_views import FLAG_FIELD, SavedView

view_app = typer.Typer(help="我的队列视图（保存的筛选条件）", no_args_is_help=True)
USER = typer.Option(None, "--user", help="谁的视图（默认取环境变量 COMPLAINTDESK_USER）")
JSON = typer.Option(False, "--json", help="输出 JSON")


def _user(user: str | None) -> str:
    username = user or os.environ.get("COMPLAINTDESK_USER")
    if not username:
        raise InvalidInput("请用 --user 指明是谁的视图", field="user")
    return username


def _filters(pairs: list[str]) -> dict[str, object]:
    """``--filter sla=breached --filter flag=runaround`` as the view's filters (``flag`` may repeat)."""
    filters: dict[str, object] = {}
    flags: list[str] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--filter 应写成 名称=值，例如 sla=breached（收到 {pair!r}）", field="filter")
        if key.strip() == FLAG_FIELD:
            flags.append(value)
        else:
            filters[key.strip()] = value
    if flags:
        filters[FLAG_FIELD] = flags
    return filters


def _line(view: SavedView, count: int | None = None) -> str:
    shown = " ".join(f"{k}={v}" for k, v in view.pairs) or "（全部未结）"
    counted = f"  {count} 张" if count is not None else ""
    return f"#{view.id} {view.name}  [{view.scope}] {shown}{counted}"


@view_app.command("list")
def list_views(
    user: str | None = USER,
    counts: bool = typer.Option(True, "--counts/--no-counts", help="同时数出每个视图现在的投诉数"),
    as_json: bool = JSON,
) -> None:
    """列出某位同事保存的队列视图（每个视图现在有多少张投诉单）。"""
    account = users.get_user(desk().uow(), _user(user), "user")
    items = saved_views.listed(desk().uow(), account, counts=counts)
    if as_json:
        print_json(items)
        return
    if not items:
        console.print(f"{account.username} 还没有保存的视图", highlight=False, markup=False)
    for item in items:
        view = saved_views.get(desk().uow(), account.username, item["id"])
        console.print(_line(view, item.get("count")), highlight=False, markup=False)


@view_app.command("save")
def save(
    name: str = typer.Argument(..., help="视图名称（每人不重名，最多 40 个字）"),
    user: str | None = USER,
    scope: str = typer.Option("mine", "--scope", help="mine（我的） | team（本组） | all（全部）"),
    filter_: list[str] = typer.Option(
        [], "--filter", help="筛选条件 名称=值，可重复：stage sla category channel team owner escalated flag from to order closed"
    ),
    as_json: bool = JSON,
) -> None:
    """把一组筛选条件保存为视图（与队列页「保存为我的视图」相同）。"""
    account = users.get_user(desk().uow(), _user(user), "user")
    view = saved_views.create(desk().uow(), account.username, name, scope, _filters(filter_))
    count = saved_views.count(desk().uow(), view, account)
    if as_json:
        print_json(view.to_dict(count))
        return
    console.print(f"已保存 {_line(view, count)}", highlight=False, markup=False)


@view_app.command("rename")
def rename(view_id: int, name: str, user: str | None = USER, as_json: bool = JSON) -> None:
    """重命名自己的视图。"""
    view = saved_views.rename(desk().uow(), _user(user), view_id, name)
    if as_json:
        print_json(view.to_dict())
        return
    console.print(f"已重命名 {_line(view)}", highlight=False, markup=False)


@view_app.command("delete")
def delete(view_id: int, user: str | None = USER) -> None:
    """删除自己的视图。"""
    view = saved_views.remove(desk().uow(), _user(user), view_id)
    console.print(f"已删除视图 #{view.id} {view.name}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(view_app, name="view")
