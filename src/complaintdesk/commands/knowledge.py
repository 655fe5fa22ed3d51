"""`complaintdesk knowledge check | reload`: validate the centre's knowledge directory and say what is
loaded from where; tell running servers to load it again without a restart (docs/knowledge.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from complaintdesk.commands._output import console, print_json

if TYPE_CHECKING:
    from complaintdesk.knowledge.catalogue import Report

knowledge_app = typer.Typer(help="中心知识目录：规则包、手册、词库、质检规则、SLA (the centre's knowledge)",
                            no_args_is_help=True)

ORIGIN_ZH = {"centre": "中心文件", "extends": "中心补充", "packaged": "内置默认"}


@knowledge_app.command("check")
def check_command(
    directory: Path = typer.Option(None, "--dir", help="要检查的目录（默认：COMPLAINTDESK_KNOWLEDGE_DIR）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """校验知识目录中的每个文件（错误指明文件、规则与字段），并列出每项知识来自中心文件还是内置默认。"""
    from complaintdesk import knowledge
    from complaintdesk.settings import get_settings

    if directory is not None:
        report = knowledge.check(directory)
    else:  # the configured one; the default location may be absent (then: the packaged defaults)
        report = knowledge.check(knowledge.directory_of(get_settings()), must_exist=False)
    _show(report, as_json, "校验通过")


@knowledge_app.command("reload")
def reload_command(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """校验知识目录，无误后通知运行中的服务（每个工作进程）在下一个请求时重新加载，无需重启。"""
    from complaintdesk import knowledge
    from complaintdesk.settings import get_settings

    report = knowledge.request_reload(get_settings())
    _show(report, as_json, "校验通过，已通知运行中的服务重新加载（各工作进程在一秒内的下一个请求时生效）")


def _show(report: Report, as_json: bool, done: str) -> None:
    if as_json:
        print_json(report.to_dict())
        return
    where = str(report.directory) if report.directory else "（未设置）"
    missing = "" if report.exists else "（目录不存在，全部使用内置默认）"
    console.print(f"知识目录：{escape(where)}{missing}", highlight=False)
    table = Table("知识", "文件", "来源", "说明", "读取自", show_lines=False)
    for entry in report.entries:
        origin = ORIGIN_ZH.get(entry.origin, entry.origin)
        style = "bold" if entry.origin != "packaged" else ""
        table.add_row(entry.title, escape(entry.name), f"[{style}]{origin}[/]" if style else origin,
                      escape(entry.detail), escape(entry.path))
    console.print(table)
    for name in report.ignored:
        console.print(f"[yellow]注意：[/] {escape(name)} 不是任何知识文件，未被读取（文件名或位置有误？）", highlight=False)
    console.print(f"{done}：中心文件 {report.centre_files} 个", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(knowledge_app, name="knowledge")
