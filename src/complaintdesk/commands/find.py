"""`complaintdesk search` (Chinese full-text search over title, description and messages) and
`complaintdesk reindex` (bring that index up to date)."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, print_json

# Importing search installs its session hooks: every change the CLI makes is indexed too.
from complaintdesk.services import search


def search_command(
    query: str = typer.Argument(..., help="搜索词,多个词以空格分隔 (须全部出现);繁简通搜,可搜词的一部分"),
    limit: int = typer.Option(20, "--limit", min=1, max=100, help="最多列出多少条 (按相关度)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """全文搜索投诉单 (标题、内容、沟通记录),含已结案的;最相关的在前。"""
    hits = search.search_text(desk().uow(), query, limit=limit)
    if as_json:
        print_json({"query": query, "items": [hit.to_dict() for hit in hits]})
        return
    if not hits:
        console.print(f"没有找到包含「{query}」的投诉单", highlight=False, markup=False)
        return
    table = Table(title=f"搜索「{query}」: {len(hits)} 条")
    table.add_column("单号", no_wrap=True)
    table.add_column("标题", max_width=28)
    for column in ("客户", "阶段", "处理人", "相关度"):
        table.add_column(column)
    table.add_column("摘要", max_width=40)
    for hit in hits:
        s = hit.summary
        # Text(), not markup: customer text such as "[red]" must print as written.
        table.add_row(
            s["number"], Text(s["title"]), Text(s["customer"] or ""), s["stage_label"], s["owner"],
            f"{hit.score:.3f}", Text(hit.snippet),
        )  # fmt: skip
    console.print(table)


def reindex(full: bool = typer.Option(False, "--full", help="重建全部索引 (默认只补齐缺失或过期的)")) -> None:
    """补齐全文搜索索引 (标题、内容、沟通记录)。"""

    done = search.reindex(desk().uow(), full=full)
    console.print(f"已索引 {done} 个投诉单", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("reindex")(reindex)
