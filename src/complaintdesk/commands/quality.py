"""``complaintdesk qa``: inspect a transcript (质检) or a whole batch of them.

``qa`` is a group whose unknown first word is taken as a transcript file, so both
``complaintdesk qa call.txt --json`` and ``complaintdesk qa check call.txt`` work, beside
``complaintdesk qa batch DIR|FILE.jsonl`` and ``complaintdesk qa phrases``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from complaintdesk.commands._output import console, print_json
from complaintdesk.domain.errors import InputTooLarge, InvalidInput, NotFound
from complaintdesk.quality import forbidden_phrases, inspect, load_rubric
from complaintdesk.quality.batch import count_items, run_batch

_SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow"}
_STEP_NAMES = {
    "accept": "接受投诉", "calm": "平息怨气", "clarify": "澄清问题", "propose": "探讨方案",
    "act": "采取行动", "thank": "感谢客户", "follow_up": "跟踪服务",
}
_STEP_MARK = {"kept": "[green]✓[/]", "missed": "[red]✗[/]", "n/a": "[dim]–[/]"}
_TREND = {"improved": "[green]好转[/]", "same": "持平", "worse": "[red]恶化[/]"}
_ENDED = {"agent": "客服", "customer": "客户", "unknown": "未知"}


class _TranscriptByDefault(TyperGroup):
    """A first argument that is not a sub-command is a transcript: ``qa FILE`` means ``qa check FILE``."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # typer vendors its own click types
        if args and args[0] not in self.commands and not args[0].startswith("--"):
            args = ["check", *args]
        return super().resolve_command(ctx, args)


qa_app = typer.Typer(
    cls=_TranscriptByDefault,
    help="质检：给客服一方的对话打分并列出证据。用法：qa 文件 [--json] | qa batch 目录 --workers N",
    no_args_is_help=True,
)


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        raise NotFound(f"找不到转写文件 {path}", field="transcript")
    limit_bytes = load_rubric().max_chars * 4  # UTF-8 needs at most 4 bytes per character
    if file.stat().st_size > limit_bytes:
        raise InputTooLarge(f"转写文件 {path} 超过 {limit_bytes} 字节的上限", field="transcript")
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"转写文件 {path} 不是 UTF-8 文本", field="transcript") from exc


def _highlight(text: str, match: str | None, style: str) -> str:
    if not match or match not in text:
        return escape(text)
    before, _, after = text.partition(match)
    return f"{escape(before)}[{style}]{escape(match)}[/]{escape(after)}"


def _report(card: dict[str, Any]) -> None:
    score = card["score"]
    colour = "green" if score >= 80 else "yellow" if score >= 60 else "red"
    console.print(f"[bold]质检得分[/] [{colour} bold]{score}[/] / 100   [dim]评分标准 {card['rubric_version']}[/]")
    r, s = card["respect"], card["sincerity"]
    console.print(
        f"尊重 = 理解 {r['understanding']} + 认同 {r['acknowledgement']}    "
        f"真诚 = 情感 {s['emotion']} + 协助 {s['assistance']} （各 0–10）", highlight=False,
    )
    console.print("流程  " + "  ".join(f"{_STEP_MARK[v]} {_STEP_NAMES[k]}" for k, v in card["steps"].items()))
    c = card["commitment"]
    console.print(
        f"承诺 {'有' if c['made'] else '无'}{'(具体)' if c['concrete'] else ''}   "
        f"客服说话占比 {card['talk_ratio']:.0%}   打断 {card['interruptions']} 次   "
        f"结束通话：{_ENDED[card['ended_by']]}   客户情绪：{_TREND[card['customer_emotion_trend']]}"
        + ("   [bold red]投诉被降级为咨询[/]" if card["downgraded_complaint"] else ""),
        highlight=False,
    )
    for warning in card["warnings"]:
        console.print(f"[yellow]注意：[/] {escape(warning)}")
    if not card["violations"]:
        console.print("[green]没有发现违规。[/]")
        return
    console.print(f"[bold]违规 {len(card['violations'])} 条[/]")
    for v in card["violations"]:
        style = _SEVERITY_STYLE.get(v["severity"], "red")
        console.print(
            f"[{style}]✗[/] 第 {v['line']} 行 [{style}]{v['severity']}[/] [bold]{escape(v['title'])}[/] "
            f"[dim]({v['rule']})[/]", highlight=False,
        )
        console.print(f"    「{_highlight(v['text'], v.get('match'), style)}」", highlight=False)
        console.print(f"    [dim]原因：[/] {escape(v['why'])}", highlight=False)
        if v.get("instead"):
            console.print(f"    [green]改说：[/] {escape(v['instead'])}", highlight=False)


