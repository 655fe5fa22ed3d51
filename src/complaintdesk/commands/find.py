"""`complaintdesk search` (Chinese full-text search over title, description and messages) and
`complaintdesk reindex` (bring that index up to date)."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from complaintdesk.commands._context import desk
from complaintdesk.commands._output import console, narrow, print_json

# Importing search installs its session hooks: every change the CLI makes is indexed too.
from complaintdesk.services import search


def search_command(
    query: str = typer.Argument(..., help="搜索词，多个词以空格分隔（须全部出现）；繁简通搜，可搜词的一部分"),
    limit: int = typer.Option(20, "--limit", min=1, max=100, help="最多列出多少条（按相关度）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """全文搜索投诉单（标题、内容、沟通记录），含已结案的；最相关的在前。"""
    hits = search.search_text(desk().uow(), query, limit=limit)
    if as_json:
        print_json({"query": query, "items": [hit.to_dict() for hit in hits]})
        return
    if not hits:
        console.print(f"没有找到包含「{query}」的投诉单", highlight=False, markup=False)
        return
    small = narrow()
    table = Table(title=f"搜索「{query}」：{len(hits)} 条")
    table.add_column("单号", no_wrap=True, min_width=18)
    table.add_column("标题", overflow="fold", ratio=2, min_width=8)
    table.add_column("阶段", no_wrap=True)
    if not small:
        table.add_column("客户", overflow="fold")
        table.add_column("处理人", overflow="fold")
        table.add_column("相关度", no_wrap=True)
    table.add_column("摘要", overflow="fold", ratio=3)
    for hit in hits:
        s = hit.summary
        # Text(), not markup: customer text such as "[red]" must print as written.
        cells = [s["number"], Text(s["title"]), s["stage_label"]]
        if not small:
            cells += [Text(s["customer"] or ""), s["owner"] or "", f"{hit.score:.3f}"]
        table.add_row(*cells, Text(hit.snippet))
    console.print(table)


def reindex(full: bool = typer.Option(False, "--full", help="重建全部索引（默认只补齐缺失或过期的）")) -> None:
    """补齐全文搜索索引（标题、内容、沟通记录）。"""

    done = search.reindex(desk().uow(), full=full)
    console.print(f"已索引 {done} 个投诉单", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("reindex")(reindex)