@qa_app.command("check")
def check(
    transcript: str = typer.Argument(..., help="转写文件（文本或 JSON），- 表示标准输入"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 评分卡"),
    logged_category: str | None = typer.Option(None, "--logged-category", help="工单登记的类别，如 咨询"),
    agent: str | None = typer.Option(None, "--agent", help="坐席工号"),
) -> None:
    """质检一通对话：得分、尊重/真诚、七步流程、违规及原话证据。"""
    card = inspect(_read(transcript), logged_category=logged_category, agent_id=agent).to_dict()
    if as_json:
        print_json(card)
    else:
        _report(card)


@qa_app.command("batch")
def batch(
    path: Path = typer.Argument(..., help="转写文件夹（.txt/.json，子文件夹名为坐席）或 .jsonl 文件"),
    out: Path = typer.Option(Path("qa_results.jsonl"), "--out", "-o", help="逐通结果 JSONL"),
    workers: int = typer.Option(0, "--workers", "-w", help="进程数，0 = 每个 CPU 核一个"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出坐席汇总"),
) -> None:
    """批量质检：每通对话写一行 JSONL，并按坐席汇总平均分与扣分最多的问题。"""
    total = count_items(path)
    with Progress(
        TextColumn("质检中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=as_json or not console.is_terminal,
    ) as bar, out.open("w", encoding="utf-8") as handle:
        task = bar.add_task("qa", total=total)
        summary = run_batch(path, handle, workers=workers, on_progress=lambda done: bar.update(task, completed=done))
    if as_json:
        print_json({**summary.to_dict(), "out": str(out)})
        return
    rate = summary.per_second
    speed = f";{rate:.1f} 通/秒，{summary.workers} 个进程" if rate is not None else ""
    table = Table(title=f"坐席汇总（{summary.scored} 通已评分，{summary.failed} 通出错{speed}；结果见 {out}）")
    for column in ("坐席", "通数", "出错", "平均分", "扣分最多的问题"):
        table.add_column(column)
    for a in summary.agents:
        worst = ", ".join(f"{r}×{c}" for r, c, _ in a.worst_rules) or "-"
        mean = "-" if a.mean_score is None else f"{a.mean_score:.1f}"
        table.add_row(escape(a.agent), str(a.calls), str(a.errors), mean, worst)
    console.print(table)


@qa_app.command("complaint")
def complaint(
    number: str = typer.Argument(..., help="投诉单号"),
    transcript: str | None = typer.Option(None, "--transcript", "-t", help="转写文件；省略时质检投诉单自己的消息"),
    agent: str | None = typer.Option(None, "--agent", help="坐席工号；省略时取 # agent 或回复消息的作者"),
    actor: str = typer.Option("cli", "--actor", help="操作人（写入审计记录）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 评分卡"),
) -> None:
    """质检投诉单的对话并把评分卡保存到它的审计记录，记在坐席名下。"""
    from complaintdesk.commands._context import desk
    from complaintdesk.services import inspections

    kept = inspections.inspect_for(desk().uow(), number, _read(transcript) if transcript else None, actor, agent)
    if as_json:
        print_json({k: v for k, v in kept.to_dict().items() if k != "transcript"})
        return
    _report(kept.scorecard.to_dict())
    console.print(f"已保存到 {escape(number)} 的审计记录，坐席：{escape(str(kept.agent_id or '未知'))}")


@qa_app.command("phrases")
def phrases(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出禁用语与冷漠用语、原因和建议说法。"""
    items = forbidden_phrases()
    if as_json:
        print_json([p.to_dict() for p in items])
        return
    table = Table(title="禁用语 / 冷漠用语")
    for column in ("短语", "规则", "程度", "原因", "改说"):
        table.add_column(column)
    for p in items:
        table.add_row(p.phrase, p.rule, p.severity, escape(p.why), escape(p.instead))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(qa_app, name="qa")
